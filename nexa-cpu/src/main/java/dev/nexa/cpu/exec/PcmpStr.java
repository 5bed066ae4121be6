package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.Sse.x;

import dev.nexa.cpu.decode.Insn;

/**
 * PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM (SDM Vol. 2B §4.1): string comparison of the
 * first operand (xmm1: the set, ranges or needle) with the second (xmm2/m128, unaligned
 * allowed), controlled by imm8 — [1:0] element format (unsigned/signed bytes/words), [3:2]
 * aggregation (equal any, ranges, equal each, equal ordered), [5:4] polarity, [6] output
 * selection (least/most significant index, or bit/element mask).
 */
final class PcmpStr {
    private PcmpStr() {}

    static void exec(CpuCore c, Insn i, boolean explicit, boolean index) {
        long a = Sse.addr(c, i, false);
        long blo = Sse.lo(c, i, a), bhi = Sse.hi(c, i, a);
        int d = x(i.o0());
        long alo = c.xmm[d], ahi = c.xmm[d + 1];
        int imm = Sse.imm8(i);
        boolean words = (imm & 1) != 0, signed = (imm & 2) != 0;
        int n = words ? 8 : 16;
        int lenA, lenB;
        if (explicit) {
            boolean w64 = i.has(dev.nexa.cpu.decode.Prefix.REX_W);
            lenA = explicitLength(c.r[0], w64, n);
            lenB = explicitLength(c.r[2], w64, n);
        } else {
            lenA = implicitLength(alo, ahi, words, n);
            lenB = implicitLength(blo, bhi, words, n);
        }
        int res = aggregate(imm >> 2 & 3, alo, ahi, blo, bhi, words, signed, n, lenA, lenB);
        int all = (1 << n) - 1;
        res = switch (imm >> 4 & 3) {
            case 1 -> ~res & all;
            case 3 -> res ^ ((1 << lenB) - 1);
            default -> res;
        };
        if (index) {
            int idx = res == 0 ? n : (imm & 0x40) == 0 ? Integer.numberOfTrailingZeros(res) : 31 - Integer.numberOfLeadingZeros(res);
            c.r[1] = idx;
        } else if ((imm & 0x40) == 0) {
            c.xmm[0] = res;
            c.xmm[1] = 0;
        } else {
            c.xmm[0] = expand(res, words, 0);
            c.xmm[1] = expand(res, words, n / 2);
        }
        long f = res != 0 ? Flags.CF : 0;
        if (lenB < n) f |= Flags.ZF;
        if (lenA < n) f |= Flags.SF;
        if ((res & 1) != 0) f |= Flags.OF;
        SseInt.setArithFlags(c, f);
    }

    /** |rAX| or |rDX| saturated to the element count. */
    private static int explicitLength(long v, boolean w64, int n) {
        if (!w64) v = (int) v;
        if (v < 0) v = -v;
        return v < 0 || v > n ? n : (int) v;
    }

    private static int implicitLength(long lo, long hi, boolean words, int n) {
        for (int k = 0; k < n; k++) if (element(lo, hi, k, words, false) == 0) return k;
        return n;
    }

    static int element(long lo, long hi, int k, boolean words, boolean signed) {
        int bits = words ? 16 : 8;
        int per = 64 / bits;
        long q = k < per ? lo : hi;
        int v = (int) (q >>> (bits * (k % per)));
        if (words) return signed ? (short) v : v & 0xFFFF;
        return signed ? (byte) v : v & 0xFF;
    }

    /** IntRes1: bit j is the aggregation result for element j of the second operand (b). */
    private static int aggregate(int agg, long alo, long ahi, long blo, long bhi, boolean words, boolean signed,
                                 int n, int lenA, int lenB) {
        int res = 0;
        switch (agg) {
            case 0 -> {                                     // equal any
                for (int j = 0; j < lenB; j++) {
                    int b = element(blo, bhi, j, words, signed);
                    for (int k = 0; k < lenA; k++) {
                        if (element(alo, ahi, k, words, signed) == b) { res |= 1 << j; break; }
                    }
                }
            }
            case 1 -> {                                     // ranges: a[2k] <= b <= a[2k+1]
                for (int j = 0; j < lenB; j++) {
                    int b = element(blo, bhi, j, words, signed);
                    for (int k = 0; k + 1 < lenA; k += 2) {
                        int low = element(alo, ahi, k, words, signed), high = element(alo, ahi, k + 1, words, signed);
                        if (low <= b && b <= high) { res |= 1 << j; break; }
                    }
                }
            }
            case 2 -> {                                     // equal each: invalid pairs match only if both are invalid
                for (int j = 0; j < n; j++) {
                    boolean va = j < lenA, vb = j < lenB;
                    boolean eq = va && vb ? element(alo, ahi, j, words, signed) == element(blo, bhi, j, words, signed)
                            : !va && !vb;
                    if (eq) res |= 1 << j;
                }
            }
            default -> {                                    // equal ordered: a is a substring of b at j
                for (int j = 0; j < n; j++) {
                    boolean match = true;
                    for (int k = 0; j + k < n && match; k++) {
                        if (k >= lenA) break;                       // needle ended: forced true
                        if (j + k >= lenB) { match = false; break; } // haystack ended first: forced false
                        match = element(alo, ahi, k, words, signed) == element(blo, bhi, j + k, words, signed);
                    }
                    if (match) res |= 1 << j;
                }
            }
        }
        return res;
    }

    /** Bit mask to element mask (each bit becomes a byte or word of ones), for the half starting at element {@code from}. */
    private static long expand(int res, boolean words, int from) {
        long r = 0;
        int per = words ? 4 : 8, bits = words ? 16 : 8;
        long e = (1L << bits) - 1;
        for (int k = 0; k < per; k++) if ((res >> (from + k) & 1) != 0) r |= e << (bits * k);
        return r;
    }
}
