package dev.nexa.cpu.fpu;

import static dev.nexa.cpu.fpu.X87Status.C2;
import static dev.nexa.cpu.fpu.X87Status.DE;
import static dev.nexa.cpu.fpu.X87Status.ZE;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The x87 transcendental instructions FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X and FYL2XP1.
 *
 * <p>Each result is computed to about 199 bits with {@link BigDecimal} series and rounded once to 64
 * bits per RC (precision control does not apply, SDM Vol. 1 §8.1.5.2), so it is the correctly
 * rounded value of the mathematical function, except that FSIN/FCOS/FSINCOS/FPTAN reduce their
 * argument the way the hardware does (see {@link Reduction}). The host x87 is only specified to
 * within 1 ulp (SDM Vol. 1 §8.3.10): the measured agreement is reported by
 * {@code X87TranscendentalOracleTest}. These methods allocate; they are rare in real programs.
 *
 * <p>Conventions as in {@link X87Arith}. FSIN/FCOS/FSINCOS/FPTAN return C2 = 1 and leave every
 * destination untouched when |x| ≥ 2^63 (SDM Vol. 2A FSIN: "the source operand is out of range").
 * Special operands follow the result tables of the SDM pages of each instruction.
 */
public final class X87Transcendental {
    private X87Transcendental() {}

    /** How the trigonometric functions reduce their argument modulo pi/2. */
    public enum Reduction {
        /** With pi itself (the mathematically exact result). */
        EXACT,
        /**
         * With the 66-bit approximation 0xC90FDAA22168C234C × 2^-66 the x87 holds internally (Intel
         * documented it in 2014; the SDM: "... an internal value of pi that has 66 significant bits").
         */
        PI_66_BITS
    }

    /** The reduction used by the public methods; chosen because it matches the host better. */
    public static final Reduction DEFAULT_REDUCTION = Reduction.PI_66_BITS;

    private static final BigDecimal PI_66 = new BigDecimal(new BigInteger("C90FDAA22168C234C", 16))
            .divide(BigDecimal.valueOf(2).pow(66));

    private static final Ext80 ONE = new Ext80(0x3FFF, Ext80.INTEGER_BIT);

    /**
     * The precision to which FPATAN (the quotient y/x), FYL2X (log2 x) and FYL2XP1 (log2(1 + x)) chop
     * their inner value before the final step: the hardware computes in an internal format wider than
     * the register's 64 bits and rounds only the end result (the SDM speaks of "an internal value of
     * pi that has 66 significant bits"; the microcode of AMD and Intel is not documented further).
     * Chopping to 69 bits is the model fitted to the host (AMD EPYC): it gives the host's results for
     * the three operands of fixtures/src/floats.c where correct rounding does not (log10l(1e10 (1 +
     * 2^-63)) = 10 where the exact value is 10 + 0.503 ulp; log2l(1.5 + 2 ulp), 0.472 ulp above a
     * register value; log10l(0xf.d00000000000002p-1067)), and on X87TranscendentalOracleTest's random
     * operands it matches the host as often as correct rounding does (97-99%). Rounding to nearest at
     * 66 to 74 bits, or chopping at 70 to 74, misses one of those three; chopping at 66 to 68 agrees
     * less often. FSIN/FCOS/FSINCOS/FPTAN gained nothing from narrowing their reduced argument.
     *
     * <p>This is a fit, not the hardware's algorithm: probing the host's FYL2X with y = 1 on 20,000
     * random x, its result differs from the correctly rounded one in 3% of cases, all with the exact
     * value within about 0.06 ulp of a rounding boundary, and as often up as down; its approximation
     * error is that of an undocumented table-and-polynomial evaluation, which no rounding of the exact
     * value reproduces bit for bit.
     */
    static final int INNER_BITS = 69;

    // ---------------------------------------------------------------- trigonometric

    /** FSIN. */
    public static int sin(Ext80 a, Ext80 dst, int controlWord) {
        return trig(a, dst, null, controlWord, SIN, DEFAULT_REDUCTION);
    }

    /** FCOS. */
    public static int cos(Ext80 a, Ext80 dst, int controlWord) {
        return trig(a, dst, null, controlWord, COS, DEFAULT_REDUCTION);
    }

    /** FSINCOS: the handler stores {@code cosOut} in ST(0)'s place, then pushes {@code sinOut}. */
    public static int sincos(Ext80 a, Ext80 sinOut, Ext80 cosOut, int controlWord) {
        return trig(a, sinOut, cosOut, controlWord, SINCOS, DEFAULT_REDUCTION);
    }

    /** FPTAN: {@code dst} = tan a; the handler then pushes {@code pushed} (1.0, or the NaN result). */
    public static int tan(Ext80 a, Ext80 dst, Ext80 pushed, int controlWord) {
        return trig(a, dst, pushed, controlWord, TAN, DEFAULT_REDUCTION);
    }

