package dev.nexa.cpu.exec;

/**
 * Double-precision SSE element operations on raw bits, exact to the bit under every MXCSR
 * setting. Flags go to {@link CpuCore#simdFlags}; the handler commits them ({@link Mxcsr#commit}).
 * <p>
 * The fast path computes the round-to-nearest result with Java arithmetic and the exact error
 * (TwoSum, or an FMA residual), which gives the precision flag and the directed roundings; it is
 * taken when operands are normal and the result is far from the ends of the exponent range,
 * where those error terms are exact. Everything else goes to {@link FpRound}.
 * <p>
 * Operand rules (SDM Vol. 1 §4.8.3.5 Table 4-7, §4.9.2 priorities, §10.2.3.4 DAZ): a NaN operand
 * wins over every other exception, the first source's NaN over the second's, SNaNs are quieted
 * and raise IE, and no DE is reported then; invalid operations and division by zero also
 * suppress DE; with DAZ a denormal operand is a zero of the same sign and raises nothing.
 */
final class Fp64 {
    private Fp64() {}

    static final long SIGN = 1L << 63, EXP = 0x7FF0_0000_0000_0000L, FRAC = 0x000F_FFFF_FFFF_FFFFL;
    static final long QUIET = 1L << 51;
    /** The QNaN floating-point indefinite. */
    static final long INDEFINITE = 0xFFF8_0000_0000_0000L;

    private static final double TINY = 0x1p-968, HUGE = 0x1p1023;

    static boolean isNaN(long a) { return (a & ~SIGN) > EXP; }

    static boolean isSNaN(long a) { return isNaN(a) && (a & QUIET) == 0; }

    static boolean isInf(long a) { return (a & ~SIGN) == EXP; }

    static boolean isDenormal(long a) { return (a & EXP) == 0 && (a & FRAC) != 0; }

    static boolean isZero(long a) { return (a & ~SIGN) == 0; }

    /** Zero, denormal, infinity or NaN. */
    static boolean special(long a) {
        long e = a & EXP;
        return e == 0 || e == EXP;
    }

    static double d(long a) { return Double.longBitsToDouble(a); }

    static long bits(double x) { return Double.doubleToRawLongBits(x); }

    /** NaN propagation for two operands, at least one a NaN. */
    static long nan(CpuCore c, long a, long b) {
        if (isSNaN(a) || isSNaN(b)) c.simdFlags |= Mxcsr.IE;
        return isNaN(a) ? a | QUIET : b | QUIET;
    }

    /** A one-operand NaN result: quieted, IE when it was signalling. */
    static long nan(CpuCore c, long a) {
        if ((a & QUIET) == 0) c.simdFlags |= Mxcsr.IE;
        return a | QUIET;
    }

    /** DAZ applied to an operand: a denormal becomes a zero of its sign. */
    static long daz(long a, int mx) {
        return (mx & Mxcsr.DAZ) != 0 && isDenormal(a) ? a & SIGN : a;
    }

    /** DE for the denormal operands left after DAZ. */
    static int denormal(long a, long b) {
        return isDenormal(a) || isDenormal(b) ? Mxcsr.DE : 0;
    }

    static int invalid(CpuCore c) {
        c.simdFlags |= Mxcsr.IE;
        return 0;
    }

    // ---- add, sub, mul, div, sqrt ----------------------------------------------------------------

    static long add(CpuCore c, long a, long b) {
        if (special(a) | special(b)) return addSpecial(c, a, b);
        double x = d(a), y = d(b), r = x + y;
        double ar = Math.abs(r);
        if (!(ar >= 0x1p-1020 && ar < HUGE)) return FpRound.add(c, x, y, true);
        double bv = r - x;
        double err = (x - (r - bv)) + (y - bv);
        return finish(c, r, err);
    }

    static long sub(CpuCore c, long a, long b) {
        return isNaN(b) ? nan(c, a, b) : add(c, a, b ^ SIGN);
    }

    private static long addSpecial(CpuCore c, long a, long b) {
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
        return FpRound.add(c, d(a), d(b), true);
    }

    static long mul(CpuCore c, long a, long b) {
        if (special(a) | special(b)) return mulSpecial(c, a, b);
        double x = d(a), y = d(b), r = x * y;
        double ar = Math.abs(r);
        if (!(ar >= TINY && ar < HUGE)) return FpRound.mul(c, x, y, true);
        return finish(c, r, Math.fma(x, y, -r));
    }

    private static long mulSpecial(CpuCore c, long a, long b) {
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
        return FpRound.mul(c, d(a), d(b), true);
    }

    static long div(CpuCore c, long a, long b) {
        if (special(a) | special(b)) return divSpecial(c, a, b);
        double x = d(a), y = d(b), r = x / y;
        double ar = Math.abs(r);
        if (!(ar >= TINY && ar < HUGE && Math.abs(x) >= TINY)) return FpRound.div(c, x, y, true);
        double rem = Math.fma(-r, y, x);                 // exact: x - r*y
        return finish(c, r, y > 0 ? rem : -rem);
    }

