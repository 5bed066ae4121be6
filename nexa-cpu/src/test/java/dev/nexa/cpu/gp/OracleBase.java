package dev.nexa.cpu.gp;

import dev.nexa.cpu.oracle.NativeExecutor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Generators shared by the oracle properties: operand values biased to the edges of every
 * width, whole environments ({@link Setup.Env}), memory addressing forms, and the helpers that
 * place and run one instruction.
 */
abstract class OracleBase {
    static final long CODE = NativeExecutor.CODE_ADDRESS;
    static final int[] SIZES = {1, 2, 4, 8};
    static final int[] VSIZES = {2, 4, 8};

    private static final long[] EDGES = {
        0, 1, 2, 3, -1, -2, 0x7F, 0x80, 0x81, 0xFF, 0x100, 0x7FFF, 0x8000, 0x8001, 0xFFFF, 0x1_0000,
        0x7FFF_FFFFL, 0x8000_0000L, 0x8000_0001L, 0xFFFF_FFFFL, 0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE,
        Long.MIN_VALUE + 1, 0x1F, 0x20, 0x3F, 0x40, 0x41, 0x0F, 0x10, 0x11, 8, 9, 16, 17, 31, 32, 33, 63, 64, 65,
        0x5555_5555_5555_5555L, 0xAAAA_AAAA_AAAA_AAAAL, 0x0101_0101_0101_0101L,
    };

    /** Operand values: edges of every width (with random or clean upper bits), small, or uniform. */
    static Arbitrary<Long> values() {
        Arbitrary<Long> edges = Arbitraries.of(box(EDGES));
        Arbitrary<Long> narrow = Combinators
                .combine(edges, Arbitraries.of(8, 16, 32), uniform(), Arbitraries.of(true, false))
                .as((e, w, g, negate) -> {
                    long m = (1L << w) - 1;
                    long low = (negate ? -e : e) & m;
                    return low | (g & ~m);
                });
        return Arbitraries.frequencyOf(
                Tuple.of(3, edges),
                Tuple.of(3, narrow),
                Tuple.of(1, Arbitraries.longs().between(-40, 40)),
                Tuple.of(4, uniform()));
    }

    static Arbitrary<Long> uniform() {
        return Arbitraries.randomValue(r -> r.nextLong());
    }

    private static Long[] box(long[] v) {
        var b = new Long[v.length];
        for (int k = 0; k < v.length; k++) b[k] = v[k];
        return b;
    }

    /** Status flags at random; DF clear (string tests set it themselves). */
    static Arbitrary<Long> statusFlags() {
        return uniform().map(f -> f & 0x8D5);
    }

    static Arbitrary<Setup.MemForm> memForms() {
        Arbitrary<Integer> base = Arbitraries.frequencyOf(Tuple.of(12, Arbitraries.integers().between(0, 15)),
                Tuple.of(1, Arbitraries.just(-1)));
        Arbitrary<Integer> index = Arbitraries.frequencyOf(Tuple.of(2, Arbitraries.just(-1)),
                Tuple.of(2, Arbitraries.integers().between(0, 15)));
        Arbitrary<Integer> dispBytes = Arbitraries.of(0, 1, 4);
        Arbitrary<Long> indexValue = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.longs().between(-300, 300)),
                Tuple.of(1, Arbitraries.of(0L, -1L, 1L)));
        return Combinators.combine(base, index, Arbitraries.integers().between(0, 3), dispBytes,
                        Arbitraries.integers().between(-2000, 2000), indexValue,
                        Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(false)), Tuple.of(1, Arbitraries.just(true))))
                .as(Setup.MemForm::new);
    }

    /** Offsets into the scratch area, some near its end so accesses cross into the stack page. */
    static Arbitrary<Integer> offsets() {
        return Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.integers().between(0, 4000)),
                Tuple.of(2, Arbitraries.integers().between(4080, 4096)),
                Tuple.of(1, Arbitraries.of(0, 8, 16, 64)));
    }

    static Arbitrary<Setup.Env> envs() {
        return Combinators.combine(values().array(long[].class).ofSize(16), statusFlags(), Arbitraries.longs(),
                values(), memForms(), offsets()).as(Setup.Env::new).withoutEdgeCases();
    }

    @Provide
    Arbitrary<Setup.Env> env() { return envs(); }

    @Provide
    Arbitrary<Long> value() { return values(); }

    /** Operand sizes: every try runs one size (the rows of a family run on the same inputs). */
    @Provide
    Arbitrary<Integer> size() { return Arbitraries.of(1, 2, 4, 8); }

    @Provide
    Arbitrary<Integer> vsize() { return Arbitraries.of(2, 4, 8); }

    /** 32 and 64 bits (VEX.W and REX.W-only forms). */
    @Provide
    Arbitrary<Integer> wsize() { return Arbitraries.of(4, 8); }

    /** The r/m operand: a register (biased to be distinct from G) or the env's memory operand. */
    static Enc.Rm rm(Setup s, boolean memory, int reg, int size) {
        return memory ? s.mem(size) : new Enc.Reg(reg);
    }

    static void check(Enc e, Setup s, long undefined) {
        Oracle.check(e.bytes(CODE), s.state(), undefined);
    }

    static void run(Enc e, dev.nexa.cpu.oracle.MachineState in, long undefined) {
        Oracle.check(e.bytes(CODE), in, undefined);
    }

    static int immBytes(int size) { return size == 1 ? 1 : Math.min(size, 4); }
}
