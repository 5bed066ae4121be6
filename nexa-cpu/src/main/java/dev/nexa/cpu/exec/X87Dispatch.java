package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/** Dispatches x87 operations to their handlers. */
final class X87Dispatch {
    private X87Dispatch() {}

    static void exec(CpuCore c, Insn i) {
        switch (i.op()) {
            default -> throw GuestFault.invalidOpcode();
        }
    }
}
