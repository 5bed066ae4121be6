package dev.nexa.cpu.fuzz;

import dev.nexa.cpu.Fault;
import dev.nexa.cpu.Reg;
import dev.nexa.cpu.StopReason;
import dev.nexa.cpu.TestMachine;
import dev.nexa.cpu.decode.Decoder;
import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.decode.Op;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile instruction bytes. (1) Any byte string decodes to an instruction of 1 to 15 bytes, to
 * {@link Op#UD} (#UD when executed) or, when longer than 15 bytes, to {@link Op#PRIVILEGED}
 * (#GP(0), SDM Vol. 2A §2.3.11); never an exception; and the result depends only on the bytes
 * it consumed. (2) Executing random bytes in a {@link TestMachine} with random registers ends in
 * SYSCALL, a CPU fault reported as a {@link Fault}, or the budget: no Java exception escapes the
 * run loop, whatever the instructions do to memory, the stack or the flags.
 *
 * <p>Long campaign: {@code ./mvnw -B -pl nexa-cpu -am verify -Dnexa.long=true [-Dnexa.tries=N]};
 * failing byte strings go to fixtures/regressions/insn/ ({@link Fuzzing}) and
 * {@link InsnRegressionTest} replays them.
 */
@AddLifecycleHook(Fuzzing.class)
class DecoderFuzzProperties {
    private static final Decoder DECODER = new Decoder();
    /** Vectors a random instruction may raise at CPL 3 in 64-bit mode. */
    private static final Set<Integer> VECTORS = Set.of(Fault.DE, Fault.DB, Fault.BP, Fault.UD, Fault.NM, Fault.GP,
            Fault.PF, Fault.MF, Fault.AC, Fault.XM);

    /** A byte string under test. */
    record Code(byte[] bytes) implements Sample {
        @Override
        public String describe() { return HexFormat.ofDelimiter(" ").formatHex(bytes); }

        @Override
        public byte[] fileBytes() { return (describe() + "\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII); }

        @Override
        public String toString() { return describe(); }
    }

    @Provide
    Arbitrary<Code> code() {
        // Prefix-heavy byte strings reach the long-instruction and REX/VEX corner cases.
        var interesting = Arbitraries.of((byte) 0x66, (byte) 0x67, (byte) 0xf0, (byte) 0xf2, (byte) 0xf3, (byte) 0x2e,
                (byte) 0x64, (byte) 0x65, (byte) 0x48, (byte) 0x4f, (byte) 0x0f, (byte) 0x38, (byte) 0x3a, (byte) 0xc4,
                (byte) 0xc5, (byte) 0xd8, (byte) 0xdf, (byte) 0xff, (byte) 0x8f, (byte) 0x62);
        var b = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.bytes()),
                net.jqwik.api.Tuple.of(1, interesting));
        return b.array(byte[].class).ofMinSize(1).ofMaxSize(24).map(Code::new);
    }

    static Insn decode(byte[] bytes, byte fill) {
        return DECODER.decode(a -> a >= 0 && a < bytes.length ? bytes[(int) a] : fill, 0, 0);
    }

    /** The decoder's contract on one byte string; shared with the corpus replay. */
    static void checkDecode(byte[] bytes) {
        Insn i = decode(bytes, (byte) 0x90);
        assertNotNull(i);
        assertTrue(i.len() >= 1 && i.len() <= Decoder.MAX_LENGTH, "length " + i.len());
        if (i.op() == Op.PRIVILEGED && i.len() == Decoder.MAX_LENGTH) return;   // over-long: #GP
        // What follows the instruction does not change it (a decoder reading past its end would see this).
        if (i.len() <= bytes.length) {
            Insn again = decode(Arrays.copyOf(bytes, i.len()), (byte) 0xcc);
            assertEquals(i, again, "decoding depends on bytes after the instruction");
        }
    }

    @Property(tries = 20000, edgeCases = EdgeCasesMode.MIXIN)
    @Fuzzing.Keep(kind = "insn", ext = "hex")
    void randomBytesDecodeToAnInstructionOrUd(@ForAll("code") Code c) {
        checkDecode(c.bytes());
    }

    /** The run-loop contract on one byte string with given register values; shared with the corpus replay. */
    static void checkExecute(byte[] bytes, long[] regs) {
        try (var m = new TestMachine()) {
            int[] code = new int[bytes.length + 2];
            for (int k = 0; k < bytes.length; k++) code[k] = bytes[k] & 0xff;
            code[bytes.length] = 0x0f;        // then SYSCALL, which stops the machine
            code[bytes.length + 1] = 0x05;
            m.code(code);
            for (int r = 0; r < 16; r++) {
                if (r == Reg.RSP) continue;
                m.cpu.setReg(r, regs[r % regs.length]);
            }
            StopReason why = m.cpu.run(10_000);
            assertNotNull(why);
            if (why == StopReason.FAULT) {
                Fault f = m.cpu.fault();
                assertNotNull(f);
                assertTrue(VECTORS.contains(f.vector()), "vector " + f.vector());
            }
        }
    }

    @Provide
    Arbitrary<long[]> registers() {
        // Pointers into the sandbox's data and stack, small counts, and anything.
        var value = Arbitraries.oneOf(
                Arbitraries.longs().between(TestMachine.DATA, TestMachine.DATA + 0xffff),
                Arbitraries.longs().between(TestMachine.STACK_TOP - 0x8000, TestMachine.STACK_TOP - 8),
                Arbitraries.longs().between(-4, 64),
                Arbitraries.longs());
        return value.array(long[].class).ofSize(16);
    }

    @Property(tries = 2000, edgeCases = EdgeCasesMode.MIXIN)
    @Fuzzing.Keep(kind = "insn", ext = "hex")
    void executingRandomInstructionsOnlyRaisesGuestFaults(@ForAll("code") Code c, @ForAll("registers") long[] regs) {
        checkExecute(c.bytes(), regs);
    }
}
