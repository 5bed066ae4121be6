package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.RestartState;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.proc.WaitQueue;
import dev.nexa.kernel.vfs.OpenFile;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/**
 * epoll_create(1), epoll_ctl and epoll_wait/epoll_pwait/epoll_pwait2 (fs/eventpoll.c) over
 * {@link EpollFile}. A wait with nothing ready blocks on every watched file's wait queue; a
 * signal ends it with EINTR whatever SA_RESTART says, as in Linux.
 */
final class EpollCalls {
    private EpollCalls() {}

    static final int EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2, EPOLL_CTL_MOD = 3;
    /** struct epoll_event is packed on x86-64: u32 events, u64 data. */
    static final int EVENT_SIZE = 12;
    static final int EP_MAX_EVENTS = Integer.MAX_VALUE / EVENT_SIZE;

    static void register(SyscallTable t) {
        t.add(EPOLL_CREATE, (task, a) -> {
            if (a.i(0) <= 0) throw new ErrnoException(Errno.EINVAL);
            return create(task, 0);
        }, INT);
        t.add(EPOLL_CREATE1, (task, a) -> create(task, a.i(0)), OPEN_FLAGS);
        t.add(EPOLL_CTL, EpollCalls::ctl, FD, INT, FD, PTR);
        t.add(EPOLL_WAIT, (task, a) -> waitMs(task, a, 0, 0), FD, PTR, INT, INT);
        t.add(EPOLL_PWAIT, (task, a) -> waitMs(task, a, a.l(4), a.l(5)), FD, PTR, INT, INT, PTR, SIZE);
        t.add(EPOLL_PWAIT2, EpollCalls::pwait2, FD, PTR, INT, PTR, PTR, SIZE);
    }

    static long create(Task t, int flags) throws ErrnoException {
        if ((flags & ~OpenFile.O_CLOEXEC) != 0) throw new ErrnoException(Errno.EINVAL);
        return t.process().files().install(new EpollFile(0), (flags & OpenFile.O_CLOEXEC) != 0);
    }

    private static EpollFile epoll(Task t, int epfd) throws ErrnoException {
        OpenFile f = t.process().files().get(epfd);
        if (!(f instanceof EpollFile ep)) throw new ErrnoException(Errno.EINVAL);
        return ep;
    }

    static long ctl(Task t, Args a) throws ErrnoException {
        int epfd = a.i(0), op = a.i(1), fd = a.i(2);
        int events = 0;
        long data = 0;
        if (op != EPOLL_CTL_DEL) {
            byte[] ev = t.memory().read(a.l(3), EVENT_SIZE);
            ByteBuffer b = ByteBuffer.wrap(ev).order(ByteOrder.LITTLE_ENDIAN);
            events = b.getInt(0);
            data = b.getLong(4);
        }
        var files = t.process().files();
        OpenFile epf = files.get(epfd);
        OpenFile target = files.get(fd);
        if (!(epf instanceof EpollFile ep) || epf == target) throw new ErrnoException(Errno.EINVAL);
        // Regular files and directories are always ready and cannot be watched (file_can_poll).
        var st = target.stat();
        if (st.isRegular() || st.isDirectory()) throw new ErrnoException(Errno.EPERM);
        EpollFile.Entry e = ep.find(target, fd);
        switch (op) {
            case EPOLL_CTL_ADD -> {
                if (e != null) throw new ErrnoException(Errno.EEXIST);
                ep.add(new EpollFile.Entry(fd, target, events, data));
            }
            case EPOLL_CTL_MOD -> {
                if (e == null) throw new ErrnoException(Errno.ENOENT);
                if ((e.events & EpollFile.EPOLLEXCLUSIVE) != 0) throw new ErrnoException(Errno.EINVAL);
                e.events = events;
                e.data = data;
                e.disabled = false;
                e.lastReported = 0;
            }
            case EPOLL_CTL_DEL -> {
                if (e == null) throw new ErrnoException(Errno.ENOENT);
                ep.remove(e);
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        return 0;
    }

    /** The deadline of a wait being re-executed. */
    private record Wait(long deadlineNanos) implements RestartState {}

    static long waitMs(Task t, Args a, long sigmask, long sigsetsize) throws ErrnoException {
        int ms = a.i(3);
        return doWait(t, a.i(0), a.l(1), a.i(2), ms < 0 ? -1 : ms * 1_000_000L, sigmask, sigsetsize);
    }

    static long pwait2(Task t, Args a) throws ErrnoException {
        long timeout = -1;
        if (a.l(3) != 0 && !(t.restart instanceof Wait)) timeout = TimeCalls.readTimespec(t, a.l(3));
        return doWait(t, a.i(0), a.l(1), a.i(2), timeout, a.l(4), a.l(5));
    }

    private static long doWait(Task t, int epfd, long events, int max, long timeoutNs, long sigmask, long sigsetsize)
            throws ErrnoException {
        if (max <= 0 || max > EP_MAX_EVENTS) throw new ErrnoException(Errno.EINVAL);
        EpollFile ep = epoll(t, epfd);
        if (sigmask != 0) {
            if (sigsetsize != 8) throw new ErrnoException(Errno.EINVAL);
            SignalCalls.setTemporaryMask(t, t.memory().readLong(sigmask));
        }
        long deadline;
        if (t.restart instanceof Wait w) deadline = w.deadlineNanos();
        else {
            deadline = timeoutNs < 0 ? -1 : System.nanoTime() + Math.min(timeoutNs, Long.MAX_VALUE / 4);
            t.restart = new Wait(deadline);
        }
        List<long[]> ready = ep.collect(max);
        if (!ready.isEmpty() || timeoutNs == 0 || deadline >= 0 && System.nanoTime() - deadline >= 0) {
            ByteBuffer b = ByteBuffer.allocate(ready.size() * EVENT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
            for (long[] r : ready) b.putInt((int) r[0]).putLong(r[1]);
            try {
                if (!ready.isEmpty()) t.memory().write(events, b.array());
            } finally {
                t.restart = null;
                SignalCalls.restoreTemporaryMask(t);
            }
            return ready.size();
        }
        if (t.kernel().signals().hasDeliverable(t)) {
            t.restart = null;
            return Errno.EINTR.ret();           // the temporary mask stays for the handler's frame
        }
        WaitQueue[] q = ep.queues().toArray(new WaitQueue[0]);
        throw (deadline >= 0 ? Blocked.until(deadline, q) : Blocked.on(q)).interruptedWithEintr();
    }
}
