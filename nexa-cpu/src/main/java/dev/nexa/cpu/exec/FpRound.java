package dev.nexa.cpu.exec;

import java.math.BigInteger;

/**
 * IEEE 754 rounding to binary32/binary64 as SSE does it, from an exact value, with every MXCSR
 * effect: rounding control, overflow and underflow (tininess detected <em>after</em> rounding,
 * SDM Vol. 1 §4.9.1.5: "the result of rounding with unbounded exponent is non-zero and tiny"),
 * denormalized results, flush-to-zero (§10.2.3.3) and the precision flag.
 * <p>
 * {@link #pack} works on a 64-bit significand and allocates nothing; the exact operations
 * ({@link #add}, {@link #mul}, {@link #div}, {@link #sqrt}) use {@link BigInteger} and are the
 * slow path behind {@link Fp32}/{@link Fp64}, taken only for results near the ends of the
 * exponent range and for denormal operands.
 */
final class FpRound {
    private FpRound() {}

    /** Precision, minimum and maximum unbiased exponents of binary32 (index 0) and binary64 (1). */
    private static final int[] P = {24, 53}, EMIN = {-126, -1022}, EMAX = {127, 1023};

    static int fmt(boolean dbl) { return dbl ? 1 : 0; }

    /**
     * Rounds {@code (m + f) * 2^e} to the format, where {@code m} is an unsigned nonzero
     * significand and {@code f} is 0 ({@code sticky == false}) or lies strictly between 0 and 1.
     * Returns the result's bits (binary32 in the low 32 bits) and ORs the flags it raises into
     * {@link CpuCore#simdFlags}.
     */
    static long pack(CpuCore c, boolean neg, long m, int e, boolean sticky, boolean dbl) {
        int f = fmt(dbl), p = P[f];
        int mx = c.mxcsr, rc = Mxcsr.rc(mx);
        // Normalize: leading one at bit 62, leaving bit 63 for the rounding carry.
        int lz = Long.numberOfLeadingZeros(m);
        if (lz == 0) {
            sticky |= (m & 1) != 0;
            m >>>= 1;
            e++;
        } else {
            m <<= lz - 1;
            e -= lz - 1;
        }
        int shift = 63 - p;
        boolean inexact = (m & ((1L << shift) - 1)) != 0 || sticky;
        long q = roundShift(m, shift, sticky, neg, rc);
        int exp = e + 62;                              // unbiased exponent of the leading bit
        if (q == 1L << p) {
            q >>>= 1;
            exp++;
        }
        long sign = neg ? (dbl ? 1L << 63 : 1L << 31) : 0;
        if (exp > EMAX[f]) return overflow(c, sign, rc, inexact, dbl);
        if (exp < EMIN[f]) return tiny(c, sign, m, e, sticky, neg, dbl);
        if (inexact) c.simdFlags |= Mxcsr.PE;
        long biased = exp + (dbl ? 1023 : 127);
        return sign | biased << (p - 1) | (q & ((1L << (p - 1)) - 1));
    }

    /** {@code m >>> shift} rounded by the bits shifted out (plus sticky) in rounding mode {@code rc}. */
    private static long roundShift(long m, int shift, boolean sticky, boolean neg, int rc) {
        if (shift >= 64) {
            boolean inexact = m != 0 || sticky;
            return (rc == Mxcsr.RD && neg || rc == Mxcsr.RU && !neg) && inexact ? 1 : 0;
        }
        long keep = m >>> shift;
        long rem = m & ((1L << shift) - 1);
        boolean inexact = rem != 0 || sticky;
        if (!inexact) return keep;
        boolean up = switch (rc) {
            case Mxcsr.RN -> {
                long half = 1L << (shift - 1);
                yield rem > half || rem == half && (sticky || (keep & 1) != 0);
            }
            case Mxcsr.RD -> neg;
            case Mxcsr.RU -> !neg;
            default -> false;
        };
        return up ? keep + 1 : keep;
    }

    /** Overflow (SDM Vol. 1 §4.9.1.4, Table 4-10): infinity or the largest finite number by mode. */
    private static long overflow(CpuCore c, long sign, int rc, boolean inexact, boolean dbl) {
        if ((c.mxcsr & Mxcsr.OM) == 0) {
            c.simdFlags |= Mxcsr.OE | (inexact ? Mxcsr.PE : 0);
            return 0;                                   // #XM follows; the value is never written
        }
        c.simdFlags |= Mxcsr.OE | Mxcsr.PE;
        boolean toInfinity = rc == Mxcsr.RN || rc == Mxcsr.RU && sign == 0 || rc == Mxcsr.RD && sign != 0;
        long inf = dbl ? 0x7FF0_0000_0000_0000L : 0x7F80_0000L;
        return sign | (toInfinity ? inf : inf - 1);
    }

    /**
     * A tiny result: with underflow masked it is denormalized (or flushed to zero under FTZ), and
     * UE is raised with PE when the denormalized result is inexact; unmasked, #XM follows.
     */
    private static long tiny(CpuCore c, long sign, long m, int e, boolean sticky, boolean neg, boolean dbl) {
        int f = fmt(dbl), p = P[f];
        int mx = c.mxcsr;
        if ((mx & Mxcsr.UM) == 0) {
            c.simdFlags |= Mxcsr.UE;
            return 0;
        }
        if ((mx & Mxcsr.FTZ) != 0) {
            c.simdFlags |= Mxcsr.UE | Mxcsr.PE;
            return sign;
        }
        int shift = (EMIN[f] - p + 1) - e;              // weight of the subnormal lsb is 2^(emin-p+1)
        boolean inexact = shift >= 64 ? m != 0 || sticky : (m & ((1L << shift) - 1)) != 0 || sticky;
        long q = roundShift(m, shift, sticky, neg, Mxcsr.rc(mx));
        if (inexact) c.simdFlags |= Mxcsr.UE | Mxcsr.PE;
        return sign | q;                                // q == 2^(p-1) encodes the smallest normal
    }

