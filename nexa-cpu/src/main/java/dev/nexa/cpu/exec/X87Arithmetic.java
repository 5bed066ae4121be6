package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.X87State.*;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.fpu.Ext80;
import dev.nexa.cpu.fpu.X87Arith;
import dev.nexa.cpu.fpu.X87Convert;
import dev.nexa.cpu.fpu.X87Transcendental;
import dev.nexa.cpu.fpu.host.HostX87;

/**
 * x87 arithmetic (SDM Vol. 2A): FADD/FSUB/FSUBR/FMUL/FDIV/FDIVR with their pop and integer
 * forms, the one-operand functions on ST(0), FSCALE, FPREM/FPREM1, FXTRACT and the
 * transcendentals. The numerics are {@link dev.nexa.cpu.fpu}'s; this class does the register
 * stack: empty operands (stack underflow, masked response = the real indefinite in the
 * destination), pops, C1, and nothing changed after an unmasked pre-computation exception.
 *
 * <p>The transcendentals run on the host's FPU ({@link HostX87}) when it is an x86-64 one, since
 * they must match it bit for bit and its algorithm is undocumented; else (or with
 * {@code -Dnexa.x87.soft=true}) in software ({@link X87Transcendental}). Both return the same
 * flags for the same bookkeeping here.
 */
final class X87Arithmetic {
    private X87Arithmetic() {}

    /** Constant after class initialisation, so the JIT folds the choice away. */
    private static final boolean HOST = HostX87.ENABLED;

    static final int ADD = 0, MUL = 1, SUB = 2, SUBR = 3, DIV = 4, DIVR = 5;

    /**
     * dst = dst op src. Operand 0 is the destination register; operand 1 is ST(i) or a memory
     * operand (m32fp/m64fp, or m16int/m32int when {@code integer}).
     */
    static void binary(CpuCore c, Insn i, int op, boolean integer, boolean pop) {
        begin(c, i);
        int d = sti(i.o0());
        Ext80 src;
        int loadFlags = 0;
        boolean srcEmpty = false;
        if (i.o1() == Insn.MEM) {
            src = c.ft1;
            loadFlags = memoryOperand(c, i, integer, src);
        } else {
            int s = sti(i.o1());
            src = st(c, s);
            srcEmpty = empty(c, s);
        }
        if (srcEmpty || empty(c, d)) {
            emptyOperand(c, d, pop);
            return;
        }
        Ext80 dst = st(c, d);
        if (dst.isNaN()) loadFlags &= ~DE;      // a NaN register operand: no DE for the memory one (host)
        if ((loadFlags & ~c.fcw & DE) != 0) {
            unmaskedDenormalSource(c, op, dst, src, loadFlags);
            return;
        }
        if (record(c, merge(loadFlags, compute(op, dst, src, dst, c.fcw)), C1)) return;
        if (pop) pop(c);
    }

    private static int compute(int op, Ext80 dst, Ext80 src, Ext80 out, int fcw) {
        return switch (op) {
            case ADD -> X87Arith.add(dst, src, out, fcw);
            case MUL -> X87Arith.mul(dst, src, out, fcw);
            case SUB -> X87Arith.sub(dst, src, out, fcw);
            case SUBR -> X87Arith.sub(src, dst, out, fcw);
            case DIV -> X87Arith.div(dst, src, out, fcw);
            default -> X87Arith.div(src, dst, out, fcw);
        };
    }

    /**
     * A denormal memory operand with DE unmasked (memory forms never pop): the operation is still
     * evaluated, since its IE or ZE take precedence over DE (host). Otherwise DE alone is
     * reported and nothing written; with IE or ZE the operation completes as if DE were masked.
     */
    private static void unmaskedDenormalSource(CpuCore c, int op, Ext80 dst, Ext80 src, int loadFlags) {
        Ext80 out = c.ft2.set(dst);
        int flags = compute(op, dst, src, out, c.fcw);
        if ((flags & (IE | ZE)) == 0) record(c, loadFlags, C1);
        else if (!record(c, flags, C1)) dst.set(out);
    }

