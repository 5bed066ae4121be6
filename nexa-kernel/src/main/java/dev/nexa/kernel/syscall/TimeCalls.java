package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.Task;

import java.time.Instant;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/** Clocks and sleeping (clock_gettime(2), nanosleep(2)). Sleeping parks the task, not the host. */
final class TimeCalls {
    private TimeCalls() {}

    static final int CLOCK_REALTIME = 0, CLOCK_MONOTONIC = 1, CLOCK_PROCESS_CPUTIME_ID = 2,
            CLOCK_THREAD_CPUTIME_ID = 3, CLOCK_MONOTONIC_RAW = 4, CLOCK_REALTIME_COARSE = 5,
            CLOCK_MONOTONIC_COARSE = 6, CLOCK_BOOTTIME = 7, TIMER_ABSTIME = 1;

    static void register(SyscallTable t) {
        t.add(CLOCK_GETTIME, TimeCalls::clockGettime, CLOCK, TIMESPEC_OUT);
        t.add(CLOCK_GETRES, TimeCalls::clockGetres, CLOCK, TIMESPEC_OUT);
        t.add(GETTIMEOFDAY, TimeCalls::gettimeofday, PTR, PTR);
        t.add(TIME, TimeCalls::time, PTR);
        t.add(NANOSLEEP, (task, a) -> sleep(task, CLOCK_MONOTONIC, 0, a.l(0), a.l(1)), TIMESPEC, PTR);
        t.add(CLOCK_NANOSLEEP, (task, a) -> sleep(task, a.i(0), a.i(1), a.l(2), a.l(3)), CLOCK, INT, TIMESPEC, PTR);
    }

    /** Nanoseconds on the given clock. */
    static long now(Task t, int clock) throws ErrnoException {
        return switch (clock) {
            case CLOCK_REALTIME, CLOCK_REALTIME_COARSE -> {
                Instant i = Instant.now();
                yield i.getEpochSecond() * 1_000_000_000L + i.getNano();
            }
            case CLOCK_MONOTONIC, CLOCK_MONOTONIC_RAW, CLOCK_MONOTONIC_COARSE, CLOCK_BOOTTIME ->
                    System.nanoTime() - t.kernel().bootNanos() + 1_000_000_000L;
            // CPU time: instructions at a nominal 1 GHz, which is about what an emulated CPU delivers.
            case CLOCK_PROCESS_CPUTIME_ID -> t.process().cpuTime();
            case CLOCK_THREAD_CPUTIME_ID -> t.cpu().instructions();
            default -> throw new ErrnoException(Errno.EINVAL);
        };
    }

    static long clockGettime(Task t, Args a) throws ErrnoException {
        writeTimespec(t, a.l(1), now(t, a.i(0)));
        return 0;
    }

    static long clockGetres(Task t, Args a) throws ErrnoException {
        now(t, a.i(0));
        if (a.l(1) != 0) writeTimespec(t, a.l(1), 1);
        return 0;
    }

    static long gettimeofday(Task t, Args a) throws ErrnoException {
        if (a.l(0) != 0) {
            long ns = now(t, CLOCK_REALTIME);
            t.memory().writeLong(a.l(0), ns / 1_000_000_000L);
            t.memory().writeLong(a.l(0) + 8, ns % 1_000_000_000L / 1000);
        }
        if (a.l(1) != 0) {
            t.memory().writeLong(a.l(1), 0);     // struct timezone: UTC
        }
        return 0;
    }

    static long time(Task t, Args a) throws ErrnoException {
        long s = now(t, CLOCK_REALTIME) / 1_000_000_000L;
        if (a.l(0) != 0) t.memory().writeLong(a.l(0), s);
        return s;
    }

    static void writeTimespec(Task t, long addr, long ns) throws ErrnoException {
        t.memory().writeLong(addr, Math.floorDiv(ns, 1_000_000_000L));
        t.memory().writeLong(addr + 8, Math.floorMod(ns, 1_000_000_000L));
    }

    static long readTimespec(Task t, long addr) throws ErrnoException {
        long sec = t.memory().readLong(addr), nsec = t.memory().readLong(addr + 8);
        if (sec < 0 || nsec < 0 || nsec >= 1_000_000_000L) throw new ErrnoException(Errno.EINVAL);
        return sec > Long.MAX_VALUE / 1_000_000_000L ? Long.MAX_VALUE : sec * 1_000_000_000L + nsec;
    }

    /** The deadline a sleeping task waits for, kept across the restart that wakes it. */
    private record Sleep(long deadlineNanos, boolean absolute, long rem) implements dev.nexa.kernel.proc.RestartState {}

    /**
     * nanosleep/clock_nanosleep: the first call computes a host deadline and blocks; the
     * re-executed call after a wake-up returns 0 once the deadline has passed. A signal ends
     * the sleep as hrtimer_nanosleep does: a relative sleep writes the time left to {@code rem}
     * and returns ERESTART_RESTARTBLOCK (EINTR when a handler runs, otherwise it sleeps on to
     * the same deadline), an absolute one returns ERESTARTNOHAND.
     */
    static long sleep(Task t, int clock, int flags, long req, long rem) throws ErrnoException {
        if (t.restart instanceof Sleep s) {
            long left = s.deadlineNanos() - System.nanoTime();
            if (left <= 0) {
                t.restart = null;
                return 0;
            }
            if (t.kernel().signals().hasDeliverable(t)) {
                if (s.absolute()) return dev.nexa.kernel.proc.SyscallRestart.NOHAND.ret();
                if (s.rem() != 0) writeTimespec(t, s.rem(), left);
                return dev.nexa.kernel.proc.SyscallRestart.BLOCK.ret();
            }
            throw Blocked.until(s.deadlineNanos());
        }
        if (clock == CLOCK_THREAD_CPUTIME_ID) throw new ErrnoException(Errno.EINVAL);
        long ns = readTimespec(t, req);
        long wait = ns;
        boolean absolute = (flags & TIMER_ABSTIME) != 0;
        if (absolute) wait = ns - now(t, clock);
        else now(t, clock);
        if (wait <= 0) return 0;
        long deadline = System.nanoTime() + Math.min(wait, Long.MAX_VALUE / 4);
        t.restart = new Sleep(deadline, absolute, rem);
        throw Blocked.until(deadline).interruptedWith(absolute ? dev.nexa.kernel.proc.SyscallRestart.NOHAND
                : dev.nexa.kernel.proc.SyscallRestart.BLOCK);
    }
}
