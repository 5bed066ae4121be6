package dev.nexa.cpu.gp;

import dev.nexa.cpu.Fault;
import dev.nexa.cpu.Reg;
import dev.nexa.cpu.StopReason;
import dev.nexa.cpu.TestMachine;
import dev.nexa.mem.Paging;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tricky general-purpose semantics on Nexa alone, with exact expectations from the SDM:
 * cases the native oracle cannot run (faults, addresses outside its pages, 32-bit addressing,
 * segment bases) and a few spelled out for the record.
 */
class GpSemanticsTest {
    private static final long DATA = TestMachine.DATA;

    private static int[] bytes(String hex) {
        byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
        int[] v = new int[b.length];
        for (int k = 0; k < b.length; k++) v[k] = b[k] & 0xFF;
        return v;
    }

    /**
     * Loads {@code hex} followed by UD2 (SYSCALL would clobber RCX and R11) and runs it;
     * returns {@link StopReason#SYSCALL} when it ran to the UD2 and FAULT when it stopped before.
     */
    private static StopReason run(TestMachine m, String hex) {
        int[] code = bytes(hex + " 0f 0b");
        m.code(code);
        StopReason r = m.run();
        if (r != StopReason.FAULT) return r;
        Fault f = m.cpu.fault();
        boolean end = f.vector() == Fault.UD && f.rip() == TestMachine.CODE + code.length - 2;
        return end ? StopReason.SYSCALL : StopReason.FAULT;
    }

    private static long read64(TestMachine m, long va) { return m.mmu.read64(va); }

    private static void assertFault(TestMachine m, int vector, long rip) {
        Fault f = m.cpu.fault();
        assertEquals(vector, f.vector(), "vector " + f.mnemonic());
        assertEquals(rip, f.rip(), "faulting RIP");
        assertEquals(rip, m.cpu.rip(), "RIP restored to the instruction");
    }

    // ---- BT with a memory bit base ---------------------------------------------------------

    @Test
    void bitOffsetsReachFarBeyondTheOperand() {
        try (var m = new TestMachine()) {
            long base = DATA + 0x8000;
            m.cpu.setReg(Reg.RBX, base);
            // bts qword [rbx], rax: offset 8*0x7000 + 5 sets bit 5 of the byte at base + 0x7000.
            m.cpu.setReg(Reg.RAX, 8L * 0x7000 + 5);
            assertEquals(StopReason.SYSCALL, run(m, "48 0f ab 03"));
            assertEquals(0x20, m.mmu.read8(base + 0x7000));
            assertEquals(0, m.cpu.rflags() & 1, "CF = the old bit");
            // A negative offset reaches below: -8*0x8000 + 3 is bit 3 of the byte at DATA.
            m.cpu.setReg(Reg.RAX, -8L * 0x8000 + 3);
            assertEquals(StopReason.SYSCALL, run(m, "48 0f ab 03"));
            assertEquals(0x08, m.mmu.read8(DATA));
            // bt again: CF = 1.
            assertEquals(StopReason.SYSCALL, run(m, "48 0f a3 03"));
            assertEquals(1, m.cpu.rflags() & 1);
        }
    }

    @Test
    void sixteenAndThirtyTwoBitOffsetsAreSignedAndIgnoreUpperBits() {
        try (var m = new TestMachine()) {
            long base = DATA + 0x8000;
            m.cpu.setReg(Reg.RBX, base);
            // bts word [rbx], ax with AX = 0x8000 = -32768: the word at base - 4096, bit 0.
            m.cpu.setReg(Reg.RAX, 0x1234_5678_0000_8000L);
            assertEquals(StopReason.SYSCALL, run(m, "66 0f ab 03"));
            assertEquals(1, m.mmu.read16(base - 4096));
            // btc dword [rbx], eax with EAX = -33 (upper half garbage): dword at base - 8, bit 31.
            m.cpu.setReg(Reg.RAX, 0x7777_7777_FFFF_FFDFL);
            assertEquals(StopReason.SYSCALL, run(m, "0f bb 03"));
            assertEquals(0x8000_0000, m.mmu.read32(base - 8));
        }
    }

