package dev.nexa.cpu.exec;

/** Floating-point to integer conversion and rounding to an integral value (SSE semantics). */
final class FpConvert {
    private FpConvert() {}

    /**
     * Rounds a finite or infinite value to a {@code bits}-bit signed integer (CVTSD2SI and
     * friends, SDM Vol. 2A): MXCSR.RC or truncation; out of range (infinities included) gives the
     * integer indefinite with IE; an inexact in-range result gives PE.
     */
    static long toInt(CpuCore c, double x, int bits, boolean truncate) {
        double r = truncate ? (x < 0 ? Math.ceil(x) : Math.floor(x)) : integral(x, Mxcsr.rc(c.mxcsr));
        boolean inRange = bits == 64 ? r >= -0x1p63 && r < 0x1p63 : r >= -0x1p31 && r < 0x1p31;
        if (!inRange) return Fp64.intIndefinite(c, bits);
        if (r != x) c.simdFlags |= Mxcsr.PE;
        long v = (long) r;
        return bits == 64 ? v : v & 0xFFFF_FFFFL;
    }

    /** x rounded to an integral value in rounding mode {@code rc}; keeps the sign of zero. */
    static double integral(double x, int rc) {
        return switch (rc) {
            case Mxcsr.RD -> Math.floor(x);
            case Mxcsr.RU -> Math.ceil(x);
            case Mxcsr.RZ -> x < 0 ? Math.ceil(x) : Math.floor(x);
            default -> Math.rint(x);
        };
    }
}
