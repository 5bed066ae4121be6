package dev.nexa.cpu.x87;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nexa.cpu.fpu.host.HostX87;
import dev.nexa.cpu.oracle.MachineState;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;

/**
 * The transcendental rows (F2XM1, FYL2X, FPTAN, FPATAN, FSINCOS, FSIN, FCOS, FYL2XP1) against the
 * host, bit for bit: the emulator runs them on the host FPU ({@link HostX87}), so registers, FSW
 * (exception flags, C1, C2, SF, ES), tags and TOP must all match, nothing masked, also outside the
 * domains where the SDM calls the result undefined. Operands from {@link X87Gen#state}: edge values,
 * denormals, NaNs, infinities, unsupported encodings, huge arguments (2^63 and above), every PC and
 * RC, stack faults from empty or full stacks; once with all exceptions masked and once with random
 * masks. {@code -Dnexa.long=true} runs 20 times as many samples. On a host that is not x86-64 the
 * soft fallback is measured by {@code dev.nexa.cpu.fpu.X87TranscendentalOracleTest} instead.
 */
class X87TranscendentalOracleTest {
    private static final int SAMPLES = Boolean.getBoolean("nexa.long") ? 4000 : 200;

    @Example
    void transcendentalsMatchTheHostExactly() {
        check(X87Gen.state(), 87);
    }

    /** The same with random exception masks (none pending before the instruction). */
    @Example
    void unmaskedExceptionsOfTheTranscendentals() {
        check(Combinators.combine(X87Gen.state(), Arbitraries.integers().between(0, 0x3F)).as(X87Gen::unmask), 88);
    }

    private static void check(Arbitrary<MachineState> states, long seed) {
        assumeTrue(HostX87.ENABLED, () -> "host x87 not in use: " + HostX87.unavailableReason());
        var random = new Random(seed);
        var failures = new ArrayList<String>();
        for (var row : X87Rows.TRANSCENDENTAL) {
            var it = states.generator(1000).stream(random).iterator();
            for (int n = 0; n < SAMPLES; n++) {
                MachineState s = it.next().value();
                List<String> d = X87Oracle.compare(row.bytes(0), s, row.undefined(), false, false);
                if (!d.isEmpty() && failures.size() < 5) failures.add(row.name() + ": " + d + "\n" + s);
            }
        }
        assertEquals(List.of(), failures);
    }
}
