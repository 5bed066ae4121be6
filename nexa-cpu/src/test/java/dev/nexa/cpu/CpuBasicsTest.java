package dev.nexa.cpu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class CpuBasicsTest {
    @Test
    void syscallStopsWithRcxAndR11() {
        try (TestMachine m = new TestMachine()) {
            // mov eax, 60 ; mov edi, 7 ; syscall
            m.code(0xB8, 60, 0, 0, 0, 0xBF, 7, 0, 0, 0, 0x0F, 0x05);
            assertEquals(StopReason.SYSCALL, m.run());
            assertEquals(60, m.cpu.reg(Reg.RAX));
            assertEquals(7, m.cpu.reg(Reg.RDI));
            assertEquals(TestMachine.CODE + 12, m.cpu.reg(Reg.RCX), "RCX = next RIP");
            assertEquals(m.cpu.rflags(), m.cpu.reg(Reg.R11));
            assertEquals(3, m.cpu.instructions());
        }
    }

    @Test
    void countedLoopWithFlagsAndBranches() {
        try (TestMachine m = new TestMachine()) {
            // xor eax,eax ; mov edx,10 ; L: add eax,edx ; dec edx ; jnz L ; syscall
            m.code(0x31, 0xC0, 0xBA, 10, 0, 0, 0, 0x01, 0xD0, 0xFF, 0xCA, 0x75, 0xFA, 0x0F, 0x05);
            assertEquals(StopReason.SYSCALL, m.run());
            assertEquals(55, m.cpu.reg(Reg.RAX));
            assertEquals(0, m.cpu.reg(Reg.RDX));
            assertEquals(2 + 3 * 10 + 1, m.cpu.instructions());
        }
    }

    @Test
    void callRetAndStack() {
        try (TestMachine m = new TestMachine()) {
            long sp = m.cpu.reg(Reg.RSP);
            // call +6 ; syscall ; (pad) ... f: mov eax, 42 ; ret
            // 0: E8 01 00 00 00   call 6
            // 5: 0F 05            syscall   (hmm: call target = 5+1 = 6?)  -> layout below
            m.code(0xE8, 0x02, 0, 0, 0,        // call +2 -> 7
                    0x0F, 0x05,                // 5: syscall
                    0xB8, 42, 0, 0, 0,         // 7: mov eax, 42
                    0xC3);                     // 12: ret
            assertEquals(StopReason.SYSCALL, m.run());
            assertEquals(42, m.cpu.reg(Reg.RAX));
            assertEquals(sp, m.cpu.reg(Reg.RSP));
        }
    }

    @Test
    void pageFaultRestoresRipAndChangesNothing() {
        try (TestMachine m = new TestMachine()) {
            // mov eax, 5 ; mov [0x1000], eax  (unmapped) ; syscall
            m.code(0xB8, 5, 0, 0, 0, 0x89, 0x04, 0x25, 0x00, 0x10, 0, 0, 0x0F, 0x05);
            assertEquals(StopReason.FAULT, m.run());
            Fault f = m.cpu.fault();
            assertEquals(Fault.PF, f.vector());
            assertEquals(0x1000, f.address());
            assertEquals(TestMachine.CODE + 5, f.rip());
            assertEquals(TestMachine.CODE + 5, m.cpu.rip());
            assertEquals(1, m.cpu.instructions());
        }
    }

    @Test
    void undefinedOpcodeRaisesUd() {
        try (TestMachine m = new TestMachine()) {
            m.code(0x90, 0x0F, 0x0B);          // nop ; ud2
            assertEquals(StopReason.FAULT, m.run());
            assertEquals(Fault.UD, m.cpu.fault().vector());
            assertEquals(TestMachine.CODE + 1, m.cpu.fault().rip());
        }
    }

    @Test
    void lockWithoutMemoryDestinationIsUd() {
        try (TestMachine m = new TestMachine()) {
            m.code(0xF0, 0x01, 0xC8);          // lock add eax, ecx
            assertEquals(StopReason.FAULT, m.run());
            assertEquals(Fault.UD, m.cpu.fault().vector());
        }
    }

    @Test
    void selfModifyingCodeTakesEffectAtTheNextInstruction() throws Exception {
        try (TestMachine m = new TestMachine()) {
            m.map(0x50_0000L, 1, dev.nexa.mem.Paging.US | dev.nexa.mem.Paging.RW);   // writable + executable
            // mov byte [rip+1], 0x2A  ; mov eax, 0x01  -> patched into mov eax, 0x2A ; syscall
            // C6 05 01 00 00 00 2A   (rip-relative: next insn at +7, +1 = imm byte of the mov eax)
            m.load(0x50_0000L, 0xC6, 0x05, 0x01, 0, 0, 0, 0x2A,
                    0xB8, 0x01, 0, 0, 0, 0x0F, 0x05);
            assertEquals(StopReason.SYSCALL, m.run());
            assertEquals(0x2A, m.cpu.reg(Reg.RAX));
            // Run the same code again: the block is re-decoded from the patched bytes.
            m.cpu.setRip(0x50_0000L + 7);
            assertEquals(StopReason.SYSCALL, m.run());
            assertEquals(0x2A, m.cpu.reg(Reg.RAX));
        }
    }

    @Test
    void budgetStopsARunawayLoop() {
        try (TestMachine m = new TestMachine()) {
            m.code(0xEB, 0xFE);                // jmp $
            assertEquals(StopReason.BUDGET, m.cpu.run(1000));
            assertTrue(m.cpu.instructions() >= 1000);
        }
    }

    @Test
    void executingNonExecutableMemoryFaults() {
        try (TestMachine m = new TestMachine()) {
            m.cpu.setRip(TestMachine.DATA);
            assertEquals(StopReason.FAULT, m.run());
            assertEquals(Fault.PF, m.cpu.fault().vector());
            assertEquals(dev.nexa.mem.Paging.PF_FETCH | dev.nexa.mem.Paging.PF_PRESENT | dev.nexa.mem.Paging.PF_USER,
                    m.cpu.fault().errorCode());
        }
    }
}