    /** Masked response to an empty operand: the real indefinite in the destination, then the pop. */
    private static void emptyOperand(CpuCore c, int d, boolean pop) {
        if (X87State.underflow(c)) {
            indefinite(c, d);
            if (pop) pop(c);
        }
    }

    /**
     * Reads a memory source operand into {@code v}: m32fp/m64fp (a signaling NaN is widened as it
     * is, so that the operation sees it and raises IE; a denormal raises DE here, since the
     * widened value is normal) or m16int/m32int. Returns the load's flags.
     */
    static int memoryOperand(CpuCore c, Insn i, boolean integer, Ext80 v) {
        long ea = operand(c, i);
        int size = i.ssize();
        long bits = c.load(ea, size);
        if (integer) {
            int shift = 64 - 8 * size;
            return X87Convert.fromInt(bits << shift >> shift, v);
        }
        if (size == 4) {
            if ((bits & 0x7F80_0000L) == 0x7F80_0000L && (bits & 0x7F_FFFFL) != 0) {
                v.set((int) (bits >>> 16 & 0x8000) | 0x7FFF, Ext80.INTEGER_BIT | (bits & 0x7F_FFFFL) << 40);
                return 0;
            }
            return X87Convert.fromFloat32((int) bits, v, c.fcw | DE);
        }
        if ((bits & 0x7FF0_0000_0000_0000L) == 0x7FF0_0000_0000_0000L && (bits & 0xF_FFFF_FFFF_FFFFL) != 0) {
            v.set((int) (bits >>> 48 & 0x8000) | 0x7FFF, Ext80.INTEGER_BIT | (bits & 0xF_FFFF_FFFF_FFFFL) << 11);
            return 0;
        }
        return X87Convert.fromFloat64(bits, v, c.fcw | DE);
    }

    /** A load's DE is not reported together with the operation's IE or ZE (as the host does). */
    static int merge(int loadFlags, int flags) {
        return (flags & (IE | ZE)) != 0 ? flags : flags | loadFlags;
    }

    // ---- one operand: ST(0) ------------------------------------------------------------------

    static final int CHS = 0, ABS = 1, SQRT = 2, RNDINT = 3, F2XM1 = 4, SIN = 5, COS = 6;

    /** FCHS, FABS, FSQRT, FRNDINT, F2XM1, FSIN, FCOS on ST(0). */
    static void unary(CpuCore c, Insn i, int op) {
        begin(c, i);
        if (empty(c, 0)) {
            // FSIN/FCOS also clear C2 ("out of range")
            if (!record(c, IE | SF, op >= SIN ? C1 | C2 : C1)) indefinite(c, 0);
            return;
        }
        Ext80 x = st(c, 0);
        int fcw = c.fcw;
        switch (op) {
            case CHS -> { x.negate(); record(c, 0, C1); }
            case ABS -> { x.abs(); record(c, 0, C1); }
            case SQRT -> record(c, X87Arith.sqrt(x, x, fcw), C1);
            case RNDINT -> record(c, X87Arith.roundToInteger(x, x, fcw), C1);
            case F2XM1 -> record(c, HOST ? HostX87.exp2m1(x, x, fcw) : X87Transcendental.exp2m1(x, x, fcw), C1);
            case SIN -> record(c, HOST ? HostX87.sin(x, x, fcw) : X87Transcendental.sin(x, x, fcw), C1 | C2);
            default -> record(c, HOST ? HostX87.cos(x, x, fcw) : X87Transcendental.cos(x, x, fcw), C1 | C2);
        }
    }

    // ---- two stack operands --------------------------------------------------------------------

    static final int SCALE = 0, PREM = 1, PREM1 = 2;