    static final int SIN = 0, COS = 1, SINCOS = 2, TAN = 3;

    /** The trigonometric functions with a chosen reduction (package-private for the measurements). */
    static int trig(Ext80 a, Ext80 dst, Ext80 second, int cw, int fn, Reduction reduction) {
        int flags = 0;
        switch (a.kind()) {
            case UNSUPPORTED, INFINITY -> {
                flags = X87Arith.invalid(dst, cw);
                if (second != null && (cw & X87Status.IE) != 0) {
                    second.setIndefinite();
                }
                return flags;
            }
            case QNAN, SNAN -> {
                flags = X87Arith.propagateNaN(a, dst, cw);
                if (second != null && (flags == 0 || (cw & X87Status.IE) != 0)) {
                    second.set(dst);
                }
                return flags;
            }
            case ZERO -> {
                switch (fn) {
                    case SIN -> dst.set(a);
                    case COS -> dst.set(ONE);
                    case SINCOS -> {
                        dst.set(a);
                        second.set(ONE);
                    }
                    default -> {
                        dst.set(a);
                        second.set(ONE);
                    }
                }
                return 0;
            }
            case DENORMAL, PSEUDO_DENORMAL -> {
                flags = DE;
                if ((cw & DE) == 0) {
                    return flags;
                }
            }
            case NORMAL -> {
                if (a.exponent() >= Ext80.BIAS + 63) {
                    return C2;
                }
            }
        }
        BigDecimal x = BigMath.toBig(a);
        BigDecimal halfPi = (reduction == Reduction.EXACT ? BigMath.PI : PI_66).divide(BigDecimal.valueOf(2));
        BigInteger k = x.divide(halfPi, BigMath.WIDE).setScale(0, RoundingMode.HALF_EVEN).toBigIntegerExact();
        BigDecimal r = k.signum() == 0 ? x : x.subtract(halfPi.multiply(new BigDecimal(k)), BigMath.WIDE);
        int quadrant = k.intValue() & 3;
        BigDecimal s = BigMath.sin(r);
        BigDecimal c = BigMath.cos(r);
        BigDecimal sinX = switch (quadrant) {
            case 0 -> s;
            case 1 -> c;
            case 2 -> s.negate();
            default -> c.negate();
        };
        BigDecimal cosX = switch (quadrant) {
            case 0 -> c;
            case 1 -> s.negate();
            case 2 -> c.negate();
            default -> s;
        };
        switch (fn) {
            case SIN -> flags |= BigMath.round(sinX, dst, cw);
            case COS -> flags |= BigMath.round(cosX, dst, cw);
            case SINCOS -> {
                int fs = BigMath.round(sinX, dst, cw);
                int fc = BigMath.round(cosX, second, cw);
                flags |= fs | fc & ~X87Status.C1;
            }
            default -> {
                BigDecimal t;
                if (r.abs().compareTo(BigMath.TINY) < 0 && (quadrant & 1) == 0) {
                    t = BigMath.tanTiny(r); // keeps the r³/3 that sin/cos would round away
                } else {
                    t = sinX.divide(cosX, BigMath.MC);
                }
                flags |= BigMath.round(t, dst, cw);
                second.set(ONE);
            }
        }
        return flags;
    }

    // ---------------------------------------------------------------- FPATAN

    /** FPATAN: {@code dst} = arctan(y / x) in the quadrant of (x, y); y is ST(1), x is ST(0). */
    public static int atan2(Ext80 y, Ext80 x, Ext80 dst, int controlWord) {
        int flags = twoOperandChecks(x, y, dst, controlWord);
        if (flags < 0) {
            return flags & ~Integer.MIN_VALUE;
        }
        boolean ySign = y.sign();
        boolean xSign = x.sign();
        // SDM Vol. 2A FPATAN, Table 3-29
        if (y.isZero()) {
            if (!xSign) {
                dst.set(y.signExp & 0x8000, 0);
                return flags;
            }
            return flags | BigMath.round(signed(BigMath.PI, ySign), dst, controlWord);
        }
        if (y.isInfinite()) {
            BigDecimal v = x.isInfinite() ? (xSign ? BigMath.PI.multiply(new BigDecimal("0.75"))
                    : BigMath.PI.divide(BigDecimal.valueOf(4))) : BigMath.PI.divide(BigDecimal.valueOf(2));
            return flags | BigMath.round(signed(v, ySign), dst, controlWord);
        }
        if (x.isInfinite()) {
            if (!xSign) {
                dst.set(y.signExp & 0x8000, 0);
                return flags;
            }
            return flags | BigMath.round(signed(BigMath.PI, ySign), dst, controlWord);
        }
        if (x.isZero()) {
            return flags | BigMath.round(signed(BigMath.PI.divide(BigDecimal.valueOf(2)), ySign), dst, controlWord);
        }
        BigDecimal z = BigMath.chop(BigMath.toBig(y).divide(BigMath.toBig(x), BigMath.MC), INNER_BITS);
        BigDecimal v = BigMath.atan(z);
        if (xSign) {
            v = v.add(signed(BigMath.PI, ySign), BigMath.MC);
        }
        return flags | BigMath.round(v, dst, controlWord);
    }

