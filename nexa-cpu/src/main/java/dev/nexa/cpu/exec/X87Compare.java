package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.X87State.*;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.fpu.Ext80;
import dev.nexa.cpu.fpu.X87Arith;
import dev.nexa.cpu.fpu.X87Status;

/**
 * x87 comparisons (SDM Vol. 2A): FCOM/FCOMP/FCOMPP, FUCOM/FUCOMP/FUCOMPP, FICOM/FICOMP (C3 C2 C0),
 * FCOMI/FCOMIP/FUCOMI/FUCOMIP (ZF PF CF), FTST and FXAM. An empty operand is a stack underflow
 * whose masked response is "unordered".
 */
final class X87Compare {
    private X87Compare() {}

    private static final int UNORDERED = C3 | C2 | C0;

    /**
     * FCOM family: ST(0) against operand 1 (ST(i) or memory; FCOMPP/FUCOMPP have no operand and
     * use ST(1)), {@code pops} = 0, 1 or 2.
     */
    static void fcom(CpuCore c, Insn i, boolean unordered, boolean integer, int pops) {
        begin(c, i);
        Ext80 b;
        int loadFlags = 0;
        boolean bEmpty = false;
        if (i.o1() == Insn.MEM) {
            b = c.ft1;
            loadFlags = X87Arithmetic.memoryOperand(c, i, integer, b);
        } else {
            int s = i.o1() == Insn.NONE ? 1 : sti(i.o1());
            b = st(c, s);
            bEmpty = empty(c, s);
        }
        if (st(c, 0).isNaN()) loadFlags &= ~DE;     // as in X87Arithmetic.binary
        int flags;
        if (bEmpty || empty(c, 0)) {
            flags = IE | SF | UNORDERED;
        } else {                                    // even with DE unmasked C3 C2 C0 are set (host)
            flags = X87Arithmetic.merge(loadFlags, X87Arith.compare(st(c, 0), b, c.fcw, unordered));
        }
        if (record(c, flags, CC)) return;
        for (int k = 0; k < pops; k++) pop(c);
    }

    /**
     * FCOMI/FUCOMI (and the popping forms): ZF, PF, CF as C3, C2, C0 would be; OF, SF, AF cleared.
     * The SDM says C1 is cleared; the reference host leaves it unchanged (except for a stack
     * underflow, which clears it), and so does this.
     */
    static void fcomi(CpuCore c, Insn i, boolean unordered, boolean pop) {
        begin(c, i);
        int s = sti(i.o1());
        boolean underflow = empty(c, 0) || empty(c, s);
        int flags = underflow ? IE | SF | UNORDERED : X87Arith.compare(st(c, 0), st(c, s), c.fcw, unordered);
        // RFLAGS get the result even when IE or DE is unmasked (host); then there is no pop
        boolean suppressed = record(c, flags & ~CC, underflow ? C1 : 0);
        long rf = c.rflags() & ~Flags.ARITH;
        c.setRflags(rf | X87Status.toEflags(flags));
        if (pop && !suppressed) pop(c);
    }

    /** FTST: ST(0) against +0.0. */
    static void ftst(CpuCore c, Insn i) {
        begin(c, i);
        int flags = empty(c, 0) ? IE | SF | UNORDERED : X87Arith.test(st(c, 0), c.fcw);
        record(c, flags, CC);
    }

    /** FXAM: the class of ST(0) in C3 C2 C0, its sign in C1; empty is 101 (SDM Vol. 2A Table 3-42). */
    static void fxam(CpuCore c, Insn i) {
        begin(c, i);
        Ext80 x = st(c, 0);
        int flags = empty(c, 0) ? C3 | C0 | (x.sign() ? C1 : 0) : X87Arith.examine(x);
        record(c, flags, CC);
    }
}
