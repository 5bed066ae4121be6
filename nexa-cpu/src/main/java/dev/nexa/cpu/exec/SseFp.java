package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.Sse.x;

import dev.nexa.cpu.decode.Insn;

/**
 * SSE floating-point arithmetic handlers: packed and scalar single/double operations, the SSE3
 * horizontal and alternating forms, DPPS/DPPD, compares, ROUND*, RCPxx and RSQRTxx. Every handler
 * computes all elements, then {@link Mxcsr#commit}s the flags (which may raise #XM), and only
 * then writes the destination.
 */
final class SseFp {
    private SseFp() {}

    static final int ADD = 0, SUB = 1, MUL = 2, DIV = 3, MIN = 4, MAX = 5, SQRT = 6;

    static int op32(CpuCore c, int k, int a, int b) {
        return switch (k) {
            case ADD -> Fp32.add(c, a, b);
            case SUB -> Fp32.sub(c, a, b);
            case MUL -> Fp32.mul(c, a, b);
            case DIV -> Fp32.div(c, a, b);
            case MIN -> Fp32.minMax(c, a, b, false);
            case MAX -> Fp32.minMax(c, a, b, true);
            default -> Fp32.sqrt(c, b);
        };
    }

    static long op64(CpuCore c, int k, long a, long b) {
        return switch (k) {
            case ADD -> Fp64.add(c, a, b);
            case SUB -> Fp64.sub(c, a, b);
            case MUL -> Fp64.mul(c, a, b);
            case DIV -> Fp64.div(c, a, b);
            case MIN -> Fp64.minMax(c, a, b, false);
            case MAX -> Fp64.minMax(c, a, b, true);
            default -> Fp64.sqrt(c, b);
        };
    }

    /** Two single-precision lanes of a quadword. */
    private static long op32x2(CpuCore c, int k, long a, long b) {
        int lo = op32(c, k, (int) a, (int) b);
        int hi = op32(c, k, (int) (a >>> 32), (int) (b >>> 32));
        return SseShuffle.pair(lo, hi);
    }

