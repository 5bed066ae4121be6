package dev.nexa.kernel.proc;

import java.util.TreeMap;

/**
 * A process's POSIX timers (kernel/time/posix-timers.c): timer_create allocates the lowest free
 * id, expiries queue a signal through the kernel's timers, exec and exit delete them all, and a
 * fork child starts with none.
 * <p>
 * Differences from Linux: every expiry queues its own signal (so timer_getoverrun and
 * si_overrun stay 0: a standard signal still pending simply absorbs the next one, as Linux's
 * signal queue would); CPU-time clocks are not offered.
 */
public final class PosixTimers {
    /** One timer: its clock, how it notifies, and the kernel timer of its next expiry. */
    public static final class PosixTimer {
        public final int id, clock, notify, signo, targetTid;
        public final long value;
        /** The armed expiry (System.nanoTime()), or null; its reload interval in ns (0: one-shot). */
        public Scheduler.Timer armed;
        public long interval;

        PosixTimer(int id, int clock, int notify, int signo, int targetTid, long value) {
            this.id = id;
            this.clock = clock;
            this.notify = notify;
            this.signo = signo;
            this.targetTid = targetTid;
            this.value = value;
        }

        /** Time to the next expiry in ns (at least 1 while armed), or 0 when disarmed. */
        public long remaining() {
            if (armed == null || !armed.pending()) return 0;
            return Math.max(1, armed.deadline() - System.nanoTime());
        }

        public void disarm() {
            if (armed != null) armed.cancel();
            armed = null;
        }
    }

    /** Linux bounds a process's timers by RLIMIT_SIGPENDING; Nexa by this count. */
    public static final int MAX = 1024;

    private final TreeMap<Integer, PosixTimer> timers = new TreeMap<>();

    /** A new timer with the lowest free id, or null when the process has too many. */
    public PosixTimer create(int clock, int notify, int signo, int targetTid, long value, boolean valueIsId) {
        if (timers.size() >= MAX) return null;
        int id = 0;
        while (timers.containsKey(id)) id++;
        PosixTimer t = new PosixTimer(id, clock, notify, signo, targetTid, valueIsId ? id : value);
        timers.put(id, t);
        return t;
    }

    public PosixTimer get(int id) { return timers.get(id); }

    public boolean delete(int id) {
        PosixTimer t = timers.remove(id);
        if (t == null) return false;
        t.disarm();
        return true;
    }

    /** exit_itimers: at exec and exit. */
    public void deleteAll() {
        for (PosixTimer t : timers.values()) t.disarm();
        timers.clear();
    }
}
