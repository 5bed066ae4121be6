package dev.nexa.cpu.x87;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nexa.cpu.Fault;
import dev.nexa.cpu.Reg;
import dev.nexa.cpu.StopReason;
import dev.nexa.cpu.TestMachine;
import dev.nexa.cpu.decode.Decoder;
import dev.nexa.cpu.decode.Op;
import dev.nexa.cpu.exec.CpuCore;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;

/**
 * x87 behaviour the host oracle cannot show because it would kill the JVM or is not visible
 * there: unmasked exceptions and the pending #MF (SDM Vol. 1 §8.5-8.6), the #GP checks of
 * FXSAVE/FXRSTOR, the Cpu state API, MMX aliasing, reset, and decoder coverage of the rows.
 */
class X87EmulatorTest {
    private static final long DATA = TestMachine.DATA;

    private static int[] bytes(String hex) {
        byte[] b = X87Oracle.hex(hex);
        int[] r = new int[b.length];
        for (int k = 0; k < b.length; k++) r[k] = b[k] & 0xFF;
        return r;
    }

    /** Runs {@code hex} followed by SYSCALL (which stops the run) with RSI = DATA. */
    private static StopReason run(TestMachine m, String hex) {
        m.cpu.setReg(Reg.RSI, DATA);
        m.code(bytes(hex + " 0f 05"));
        // the bytes went straight to RAM: drop blocks decoded from the previous code
        m.cache.codeFrameWritten(m.table.lookup(TestMachine.CODE) >>> dev.nexa.mem.Paging.PAGE_SHIFT);
        m.cpu.flushBlockLookup();
        return m.run();
    }

    private static void putShort(TestMachine m, long va, int v) {
        m.mmu.write16(va, (short) v);
    }

    @Test
    void unmaskedZeroDivideIsPendingUntilTheNextWaitingInstruction() {
        try (var m = new TestMachine()) {
            putShort(m, DATA, 0x037B);                                    // FCW with ZE unmasked
            // fldcw [rsi]; fld1; fldz; fdivp st(1), st(0)  -> ZE, no pop, ST(1) unchanged
            // fnstsw ax (no wait); fadd st(0), st(0) -> #MF
            var why = run(m, "d9 2e d9 e8 d9 ee de f9 df e0 d8 c0");
            assertEquals(StopReason.FAULT, why);
            assertEquals(Fault.MF, m.cpu.fault().vector());
            assertEquals(TestMachine.CODE + 10, m.cpu.fault().rip(), "#MF at the next waiting instruction");
            int ax = (int) m.cpu.reg(Reg.RAX) & 0xFFFF;
            assertEquals(0x8084 | 6 << 11, ax & 0xB8FF, "ZE, ES and B set, TOP = 6 (no pop)");
            CpuCore c = m.cpu.core();
            assertEquals(0x3FFF, c.fpr[7].signExp(), "ST(1) = 1.0 untouched");
            assertEquals(0, c.fpr[6].signExp(), "ST(0) = +0 untouched");
            assertEquals(ax, m.cpu.fpuStatus());
        }
    }

    @Test
    void fnclexClearsThePendingExceptionAndFwaitChecks() {
        try (var m = new TestMachine()) {
            putShort(m, DATA, 0x037B);
            // fldcw; fld1; fldz; fdiv st(1), st(0)... then fnclex; fwait; fld1 -> no fault
            assertEquals(StopReason.SYSCALL, run(m, "d9 2e d9 e8 d9 ee dc f9 db e2 9b d9 e8"));
            assertEquals(0, m.cpu.fpuStatus() & 0x80BF);
            // again without FNCLEX: FWAIT raises #MF
            m.cpu.reset();
            assertEquals(StopReason.FAULT, run(m, "d9 2e d9 e8 d9 ee dc f9 9b"));
            assertEquals(Fault.MF, m.cpu.fault().vector());
        }
    }

    @Test
    void fldcwUnmaskingARaisedFlagMakesItPending() {
        try (var m = new TestMachine()) {
            putShort(m, DATA, 0x037E);                                    // IE unmasked
            // fldz; fsqrt... use fld1; fchs; fsqrt -> IE masked (indefinite); fldcw [rsi]; fld1 -> #MF
            var why = run(m, "d9 e8 d9 e0 d9 fa d9 2e d9 e8");
            assertEquals(StopReason.FAULT, why);
            assertEquals(Fault.MF, m.cpu.fault().vector());
            assertEquals(TestMachine.CODE + 8, m.cpu.fault().rip());
            assertEquals(0x8081, m.cpu.fpuStatus() & 0x80FF);
        }
    }

