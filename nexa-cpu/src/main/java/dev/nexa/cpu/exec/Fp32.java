package dev.nexa.cpu.exec;

/**
 * Single-precision SSE element operations on raw bits; the same rules as {@link Fp64}.
 * <p>
 * The fast path computes in double: the product of two binary32 numbers is exact in binary64,
 * and for sums, quotients and square roots the binary64 result plus its exact error term
 * (TwoSum or an FMA residual) determines the binary32 rounding in every mode ({@link #narrow}).
 * Results near the ends of the binary32 range, and denormal operands, go to {@link FpRound}.
 */
final class Fp32 {
    private Fp32() {}

    static final int SIGN = 0x8000_0000, EXP = 0x7F80_0000, FRAC = 0x007F_FFFF, QUIET = 0x0040_0000;
    static final int INDEFINITE = 0xFFC0_0000;

    private static final double LOW = 0x1p-125, HIGH = 0x1p127;

    static boolean isNaN(int a) { return (a & ~SIGN) > EXP; }

    static boolean isSNaN(int a) { return isNaN(a) && (a & QUIET) == 0; }

    static boolean isInf(int a) { return (a & ~SIGN) == EXP; }

    static boolean isDenormal(int a) { return (a & EXP) == 0 && (a & FRAC) != 0; }

    static boolean isZero(int a) { return (a & ~SIGN) == 0; }

    static boolean special(int a) {
        int e = a & EXP;
        return e == 0 || e == EXP;
    }

    static double d(int a) { return Float.intBitsToFloat(a); }

    static int nan(CpuCore c, int a, int b) {
        if (isSNaN(a) || isSNaN(b)) c.simdFlags |= Mxcsr.IE;
        return isNaN(a) ? a | QUIET : b | QUIET;
    }

    static int nan(CpuCore c, int a) {
        if ((a & QUIET) == 0) c.simdFlags |= Mxcsr.IE;
        return a | QUIET;
    }

    static int daz(int a, int mx) {
        return (mx & Mxcsr.DAZ) != 0 && isDenormal(a) ? a & SIGN : a;
    }

    static int denormal(int a, int b) {
        return isDenormal(a) || isDenormal(b) ? Mxcsr.DE : 0;
    }

    // ---- add, sub, mul, div, sqrt ----------------------------------------------------------------

    static int add(CpuCore c, int a, int b) {
        if (special(a) | special(b)) return addSpecial(c, a, b);
        double x = d(a), y = d(b), r = x + y;
        double ar = Math.abs(r);
        if (!(ar >= LOW && ar < HIGH)) return (int) FpRound.add(c, x, y, false);
        double bv = r - x;
        return narrow(c, r, (x - (r - bv)) + (y - bv));
    }

    static int sub(CpuCore c, int a, int b) {
        return isNaN(b) ? nan(c, a, b) : add(c, a, b ^ SIGN);
    }

    private static int addSpecial(CpuCore c, int a, int b) {
        if (isNaN(a) || isNaN(b)) return nan(c, a, b);
        int mx = c.mxcsr;
        a = daz(a, mx);
        b = daz(b, mx);
        boolean ia = isInf(a), ib = isInf(b);
        if (ia && ib && (a ^ b) < 0) {
            c.simdFlags |= Mxcsr.IE;
            return INDEFINITE;
        }
        c.simdFlags |= denormal(a, b);
        if (ia) return a;
        if (ib) return b;
        return (int) FpRound.add(c, d(a), d(b), false);
    }

    static int mul(CpuCore c, int a, int b) {
        if (special(a) | special(b)) return mulSpecial(c, a, b);
        double r = d(a) * d(b);                          // exact
        double ar = Math.abs(r);
        if (!(ar >= LOW && ar < HIGH)) return (int) FpRound.round(c, r, false);
        return narrow(c, r, 0);
    }

    private static int mulSpecial(CpuCore c, int a, int b) {
        if (isNaN(a) || isNaN(b)) return nan(c, a, b);
        int mx = c.mxcsr;
        a = daz(a, mx);
        b = daz(b, mx);
        boolean ia = isInf(a), ib = isInf(b);
        if (ia && isZero(b) || ib && isZero(a)) {
            c.simdFlags |= Mxcsr.IE;
            return INDEFINITE;
        }
        c.simdFlags |= denormal(a, b);
        if (ia || ib) return ((a ^ b) & SIGN) | EXP;
        return (int) FpRound.mul(c, d(a), d(b), false);
    }

    static int div(CpuCore c, int a, int b) {
        if (special(a) | special(b)) return divSpecial(c, a, b);
        double x = d(a), y = d(b), r = x / y;
        double ar = Math.abs(r);
        if (!(ar >= LOW && ar < HIGH)) return (int) FpRound.div(c, x, y, false);
        double rem = Math.fma(-r, y, x);
        return narrow(c, r, y > 0 ? rem : -rem);
    }

    private static int divSpecial(CpuCore c, int a, int b) {
        if (isNaN(a) || isNaN(b)) return nan(c, a, b);
        int mx = c.mxcsr;
        a = daz(a, mx);
        b = daz(b, mx);
        boolean ia = isInf(a), ib = isInf(b);
        if (ia && ib || isZero(a) && isZero(b)) {
            c.simdFlags |= Mxcsr.IE;
            return INDEFINITE;
        }
        int sign = (a ^ b) & SIGN;
        if (isZero(b) && !ia) {
            c.simdFlags |= Mxcsr.ZE;
            return sign | EXP;
        }
        c.simdFlags |= denormal(a, b);
        if (ia) return sign | EXP;
        if (ib) return sign;
        return (int) FpRound.div(c, d(a), d(b), false);
    }

