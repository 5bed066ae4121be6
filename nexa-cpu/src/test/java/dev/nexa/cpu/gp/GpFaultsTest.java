package dev.nexa.cpu.gp;

import dev.nexa.cpu.Fault;
import dev.nexa.cpu.Reg;
import dev.nexa.cpu.StopReason;
import dev.nexa.cpu.TestMachine;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The general-purpose rows that end in an exception at CPL 3 (which the native oracle cannot
 * run), and the FS/GS base instructions (whose host values belong to the JVM).
 */
class GpFaultsTest {
    private static Fault faultOf(String hex) {
        try (var m = new TestMachine()) {
            byte[] b = HexFormat.of().parseHex(hex.replace(" ", ""));
            int[] code = new int[b.length];
            for (int k = 0; k < b.length; k++) code[k] = b[k] & 0xFF;
            m.code(code);
            assertEquals(StopReason.FAULT, m.run(), hex);
            return m.cpu.fault();
        }
    }

    private static void assertFault(String hex, int vector, int errorCode, long rip) {
        Fault f = faultOf(hex);
        assertEquals(vector, f.vector(), hex + ": " + f.mnemonic());
        assertEquals(errorCode, f.errorCode(), hex + " error code");
        assertEquals(rip, f.rip(), hex + " RIP");
    }

    @Test
    void privilegedInstructionsRaiseGeneralProtection() {
        // HLT, CLI, STI, IN/OUT (imm8 and DX forms), INS/OUTS: IOPL is 0 for user code.
        for (String hex : new String[] {"f4", "fa", "fb", "e4 60", "e5 60", "e6 60", "e7 60", "ec", "ed", "ee", "ef",
                "6c", "6d", "6e", "6f"}) {
            assertFault(hex, Fault.GP, 0, TestMachine.CODE);
        }
    }

    @Test
    void softwareInterrupts() {
        // INT n: the IDT gate is not user-accessible: #GP with error code (n << 3) | 2 (IDT bit).
        assertFault("cd 80", Fault.GP, (0x80 << 3) | 2, TestMachine.CODE);
        // INT3 is a trap: reported at the next instruction.
        assertFault("cc", Fault.BP, 0, TestMachine.CODE + 1);
    }

    @Test
    void undefinedEncodings() {
        String[] ud = {
            "0f 0b",            // UD2
            "0f b9 c0",         // UD1
            "0f ff c0",         // UD0
            "f0 89 03",         // LOCK MOV: not lockable
            "f0 0f a3 03",      // LOCK BT: not lockable
            "f0 01 c3",         // LOCK with a register destination
            "0f 01 d0",         // XGETBV: OSXSAVE is not advertised
            "27", "2f", "37", "3f", "d4 0a", "d5 0a", "62 c0", // DAA DAS AAA AAS AAM AAD BOUND: invalid in 64-bit mode
            "0f c7 c8",         // CMPXCHG8B with a register operand
            "8c f8",            // MOV Ev, Sw with reg field 7
        };
        for (String hex : ud) {
            assertFault(hex, Fault.UD, 0, TestMachine.CODE);
        }
    }

    @Test
    void fsAndGsBases() {
        try (var m = new TestMachine()) {
            // wrfsbase rax; rdfsbase rbx; wrgsbase ecx (32-bit: zero-extended); rdgsbase rdx
            m.cpu.setReg(Reg.RAX, 0x7FFF_1234_5000L);
            m.cpu.setReg(Reg.RCX, 0xFFFF_FFFF_8000_0000L);
            m.code(0xF3, 0x48, 0x0F, 0xAE, 0xD0, 0xF3, 0x48, 0x0F, 0xAE, 0xC3,
                    0xF3, 0x0F, 0xAE, 0xD9, 0xF3, 0x48, 0x0F, 0xAE, 0xCA, 0x0F, 0x0B);
            m.run();
            assertEquals(0x7FFF_1234_5000L, m.cpu.fsBase());
            assertEquals(0x7FFF_1234_5000L, m.cpu.reg(Reg.RBX));
            assertEquals(0x8000_0000L, m.cpu.gsBase());
            assertEquals(0x8000_0000L, m.cpu.reg(Reg.RDX));
            // A non-canonical base: #GP(0), nothing written.
            m.cpu.setReg(Reg.RAX, 0x0000_8000_0000_0000L);
            m.code(0xF3, 0x48, 0x0F, 0xAE, 0xD0);
            assertEquals(StopReason.FAULT, m.run());
            assertEquals(Fault.GP, m.cpu.fault().vector());
            assertEquals(0x7FFF_1234_5000L, m.cpu.fsBase());
        }
    }
}