    // ---- exact operations (slow path) ---------------------------------------------------------

    /** Packs an exact nonzero big significand: the low bits beyond 62 fold into the sticky bit. */
    static long pack(CpuCore c, boolean neg, BigInteger m, int e, boolean sticky, boolean dbl) {
        int drop = m.bitLength() - 62;
        if (drop > 0) {
            sticky |= m.getLowestSetBit() < drop;
            m = m.shiftRight(drop);
            e += drop;
        }
        return pack(c, neg, m.longValue(), e, sticky, dbl);
    }

    /** Significand of a finite nonzero double (with the hidden bit). */
    static long significand(double x) {
        long b = Double.doubleToRawLongBits(x);
        long frac = b & 0x000F_FFFF_FFFF_FFFFL;
        return (b & 0x7FF0_0000_0000_0000L) == 0 ? frac : frac | 1L << 52;
    }

    /** Exponent of the significand's least significant bit. */
    static int lsbExponent(double x) {
        int biased = (int) (Double.doubleToRawLongBits(x) >>> 52) & 0x7FF;
        return (biased == 0 ? 1 : biased) - 1075;
    }

    private static long zero(boolean neg, boolean dbl) {
        return neg ? (dbl ? 1L << 63 : 1L << 31) : 0;
    }

    /**
     * x + y for finite x, y, rounded to the format. An exact zero sum is +0, or -0 when rounding
     * down, or when both operands are -0 (IEEE 754 §6.3).
     */
    static long add(CpuCore c, double x, double y, boolean dbl) {
        boolean rd = Mxcsr.rc(c.mxcsr) == Mxcsr.RD;
        if (x == 0 && y == 0) {
            boolean nx = Double.doubleToRawLongBits(x) < 0, ny = Double.doubleToRawLongBits(y) < 0;
            return zero(nx == ny ? nx : rd, dbl);
        }
        if (x == 0) return round(c, y, dbl);
        if (y == 0) return round(c, x, dbl);
        int ex = lsbExponent(x), ey = lsbExponent(y), e = Math.min(ex, ey);
        BigInteger mx = BigInteger.valueOf(significand(x)).shiftLeft(ex - e);
        BigInteger my = BigInteger.valueOf(significand(y)).shiftLeft(ey - e);
        if (x < 0) mx = mx.negate();
        if (y < 0) my = my.negate();
        BigInteger s = mx.add(my);
        if (s.signum() == 0) return zero(rd, dbl);
        return pack(c, s.signum() < 0, s.abs(), e, false, dbl);
    }

    /** x * y for finite x, y. */
    static long mul(CpuCore c, double x, double y, boolean dbl) {
        boolean neg = (Double.doubleToRawLongBits(x) ^ Double.doubleToRawLongBits(y)) < 0;
        if (x == 0 || y == 0) return zero(neg, dbl);
        BigInteger m = BigInteger.valueOf(significand(x)).multiply(BigInteger.valueOf(significand(y)));
        return pack(c, neg, m, lsbExponent(x) + lsbExponent(y), false, dbl);
    }

    /** x / y for finite x and finite nonzero y. */
    static long div(CpuCore c, double x, double y, boolean dbl) {
        boolean neg = (Double.doubleToRawLongBits(x) ^ Double.doubleToRawLongBits(y)) < 0;
        if (x == 0) return zero(neg, dbl);
        long mx = significand(x), my = significand(y);
        int k = Math.max(0, 64 + (64 - Long.numberOfLeadingZeros(my)) - (64 - Long.numberOfLeadingZeros(mx)));
        BigInteger[] qr = BigInteger.valueOf(mx).shiftLeft(k).divideAndRemainder(BigInteger.valueOf(my));
        return pack(c, neg, qr[0], lsbExponent(x) - lsbExponent(y) - k, qr[1].signum() != 0, dbl);
    }

    /** sqrt(x) for finite x > 0. */
    static long sqrt(CpuCore c, double x, boolean dbl) {
        long m = significand(x);
        int e = lsbExponent(x);
        int k = 128 - (64 - Long.numberOfLeadingZeros(m));   // enough bits for a 64-bit root
        if (((e - k) & 1) != 0) k++;
        BigInteger n = BigInteger.valueOf(m).shiftLeft(k);
        BigInteger s = n.sqrt();
        boolean sticky = !s.multiply(s).equals(n);
        return pack(c, false, s, (e - k) / 2, sticky, dbl);
    }

    /** Rounds a finite double to the format (exact for binary64 except for FTZ of denormals). */
    static long round(CpuCore c, double x, boolean dbl) {
        if (x == 0) return zero(Double.doubleToRawLongBits(x) < 0, dbl);
        return pack(c, x < 0, significand(x), lsbExponent(x), false, dbl);
    }

    /** Rounds a signed 64-bit integer to the format (CVTSI2SS/SD and friends). */
    static long fromLong(CpuCore c, long v, boolean dbl) {
        if (v == 0) return 0;
        return pack(c, v < 0, v < 0 ? -v : v, 0, false, dbl);  // -Long.MIN_VALUE is 2^63 unsigned
    }
}
