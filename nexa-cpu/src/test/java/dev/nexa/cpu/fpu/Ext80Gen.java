package dev.nexa.cpu.fpu;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * jqwik generators of x87 operands biased to the values where implementations go wrong: zeros,
 * denormals, pseudo-denormals, the normal range's ends, infinities, NaNs, unsupported encodings,
 * halfway and near-integer values, huge and tiny exponents, and random bit patterns.
 *
 * <p>{@link #BATCH} is 1 by default and 100 with {@code -Dnexa.long=true}: the properties take a list
 * of that many inputs per try, which multiplies the effective tries without a compile-time constant.
 */
final class Ext80Gen {
    private Ext80Gen() {}

    /** Inputs per jqwik try: 1, or 100 with -Dnexa.long=true. */
    static final int BATCH = Boolean.getBoolean("nexa.long") ? 100 : 1;

    static final List<Ext80> EDGES = edges();

    private static List<Ext80> edges() {
        long[][] raw = {
            {0x0000, 0},                          // +0
            {0x3FFF, 0x8000_0000_0000_0000L},     // 1
            {0x3FFE, 0x8000_0000_0000_0000L},     // 0.5
            {0x3FFF, 0xC000_0000_0000_0000L},     // 1.5
            {0x4000, 0xA000_0000_0000_0000L},     // 2.5
            {0x3FFE, 0xFFFF_FFFF_FFFF_FFFFL},     // 1 - 2^-64
            {0x3FFF, 0x8000_0000_0000_0001L},     // 1 + ulp
            {0x0000, 0x0000_0000_0000_0001L},     // smallest denormal
            {0x0000, 0x7FFF_FFFF_FFFF_FFFFL},     // largest denormal
            {0x0000, 0x8000_0000_0000_0000L},     // pseudo-denormal
            {0x0000, 0xC000_0000_0000_0001L},     // pseudo-denormal
            {0x0001, 0x8000_0000_0000_0000L},     // smallest normal
            {0x0001, 0xFFFF_FFFF_FFFF_FFFFL},
            {0x7FFE, 0xFFFF_FFFF_FFFF_FFFFL},     // largest normal
            {0x7FFE, 0x8000_0000_0000_0000L},
            {0x7FFF, 0x8000_0000_0000_0000L},     // infinity
            {0x7FFF, 0xC000_0000_0000_0000L},     // QNaN (indefinite when negative)
            {0x7FFF, 0xC000_0000_0000_1234L},     // QNaN with payload
            {0x7FFF, 0x8000_0000_0000_0001L},     // SNaN
            {0x7FFF, 0xBFFF_FFFF_FFFF_FFFFL},     // SNaN, largest payload
            {0x7FFF, 0x0000_0000_0000_0000L},     // pseudo-infinity
            {0x7FFF, 0x4000_0000_0000_0000L},     // pseudo-NaN
            {0x3FFF, 0x4000_0000_0000_0000L},     // unnormal
            {0x0100, 0x0000_0000_0000_0001L},     // unnormal
            {0x403E, 0x8000_0000_0000_0000L},     // 2^63
            {0x403D, 0xFFFF_FFFF_FFFF_FFFFL},     // 2^63 - 0.5
            {0x403E, 0xFFFF_FFFF_FFFF_FFFFL},     // 2^64 - 1
            {0x403F, 0x8000_0000_0000_0000L},     // 2^64
            {0x400D, 0xFFFF_0000_0000_0000L},     // 65535
            {0x400D, 0xFFFF_8000_0000_0000L},     // 32767.5 × 2
            {0x400C, 0xFFFF_0000_0000_0000L},     // 32767.5
            {0x401D, 0xFFFF_FFFF_0000_0000L},     // 2^31 - 0.5 region
            {0x403A, 0xDE0B_6B3A_7640_0000L},     // 10^18
            {0x4039, 0xDE0B_6B3A_763F_FFF0L},     // just below 10^18
            {0x3C01, 0x8000_0000_0000_0000L},     // 2^-1022, double's smallest normal
            {0x3BCD, 0x8000_0000_0000_0000L},     // 2^-1074, double's smallest denormal
            {0x3BCC, 0xC000_0000_0000_0000L},     // 1.5 × 2^-1075
            {0x43FE, 0xFFFF_FFFF_FFFF_F800L},     // double's max
            {0x43FE, 0xFFFF_FFFF_FFFF_FC00L},     // halfway above double's max
            {0x407E, 0xFFFF_FF00_0000_0000L},     // float's max
            {0x3F81, 0x8000_0000_0000_0000L},     // float's smallest normal
            {0x3F6A, 0x8000_0000_0000_0000L},     // float's smallest denormal
            {0x4000, 0xC90F_DAA2_2168_C235L},     // pi
            {0x3FFF, 0xC90F_DAA2_2168_C235L},     // pi/2
            {0x403D, 0xC90F_DAA2_2168_C235L},     // ~2^62 × pi
        };
        var list = new ArrayList<Ext80>();
        for (long[] r : raw) {
            list.add(new Ext80((int) r[0], r[1]));
            list.add(new Ext80((int) r[0] | 0x8000, r[1]));
        }
        return List.copyOf(list);
    }

    static Arbitrary<Ext80> edge() {
        return Arbitraries.of(EDGES).map(x -> new Ext80(x.signExp(), x.significand()));
    }

    /** A normal number with an exponent from {@code lo} to {@code hi} (biased) and random bits. */
    static Arbitrary<Ext80> normal(int lo, int hi) {
        return Combinators.combine(Arbitraries.integers().between(lo, hi), Arbitraries.longs(),
                Arbitraries.of(0, 0x8000)).as((e, m, s) -> new Ext80(s | e, m | Ext80.INTEGER_BIT));
    }

    /** Significands with long runs of ones or zeros (carry and tie cases). */
    static Arbitrary<Ext80> runs(int lo, int hi) {
        return Combinators.combine(Arbitraries.integers().between(lo, hi), Arbitraries.integers().between(0, 63),
                Arbitraries.integers().between(0, 63), Arbitraries.of(0, 0x8000), Arbitraries.of(0L, -1L))
                .as((e, a, b, s, fill) -> {
                    long m = fill ^ (-1L >>> a << b);
                    return new Ext80(s | e, m | Ext80.INTEGER_BIT);
                });
    }

    static Arbitrary<Ext80> rawBits() {
        return Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.longs())
                .as(Ext80::new);
    }

    static Arbitrary<Ext80> denormal() {
        return Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE), Arbitraries.of(0, 0x8000))
                .as((m, s) -> new Ext80(s, m >>> (m & 63)));
    }

    /** Exponent 0 with the integer bit set: accepted as operands, with the value of exponent 1. */
    static Arbitrary<Ext80> pseudoDenormal() {
        return Combinators.combine(Arbitraries.longs(), Arbitraries.of(0, 0x8000))
                .as((m, s) -> new Ext80(s, m | Ext80.INTEGER_BIT));
    }

    /** Any operand, biased to edges. */
    static Arbitrary<Ext80> any() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(25, edge()),
                net.jqwik.api.Tuple.of(30, normal(0x3FBF, 0x403F)),
                net.jqwik.api.Tuple.of(10, runs(0x3FBF, 0x403F)),
                net.jqwik.api.Tuple.of(15, normal(1, 0x7FFE)),
                net.jqwik.api.Tuple.of(5, denormal()),
                net.jqwik.api.Tuple.of(3, pseudoDenormal()),
                net.jqwik.api.Tuple.of(5, normal(1, 0x50)),
                net.jqwik.api.Tuple.of(5, normal(0x7FB0, 0x7FFE)),
                net.jqwik.api.Tuple.of(5, rawBits()));
    }

    /** Pairs: independent, or the second close to the first (cancellation, ties, equal exponents). */
    static Arbitrary<Ext80[]> pairs() {
        var independent = Combinators.combine(any(), any()).as((a, b) -> new Ext80[] {a, b});
        var close = Combinators.combine(any(), Arbitraries.integers().between(-70, 70), Arbitraries.longs(),
                Arbitraries.integers().between(0, 3)).as((a, de, bits, how) -> {
                    int e = Math.clamp((a.signExp() & 0x7FFF) + de, 1, 0x7FFE);
                    long m = switch (how) {
                        case 0 -> bits | Ext80.INTEGER_BIT;
                        case 1 -> a.significand() ^ (bits & 0xFF);
                        case 2 -> a.significand() | Ext80.INTEGER_BIT;
                        default -> Ext80.INTEGER_BIT | bits >>> 40 << 40;
                    };
                    int sign = (int) (bits >>> 63) << 15;
                    return new Ext80[] {a, new Ext80(sign | e, m)};
                });
        return Arbitraries.oneOf(independent, close);
    }

    static <T> Arbitrary<List<T>> batch(Arbitrary<T> a) {
        return a.list().ofSize(BATCH);
    }

    /** Every PC (including the reserved 01) × RC combination, exceptions masked. */
    static Arbitrary<Integer> controlWords() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3))
                .as(X87Status::controlWord);
    }
}
