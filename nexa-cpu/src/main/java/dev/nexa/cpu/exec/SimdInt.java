package dev.nexa.cpu.exec;

/**
 * Integer SIMD arithmetic on one 64-bit chunk (an MMX register, or either half of an XMM
 * register): every operation here is element-wise within 64 bits, so the XMM forms apply it
 * to both halves. Additions and subtractions without saturation use SWAR carries; the rest
 * loop over the elements (SDM Vol. 2 per instruction).
 */
final class SimdInt {
    private SimdInt() {}

    // Operation kinds.
    static final int AND = 0, ANDN = 1, OR = 2, XOR = 3,
            ADDB = 4, ADDW = 5, ADDD = 6, ADDQ = 7, SUBB = 8, SUBW = 9, SUBD = 10, SUBQ = 11,
            ADDSB = 12, ADDSW = 13, ADDUSB = 14, ADDUSW = 15, SUBSB = 16, SUBSW = 17, SUBUSB = 18, SUBUSW = 19,
            MULLW = 20, MULHW = 21, MULHUW = 22, MULUDQ = 23, MULDQ = 24, MULLD = 25, MULHRSW = 26,
            MADDWD = 27, MADDUBSW = 28, SADBW = 29, AVGB = 30, AVGW = 31,
            MINUB = 32, MINUW = 33, MINUD = 34, MINSB = 35, MINSW = 36, MINSD = 37,
            MAXUB = 38, MAXUW = 39, MAXUD = 40, MAXSB = 41, MAXSW = 42, MAXSD = 43,
            CMPEQB = 44, CMPEQW = 45, CMPEQD = 46, CMPEQQ = 47, CMPGTB = 48, CMPGTW = 49, CMPGTD = 50, CMPGTQ = 51,
            SIGNB = 52, SIGNW = 53, SIGND = 54, ABSB = 55, ABSW = 56, ABSD = 57;

    private static final long H8 = 0x8080_8080_8080_8080L, H16 = 0x8000_8000_8000_8000L, H32 = 0x8000_0000_8000_0000L;

    /** {@code a op b} for one 64-bit chunk; {@code a} is the destination's chunk. */
    static long op(int k, long a, long b) {
        return switch (k) {
            case AND -> a & b;
            case ANDN -> ~a & b;
            case OR -> a | b;
            case XOR -> a ^ b;
            case ADDB -> add(a, b, H8);
            case ADDW -> add(a, b, H16);
            case ADDD -> add(a, b, H32);
            case ADDQ -> a + b;
            case SUBB -> sub(a, b, H8);
            case SUBW -> sub(a, b, H16);
            case SUBD -> sub(a, b, H32);
            case SUBQ -> a - b;
            case MULUDQ -> (a & 0xFFFF_FFFFL) * (b & 0xFFFF_FFFFL);
            case MULDQ -> (long) (int) a * (int) b;
            case CMPEQQ -> a == b ? -1L : 0;
            case CMPGTQ -> a > b ? -1L : 0;
            case SADBW -> sadbw(a, b);
            case MADDWD -> maddwd(a, b);
            case MADDUBSW -> maddubsw(a, b);
            default -> lanes(k, a, b);
        };
    }

    private static long add(long a, long b, long h) {
        return ((a & ~h) + (b & ~h)) ^ ((a ^ b) & h);
    }

    private static long sub(long a, long b, long h) {
        return ((a | h) - (b & ~h)) ^ ((a ^ ~b) & h);
    }

    /** Element width in bits of the per-element kinds. */
    private static int width(int k) {
        return switch (k) {
            case ADDSB, ADDUSB, SUBSB, SUBUSB, AVGB, MINUB, MINSB, MAXUB, MAXSB, CMPEQB, CMPGTB, SIGNB, ABSB -> 8;
            case MINUD, MINSD, MAXUD, MAXSD, CMPEQD, CMPGTD, SIGND, ABSD, MULLD -> 32;
            default -> 16;
        };
    }

    private static long lanes(int k, long a, long b) {
        int w = width(k);
        long mask = (1L << w) - 1, r = 0;
        int up = 64 - w;
        for (int s = 0; s < 64; s += w) {
            long x = (a >>> s) & mask, y = (b >>> s) & mask;           // unsigned elements
            long sx = x << up >> up, sy = y << up >> up;                 // signed elements
            r |= (element(k, x, y, sx, sy, w) & mask) << s;
        }
        return r;
    }

