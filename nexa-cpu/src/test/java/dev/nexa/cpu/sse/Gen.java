package dev.nexa.cpu.sse;

import java.util.Random;

/**
 * Operand values biased to the edges that matter for SSE: signed zeros, ones, denormals,
 * the smallest and largest normals, infinities, quiet and signalling NaNs with payloads, the
 * integer-conversion boundaries, single-precision range limits seen from double, values near
 * exponent extremes, and raw bit patterns.
 */
final class Gen {
    private final Random r;

    Gen(Random r) { this.r = r; }

    static final int[] F32_EDGES = {
        0x0000_0000, 0x8000_0000, 0x3F80_0000, 0xBF80_0000, 0x0000_0001, 0x8000_0001, 0x007F_FFFF, 0x807F_FFFF,
        0x0080_0000, 0x8080_0000, 0x7F7F_FFFF, 0xFF7F_FFFF, 0x7F80_0000, 0xFF80_0000, 0x7FC0_0000, 0xFFC0_0000,
        0x7FC0_0001, 0xFFC1_2345, 0x7F80_0001, 0xFFBF_FFFF, 0x7FA0_0000, 0x4F00_0000, 0xCF00_0000, 0x4EFF_FFFF,
        0xCF00_0001, 0x5F00_0000, 0xDF00_0000, 0x5EFF_FFFF, 0xDF00_0001, 0x3F00_0000, 0xBF00_0000, 0x3FC0_0000,
        0x4020_0000, 0xC020_0000, 0x4B80_0001, 0x4B00_0000, 0x0040_0000, 0x3F7F_FFFF, 0x3F80_0001, 0x4040_0000,
        0x3EAA_AAAB, 0x7F00_0000, 0x0100_0000, 0x3400_0000, 0x3380_0000};

    static final long[] F64_EDGES = {
        0L, 0x8000_0000_0000_0000L, 0x3FF0_0000_0000_0000L, 0xBFF0_0000_0000_0000L, 1L, 0x8000_0000_0000_0001L,
        0x000F_FFFF_FFFF_FFFFL, 0x800F_FFFF_FFFF_FFFFL, 0x0010_0000_0000_0000L, 0x8010_0000_0000_0000L,
        0x7FEF_FFFF_FFFF_FFFFL, 0xFFEF_FFFF_FFFF_FFFFL, 0x7FF0_0000_0000_0000L, 0xFFF0_0000_0000_0000L,
        0x7FF8_0000_0000_0000L, 0xFFF8_0000_0000_0000L, 0x7FF8_0000_0000_0001L, 0xFFF8_1234_5678_9ABCL,
        0x7FF0_0000_0000_0001L, 0xFFF7_FFFF_FFFF_FFFFL, 0x7FF4_0000_0000_0000L,
        0x41E0_0000_0000_0000L, 0xC1E0_0000_0000_0000L, 0x41DF_FFFF_FFC0_0000L, 0xC1E0_0000_0010_0000L,
        0xC1E0_0000_0020_0000L, 0x41DF_FFFF_FFE0_0000L, 0xC1DF_FFFF_FFE0_0000L, 0x43E0_0000_0000_0000L,
        0xC3E0_0000_0000_0000L, 0x43DF_FFFF_FFFF_FFFFL, 0xC3E0_0000_0000_0001L, 0x3FE0_0000_0000_0000L,
        0x3FF8_0000_0000_0000L, 0x4004_0000_0000_0000L, 0xC004_0000_0000_0000L, 0xBFE0_0000_0000_0000L,
        0x47EF_FFFF_E000_0000L, 0x47EF_FFFF_F000_0000L, 0x47EF_FFFF_F000_0001L, 0x47EF_FFFF_EFFF_FFFFL,
        0x3810_0000_0000_0000L, 0x380F_FFFF_F000_0000L, 0x36A0_0000_0000_0000L, 0x3690_0000_0000_0000L,
        0x3690_0000_0000_0001L, 0x4340_0000_0000_0001L, 0x3FEF_FFFF_FFFF_FFFFL, 0x3FF0_0000_0000_0001L,
        0x7FE0_0000_0000_0000L, 0x0020_0000_0000_0000L, 0x3CA0_0000_0000_0000L};

    boolean chance(int percent) { return r.nextInt(100) < percent; }

