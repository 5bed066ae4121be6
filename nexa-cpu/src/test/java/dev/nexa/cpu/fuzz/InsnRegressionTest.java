package dev.nexa.cpu.fuzz;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * Replays fixtures/regressions/insn/*.hex: byte strings (hex, '#' comment lines allowed) that once
 * broke the decoder or the run loop. Each is decoded and executed with a few register sets.
 */
class InsnRegressionTest {
    private static final long[][] REGISTER_SETS = {
            {0},
            {dev.nexa.cpu.TestMachine.DATA + 0x100},
            {-1, 1, dev.nexa.cpu.TestMachine.DATA, 0x8000_0000_0000_0000L, 0x7fff_ffff_ffffL, 2},
    };

    @TestFactory
    Stream<DynamicTest> replay() {
        return Corpus.samples("insn", "hex").stream().map(p -> DynamicTest.dynamicTest(
                p.getFileName() + " (" + Corpus.note(p) + ")", () -> {
                    byte[] bytes = parse(Files.readString(p));
                    DecoderFuzzProperties.checkDecode(bytes);
                    for (long[] regs : REGISTER_SETS) DecoderFuzzProperties.checkExecute(bytes, regs);
                }));
    }

    static byte[] parse(String text) throws IOException {
        StringBuilder hex = new StringBuilder();
        text.lines().filter(l -> !l.strip().startsWith("#")).forEach(l -> hex.append(l.replaceAll("\\s+", "")));
        return HexFormat.of().parseHex(hex);
    }
}
