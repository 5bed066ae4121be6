package dev.nexa.cpu.exec;

/**
 * RCPSS/RCPPS and RSQRTSS/RSQRTPS: approximate reciprocal and reciprocal square root. The SDM
 * (Vol. 2B RCPPS, RSQRTPS) fixes only the error bound, |relative error| <= 1.5 * 2^-12, and the
 * special cases; the exact bits are a property of each processor's lookup tables (Intel and
 * AMD differ). Nexa returns the true value rounded to nearest at 12 fraction bits, within
 * the bound. Special cases as the SDM has them: no exception is ever raised, MXCSR is ignored,
 * denormal inputs count as zeros of their sign (giving infinities), tiny results flush to zero,
 * NaNs come back quieted, and the square root of a negative number is the QNaN indefinite.
 */
final class Approx {
    private Approx() {}

    static int of(int a, boolean sqrt) {
        if (Fp32.isNaN(a)) return a | Fp32.QUIET;
        int sign = a & Fp32.SIGN;
        if ((a & Fp32.EXP) == 0) return sign | Fp32.EXP;               // ±0 and denormals
        if (sqrt && sign != 0) return Fp32.INDEFINITE;
        if (Fp32.isInf(a)) return sign;
        double x = Math.abs(Fp32.d(a));
        double r = sqrt ? 1 / Math.sqrt(x) : 1 / x;
        int bits = Float.floatToRawIntBits((float) r);
        bits = (bits + 0x400) & ~0x7FF;                                  // nearest, 12 fraction bits
        if ((bits & Fp32.EXP) == 0) return sign;                         // tiny: flushed
        return sign | bits;
    }
}
