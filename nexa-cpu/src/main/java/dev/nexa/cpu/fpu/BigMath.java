package dev.nexa.cpu.fpu;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Arbitrary-precision helpers for the transcendental instructions: exact conversion of an
 * {@link Ext80} to {@link BigDecimal}, correctly rounded conversion back, and Taylor/atanh series
 * evaluated with {@link #MC} (60 significant digits, about 199 bits, three times the 64 bits a
 * result needs). These allocate; the transcendentals are rare enough.
 *
 * <p>Series terms are computed to {@link #MC} but summed exactly: when a result lies extremely
 * close to a representable number (sin x ≈ x for tiny x, cos x ≈ 1), the tiny correction terms
 * still decide on which side it lies, which fixes the rounding direction and C1.
 */
final class BigMath {
    private BigMath() {}

    static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);
    /** Wider context for argument reduction, where up to 20 leading digits cancel. */
    static final MathContext WIDE = new MathContext(110, RoundingMode.HALF_EVEN);
    private static final BigDecimal TWO = BigDecimal.valueOf(2);
    private static final BigDecimal EPS = BigDecimal.ONE.movePointLeft(MC.getPrecision() + 6);

    /** pi to 150 digits. */
    static final BigDecimal PI = new BigDecimal(
            "3.14159265358979323846264338327950288419716939937510582097494459230781640628620899862803482534211706"
            + "798214808651328230664709384460955058223172535940812848111745028410270193852110555964462294895493038196");

    /** ln 2, computed once as 2 atanh(1/3). */
    static final BigDecimal LN2 = atanh2(BigDecimal.ONE.divide(BigDecimal.valueOf(3), WIDE), WIDE);

    /** The exact value of a finite {@link Ext80} (rounded to {@link #WIDE} only for tiny exponents). */
    static BigDecimal toBig(Ext80 x) {
        int e = x.signExp & 0x7FFF;
        long m = x.significand;
        if (m == 0) {
            return BigDecimal.ZERO;
        }
        int p = Math.max(e, 1) - Ext80.BIAS - 63; // value = m × 2^p
        var sig = new BigDecimal(new BigInteger(Long.toUnsignedString(m)));
        BigDecimal v;
        if (p >= 0) {
            v = new BigDecimal(sig.toBigInteger().shiftLeft(p));
        } else if (p > -400) {
            v = new BigDecimal(sig.toBigInteger().multiply(BigInteger.valueOf(5).pow(-p)), -p);
        } else {
            v = sig.multiply(TWO.pow(p, WIDE), WIDE);
        }
        return x.sign() ? v.negate() : v;
    }

    /** {@code v} chopped (rounded toward zero) to {@code n} significant bits: the x87's internal format. */
    static BigDecimal chop(BigDecimal v, int n) {
        if (v.signum() == 0) {
            return v;
        }
        boolean neg = v.signum() < 0;
        v = v.abs();
        int log2 = (int) Math.floor(v.unscaledValue().bitLength() - v.scale() * 3.321928094887362);
        int s = n + 8 - log2; // v × 2^s has at least n + 4 integer bits, so its integer part decides
        BigDecimal pow = new BigDecimal(BigInteger.ONE.shiftLeft(Math.abs(s)));
        BigDecimal scaled = s >= 0 ? v.multiply(pow) : v.divide(pow);
        BigInteger q = scaled.setScale(0, RoundingMode.DOWN).toBigInteger();
        int drop = q.bitLength() - n;
        BigInteger top = q.shiftRight(drop);
        BigDecimal r = new BigDecimal(top.shiftLeft(drop));
        r = s >= 0 ? r.divide(pow) : r.multiply(pow);
        return neg ? r.negate() : r;
    }

    /**
     * Rounds a nonzero value to an {@link Ext80} at 64 bits per RC and returns PE/UE/OE/C1. The value is
     * taken as inexact (an irrational function value approximated to ~199 bits) so PE is always set.
     */
    static int round(BigDecimal v, Ext80 dst, int controlWord) {
        boolean neg = v.signum() < 0;
        v = v.abs();
        BigInteger u = v.unscaledValue();
        int scale = v.scale();
        int log2 = (int) Math.floor(u.bitLength() - scale * 3.321928094887362);
        int s = 160 - log2; // v × 2^s has about 160 bits
        BigInteger num = u;
        BigInteger den = BigInteger.ONE;
        if (scale > 0) {
            den = BigInteger.TEN.pow(scale);
        } else if (scale < 0) {
            num = num.multiply(BigInteger.TEN.pow(-scale));
        }
        if (s >= 0) {
            num = num.shiftLeft(s);
        } else {
            den = den.shiftLeft(-s);
        }
        BigInteger q = num.divide(den);
        int bl = q.bitLength();
        long sig = q.shiftRight(bl - 64).longValue();
        if (bl < 128) {
            throw new IllegalStateException("too few bits: " + bl);
        }
        long extra = q.shiftRight(bl - 128).longValue() | 1; // forced sticky: never exact
        int exp = Ext80.BIAS + bl - 1 - s;
        return Round80.roundPack(dst, neg, exp, sig, extra, controlWord | 0x300, 64);
    }

    /** sin r by its Taylor series; |r| ≲ 1. */
    static BigDecimal sin(BigDecimal r) {
        BigDecimal r2 = r.multiply(r, MC);
        BigDecimal term = r;
        BigDecimal sum = r;
        for (int n = 1; term.abs().compareTo(EPS.multiply(sum.abs())) > 0 && n < 200; n++) {
            term = term.multiply(r2, MC).divide(BigDecimal.valueOf((2L * n) * (2L * n + 1)), MC).negate();
            sum = sum.add(term);
        }
        return sum;
    }

    /** cos r by its Taylor series; |r| ≲ 1. */
    static BigDecimal cos(BigDecimal r) {
        BigDecimal r2 = r.multiply(r, MC);
        BigDecimal term = BigDecimal.ONE;
        BigDecimal sum = BigDecimal.ONE;
        for (int n = 1; term.abs().compareTo(EPS) > 0 && n < 200; n++) {
            term = term.multiply(r2, MC).divide(BigDecimal.valueOf((2L * n - 1) * (2L * n)), MC).negate();
            sum = sum.add(term);
        }
        return sum;
    }

    /** 2 atanh(t) = ln((1+t)/(1-t)), series in t²; |t| ≤ 1/3. */
    static BigDecimal atanh2(BigDecimal t, MathContext mc) {
        BigDecimal t2 = t.multiply(t, mc);
        BigDecimal power = t;
        BigDecimal sum = t;
        BigDecimal eps = BigDecimal.ONE.movePointLeft(mc.getPrecision() + 6);
        for (int n = 1; n < 2000; n++) {
            power = power.multiply(t2, mc);
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), mc);
            sum = sum.add(term);
            if (term.abs().compareTo(eps.multiply(sum.abs())) <= 0) {
                break;
            }
        }
        return sum.multiply(TWO);
    }

    /** ln(1 + x) for x > -1, accurate relative to the result even for tiny x. */
    static BigDecimal log1p(BigDecimal x) {
        if (x.abs().compareTo(TINY) < 0) {
            // x - x²/2 + x³/3 - ...: the division x / (2 + x) would round the x² term away
            BigDecimal p = x;
            BigDecimal sum = x;
            for (int n = 2; n < 100; n++) {
                p = p.multiply(x, MC).negate();
                BigDecimal term = p.divide(BigDecimal.valueOf(n), MC);
                sum = sum.add(term);
                if (term.abs().compareTo(EPS.multiply(sum.abs())) <= 0) {
                    break;
                }
            }
            return sum;
        }
        if (x.abs().compareTo(new BigDecimal("0.5")) <= 0) {
            return atanh2(x.divide(TWO.add(x, MC), MC), MC);
        }
        return log(BigDecimal.ONE.add(x, MC));
    }

    /** ln x for x > 0: x = m × 2^k with m in [0.75, 1.5), ln m by the atanh series. */
    static BigDecimal log(BigDecimal x) {
        int k = (int) Math.round(x.unscaledValue().bitLength() - x.scale() * 3.321928094887362);
        BigDecimal m = k >= 0 ? x.divide(TWO.pow(k), MC) : x.multiply(TWO.pow(-k), MC);
        while (m.compareTo(ONE_AND_HALF) >= 0) {
            m = m.divide(TWO, MC);
            k++;
        }
        while (m.compareTo(THREE_QUARTERS) < 0) {
            m = m.multiply(TWO, MC);
            k--;
        }
        BigDecimal t = m.subtract(BigDecimal.ONE, MC).divide(m.add(BigDecimal.ONE, MC), MC);
        return atanh2(t, MC).add(LN2.multiply(BigDecimal.valueOf(k), MC), MC);
    }

    private static final BigDecimal ONE_AND_HALF = new BigDecimal("1.5");
    private static final BigDecimal THREE_QUARTERS = new BigDecimal("0.75");

    /** e^y - 1 by its Taylor series, accurate relative to the result; |y| ≲ 1. */
    static BigDecimal expm1(BigDecimal y) {
        BigDecimal term = y;
        BigDecimal sum = y;
        for (int n = 2; term.abs().compareTo(EPS.multiply(sum.abs())) > 0 && n < 300; n++) {
            term = term.multiply(y, MC).divide(BigDecimal.valueOf(n), MC);
            sum = sum.add(term);
        }
        return sum;
    }

    /** atan z for any finite z. */
    static BigDecimal atan(BigDecimal z) {
        if (z.signum() < 0) {
            return atan(z.negate()).negate();
        }
        if (z.compareTo(BigDecimal.ONE) > 0) {
            return PI.divide(TWO, MC).subtract(atan(BigDecimal.ONE.divide(z, MC)), MC);
        }
        if (z.compareTo(TINY) < 0) {
            return alternatingOddSeries(z); // z - z³/3 + ..., without the halving's rounding
        }
        // atan z = 2 atan(z / (1 + sqrt(1 + z²))), twice: |z| ≤ tan(pi/16) ≈ 0.2
        BigDecimal w = z;
        for (int i = 0; i < 2; i++) {
            w = w.divide(BigDecimal.ONE.add(BigDecimal.ONE.add(w.multiply(w, MC), MC).sqrt(MC), MC), MC);
        }
        return alternatingOddSeries(w).multiply(BigDecimal.valueOf(4));
    }

    /** Below this, the tiny-argument series are used directly (2^-20). */
    static final BigDecimal TINY = BigDecimal.ONE.divide(BigDecimal.valueOf(1L << 20));

    /** w - w³/3 + w⁵/5 - ..., the arctangent series. */
    private static BigDecimal alternatingOddSeries(BigDecimal w) {
        BigDecimal w2 = w.multiply(w, MC);
        BigDecimal power = w;
        BigDecimal sum = w;
        for (int n = 1; n < 400; n++) {
            power = power.multiply(w2, MC).negate();
            BigDecimal term = power.divide(BigDecimal.valueOf(2L * n + 1), MC);
            sum = sum.add(term);
            if (term.abs().compareTo(EPS.multiply(sum.abs())) <= 0) {
                break;
            }
        }
        return sum;
    }

    /** tan r for |r| < 2^-20: r + r³/3 + 2r⁵/15 + 17r⁷/315 + 62r⁹/2835, summed exactly. */
    static BigDecimal tanTiny(BigDecimal r) {
        BigDecimal r2 = r.multiply(r, MC);
        BigDecimal p = r;
        BigDecimal sum = r;
        long[][] coefficients = {{1, 3}, {2, 15}, {17, 315}, {62, 2835}};
        for (long[] c : coefficients) {
            p = p.multiply(r2, MC);
            sum = sum.add(p.multiply(BigDecimal.valueOf(c[0])).divide(BigDecimal.valueOf(c[1]), MC));
        }
        return sum;
    }
}
