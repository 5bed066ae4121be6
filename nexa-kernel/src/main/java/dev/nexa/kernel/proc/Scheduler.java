package dev.nexa.kernel.proc;

import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;

/**
 * Round-robin over runnable tasks, each running for an instruction budget. Blocked tasks wait
 * on queues or deadlines; when nothing can run, the host thread sleeps until the earliest
 * deadline or until a host event (terminal input, a signal from the host) wakes it, so a
 * waiting guest never spins the host CPU.
 */
public final class Scheduler {
    /** Instructions a task runs before the next one gets the CPU. */
    public static final long QUANTUM = 2_000_000;

    private final ArrayDeque<Task> runQueue = new ArrayDeque<>();
    private final Set<Task> blocked = new HashSet<>();
    private final Object hostEvents = new Object();
    private boolean hostEventPending;

    void runnable(Task t) {
        blocked.remove(t);
        if (!runQueue.contains(t)) runQueue.addLast(t);
    }

    void blocked(Task t) {
        runQueue.remove(t);
        blocked.add(t);
    }

    void exited(Task t) {
        runQueue.remove(t);
        blocked.remove(t);
    }

    /** Adds a new task (fork/clone/spawn). */
    public void add(Task t) { runnable(t); }

    /** The next task to run (rotating the queue), or null if none is runnable right now. */
    public Task next() {
        wakeExpired();
        Task t = runQueue.pollFirst();
        if (t != null) runQueue.addLast(t);
        return t;
    }

    public boolean hasTasks() { return !runQueue.isEmpty() || !blocked.isEmpty(); }

    public boolean hasRunnable() { return !runQueue.isEmpty(); }

    /** Sleeps the host thread until a blocked task's deadline or a host event. */
    public void idle() {
        long deadline = Long.MAX_VALUE;
        for (Task t : blocked) if (t.wakeDeadline() >= 0) deadline = Math.min(deadline, t.wakeDeadline());
        synchronized (hostEvents) {
            if (!hostEventPending) {
                long waitNanos = deadline == Long.MAX_VALUE ? 50_000_000 : deadline - System.nanoTime();
                if (waitNanos > 0) {
                    try {
                        hostEvents.wait(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000 == 0 ? 0 : 1));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
            hostEventPending = false;
        }
        wakeExpired();
    }

    /** Called from host threads (terminal reader, signal handlers) to wake the idle loop. */
    public void hostEvent() {
        synchronized (hostEvents) {
            hostEventPending = true;
            hostEvents.notifyAll();
        }
    }

    public Set<Task> blockedTasks() { return Set.copyOf(blocked); }

    private void wakeExpired() {
        if (blocked.isEmpty()) return;
        long now = System.nanoTime();
        for (Task t : Set.copyOf(blocked)) {
            if (t.wakeDeadline() >= 0 && now - t.wakeDeadline() >= 0) t.wake();
        }
    }
}
