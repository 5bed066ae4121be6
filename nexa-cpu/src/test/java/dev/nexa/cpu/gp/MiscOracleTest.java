package dev.nexa.cpu.gp;

import dev.nexa.cpu.oracle.MachineState;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static dev.nexa.cpu.gp.Enc.insn;

/**
 * The flag instructions CLC STC CMC CLD STD (F8 F9 F5 FC FD) and the hints that must change
 * nothing: NOP (90, 66 90, 0F 1F /0 and the 0F 19-1E hint space), PAUSE (F3 90), ENDBR64,
 * PREFETCHh (0F 18), PREFETCHW (0F 0D /1), LFENCE/MFENCE/SFENCE (0F AE E8/F0/F8) and CLFLUSH
 * (0F AE /7), against the host.
 */
class MiscOracleTest extends OracleBase {
    @Property
    void flagInstructions(@ForAll("env") Setup.Env env, @ForAll boolean down) {
        var s = new Setup(env);
        s.flags |= down ? 0x400 : 0;
        MachineState in = s.state();
        for (int op : new int[] {0xF8, 0xF9, 0xF5, 0xFC, 0xFD}) run(insn().op(op), in, 0);
        // After an arithmetic result (lazy flags), CMC must flip the computed CF.
        run(insn().size(8).op(0x01).reg(0).rm(new Enc.Reg(3)), in, 0);
        byte[] sub = insn().size(8).op(0x29).reg(0).rm(new Enc.Reg(3)).bytes(CODE);
        Oracle.check(Enc.concat(sub, new byte[] {(byte) 0xF5}), in, 0);
    }

    @Property
    void hintsChangeNothing(@ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int r, @ForAll boolean memory,
                            @ForAll @IntRange(max = 7) int hint) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, 8);
        MachineState in = s.state();
        run(insn().op(0x90), in, 0);
        run(insn().size(2).op(0x90), in, 0);
        run(insn().prefix(0xF3).op(0x90), in, 0);
        run(insn().prefix(0xF3).op(0x0F, 0x1E, 0xFA), in, 0);                  // ENDBR64
        for (int size : VSIZES) run(insn().size(size).op(0x0F, 0x1F).reg(0).rm(rm), in, 0);
        for (int op = 0x19; op <= 0x1E; op++) {
            if (op == 0x1E && !memory) continue;                                // F3 0F 1E /7 reg forms are CET
            run(insn().op(0x0F, op).reg(hint).rm(rm), in, 0);
        }
        run(insn().op(0x0F, 0xAE).reg(5).rm(new Enc.Reg(0)), in, 0);          // LFENCE
        run(insn().op(0x0F, 0xAE).reg(6).rm(new Enc.Reg(0)), in, 0);          // MFENCE
        run(insn().op(0x0F, 0xAE).reg(7).rm(new Enc.Reg(0)), in, 0);          // SFENCE
        if (memory) {
            for (int h = 0; h < 4; h++) run(insn().op(0x0F, 0x18).reg(h).rm(rm), in, 0);
            run(insn().op(0x0F, 0x0D).reg(1).rm(rm), in, 0);                   // PREFETCHW
            run(insn().op(0x0F, 0xAE).reg(7).rm(rm), in, 0);                   // CLFLUSH
        }
    }
}
