package dev.nexa.kernel.proc;

/**
 * Thrown by a syscall handler that must wait: the dispatcher parks the task on the queues
 * (and/or until the deadline) and rewinds RIP to the SYSCALL instruction, so the call runs
 * again from the start when the task is woken. Handlers therefore block before changing any
 * state. Not an error: no stack trace.
 */
public final class Blocked extends RuntimeException {
    private final WaitQueue[] queues;
    private final long deadlineNanos;

    private Blocked(WaitQueue[] queues, long deadlineNanos) {
        super(null, null, false, false);
        this.queues = queues;
        this.deadlineNanos = deadlineNanos;
    }

    public static Blocked on(WaitQueue... queues) { return new Blocked(queues, -1); }

    /** Wait until {@code System.nanoTime()} reaches the deadline, or a queue wakes us. */
    public static Blocked until(long deadlineNanos, WaitQueue... queues) { return new Blocked(queues, deadlineNanos); }

    public WaitQueue[] queues() { return queues; }

    /** System.nanoTime() deadline, or -1 for none. */
    public long deadlineNanos() { return deadlineNanos; }
}
