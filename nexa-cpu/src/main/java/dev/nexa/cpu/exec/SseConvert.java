package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.Sse.x;

import dev.nexa.cpu.decode.Insn;

/**
 * The CVT* conversions (SDM Vol. 2A): between packed/scalar single and double, 32/64-bit
 * integers in GPRs, MMX registers and XMM registers. Integer results that overflow (and NaNs)
 * become the integer indefinite, 0x80000000 or 0x8000000000000000, with IE.
 */
final class SseConvert {
    private SseConvert() {}

    private static final long LO32 = 0xFFFF_FFFFL;

    /** CVTPI2PS xmm, mm/m64: two dwords to two singles in the low quadword. */
    static void cvtpi2ps(CpuCore c, Insn i) {
        long v = Sse.mmxSrc(c, i);
        long r = SseShuffle.pair(Fp32.fromLong(c, (int) v), Fp32.fromLong(c, (int) (v >> 32)));
        Mxcsr.commit(c);
        mmxSourceTransition(c, i);
        c.xmm[x(i.o0())] = r;
    }

    /** CVTPI2PD xmm, mm/m64: exact. */
    static void cvtpi2pd(CpuCore c, Insn i) {
        long v = Sse.mmxSrc(c, i);
        mmxSourceTransition(c, i);
        Sse.set(c, i.o0(), Double.doubleToRawLongBits((int) v), Double.doubleToRawLongBits((int) (v >> 32)));
    }

    /** The register forms with an MMX source switch the x87 unit to MMX mode; the m64 forms do not. */
    private static void mmxSourceTransition(CpuCore c, Insn i) {
        if (Sse.isMmx(i.o1())) c.mmx.enter();
    }

    /** CVTSI2SS / CVTSI2SD xmm, r/m32 or r/m64: the low element, the rest unchanged. */
    static void cvtsi2s(CpuCore c, Insn i, boolean dbl) {
        long v = c.read(i, i.o1(), i.ssize());
        if (i.ssize() == 4) v = (int) v;
        int d = x(i.o0());
        if (dbl) {
            long r = i.ssize() == 4 ? Double.doubleToRawLongBits(v) : Fp64.fromLong(c, v);
            Mxcsr.commit(c);
            c.xmm[d] = r;
        } else {
            int r = Fp32.fromLong(c, v);
            Mxcsr.commit(c);
            c.xmm[d] = c.xmm[d] & ~LO32 | r & LO32;
        }
    }

    /** CVTPS2PI / CVTTPS2PI mm, xmm/m64. */
    static void cvtps2pi(CpuCore c, Insn i, boolean truncate) {
        long v = Sse.low(c, i, i.o1(), 8);
        long r = Fp32.toInt(c, (int) v, 32, truncate) | Fp32.toInt(c, (int) (v >>> 32), 32, truncate) << 32;
        Mxcsr.commit(c);
        Sse.setMmx(c, i.o0(), r);
    }

    /** CVTPD2PI / CVTTPD2PI mm, xmm/m128 (aligned). */
    static void cvtpd2pi(CpuCore c, Insn i, boolean truncate) {
        long a = Sse.addr(c, i, true);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        long r = Fp64.toInt(c, lo, 32, truncate) | Fp64.toInt(c, hi, 32, truncate) << 32;
        Mxcsr.commit(c);
        Sse.setMmx(c, i.o0(), r);
    }

    /** CVTSS2SI / CVTTSS2SI / CVTSD2SI / CVTTSD2SI r32/r64, xmm/m. */
    static void cvts2si(CpuCore c, Insn i, boolean dbl, boolean truncate) {
        int bits = i.size() * 8;
        long r = dbl ? Fp64.toInt(c, Sse.low(c, i, i.o1(), 8), bits, truncate)
                : Fp32.toInt(c, (int) Sse.low(c, i, i.o1(), 4), bits, truncate);
        Mxcsr.commit(c);
        c.setReg(i.o0(), i.size(), r);
    }

    /** CVTPS2PD xmm, xmm/m64: exact (IE for SNaNs, DE for denormals). */
    static void cvtps2pd(CpuCore c, Insn i) {
        long v = Sse.low(c, i, i.o1(), 8);
        long lo = Fp32.toDouble(c, (int) v), hi = Fp32.toDouble(c, (int) (v >>> 32));
        Mxcsr.commit(c);
        Sse.set(c, i.o0(), lo, hi);
    }

    /** CVTPD2PS xmm, xmm/m128: two singles in the low quadword, the high quadword zeroed. */
    static void cvtpd2ps(CpuCore c, Insn i) {
        long a = Sse.addr(c, i, true);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        long r = SseShuffle.pair(Fp64.toSingle(c, lo), Fp64.toSingle(c, hi));
        Mxcsr.commit(c);
        Sse.set(c, i.o0(), r, 0);
    }

    static void cvtss2sd(CpuCore c, Insn i) {
        long r = Fp32.toDouble(c, (int) Sse.low(c, i, i.o1(), 4));
        Mxcsr.commit(c);
        c.xmm[x(i.o0())] = r;
    }

    static void cvtsd2ss(CpuCore c, Insn i) {
        int r = Fp64.toSingle(c, Sse.low(c, i, i.o1(), 8));
        Mxcsr.commit(c);
        int d = x(i.o0());
        c.xmm[d] = c.xmm[d] & ~LO32 | r & LO32;
    }

    /** CVTDQ2PS xmm, xmm/m128. */
    static void cvtdq2ps(CpuCore c, Insn i) {
        long a = Sse.addr(c, i, true);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        long rlo = SseShuffle.pair(Fp32.fromLong(c, (int) lo), Fp32.fromLong(c, (int) (lo >> 32)));
        long rhi = SseShuffle.pair(Fp32.fromLong(c, (int) hi), Fp32.fromLong(c, (int) (hi >> 32)));
        Mxcsr.commit(c);
        Sse.set(c, i.o0(), rlo, rhi);
    }

    /** CVTPS2DQ / CVTTPS2DQ xmm, xmm/m128. */
    static void cvtps2dq(CpuCore c, Insn i, boolean truncate) {
        long a = Sse.addr(c, i, true);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        long rlo = Fp32.toInt(c, (int) lo, 32, truncate) | Fp32.toInt(c, (int) (lo >>> 32), 32, truncate) << 32;
        long rhi = Fp32.toInt(c, (int) hi, 32, truncate) | Fp32.toInt(c, (int) (hi >>> 32), 32, truncate) << 32;
        Mxcsr.commit(c);
        Sse.set(c, i.o0(), rlo, rhi);
    }

    /** CVTDQ2PD xmm, xmm/m64: exact. */
    static void cvtdq2pd(CpuCore c, Insn i) {
        long v = Sse.low(c, i, i.o1(), 8);
        Sse.set(c, i.o0(), Double.doubleToRawLongBits((int) v), Double.doubleToRawLongBits((int) (v >> 32)));
    }

    /** CVTPD2DQ / CVTTPD2DQ xmm, xmm/m128: two dwords in the low quadword, the high quadword zeroed. */
    static void cvtpd2dq(CpuCore c, Insn i, boolean truncate) {
        long a = Sse.addr(c, i, true);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        long r = Fp64.toInt(c, lo, 32, truncate) | Fp64.toInt(c, hi, 32, truncate) << 32;
        Mxcsr.commit(c);
        Sse.set(c, i.o0(), r, 0);
    }
}
