package dev.nexa.cpu.sse;

import static org.junit.jupiter.api.Assertions.fail;

import dev.nexa.cpu.oracle.MachineState;
import dev.nexa.cpu.oracle.NativeExecutor;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Assumptions;

/**
 * The instruction oracle for the SSE family: every row of {@link Cases}, instantiated with
 * random registers, register or memory operands, immediates, REX.W, MXCSR (all rounding modes,
 * DAZ, FTZ, sticky flags) and edge-biased values, runs on the host CPU and in the emulator;
 * the states must agree bit for bit. Each try runs 16 rows picked at random from the family;
 * the number of tries comes from -Dnexa.tries (jqwik's default tries).
 */
class SseOracleProperties {
    private static final List<Row> FP = Cases.fpArithmetic(), CMP = Cases.fpCompareRound(),
            CVT = Cases.conversions(), MOV = Cases.moves(), SHUF = Cases.shuffles(), INT = Cases.integer(),
            STR = Cases.strings();

    /** Rows (picked at random from the family) per try. */
    private static final int ROWS_PER_TRY = 16;

    private final Oracle oracle = new Oracle();

    static void assumeHost() {
        Assumptions.assumeTrue(System.getProperty("os.arch").equals("amd64") && System.getProperty("os.name").equals("Linux"),
                "the instruction oracle needs an x86-64 Linux host");
    }

    @Property
    void fpArithmetic(@ForAll long seed) { family(FP, seed); }

    @Property
    void fpCompareAndRound(@ForAll long seed) { family(CMP, seed); }

    @Property
    void conversions(@ForAll long seed) { family(CVT, seed); }

    @Property
    void moves(@ForAll long seed) { family(MOV, seed); }

    @Property
    void shuffles(@ForAll long seed) { family(SHUF, seed); }

    @Property
    void integer(@ForAll long seed) { family(INT, seed); }

    @Property
    void strings(@ForAll long seed) { family(STR, seed); }

    /** LDMXCSR then an addition under the loaded mode, then STMXCSR (0F AE /2, /3). */
    @Property
    void ldmxcsrAndStmxcsr(@ForAll long seed) {
        assumeHost();
        var rnd = new Random(seed);
        var g = new Gen(rnd);
        Oracle.Case k = Oracle.instantiate(Cases.xm("addps", "0F 58", Row.Type.F32), rnd);
        MachineState in = k.in();
        in.gpr(6, NativeExecutor.SCRATCH_ADDRESS + 64);
        in.scratch().putInt(64, g.mxcsr());
        byte[] code = HexFormat.of().parseHex("0fae16" + "0f58ca" + "0fae5e04");
        String f = oracle.check(new Oracle.Case(k.row(), code, in));
        if (f != null) fail(f);
    }

    private void family(List<Row> rows, long seed) {
        assumeHost();
        var rnd = new Random(seed);
        var failures = new ArrayList<String>();
        for (int k = 0; k < ROWS_PER_TRY; k++) {
            Row r = rows.get(rnd.nextInt(rows.size()));
            String f = oracle.check(Oracle.instantiate(r, rnd));
            if (f != null) failures.add(f);
        }
        if (!failures.isEmpty()) {
            fail(failures.size() + " of " + ROWS_PER_TRY + " cases differ, e.g.\n"
                    + String.join("\n\n", failures.subList(0, Math.min(2, failures.size()))));
        }
    }
}