    private static long divSpecial(CpuCore c, long a, long b) {
        if (isNaN(a) || isNaN(b)) return nan(c, a, b);
        int mx = c.mxcsr;
        a = daz(a, mx);
        b = daz(b, mx);
        boolean ia = isInf(a), ib = isInf(b);
        if (ia && ib || isZero(a) && isZero(b)) {
            c.simdFlags |= Mxcsr.IE;
            return INDEFINITE;
        }
        long sign = (a ^ b) & SIGN;
        if (isZero(b) && !ia) {
            c.simdFlags |= Mxcsr.ZE;
            return sign | EXP;
        }
        c.simdFlags |= denormal(a, b);
        if (ia) return sign | EXP;
        if (ib) return sign;
        return FpRound.div(c, d(a), d(b), true);
    }

    static long sqrt(CpuCore c, long b) {
        if (special(b) || b < 0) return sqrtSpecial(c, b);
        double x = d(b), r = Math.sqrt(x);
        if (x < TINY) return FpRound.sqrt(c, x, true);
        return finish(c, r, Math.fma(-r, r, x));
    }

    private static long sqrtSpecial(CpuCore c, long b) {
        if (isNaN(b)) return nan(c, b);
        b = daz(b, c.mxcsr);
        if (isZero(b)) return b;
        if (b < 0) {
            c.simdFlags |= Mxcsr.IE;
            return INDEFINITE;
        }
        if (isInf(b)) return b;
        c.simdFlags |= Mxcsr.DE;
        return FpRound.sqrt(c, d(b), true);
    }

    /**
     * The result from the round-to-nearest value {@code r} and the sign of the exact error
     * {@code err} (exact value = r + err): PE when inexact, and the neighbour of {@code r} the
     * directed rounding modes ask for. {@code r} is a normal number well inside the range.
     */
    static long finish(CpuCore c, double r, double err) {
        if (err == 0) return bits(r);
        c.simdFlags |= Mxcsr.PE;
        return bits(directed(r, err, Mxcsr.rc(c.mxcsr)));
    }

    static double directed(double r, double err, int rc) {
        return switch (rc) {
            case Mxcsr.RD -> err < 0 ? Math.nextDown(r) : r;
            case Mxcsr.RU -> err > 0 ? Math.nextUp(r) : r;
            case Mxcsr.RZ -> (err < 0) == (r > 0) ? (r > 0 ? Math.nextDown(r) : Math.nextUp(r)) : r;
            default -> r;
        };
    }

    // ---- min, max, compares ---------------------------------------------------------------------

    /**
     * MINSD/MAXSD: any NaN operand (quiet ones too) raises IE and returns the second operand
     * unchanged, as do equal operands (±0 included) (SDM Vol. 2B MINSD).
     */
    static long minMax(CpuCore c, long a, long b, boolean max) {
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

    /**
     * CMPSD predicate {@code pred} (0-7: EQ, LT, LE, UNORD, NEQ, NLT, NLE, ORD): true or false.
     * SNaNs raise IE, and so do QNaNs for the signalling predicates LT, LE, NLT, NLE.
     */
    static boolean compare(CpuCore c, long a, long b, int pred) {
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

    /**
     * COMISD/UCOMISD: ZF PF CF = 111 unordered, 000 greater, 001 less, 100 equal; OF SF AF are
     * cleared. COMISD raises IE for any NaN, UCOMISD only for SNaNs.
     */
    static long comi(CpuCore c, long a, long b, boolean signalQuiet) {
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

    /**
     * CVTSD2SI / CVTTSD2SI to a {@code bits}-bit integer: rounded by MXCSR (or truncated); NaN
     * or out of range gives the integer indefinite (the sign bit alone) and IE; inexact gives PE.
     * Denormals are not reported (no DE) but DAZ applies.
     */
    static long toInt(CpuCore c, long a, int bits, boolean truncate) {
        if (isNaN(a)) return intIndefinite(c, bits);
        a = daz(a, c.mxcsr);
        return FpConvert.toInt(c, d(a), bits, truncate);
    }

    static long intIndefinite(CpuCore c, int bits) {
        c.simdFlags |= Mxcsr.IE;
        return bits == 64 ? Long.MIN_VALUE : 0x8000_0000L;
    }

    /** CVTSD2SS: binary64 to binary32 (returned in the low 32 bits). */
    static int toSingle(CpuCore c, long a) {
        if (special(a)) {
            if (isNaN(a)) {
                if ((a & QUIET) == 0) c.simdFlags |= Mxcsr.IE;
                // Keep sign and the top of the payload, quiet (SDM Vol. 1 §4.8.3.7).
                return (int) ((a >>> 32) & 0x8000_0000L) | 0x7FC0_0000 | (int) ((a >>> 29) & 0x3F_FFFF);
            }
            if (isInf(a)) return (int) ((a >>> 32) & 0x8000_0000L) | 0x7F80_0000;
            a = daz(a, c.mxcsr);
            if (isZero(a)) return (int) (a >>> 32);
            c.simdFlags |= Mxcsr.DE;
        }
        double x = d(a), ax = Math.abs(x);
        if (ax >= 0x1p-125 && ax < 0x1p127) return Fp32.narrow(c, x, 0);
        return (int) FpRound.round(c, x, false);
    }

    /** CVTSI2SD with a 64-bit source (32-bit sources are exact). */
    static long fromLong(CpuCore c, long v) {
        if (v == (long) (double) v && v != Long.MAX_VALUE) return bits((double) v);
        return FpRound.fromLong(c, v, true);
    }
}
