package dev.nexa.cpu.sse;

import static org.junit.jupiter.api.Assertions.fail;

import dev.nexa.cpu.oracle.MachineState;
import java.util.HexFormat;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Scalar arithmetic and narrowing on operands built to land where rounding is hardest, compared
 * with the host: results at the underflow threshold (tininess after rounding, FTZ), at the
 * overflow threshold in every rounding mode, on or next to binary32 midpoints (where the
 * binary64 intermediate of the fast path must not decide alone), and deep in the denormals.
 */
class FpHardCasesProperties {
    private static final String[] SINGLE = {"F3 0F 58", "F3 0F 5C", "F3 0F 59", "F3 0F 5E", "F3 0F 51"};
    private static final String[] DOUBLE = {"F2 0F 58", "F2 0F 5C", "F2 0F 59", "F2 0F 5E", "F2 0F 51"};
    private static final String CVTSD2SS = "F2 0F 5A";

    private final Oracle oracle = new Oracle();

    @Property
    void singleHardCases(@ForAll long seed) {
        SseOracleProperties.assumeHost();
        var r = new Random(seed);
        int k = r.nextInt(SINGLE.length + 1);
        if (k == SINGLE.length) {
            check(CVTSD2SS, r, narrowingOperand(r), r.nextLong());
        } else {
            long[] ab = singleOperands(r, k);
            check(SINGLE[k], r, ab[0], ab[1]);
        }
    }

    @Property
    void doubleHardCases(@ForAll long seed) {
        SseOracleProperties.assumeHost();
        var r = new Random(seed);
        int k = r.nextInt(DOUBLE.length);
        long[] ab = doubleOperands(r, k);
        check(DOUBLE[k], r, ab[0], ab[1]);
    }

    /** Runs "op xmm1, xmm2" with xmm1 = a, xmm2 = b (low elements) and a random MXCSR. */
    private void check(String op, Random r, long a, long b) {
        byte[] code = HexFormat.of().parseHex((op + " CA").replace(" ", ""));
        var g = new Gen(r);
        MachineState in = MachineState.initial().mxcsr(g.mxcsr());
        in.xmm(1, a, r.nextLong()).xmm(2, b, r.nextLong());
        String f = oracle.check(new Oracle.Case(Row.of(op, op, Row.Kind.XMM, -1, Row.Kind.XMM, 0, 0, Row.Type.F32), code, in));
        if (f != null) fail(f);
    }

    private static float f(Random r, float lo, float hi) { return lo + (hi - lo) * r.nextFloat(); }

    private static int bits(float x) { return Float.floatToRawIntBits(x); }

    private static float nudge(float x, Random r) { return Float.intBitsToFloat(bits(x) + r.nextInt(9) - 4); }

    /** Operands for ADDSS, SUBSS, MULSS, DIVSS (k 0-3) or SQRTSS (4), in the low 32 bits. */
    private static long[] singleOperands(Random r, int k) {
        float a, b;
        boolean sum = k == 0 || k == 1;
        switch (r.nextInt(4)) {
            case 0 -> {                                      // result near the smallest normal
                float target = Float.MIN_NORMAL * f(r, 0.99f, 1.01f);
                b = nudge(f(r, 0.5f, 2f), r);
                if (sum) {
                    a = nudge(Float.MIN_NORMAL * f(r, 1f, 3f), r);
                    b = nudge(Float.MIN_NORMAL * f(r, 1f, 3f), r) * (k == 0 ? -1 : 1);
                } else {
                    a = nudge(k == 2 ? target / b : target * b, r);
                }
            }
            case 1 -> {                                      // result near the largest finite number
                a = nudge(Float.MAX_VALUE, r);
                b = sum ? Math.ulp(Float.MAX_VALUE) * f(r, 0.25f, 1f) * (k == 1 ? -1 : 1) : nudge(f(r, 0.999f, 1.001f), r);
            }
            case 2 -> {                                      // on or next to a binary32 midpoint
                float q = f(r, 1f, 2f);
                double mid = q + Math.ulp(q) / 2.0;
                b = f(r, 1f, 2f);
                if (sum) {
                    a = nudge(1f, r);
                    b = Math.ulp(1f) / 2 * (1 + 2 * r.nextInt(2));
                } else if (k == 2) {
                    a = nudge(q, r);
                    b = nudge(1f + Math.ulp(1f) * r.nextInt(4), r);
                } else {
                    a = k == 4 ? (float) (mid * mid) : (float) (mid * b);
                }
            }
            default -> {                                     // denormal operands and results
                a = Float.intBitsToFloat(r.nextInt(0x0100_0000) | (r.nextBoolean() ? 0x8000_0000 : 0));
                b = Float.intBitsToFloat(r.nextInt(0x4080_0000));
            }
        }
        return new long[] {bits(a) & 0xFFFF_FFFFL, bits(b) & 0xFFFF_FFFFL};
    }

