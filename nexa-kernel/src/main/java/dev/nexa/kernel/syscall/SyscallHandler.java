package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Task;

/** One system call's implementation: reads its arguments from {@code args}, returns RAX. */
@FunctionalInterface
public interface SyscallHandler {
    /**
     * Returned by handlers that have already set every register themselves (rt_sigreturn,
     * execve): the dispatcher leaves RAX alone.
     */
    long REGISTERS_SET = Long.MIN_VALUE;

    long call(Task task, Args args) throws ErrnoException;
}