    @Test
    void theOperandSizedUnitIsAccessedNotTheByte() {
        try (var m = new TestMachine()) {
            // bt dword [rbx], eax with EAX = 0x7FFFFFFF: the dword at rbx + 4 * (0x7FFFFFFF >> 5),
            // unmapped: the #PF names exactly that address (rbx + 0x0FFFFFFC), not rbx + 0x0FFFFFFF.
            m.cpu.setReg(Reg.RBX, DATA);
            m.cpu.setReg(Reg.RAX, 0x7FFF_FFFF);
            assertEquals(StopReason.FAULT, run(m, "0f a3 03"));
            assertFault(m, Fault.PF, TestMachine.CODE);
            assertEquals(DATA + 0x0FFF_FFFCL, m.cpu.fault().address());
            // 64-bit: rbx + 8 * (offset >> 6).
            m.cpu.setReg(Reg.RAX, 64L * 0x10_0000 + 63);
            assertEquals(StopReason.FAULT, run(m, "48 0f a3 03"));
            assertEquals(DATA + 8L * 0x10_0000, m.cpu.fault().address());
        }
    }

    @Test
    void lockedBitTestIsUndefinedButLockedBtsIsFine() {
        try (var m = new TestMachine()) {
            m.cpu.setReg(Reg.RBX, DATA);
            assertEquals(StopReason.FAULT, run(m, "f0 0f a3 03"));         // lock bt [rbx], eax
            assertFault(m, Fault.UD, TestMachine.CODE);
            assertEquals(StopReason.FAULT, run(m, "f0 0f ab c3"));         // lock bts ebx, eax
            assertFault(m, Fault.UD, TestMachine.CODE);
            assertEquals(StopReason.SYSCALL, run(m, "f0 0f ab 03"));       // lock bts [rbx], eax
        }
    }

    // ---- divide errors ---------------------------------------------------------------------

    @Test
    void quotientOverflowAndZeroDivisorRaiseDivideError() {
        String[][] cases = {
            // {code, rax, rdx, rcx}
            {"f6 f1", "1000", "0", "10"},                                   // div cl: 0x1000/0x10 = 0x100 > 0xFF
            {"f6 f9", "ff80", "0", "ff"},                                   // idiv cl: -128 / -1
            {"f7 f9", "80000000", "ffffffff", "ffffffff"},                  // idiv ecx: INT_MIN / -1
            {"48 f7 f9", "8000000000000000", "ffffffffffffffff", "ffffffffffffffff"}, // idiv rcx: MIN / -1
            {"48 f7 f1", "0", "5", "5"},                                    // div rcx: RDX >= divisor
            {"f7 f1", "1", "0", "0"},                                       // div ecx by zero
            {"66 f7 f9", "0", "8000", "ffff"},                              // idiv cx: -2^31 / -1
        };
        for (String[] k : cases) {
            try (var m = new TestMachine()) {
                long rax = Long.parseUnsignedLong(k[1], 16), rdx = Long.parseUnsignedLong(k[2], 16);
                long rcx = Long.parseUnsignedLong(k[3], 16);
                m.cpu.setReg(Reg.RAX, rax);
                m.cpu.setReg(Reg.RDX, rdx);
                m.cpu.setReg(Reg.RCX, rcx);
                long flags = m.cpu.rflags();
                assertEquals(StopReason.FAULT, run(m, k[0]), k[0]);
                assertFault(m, Fault.DE, TestMachine.CODE);
                assertEquals(rax, m.cpu.reg(Reg.RAX), k[0]);
                assertEquals(rdx, m.cpu.reg(Reg.RDX), k[0]);
                assertEquals(flags, m.cpu.rflags(), k[0]);
            }
        }
    }