    private static double d(Random r, double lo, double hi) { return lo + (hi - lo) * r.nextDouble(); }

    private static double nudge(double x, Random r) {
        return Double.longBitsToDouble(Double.doubleToRawLongBits(x) + r.nextInt(9) - 4);
    }

    private static long[] doubleOperands(Random r, int k) {
        double a, b;
        switch (r.nextInt(4)) {
            case 0 -> {
                double target = Double.MIN_NORMAL * d(r, 0.99, 1.01);
                b = nudge(d(r, 0.5, 2), r);
                a = switch (k) {
                    case 2 -> nudge(target / b, r);
                    case 3 -> nudge(target * b, r);
                    case 4 -> nudge(target * 0x1p-50, r);
                    default -> nudge(Double.MIN_NORMAL * d(r, 1, 3), r);
                };
                if (k == 0) b = -nudge(Double.MIN_NORMAL * d(r, 1, 3), r);
                if (k == 1) b = nudge(Double.MIN_NORMAL * d(r, 1, 3), r);
                if (k == 2 && r.nextBoolean()) { a = nudge(1 - 0x1p-53 * r.nextInt(3), r); b = nudge(Double.MIN_NORMAL, r); }
            }
            case 1 -> {
                a = nudge(Double.MAX_VALUE, r);
                b = switch (k) {
                    case 0, 1 -> Math.ulp(Double.MAX_VALUE) * d(r, 0.25, 1) * (k == 1 ? -1 : 1);
                    default -> nudge(d(r, 0.999, 1.001), r);
                };
            }
            case 2 -> {
                a = Double.longBitsToDouble(r.nextLong() & 0x000F_FFFF_FFFF_FFFFL | (r.nextBoolean() ? 1L << 63 : 0));
                b = Double.longBitsToDouble(r.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL);
            }
            default -> {
                a = nudge(d(r, 1, 2) * Math.scalb(1.0, r.nextInt(2000) - 1000), r);
                b = nudge(a * (1 + 0x1p-52 * (r.nextInt(9) - 4)), r);
            }
        }
        return new long[] {Double.doubleToRawLongBits(a), Double.doubleToRawLongBits(b)};
    }

    /** Doubles that narrow to binary32 at midpoints, at the underflow and overflow thresholds. */
    private static long narrowingOperand(Random r) {
        double x = switch (r.nextInt(4)) {
            case 0 -> {
                float f = f(r, 1, 2);
                yield f + Math.ulp(f) / 2.0;
            }
            case 1 -> Float.MIN_NORMAL * d(r, 0.999, 1.001);
            case 2 -> Float.MAX_VALUE * d(r, 0.9999999, 1.0000001);
            default -> Float.MIN_VALUE * d(r, 0, 4);
        };
        if (r.nextBoolean()) x = -x;
        return Double.doubleToRawLongBits(nudge(x, r));
    }
}
