package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.X87State.*;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.fpu.Ext80;
import dev.nexa.cpu.fpu.MemoryValue;
import dev.nexa.cpu.fpu.X87Constants;
import dev.nexa.cpu.fpu.X87Convert;

/**
 * x87 data movement (SDM Vol. 2A): FLD/FILD/FBLD and the constants (push), FST/FSTP/FIST/
 * FISTP/FISTTP/FBSTP, FXCH, FFREE/FFREEP and FCMOVcc. Memory is read (and stores written)
 * before the register stack changes, so a page fault leaves the x87 state as it was.
 */
final class X87Loads {
    private X87Loads() {}

    // ---- loads -------------------------------------------------------------------------------

    /** FLD m32fp / m64fp / m80fp / ST(i). */
    static void fld(CpuCore c, Insn i) {
        begin(c, i);
        Ext80 v = c.ft0;
        if (i.o0() != Insn.MEM) {
            fldRegister(c, sti(i.o0()));
            return;
        }
        long ea = operand(c, i);
        // A denormal source is loaded even when DE is unmasked (host); only IE stops the push.
        int flags = switch (i.size()) {
            case 4 -> X87Convert.fromFloat32((int) c.load(ea, 4), v, c.fcw | DE);
            case 8 -> X87Convert.fromFloat64(c.load(ea, 8), v, c.fcw | DE);
            default -> X87Convert.fromMemory80(c.load(ea, 8), (int) c.load(ea + 8, 2), v);
        };
        pushValue(c, v, flags);
    }

    /** FLD ST(i): an empty source (underflow) is reported before a full stack (overflow), as on the host. */
    private static void fldRegister(CpuCore c, int k) {
        if (empty(c, k)) {
            if (underflow(c)) pushIndefinite(c);
            return;
        }
        Ext80 v = c.ft0.set(st(c, k));
        if (full(c)) {
            if (overflow(c)) pushIndefinite(c);
            return;
        }
        record(c, 0, C1);
        push(c);
        st(c, 0).set(v);
    }

    /** FILD m16int / m32int / m64int: exact. */
    static void fild(CpuCore c, Insn i) {
        begin(c, i);
        long ea = operand(c, i);
        int size = i.size();
        int shift = 64 - 8 * size;
        long v = c.load(ea, size) << shift >> shift;
        X87Convert.fromInt(v, c.ft0);
        pushValue(c, c.ft0, 0);
    }

    /** FBLD m80bcd. */
    static void fbld(CpuCore c, Insn i) {
        begin(c, i);
        long ea = operand(c, i);
        X87Convert.fromBcd(c.load(ea, 8), (int) c.load(ea + 8, 2), c.ft0);
        pushValue(c, c.ft0, 0);
    }

    /** FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2, FLDZ: rounded per RC. */
    static void constant(CpuCore c, Insn i, X87Constants k) {
        begin(c, i);
        k.load(c.fcw, c.ft0);
        pushValue(c, c.ft0, 0);
    }

    /**
     * Pushes a loaded value: stack overflow first (SDM Vol. 1 §8.5.1.1; masked response: push
     * the real indefinite), then the load's own exceptions (an unmasked one pushes nothing).
     * C1 = 1 on overflow, else 0.
     */
    private static void pushValue(CpuCore c, Ext80 v, int flags) {
        if (full(c)) {
            if (overflow(c)) pushIndefinite(c);
            return;
        }
        if (record(c, flags, C1) && (flags & ~c.fcw & IE) != 0) return;
        push(c);
        st(c, 0).set(v);
    }

    static void pushIndefinite(CpuCore c) {
        push(c);
        st(c, 0).setIndefinite();
    }

    // ---- stores ------------------------------------------------------------------------------

    /** FST/FSTP m32fp / m64fp / m80fp / ST(i). */
    static void fst(CpuCore c, Insn i, boolean pop) {
        begin(c, i);
        if (i.o0() != Insn.MEM) {
            fstRegister(c, sti(i.o0()), pop);
            return;
        }
        long ea = operand(c, i);
        int size = i.size();
        MemoryValue m = c.fmem;
        Ext80 src = source(c);
        int flags = src == c.ft0 ? IE | SF : 0;
        flags |= switch (size) {
            case 4 -> X87Convert.toFloat32(src, c.fcw, m);
            case 8 -> X87Convert.toFloat64(src, c.fcw, m);
            default -> X87Convert.toMemory80(src, m);
        };
        finishStore(c, ea, size, flags, pop);
    }

