package dev.nexa.cpu;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.exec.Uop;

/**
 * A run of decoded instructions that execute in sequence, ending at a control transfer, a page
 * boundary or a length cap. Keyed by the physical address of its first byte, so it serves any
 * virtual mapping of that frame; an instruction that straddles a page makes the block depend
 * on a second frame too.
 * <p>
 * Direct chaining: {@link #next} and {@link #taken} remember the blocks that followed this one
 * (fall-through and branch target), so the run loop finds its successor without the lookup
 * table. A link is only a hint: it is used when its block is still {@link #valid} and starts
 * at the physical address the new RIP translates to.
 * <p>
 * A JIT plugs in per block through {@link #compiled}: when set, the run loop calls it instead of
 * interpreting {@link #uops} (see {@link CompiledBlock} for the contract); {@link #runs} counts
 * executions so that hot blocks can be found.
 */
public final class Block {
    static final int MAX_INSNS = 64;

    final long pa;
    /** Physical address of the second page the last instruction reaches into, or -1. */
    final long pa2;
    final Insn[] insns;
    /** What the interpreter executes (one per instruction). */
    final Uop[] uops;
    final int bytes;
    boolean valid = true;
    /** Successor hints (direct block chaining); either may be null or stale. */
    Block next, taken;
    /** The JIT's translation of this block, or null. */
    CompiledBlock compiled;
    /** How often the block ran (saturating; a hotness counter for a JIT). */
    int runs;

    Block(long pa, long pa2, Insn[] insns, Uop[] uops, int bytes) {
        this.pa = pa;
        this.pa2 = pa2;
        this.insns = insns;
        this.uops = uops;
        this.bytes = bytes;
    }

    long frame() { return pa >>> 12; }

    /** The decoded instructions (for a JIT or a disassembler); do not modify. */
    public Insn[] instructions() { return insns; }

    public long physicalAddress() { return pa; }

    public boolean isValid() { return valid; }

    public int executions() { return runs; }

    public CompiledBlock compiled() { return compiled; }

    /** Installs (or, with null, removes) a translation; it is dropped with the block when its code changes. */
    public void setCompiled(CompiledBlock code) { this.compiled = code; }
}
