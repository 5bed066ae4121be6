package dev.nexa.kernel.initramfs;

import dev.nexa.cpu.fuzz.Corpus;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.util.stream.Stream;

/**
 * Replays fixtures/regressions/cpio/*.cpio, archives that once broke the reader, through
 * {@link HostileInputTest#check}: a clean {@link CpioFormatException} naming offset and field, or
 * entries confined to the root within the size bound.
 */
class CpioRegressionTest {
    @TestFactory
    Stream<DynamicTest> replay() {
        return Corpus.samples("cpio", "cpio").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName() + " (" + Corpus.note(p) + ")", () -> HostileInputTest.check(Files.readAllBytes(p))));
    }
}
