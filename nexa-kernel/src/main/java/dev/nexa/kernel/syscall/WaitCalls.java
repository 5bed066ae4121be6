package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.signal.SigInfo;
import dev.nexa.kernel.signal.Signals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/**
 * wait4, waitid, getrusage and times (kernel/exit.c do_wait, kernel/sys.c getrusage).
 * <p>
 * CPU time is measured in retired instructions at a nominal 1 GHz (one instruction = 1 ns), the
 * same clock CLOCK_PROCESS_CPUTIME_ID reads; Nexa does not measure time spent in its own
 * kernel, so system time is 0. ru_maxrss is the peak resident set seen at exit or when asked,
 * ru_minflt counts page faults the kernel resolved, ru_nvcsw/ru_nivcsw count waits and
 * preemptions.
 */
final class WaitCalls {
    private WaitCalls() {}

    static final int WNOHANG = 1, WUNTRACED = 2, WSTOPPED = 2, WEXITED = 4, WCONTINUED = 8, WNOWAIT = 0x0100_0000,
            __WNOTHREAD = 0x2000_0000, __WALL = 0x4000_0000, __WCLONE = 0x8000_0000;
    static final int P_ALL = 0, P_PID = 1, P_PGID = 2, P_PIDFD = 3;
    static final int RUSAGE_SELF = 0, RUSAGE_CHILDREN = -1, RUSAGE_THREAD = 1;
    static final int RUSAGE_SIZE = 144;

    static void register(SyscallTable t) {
        t.add(WAIT4, WaitCalls::wait4, INT, PTR, CODE, PTR);
        t.add(WAITID, WaitCalls::waitid, INT, INT, PTR, CODE, PTR);
        t.add(GETRUSAGE, WaitCalls::getrusage, INT, PTR);
        t.add(TIMES, WaitCalls::times, PTR);
    }

    /** What do_wait found: a child and how to report it. */
    private record Report(Process child, int waitStatus, int code, int status, long[] rusage) {}

    private static final Report NOTHING = new Report(null, 0, 0, 0, null);

