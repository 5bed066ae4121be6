package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.Sse.x;

import dev.nexa.cpu.decode.Insn;

/** Shuffles, unpacks, packs, blends, inserts and extracts (SDM Vol. 2 per instruction). */
final class SseShuffle {
    private SseShuffle() {}

    static long dword(long v, int k) { return (v >>> (32 * k)) & 0xFFFF_FFFFL; }

    /** Dword {@code k} (0-3) of the 128-bit value (lo, hi). */
    static long dword(long lo, long hi, int k) { return dword(k < 2 ? lo : hi, k & 1); }

    static long pair(long d0, long d1) { return d0 & 0xFFFF_FFFFL | d1 << 32; }

    /** SHUFPS: two dwords of the destination, then two of the source, chosen by imm8. */
    static void shufps(CpuCore c, Insn i) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int d = x(i.o0()), m = Sse.imm8(i);
        long dlo = c.xmm[d], dhi = c.xmm[d + 1];
        c.xmm[d] = pair(dword(dlo, dhi, m & 3), dword(dlo, dhi, m >> 2 & 3));
        c.xmm[d + 1] = pair(dword(slo, shi, m >> 4 & 3), dword(slo, shi, m >> 6 & 3));
    }

    static void shufpd(CpuCore c, Insn i) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int d = x(i.o0()), m = Sse.imm8(i);
        c.xmm[d] = (m & 1) != 0 ? c.xmm[d + 1] : c.xmm[d];
        c.xmm[d + 1] = (m & 2) != 0 ? shi : slo;
    }

    /** PSHUFD: each result dword picks a source dword by two bits of imm8. */
    static void pshufd(CpuCore c, Insn i) {
        long a = Sse.addr(c, i, true);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        int m = Sse.imm8(i);
        Sse.set(c, i.o0(), pair(dword(lo, hi, m & 3), dword(lo, hi, m >> 2 & 3)),
                pair(dword(lo, hi, m >> 4 & 3), dword(lo, hi, m >> 6 & 3)));
    }

    /** Four words of {@code v} permuted by imm8 (PSHUFW, and the halves of PSHUFHW/PSHUFLW). */
    static long shuffleWords(long v, int m) {
        long r = 0;
        for (int k = 0; k < 4; k++) r |= ((v >>> (16 * (m >> (2 * k) & 3))) & 0xFFFF) << (16 * k);
        return r;
    }

    static void pshufHalf(CpuCore c, Insn i, boolean high) {
        long a = Sse.addr(c, i, true);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        int m = Sse.imm8(i);
        if (high) hi = shuffleWords(hi, m);
        else lo = shuffleWords(lo, m);
        Sse.set(c, i.o0(), lo, hi);
    }

    static void pshufw(CpuCore c, Insn i) {
        long v = Sse.mmxSrc(c, i);
        Sse.setMmx(c, i.o0(), shuffleWords(v, Sse.imm8(i)));
    }

    /** PSHUFB: bytes of the destination picked by the source's bytes (top bit set: zero). */
    static void pshufb(CpuCore c, Insn i) {
        if (Sse.isMmx(i.o0())) {
            long s = Sse.mmxSrc(c, i);
            int d = Sse.mm(i.o0());
            long v = c.mmx.get(d), r = 0;
            for (int k = 0; k < 8; k++) {
                int sel = (int) (s >>> (8 * k)) & 0xFF;
                if (sel < 0x80) r |= ((v >>> (8 * (sel & 7))) & 0xFF) << (8 * k);
            }
            Sse.setMmx(c, i.o0(), r);
            return;
        }
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int d = x(i.o0());
        long dlo = c.xmm[d], dhi = c.xmm[d + 1];
        c.xmm[d] = pshufb8(dlo, dhi, slo);
        c.xmm[d + 1] = pshufb8(dlo, dhi, shi);
    }

    private static long pshufb8(long lo, long hi, long sel8) {
        long r = 0;
        for (int k = 0; k < 8; k++) {
            int sel = (int) (sel8 >>> (8 * k)) & 0xFF;
            if (sel < 0x80) r |= ((((sel & 8) == 0 ? lo : hi) >>> (8 * (sel & 7))) & 0xFF) << (8 * k);
        }
        return r;
    }

    /** PALIGNR: (destination:source) shifted right by imm8 bytes, low half kept. */
    static void palignr(CpuCore c, Insn i) {
        int n = Sse.imm8(i);
        if (Sse.isMmx(i.o0())) {
            long s = Sse.mmxSrc(c, i);
            long d = c.mmx.get(Sse.mm(i.o0()));
            Sse.setMmx(c, i.o0(), bytesAt(s, d, 0, 0, n) );
            return;
        }
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int d = x(i.o0());
        long dlo = c.xmm[d], dhi = c.xmm[d + 1];
        c.xmm[d] = bytesAt(slo, shi, dlo, dhi, n);
        c.xmm[d + 1] = bytesAt(slo, shi, dlo, dhi, n + 8);
    }

    /** The 8 bytes starting at byte {@code n} of the 32-byte value q3:q2:q1:q0 (zeros beyond). */
    private static long bytesAt(long q0, long q1, long q2, long q3, int n) {
        long r = 0;
        for (int k = 0; k < 8; k++) {
            int b = n + k;
            if (b >= 32) break;
            long q = switch (b >> 3) { case 0 -> q0; case 1 -> q1; case 2 -> q2; default -> q3; };
            r |= ((q >>> (8 * (b & 7))) & 0xFF) << (8 * k);
        }
        return r;
    }

    // ---- unpacks and packs ----------------------------------------------------------------------

    /** Interleaves the low 32 bits of x and y in elements of {@code w} bytes: x0 y0 x1 y1 ... */
    static long interleave(long x, long y, int w) {
        int bits = w * 8;
        long mask = (1L << bits) - 1;
        long r = 0;
        for (int k = 0; k < 4 / w; k++) {
            r |= ((x >>> (k * bits)) & mask) << (2 * k * bits);
            r |= ((y >>> (k * bits)) & mask) << ((2 * k + 1) * bits);
        }
        return r;
    }

    /**
     * PUNPCKL* / PUNPCKH* (and UNPCKLPS/PD, UNPCKHPS/PD) with elements of {@code w} bytes. The
     * MMX low unpacks read a 32-bit memory operand.
     */
    static void punpck(CpuCore c, Insn i, int w, boolean high) {
        if (Sse.isMmx(i.o0())) {
            long s = i.o1() == Insn.MEM ? c.load(c.ea(i), high ? 8 : 4) : c.mmx.get(Sse.mm(i.o1()));
            long d = c.mmx.get(Sse.mm(i.o0()));
            Sse.setMmx(c, i.o0(), high ? interleave(d >>> 32, s >>> 32, w) : interleave(d, s, w));
            return;
        }
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int d = x(i.o0());
        long x = high ? c.xmm[d + 1] : c.xmm[d], y = high ? shi : slo;
        if (w == 8) {
            c.xmm[d] = x;
            c.xmm[d + 1] = y;
        } else {
            c.xmm[d] = interleave(x, y, w);
            c.xmm[d + 1] = interleave(x >>> 32, y >>> 32, w);
        }
    }

    /** Kinds of pack: source element signed words/dwords, saturated to signed or unsigned. */
    static final int SSWB = 0, SSDW = 1, USWB = 2, USDW = 3;

    /** Packs the elements of x then y (each 64 bits) into 64 bits. */
    static long pack(long x, long y, int kind) {
        boolean words = kind == SSWB || kind == USWB;        // words to bytes, else dwords to words
        int inBits = words ? 16 : 32, outBits = inBits / 2, n = 64 / inBits;
        long lo = kind == SSWB ? -128 : kind == SSDW ? -32768 : 0;
        long hiLim = kind == SSWB ? 127 : kind == SSDW ? 32767 : kind == USWB ? 255 : 65535;
        long outMask = (1L << outBits) - 1;
        long r = 0;
        for (int k = 0; k < 2 * n; k++) {
            long src = k < n ? x : y;
            long e = (src >>> ((k % n) * inBits)) << (64 - inBits) >> (64 - inBits);
            e = Math.max(lo, Math.min(hiLim, e));
            r |= (e & outMask) << (k * outBits);
        }
        return r;
    }

    static void pack(CpuCore c, Insn i, int kind) {
        if (Sse.isMmx(i.o0())) {
            long s = Sse.mmxSrc(c, i);
            long d = c.mmx.get(Sse.mm(i.o0()));
            Sse.setMmx(c, i.o0(), pack(d, s, kind));
            return;
        }
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int d = x(i.o0());
        c.xmm[d] = pack(c.xmm[d], c.xmm[d + 1], kind);
        c.xmm[d + 1] = pack(slo, shi, kind);
    }

    // ---- blends ---------------------------------------------------------------------------------

    /** Replaces the destination's bits where {@code mlo/mhi} are set by the source's. */
    private static void blend(CpuCore c, int d, long slo, long shi, long mlo, long mhi) {
        c.xmm[d] = c.xmm[d] & ~mlo | slo & mlo;
        c.xmm[d + 1] = c.xmm[d + 1] & ~mhi | shi & mhi;
    }

    /** A mask with element {@code k} (of {@code w} bytes) set for each set bit k of {@code sel}. */
    static long elementMask(int sel, int w, int first) {
        long m = 0, e = w == 8 ? -1L : (1L << (8 * w)) - 1;
        for (int k = 0; k < 8 / w; k++) if ((sel >> (first + k) & 1) != 0) m |= e << (8 * w * k);
        return m;
    }

    /** BLENDPS (w 4), BLENDPD (w 8), PBLENDW (w 2): imm8 selects source elements. */
    static void blendImm(CpuCore c, Insn i, int w) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        int m = Sse.imm8(i), half = 8 / w;
        blend(c, x(i.o0()), slo, shi, elementMask(m, w, 0), elementMask(m, w, half));
    }

    /** BLENDVPS/BLENDVPD/PBLENDVB: the sign bits of XMM0's elements select source elements. */
    static void blendVar(CpuCore c, Insn i, int w) {
        long a = Sse.addr(c, i, true);
        long slo = Sse.lo(c, i, a), shi = Sse.hi(c, i, a);
        blend(c, x(i.o0()), slo, shi, signMask(c.xmm[0], w), signMask(c.xmm[1], w));
    }

    /** Each element of {@code w} bytes becomes all ones if its top bit is set. */
    static long signMask(long v, int w) {
        int bits = 8 * w;
        long m = 0, e = w == 8 ? -1L : (1L << bits) - 1;
        for (int k = 0; k < 64 / bits; k++) if ((v >>> (k * bits + bits - 1) & 1) != 0) m |= e << (k * bits);
        return m;
    }

    // ---- inserts and extracts -------------------------------------------------------------------

    /** INSERTPS: a dword (register: chosen by imm8[7:6]; memory: m32) to dword imm8[5:4], then zeroing by imm8[3:0]. */
    static void insertps(CpuCore c, Insn i) {
        int m = Sse.imm8(i);
        long v;
        if (i.o1() == Insn.MEM) {
            v = c.load(c.ea(i), 4);
        } else {
            int s = x(i.o1());
            v = dword(c.xmm[s], c.xmm[s + 1], m >> 6);
        }
        int d = x(i.o0());
        int to = m >> 4 & 3;
        long lo = c.xmm[d], hi = c.xmm[d + 1];
        long put = elementMask(1 << to, 4, 0), putHi = elementMask(1 << to, 4, 2);
        lo = lo & ~put | (v << 32 * (to & 1)) & put;
        hi = hi & ~putHi | (v << 32 * (to & 1)) & putHi;
        c.xmm[d] = lo & ~elementMask(m, 4, 0);
        c.xmm[d + 1] = hi & ~elementMask(m, 4, 2);
    }

    /** PINSRB (w 1), PINSRW (w 2), PINSRD/PINSRQ (w 4/8): an element from a GPR or memory. */
    static void pinsr(CpuCore c, Insn i, int w) {
        if (w == 4 && i.ssize() == 8) w = 8;
        long v = i.o1() == Insn.MEM ? c.load(c.ea(i), w) : c.reg(i.o1(), Math.min(w, 8));
        long e = w == 8 ? -1L : (1L << (8 * w)) - 1;
        v &= e;
        int n = Sse.imm8(i);
        if (Sse.isMmx(i.o0())) {
            int sh = 16 * (n & 3);
            long d = c.mmx.get(Sse.mm(i.o0()));
            Sse.setMmx(c, i.o0(), d & ~(e << sh) | v << sh);
            return;
        }
        int k = n & (16 / w - 1);
        int d = x(i.o0()) + (k * w >= 8 ? 1 : 0);
        int sh = (k * w * 8) & 63;
        c.xmm[d] = c.xmm[d] & ~(e << sh) | v << sh;
    }

    /**
     * PEXTRB/PEXTRW/PEXTRD/PEXTRQ and EXTRACTPS: an element zero-extended into a GPR, or stored
     * with its own size. 0F C5 PEXTRW has the register operands the other way round.
     */
    static void pextr(CpuCore c, Insn i, int w) {
        int dst = i.o0(), src = i.o1();
        if (w == 4 && i.size() == 8) w = 8;
        int n = Sse.imm8(i);
        long e = w == 8 ? -1L : (1L << (8 * w)) - 1;
        long v;
        if (Sse.isMmx(src)) {
            v = (c.mmx.get(Sse.mm(src)) >>> (16 * (n & 3))) & e;
        } else {
            int k = n & (16 / w - 1);
            long q = c.xmm[x(src) + (k * w >= 8 ? 1 : 0)];
            v = (q >>> ((k * w * 8) & 63)) & e;
        }
        if (dst == Insn.MEM) c.store(c.ea(i), w, v);
        else c.setReg(dst, w == 8 ? 8 : 4, v);
        if (Sse.isMmx(src)) c.mmx.enter();
    }
}