    /** FSCALE, FPREM, FPREM1: ST(0) = f(ST(0), ST(1)). */
    static void withSt1(CpuCore c, Insn i, int op) {
        begin(c, i);
        if (empty(c, 0) || empty(c, 1)) {
            // FPREM/FPREM1 also clear C2 ("reduction incomplete"), as the host does
            if (!record(c, IE | SF, op == SCALE ? C1 : C1 | C2)) indefinite(c, 0);
            return;
        }
        Ext80 x = st(c, 0), y = st(c, 1);
        int fcw = c.fcw;
        switch (op) {
            case SCALE -> record(c, X87Arith.scale(x, y, x, fcw), C1);
            case PREM -> remainder(c, X87Arith.remainder(x, y, x, fcw, false), x);
            default -> remainder(c, X87Arith.remainder(x, y, x, fcw, true), x);
        }
    }

    /**
     * FPREM/FPREM1 set C0-C3 from the quotient. An invalid operation, a NaN result or an
     * unmasked denormal operand clears C1 and C2 and leaves C0 and C3 as they were (host).
     */
    private static void remainder(CpuCore c, int flags, Ext80 result) {
        boolean noQuotient = (flags & IE) != 0 || (flags & ~c.fcw & DE) != 0 || result.isNaN();
        record(c, flags, noQuotient ? C1 | C2 : CC);
    }

    static final int PATAN = 0, YL2X = 1, YL2XP1 = 2;

    /** FPATAN, FYL2X, FYL2XP1: ST(1) = f(ST(1), ST(0)), then pop. */
    static void intoSt1(CpuCore c, Insn i, int op) {
        begin(c, i);
        if (empty(c, 0) || empty(c, 1)) {
            if (underflow(c)) {
                indefinite(c, 1);
                pop(c);
            }
            return;
        }
        Ext80 x = st(c, 0), y = st(c, 1);
        int fcw = c.fcw;
        int flags = switch (op) {
            case PATAN -> HOST ? HostX87.atan2(y, x, y, fcw) : X87Transcendental.atan2(y, x, y, fcw);
            case YL2X -> HOST ? HostX87.yl2x(x, y, y, fcw) : X87Transcendental.yl2x(x, y, y, fcw);
            default -> HOST ? HostX87.yl2xp1(x, y, y, fcw) : X87Transcendental.yl2xp1(x, y, y, fcw);
        };
        if (!record(c, flags, C1)) pop(c);
    }

    static final int XTRACT = 0, PTAN = 1, SINCOS = 2;

    /**
     * FXTRACT, FPTAN, FSINCOS: replace ST(0) and push a second result. An empty ST(0) is a stack
     * underflow, a full stack an overflow; either masked response leaves the real indefinite in
     * both. FPTAN/FSINCOS with |ST(0)| ≥ 2^63 set C2 and change nothing else.
     */
    static void pushing(CpuCore c, Insn i, int op) {
        begin(c, i);
        if (empty(c, 0) || full(c)) {
            int fault = empty(c, 0) ? IE | SF : IE | SF | C1;
            if (!record(c, fault, op == XTRACT ? C1 : C1 | C2)) {
                indefinite(c, 0);
                X87Loads.pushIndefinite(c);
            }
            return;
        }
        Ext80 x = st(c, 0), first = c.ft0, second = c.ft1;
        int fcw = c.fcw;
        int flags;
        int cc = C1;
        switch (op) {
            case XTRACT -> flags = X87Arith.extract(x, first, second, fcw);
            case PTAN -> {
                flags = HOST ? HostX87.tan(x, first, second, fcw) : X87Transcendental.tan(x, first, second, fcw);
                cc = C1 | C2;
            }
            default -> {
                flags = HOST ? HostX87.sincos(x, first, second, fcw)
                        : X87Transcendental.sincos(x, first, second, fcw);
                cc = C1 | C2;
            }
        }
        if (record(c, flags, cc) || (flags & C2) != 0) return;
        x.set(first);
        push(c);
        st(c, 0).set(second);
    }
}
