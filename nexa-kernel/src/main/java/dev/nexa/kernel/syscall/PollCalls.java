package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.RestartState;
import dev.nexa.kernel.proc.SyscallRestart;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.proc.WaitQueue;
import dev.nexa.kernel.vfs.FdTable;
import dev.nexa.kernel.vfs.OpenFile;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;
import static dev.nexa.kernel.vfs.OpenFile.*;

/**
 * poll, ppoll, select and pselect6 (fs/select.c). Readiness comes from {@link OpenFile#poll};
 * a call with nothing ready parks the task on every file's {@link OpenFile#waitQueue} until one
 * changes, the timeout passes or a signal arrives, without spinning the host. The deadline is
 * kept across the re-executions that waking causes. Interrupted, poll restarts with the time
 * left when no handler runs (ERESTART_RESTARTBLOCK) and the others return ERESTARTNOHAND;
 * select, pselect6 and ppoll write the time left back, as Linux does.
 */
final class PollCalls {
    private PollCalls() {}

    static final int POLLRDBAND = 0x80, POLLWRBAND = 0x200;
    static final int POLLIN_SET = POLLRDNORM | POLLRDBAND | POLLIN | POLLHUP | POLLERR;
    static final int POLLOUT_SET = POLLWRBAND | POLLWRNORM | POLLOUT | POLLERR;
    static final int POLLEX_SET = POLLPRI;

    static void register(SyscallTable t) {
        t.add(POLL, PollCalls::poll, PTR, INT, INT);
        t.add(PPOLL, PollCalls::ppoll, PTR, INT, PTR, PTR, SIZE);
        t.add(SELECT, PollCalls::select, INT, PTR, PTR, PTR, PTR);
        t.add(PSELECT6, PollCalls::pselect6, INT, PTR, PTR, PTR, PTR, PTR);
    }

    /** The deadline (System.nanoTime, or -1 for none) of a wait that is being re-executed. */
    private record Wait(long deadlineNanos) implements RestartState {}

    /** The deadline of this call: kept from an earlier run, or computed from {@code timeoutNs} (-1 = infinite). */
    private static long deadline(Task t, long timeoutNs) {
        if (t.restart instanceof Wait w) return w.deadlineNanos();
        long d = timeoutNs < 0 ? -1 : System.nanoTime() + Math.min(timeoutNs, Long.MAX_VALUE / 4);
        t.restart = new Wait(d);
        return d;
    }

    private static long left(long deadline) {
        return deadline < 0 ? -1 : Math.max(0, deadline - System.nanoTime());
    }

    private static boolean expired(long deadline) { return deadline >= 0 && System.nanoTime() - deadline >= 0; }

    // ---- poll -------------------------------------------------------------------------------------------

    static long poll(Task t, Args a) throws ErrnoException {
        int timeoutMs = a.i(2);
        return doPoll(t, a.l(0), a.u(1), timeoutMs < 0 ? -1 : timeoutMs * 1_000_000L, 0, SyscallRestart.BLOCK);
    }

    /** ppoll(fds, nfds, tsp, sigmask, sigsetsize). */
    static long ppoll(Task t, Args a) throws ErrnoException {
        long tsp = a.l(2);
        long timeout = -1;
        if (tsp != 0 && !(t.restart instanceof Wait)) timeout = TimeCalls.readTimespec(t, tsp);
        if (a.l(3) != 0) {
            if (a.l(4) != 8) throw new ErrnoException(Errno.EINVAL);
            SignalCalls.setTemporaryMask(t, t.memory().readLong(a.l(3)));
        }
        long r;
        try {
            r = doPoll(t, a.l(0), a.u(1), timeout, tsp, SyscallRestart.NOHAND);
        } catch (ErrnoException e) {
            SignalCalls.restoreTemporaryMask(t);
            throw e;
        }
        if (SyscallRestart.of(r) == null) SignalCalls.restoreTemporaryMask(t);
        return r;
    }

    /**
     * The poll loop: revents for every pollfd (POLLNVAL for a closed descriptor, nothing for a
     * negative one); with none ready, a wait on every file's queue until the deadline.
     */
    private static long doPoll(Task t, long ufds, long nfds, long timeoutNs, long timespecOut, SyscallRestart onSignal)
            throws ErrnoException {
        FdTable files = t.process().files();
        if (nfds > files.limit()) throw new ErrnoException(Errno.EINVAL);
        int n = (int) nfds;
        byte[] raw = n == 0 ? new byte[0] : t.memory().read(ufds, 8 * n);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        long deadline = deadline(t, timeoutNs);
        List<WaitQueue> queues = new ArrayList<>();
        int ready = 0;
        for (int k = 0; k < n; k++) {
            int fd = b.getInt(8 * k);
            int events = b.getShort(8 * k + 4) & 0xffff;
            int revents = 0;
            if (fd >= 0) {
                OpenFile f = files.getOrNull(fd);
                if (f == null) revents = POLLNVAL;
                else {
                    int filter = events | POLLERR | POLLHUP;
                    revents = f.poll(filter) & filter;
                    WaitQueue q = f.waitQueue();
                    if (q != null) queues.add(q);
                }
            }
            b.putShort(8 * k + 6, (short) revents);
            if (revents != 0) ready++;
        }
        if (ready > 0 || timeoutNs == 0 || expired(deadline)) {
            if (n > 0) t.memory().write(ufds, raw);
            if (timespecOut != 0) writeLeft(t, timespecOut, deadline, false);
            t.restart = null;
            return ready;
        }
        if (t.kernel().signals().hasDeliverable(t)) {
            if (timespecOut != 0) writeLeft(t, timespecOut, deadline, false);
            return onSignal.ret();
        }
        throw block(queues, deadline).interruptedWith(onSignal);
    }

