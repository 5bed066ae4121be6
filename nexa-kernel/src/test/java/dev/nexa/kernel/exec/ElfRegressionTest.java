package dev.nexa.kernel.exec;

import dev.nexa.cpu.fuzz.Corpus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.util.stream.Stream;

/**
 * Replays fixtures/regressions/elf/*.elf, ELF files that once broke exec, through the same checks
 * as {@link ExecFuzzProperties} ({@link ExecWorld#exec}): Linux's errnos with a message, nothing
 * changed or leaked by a failed exec, SIGSEGV past the point of no return, a clean run otherwise.
 */
class ElfRegressionTest {
    private static ExecWorld world;

    @BeforeAll
    static void setUp() { world = ExecWorld.build(); }

    @AfterAll
    static void tearDown() { world.close(); }

    @TestFactory
    Stream<DynamicTest> replay() {
        return Corpus.samples("elf", "elf").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName() + " (" + Corpus.note(p) + ")", () -> world.exec(Files.readAllBytes(p))));
    }
}
