package dev.nexa.cpu.x87;

import dev.nexa.cpu.oracle.MachineState;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Every x87 row against the host CPU: one instruction from a random machine state (see
 * {@link X87Gen#state}), the whole state compared afterwards (registers, TOP, FSW, tags, FCW,
 * RFLAGS, memory, and via an appended FNSTENV the full tag word and FIP/FOP/FDP). Only FSW bits
 * the SDM calls undefined for an instruction are masked ({@link X87Rows.Row#undefined}).
 * Transcendental results may differ from the host's in the last bit (the SDM promises 1 ulp).
 */
class X87OracleTest {
    @Provide
    Arbitrary<MachineState> states() {
        return X87Gen.state();
    }

    @Provide
    Arbitrary<Integer> sti() {
        return Arbitraries.integers().between(0, 7);
    }

    private static void run(List<X87Rows.Row> rows, int pick, MachineState s, int i, boolean ulp) {
        var row = rows.get(Math.floorMod(pick, rows.size()));
        X87Oracle.check(row.name() + (row.sti() ? " i=" + i : ""), row.bytes(i), s, row.undefined(), ulp, row.fdpKnown());
    }

    @Property(tries = 1500)
    void loads(@ForAll("states") MachineState s, @ForAll int pick, @ForAll("sti") int i) {
        run(X87Rows.LOADS, pick, s, i, false);
    }

    @Property(tries = 2000)
    void stores(@ForAll("states") MachineState s, @ForAll int pick, @ForAll("sti") int i) {
        run(X87Rows.STORES, pick, s, i, false);
    }

    @Property(tries = 1500)
    void moves(@ForAll("states") MachineState s, @ForAll int pick, @ForAll("sti") int i) {
        run(X87Rows.MOVES, pick, s, i, false);
    }

    @Property(tries = 4000)
    void arithmetic(@ForAll("states") MachineState s, @ForAll int pick, @ForAll("sti") int i) {
        run(X87Rows.ARITHMETIC, pick, s, i, false);
    }

    @Property(tries = 2500)
    void compares(@ForAll("states") MachineState s, @ForAll int pick, @ForAll("sti") int i) {
        run(X87Rows.COMPARES, pick, s, i, false);
    }

    @Property(tries = 1500)
    void control(@ForAll("states") MachineState s, @ForAll int pick) {
        run(X87Rows.CONTROL, pick, s, 0, false);
    }
}
