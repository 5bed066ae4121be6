package dev.nexa.cpu.gp;

import dev.nexa.cpu.oracle.MachineState;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import static dev.nexa.cpu.gp.Enc.insn;

/**
 * BT/BTS/BTR/BTC (0F A3 AB B3 BB, 0F BA /4-/7), BSF/BSR (0F BC/BD), TZCNT/LZCNT (F3 0F BC/BD)
 * and POPCNT (F3 0F B8) against the host, including memory bit bases with register offsets
 * that reach below and above the addressed operand.
 */
class BitOracleTest extends OracleBase {
    /** BT*: OF SF AF PF undefined, ZF unchanged (SDM Vol. 2A BT). */
    static final long BT_UNDEFINED = Oracle.OF | Oracle.SF | Oracle.AF | Oracle.PF;

    @Provide
    Arbitrary<Integer> bitOffset() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(-64, 127)),
                Tuple.of(2, Arbitraries.integers().between(-8 * 2048, 8 * 2048)),
                Tuple.of(1, Arbitraries.of(0, 7, 8, 15, 16, 31, 32, 63, 64, -1, -8, -16, -32, -64, -65)));
    }

    @Property
    void bitTestRegisterBase(@ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                             @ForAll @IntRange(max = 15) int r, @ForAll("value") long imm) {
        MachineState in = new Setup(env).state();
        for (int size : VSIZES) {
            for (int k = 0; k < 4; k++) {
                run(insn().size(size).op(0x0F, 0xA3 + 8 * k).reg(g).rm(new Enc.Reg(r)), in, BT_UNDEFINED);
                run(insn().size(size).op(0x0F, 0xBA).reg(4 + k).rm(new Enc.Reg(r)).imm(imm, 1), in, BT_UNDEFINED);
            }
        }
    }

    /**
     * A memory bit base: the register offset is signed and selects the operand-sized unit
     * {@code offset >> log2(width)} units away. The base address sits in the middle of the
     * area so that every generated offset stays inside it.
     */
    @Property
    void bitTestMemoryBase(@ForAll("vsize") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                           @ForAll("bitOffset") int offset, @ForAll("value") long imm, @ForAll boolean lock) {
        var s = new Setup(env);
        int reg = s.free(g);
        long m = size == 8 ? -1L : (1L << (8 * size)) - 1;
        s.pin(reg, (s.regs[reg] & ~m) | (offset & m));      // upper bits beyond the size are ignored
        Enc.Rm mem = s.mem(env.mem(), s.address(4096));
        MachineState in = s.state();
        for (int k = 0; k < 4; k++) {
            var e = insn().size(size).op(0x0F, 0xA3 + 8 * k).reg(reg).rm(mem);
            if (lock && k != 0) e.prefix(0xF0);
            run(e, in, BT_UNDEFINED);
            var f = insn().size(size).op(0x0F, 0xBA).reg(4 + k).rm(mem).imm(imm, 1);
            if (lock && k != 0) f.prefix(0xF0);
            run(f, in, BT_UNDEFINED);
        }
    }

    @Property
    void scansAndCounts(@ForAll("vsize") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                        @ForAll @IntRange(max = 15) int r, @ForAll boolean memory) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, size);
        MachineState in = s.state();
        long scanUndefined = Oracle.CF | Oracle.OF | Oracle.SF | Oracle.AF | Oracle.PF;
        long countUndefined = Oracle.OF | Oracle.SF | Oracle.AF | Oracle.PF;
        run(insn().size(size).op(0x0F, 0xBC).reg(g).rm(rm), in, scanUndefined);
        run(insn().size(size).op(0x0F, 0xBD).reg(g).rm(rm), in, scanUndefined);
        run(insn().prefix(0xF3).size(size).op(0x0F, 0xBC).reg(g).rm(rm), in, countUndefined);
        run(insn().prefix(0xF3).size(size).op(0x0F, 0xBD).reg(g).rm(rm), in, countUndefined);
        run(insn().prefix(0xF3).size(size).op(0x0F, 0xB8).reg(g).rm(rm), in, 0);
    }
}