    private static BigDecimal signed(BigDecimal v, boolean negative) {
        return negative ? v.negate() : v;
    }

    /**
     * Unsupported/NaN/denormal checks of the two-operand functions. Returns a negative number
     * (bit 31 set) when the result is decided, else the DE flag or 0.
     */
    private static int twoOperandChecks(Ext80 st0, Ext80 st1, Ext80 dst, int cw) {
        if (st0.kind() == Ext80.Kind.UNSUPPORTED || st1.kind() == Ext80.Kind.UNSUPPORTED) {
            return Integer.MIN_VALUE | X87Arith.invalid(dst, cw);
        }
        if (st0.isNaN() || st1.isNaN()) {
            return Integer.MIN_VALUE | X87Arith.propagateNaN(st0, st1, dst, cw);
        }
        int flags = X87Arith.isDenormal(st0) || X87Arith.isDenormal(st1) ? DE : 0;
        if (flags != 0 && (cw & DE) == 0) {
            return Integer.MIN_VALUE | DE;
        }
        return flags;
    }

    // ---------------------------------------------------------------- F2XM1

    /** F2XM1: {@code dst} = 2^a - 1, for -1 ≤ a ≤ 1 (outside, the SDM leaves the result undefined). */
    public static int exp2m1(Ext80 a, Ext80 dst, int controlWord) {
        int flags = 0;
        switch (a.kind()) {
            case UNSUPPORTED -> {
                return X87Arith.invalid(dst, controlWord);
            }
            case QNAN, SNAN -> {
                return X87Arith.propagateNaN(a, dst, controlWord);
            }
            case ZERO -> {
                dst.set(a);
                return 0;
            }
            case INFINITY -> {
                // SDM Vol. 2A F2XM1 Table 3-17: -∞ gives -1, +∞ gives +∞
                dst.set(a.sign() ? 0xBFFF : 0x7FFF, Ext80.INTEGER_BIT);
                return 0;
            }
            case DENORMAL, PSEUDO_DENORMAL -> {
                flags = DE;
                if ((controlWord & DE) == 0) {
                    return flags;
                }
            }
            case NORMAL -> {
                if (a.exponent() == Ext80.BIAS && a.significand == Ext80.INTEGER_BIT) {
                    // 2^1 - 1 = 1 and 2^-1 - 1 = -0.5, exactly
                    dst.set(a.sign() ? 0xBFFE : 0x3FFF, Ext80.INTEGER_BIT);
                    return 0;
                }
                if (a.exponent() > Ext80.BIAS + 14) {
                    return X87Arith.invalid(dst, controlWord); // far outside the domain: refuse to loop
                }
            }
        }
        BigDecimal y = BigMath.toBig(a).multiply(BigMath.LN2, BigMath.MC);
        BigDecimal v = y.abs().compareTo(BigDecimal.ONE) <= 0 ? BigMath.expm1(y)
                : expLarge(y).subtract(BigDecimal.ONE, BigMath.MC);
        return flags | BigMath.round(v, dst, controlWord);
    }

    /** e^y for |y| > 1 (outside F2XM1's domain): e^(y/2^k) squared k times. */
    private static BigDecimal expLarge(BigDecimal y) {
        int k = 0;
        BigDecimal t = y;
        while (t.abs().compareTo(BigDecimal.ONE) > 0) {
            t = t.divide(BigDecimal.valueOf(2), BigMath.MC);
            k++;
        }
        BigDecimal e = BigMath.expm1(t).add(BigDecimal.ONE, BigMath.MC);
        for (int i = 0; i < k; i++) {
            e = e.multiply(e, BigMath.MC);
        }
        return e;
    }

    // ---------------------------------------------------------------- FYL2X / FYL2XP1