    static long wait4(Task t, Args a) throws ErrnoException {
        int pid = a.i(0), options = a.i(2);
        if ((options & ~(WNOHANG | WUNTRACED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (pid == Integer.MIN_VALUE) throw new ErrnoException(Errno.ESRCH);
        int type, id;
        if (pid == -1) {
            type = P_ALL;
            id = 0;
        } else if (pid < 0) {
            type = P_PGID;
            id = -pid;
        } else if (pid == 0) {
            type = P_PGID;
            id = t.process().pgid;
        } else {
            type = P_PID;
            id = pid;
        }
        Report r = doWait(t, type, id, options | WEXITED);
        if (r == NOTHING) return 0;
        if (a.l(1) != 0) t.memory().writeInt(a.l(1), r.waitStatus());
        if (a.l(3) != 0) writeRusage(t, a.l(3), r.rusage());
        return r.child().pid();
    }

    static long waitid(Task t, Args a) throws ErrnoException {
        int which = a.i(0), id = a.i(1), options = a.i(3);
        long infop = a.l(2);
        if ((options & ~(WNOHANG | WNOWAIT | WEXITED | WSTOPPED | WCONTINUED | __WNOTHREAD | __WCLONE | __WALL)) != 0
                || (options & (WEXITED | WSTOPPED | WCONTINUED)) == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        switch (which) {
            case P_ALL -> { }
            case P_PID -> {
                if (id <= 0) throw new ErrnoException(Errno.EINVAL);
            }
            case P_PGID -> {
                if (id < 0) throw new ErrnoException(Errno.EINVAL);
                if (id == 0) id = t.process().pgid;
            }
            case P_PIDFD -> throw new ErrnoException(Errno.EINVAL, "pidfds are not supported");
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        Report r;
        try {
            r = doWait(t, which, id, options);
        } catch (ErrnoException e) {
            // waitid writes the (empty) siginfo even when it fails (kernel/exit.c)
            if (infop != 0) writeWaitidInfo(t, infop, 0, NOTHING);
            throw e;
        }
        if (r != NOTHING && a.l(4) != 0) writeRusage(t, a.l(4), r.rusage());
        if (infop != 0) writeWaitidInfo(t, infop, r == NOTHING ? 0 : Signal.SIGCHLD, r);
        return 0;
    }

    /** Only the six fields waitid(2) defines are written, as unsafe_put_user does. */
    private static void writeWaitidInfo(Task t, long infop, int signo, Report r) throws ErrnoException {
        var m = t.memory();
        m.writeInt(infop, signo);
        m.writeInt(infop + 4, 0);
        m.writeInt(infop + 8, r.code());
        m.writeInt(infop + 16, r.child() == null ? 0 : r.child().pid());
        m.writeInt(infop + 20, r.child() == null ? 0 : r.child().uid);
        m.writeInt(infop + 24, r.status());
    }

    /**
     * do_wait: looks at every child of the process (any thread's children are the process's)
     * that matches the id and the clone/non-clone selection, reporting the first one that has
     * exited, stopped or continued as the options ask. ECHILD when no child matches at all;
     * otherwise 0 with WNOHANG, or the caller waits for a child to change state.
     */
    private static Report doWait(Task t, int type, int id, int options) throws ErrnoException {
        Process self = t.process();
        boolean any = false;
        for (Process c : List.copyOf(self.children())) {
            if (type == P_PID && c.pid() != id || type == P_PGID && c.pgid != id) continue;
            // __WALL: every child; otherwise __WCLONE selects the children that report with
            // another signal than SIGCHLD, and its absence the others (eligible_child).
            if ((options & __WALL) == 0 && ((c.exitSignal != Signal.SIGCHLD) ^ ((options & __WCLONE) != 0))) continue;
            any = true;
            if (c.isZombie()) {
                if ((options & WEXITED) != 0) return reapZombie(t, c, options);
                continue;
            }
            if ((options & WSTOPPED) != 0 && c.stopped && c.stopReport != 0) {
                int sig = c.stopReport;
                if ((options & WNOWAIT) == 0) c.stopReport = 0;
                return new Report(c, (sig << 8) | 0x7f, SigInfo.CLD_STOPPED, sig, rusageOf(c, true));
            }
            if ((options & WCONTINUED) != 0 && c.continuedReport) {
                if ((options & WNOWAIT) == 0) c.continuedReport = false;
                return new Report(c, 0xffff, SigInfo.CLD_CONTINUED, Signal.SIGCONT, rusageOf(c, true));
            }
        }
        if (!any) throw new ErrnoException(Errno.ECHILD);
        if ((options & WNOHANG) != 0) return NOTHING;
        throw Blocked.on(self.childEvents);
    }

    /** wait_task_zombie: the exit status, and unless WNOWAIT the child's times go to the parent and it is released. */
    private static Report reapZombie(Task t, Process c, int options) {
        int st = c.waitStatus();
        int code, status = st & 0x7f;
        if ((st & 0x80) != 0) code = SigInfo.CLD_DUMPED;
        else if ((st & 0x7f) != 0) code = SigInfo.CLD_KILLED;
        else {
            code = SigInfo.CLD_EXITED;
            status = (st >> 8) & 0xff;
        }
        long[] ru = rusageOf(c, true);
        if ((options & WNOWAIT) == 0) {
            Process p = t.process();
            p.childrenUtime += c.cpuTime() + c.childrenUtime;
            p.childrenStime += c.childrenStime;
            p.childrenMinorFaults += c.minorFaults + c.childrenMinorFaults;
            p.childrenNvcsw += c.nvcsw + c.childrenNvcsw;
            p.childrenNivcsw += c.nivcsw + c.childrenNivcsw;
            p.childrenMaxRssKb = Math.max(p.childrenMaxRssKb, Math.max(c.maxRssKb, c.childrenMaxRssKb));
            t.kernel().release(c);
        }
        return new Report(c, st, code, status, ru);
    }

    /** {utime ns, stime ns, maxrss KiB, minflt, nvcsw, nivcsw} of a process, with its reaped children if asked. */
    static long[] rusageOf(Process p, boolean withChildren) {
        long nv = p.nvcsw, niv = p.nivcsw;
        for (Task th : p.threads()) {
            nv += th.nvcsw;
            niv += th.nivcsw;
        }
        long rss = p.maxRssKb;
        if (!p.isZombie() && !p.threads().isEmpty()) rss = Math.max(rss, p.addressSpace().residentPages() * 4);
        long[] r = {p.cpuTime(), 0, rss, p.minorFaults, nv, niv};
        if (withChildren) {
            r[0] += p.childrenUtime;
            r[1] += p.childrenStime;
            r[2] = Math.max(r[2], p.childrenMaxRssKb);
            r[3] += p.childrenMinorFaults;
            r[4] += p.childrenNvcsw;
            r[5] += p.childrenNivcsw;
        }
        return r;
    }

    static void writeRusage(Task t, long addr, long[] r) throws ErrnoException {
        ByteBuffer b = ByteBuffer.allocate(RUSAGE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, r[0] / 1_000_000_000L).putLong(8, r[0] % 1_000_000_000L / 1000);
        b.putLong(16, r[1] / 1_000_000_000L).putLong(24, r[1] % 1_000_000_000L / 1000);
        b.putLong(32, r[2]);              // ru_maxrss
        b.putLong(64, r[3]);              // ru_minflt
        b.putLong(128, r[4]);             // ru_nvcsw
        b.putLong(136, r[5]);             // ru_nivcsw
        t.memory().write(addr, b.array());
    }

    static long getrusage(Task t, Args a) throws ErrnoException {
        Process p = t.process();
        long[] r = switch (a.i(0)) {
            case RUSAGE_SELF -> {
                long[] s = rusageOf(p, false);
                p.maxRssKb = Math.max(p.maxRssKb, s[2]);
                yield s;
            }
            case RUSAGE_CHILDREN -> new long[] {p.childrenUtime, p.childrenStime, p.childrenMaxRssKb,
                    p.childrenMinorFaults, p.childrenNvcsw, p.childrenNivcsw};
            case RUSAGE_THREAD -> new long[] {t.cpu().instructions(), 0, p.addressSpace().residentPages() * 4, 0,
                    t.nvcsw, t.nivcsw};
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        writeRusage(t, a.l(1), r);
        return 0;
    }

    /** times(2): process and children times in clock ticks; returns ticks since boot (plus 1 s, like CLOCK_MONOTONIC). */
    static long times(Task t, Args a) throws ErrnoException {
        Process p = t.process();
        if (a.l(0) != 0) {
            ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
            b.putLong(p.cpuTime() / Signals.NS_PER_TICK).putLong(0);
            b.putLong(p.childrenUtime / Signals.NS_PER_TICK).putLong(p.childrenStime / Signals.NS_PER_TICK);
            t.memory().write(a.l(0), b.array());
        }
        return (System.nanoTime() - t.kernel().bootNanos() + 1_000_000_000L) / Signals.NS_PER_TICK;
    }
}
