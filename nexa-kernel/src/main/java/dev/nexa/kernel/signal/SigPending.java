package dev.nexa.kernel.signal;

import dev.nexa.kernel.abi.Signal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * A set of pending signals with their siginfos (Linux's struct sigpending): one per task for
 * signals aimed at that thread, one per process for signals aimed at the whole group.
 * Standard signals (1-31) are pending at most once, later instances merging into the first
 * (legacy_queue); real-time signals queue every instance, in order.
 */
public final class SigPending {
    /** Synchronous signals go first (kernel/signal.c SYNCHRONOUS_MASK). */
    static final long SYNCHRONOUS = Signal.bit(Signal.SIGSEGV) | Signal.bit(Signal.SIGBUS) | Signal.bit(Signal.SIGILL)
            | Signal.bit(Signal.SIGTRAP) | Signal.bit(Signal.SIGFPE) | Signal.bit(Signal.SIGSYS);

    private long mask;
    private final List<SigInfo> queue = new ArrayList<>(2);

    /** The pending set (bit sig-1). */
    public long mask() { return mask; }

    public boolean has(int sig) { return (mask & Signal.bit(sig)) != 0; }

    public boolean isEmpty() { return mask == 0; }

    /** Queued siginfos (real-time signals count once per instance). */
    public int queued() { return queue.size(); }

    /** Adds a signal; a standard signal already pending is not queued again (returns false). */
    public boolean add(SigInfo info) {
        int sig = info.signo();
        if (sig < Signal.SIGRTMIN && has(sig)) return false;
        queue.add(info);
        mask |= Signal.bit(sig);
        return true;
    }

    /** The signal next_signal() would pick among those not in {@code blocked}, or 0. */
    public int next(long blocked) {
        long x = mask & ~blocked;
        if (x == 0) return 0;
        if ((x & SYNCHRONOUS) != 0) x &= SYNCHRONOUS;
        return Long.numberOfTrailingZeros(x) + 1;
    }

    /** Removes the first instance of {@code sig} (collect_signal); null if none is pending. */
    public SigInfo take(int sig) {
        SigInfo found = null;
        boolean more = false;
        for (Iterator<SigInfo> it = queue.iterator(); it.hasNext(); ) {
            SigInfo i = it.next();
            if (i.signo() != sig) continue;
            if (found == null) {
                found = i;
                it.remove();
            } else {
                more = true;
                break;
            }
        }
        if (!more) mask &= ~Signal.bit(sig);
        return found;
    }

    /** The first queued instance of {@code sig}, left in place (for WNOWAIT-like peeks and tests). */
    public SigInfo peek(int sig) {
        for (SigInfo i : queue) if (i.signo() == sig) return i;
        return null;
    }

    /** Drops every pending signal in {@code set} (flush_sigqueue_mask). */
    public void discard(long set) {
        if ((mask & set) == 0) return;
        queue.removeIf(i -> (set & Signal.bit(i.signo())) != 0);
        mask &= ~set;
    }

    public void clear() {
        queue.clear();
        mask = 0;
    }
}
