package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.Sse.x;

import dev.nexa.cpu.decode.Insn;

/** Integer SIMD and logic handlers, MMX and XMM forms (SDM Vol. 2 per instruction). */
final class SseInt {
    private SseInt() {}

    /** An element-wise operation ({@link SimdInt} kind) on mm, mm/m64 or xmm, xmm/m128. */
    static void binary(CpuCore c, Insn i, int k) {
        if (Sse.isMmx(i.o0())) {
            long b = Sse.mmxSrc(c, i);
            int d = Sse.mm(i.o0());
            Sse.setMmx(c, i.o0(), SimdInt.op(k, c.mmx.get(d), b));
            return;
        }
        long a = Sse.addr(c, i, true);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        int d = x(i.o0());
        c.xmm[d] = SimdInt.op(k, c.xmm[d], lo);
        c.xmm[d + 1] = SimdInt.op(k, c.xmm[d + 1], hi);
    }

    /** PHADDxx and PHSUBxx: pairs of the destination, then pairs of the source. */
    static void horizontal(CpuCore c, Insn i, int k) {
        if (Sse.isMmx(i.o0())) {
            long b = Sse.mmxSrc(c, i);
            Sse.setMmx(c, i.o0(), SimdInt.horizontal(k, c.mmx.get(Sse.mm(i.o0())), b));
            return;
        }
        long a = Sse.addr(c, i, true);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        int d = x(i.o0());
        c.xmm[d] = SimdInt.horizontal(k, c.xmm[d], c.xmm[d + 1]);
        c.xmm[d + 1] = SimdInt.horizontal(k, lo, hi);
    }

    /**
     * PSLL/PSRL/PSRA: by an immediate (groups 12-14, operand 1 is the immediate) or by the low
     * 64 bits of the source operand (an aligned m128 for the XMM form).
     */
    static void shift(CpuCore c, Insn i, int kind, int w) {
        int d = i.o0();
        long count;
        if (i.o1() == Insn.IMM) count = Sse.imm8(i);
        else if (Sse.isMmx(d)) count = Sse.mmxSrc(c, i);
        else count = Sse.lo(c, i, Sse.addr(c, i, true));
        if (Sse.isMmx(d)) {
            Sse.setMmx(c, d, SimdInt.shift(kind, w, c.mmx.get(Sse.mm(d)), count));
            return;
        }
        int k = x(d);
        c.xmm[k] = SimdInt.shift(kind, w, c.xmm[k], count);
        c.xmm[k + 1] = SimdInt.shift(kind, w, c.xmm[k + 1], count);
    }

    /** PSLLDQ/PSRLDQ: the whole register shifted by imm8 bytes (16 or more: zero). */
    static void shiftBytes(CpuCore c, Insn i, boolean left) {
        int n = Sse.imm8(i);
        int k = x(i.o0());
        long lo = c.xmm[k], hi = c.xmm[k + 1];
        if (n > 15) {
            lo = hi = 0;
        } else if (n >= 8) {
            int s = 8 * (n - 8);
            if (left) { hi = lo << s; lo = 0; } else { lo = hi >>> s; hi = 0; }
        } else if (n > 0) {
            int s = 8 * n;
            if (left) { hi = hi << s | lo >>> (64 - s); lo <<= s; }
            else { lo = lo >>> s | hi << (64 - s); hi >>>= s; }
        }
        c.xmm[k] = lo;
        c.xmm[k + 1] = hi;
    }

    /** PHMINPOSUW: the smallest unsigned word (lowest index on ties) and its index. */
    static void phminposuw(CpuCore c, Insn i) {
        long a = Sse.addr(c, i, true);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        int min = 0x10000, at = 0;
        for (int k = 0; k < 8; k++) {
            int w = (int) ((k < 4 ? lo : hi) >>> (16 * (k & 3))) & 0xFFFF;
            if (w < min) { min = w; at = k; }
        }
        Sse.set(c, i.o0(), min | (long) at << 16, 0);
    }

    /** PTEST: ZF = (dest AND src) == 0, CF = (NOT dest AND src) == 0, other flags cleared. */
    static void ptest(CpuCore c, Insn i) {
        long a = Sse.addr(c, i, true);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        int d = x(i.o0());
        long dlo = c.xmm[d], dhi = c.xmm[d + 1];
        long f = ((dlo & lo) | (dhi & hi)) == 0 ? Flags.ZF : 0;
        if (((~dlo & lo) | (~dhi & hi)) == 0) f |= Flags.CF;
        setArithFlags(c, f);
    }

    /** Sets the six arithmetic flags to exactly {@code f}. */
    static void setArithFlags(CpuCore c, long f) {
        c.ccOp = Flags.EFLAGS;
        c.ccSrc = f;
    }

    /**
     * MPSADBW: eight sums of absolute differences between 4-byte windows of the destination
     * (starting at byte imm8[2]*4 + k) and the source dword imm8[1:0].
     */
    static void mpsadbw(CpuCore c, Insn i) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int m = Sse.imm8(i), d = x(i.o0());
        long dlo = c.xmm[d], dhi = c.xmm[d + 1];
        long src = SseShuffle.dword(slo, shi, m & 3);
        int off = (m >> 2 & 1) * 4;
        long lo = 0, hi = 0;
        for (int k = 0; k < 8; k++) {
            int sum = 0;
            for (int j = 0; j < 4; j++) {
                int b = off + k + j;
                int db = (int) ((b < 8 ? dlo : dhi) >>> (8 * (b & 7))) & 0xFF;
                sum += Math.abs(db - ((int) (src >>> (8 * j)) & 0xFF));
            }
            if (k < 4) lo |= (long) sum << (16 * k);
            else hi |= (long) sum << (16 * (k - 4));
        }
        c.xmm[d] = lo;
        c.xmm[d + 1] = hi;
    }

    /** PCLMULQDQ: carry-less product of the quadwords chosen by imm8[0] (destination) and imm8[4] (source). */
    static void pclmulqdq(CpuCore c, Insn i) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int m = Sse.imm8(i), d = x(i.o0());
        long p = (m & 1) != 0 ? c.xmm[d + 1] : c.xmm[d];
        long q = (m & 0x10) != 0 ? shi : slo;
        long lo = 0, hi = 0;
        for (int k = 0; k < 64; k++) {
            if ((q >>> k & 1) != 0) {
                lo ^= p << k;
                if (k > 0) hi ^= p >>> (64 - k);
            }
        }
        c.xmm[d] = lo;
        c.xmm[d + 1] = hi;
    }
}
