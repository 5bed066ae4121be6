package dev.nexa.kernel.proc;

import java.util.ArrayList;
import java.util.List;

/**
 * Tasks waiting for something (data in a pipe, a child's exit, a futex word). A blocked task
 * sits on one or more queues; waking a queue makes its tasks runnable, and each re-executes
 * the syscall that blocked, which then finds what it waited for (or blocks again).
 */
public final class WaitQueue {
    private final List<Task> waiters = new ArrayList<>(2);

    void add(Task t) {
        if (!waiters.contains(t)) waiters.add(t);
    }

    void remove(Task t) { waiters.remove(t); }

    public boolean isEmpty() { return waiters.isEmpty(); }

    /** Makes every waiting task runnable. */
    public void wakeAll() {
        if (waiters.isEmpty()) return;
        for (Task t : List.copyOf(waiters)) t.wake();
    }

    /** Wakes at most {@code n} waiters, oldest first; returns how many. */
    public int wake(int n) {
        int woken = 0;
        for (Task t : new ArrayList<>(waiters)) {
            if (woken >= n) break;
            t.wake();
            woken++;
        }
        return woken;
    }
}
