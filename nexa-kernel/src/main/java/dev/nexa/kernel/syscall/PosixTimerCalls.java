package dev.nexa.kernel.syscall;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.proc.PosixTimers.PosixTimer;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.signal.SigInfo;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/**
 * timer_create(2) and friends (kernel/time/posix-timers.c) on the wall and monotonic clocks:
 * each expiry queues the timer's signal with an SI_TIMER siginfo (si_timerid, si_value) to the
 * process, or to one thread with SIGEV_THREAD_ID. GNU timeout(1) arms its deadline this way.
 */
final class PosixTimerCalls {
    private PosixTimerCalls() {}

    static final int SIGEV_SIGNAL = 0, SIGEV_NONE = 1, SIGEV_THREAD = 2, SIGEV_THREAD_ID = 4;
    static final int SIGRTMAX = 64;

    static void register(SyscallTable t) {
        t.add(TIMER_CREATE, PosixTimerCalls::create, CLOCK, PTR, PTR);
        t.add(TIMER_SETTIME, PosixTimerCalls::settime, INT, INT, PTR, PTR);
        t.add(TIMER_GETTIME, PosixTimerCalls::gettime, INT, PTR);
        t.add(TIMER_GETOVERRUN, (task, a) -> {
            timer(task, a.i(0));
            return 0;
        }, INT);
        t.add(TIMER_DELETE, (task, a) -> {
            if (!task.process().posixTimers.delete(a.i(0))) throw new ErrnoException(Errno.EINVAL);
            return 0;
        }, INT);
    }

    private static PosixTimer timer(Task t, int id) throws ErrnoException {
        PosixTimer pt = t.process().posixTimers.get(id);
        if (pt == null) throw new ErrnoException(Errno.EINVAL);
        return pt;
    }

    /** The clocks a timer may use; CPU-time clocks are not offered (EINVAL). */
    private static void checkClock(int clock) throws ErrnoException {
        switch (clock) {
            case TimeCalls.CLOCK_REALTIME, TimeCalls.CLOCK_MONOTONIC, TimeCalls.CLOCK_BOOTTIME -> { }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }

    /**
     * timer_create: a NULL sigevent means SIGEV_SIGNAL with SIGALRM and the timer id as value;
     * good_sigevent's checks (signal number, a thread of this process for SIGEV_THREAD_ID).
     */
    static long create(Task t, Args a) throws ErrnoException {
        int clock = a.i(0);
        checkClock(clock);
        long ev = a.l(1);
        int notify = SIGEV_SIGNAL, signo = Signal.SIGALRM, tid = 0;
        long value = 0;
        boolean valueIsId = ev == 0;
        if (ev != 0) {
            value = t.memory().readLong(ev);
            signo = t.memory().readInt(ev + 8);
            notify = t.memory().readInt(ev + 12);
            tid = t.memory().readInt(ev + 16);
            switch (notify) {
                case SIGEV_SIGNAL | SIGEV_THREAD_ID -> {
                    Task target = t.kernel().task(tid);
                    if (target == null || target.process() != t.process()) throw new ErrnoException(Errno.EINVAL);
                    checkSignal(signo);
                }
                case SIGEV_SIGNAL, SIGEV_THREAD -> checkSignal(signo);
                case SIGEV_NONE -> { }
                default -> throw new ErrnoException(Errno.EINVAL);
            }
        }
        PosixTimer pt = t.process().posixTimers.create(clock, notify, signo, tid, value, valueIsId);
        if (pt == null) throw new ErrnoException(Errno.EAGAIN);
        try {
            t.memory().writeInt(a.l(2), pt.id);
        } catch (ErrnoException e) {
            t.process().posixTimers.delete(pt.id);
            throw e;
        }
        return 0;
    }

    private static void checkSignal(int signo) throws ErrnoException {
        if (signo <= 0 || signo > SIGRTMAX) throw new ErrnoException(Errno.EINVAL);
    }

    /** timer_settime: arm (relative or TIMER_ABSTIME on the timer's clock) or, with a zero value, disarm. */
    static long settime(Task t, Args a) throws ErrnoException {
        PosixTimer pt = timer(t, a.i(0));
        int flags = a.i(1);
        long spec = a.l(2);
        if (spec == 0) throw new ErrnoException(Errno.EINVAL);
        long interval = TimeCalls.readTimespec(t, spec), value = TimeCalls.readTimespec(t, spec + 16);
        if (a.l(3) != 0) writeSpec(t, a.l(3), pt);
        pt.disarm();
        pt.interval = interval;
        if (value == 0) return 0;
        long wait = (flags & TimeCalls.TIMER_ABSTIME) != 0 ? value - TimeCalls.now(t, pt.clock) : value;
        arm(t.kernel(), t.process(), pt, System.nanoTime() + Math.max(0, Math.min(wait, Long.MAX_VALUE / 4)));
        return 0;
    }

    static long gettime(Task t, Args a) throws ErrnoException {
        writeSpec(t, a.l(1), timer(t, a.i(0)));
        return 0;
    }

    private static void writeSpec(Task t, long addr, PosixTimer pt) throws ErrnoException {
        TimeCalls.writeTimespec(t, addr, pt.interval);
        TimeCalls.writeTimespec(t, addr + 16, pt.remaining());
    }

    /** Schedules the next expiry; an interval timer re-arms a whole number of intervals later. */
    private static void arm(Kernel k, Process p, PosixTimer pt, long deadline) {
        pt.armed = k.scheduler().schedule(deadline, () -> {
            if (p.isZombie() || p.posixTimers.get(pt.id) != pt) return;
            pt.armed = null;
            fire(k, p, pt);
            if (pt.interval > 0) {
                long next = deadline + pt.interval, now = System.nanoTime();
                if (now - next >= 0) next += ((now - next) / pt.interval + 1) * pt.interval;
                arm(k, p, pt, next);
            }
        });
    }

    private static void fire(Kernel k, Process p, PosixTimer pt) {
        if (pt.notify == SIGEV_NONE) return;
        SigInfo info = SigInfo.timer(pt.signo, pt.id, 0, pt.value);
        if (pt.notify == (SIGEV_SIGNAL | SIGEV_THREAD_ID)) {
            Task target = k.task(pt.targetTid);
            if (target != null && target.process() == p) {
                k.signals().sendTask(target, info);
                return;
            }
        }
        k.signals().sendProcess(p, info);
    }
}