    int f32() {
        int p = r.nextInt(100);
        if (p < 30) return F32_EDGES[r.nextInt(F32_EDGES.length)];
        if (p < 85) {
            int exp = switch (r.nextInt(6)) {
                case 0 -> r.nextInt(256);
                case 1 -> r.nextInt(30);                 // tiny and denormal
                case 2 -> 254 - r.nextInt(30);           // huge
                case 3 -> 127 + r.nextInt(61) - 30;      // around 1
                case 4 -> 150 + r.nextInt(40);           // integer conversion range
                default -> 127 + r.nextInt(7) - 3;
            };
            int frac = switch (r.nextInt(3)) {
                case 0 -> r.nextInt() & 0x7F_FFFF;
                case 1 -> (r.nextInt() & 0x7F_FFFF) & (-1 << r.nextInt(23));
                default -> r.nextInt(8) | (r.nextBoolean() ? 0x7F_FFF8 : 0);
            };
            return (r.nextBoolean() ? 0x8000_0000 : 0) | exp << 23 | frac;
        }
        return r.nextInt();
    }

    long f64() {
        int p = r.nextInt(100);
        if (p < 30) return F64_EDGES[r.nextInt(F64_EDGES.length)];
        if (p < 85) {
            long exp = switch (r.nextInt(7)) {
                case 0 -> r.nextInt(2048);
                case 1 -> r.nextInt(60);                 // tiny and denormal
                case 2 -> 2046 - r.nextInt(60);          // huge
                case 3 -> 1023 + r.nextInt(121) - 60;    // around 1
                case 4 -> 1023 + 20 + r.nextInt(50);     // integer conversion range
                case 5 -> 1023 - 126 + r.nextInt(30) - 25; // binary32 underflow range
                default -> 1023 + 127 + r.nextInt(6) - 3;  // binary32 overflow range
            };
            long frac = switch (r.nextInt(3)) {
                case 0 -> r.nextLong() & 0xF_FFFF_FFFF_FFFFL;
                case 1 -> (r.nextLong() & 0xF_FFFF_FFFF_FFFFL) & (-1L << r.nextInt(52));
                default -> r.nextInt(8) | (r.nextBoolean() ? 0xF_FFFF_FFFF_FFF8L : 0);
            };
            return (r.nextBoolean() ? 1L << 63 : 0) | exp << 52 | frac;
        }
        return r.nextLong();
    }

    /** 64 bits of integer data: random, lanes at signed/unsigned extremes, or a small alphabet with NULs. */
    long data() {
        return switch (r.nextInt(6)) {
            case 5 -> r.nextInt(72);                       // small: shift counts, lengths, indices
            case 0, 1 -> r.nextLong();
            case 2 -> {
                long v = 0;
                int[] bytes = {0x00, 0xFF, 0x80, 0x7F, 0x01, 0xFE, 0x81};
                for (int k = 0; k < 8; k++) v |= (long) (r.nextInt(4) == 0 ? r.nextInt(256) : bytes[r.nextInt(bytes.length)]) << (8 * k);
                yield v;
            }
            case 3 -> {
                long v = 0;
                for (int k = 0; k < 8; k++) v |= (long) (r.nextInt(8) == 0 ? 0 : 'a' + r.nextInt(4)) << (8 * k);
                yield v;
            }
            default -> {
                long[] e = {0, -1, 0x8000_0000_0000_0000L, 0x7FFF_FFFF_FFFF_FFFFL, 0x8000_0000_8000_0000L,
                    0x7FFF_7FFF_7FFF_7FFFL, 0x8000_8000_8000_8000L, 0x0000_FFFF_0000_FFFFL, 1};
                yield e[r.nextInt(e.length)];
            }
        };
    }

    /** A value of the row's element type, as 64 bits. */
    long lanes(Row.Type t) {
        return switch (t) {
            case F32 -> f32() & 0xFFFF_FFFFL | (long) f32() << 32;
            case F64 -> f64();
            case INT -> data();
        };
    }

    long gpr() {
        long[] e = {0, 1, -1, 0x7FFF_FFFFL, 0xFFFF_FFFF_8000_0000L, 0x8000_0000L, 0x7FFF_FFFF_FFFF_FFFFL,
            0x8000_0000_0000_0000L, (1L << 24) + 1, (1L << 53) + 1, -(1L << 53) - 1, 0xFFFF_FFFFL, 0x0100_0001L};
        return switch (r.nextInt(4)) {
            case 0 -> e[r.nextInt(e.length)];
            case 1 -> r.nextInt(41) - 20;
            case 2 -> r.nextLong() >> r.nextInt(64);
            default -> r.nextLong();
        };
    }

    /** MXCSR with all exceptions masked: any rounding mode, DAZ and FTZ, sometimes sticky flags. */
    int mxcsr() {
        int v = 0x1F80 | r.nextInt(4) << 13;
        if (r.nextBoolean()) v |= 0x40;
        if (r.nextBoolean()) v |= 0x8000;
        if (r.nextInt(4) == 0) v |= r.nextInt(64);
        return v;
    }

    int nextInt(int bound) { return r.nextInt(bound); }

    long nextLong() { return r.nextLong(); }

    boolean nextBoolean() { return r.nextBoolean(); }
}
