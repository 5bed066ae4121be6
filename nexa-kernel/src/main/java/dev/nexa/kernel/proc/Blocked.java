package dev.nexa.kernel.proc;

/**
 * Thrown by a syscall handler that must wait: the dispatcher parks the task on the queues
 * (and/or until the deadline) and rewinds RIP to the SYSCALL, so the call runs again from the
 * start when the task is woken. Handlers therefore block before changing any state, and keep
 * what must survive the wait (a deadline, "I was woken by FUTEX_WAKE") in {@link Task#restart}.
 * <p>
 * A signal interrupts the wait (Linux's TASK_INTERRUPTIBLE sleep): when the task has a
 * deliverable signal at the moment it would block, the call ends with {@link #onSignal()}
 * instead, one of Linux's internal restart codes, and signal delivery then turns that into
 * -EINTR or a restart (SA_RESTART) exactly as arch/x86/kernel/signal.c does. A
 * {@link #killable} wait (vfork's parent) is interrupted only by a fatal signal.
 * Not an error: no stack trace.
 */
public final class Blocked extends RuntimeException {
    private final WaitQueue[] queues;
    private final long deadlineNanos;
    private long onSignal = SyscallRestart.SYS.ret();
    private boolean killable;

    private Blocked(WaitQueue[] queues, long deadlineNanos) {
        super(null, null, false, false);
        this.queues = queues;
        this.deadlineNanos = deadlineNanos;
    }

    public static Blocked on(WaitQueue... queues) { return new Blocked(queues, -1); }

    /** Wait until {@code System.nanoTime()} reaches the deadline, or a queue wakes us. */
    public static Blocked until(long deadlineNanos, WaitQueue... queues) { return new Blocked(queues, deadlineNanos); }

    /** What the call returns when a signal interrupts it (default: ERESTARTSYS, i.e. SA_RESTART decides). */
    public Blocked interruptedWith(SyscallRestart code) {
        this.onSignal = code.ret();
        return this;
    }

    /** The call fails with EINTR when interrupted, whatever SA_RESTART says (epoll_wait, sigtimedwait). */
    public Blocked interruptedWithEintr() {
        this.onSignal = dev.nexa.kernel.abi.Errno.EINTR.ret();
        return this;
    }

    /** Only fatal signals interrupt this wait (TASK_KILLABLE). */
    public Blocked killableOnly() {
        this.killable = true;
        return this;
    }

    public WaitQueue[] queues() { return queues; }

    /** System.nanoTime() deadline, or -1 for none. */
    public long deadlineNanos() { return deadlineNanos; }

    /** The syscall result when a signal interrupts the wait: a restart code or -EINTR. */
    public long onSignal() { return onSignal; }

    public boolean killable() { return killable; }
}
