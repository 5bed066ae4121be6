package dev.nexa.cpu.sse;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.nexa.cpu.exec.GuestFault;
import dev.nexa.cpu.oracle.MachineState;
import dev.nexa.cpu.oracle.NativeExecutor;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * What the host oracle cannot show (the fault would kill the JVM): unmasked SIMD exceptions
 * (#XM), misaligned operands (#GP), reserved MXCSR bits (#GP), undefined encodings (#UD) and
 * page faults in the middle of an instruction, all of which must leave the destination as it
 * was (SDM Vol. 1 §11.5.2.2, Vol. 2 per instruction).
 */
class SseFaultsTest {
    private static final Emulator EMU = new Emulator();
    private static final long SCRATCH = NativeExecutor.SCRATCH_ADDRESS, STACK = NativeExecutor.STACK_ADDRESS;
    private static final int IM = 0x80, DM = 0x100, ZM = 0x200, OM = 0x400, UM = 0x800, PM = 0x1000;

    @AfterAll
    static void close() { EMU.close(); }

    private static byte[] hex(String s) { return HexFormat.of().parseHex(s.replace(" ", "")); }

    private static MachineState state(int mxcsr) {
        return MachineState.initial().mxcsr(mxcsr).gpr(6, SCRATCH);
    }

    private static long floats(float lo, float hi) {
        return Float.floatToRawIntBits(lo) & 0xFFFF_FFFFL | (long) Float.floatToRawIntBits(hi) << 32;
    }

    private static Emulator.Outcome run(String code, MachineState in) { return EMU.run(hex(code), in); }

    @Test
    void unmaskedInvalidRaisesXmAndLeavesTheDestination() {
        var in = state(0x1F80 & ~IM).xmm(1, floats(1, 2), floats(3, 4)).xmm(2, floats(1, Float.intBitsToFloat(0x7F80_0001)), 0);
        var out = run("0F 58 CA", in);                                    // addps xmm1, xmm2
        assertEquals(GuestFault.XM, out.fault());
        assertEquals(in.xmmLow(1), out.state().xmmLow(1));
        assertEquals(in.xmmHigh(1), out.state().xmmHigh(1));
        assertEquals((0x1F80 & ~IM) | 1, out.state().mxcsr(), "IE recorded");
    }

    @Test
    void unmaskedPrecisionRaisesXm() {
        var in = state(0x1F80 & ~PM).xmm(1, floats(1, 0), 0).xmm(2, floats(0x1p-30f, 0), 0);
        var out = run("F3 0F 58 CA", in);                                 // addss xmm1, xmm2
        assertEquals(GuestFault.XM, out.fault());
        assertEquals(in.xmmLow(1), out.state().xmmLow(1));
        assertEquals((0x1F80 & ~PM) | 0x20, out.state().mxcsr());
    }

    @Test
    void unmaskedPreComputationExceptionDropsPostComputationFlags() {
        // Lane 0: 1/0 (ZE, unmasked); lane 1: 1/3 (PE, masked): only the pre-computation flag is set.
        var in = state(0x1F80 & ~ZM).xmm(1, floats(1, 1), 0).xmm(2, floats(0, 3), floats(1, 1));
        var out = run("0F 5E CA", in);                                    // divps xmm1, xmm2
        assertEquals(GuestFault.XM, out.fault());
        assertEquals((0x1F80 & ~ZM) | 0x04, out.state().mxcsr());
        assertEquals(in.xmmLow(1), out.state().xmmLow(1));
    }

    @Test
    void maskedPreComputationAndUnmaskedPostComputationFlagsAreBothRecorded() {
        var in = state(0x1F80 & ~PM).xmm(1, floats(Float.intBitsToFloat(0x7F80_0001), 1), 0).xmm(2, floats(1, 3), floats(1, 1));
        var out = run("0F 5E CA", in);                                    // divps: SNaN lane (IE masked), 1/3 (PE unmasked)
        assertEquals(GuestFault.XM, out.fault());
        assertEquals((0x1F80 & ~PM) | 0x21, out.state().mxcsr());
    }

    @Test
    void unmaskedOverflowRaisesXm() {
        var in = state(0x1F80 & ~OM).xmm(1, Double.doubleToRawLongBits(Double.MAX_VALUE), 7)
                .xmm(2, Double.doubleToRawLongBits(2.0), 0);
        var out = run("F2 0F 59 CA", in);                                 // mulsd xmm1, xmm2
        assertEquals(GuestFault.XM, out.fault());
        assertEquals(in.xmmLow(1), out.state().xmmLow(1));
        assertEquals(0x08, out.state().mxcsr() & 0x3F & 0x08);
    }

    @Test
    void unmaskedUnderflowSignalsExactTinyResults() {
        // den * 1 is exact and tiny: masked, no UE; unmasked, UE and #XM (SDM Vol. 1 §4.9.1.5).
        var masked = run("F3 0F 59 CA", state(0x1F80).xmm(1, 1, 0).xmm(2, floats(1, 0), 0));
        assertEquals(Emulator.Outcome.NONE, masked.fault());
        assertEquals(0x1F80 | 0x02, masked.state().mxcsr(), "DE only");
        var unmasked = run("F3 0F 59 CA", state(0x1F80 & ~UM).xmm(1, 1, 0).xmm(2, floats(1, 0), 0));
        assertEquals(GuestFault.XM, unmasked.fault());
        assertEquals((0x1F80 & ~UM) | 0x12, unmasked.state().mxcsr(), "DE and UE");
    }

    @Test
    void unmaskedDenormalRaisesXmButDazDoesNot() {
        var in = state(0x1F80 & ~DM).xmm(1, floats(1, 0), 0).xmm(2, 1, 0);
        assertEquals(GuestFault.XM, run("F3 0F 58 CA", in).fault());
        assertEquals(Emulator.Outcome.NONE, run("F3 0F 58 CA", in.copy().mxcsr((0x1F80 & ~DM) | 0x40)).fault());
    }

    @Test
    void comparisonsAndConversionsRaiseXmToo() {
        var qnan = state(0x1F80 & ~IM).xmm(1, floats(Float.NaN, 0), 0).xmm(2, floats(1, 0), 0);
        assertEquals(GuestFault.XM, run("0F 2F CA", qnan).fault(), "comiss signals QNaN");
        assertEquals(Emulator.Outcome.NONE, run("0F 2E CA", qnan).fault(), "ucomiss does not");
        var big = state(0x1F80 & ~IM).xmm(2, Double.doubleToRawLongBits(0x1p40), 0).gpr(0, 5);
        var out = run("F2 0F 2D C2", big);                                // cvtsd2si eax, xmm2
        assertEquals(GuestFault.XM, out.fault());
        assertEquals(5, out.state().gpr(0), "destination untouched");
    }

    @Test
    void alignedOperandsMustBeAligned() {
        var in = state(0x1F80).gpr(6, SCRATCH + 8);
        assertEquals(GuestFault.GP, run("0F 28 06", in).fault(), "movaps load");
        assertEquals(GuestFault.GP, run("0F 29 06", in).fault(), "movaps store");
        assertEquals(GuestFault.GP, run("0F 58 06", in).fault(), "addps");
        assertEquals(GuestFault.GP, run("66 0F FE 06", in).fault(), "paddd");
        assertEquals(GuestFault.GP, run("66 0F 38 17 06", in).fault(), "ptest");
        assertEquals(GuestFault.GP, run("66 0F 3A 08 06 00", in).fault(), "roundps");
        assertEquals(GuestFault.GP, run("66 0F 38 2A 06", in).fault(), "movntdqa");
        assertEquals(GuestFault.GP, run("66 0F D1 06", in).fault(), "psrlw xmm, m128");
        assertEquals(Emulator.Outcome.NONE, run("0F 10 06", in).fault(), "movups");
        assertEquals(Emulator.Outcome.NONE, run("F3 0F 6F 06", in).fault(), "movdqu");
        assertEquals(Emulator.Outcome.NONE, run("F2 0F F0 06", in).fault(), "lddqu");
        assertEquals(Emulator.Outcome.NONE, run("F3 0F 58 06", in).fault(), "addss m32");
        assertEquals(Emulator.Outcome.NONE, run("66 0F 3A 63 06 00", in).fault(), "pcmpistri");
        assertEquals(Emulator.Outcome.NONE, run("66 0F 38 20 06", in).fault(), "pmovsxbw m64");
        assertEquals(Emulator.Outcome.NONE, run("0F FE 06", in).fault(), "paddd mm, m64");
    }

    @Test
    void misalignedStoreWritesNothing() {
        var in = state(0x1F80).gpr(6, SCRATCH + 8).xmm(0, -1, -1);
        var out = run("0F 29 06", in);
        assertEquals(0, out.state().scratch().getLong(8));
    }

    @Test
    void ldmxcsrRejectsReservedBits() {
        var in = state(0x1F80);
        in.scratch().putInt(0, 0x1_1F80);
        var out = run("0F AE 16", in);                                    // ldmxcsr [rsi]
        assertEquals(GuestFault.GP, out.fault());
        assertEquals(0x1F80, out.state().mxcsr());
        in.scratch().putInt(0, 0xFFFF);
        out = run("0F AE 16 0F AE 5E 04", in);                            // ldmxcsr [rsi]; stmxcsr [rsi+4]
        assertEquals(Emulator.Outcome.NONE, out.fault());
        assertEquals(0xFFFF, out.state().mxcsr());
        assertEquals(0xFFFF, out.state().scratch().getInt(4));
    }

    @Test
    void undefinedEncodingsRaiseUd() {
        var in = state(0x1F80);
        assertEquals(GuestFault.UD, run("66 0F 12 C1", in).fault(), "movlpd has no register form");
        assertEquals(GuestFault.UD, run("0F 2B C1", in).fault(), "movntps register form");
        assertEquals(GuestFault.UD, run("F2 0F F0 C1", in).fault(), "lddqu register form");
        assertEquals(GuestFault.UD, run("66 0F 38 2A C1", in).fault(), "movntdqa register form");
        assertEquals(GuestFault.UD, run("66 0F 71 16 05", in).fault(), "psrlw imm has no memory form");
        assertEquals(Emulator.Outcome.NONE, run("0F 71 E0 05", in).fault(), "group 12 /4 is psraw");
        assertEquals(GuestFault.UD, run("0F 71 D8 05", in).fault(), "group 12 /3 is not defined");
        assertEquals(GuestFault.UD, run("0F 73 D8 05", in).fault(), "psrldq has no MMX form");
        assertEquals(GuestFault.UD, run("66 0F 50 06", in).fault(), "movmskpd needs a register");
        assertEquals(GuestFault.UD, run("0F 38 17 C1", in).fault(), "ptest needs 66");
        assertEquals(GuestFault.UD, run("C5 F8 58 C1", in).fault(), "AVX is not implemented");
        assertEquals(GuestFault.UD, run("0F C3 C1", in).fault(), "movnti register form");
    }

    @Test
    void pageFaultHalfwayLeavesEverythingAsItWas() {
        // The page after the stack page is unmapped.
        long edge = STACK + 0x1000 - 8;
        var in = state(0x1F80).gpr(6, edge).gpr(7, edge).xmm(0, 0x1111, 0x2222).xmm(1, -1, -1);
        var load = run("0F 10 06", in);                                   // movups xmm0, [rsi]
        assertEquals(GuestFault.PF, load.fault());
        assertEquals(0x1111, load.state().xmmLow(0));
        var store = run("0F 11 0E", in);                                  // movups [rsi], xmm1
        assertEquals(GuestFault.PF, store.fault());
        assertEquals(0, store.state().stack().getLong(0x1000 - 8), "first half not written");
        var mask = run("66 0F F7 C1", in);                                // maskmovdqu xmm0, xmm1 to [rdi]
        assertEquals(GuestFault.PF, mask.fault());
        assertEquals(0, mask.state().stack().getLong(0x1000 - 8));
    }
}