    @Test
    void largestQuotientsStillFit() {
        try (var m = new TestMachine()) {
            // idiv rcx: (-2^127 + ...) no: -2^63 * 2^64 is too big; use RDX:RAX = -2^63 * 3, / 3.
            m.cpu.setReg(Reg.RDX, -2);
            m.cpu.setReg(Reg.RAX, Long.MIN_VALUE);                       // RDX:RAX = -2^64 - 2^63 = -3 * 2^63
            m.cpu.setReg(Reg.RCX, 3);
            assertEquals(StopReason.SYSCALL, run(m, "48 f7 f9"));
            assertEquals(Long.MIN_VALUE, m.cpu.reg(Reg.RAX), "quotient -2^63 fits");
            assertEquals(0, m.cpu.reg(Reg.RDX));
            // div rcx: 2^128 - 1 / 2^64 - 1 = 2^64 + 1: overflows; (2^64 - 2):(2^64 - 1) / (2^64 - 1) fits.
            m.cpu.setReg(Reg.RDX, -2);
            m.cpu.setReg(Reg.RAX, -1);
            m.cpu.setReg(Reg.RCX, -1);
            assertEquals(StopReason.SYSCALL, run(m, "48 f7 f1"));
            assertEquals(-1, m.cpu.reg(Reg.RAX));
            assertEquals(-2, m.cpu.reg(Reg.RDX));
        }
    }

    // ---- stack -----------------------------------------------------------------------------

    @Test
    void pushRspPushesTheOldValueAndPopRspLoadsThePoppedOne() {
        try (var m = new TestMachine()) {
            long sp = m.cpu.reg(Reg.RSP);
            assertEquals(StopReason.SYSCALL, run(m, "54"));                 // push rsp
            assertEquals(sp - 8, m.cpu.reg(Reg.RSP));
            assertEquals(sp, read64(m, sp - 8));
            m.mmu.write64(sp - 8, 0x1234_5678L);
            assertEquals(StopReason.SYSCALL, run(m, "5c"));                 // pop rsp
            assertEquals(0x1234_5678L, m.cpu.reg(Reg.RSP));
        }
    }

    @Test
    void popToRspRelativeMemoryUsesTheIncrementedRsp() {
        try (var m = new TestMachine()) {
            long sp = m.cpu.reg(Reg.RSP);
            m.mmu.write64(sp, 0xAAAA);
            m.mmu.write64(sp + 8, 0xBBBB);
            assertEquals(StopReason.SYSCALL, run(m, "8f 04 24"));           // pop qword [rsp]
            assertEquals(sp + 8, m.cpu.reg(Reg.RSP));
            assertEquals(0xAAAA, read64(m, sp + 8), "stored at the new RSP");
        }
    }

    @Test
    void enterBuildsTheDisplayOfEnclosingFrames() {
        try (var m = new TestMachine()) {
            long sp = m.cpu.reg(Reg.RSP), bp = sp - 0x100;
            m.cpu.setReg(Reg.RBP, bp);
            m.mmu.write64(bp - 8, 0x1111);
            m.mmu.write64(bp - 16, 0x2222);
            assertEquals(StopReason.SYSCALL, run(m, "c8 20 00 03"));       // enter 0x20, 3
            long frame = sp - 8;
            assertEquals(bp, read64(m, sp - 8), "old RBP");
            assertEquals(0x1111, read64(m, sp - 16), "display entry 1");
            assertEquals(0x2222, read64(m, sp - 24), "display entry 2");
            assertEquals(frame, read64(m, sp - 32), "the new frame pointer");
            assertEquals(frame, m.cpu.reg(Reg.RBP));
            assertEquals(sp - 32 - 0x20, m.cpu.reg(Reg.RSP));
        }
    }

    // ---- string instructions ---------------------------------------------------------------

    private static void fill(TestMachine m, long va, int len, int seed) {
        for (int k = 0; k < len; k++) m.mmu.write8(va + k, (byte) (k * 7 + seed));
    }