    @Test
    void unmaskedStackOverflowPushesNothing() {
        try (var m = new TestMachine()) {
            putShort(m, DATA, 0x037E);
            // fldcw; 8 x fld1; fldz (overflow, unmasked) ; fnstsw ax
            var why = run(m, "d9 2e" + " d9 e8".repeat(8) + " d9 ee df e0");
            assertEquals(StopReason.SYSCALL, why);
            int ax = (int) m.cpu.reg(Reg.RAX) & 0xFFFF;
            assertEquals(0x8000 | 0x0200 | 0x00C1, ax & 0xBFFF, "B, C1, ES, SF, IE; TOP stays 0");
            for (var r : m.cpu.core().fpr) assertEquals(0x3FFF, r.signExp(), "every register still 1.0");
        }
    }

    @Test
    void unmaskedOverflowOnAStoreStoresNothingAndDoesNotPop() {
        try (var m = new TestMachine()) {
            putShort(m, DATA, 0x0377);                                    // OE unmasked
            m.mmu.write64(DATA + 8, 0x7FEF_FFFF_FFFF_FFFFL);              // DBL_MAX
            m.mmu.write32(DATA + 16, 0x1234_5678);
            // fldcw; fld qword [rsi+8]; fstp dword [rsi+16]; fnstsw ax
            assertEquals(StopReason.SYSCALL, run(m, "d9 2e dd 46 08 d9 5e 10 df e0"));
            assertEquals(0x1234_5678, m.mmu.read32(DATA + 16));
            int ax = (int) m.cpu.reg(Reg.RAX) & 0xFFFF;
            assertEquals(7, ax >> 11 & 7, "not popped");
            assertEquals(0x88, ax & 0x88, "OE and ES");
        }
    }

    @Test
    void unmaskedExceptionsFollowTheMaskedResultWhenMaskedAgain() {
        try (var m = new TestMachine()) {
            // masked: 1/0 = +inf with ZE, no #MF
            assertEquals(StopReason.SYSCALL, run(m, "d9 e8 d9 ee de f9 df e0"));
            assertEquals(0x0004, m.cpu.reg(Reg.RAX) & 0x80FF);
            assertEquals(0x7FFF, m.cpu.core().fpr[7].signExp());
        }
    }

    @Test
    void fxsaveNeedsSixteenByteAlignmentAndFxrstorAValidMxcsr() {
        try (var m = new TestMachine()) {
            assertEquals(StopReason.FAULT, run(m, "0f ae 46 08"));                       // fxsave [rsi+8]
            assertEquals(Fault.GP, m.cpu.fault().vector());
            assertEquals(StopReason.FAULT, run(m, "0f ae 4e 08"));                       // fxrstor [rsi+8]
            assertEquals(Fault.GP, m.cpu.fault().vector());
            m.mmu.write32(DATA + 24, 0x1_1F80);                                          // MXCSR bit 16
            assertEquals(StopReason.FAULT, run(m, "0f ae 0e"));
            assertEquals(Fault.GP, m.cpu.fault().vector());
            m.mmu.write32(DATA + 24, 0x1F80);
            assertEquals(StopReason.SYSCALL, run(m, "0f ae 0e"));
        }
    }

    @Test
    void saveAndRestoreFxStateRoundTrip() {
        try (var a = new TestMachine(); var b = new TestMachine()) {
            putShort(a, DATA, 0x0F7F);
            // fldcw; fldpi; fld1; fdiv st(0), st(1); fld qword [rsi]
            a.mmu.write64(DATA + 32, 0x4009_21FB_5444_2D18L);
            assertEquals(StopReason.SYSCALL, run(a, "d9 2e d9 eb d9 e8 d8 f1 dd 46 20"));
            a.cpu.setXmm(3, 0x1122_3344_5566_7788L, -1L);
            a.cpu.setMxcsr(0x3F80);
            byte[] img = new byte[512];
            img[500] = 42;
            a.cpu.saveFxState(img);
            assertEquals(42, img[500], "bytes 416-511 are left alone");
            assertEquals(0x0F7F, img[0] & 0xFF | (img[1] & 0xFF) << 8);
            assertEquals(0xE0, img[4] & 0xFF, "abridged tags: R5, R6, R7");
            assertEquals(TestMachine.CODE + 8, longAt(img, 8), "FIP of the last FLD");
            assertEquals(DATA + 32, longAt(img, 16), "FDP");
            assertEquals(0x546, (img[6] & 0xFF) | (img[7] & 0xFF) << 8, "FOP of dd 46");
            b.cpu.restoreFxState(img);
            byte[] again = new byte[512];
            again[500] = 42;
            b.cpu.saveFxState(again);
            assertArrayEquals(img, again);
            assertEquals(a.cpu.fpuStatus(), b.cpu.fpuStatus());
            assertEquals(0x1122_3344_5566_7788L, b.cpu.xmmLow(3));
            assertEquals(0x3F80, b.cpu.mxcsr());
            img[26] = 1;                                                              // MXCSR bit 16
            assertThrows(IllegalArgumentException.class, () -> b.cpu.restoreFxState(img));
            assertThrows(IllegalArgumentException.class, () -> b.cpu.saveFxState(new byte[511]));
        }
    }