    /** FIST/FISTP m16int / m32int / m64int (per RC) and FISTTP (truncating, SSE3). */
    static void fist(CpuCore c, Insn i, boolean pop, boolean truncate) {
        begin(c, i);
        long ea = operand(c, i);
        int size = i.size();
        Ext80 src = source(c);
        int flags = src == c.ft0 ? IE | SF : 0;
        flags |= X87Convert.toInt(src, c.fcw, 8 * size, truncate, c.fmem);
        finishStore(c, ea, size, flags, pop);
    }

    /** FBSTP m80bcd. */
    static void fbstp(CpuCore c, Insn i) {
        begin(c, i);
        long ea = operand(c, i);
        Ext80 src = source(c);
        int flags = src == c.ft0 ? IE | SF : 0;
        flags |= X87Convert.toBcd(src, c.fcw, c.fmem);
        finishStore(c, ea, 10, flags, true);
    }

    /**
     * ST(0) as a store's source; when it is empty, the real indefinite in ft0, whose conversion
     * gives each format's indefinite (the masked stack-underflow response).
     */
    private static Ext80 source(CpuCore c) {
        return empty(c, 0) ? c.ft0.setIndefinite() : st(c, 0);
    }

    /**
     * Writes the converted value unless an unmasked exception forbids it, records the flags, pops.
     * A store suppressed by an unmasked overflow or underflow reports no PE or C1 (host).
     */
    private static void finishStore(CpuCore c, long ea, int size, int flags, boolean pop) {
        boolean suppressed = (flags & ~c.fcw & (IE | DE | ZE | OE | UE)) != 0;
        if (suppressed) {
            flags &= ~(PE | C1);
        } else {
            MemoryValue m = c.fmem;
            if (size == 10) {
                probeWrite(c, ea, 10);
                c.store(ea, 8, m.low());
                c.store(ea + 8, 2, m.high());
            } else {
                c.store(ea, size, m.low());
            }
        }
        record(c, flags, C1);
        if (pop && !suppressed) pop(c);
    }

    /**
     * FSTP1 (D9 D8+i, the undocumented alias of FSTP ST(i)): like FSTP ST(i), except that an
     * empty ST(0) is no stack underflow on the reference host: nothing is copied, ST(0) is popped
     * and C1 cleared.
     */
    static void fstp1(CpuCore c, Insn i) {
        begin(c, i);
        if (empty(c, 0)) {
            record(c, 0, C1);
            pop(c);
            return;
        }
        fstRegister(c, sti(i.o0()), true);
    }

    /** FST/FSTP ST(i): a plain copy, no exception for NaNs. */
    private static void fstRegister(CpuCore c, int k, boolean pop) {
        if (empty(c, 0)) {
            if (!underflow(c)) return;
            st(c, k).setIndefinite();
        } else {
            st(c, k).set(st(c, 0));
            record(c, 0, C1);
        }
        setValid(c, k);
        if (pop) pop(c);
    }

    // ---- register moves ----------------------------------------------------------------------

    /** FXCH ST(i): an empty operand is first replaced by the real indefinite (masked underflow). */
    static void fxch(CpuCore c, Insn i) {
        begin(c, i);
        int k = sti(i.o0());
        boolean e0 = empty(c, 0), ek = empty(c, k);
        if (e0 || ek) {
            if (!underflow(c)) return;
            if (e0) st(c, 0).setIndefinite();
            if (ek) st(c, k).setIndefinite();
            setValid(c, 0);
            setValid(c, k);
        } else {
            record(c, 0, C1);
        }
        Ext80 t = c.ft0.set(st(c, 0));
        st(c, 0).set(st(c, k));
        st(c, k).set(t);
    }

    /** FFREE ST(i) (and FFREEP, which then pops): tags the register empty; C1 is cleared (host). */
    static void ffree(CpuCore c, Insn i, boolean pop) {
        begin(c, i);
        record(c, 0, C1);
        setEmpty(c, sti(i.o0()));
        if (pop) pop(c);
    }

    /**
     * FCMOVcc ST(0), ST(i) (SDM Vol. 2A FCMOVcc): conditions B, E, BE, U and their negations on
     * CF, ZF, PF. An empty operand is a stack underflow whatever the condition; the masked
     * response writes the real indefinite to ST(0).
     */
    static void fcmov(CpuCore c, Insn i, int cc) {
        begin(c, i);
        int k = sti(i.o1());
        if (empty(c, 0) || empty(c, k)) {
            if (underflow(c)) indefinite(c, 0);
            return;
        }
        if (Flags.cond(c, cc)) st(c, 0).set(st(c, k));     // C1 unchanged (host; the SDM: undefined)
    }
}