    @Test
    void repMovsFaultsMidwayWithProgressCommittedAndRestarts() throws Exception {
        for (String insn : new String[] {"f3 a4", "f3 48 a5", "f3 66 a5"}) {
            try (var m = new TestMachine()) {
                int size = insn.contains("48") ? 8 : insn.contains("66") ? 2 : 1;
                long src = DATA + 0x1000, dst = DATA + 0x2800, bytes = 0x2000;
                fill(m, src, (int) bytes, 3);
                long hole = DATA + 0x3000;
                m.table.unmap(hole);
                m.mmu.invalidatePage(hole);
                m.cpu.setReg(Reg.RSI, src);
                m.cpu.setReg(Reg.RDI, dst);
                m.cpu.setReg(Reg.RCX, bytes / size);
                assertEquals(StopReason.FAULT, run(m, insn), insn);
                assertFault(m, Fault.PF, TestMachine.CODE);
                assertEquals(hole, m.cpu.fault().address());
                long done = hole - dst;
                assertEquals(src + done, m.cpu.reg(Reg.RSI), insn);
                assertEquals(dst + done, m.cpu.reg(Reg.RDI), insn);
                assertEquals((bytes - done) / size, m.cpu.reg(Reg.RCX), insn);
                // The kernel maps the page and resumes at the same instruction.
                m.map(hole, 1, Paging.US | Paging.RW | Paging.NX);
                assertEquals(StopReason.FAULT, m.run(), insn);
                assertEquals(Fault.UD, m.cpu.fault().vector(), "ran on to the UD2 after " + insn);
                assertEquals(0, m.cpu.reg(Reg.RCX));
                var expect = new byte[(int) bytes];
                var got = new byte[(int) bytes];
                for (int k = 0; k < bytes; k++) expect[k] = (byte) (k * 7 + 3);
                m.mmu.read(dst, got, 0, got.length);
                assertArrayEquals(expect, got, insn);
            }
        }
    }

    @Test
    void repStosFaultOnTheSourceSideAndBackwards() throws Exception {
        try (var m = new TestMachine()) {
            // std; rep stosq going down from DATA + 0x1008 into an unmapped DATA + 0xFF8.
            long hole = DATA;
            m.table.unmap(hole);
            m.mmu.invalidatePage(hole);
            m.cpu.setReg(Reg.RAX, 0x0102_0304_0506_0708L);
            m.cpu.setReg(Reg.RDI, DATA + 0x1008);
            m.cpu.setReg(Reg.RCX, 5);
            m.code(bytes("fd f3 48 ab 0f 05"));
            assertEquals(StopReason.FAULT, m.run());
            assertFault(m, Fault.PF, TestMachine.CODE + 1);
            assertEquals(DATA + 0xFF8, m.cpu.reg(Reg.RDI));
            assertEquals(3, m.cpu.reg(Reg.RCX));
            assertEquals(0x0102_0304_0506_0708L, read64(m, DATA + 0x1000));
            // A read fault: rep lodsb from the hole changes nothing.
            m.cpu.setReg(Reg.RSI, DATA + 0x10);
            m.cpu.setReg(Reg.RCX, 2);
            m.code(bytes("fc f3 ac 0f 05"));
            assertEquals(StopReason.FAULT, m.run());
            assertFault(m, Fault.PF, TestMachine.CODE + 1);
            assertEquals(2, m.cpu.reg(Reg.RCX));
        }
    }

