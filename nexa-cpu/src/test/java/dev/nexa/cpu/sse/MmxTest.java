package dev.nexa.cpu.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nexa.cpu.StopReason;
import dev.nexa.cpu.TestMachine;
import dev.nexa.cpu.exec.MmxFile;
import org.junit.jupiter.api.Test;

/**
 * MMX registers alias the x87 register file (SDM Vol. 1 §9.5): MMn is the significand of
 * physical register Rn, every MMX instruction sets TOP to 0 and tags all registers valid, a
 * write sets the sign/exponent field to all ones, EMMS empties the tags.
 */
class MmxTest {
    @Test
    void mmxInstructionsUseThePhysicalRegistersAndTheirTags() {
        try (TestMachine m = new TestMachine()) {
            MmxFile x87 = (MmxFile) m.cpu.core().mmx;
            x87.top = 5;
            x87.tags = 0x21;
            x87.signExp[3] = 0x1234;
            x87.significand[2] = 0x0102_0304_0506_0708L;
            m.cpu.setReg(0, 0xFFFF_FFFF_8000_0001L);
            // movd mm3, eax ; movq mm4, mm2 ; paddb mm4, mm3 ; movq rdx, mm4 ; syscall
            m.code(0x0F, 0x6E, 0xD8, 0x0F, 0x6F, 0xE2, 0x0F, 0xFC, 0xE3, 0x48, 0x0F, 0x7E, 0xE2, 0x0F, 0x05);
            assertEquals(StopReason.SYSCALL, m.run());
            assertEquals(0x8000_0001L, x87.significand[3], "movd zero-extends");
            assertEquals(0xFFFF, x87.signExp[3]);
            assertEquals(0x0102_0304_8506_0709L, m.cpu.reg(2), "bytewise wrap-around add");
            assertEquals(0, x87.top);
            assertEquals(0xFF, x87.tags);
            // emms (elsewhere: TestMachine writes code behind the block cache's back)
            m.load(TestMachine.CODE + 0x100, 0x0F, 0x77, 0x0F, 0x05);
            assertEquals(StopReason.SYSCALL, m.run());
            assertEquals(0, x87.tags);
        }
    }

    @Test
    void sseLoopRunsThroughTheBlockCache() {
        try (TestMachine m = new TestMachine()) {
            // Sum of 1.0f..8.0f with addps over two vectors, then haddps twice:
            //   movups xmm0,[rsi] ; movups xmm1,[rsi+16] ; addps xmm0,xmm1 ; haddps xmm0,xmm0 ;
            //   haddps xmm0,xmm0 ; cvttss2si eax, xmm0 ; syscall
            for (int k = 0; k < 8; k++) m.mmu.write32(TestMachine.DATA + 4L * k, Float.floatToRawIntBits(k + 1));
            m.cpu.setReg(6, TestMachine.DATA);
            m.code(0x0F, 0x10, 0x06, 0x0F, 0x10, 0x4E, 0x10, 0x0F, 0x58, 0xC1, 0xF2, 0x0F, 0x7C, 0xC0,
                    0xF2, 0x0F, 0x7C, 0xC0, 0xF3, 0x0F, 0x2C, 0xC0, 0x0F, 0x05);
            assertEquals(StopReason.SYSCALL, m.run());
            assertEquals(36, m.cpu.reg(0));
        }
    }
}