    private static Blocked block(List<WaitQueue> queues, long deadline) {
        WaitQueue[] q = queues.toArray(new WaitQueue[0]);
        return deadline >= 0 ? Blocked.until(deadline, q) : Blocked.on(q);
    }

    /** poll_select_finish: the time left, as a timespec or a timeval. */
    private static void writeLeft(Task t, long addr, long deadline, boolean timeval) throws ErrnoException {
        long ns = left(deadline);
        if (ns < 0) return;
        t.memory().writeLong(addr, ns / 1_000_000_000L);
        t.memory().writeLong(addr + 8, timeval ? ns % 1_000_000_000L / 1000 : ns % 1_000_000_000L);
    }

    // ---- select -----------------------------------------------------------------------------------------

    static long select(Task t, Args a) throws ErrnoException {
        long tvp = a.l(4);
        long timeout = -1;
        if (tvp != 0 && !(t.restart instanceof Wait)) timeout = SignalCalls.readTimeval(t, tvp);
        return doSelect(t, a.i(0), a.l(1), a.l(2), a.l(3), timeout, tvp, true);
    }

    /** pselect6(n, in, out, ex, tsp, sig) where sig points to {const sigset_t *ss; size_t ss_len}. */
    static long pselect6(Task t, Args a) throws ErrnoException {
        long tsp = a.l(4);
        long timeout = -1;
        if (tsp != 0 && !(t.restart instanceof Wait)) timeout = TimeCalls.readTimespec(t, tsp);
        if (a.l(5) != 0) {
            long ss = t.memory().readLong(a.l(5)), len = t.memory().readLong(a.l(5) + 8);
            if (ss != 0) {
                if (len != 8) throw new ErrnoException(Errno.EINVAL);
                SignalCalls.setTemporaryMask(t, t.memory().readLong(ss));
            }
        }
        long r;
        try {
            r = doSelect(t, a.i(0), a.l(1), a.l(2), a.l(3), timeout, tsp, false);
        } catch (ErrnoException e) {
            SignalCalls.restoreTemporaryMask(t);
            throw e;
        }
        if (SyscallRestart.of(r) == null) SignalCalls.restoreTemporaryMask(t);
        return r;
    }

    private static long doSelect(Task t, int n, long inp, long outp, long exp, long timeoutNs, long timeOut,
                                 boolean timeval) throws ErrnoException {
        if (n < 0) throw new ErrnoException(Errno.EINVAL);
        FdTable files = t.process().files();
        n = Math.min(n, Math.max(files.limit(), 64));
        int bytes = (n + 63) / 64 * 8;
        long[] in = readSet(t, inp, bytes), out = readSet(t, outp, bytes), ex = readSet(t, exp, bytes);
        long deadline = deadline(t, timeoutNs);
        long[] rin = new long[in.length], rout = new long[in.length], rex = new long[in.length];
        List<WaitQueue> queues = new ArrayList<>();
        int ready = 0;
        for (int fd = 0; fd < n; fd++) {
            int w = fd >>> 6;
            long bit = 1L << (fd & 63);
            boolean wantIn = (in[w] & bit) != 0, wantOut = (out[w] & bit) != 0, wantEx = (ex[w] & bit) != 0;
            if (!wantIn && !wantOut && !wantEx) continue;
            OpenFile f = files.getOrNull(fd);
            if (f == null) throw new ErrnoException(Errno.EBADF);
            int events = (wantIn ? POLLIN_SET : 0) | (wantOut ? POLLOUT_SET : 0) | (wantEx ? POLLEX_SET : 0);
            int mask = f.poll(events | POLLERR | POLLHUP);
            WaitQueue q = f.waitQueue();
            if (q != null) queues.add(q);
            if (wantIn && (mask & POLLIN_SET) != 0) {
                rin[w] |= bit;
                ready++;
            }
            if (wantOut && (mask & POLLOUT_SET) != 0) {
                rout[w] |= bit;
                ready++;
            }
            if (wantEx && (mask & POLLEX_SET) != 0) {
                rex[w] |= bit;
                ready++;
            }
        }
        if (ready > 0 || timeoutNs == 0 || expired(deadline)) {
            writeSet(t, inp, rin);
            writeSet(t, outp, rout);
            writeSet(t, exp, rex);
            if (timeOut != 0) writeLeft(t, timeOut, deadline, timeval);
            t.restart = null;
            return ready;
        }
        if (t.kernel().signals().hasDeliverable(t)) {
            if (timeOut != 0) writeLeft(t, timeOut, deadline, timeval);
            return SyscallRestart.NOHAND.ret();
        }
        throw block(queues, deadline).interruptedWith(SyscallRestart.NOHAND);
    }

    private static long[] readSet(Task t, long addr, int bytes) throws ErrnoException {
        long[] set = new long[bytes / 8];
        if (addr == 0) return set;
        ByteBuffer b = ByteBuffer.wrap(t.memory().read(addr, bytes)).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < set.length; k++) set[k] = b.getLong(8 * k);
        return set;
    }

    private static void writeSet(Task t, long addr, long[] set) throws ErrnoException {
        if (addr == 0 || set.length == 0) return;
        ByteBuffer b = ByteBuffer.allocate(set.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long w : set) b.putLong(w);
        t.memory().write(addr, b.array());
    }
}
