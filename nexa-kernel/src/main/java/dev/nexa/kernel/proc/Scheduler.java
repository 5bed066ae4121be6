package dev.nexa.kernel.proc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Round-robin over runnable tasks, each running for an instruction budget, plus the kernel's
 * timers (sleep deadlines, ITIMER_REAL, futex timeouts). Blocked and stopped tasks are set
 * aside until woken or continued; when nothing can run, the host thread sleeps until the
 * earliest timer or until a host event (terminal input, a signal from the host) wakes it, so a
 * waiting guest never spins the host CPU.
 */
public final class Scheduler {
    /** Instructions a task runs before the next one gets the CPU. */
    public static final long QUANTUM = 2_000_000;

    /** A pending kernel timer; {@link #cancel()} before it fires makes it a no-op. */
    public static final class Timer implements Comparable<Timer> {
        private final long deadline;
        private final long seq;
        private Runnable action;

        private Timer(long deadline, long seq, Runnable action) {
            this.deadline = deadline;
            this.seq = seq;
            this.action = action;
        }

        public long deadline() { return deadline; }

        public boolean pending() { return action != null; }

        public void cancel() { action = null; }

        @Override
        public int compareTo(Timer o) {
            int c = Long.compare(deadline - o.deadline, 0);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final ArrayDeque<Task> runQueue = new ArrayDeque<>();
    private final Set<Task> blocked = new LinkedHashSet<>();
    private final Set<Task> stopped = new LinkedHashSet<>();
    private final PriorityQueue<Timer> timers = new PriorityQueue<>();
    private long timerSeq;
    private final Object hostEvents = new Object();
    private boolean hostEventPending;
    /** Set by host threads; the kernel thread then runs the host-event handlers (one volatile read per pick). */
    private volatile boolean hostWork;
    private final List<Runnable> hostHandlers = new ArrayList<>(1);

    /** Files the task where its state says it belongs: run queue, blocked, stopped, or nowhere. */
    void update(Task t) {
        runQueue.remove(t);
        blocked.remove(t);
        stopped.remove(t);
        if (t.state() == Task.State.EXITED) return;
        if (t.isStopped()) stopped.add(t);
        else if (t.state() == Task.State.BLOCKED) blocked.add(t);
        else runQueue.addLast(t);
    }

    /** Adds a new task (fork/clone/spawn). */
    public void add(Task t) { update(t); }

    /** The next task to run (rotating the queue), or null if none is runnable right now. */
    public Task next() {
        fireTimers();
        if (hostWork) runHostHandlers();
        Task t = runQueue.pollFirst();
        if (t != null) runQueue.addLast(t);
        return t;
    }

    /** True while some task exists that could still run (runnable, blocked or stopped). */
    public boolean hasTasks() { return !runQueue.isEmpty() || !blocked.isEmpty() || !stopped.isEmpty(); }

    public boolean hasRunnable() { return !runQueue.isEmpty(); }

    public Set<Task> blockedTasks() { return Set.copyOf(blocked); }

    /** Runs {@code action} on the kernel thread once {@code System.nanoTime()} reaches the deadline. */
    public Timer schedule(long deadlineNanos, Runnable action) {
        Timer t = new Timer(deadlineNanos, timerSeq++, action);
        timers.add(t);
        return t;
    }

    /** Fires every timer whose deadline has passed, in deadline order. */
    public void fireTimers() {
        if (timers.isEmpty()) return;
        long now = System.nanoTime();
        while (!timers.isEmpty()) {
            Timer t = timers.peek();
            if (t.action == null) {
                timers.poll();
                continue;
            }
            if (now - t.deadline < 0) break;
            timers.poll();
            Runnable a = t.action;
            t.action = null;
            a.run();
        }
    }

    /** The earliest pending timer deadline, or Long.MAX_VALUE. */
    private long earliestDeadline() {
        while (!timers.isEmpty() && timers.peek().action == null) timers.poll();
        return timers.isEmpty() ? Long.MAX_VALUE : timers.peek().deadline;
    }

    /** Sleeps the host thread until the next timer or a host event. */
    public void idle() {
        long deadline = earliestDeadline();
        synchronized (hostEvents) {
            if (!hostEventPending) {
                long waitNanos = deadline == Long.MAX_VALUE ? 50_000_000 : Math.min(deadline - System.nanoTime(), 50_000_000);
                if (waitNanos > 0) {
                    try {
                        hostEvents.wait(waitNanos / 1_000_000, (int) (waitNanos % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            hostEventPending = false;
        }
        fireTimers();
        if (hostWork) runHostHandlers();
    }

    /**
     * Registers work the kernel thread does after a host event: a terminal's input taken in
     * from the thread that read it, a window-size change. Handlers run on the kernel thread,
     * so they may touch guest state; register before the machine runs.
     */
    public void onHostEvent(Runnable handler) { hostHandlers.add(handler); }

    private void runHostHandlers() {
        hostWork = false;
        for (Runnable r : hostHandlers) r.run();
    }

    /** Called from host threads (terminal reader, signal handlers) to wake the idle loop. */
    public void hostEvent() {
        hostWork = true;
        synchronized (hostEvents) {
            hostEventPending = true;
            hostEvents.notifyAll();
        }
    }
}
