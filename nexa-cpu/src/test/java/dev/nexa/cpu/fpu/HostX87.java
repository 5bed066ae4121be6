package dev.nexa.cpu.fpu;

import dev.nexa.cpu.oracle.MachineState;
import dev.nexa.cpu.oracle.NativeExecutor;
import java.util.HexFormat;

/** Runs x87 instructions on the host through the oracle, with operands preloaded on the stack. */
final class HostX87 {
    private HostX87() {}

    static byte[] code(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    /**
     * Runs {@code code} with RSI pointing at the scratch area (holding {@code memory}), FCW =
     * {@code cw}, and {@code stack[0]} as ST(0), {@code stack[1]} as ST(1), ...
     */
    static MachineState run(byte[] code, int cw, byte[] memory, Ext80... stack) {
        var s = MachineState.initial().fpuControl(cw).gpr(MachineState.Gpr.RSI, NativeExecutor.SCRATCH_ADDRESS);
        if (memory != null) {
            s.scratch(0, memory);
        }
        for (int i = stack.length - 1; i >= 0; i--) {
            s.push(stack[i].signExp(), stack[i].significand());
        }
        return NativeExecutor.instance().run(code, s);
    }

    static Ext80 st(MachineState s, int i) {
        return new Ext80(s.stSignExp(i), s.stMantissa(i));
    }

    static String describe(int cw, Ext80... operands) {
        var sb = new StringBuilder("cw=%04x".formatted(cw));
        for (var x : operands) {
            sb.append(' ').append(x);
        }
        return sb.toString();
    }
}