    /** ADDPS/ADDPD/SUB, MUL, DIV, MIN, MAX and SQRT PS/SQRTPD. */
    static void packed(CpuCore c, Insn i, int k, boolean dbl) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int d = x(i.o0());
        long lo, hi;
        if (dbl) {
            lo = op64(c, k, c.xmm[d], slo);
            hi = op64(c, k, c.xmm[d + 1], shi);
        } else {
            lo = op32x2(c, k, c.xmm[d], slo);
            hi = op32x2(c, k, c.xmm[d + 1], shi);
        }
        Mxcsr.commit(c);
        c.xmm[d] = lo;
        c.xmm[d + 1] = hi;
    }

    /** The scalar forms: the low element only, the rest of the destination unchanged. */
    static void scalar(CpuCore c, Insn i, int k, boolean dbl) {
        int d = x(i.o0());
        if (dbl) {
            long b = Sse.low(c, i, i.o1(), 8);
            long r = op64(c, k, c.xmm[d], b);
            Mxcsr.commit(c);
            c.xmm[d] = r;
        } else {
            int b = (int) Sse.low(c, i, i.o1(), 4);
            int r = op32(c, k, (int) c.xmm[d], b);
            Mxcsr.commit(c);
            c.xmm[d] = c.xmm[d] & 0xFFFF_FFFF_0000_0000L | r & 0xFFFF_FFFFL;
        }
    }

    /** ADDSUBPS/ADDSUBPD: subtract in the even elements, add in the odd ones. */
    static void addsub(CpuCore c, Insn i, boolean dbl) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int d = x(i.o0());
        long dlo = c.xmm[d], dhi = c.xmm[d + 1], lo, hi;
        if (dbl) {
            lo = Fp64.sub(c, dlo, slo);
            hi = Fp64.add(c, dhi, shi);
        } else {
            lo = SseShuffle.pair(Fp32.sub(c, (int) dlo, (int) slo), Fp32.add(c, (int) (dlo >>> 32), (int) (slo >>> 32)));
            hi = SseShuffle.pair(Fp32.sub(c, (int) dhi, (int) shi), Fp32.add(c, (int) (dhi >>> 32), (int) (shi >>> 32)));
        }
        Mxcsr.commit(c);
        c.xmm[d] = lo;
        c.xmm[d + 1] = hi;
    }

    /** HADDPS/HSUBPS/HADDPD/HSUBPD: adjacent pairs of the destination, then of the source. */
    static void horizontal(CpuCore c, Insn i, boolean sub, boolean dbl) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int d = x(i.o0());
        long dlo = c.xmm[d], dhi = c.xmm[d + 1], lo, hi;
        int k = sub ? SUB : ADD;
        if (dbl) {
            lo = op64(c, k, dlo, dhi);
            hi = op64(c, k, slo, shi);
        } else {
            lo = SseShuffle.pair(op32(c, k, (int) dlo, (int) (dlo >>> 32)), op32(c, k, (int) dhi, (int) (dhi >>> 32)));
            hi = SseShuffle.pair(op32(c, k, (int) slo, (int) (slo >>> 32)), op32(c, k, (int) shi, (int) (shi >>> 32)));
        }
        Mxcsr.commit(c);
        c.xmm[d] = lo;
        c.xmm[d + 1] = hi;
    }

    /**
     * DPPS: products of the elements selected by imm8[7:4] (others +0.0, and not computed, so
     * they raise nothing), summed as (p0 + p1) + (p2 + p3) with each step rounded, and the sum
     * written to the elements selected by imm8[3:0] (others zero) (SDM Vol. 2A DPPS).
     */
    static void dpps(CpuCore c, Insn i) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int d = x(i.o0()), m = Sse.imm8(i);
        long dlo = c.xmm[d], dhi = c.xmm[d + 1];
        int p0 = (m & 0x10) != 0 ? Fp32.mul(c, (int) dlo, (int) slo) : 0;
        int p1 = (m & 0x20) != 0 ? Fp32.mul(c, (int) (dlo >>> 32), (int) (slo >>> 32)) : 0;
        int p2 = (m & 0x40) != 0 ? Fp32.mul(c, (int) dhi, (int) shi) : 0;
        int p3 = (m & 0x80) != 0 ? Fp32.mul(c, (int) (dhi >>> 32), (int) (shi >>> 32)) : 0;
        int t2 = Fp32.add(c, p0, p1), t3 = Fp32.add(c, p2, p3);
        long s = Fp32.add(c, t2, t3) & 0xFFFF_FFFFL;
        Mxcsr.commit(c);
        long both = s | s << 32;
        c.xmm[d] = both & SseShuffle.elementMask(m, 4, 0);
        c.xmm[d + 1] = both & SseShuffle.elementMask(m, 4, 2);
    }

    static void dppd(CpuCore c, Insn i) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int d = x(i.o0()), m = Sse.imm8(i);
        long p0 = (m & 0x10) != 0 ? Fp64.mul(c, c.xmm[d], slo) : 0;
        long p1 = (m & 0x20) != 0 ? Fp64.mul(c, c.xmm[d + 1], shi) : 0;
        long s = Fp64.add(c, p0, p1);
        Mxcsr.commit(c);
        c.xmm[d] = (m & 1) != 0 ? s : 0;
        c.xmm[d + 1] = (m & 2) != 0 ? s : 0;
    }

    // ---- compares ------------------------------------------------------------------------------

    /** CMPPS/CMPPD: all ones where predicate imm8[2:0] holds (legacy SSE uses only 3 bits). */
    static void cmpPacked(CpuCore c, Insn i, boolean dbl) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int d = x(i.o0()), p = Sse.imm8(i) & 7;
        long dlo = c.xmm[d], dhi = c.xmm[d + 1], lo, hi;
        if (dbl) {
            lo = Fp64.compare(c, dlo, slo, p) ? -1L : 0;
            hi = Fp64.compare(c, dhi, shi, p) ? -1L : 0;
        } else {
            lo = cmp32x2(c, dlo, slo, p);
            hi = cmp32x2(c, dhi, shi, p);
        }
        Mxcsr.commit(c);
        c.xmm[d] = lo;
        c.xmm[d + 1] = hi;
    }

    private static long cmp32x2(CpuCore c, long a, long b, int p) {
        long lo = Fp32.compare(c, (int) a, (int) b, p) ? 0xFFFF_FFFFL : 0;
        long hi = Fp32.compare(c, (int) (a >>> 32), (int) (b >>> 32), p) ? 0xFFFF_FFFF_0000_0000L : 0;
        return lo | hi;
    }

    static void cmpScalar(CpuCore c, Insn i, boolean dbl) {
        int d = x(i.o0()), p = Sse.imm8(i) & 7;
        if (dbl) {
            long b = Sse.low(c, i, i.o1(), 8);
            boolean r = Fp64.compare(c, c.xmm[d], b, p);
            Mxcsr.commit(c);
            c.xmm[d] = r ? -1L : 0;
        } else {
            int b = (int) Sse.low(c, i, i.o1(), 4);
            boolean r = Fp32.compare(c, (int) c.xmm[d], b, p);
            Mxcsr.commit(c);
            c.xmm[d] = c.xmm[d] & 0xFFFF_FFFF_0000_0000L | (r ? 0xFFFF_FFFFL : 0);
        }
    }

    /** COMISS/COMISD ({@code signalQuiet}) and UCOMISS/UCOMISD: ZF, PF, CF; OF, SF, AF cleared. */
    static void comi(CpuCore c, Insn i, boolean dbl, boolean signalQuiet) {
        int d = x(i.o0());
        long f;
        if (dbl) f = Fp64.comi(c, c.xmm[d], Sse.low(c, i, i.o1(), 8), signalQuiet);
        else f = Fp32.comi(c, (int) c.xmm[d], (int) Sse.low(c, i, i.o1(), 4), signalQuiet);
        Mxcsr.commit(c);
        SseInt.setArithFlags(c, f);
    }

    // ---- ROUNDPS/PD/SS/SD -----------------------------------------------------------------------

    /** The rounding mode of imm8: bits 1:0, or MXCSR.RC when bit 2 is set. */
    private static int roundMode(CpuCore c, int imm) {
        return (imm & 4) != 0 ? Mxcsr.rc(c.mxcsr) : imm & 3;
    }

    /**
     * One element rounded to an integral value: SNaNs quieted with IE, no DE (DAZ applies), PE
     * when inexact unless imm8[3] suppresses it (SDM Vol. 2B ROUNDPS).
     */
    static int round32(CpuCore c, int a, int imm) {
        if (Fp32.special(a)) {
            if (Fp32.isNaN(a)) return Fp32.nan(c, a);
            a = Fp32.daz(a, c.mxcsr);
        }
        double v = Fp32.d(a), r = FpConvert.integral(v, roundMode(c, imm));
        if (r != v && (imm & 8) == 0) c.simdFlags |= Mxcsr.PE;
        return Float.floatToRawIntBits((float) r);
    }

    static long round64(CpuCore c, long a, int imm) {
        if (Fp64.special(a)) {
            if (Fp64.isNaN(a)) return Fp64.nan(c, a);
            a = Fp64.daz(a, c.mxcsr);
        }
        double v = Fp64.d(a), r = FpConvert.integral(v, roundMode(c, imm));
        if (r != v && (imm & 8) == 0) c.simdFlags |= Mxcsr.PE;
        return Double.doubleToRawLongBits(r);
    }

    static void roundPacked(CpuCore c, Insn i, boolean dbl) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int imm = Sse.imm8(i);
        long lo, hi;
        if (dbl) {
            lo = round64(c, slo, imm);
            hi = round64(c, shi, imm);
        } else {
            lo = SseShuffle.pair(round32(c, (int) slo, imm), round32(c, (int) (slo >>> 32), imm));
            hi = SseShuffle.pair(round32(c, (int) shi, imm), round32(c, (int) (shi >>> 32), imm));
        }
        Mxcsr.commit(c);
        Sse.set(c, i.o0(), lo, hi);
    }

    static void roundScalar(CpuCore c, Insn i, boolean dbl) {
        int d = x(i.o0()), imm = Sse.imm8(i);
        if (dbl) {
            long r = round64(c, Sse.low(c, i, i.o1(), 8), imm);
            Mxcsr.commit(c);
            c.xmm[d] = r;
        } else {
            int r = round32(c, (int) Sse.low(c, i, i.o1(), 4), imm);
            Mxcsr.commit(c);
            c.xmm[d] = c.xmm[d] & 0xFFFF_FFFF_0000_0000L | r & 0xFFFF_FFFFL;
        }
    }

    // ---- RCPPS/RCPSS/RSQRTPS/RSQRTSS ------------------------------------------------------------

    static void approxPacked(CpuCore c, Insn i, boolean sqrt) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        long lo = SseShuffle.pair(Approx.of((int) slo, sqrt), Approx.of((int) (slo >>> 32), sqrt));
        long hi = SseShuffle.pair(Approx.of((int) shi, sqrt), Approx.of((int) (shi >>> 32), sqrt));
        Sse.set(c, i.o0(), lo, hi);
    }

    static void approxScalar(CpuCore c, Insn i, boolean sqrt) {
        int d = x(i.o0());
        int r = Approx.of((int) Sse.low(c, i, i.o1(), 4), sqrt);
        c.xmm[d] = c.xmm[d] & 0xFFFF_FFFF_0000_0000L | r & 0xFFFF_FFFFL;
    }
}
