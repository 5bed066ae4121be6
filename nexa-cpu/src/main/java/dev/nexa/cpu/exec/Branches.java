package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/**
 * Near control transfers (64-bit operand size; SDM Vol. 2A JMP/Jcc/CALL, 2B RET/LOOP).
 * On entry {@code c.rip} is the next instruction's address; a taken branch replaces it.
 */
final class Branches {
    private Branches() {}

    static void jmp(CpuCore c, Insn i) { c.rip += i.imm(); }

    static void jmpIndirect(CpuCore c, Insn i) { c.rip = c.read(i, i.o0(), 8); }

    static void jcc(CpuCore c, Insn i) {
        if (Flags.cond(c, i.cond())) c.rip += i.imm();
    }

    /** JRCXZ/JECXZ: the address size picks the counter width. */
    static void jrcxz(CpuCore c, Insn i) {
        if (c.reg(1, i.asize()) == 0) c.rip += i.imm();
    }

    /** LOOP/LOOPE/LOOPNE (kind 0, 1, 2): decrement rCX without touching flags. */
    static void loop(CpuCore c, Insn i, int kind) {
        int a = i.asize();
        long count = (c.reg(1, a) - 1) & Flags.mask(a);
        c.setReg(1, a, count);
        boolean take = count != 0;
        if (kind == 1) take &= Flags.cond(c, 4);
        else if (kind == 2) take &= Flags.cond(c, 5);
        if (take) c.rip += i.imm();
    }

    static void call(CpuCore c, Insn i) {
        c.push(c.rip, 8);
        c.rip += i.imm();
    }

    static void callIndirect(CpuCore c, Insn i) {
        long target = c.read(i, i.o0(), 8);
        c.push(c.rip, 8);
        c.rip = target;
    }

    /** RET and RET imm16 (the immediate releases that many more bytes of stack). */
    static void ret(CpuCore c, Insn i) {
        long target = c.load(c.r[4], 8);
        c.r[4] += 8 + (i.o0() == Insn.IMM ? i.imm() & 0xFFFF : 0);
        c.rip = target;
    }
}
