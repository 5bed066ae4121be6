package dev.nexa.cpu;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nexa.cpu.oracle.OracleCoverage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The ISA table's oracle column is what the oracle tests really ran: compares the coverage the
 * harnesses recorded in this build ({@link OracleCoverage}, target/isa-oracle-run.tsv) with the
 * committed list {@link IsaTable#COVERAGE_RESOURCE}. An exercised (row, test, form) missing from the
 * list fails; a listed one this run did not pick is only reported, since the properties pick at random.
 *
 * <p>Runs in its own surefire execution after all other tests of nexa-cpu (see the module's pom;
 * the name does not match the default includes). With {@code -Dnexa.isa.update=true} it rewrites
 * the list and docs/isa.md from the record instead. Skipped when the record is partial: the oracle
 * properties pick rows at random, so only the default effort (jqwik tries >= 200) reaches them all.
 */
class IsaOracleCoverageCheck {
    @Test
    void oracleColumnIsWhatTheOracleTestsRan() throws IOException {
        Path record = Path.of(System.getProperty(OracleCoverage.PROPERTY, "target/isa-oracle-run.tsv"));
        Assumptions.assumeTrue(Files.exists(record), "no oracle coverage recorded at " + record);
        var ran = new TreeSet<String>();
        var exercised = new TreeSet<String>();
        for (String line : Files.readAllLines(record)) {
            if (line.startsWith("# ran ")) ran.add(line.substring(6));
            else if (!line.isBlank()) exercised.add(line);
        }
        if (Boolean.getBoolean("nexa.isa.update")) {
            update(exercised);
            return;
        }
        int tries = Integer.getInteger("jqwik.tries.default", 0);
        Assumptions.assumeTrue(tries >= 200, "the oracle tests pick rows at random: with " + tries
                + " tries (fewer than the default 200) the record may miss some");
        Set<String> listed = new TreeSet<>();
        try (InputStream in = IsaTable.class.getResourceAsStream(IsaTable.COVERAGE_RESOURCE)) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) listed.add(line);
            }
        }
        // A listed form this run happened not to pick is no error: the properties choose rows and
        // register/memory forms at random, so one run covers a random subset of what the list holds
        // (failing on it made the build flaky). It is reported, so a form no test reaches any more
        // shows up run after run; -Dnexa.isa.update=true rewrites the list from a run.
        List<String> missed = new ArrayList<>();
        for (String l : listed) {
            if (ran.contains(l.split("\t")[1]) && !exercised.contains(l)) missed.add(l);
        }
        if (!missed.isEmpty()) {
            System.out.println("IsaOracleCoverageCheck: " + missed.size() + " listed forms not picked in this run, e.g. "
                    + missed.subList(0, Math.min(5, missed.size())));
        }
        List<String> problems = new ArrayList<>();
        for (String l : exercised) {
            if (!listed.contains(l)) problems.add("exercised, not listed: " + l);
        }
        assertTrue(problems.isEmpty(), problems.size() + " differences between the ISA oracle list and this run's "
                + "oracle tests (" + ran.size() + " ran); after changing the tables or the oracle tests run "
                + "./mvnw -q -B verify -Dnexa.isa.update=true to refresh the list and docs/isa.md:\n  "
                + String.join("\n  ", problems.subList(0, Math.min(40, problems.size()))));
    }

    /** Writes the committed list and docs/isa.md from the record. */
    private static void update(Set<String> exercised) throws IOException {
        Path root = Path.of(System.getProperty("nexa.root", ".."));
        var sb = new StringBuilder("""
                # The ISA rows an oracle test compares with the host: encoding, test class, r/m form (- = none).
                # Written by IsaOracleCoverageCheck from what the tests ran (./mvnw verify -Dnexa.isa.update=true).
                """);
        exercised.forEach(l -> sb.append(l).append('\n'));
        Files.writeString(root.resolve("nexa-cpu/src/main/resources" + IsaTable.COVERAGE_RESOURCE), sb);
        Files.writeString(root.resolve("docs/isa.md"), IsaTable.markdown(IsaTable.rows(IsaTable.parseCoverage(sb.toString()))));
    }
}
