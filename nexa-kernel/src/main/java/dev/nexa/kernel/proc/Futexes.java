package dev.nexa.kernel.proc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The futex hash table (kernel/futex/): tasks waiting on a 32-bit word, found by a key. A
 * private futex (or any futex in a private mapping) is keyed by address space and virtual
 * address; a futex in a shared mapping by the physical address of the word, so processes that
 * map the same pages meet on it (get_futex_key). Waiters queue in FIFO order; each waiter is
 * the restart state of its FUTEX_WAIT, which learns on re-execution whether it was woken.
 */
public final class Futexes {
    /** What a futex word is identified by: an address space (or {@link #SHARED}) and an address. */
    public record Key(Object space, long address) {}

    /** Marks keys of shared mappings, whose address is physical. */
    public static final Object SHARED = new Object() {
        @Override
        public String toString() { return "shared"; }
    };

    /** One FUTEX_WAIT in progress; its task's {@link Task#restart} while it waits. */
    public final class Waiter implements RestartState {
        private Key key;
        public final int bitset;
        public final long deadlineNanos;
        private boolean woken;
        private final WaitQueue queue = new WaitQueue();

        Waiter(Key key, int bitset, long deadlineNanos) {
            this.key = key;
            this.bitset = bitset;
            this.deadlineNanos = deadlineNanos;
        }

        public boolean woken() { return woken; }

        /** What the waiting task blocks on; a wake-up makes it runnable. */
        public WaitQueue queue() { return queue; }

        @Override
        public void cancel(Task task) { dequeue(this); }
    }

    private final Map<Key, ArrayDeque<Waiter>> queues = new HashMap<>();

    /** Queues a new waiter; the task then blocks on {@link Waiter#queue()}. */
    public Waiter enqueue(Key key, int bitset, long deadlineNanos) {
        Waiter w = new Waiter(key, bitset, deadlineNanos);
        queues.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(w);
        return w;
    }

    void dequeue(Waiter w) {
        ArrayDeque<Waiter> q = queues.get(w.key);
        if (q != null) {
            q.remove(w);
            if (q.isEmpty()) queues.remove(w.key);
        }
    }

    /** FUTEX_WAKE(_BITSET): wakes up to {@code n} waiters whose bitset intersects {@code bitset}. */
    public int wake(Key key, int n, int bitset) {
        ArrayDeque<Waiter> q = queues.get(key);
        if (q == null || n <= 0) return 0;
        int count = 0;
        for (Iterator<Waiter> it = q.iterator(); it.hasNext() && count < n; ) {
            Waiter w = it.next();
            if ((w.bitset & bitset) == 0) continue;
            it.remove();
            wakeWaiter(w);
            count++;
        }
        if (q.isEmpty()) queues.remove(key);
        return count;
    }

    private void wakeWaiter(Waiter w) {
        w.woken = true;
        w.queue.wakeAll();
    }

    /**
     * FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wakes up to {@code nWake} waiters of {@code from} and
     * moves up to {@code nRequeue} of the rest to {@code to}; returns woken + requeued.
     */
    public int requeue(Key from, Key to, int nWake, int nRequeue) {
        int woken = wake(from, nWake, -1);
        ArrayDeque<Waiter> q = queues.get(from);
        if (q == null || nRequeue <= 0 || from.equals(to)) return woken;
        List<Waiter> moved = new ArrayList<>();
        while (!q.isEmpty() && moved.size() < nRequeue) moved.add(q.pollFirst());
        if (q.isEmpty()) queues.remove(from);
        ArrayDeque<Waiter> dest = queues.computeIfAbsent(to, k -> new ArrayDeque<>());
        for (Waiter w : moved) {
            w.key = to;
            dest.addLast(w);
        }
        return woken + moved.size();
    }

    /** Number of tasks waiting on {@code key} (tests, /proc). */
    public int waiters(Key key) {
        ArrayDeque<Waiter> q = queues.get(key);
        return q == null ? 0 : q.size();
    }
}
