package dev.nexa.cpu.x87;

import dev.nexa.cpu.oracle.MachineState;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every x87 row against the host CPU: one instruction from a random machine state (see
 * {@link X87Gen#state}), the whole state compared afterwards (registers, TOP, FSW, tags, FCW,
 * RFLAGS, memory, and via an appended FNSTENV the full tag word and FIP/FOP/FDP). Nothing is
 * masked, not even the condition codes the SDM calls undefined (the host leaves them unchanged).
 * Each try runs {@link #ROWS_PER_TRY} rows on its state; the number of tries is jqwik's default,
 * which the build sets from {@code -Dnexa.tries} (200).
 */
class X87OracleTest {
    @Provide
    Arbitrary<MachineState> states() {
        return X87Gen.state();
    }

    /** States whose FCW unmasks random exceptions (none pending: set flags stay masked). */
    @Provide
    Arbitrary<MachineState> unmaskedStates() {
        return net.jqwik.api.Combinators.combine(X87Gen.state(), Arbitraries.integers().between(0, 0x3F))
                .as(X87Gen::unmask);
    }

    @Provide
    Arbitrary<Integer> sti() {
        return Arbitraries.integers().between(0, 7);
    }

    /** Rows tried per state: jqwik's default tries (-Dnexa.tries, 200 by default) times this. */
    static final int ROWS_PER_TRY = 4;

    private static void run(List<X87Rows.Row> rows, int pick, MachineState s, int i, boolean ulp) {
        for (int k = 0; k < ROWS_PER_TRY; k++) {
            var row = rows.get(Math.floorMod(pick + k * 7919, rows.size()));
            int sti = (i + k) & 7;
            X87Oracle.check(row.name() + (row.sti() ? " i=" + sti : ""), row.bytes(sti), s, row.undefined(), ulp,
                    row.fdpKnown());
        }
    }

    @Property(edgeCases = EdgeCasesMode.NONE)
    void loads(@ForAll("states") MachineState s, @ForAll int pick, @ForAll("sti") int i) {
        run(X87Rows.LOADS, pick, s, i, false);
    }

    @Property(edgeCases = EdgeCasesMode.NONE)
    void stores(@ForAll("states") MachineState s, @ForAll int pick, @ForAll("sti") int i) {
        run(X87Rows.STORES, pick, s, i, false);
    }

    @Property(edgeCases = EdgeCasesMode.NONE)
    void moves(@ForAll("states") MachineState s, @ForAll int pick, @ForAll("sti") int i) {
        run(X87Rows.MOVES, pick, s, i, false);
    }

    @Property(edgeCases = EdgeCasesMode.NONE)
    void arithmetic(@ForAll("states") MachineState s, @ForAll int pick, @ForAll("sti") int i) {
        run(X87Rows.ARITHMETIC, pick, s, i, false);
    }

    @Property(edgeCases = EdgeCasesMode.NONE)
    void compares(@ForAll("states") MachineState s, @ForAll int pick, @ForAll("sti") int i) {
        run(X87Rows.COMPARES, pick, s, i, false);
    }

    /**
     * Unmasked exceptions (SDM Vol. 1 §8.5): what an instruction leaves behind when it raises an
     * exception FCW does not mask (destination and stack untouched for IE/DE/ZE, the bias-adjusted
     * result for OE/UE on registers, nothing stored for memory), and ES/B in the status word.
     */
    @Property(edgeCases = EdgeCasesMode.NONE)
    void unmaskedExceptions(@ForAll("unmaskedStates") MachineState s, @ForAll int pick, @ForAll("sti") int i) {
        run(UNMASKED_ROWS, pick, s, i, false);
    }

    private static final List<X87Rows.Row> UNMASKED_ROWS = java.util.stream.Stream.of(X87Rows.LOADS, X87Rows.STORES,
            X87Rows.MOVES, X87Rows.ARITHMETIC, X87Rows.COMPARES).flatMap(List::stream).toList();

    /**
     * Short random sequences of the rows above (and the control instructions that cannot unmask
     * an exception), so that stores feed later loads and pointers, tags and TOP carry over.
     */
    @Property(edgeCases = EdgeCasesMode.NONE)
    void sequences(@ForAll("states") MachineState s, @ForAll int seed) {
        var random = new java.util.Random(seed);
        var code = new java.io.ByteArrayOutputStream();
        var names = new StringBuilder();
        boolean fdpKnown = false;
        for (int k = 0; k < 5; k++) {
            var row = SEQUENCE_ROWS.get(random.nextInt(SEQUENCE_ROWS.size()));
            int i = random.nextInt(8);
            code.writeBytes(row.bytes(i));
            names.append(row.name()).append(row.sti() ? " i=" + i : "").append("; ");
            fdpKnown |= row.fdpKnown();
        }
        X87Oracle.check(names.toString(), code.toByteArray(), s, 0, false, fdpKnown);
    }

    private static final List<X87Rows.Row> SEQUENCE_ROWS = java.util.stream.Stream.concat(UNMASKED_ROWS.stream(),
            X87Rows.CONTROL.stream().filter(r -> !r.name().startsWith("fldcw") && !r.name().startsWith("fldenv")
                    && !r.name().startsWith("frstor"))).toList();

    @Property(edgeCases = EdgeCasesMode.NONE)
    void control(@ForAll("states") MachineState s, @ForAll int pick) {
        run(X87Rows.CONTROL, pick, s, 0, false);
    }
}
