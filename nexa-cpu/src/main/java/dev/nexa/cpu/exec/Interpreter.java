package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.decode.Op;

/**
 * Executes one decoded instruction by handing it to its family's dispatcher. The family split
 * keeps every dispatch method well under HotSpot's 8000-byte compilation limit.
 */
public final class Interpreter {
    private static final int SSE_BASE = Op.SSE_FIRST.ordinal();
    private static final int X87_BASE = Op.X87_FIRST.ordinal();

    private Interpreter() {}

    public static void exec(CpuCore c, Insn i) {
        int o = i.op().ordinal();
        if (o < SSE_BASE) GpDispatch.exec(c, i);
        else if (o < X87_BASE) SseDispatch.exec(c, i);
        else X87Dispatch.exec(c, i);
    }
}
