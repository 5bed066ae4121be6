package dev.nexa.cpu.gp;

import dev.nexa.cpu.oracle.MachineState;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static dev.nexa.cpu.gp.Enc.insn;

/**
 * The ALU rows against the host: ADD OR ADC SBB AND SUB XOR CMP in all six one-byte forms
 * (00-3D) and the group-1 immediates (80, 81, 83), TEST (84, 85, A8, A9, F6/F7 /0 /1),
 * INC/DEC (FE/FF /0 /1), NOT/NEG (F6/F7 /2 /3), at every operand size, register and memory
 * forms, with and without LOCK. Each try runs every row on the same inputs.
 */
class AluOracleTest extends OracleBase {
    /** AND, OR, XOR, TEST leave AF undefined (SDM Vol. 2A AND: "The state of the AF flag is undefined"). */
    private static long undefined(int k) {
        return k == 1 || k == 4 || k == 6 ? Oracle.AF : Oracle.NONE;
    }

    @Property
    void binaryOperations(@ForAll("size") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                          @ForAll @IntRange(max = 15) int r, @ForAll boolean memory, @ForAll boolean rex,
                          @ForAll("value") long imm, @ForAll boolean lock) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, size);
        MachineState in = s.state();
        int v = size == 1 ? 0 : 1;
        for (int k = 0; k < 8; k++) {
            int b = k << 3;
            long u = undefined(k);
            var e = insn().size(size).rex(rex).op(b + v).reg(g).rm(rm);
            if (memory && lock && k != 7) e.prefix(0xF0);
            run(e, in, u);
            run(insn().size(size).rex(rex).op(b + 2 + v).reg(g).rm(rm), in, u);
            run(insn().size(size).op(b + 4 + v).imm(imm, immBytes(size)), in, u);
            var grp = insn().size(size).rex(rex).op(size == 1 ? 0x80 : 0x81).reg(k).rm(rm).imm(imm, immBytes(size));
            if (memory && lock && k != 7) grp.prefix(0xF0);
            run(grp, in, u);
            if (size != 1) run(insn().size(size).rex(rex).op(0x83).reg(k).rm(rm).imm(imm, 1), in, u);
        }
    }

    @Property
    void testIncDecNotNeg(@ForAll("size") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                          @ForAll @IntRange(max = 15) int r, @ForAll boolean memory, @ForAll boolean rex,
                          @ForAll("value") long imm, @ForAll boolean lock) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, size);
        MachineState in = s.state();
        int v = size == 1 ? 0 : 1;
        run(insn().size(size).rex(rex).op(0x84 + v).reg(g).rm(rm), in, Oracle.AF);
        run(insn().size(size).op(0xA8 + v).imm(imm, immBytes(size)), in, Oracle.AF);
        run(insn().size(size).rex(rex).op(0xF6 + v).reg(0).rm(rm).imm(imm, immBytes(size)), in, Oracle.AF);
        run(insn().size(size).rex(rex).op(0xF6 + v).reg(1).rm(rm).imm(imm, immBytes(size)), in, Oracle.AF);
        for (int digit = 0; digit < 2; digit++) {
            var e = insn().size(size).rex(rex).op(0xFE + v).reg(digit).rm(rm);
            if (memory && lock) e.prefix(0xF0);
            run(e, in, Oracle.NONE);
        }
        for (int digit = 2; digit < 4; digit++) {
            var e = insn().size(size).rex(rex).op(0xF6 + v).reg(digit).rm(rm);
            if (memory && lock) e.prefix(0xF0);
            run(e, in, Oracle.NONE);
        }
    }
}