    private static long element(int k, long x, long y, long sx, long sy, int w) {
        long smax = (1L << (w - 1)) - 1, smin = -smax - 1, umax = (1L << w) - 1;
        return switch (k) {
            case ADDSB, ADDSW -> Math.max(smin, Math.min(smax, sx + sy));
            case SUBSB, SUBSW -> Math.max(smin, Math.min(smax, sx - sy));
            case ADDUSB, ADDUSW -> Math.min(umax, x + y);
            case SUBUSB, SUBUSW -> Math.max(0, x - y);
            case MULLW, MULLD -> sx * sy;
            case MULHW -> (sx * sy) >> 16;
            case MULHUW -> (x * y) >> 16;
            case MULHRSW -> (((sx * sy) >> 14) + 1) >> 1;
            case AVGB, AVGW -> (x + y + 1) >> 1;
            case MINUB, MINUW, MINUD -> Math.min(x, y);
            case MINSB, MINSW, MINSD -> Math.min(sx, sy);
            case MAXUB, MAXUW, MAXUD -> Math.max(x, y);
            case MAXSB, MAXSW, MAXSD -> Math.max(sx, sy);
            case CMPEQB, CMPEQW, CMPEQD -> x == y ? -1 : 0;
            case CMPGTB, CMPGTW, CMPGTD -> sx > sy ? -1 : 0;
            case SIGNB, SIGNW, SIGND -> sy < 0 ? -sx : sy == 0 ? 0 : sx;
            case ABSB, ABSW, ABSD -> Math.abs(sy);
            default -> throw new IllegalStateException("simd kind " + k);
        };
    }

    /** PSADBW: the sum of absolute byte differences in the low word, zeros above. */
    private static long sadbw(long a, long b) {
        long s = 0;
        for (int k = 0; k < 64; k += 8) s += Math.abs(((a >>> k) & 0xFF) - ((b >>> k) & 0xFF));
        return s;
    }

    /** PMADDWD: signed word products, adjacent pairs summed into dwords (wrapping at 0x80000000). */
    private static long maddwd(long a, long b) {
        long r = 0;
        for (int k = 0; k < 64; k += 32) {
            int s = (short) (a >>> k) * (short) (b >>> k) + (short) (a >>> (k + 16)) * (short) (b >>> (k + 16));
            r |= (s & 0xFFFF_FFFFL) << k;
        }
        return r;
    }

    /** PMADDUBSW: unsigned bytes of the destination times signed bytes of the source, pairs summed with signed saturation. */
    private static long maddubsw(long a, long b) {
        long r = 0;
        for (int k = 0; k < 64; k += 16) {
            int s = (int) ((a >>> k) & 0xFF) * (byte) (b >>> k) + (int) ((a >>> (k + 8)) & 0xFF) * (byte) (b >>> (k + 8));
            s = Math.max(-32768, Math.min(32767, s));
            r |= (s & 0xFFFFL) << k;
        }
        return r;
    }

    // ---- horizontal operations (pairs of adjacent elements) -------------------------------------

    static final int HADDW = 0, HADDD = 1, HADDSW = 2, HSUBW = 3, HSUBD = 4, HSUBSW = 5;

    /** The pairwise results of x (low half of the output) then y (high half). */
    static long horizontal(int k, long x, long y) {
        boolean dwords = k == HADDD || k == HSUBD;
        int w = dwords ? 32 : 16, n = 64 / w;
        long mask = (1L << w) - 1, r = 0;
        for (int j = 0; j < n; j++) {
            long src = j < n / 2 ? x : y;
            int p = (j % (n / 2)) * 2 * w;
            long e0 = (src >>> p) << (64 - w) >> (64 - w), e1 = (src >>> (p + w)) << (64 - w) >> (64 - w);
            long v = switch (k) {
                case HADDW, HADDD -> e0 + e1;
                case HSUBW, HSUBD -> e0 - e1;
                case HADDSW -> Math.max(-32768, Math.min(32767, e0 + e1));
                default -> Math.max(-32768, Math.min(32767, e0 - e1));
            };
            r |= (v & mask) << (j * w);
        }
        return r;
    }

    // ---- shifts ---------------------------------------------------------------------------------

    static final int SLL = 0, SRL = 1, SRA = 2;

    /** PSLL/PSRL/PSRA on {@code w}-bit elements by an unsigned 64-bit count. */
    static long shift(int kind, int w, long a, long count) {
        boolean big = Long.compareUnsigned(count, w - 1) > 0;
        if (big && kind != SRA) return 0;
        int n = big ? w - 1 : (int) count;
        if (w == 64) return kind == SLL ? a << n : kind == SRL ? a >>> n : a >> n;
        long mask = (1L << w) - 1, r = 0;
        int up = 64 - w;
        for (int s = 0; s < 64; s += w) {
            long e = (a >>> s) & mask;
            long v = kind == SLL ? e << n : kind == SRL ? e >>> n : (e << up >> up) >> n;
            r |= (v & mask) << s;
        }
        return r;
    }
}
