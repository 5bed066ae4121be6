package dev.nexa.kernel.syscall;

import java.util.List;

/** A row of the syscall table: number, name, implementation, and how to show its arguments. */
public record SyscallSpec(int nr, String name, SyscallHandler handler, List<ArgFormat> args) {
    public SyscallSpec {
        args = List.copyOf(args);
    }
}
