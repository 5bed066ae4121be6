package dev.nexa.cpu.gp;

import dev.nexa.cpu.oracle.MachineState;
import dev.nexa.cpu.oracle.NativeExecutor;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static dev.nexa.cpu.gp.Enc.insn;

/**
 * Stack rows against the host: PUSH/POP (50-5F, 6A, 68, FF /6, 8F /0, including PUSH RSP,
 * POP RSP and POP [RSP+disp]), PUSHF/POPF (9C, 9D), ENTER (C8, every nesting level) and LEAVE
 * (C9), in 64- and 16-bit operand sizes.
 */
class StackOracleTest extends OracleBase {
    static final long STACK = NativeExecutor.STACK_ADDRESS;

    /** RSP somewhere inside the stack page with room both ways; sometimes misaligned. */
    @Provide
    Arbitrary<Integer> rspOffset() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(3, Arbitraries.integers().between(1024, 3072).map(o -> o & ~7)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(1024, 3072)));
    }

    private static Setup stack(Setup.Env env, int rspOffset) {
        return new Setup(env).pin(4, STACK + rspOffset);
    }

    @Property
    void pushAndPopRegisters(@ForAll("env") Setup.Env env, @ForAll("rspOffset") int sp,
                             @ForAll @IntRange(max = 15) int r, @ForAll boolean word, @ForAll("value") long imm) {
        MachineState in = stack(env, sp).state();
        int size = word ? 2 : 4;                                // 4: the default (64-bit) size
        run(insn().size(size).opReg(r, 0x50), in, 0);
        run(insn().size(size).opReg(r, 0x58), in, 0);
        run(insn().size(size).op(0x6A).imm(imm, 1), in, 0);
        run(insn().size(size).op(0x68).imm(imm, word ? 2 : 4), in, 0);
        run(insn().size(size).op(0xFF).reg(6).rm(new Enc.Reg(r)), in, 0);
        run(insn().size(size).op(0x8F).reg(0).rm(new Enc.Reg(r)), in, 0);
    }

    @Property
    void pushAndPopMemory(@ForAll("env") Setup.Env env, @ForAll("rspOffset") int sp, @ForAll boolean word,
                          @ForAll @IntRange(min = -16, max = 16) int disp) {
        int size = word ? 2 : 4;
        var s = stack(env, sp);
        Enc.Rm m = s.mem(8);
        MachineState in = s.state();
        run(insn().size(size).op(0xFF).reg(6).rm(m), in, 0);
        run(insn().size(size).op(0x8F).reg(0).rm(m), in, 0);
        // POP [RSP+disp]: the address uses RSP after the increment (SDM Vol. 2B POP).
        Enc.Rm viaRsp = new Enc.Mem(4, -1, 0, disp, 1);
        MachineState in2 = stack(env, sp).state();
        run(insn().size(size).op(0x8F).reg(0).rm(viaRsp), in2, 0);
        run(insn().size(size).op(0xFF).reg(6).rm(viaRsp), in2, 0);
    }

    /**
     * PUSHF/POPF: the popped image holds random status flags, DF, IF, IOPL, NT and ID (a CPL-3
     * POPF ignores IF and IOPL); TF and AC stay clear, since single-stepping or alignment
     * checks would kill the host process. PUSHF after POPF shows what was taken.
     */
    @Property
    void flagsImages(@ForAll("env") Setup.Env env, @ForAll("rspOffset") int sp, @ForAll boolean word,
                     @ForAll("value") long image) {
        int size = word ? 2 : 4;
        var s = stack(env, sp);
        long safe = image & ~(0x100L | 0x40000L);                // TF, AC
        s.poke(MachineState.SCRATCH_SIZE + sp, safe, 8);
        MachineState in = s.state();
        var pushf = insn().size(size).op(0x9C);
        var popf = insn().size(size).op(0x9D);
        run(pushf, in, 0);
        Oracle.check(Enc.concat(popf.bytes(CODE), pushf.bytes(CODE)), in, 0);
    }

    /**
     * ENTER with every nesting level (taken modulo 32) and a frame that keeps the new RSP in
     * mapped memory: hardware probes the new RSP for writability (see the next property).
     */
    @Property
    void enterAndLeave(@ForAll("env") Setup.Env env, @ForAll("rspOffset") int sp,
                       @ForAll @IntRange(min = 300, max = 3800) int bp, @ForAll @IntRange(max = 255) int level,
                       @ForAll @IntRange(max = 5000) int frame, @ForAll boolean word) {
        int size = word ? 2 : 4;
        var s = stack(env, Math.max(sp, 1400)).pin(5, STACK + bp);
        MachineState in = s.state();
        run(insn().size(size).op(0xC8).imm(frame, 2).imm(level, 1), in, 0);
        run(insn().size(size).op(0xC9), in, 0);
    }

    /** ENTER whose new RSP lands below the oracle pages (unmapped): #PF before anything changes. */
    @Property(tries = 30)
    void enterProbesTheNewStackPointer(@ForAll("env") Setup.Env env, @ForAll @IntRange(max = 31) int level,
                                       @ForAll @IntRange(min = 0x3A00, max = 0xFFFF) int frame) {
        var s = stack(env, 2048).pin(5, STACK + 3000);
        byte[] code = insn().op(0xC8).imm(frame, 2).imm(level, 1).bytes(CODE);
        Oracle.expectFault(code, s.state(), dev.nexa.cpu.Fault.PF);
    }
}
