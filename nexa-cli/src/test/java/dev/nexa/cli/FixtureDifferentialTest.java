package dev.nexa.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every case of fixtures/cases.tsv, run natively and under Nexa: stdout, stderr and the exit
 * status must be identical. Cases that depend on work not yet done are listed in
 * {@link #KNOWN_GAPS} with the reason; they are reported as skipped, never as passed.
 */
class FixtureDifferentialTest {
    /** program or program[variant] -> why it cannot pass yet. Shrinks as features land. */
    static final Map<String, String> KNOWN_GAPS = Map.of();

    private static final long MAX_INSTRUCTIONS = 20_000_000_000L;

    @TestFactory
    Stream<DynamicTest> fixturesBehaveAsNatively() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (FixtureCase c : FixtureCase.load()) {
            tests.add(DynamicTest.dynamicTest(c.id(), () -> check(c)));
        }
        return tests.stream();
    }

    private static void check(FixtureCase c) throws Exception {
        String gap = KNOWN_GAPS.getOrDefault(c.program() + "[" + c.variant() + "]", KNOWN_GAPS.get(c.program()));
        Assumptions.assumeTrue(gap == null, () -> "known gap: " + gap);
        Path bin = c.binary();
        Assumptions.assumeTrue(Files.isExecutable(bin), () -> "fixture not built: " + bin);
        byte[] stdin = c.stdin().equals("-") ? new byte[0] : Files.readAllBytes(FixtureCase.fixtures().resolve(c.stdin()));
        Path nativeDir = Files.createTempDirectory("nexa-native");
        Path nexaDir = Files.createTempDirectory("nexa-guest");
        try {
            GuestRun n = GuestRun.natively(bin, substitute(c.args(), nativeDir), stdin, FixtureCase.fixtures());
            GuestRun g = GuestRun.underNexa(bin, substitute(c.args(), nexaDir), stdin, FixtureCase.fixtures(), MAX_INSTRUCTIONS);
            String context = c.id() + (g.console().isEmpty() ? "" : "\nnexa said: " + g.console().strip());
            assertEquals(n.out(), g.out(), "stdout of " + context);
            assertEquals(n.err(), g.err(), "stderr of " + context);
            assertEquals(n.status(), g.status(), "exit status of " + context);
        } finally {
            deleteTree(nativeDir);
            deleteTree(nexaDir);
        }
    }

    private static List<String> substitute(List<String> args, Path tmp) {
        return args.stream().map(a -> a.replace("@TMPDIR@", tmp.toString())).toList();
    }

    private static void deleteTree(Path p) throws java.io.IOException {
        if (!Files.exists(p)) return;
        try (var s = Files.walk(p)) {
            for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(q);
        }
    }
}