    /** FYL2X: {@code dst} = y × log2(x); x is ST(0), y is ST(1). */
    public static int yl2x(Ext80 x, Ext80 y, Ext80 dst, int controlWord) {
        int flags = twoOperandChecks(x, y, dst, controlWord);
        if (flags < 0) {
            return flags & ~Integer.MIN_VALUE;
        }
        boolean ySign = y.sign();
        // SDM Vol. 2A FYL2X, Table 3-51
        if (x.isZero()) {
            if (y.isZero()) {
                return X87Arith.invalid(dst, controlWord);
            }
            if (y.isInfinite()) {
                dst.set(ySign ? 0x7FFF : 0xFFFF, Ext80.INTEGER_BIT);
                return flags;
            }
            if ((controlWord & ZE) != 0) {
                dst.set(ySign ? 0x7FFF : 0xFFFF, Ext80.INTEGER_BIT);
            }
            return ZE;
        }
        if (x.sign()) {
            return X87Arith.invalid(dst, controlWord); // log of a negative number
        }
        if (x.isInfinite()) {
            if (y.isZero()) {
                return X87Arith.invalid(dst, controlWord);
            }
            dst.set(ySign ? 0xFFFF : 0x7FFF, Ext80.INTEGER_BIT);
            return flags;
        }
        int e = X87Arith.normExp(x.exponent(), x.significand) - Ext80.BIAS;
        long m = X87Arith.normSig(x.exponent(), x.significand);
        boolean logNegative = e < 0;
        if (e == 0 && m == Ext80.INTEGER_BIT) {
            // log2(1) = +0
            if (y.isInfinite()) {
                return X87Arith.invalid(dst, controlWord);
            }
            dst.set(y.signExp & 0x8000, 0);
            return flags;
        }
        if (y.isInfinite() || y.isZero()) {
            dst.set((ySign ^ logNegative ? 0x8000 : 0) | (y.isZero() ? 0 : 0x7FFF), y.significand);
            return flags;
        }
        if (m == Ext80.INTEGER_BIT) {
            // log2(2^e) = e exactly: one rounding, that of the product
            var log = new Ext80();
            X87Convert.fromInt(e, log);
            return flags | X87Arith.mul(y, log, dst, controlWord | 0x300);
        }
        BigDecimal log2 = BigMath.chop(log2(e, m), INNER_BITS);
        return flags | BigMath.round(BigMath.toBig(y).multiply(log2, BigMath.MC), dst, controlWord);
    }

    /** log2(m × 2^(e - 63)) with m normalized, exact integer part kept apart from the series. */
    private static BigDecimal log2(int e, long m) {
        BigDecimal mant = new BigDecimal(new BigInteger(Long.toUnsignedString(m)))
                .divide(BigDecimal.valueOf(2).pow(63)); // in [1, 2), exact
        if (mant.compareTo(new BigDecimal("1.5")) >= 0) {
            mant = mant.divide(BigDecimal.valueOf(2));
            e++;
        }
        BigDecimal t = mant.subtract(BigDecimal.ONE).divide(mant.add(BigDecimal.ONE), BigMath.MC);
        BigDecimal lnM = BigMath.atanh2(t, BigMath.MC);
        return lnM.divide(BigMath.LN2, BigMath.MC).add(BigDecimal.valueOf(e), BigMath.MC);
    }

    /**
     * FYL2XP1: {@code dst} = y × log2(x + 1); x is ST(0), y is ST(1); the SDM restricts |x| to below
     * 1 - √2/2.
     */
    public static int yl2xp1(Ext80 x, Ext80 y, Ext80 dst, int controlWord) {
        int flags = twoOperandChecks(x, y, dst, controlWord);
        if (flags < 0) {
            return flags & ~Integer.MIN_VALUE;
        }
        boolean ySign = y.sign();
        boolean xSign = x.sign();
        // SDM Vol. 2A FYL2XP1, Table 3-52
        if (x.isZero()) {
            if (y.isInfinite()) {
                return X87Arith.invalid(dst, controlWord);
            }
            dst.set(ySign ^ xSign ? 0x8000 : 0, 0);
            return flags;
        }
        if (x.isInfinite()) {
            if (xSign || y.isZero()) {
                return X87Arith.invalid(dst, controlWord);
            }
            dst.set(ySign ? 0xFFFF : 0x7FFF, Ext80.INTEGER_BIT);
            return flags;
        }
        BigDecimal xv = BigMath.toBig(x);
        if (xv.compareTo(BigDecimal.ONE.negate()) <= 0) {
            return X87Arith.invalid(dst, controlWord); // outside the domain: log of ≤ 0
        }
        if (y.isInfinite() || y.isZero()) {
            dst.set((ySign ^ xSign ? 0x8000 : 0) | (y.isZero() ? 0 : 0x7FFF), y.significand);
            return flags;
        }
        BigDecimal log2 = BigMath.chop(BigMath.log1p(xv).divide(BigMath.LN2, BigMath.MC), INNER_BITS);
        return flags | BigMath.round(BigMath.toBig(y).multiply(log2, BigMath.MC), dst, controlWord);
    }
}
