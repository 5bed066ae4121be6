package dev.nexa.kernel.proc;

/**
 * What a blocking syscall keeps across the wait that re-executes it (Linux keeps it on the
 * kernel stack or in the task's restart_block): a deadline, a futex queue entry, the child of a
 * vfork. The dispatcher drops it when the call completes; {@link #cancel} undoes whatever the
 * state holds on to (a futex wait leaves its queue) when the call is abandoned: interrupted by a
 * signal handler, or the task dies.
 */
public interface RestartState {
    default void cancel(Task task) {}
}
