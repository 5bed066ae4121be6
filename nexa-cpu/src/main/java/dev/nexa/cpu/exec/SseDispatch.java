package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.decode.Op;

/**
 * Dispatches SSE/MMX operations to their handlers. The SSE section of {@link Op} is ordered in
 * three groups (moves and shuffles, floating point, integer) so this is two ordinal
 * comparisons, and each group's switch stays small enough for HotSpot to compile well.
 */
final class SseDispatch {
    private static final int FP = Op.SSE_FP_FIRST.ordinal(), INT = Op.SSE_INT_FIRST.ordinal();

    private SseDispatch() {}

    static void exec(CpuCore c, Insn i) {
        int o = i.op().ordinal();
        if (o < FP) SseMoveDispatch.exec(c, i);
        else if (o < INT) SseFpDispatch.exec(c, i);
        else SseIntDispatch.exec(c, i);
    }
}
