package dev.nexa.kernel.signal;

import dev.nexa.kernel.proc.FixtureRun;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * fixtures/src/signals.c and faults.c under Nexa and natively: handlers, siginfo, context
 * editing, sigaltstack, nesting, masks, and every CPU exception's signal and si_code.
 * Skipped until the CPU can run libc programs.
 */
@Timeout(300)
class FixtureSignalsTest {
    @ParameterizedTest(name = "{0}/{1}")
    @CsvSource({
            "musl-static, signals", "glibc-static, signals", "musl-dynamic, signals", "glibc-dynamic, signals",
            "musl-static, faults", "glibc-static, faults", "musl-dynamic, faults", "glibc-dynamic, faults",
    })
    void sameAsNative(String variant, String prog) throws Exception {
        FixtureRun.assumeLibcRuns();
        var p = FixtureRun.fixture(variant, prog);
        var expected = FixtureRun.nativeRun(p);
        var actual = FixtureRun.nexaRun(p);
        assertEquals(expected.stdout(), actual.stdout());
        assertEquals(expected.status(), actual.status());
    }
}