    @Test
    void addressSize32UsesEsiEdiEcxAndZeroExtendsThem() {
        try (var m = new TestMachine()) {
            fill(m, DATA, 16, 1);
            m.cpu.setReg(Reg.RSI, 0xABCD_0000_0000_0000L | DATA);
            m.cpu.setReg(Reg.RDI, 0x1234_0000_0000_0000L | (DATA + 0x100));
            m.cpu.setReg(Reg.RCX, 0xFFFF_FFFF_0000_0004L);
            assertEquals(StopReason.SYSCALL, run(m, "67 f3 a4"));            // rep movsb, 32-bit addressing
            assertEquals(DATA + 4, m.cpu.reg(Reg.RSI));
            assertEquals(DATA + 0x104, m.cpu.reg(Reg.RDI));
            assertEquals(0, m.cpu.reg(Reg.RCX));
            assertEquals(m.mmu.read32(DATA), m.mmu.read32(DATA + 0x100));
            assertEquals(0, m.mmu.read8(DATA + 0x104) & 0xFF);
        }
    }

    @Test
    void segmentOverrideAppliesToTheSourceOnly() {
        try (var m = new TestMachine()) {
            fill(m, DATA + 0x500, 8, 9);
            m.cpu.setFsBase(DATA + 0x400);
            m.cpu.setReg(Reg.RSI, 0x100);
            m.cpu.setReg(Reg.RDI, DATA + 0x800);
            assertEquals(StopReason.SYSCALL, run(m, "64 48 a5"));            // movsq fs:[rsi] -> [rdi]
            assertEquals(read64(m, DATA + 0x500), read64(m, DATA + 0x800));
            // xlat with fs: AL = fs:[rbx + al]
            m.cpu.setReg(Reg.RBX, 0x100);
            m.cpu.setReg(Reg.RAX, 2);
            assertEquals(StopReason.SYSCALL, run(m, "64 d7"));
            assertEquals(m.mmu.read8(DATA + 0x502) & 0xFF, m.cpu.reg(Reg.RAX));
        }
    }

    @Test
    void repStosOverTheRunningCodeTakesEffectImmediately() throws Exception {
        try (var m = new TestMachine()) {
            long code = 0x50_0000L;
            m.map(code, 1, Paging.US | Paging.RW);
            // lea rdi, [rip + 9]; mov ecx, 16; mov al, 0x90; rep stosb; 8 x ud2; syscall
            //   (the stosb turns the UD2s into NOPs: a bulk fill of the executing block's page)
            m.load(code, bytes("48 8d 3d 09 00 00 00 b9 10 00 00 00 b0 90 f3 aa" + " 0f 0b".repeat(8) + " 0f 05"));
            assertEquals(StopReason.SYSCALL, m.run());
            assertEquals(code + 32, m.cpu.reg(Reg.RDI), "all 16 bytes stored");
            assertEquals(code + 34, m.cpu.reg(Reg.RCX), "SYSCALL reached through the new NOPs");
        }
    }

    // ---- miscellany --------------------------------------------------------------------------

    @Test
    void movFromSegmentRegisters() {
        try (var m = new TestMachine()) {
            m.cpu.setReg(Reg.RAX, -1);
            assertEquals(StopReason.SYSCALL, run(m, "8c c8"));               // mov eax, cs
            assertEquals(0x33, m.cpu.reg(Reg.RAX));
            m.cpu.setReg(Reg.RAX, -1);
            assertEquals(StopReason.SYSCALL, run(m, "66 8c d0"));            // mov ax, ss
            assertEquals(0xFFFF_FFFF_FFFF_002BL, m.cpu.reg(Reg.RAX));
            assertEquals(StopReason.FAULT, run(m, "8c f0"));                 // reg field 6: no segment register
            assertFault(m, Fault.UD, TestMachine.CODE);
        }
    }

    @Test
    void cmpxchg16bNeedsAlignment() {
        try (var m = new TestMachine()) {
            m.cpu.setReg(Reg.RSI, DATA + 8);
            assertEquals(StopReason.FAULT, run(m, "f0 48 0f c7 0e"));       // lock cmpxchg16b [rsi]
            assertFault(m, Fault.GP, TestMachine.CODE);
            m.cpu.setReg(Reg.RSI, DATA + 16);
            assertEquals(StopReason.SYSCALL, run(m, "f0 48 0f c7 0e"));
        }
    }
}
