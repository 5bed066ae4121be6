package dev.nexa.cpu;

import dev.nexa.cpu.decode.Insn;

/**
 * A run of decoded instructions that execute in sequence, ending at a control transfer, a page
 * boundary or a length cap. Keyed by the physical address of its first byte, so it serves any
 * virtual mapping of that frame; an instruction that straddles a page makes the block depend
 * on a second frame too.
 */
final class Block {
    static final int MAX_INSNS = 64;

    final long pa;
    /** Physical address of the second page the last instruction reaches into, or -1. */
    final long pa2;
    final Insn[] insns;
    final int bytes;
    boolean valid = true;

    Block(long pa, long pa2, Insn[] insns, int bytes) {
        this.pa = pa;
        this.pa2 = pa2;
        this.insns = insns;
        this.bytes = bytes;
    }

    long frame() { return pa >>> 12; }
}
