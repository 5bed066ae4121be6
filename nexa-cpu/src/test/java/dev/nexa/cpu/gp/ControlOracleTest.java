package dev.nexa.cpu.gp;

import dev.nexa.cpu.oracle.MachineState;
import dev.nexa.cpu.oracle.NativeExecutor;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static dev.nexa.cpu.gp.Enc.insn;

/**
 * Control transfers against the host. The code under test must fall through its end, so each
 * branch targets either the next instruction or the end of the code, jumping over a marker
 * ({@code inc rax}) whose effect shows whether it was taken: Jcc (70-7F, 0F 80-8F), JMP (EB,
 * E9, FF /4), JRCXZ/JECXZ (E3), LOOP/LOOPE/LOOPNE (E0-E2, also with 67), CALL (E8, FF /2) and
 * RET (C3, C2).
 */
class ControlOracleTest extends OracleBase {
    private static final byte[] MARKER = {0x48, (byte) 0xFF, (byte) 0xC0};    // inc rax

    private static Setup stack(Setup.Env env) {
        return new Setup(env).pin(4, NativeExecutor.DEFAULT_RSP);
    }

    @Property
    void conditionalJumps(@ForAll("env") Setup.Env env) {
        MachineState in = stack(env).state();
        for (int cc = 0; cc < 16; cc++) {
            Oracle.check(Enc.concat(new byte[] {(byte) (0x70 + cc), (byte) MARKER.length}, MARKER), in, 0);
            Oracle.check(Enc.concat(new byte[] {0x0F, (byte) (0x80 + cc), (byte) MARKER.length, 0, 0, 0}, MARKER), in, 0);
        }
        Oracle.check(Enc.concat(new byte[] {(byte) 0xEB, (byte) MARKER.length}, MARKER), in, 0);
        Oracle.check(Enc.concat(new byte[] {(byte) 0xE9, (byte) MARKER.length, 0, 0, 0}, MARKER), in, 0);
    }

    @Property
    void counterLoops(@ForAll("env") Setup.Env env, @ForAll @IntRange(max = 2) int kind, @ForAll boolean a32,
                      @ForAll @IntRange(max = 3) int small) {
        var s = stack(env);
        if (small < 3) s.regs[1] = (s.regs[1] & ~0xFFFF_FFFFL) | small;       // counts 0, 1, 2 matter most
        MachineState in = s.state();
        byte[] p = a32 ? new byte[] {0x67} : new byte[0];
        Oracle.check(Enc.concat(p, new byte[] {(byte) (0xE0 + kind), (byte) MARKER.length}, MARKER), in, 0);
        Oracle.check(Enc.concat(p, new byte[] {(byte) 0xE3, (byte) MARKER.length}, MARKER), in, 0);
    }

    @Property
    void indirectJumpsAndCalls(@ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int r,
                               @ForAll boolean memory, @ForAll boolean skip) {
        for (int digit : new int[] {2, 4}) {
            var s = stack(env);
            int reg = s.free(r);
            Enc.Rm rm = memory ? s.mem(8) : new Enc.Reg(reg);
            int len = insn().op(0xFF).reg(digit).rm(rm).bytes(CODE).length;
            long target = CODE + len + (skip ? MARKER.length : 0);
            if (memory) {
                int offset = Math.min(env.offset(), Setup.AREA - 16);
                s.poke(offset, target, 8);
            } else {
                s.pin(reg, target);
            }
            byte[] code = Enc.concat(insn().op(0xFF).reg(digit).rm(rm).bytes(CODE), MARKER);
            Oracle.check(code, s.state(), 0);
        }
    }

    @Property
    void callsAndReturns(@ForAll("env") Setup.Env env, @ForAll @IntRange(max = 64) int release,
                         @ForAll boolean skip) {
        MachineState in = stack(env).state();
        // call next; the return address stays on the stack.
        Oracle.check(new byte[] {(byte) 0xE8, 0, 0, 0, 0}, in, 0);
        Oracle.check(Enc.concat(new byte[] {(byte) 0xE8, (byte) MARKER.length, 0, 0, 0}, MARKER), in, 0);
        // push the end address, then ret / ret imm16.
        for (boolean imm : new boolean[] {false, true}) {
            int retLen = imm ? 3 : 1;
            // lea rax, [rip + d]; push rax; ret  (the lea ends 7 bytes in, push is 1 byte)
            int d = 1 + retLen + (skip ? MARKER.length : 0);
            byte[] lea = {0x48, (byte) 0x8D, 0x05, (byte) d, 0, 0, 0};
            byte[] ret = imm ? new byte[] {(byte) 0xC2, (byte) (release * 8), 0} : new byte[] {(byte) 0xC3};
            Oracle.check(Enc.concat(lea, new byte[] {0x50}, ret, MARKER), in, 0);
        }
    }
}
