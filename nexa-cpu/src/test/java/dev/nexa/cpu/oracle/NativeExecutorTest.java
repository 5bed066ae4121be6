package dev.nexa.cpu.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nexa.cpu.oracle.MachineState.Gpr;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The oracle harness itself, checked on instructions whose effect is known. */
class NativeExecutorTest {
    private final NativeExecutor cpu = NativeExecutor.instance();

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void nopRoundTripsTheWholeState() {
        var rnd = new Random(42);
        for (int trial = 0; trial < 50; trial++) {
            var in = MachineState.initial();
            for (int r = 0; r < 16; r++) {
                in.gpr(r, rnd.nextLong());
            }
            in.rflags(rnd.nextLong());
            for (int i = 0; i < 16; i++) {
                in.xmm(i, rnd.nextLong(), rnd.nextLong());
            }
            // any rounding mode, DAZ/FTZ, sticky flags; exceptions stay masked
            in.mxcsr(0x1F80 | rnd.nextInt(0x10000) & 0xE07F);
            in.fpuControl(0x003F | rnd.nextInt(0x10000) & 0x0F00 | 0x40);
            in.fpuStatus(rnd.nextInt(0x10000) & 0x7F7F);
            in.fpuTagAbridged(rnd.nextInt(256));
            for (int i = 0; i < 8; i++) {
                in.st(i, rnd.nextInt(0x10000), rnd.nextLong());
            }
            rnd.nextBytes(in.scratch().array());
            rnd.nextBytes(in.stack().array());
            var out = cpu.run(hex("90"), in);
            assertEquals(List.of(), in.differences(out), in.toString());
        }
    }

    @Test
    void addSetsValueAndFlags() {
        var in = MachineState.initial().gpr(Gpr.RAX, 0x7FFF_FFFF_FFFF_FFFFL).gpr(Gpr.RBX, 1);
        var out = cpu.run(hex("48 01 d8"), in); // add rax, rbx
        assertEquals(0x8000_0000_0000_0000L, out.gpr(Gpr.RAX));
        // signed overflow, negative, auxiliary carry from bit 3, low byte 0x00 has even parity
        assertEquals(MachineState.OF | MachineState.SF | MachineState.AF | MachineState.PF, out.rflags());

        out = cpu.run(hex("48 01 d8"), in.gpr(Gpr.RAX, -1L).rflags(MachineState.OF | MachineState.DF));
        assertEquals(0, out.gpr(Gpr.RAX));
        assertEquals(MachineState.CF | MachineState.ZF | MachineState.AF | MachineState.PF | MachineState.DF,
                out.rflags(), "DF travels through untouched, OF cleared");
    }

    @Test
    void pushAndPopUseTheScratchStack() {
        var in = MachineState.initial().gpr(Gpr.RAX, 0x1122_3344_5566_7788L).gpr(Gpr.RCX, 0xCAFEL);
        var out = cpu.run(hex("50 5b 51"), in); // push rax; pop rbx; push rcx
        assertEquals(0x1122_3344_5566_7788L, out.gpr(Gpr.RBX));
        assertEquals(NativeExecutor.DEFAULT_RSP - 8, out.gpr(Gpr.RSP));
        int slot = (int) (NativeExecutor.DEFAULT_RSP - 8 - NativeExecutor.STACK_ADDRESS);
        assertEquals(0xCAFEL, out.stack().getLong(slot));
    }

    @Test
    void pushfqSeesHostSystemFlags() {
        var out = cpu.run(hex("9c 58"), MachineState.initial().rflags(MachineState.CF)); // pushfq; pop rax
        assertEquals(0x203, out.gpr(Gpr.RAX) & 0xFFF, "CF, reserved bit 1, IF");
    }

    @Test
    void movdquThroughScratch() {
        var in = MachineState.initial().gpr(Gpr.RSI, NativeExecutor.SCRATCH_ADDRESS);
        in.scratch().putLong(0, 0x0102_0304_0506_0708L).putLong(8, 0x1112_1314_1516_1718L);
        // movdqu xmm1, [rsi]; movdqu [rsi+16], xmm1
        var out = cpu.run(hex("f3 0f 6f 0e  f3 0f 7f 4e 10"), in);
        assertEquals(0x0102_0304_0506_0708L, out.xmmLow(1));
        assertEquals(0x1112_1314_1516_1718L, out.xmmHigh(1));
        assertEquals(0x0102_0304_0506_0708L, out.scratch().getLong(16));
        assertEquals(0x1112_1314_1516_1718L, out.scratch().getLong(24));
    }

    @Test
    void addsdHonoursMxcsrRounding() {
        double one = 1.0;
        double b = 3 * Math.scalb(1.0, -54); // 0.75 ulp of 1.0
        double up = Math.nextUp(1.0);
        double[] expected = {up, 1.0, up, 1.0}; // RC = nearest, down, up, toward zero
        for (int rc = 0; rc < 4; rc++) {
            var in = MachineState.initial().mxcsr(0x1F80 | rc << 13)
                    .xmm(0, Double.doubleToRawLongBits(one), 0).xmm(1, Double.doubleToRawLongBits(b), 0);
            var out = cpu.run(hex("f2 0f 58 c1"), in); // addsd xmm0, xmm1
            assertEquals(expected[rc], Double.longBitsToDouble(out.xmmLow(0)), "RC=" + rc);
            assertEquals(0x20, out.mxcsr() & 0x3F, "only PE");
        }
    }

