package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/**
 * One instruction in the form the interpreter executes: the decoded {@link Insn} plus a handler
 * number chosen at block-build time ({@link Specializer}) and the operands that handler needs,
 * flattened into fields. Specialized handlers (a MOV between 64-bit registers, an ADD of an
 * immediate to a 32-bit register, a Jcc, ...) read only these fields; every other instruction
 * runs through the generic {@link Interpreter} with {@link #insn}.
 * <p>
 * Register fields are indices into {@link CpuCore#r}; {@link CpuCore#ZERO} (a slot that is
 * always 0) stands for an absent base or index, so the effective address of a specialized
 * memory operand is {@code r[base] + (r[index] << scale) + disp (+ rip when RIP-relative)},
 * without a branch.
 */
public final class Uop {
    /** The handler ({@link Engine}'s constants); {@link Engine#GENERIC} runs {@link #insn}. */
    public final int h;
    public final Insn insn;
    /** Offset in the block of this instruction's first byte and of the next instruction. */
    public final int start, end;
    /** Guest instructions of the block before this one (the retired count if this one faults). */
    public final int seq;
    /** Operand registers: destination (or only operand) and source. */
    public final int a, b;
    /** Memory operand: base and index registers ({@link CpuCore#ZERO} when absent), scale shift. */
    public final int base, index, scale;
    /** -1 for a RIP-relative memory operand, else 0 (ANDed with RIP). */
    public final long ripMask;
    public final long disp;
    /** The immediate, already masked to the operand size where the handler needs that; a shift count. */
    public final long imm;
    /** Condition code (Jcc, SETcc, CMOVcc; of the Jcc in a fused compare-and-branch). */
    public final int cc;
    /** A fused compare-and-branch's Jcc displacement (see {@link Specializer#fuse}); else 0. */
    public final long rel;

    Uop(int h, Insn insn, int seq, int a, int b, long imm) {
        this.h = h;
        this.insn = insn;
        this.start = insn.start();
        this.end = insn.end();
        this.seq = seq;
        this.a = a;
        this.b = b;
        this.imm = imm;
        this.cc = insn.cond();
        this.disp = insn.disp();
        boolean rip = insn.base() == Insn.RIP;
        this.base = insn.base() < 0 || rip ? CpuCore.ZERO : insn.base();
        this.index = insn.index() < 0 ? CpuCore.ZERO : insn.index();
        this.scale = insn.scale();
        this.ripMask = rip ? -1L : 0;
        this.rel = 0;
    }

    /**
     * {@code first} and the Jcc after it as one uop: {@code first}'s operands, start and
     * sequence number (it is the only part that could fault), the Jcc's end, condition and
     * displacement.
     */
    Uop(int h, Uop first, Uop jcc) {
        this.h = h;
        this.insn = first.insn;
        this.start = first.start;
        this.end = jcc.end;
        this.seq = first.seq;
        this.a = first.a;
        this.b = first.b;
        this.imm = first.imm;
        this.cc = jcc.cc;
        this.disp = first.disp;
        this.base = first.base;
        this.index = first.index;
        this.scale = first.scale;
        this.ripMask = first.ripMask;
        this.rel = jcc.imm;
    }

    @Override
    public String toString() { return insn.op().mnemonic() + "/" + h + "@" + start; }
}