    static int sqrt(CpuCore c, int b) {
        if (special(b) || b < 0) return sqrtSpecial(c, b);
        double x = d(b), r = Math.sqrt(x);
        return narrow(c, r, Math.fma(-r, r, x));
    }

    private static int sqrtSpecial(CpuCore c, int b) {
        if (isNaN(b)) return nan(c, b);
        b = daz(b, c.mxcsr);
        if (isZero(b)) return b;
        if (b < 0) {
            c.simdFlags |= Mxcsr.IE;
            return INDEFINITE;
        }
        if (isInf(b)) return b;
        c.simdFlags |= Mxcsr.DE;
        return (int) FpRound.sqrt(c, d(b), false);
    }

    /**
     * Rounds the exact value {@code r + err} to binary32, where {@code r} is a binary64 value
     * whose magnitude is inside [2^-125, 2^127) and {@code |err|} is at most half an ulp of
     * {@code r} (only its sign matters). Binary32 rounding boundaries are binary64 numbers, so
     * the exact value lies on the same side of each as {@code r}, unless {@code r} is one.
     */
    static int narrow(CpuCore c, double r, double err) {
        float f = (float) r;
        double fd = f;
        double side = r - fd;                            // exact; its sign says where r lies
        int rc = Mxcsr.rc(c.mxcsr);
        if (side == 0) {
            if (err == 0) return Float.floatToRawIntBits(f);
            side = err;
        } else if (rc == Mxcsr.RN && err != 0) {
            // (float) r already rounds to nearest; only a tie broken by err can differ.
            float g = side > 0 ? Math.nextUp(f) : Math.nextDown(f);
            if (r == (fd + (double) g) * 0.5 && (err > 0) == (side > 0)) f = g;
        }
        c.simdFlags |= Mxcsr.PE;
        float out = switch (rc) {
            case Mxcsr.RD -> side < 0 ? Math.nextDown(f) : f;
            case Mxcsr.RU -> side > 0 ? Math.nextUp(f) : f;
            case Mxcsr.RZ -> (side < 0) == (f > 0) ? (f > 0 ? Math.nextDown(f) : Math.nextUp(f)) : f;
            default -> f;
        };
        return Float.floatToRawIntBits(out);
    }

    // ---- min, max, compares ---------------------------------------------------------------------

    static int minMax(CpuCore c, int a, int b, boolean max) {
        int mx = c.mxcsr;
        if (isNaN(a) || isNaN(b)) {
            c.simdFlags |= Mxcsr.IE;
            return daz(b, mx);                           // DAZ applies to the operand returned
        }
        a = daz(a, mx);
        b = daz(b, mx);
        c.simdFlags |= denormal(a, b);
        double x = d(a), y = d(b);
        return (max ? x > y : x < y) ? a : b;
    }

    static boolean compare(CpuCore c, int a, int b, int pred) {
        if (isNaN(a) || isNaN(b)) {
            if (isSNaN(a) || isSNaN(b) || (pred & 3) == 1 || (pred & 3) == 2) c.simdFlags |= Mxcsr.IE;
            return pred == 3 || pred == 4 || pred == 5 || pred == 6;
        }
        int mx = c.mxcsr;
        a = daz(a, mx);
        b = daz(b, mx);
        c.simdFlags |= denormal(a, b);
        double x = d(a), y = d(b);
        return switch (pred) {
            case 0 -> x == y;
            case 1 -> x < y;
            case 2 -> x <= y;
            case 4 -> x != y;
            case 5 -> !(x < y);
            case 6 -> !(x <= y);
            default -> pred == 7;
        };
    }

    static long comi(CpuCore c, int a, int b, boolean signalQuiet) {
        if (isNaN(a) || isNaN(b)) {
            if (signalQuiet || isSNaN(a) || isSNaN(b)) c.simdFlags |= Mxcsr.IE;
            return Flags.ZF | Flags.PF | Flags.CF;
        }
        int mx = c.mxcsr;
        a = daz(a, mx);
        b = daz(b, mx);
        c.simdFlags |= denormal(a, b);
        double x = d(a), y = d(b);
        return x > y ? 0 : x < y ? Flags.CF : Flags.ZF;
    }

    // ---- conversions ------------------------------------------------------------------------------

    static long toInt(CpuCore c, int a, int bits, boolean truncate) {
        if (isNaN(a)) return Fp64.intIndefinite(c, bits);
        a = daz(a, c.mxcsr);
        return FpConvert.toInt(c, d(a), bits, truncate);
    }

    /** CVTSS2SD: exact, but SNaNs are quieted (IE) and denormals reported (DE) or zeroed (DAZ). */
    static long toDouble(CpuCore c, int a) {
        if (special(a)) {
            if (isNaN(a)) {
                if ((a & QUIET) == 0) c.simdFlags |= Mxcsr.IE;
                return ((long) (a & SIGN) << 32) | Fp64.EXP | Fp64.QUIET | ((long) (a & (FRAC >> 1)) << 29);
            }
            a = daz(a, c.mxcsr);
            if (isDenormal(a)) c.simdFlags |= Mxcsr.DE;
        }
        return Double.doubleToRawLongBits(d(a));
    }

    /** CVTSI2SS / CVTDQ2PS / CVTPI2PS from a 32-bit integer, or a 64-bit one (REX.W). */
    static int fromLong(CpuCore c, long v) {
        if (v >= -(1L << 24) && v <= 1L << 24) return Float.floatToRawIntBits((float) v);
        if (v >= -(1L << 53) && v <= 1L << 53) return narrow(c, (double) v, 0);
        return (int) FpRound.fromLong(c, v, false);
    }
}
