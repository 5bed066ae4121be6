package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/** Dispatches SSE/MMX operations to their handlers. */
final class SseDispatch {
    private SseDispatch() {}

    static void exec(CpuCore c, Insn i) {
        switch (i.op()) {
            default -> throw GuestFault.invalidOpcode();
        }
    }
}