    @Test
    void x87AddThroughScratch() {
        var in = MachineState.initial().gpr(Gpr.RSI, NativeExecutor.SCRATCH_ADDRESS);
        in.scratch().putLong(0, 0xC000_0000_0000_0000L).putShort(8, (short) 0x3FFF); // 1.5
        in.scratch().putLong(16, 0x9000_0000_0000_0000L).putShort(24, (short) 0x4000); // 2.25
        // fld tbyte [rsi]; fld tbyte [rsi+16]; faddp st1, st; fstp tbyte [rsi+32]; fnstsw ax
        var out = cpu.run(hex("db 2e  db 6e 10  de c1  db 7e 20  df e0"), in);
        assertEquals(0xF000_0000_0000_0000L, out.scratch().getLong(32)); // 3.75
        assertEquals(0x4000, out.scratch().getShort(40));
        assertEquals(0, out.gpr(Gpr.RAX) & 0x3F, "no exception");
        assertEquals(0, out.fpuTagAbridged(), "stack empty again");
    }

    @Test
    void fldStackOrderInTheFxsaveImage() {
        // fld1; fldpi: FXSAVE slot 0 is ST(0) = pi, slot 1 is ST(1) = 1, TOP = 6 (SDM Vol. 1 Table 10-2)
        var out = cpu.run(hex("d9 e8  d9 eb"), MachineState.initial());
        assertEquals(6, out.fpuTop());
        assertEquals(0xC90F_DAA2_2168_C235L, out.stMantissa(0));
        assertEquals(0x4000, out.stSignExp(0));
        assertEquals(0x8000_0000_0000_0000L, out.physicalMantissa(7));
        assertEquals(0b1100_0000, out.fpuTagAbridged());
        assertEquals(0x0FFF, out.fpuTagWord(), "R6, R7 valid; the rest empty");
    }

    @Test
    void guardsRefuseInputsThatWouldCrashTheJvm() {
        var s = MachineState.initial();
        assertThrows(IllegalArgumentException.class, () -> cpu.run(new byte[NativeExecutor.MAX_CODE_LENGTH + 1], s));
        assertThrows(IllegalArgumentException.class, () -> cpu.run(hex("90"), s.copy().fpuControl(0x037B)));
        assertThrows(IllegalArgumentException.class, () -> cpu.run(hex("90"), s.copy().mxcsr(0x1D80)));
        assertThrows(IllegalArgumentException.class, () -> cpu.run(hex("90"), s.copy().mxcsr(0x1F80 | 1 << 30)));
    }

    /** The documented assembly of every trampoline byte is what objdump reads back. */
    @Test
    void trampolineListingMatchesObjdump() throws IOException, InterruptedException {
        byte[] code = hex("90");
        var bin = Files.createTempFile("nexa-trampoline", ".bin");
        try {
            Files.write(bin, NativeExecutor.trampolineBytes(code));
            Process p;
            try {
                p = new ProcessBuilder("objdump", "-D", "-b", "binary", "-mi386:x86-64", "-M", "intel",
                        bin.toString()).redirectErrorStream(true).start();
            } catch (IOException e) {
                Assumptions.abort("objdump (package binutils) is not installed");
                return;
            }
            var text = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
            var disassembled = new ArrayList<String>();
            for (var line : text.split("\n")) {
                var cols = line.split("\t");
                if (cols.length == 3 && cols[0].trim().endsWith(":")) {
                    disassembled.add(Integer.parseInt(cols[0].trim().replace(":", ""), 16) + " "
                            + normalize(cols[2]));
                }
            }
            var documented = new ArrayList<String>();
            for (var l : NativeExecutor.trampolineListing(code)) {
                String asm = l.assembly().equals("<guest code>") ? "nop" : l.assembly();
                documented.add(l.offset() + " " + normalize(asm));
            }
            assertEquals(documented, disassembled);
        } finally {
            Files.delete(bin);
        }
    }

    /** objdump spells a few things differently: unify spacing, size keywords and hex. */
    private static String normalize(String asm) {
        if (asm.startsWith("movabs")) {
            asm = asm.replace("[", "").replace("]", ""); // objdump prints moffs64 without brackets
        }
        return asm.trim()
                .replaceAll("QWORD PTR |ds:|XMMWORD PTR ", "")
                .replace("pushf", "pushfq").replace("popf", "popfq").replace("pushfqq", "pushfq")
                .replace("popfqq", "popfq")
                .replaceAll("\\s+", " ")
                .replace(", ", ",")
                .replaceAll("0xffffffffffff([0-9a-f]{4})", "0xffffffffffff$1");
    }
}
