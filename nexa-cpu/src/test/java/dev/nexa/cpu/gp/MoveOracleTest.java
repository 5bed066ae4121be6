package dev.nexa.cpu.gp;

import dev.nexa.cpu.oracle.MachineState;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static dev.nexa.cpu.gp.Enc.insn;

/**
 * Data movement rows against the host: MOV (88-8B, C6, C7, B0-BF, A0-A3), MOVZX/MOVSX
 * (0F B6 B7 BE BF), MOVSXD (63), LEA (8D, with and without 67), XCHG (86, 87, 90+r), CMOVcc
 * (0F 40-4F), SETcc (0F 90-9F), CBW/CWD (98, 99), BSWAP (0F C8+r), MOVBE (0F 38 F0/F1),
 * XLAT (D7), MOV from a segment register (8C), LAHF/SAHF (9F, 9E).
 */
class MoveOracleTest extends OracleBase {
    @Property
    void movForms(@ForAll("size") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                  @ForAll @IntRange(max = 15) int r, @ForAll boolean memory, @ForAll boolean rex,
                  @ForAll("value") long imm) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, size);
        MachineState in = s.state();
        int v = size == 1 ? 0 : 1;
        run(insn().size(size).rex(rex).op(0x88 + v).reg(g).rm(rm), in, 0);
        run(insn().size(size).rex(rex).op(0x8A + v).reg(g).rm(rm), in, 0);
        run(insn().size(size).rex(rex).op(0xC6 + v).reg(0).rm(rm).imm(imm, immBytes(size)), in, 0);
        run(insn().size(size).rex(rex).opReg(g, size == 1 ? 0xB0 : 0xB8).imm(imm, size), in, 0);
    }

    @Property
    void movOffsets(@ForAll("size") int size, @ForAll("env") Setup.Env env) {
        var s = new Setup(env);
        int offset = Math.min(env.offset(), Setup.AREA - 8);
        s.poke(offset, env.memValue(), 8);
        MachineState in = s.state();
        long a = s.address(offset);
        int v = size == 1 ? 0 : 1;
        run(insn().size(size).op(0xA0 + v).imm(a, 8), in, 0);
        run(insn().size(size).op(0xA2 + v).imm(a, 8), in, 0);
    }

    @Property
    void extensions(@ForAll("vsize") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                    @ForAll @IntRange(max = 15) int r, @ForAll boolean memory, @ForAll boolean rex) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, 4);
        MachineState in = s.state();
        for (int op : new int[] {0xB6, 0xB7, 0xBE, 0xBF}) run(insn().size(size).rex(rex).op(0x0F, op).reg(g).rm(rm), in, 0);
        run(insn().size(size).rex(rex).op(0x63).reg(g).rm(rm), in, 0);
        run(insn().size(size).op(0x98), in, 0);
        run(insn().size(size).op(0x99), in, 0);
    }

    @Property
    void lea(@ForAll("vsize") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g, @ForAll boolean raw,
             @ForAll @IntRange(min = -1, max = 15) int base, @ForAll @IntRange(min = -1, max = 15) int index,
             @ForAll @IntRange(max = 3) int scale, @ForAll int disp) {
        var s = new Setup(env);
        // LEA touches no memory: any registers will do, or an operand built like the others.
        Enc.Rm m = raw && index != 4 && !(base < 0 && index < 0)
                ? new Enc.Mem(base, index, scale, base < 0 ? disp : (byte) disp, base < 0 ? 4 : disp % 3 == 0 ? 4 : 1)
                : s.mem(size);
        MachineState in = s.state();
        run(insn().size(size).op(0x8D).reg(g).rm(m), in, 0);
        run(insn().prefix(0x67).size(size).op(0x8D).reg(g).rm(m), in, 0);
    }

    @Property
    void exchange(@ForAll("size") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                  @ForAll @IntRange(max = 15) int r, @ForAll boolean memory, @ForAll boolean rex, @ForAll boolean lock) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, size);
        MachineState in = s.state();
        var e = insn().size(size).rex(rex).op(size == 1 ? 0x86 : 0x87).reg(g).rm(rm);
        if (memory && lock) e.prefix(0xF0);
        run(e, in, 0);
        if (size != 1) {
            // 90+r: XCHG r, rAX; 90 itself is NOP (no zero extension), 41 90 is XCHG r8, rAX.
            run(insn().size(size).rex(rex).opReg(r, 0x90), in, 0);
        }
    }

    @Property
    void conditionalMoves(@ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                          @ForAll @IntRange(max = 15) int r, @ForAll boolean memory, @ForAll boolean rex) {
        for (int size : VSIZES) {
            var s = new Setup(env);
            Enc.Rm rm = rm(s, memory, r, size);
            MachineState in = s.state();
            for (int cc = 0; cc < 16; cc++) {
                run(insn().size(size).rex(rex).op(0x0F, 0x40 + cc).reg(g).rm(rm), in, 0);
            }
        }
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, 1);
        MachineState in = s.state();
        for (int cc = 0; cc < 16; cc++) run(insn().rex(rex).op(0x0F, 0x90 + cc).reg(g).rm(rm), in, 0);
    }

    @Property
    void byteSwaps(@ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                   @ForAll @IntRange(max = 15) int r) {
        for (int size : new int[] {4, 8}) {
            MachineState in = new Setup(env).state();
            run(insn().size(size).opReg(r, 0x0F, 0xC8), in, 0);
        }
        for (int size : VSIZES) {
            var s = new Setup(env);
            Enc.Rm m = s.mem(size);
            MachineState in = s.state();
            run(insn().size(size).op(0x0F, 0x38, 0xF0).reg(g).rm(m), in, 0);
            run(insn().size(size).op(0x0F, 0x38, 0xF1).reg(g).rm(m), in, 0);
        }
    }

    @Property
    void xlat(@ForAll("env") Setup.Env env, @ForAll boolean rexW) {
        var s = new Setup(env);
        s.pin(3, s.address(Math.min(env.offset(), 4096)));
        run(insn().size(rexW ? 8 : 4).op(0xD7), s.state(), 0);
    }

    @Property
    void segmentSelectors(@ForAll("vsize") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 5) int sreg,
                          @ForAll @IntRange(max = 15) int r, @ForAll boolean memory) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, 2);
        run(insn().size(size).op(0x8C).reg(sreg).rm(rm), s.state(), 0);
    }

    @Property
    void flagsToAndFromAh(@ForAll("env") Setup.Env env) {
        MachineState in = new Setup(env).state();
        run(insn().op(0x9F), in, 0);
        run(insn().op(0x9E), in, 0);
    }
}