    private static long longAt(byte[] a, int off) {
        long v = 0;
        for (int k = 7; k >= 0; k--) v = v << 8 | (a[off + k] & 0xFF);
        return v;
    }

    @Test
    void mmxRegistersAliasTheSignificands() {
        try (var m = new TestMachine()) {
            CpuCore c = m.cpu.core();
            assertEquals(StopReason.SYSCALL, run(m, "d9 e8 d9 e8"));                    // TOP = 6
            c.setMmx(2, 0x0123_4567_89AB_CDEFL);
            assertEquals(0xFFFF, c.fpr[2].signExp());
            assertEquals(0x0123_4567_89AB_CDEFL, c.fpr[2].significand());
            assertEquals(0, m.cpu.fpuStatus() >> 11 & 7, "TOP = 0");
            assertEquals(0xFF, c.fpuValid);
            assertEquals(0x8000_0000_0000_0000L, c.mmx(7), "MM7 = R7's significand (1.0)");
            c.emms();
            assertEquals(0, c.fpuValid);
        }
    }

    @Test
    void resetIsFninit() {
        try (var m = new TestMachine()) {
            putShort(m, DATA, 0x0C7F);
            assertEquals(StopReason.SYSCALL, run(m, "d9 2e d9 e8 d9 e8"));
            m.cpu.reset();
            assertEquals(0x037F, m.cpu.fpuControl());
            assertEquals(0, m.cpu.fpuStatus());
            assertEquals(0, m.cpu.core().fpuValid);
            assertEquals(0, m.cpu.core().fpuIp);
        }
    }

    @Test
    void copyStateFromCopiesTheX87() {
        try (var a = new TestMachine(); var b = new TestMachine()) {
            assertEquals(StopReason.SYSCALL, run(a, "d9 eb d9 e8 de c1"));               // pi + 1
            b.cpu.copyStateFrom(a.cpu);
            assertEquals(a.cpu.fpuStatus(), b.cpu.fpuStatus());
            assertEquals(a.cpu.core().fpr[7], b.cpu.core().fpr[7]);
            assertEquals(a.cpu.core().fpuValid, b.cpu.core().fpuValid);
        }
    }

    @Test
    void reservedEncodingsAreUndefined() {
        var d = new Decoder();
        for (String hex : new String[] {"d9 d1", "d9 e2", "d9 e3", "d9 e6", "d9 e7", "d9 ef", "d9 0e", "da e0", "da e8",
                "da f0", "db e5", "db f8", "db 26", "db 36", "dd f0", "dd f8", "dd 2e", "de d8", "de da", "df e1",
                "df f8", "f0 d8 c1", "f0 d9 06"}) {
            byte[] b = X87Oracle.hex(hex);
            assertEquals(Op.UD, d.decode(a -> b[(int) a] & 0xFF, 0, 0).op(), hex);
        }
    }

    /** Every x87 operation is reached by some row of the oracle properties. */
    @Test
    void theOraclePropertiesCoverEveryX87Operation() {
        var d = new Decoder();
        var seen = EnumSet.noneOf(Op.class);
        var lists = java.util.List.of(X87Rows.LOADS, X87Rows.STORES, X87Rows.MOVES, X87Rows.ARITHMETIC,
                X87Rows.COMPARES, X87Rows.TRANSCENDENTAL, X87Rows.CONTROL);
        for (var list : lists) {
            for (var row : list) {
                for (int i = 0; i < 8; i++) {
                    byte[] b = row.bytes(i);
                    var insn = d.decode(a -> a < b.length ? b[(int) a] & 0xFF : 0, 0, 0);
                    assertNotEquals(Op.UD, insn.op(), row.name());
                    seen.add(insn.op());
                }
            }
        }
        seen.add(Op.FXSAVE);                                                 // FxSaveOracleTest
        seen.add(Op.FXRSTOR);
        var missing = EnumSet.range(Op.FXSAVE, Op.values()[Op.values().length - 1]);
        missing.removeAll(seen);
        assertTrue(missing.isEmpty(), "x87 operations without an oracle row: " + missing);
    }
}
