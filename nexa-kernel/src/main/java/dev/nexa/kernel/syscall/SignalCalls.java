package dev.nexa.kernel.syscall;

import dev.nexa.cpu.Reg;
import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.RestartState;
import dev.nexa.kernel.proc.Scheduler;
import dev.nexa.kernel.proc.SignalAction;
import dev.nexa.kernel.proc.SyscallRestart;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.signal.SigFrame;
import dev.nexa.kernel.signal.SigInfo;
import dev.nexa.kernel.signal.Signals;

import java.util.ArrayList;
import java.util.List;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/**
 * Signal dispositions, masks, sending, waiting and returning from handlers (kernel/signal.c,
 * arch/x86/kernel/signal_64.c), and the interval timers that raise SIGALRM, SIGVTALRM and
 * SIGPROF (kernel/time/itimer.c).
 */
final class SignalCalls {
    private SignalCalls() {}

    static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    static final long UNBLOCKABLE = Signal.bit(Signal.SIGKILL) | Signal.bit(Signal.SIGSTOP);
    static final int ITIMER_REAL = 0, ITIMER_VIRTUAL = 1, ITIMER_PROF = 2;

    static void register(SyscallTable t) {
        t.add(RT_SIGACTION, SignalCalls::sigaction, SIGNAL, PTR, PTR, SIZE);
        t.add(RT_SIGPROCMASK, SignalCalls::sigprocmask, INT, PTR, PTR, SIZE);
        t.add(RT_SIGPENDING, SignalCalls::sigpending, PTR, SIZE);
        t.add(RT_SIGRETURN, SignalCalls::sigreturn);
        t.add(RT_SIGSUSPEND, SignalCalls::sigsuspend, PTR, SIZE);
        t.add(RT_SIGTIMEDWAIT, SignalCalls::sigtimedwait, PTR, PTR, PTR, SIZE);
        t.add(RT_SIGQUEUEINFO, (task, a) -> sigqueueinfo(task, a.i(0), -1, a.i(1), a.l(2)), INT, SIGNAL, PTR);
        t.add(RT_TGSIGQUEUEINFO, (task, a) -> sigqueueinfo(task, a.i(0), a.i(1), a.i(2), a.l(3)), INT, INT, SIGNAL, PTR);
        t.add(SIGALTSTACK, SignalCalls::sigaltstack, PTR, PTR);
        t.add(KILL, SignalCalls::kill, INT, SIGNAL);
        t.add(TKILL, (task, a) -> tgkill(task, -1, a.i(0), a.i(1)), INT, SIGNAL);
        t.add(TGKILL, (task, a) -> {
            if (a.i(0) <= 0) throw new ErrnoException(Errno.EINVAL);
            return tgkill(task, a.i(0), a.i(1), a.i(2));
        }, INT, INT, SIGNAL);
        t.add(PAUSE, (task, a) -> {
            throw Blocked.on().interruptedWith(SyscallRestart.NOHAND);
        });
        t.add(SIGNALFD, (task, a) -> signalfd(task, a.i(0), a.l(1), a.l(2), 0), FD, PTR, SIZE);
        t.add(SIGNALFD4, (task, a) -> signalfd(task, a.i(0), a.l(1), a.l(2), a.i(3)), FD, PTR, SIZE, OPEN_FLAGS);
        t.add(ALARM, SignalCalls::alarm, INT);
        t.add(SETITIMER, SignalCalls::setitimer, INT, PTR, PTR);
        t.add(GETITIMER, SignalCalls::getitimer, INT, PTR);
    }

    private static boolean validSignal(int sig) { return sig >= 0 && sig <= Signal.NSIG; }

    // ---- dispositions and masks ---------------------------------------------------------------------

    static long sigaction(Task t, Args a) throws ErrnoException {
        int sig = a.i(0);
        if (a.l(3) != 8) throw new ErrnoException(Errno.EINVAL);
        var m = t.memory();
        SignalAction act = null;
        if (a.l(1) != 0) {
            act = new SignalAction(m.readLong(a.l(1)), m.readLong(a.l(1) + 8) & SignalAction.UAPI_FLAGS,
                    m.readLong(a.l(1) + 16), m.readLong(a.l(1) + 24) & ~UNBLOCKABLE);
        }
        if (sig < 1 || sig > Signal.NSIG || act != null && (sig == Signal.SIGKILL || sig == Signal.SIGSTOP)) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Process p = t.process();
        SignalAction old = p.action(sig);
        if (act != null) {
            p.setAction(sig, act);
            // POSIX 3.3.1.3: making a pending signal ignored discards it, blocked or not.
            if (Signals.handlerIgnores(act, sig)) {
                p.sharedPending.discard(Signal.bit(sig));
                for (Task c : p.threads()) c.pending.discard(Signal.bit(sig));
            }
        }
        if (a.l(2) != 0) {
            m.writeLong(a.l(2), old.handler());
            m.writeLong(a.l(2) + 8, old.flags() & SignalAction.UAPI_FLAGS);
            m.writeLong(a.l(2) + 16, old.restorer());
            m.writeLong(a.l(2) + 24, old.mask());
        }
        return 0;
    }

    static long sigprocmask(Task t, Args a) throws ErrnoException {
        if (a.l(3) != 8) throw new ErrnoException(Errno.EINVAL);
        long old = t.sigmask;
        if (a.l(1) != 0) {
            long set = t.memory().readLong(a.l(1));
            long next = switch (a.i(0)) {
                case SIG_BLOCK -> old | set;
                case SIG_UNBLOCK -> old & ~set;
                case SIG_SETMASK -> set;
                default -> throw new ErrnoException(Errno.EINVAL);
            };
            setBlocked(t, next);
        }
        if (a.l(2) != 0) t.memory().writeLong(a.l(2), old);
        return 0;
    }

    /**
     * set_current_blocked: the new mask, and process-wide pending signals this thread now blocks
     * handed to a sibling that can take them (retarget_shared_pending).
     */
    static void setBlocked(Task t, long mask) {
        long newlyBlocked = mask & ~t.sigmask;
        t.sigmask = mask & ~UNBLOCKABLE;
        Process p = t.process();
        long retarget = p.sharedPending.mask() & newlyBlocked;
        if (retarget == 0) return;
        for (Task c : p.threads()) {
            if (c == t || c.isExited() || (retarget & ~c.sigmask) == 0) continue;
            if (c.state() == Task.State.BLOCKED && !c.inKillableWait()) c.wake();
            retarget &= c.sigmask;
            if (retarget == 0) break;
        }
    }

    static long sigpending(Task t, Args a) throws ErrnoException {
        long size = a.l(1);
        if (Long.compareUnsigned(size, 8) > 0) throw new ErrnoException(Errno.EINVAL);
        long set = (t.pending.mask() | t.process().sharedPending.mask()) & t.sigmask;
        byte[] b = new byte[(int) size];
        for (int k = 0; k < size; k++) b[k] = (byte) (set >>> (8 * k));
        t.memory().write(a.l(0), b);
        return 0;
    }

    static long sigaltstack(Task t, Args a) throws ErrnoException {
        var m = t.memory();
        long sp = t.cpu().reg(Reg.RSP);
        long oldSp = t.altStackSp, oldSize = t.altStackSize;
        int oldFlags = SigFrame.sasSsFlags(t, sp) | (t.altStackFlags & Task.SS_AUTODISARM);
        if (a.l(0) != 0) {
            long ssSp = m.readLong(a.l(0));
            int flags = m.readInt(a.l(0) + 8);
            long size = m.readLong(a.l(0) + 16);
            switch (SigFrame.setAltStack(t, ssSp, flags, size, sp)) {
                case OK -> { }
                case EPERM -> throw new ErrnoException(Errno.EPERM);
                case EINVAL -> throw new ErrnoException(Errno.EINVAL);
                case ENOMEM -> throw new ErrnoException(Errno.ENOMEM);
            }
        }
        if (a.l(1) != 0) {
            byte[] ss = new byte[24];
            var b = java.nio.ByteBuffer.wrap(ss).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.putLong(0, oldSp).putInt(8, oldFlags).putLong(16, oldSize);
            m.write(a.l(1), ss);
        }
        return 0;
    }

    // ---- returning from a handler, waiting for signals ---------------------------------------------

    /** rt_sigreturn: everything from the frame; a bad frame is SIGSEGV (signal_fault). */
    static long sigreturn(Task t, Args a) {
        if (!SigFrame.restore(t)) {
            t.kernel().log("signal", t + ": bad rt_sigreturn frame at 0x" + Long.toHexString(t.cpu().reg(Reg.RSP) - 8));
            t.kernel().signals().force(t, SigInfo.kernel(Signal.SIGSEGV));
        }
        return SyscallHandler.REGISTERS_SET;
    }

    /** Installs a temporary mask that signal delivery (or the call's end) puts back (set_user_sigmask). */
    static void setTemporaryMask(Task t, long mask) {
        if (!t.restoreSigmask) {
            t.savedSigmask = t.sigmask;
            t.restoreSigmask = true;
        }
        t.sigmask = mask & ~UNBLOCKABLE;
    }

    /** Ends a temporary mask when the call returns without a signal to deliver. */
    static void restoreTemporaryMask(Task t) {
        if (!t.restoreSigmask) return;
        t.restoreSigmask = false;
        t.sigmask = t.savedSigmask;
    }

    /** rt_sigsuspend: waits with the given mask until a signal is delivered; always "fails" with EINTR. */
    static long sigsuspend(Task t, Args a) throws ErrnoException {
        if (a.l(1) != 8) throw new ErrnoException(Errno.EINVAL);
        long mask = t.memory().readLong(a.l(0));
        setTemporaryMask(t, mask);
        throw Blocked.on().interruptedWith(SyscallRestart.NOHAND);
    }

    /** The rt_sigtimedwait in progress: its deadline, with the waited-for set temporarily unblocked. */
    private record SigWait(long deadlineNanos) implements RestartState {
        @Override
        public void cancel(Task task) {
            task.sigmask = task.realBlocked;
            task.realBlocked = 0;
        }
    }

    /**
     * rt_sigtimedwait: takes a pending signal of the set (returning its number and siginfo);
     * otherwise waits with the set unblocked until one comes (EAGAIN at the timeout), ending
     * with EINTR if another signal is delivered meanwhile (do_sigtimedwait).
     */
    static long sigtimedwait(Task t, Args a) throws ErrnoException {
        if (a.l(3) != 8) throw new ErrnoException(Errno.EINVAL);
        long set = t.memory().readLong(a.l(0)) & ~UNBLOCKABLE;
        SigWait w = t.restart instanceof SigWait s ? s : null;
        if (w != null) {
            t.restart = null;
            w.cancel(t);
        }
        long deadline = -1;
        boolean poll = false;
        if (w == null && a.l(2) != 0) {
            long ns = TimeCalls.readTimespec(t, a.l(2));
            poll = ns == 0;
            deadline = System.nanoTime() + Math.min(ns, Long.MAX_VALUE / 4);
        } else if (w != null) {
            deadline = w.deadlineNanos();
        }
        int sig = t.pending.next(~set);
        SigInfo info;
        if (sig != 0) info = t.pending.take(sig);
        else {
            sig = t.process().sharedPending.next(~set);
            info = sig == 0 ? null : t.process().sharedPending.take(sig);
        }
        if (info != null) {
            if (a.l(1) != 0) t.memory().write(a.l(1), info.bytes());
            return sig;
        }
        if (poll || deadline >= 0 && System.nanoTime() - deadline >= 0) throw new ErrnoException(Errno.EAGAIN);
        if (w != null && t.kernel().signals().hasDeliverable(t)) throw new ErrnoException(Errno.EINTR);
        t.realBlocked = t.sigmask;
        t.sigmask &= ~set;
        t.restart = new SigWait(deadline);
        throw (deadline >= 0 ? Blocked.until(deadline) : Blocked.on()).interruptedWithEintr();
    }

    // ---- sending --------------------------------------------------------------------------------------

    static long kill(Task t, Args a) throws ErrnoException {
        int pid = a.i(0), sig = a.i(1);
        if (!validSignal(sig)) throw new ErrnoException(Errno.EINVAL);
        Process self = t.process();
        return killInfo(t, pid, sig == 0 ? null : SigInfo.kill(sig, SigInfo.SI_USER, self.pid(), self.uid));
    }

    /**
     * kill_something_info: pid > 0 one process (a zombie still counts, and takes no signal),
     * 0 the caller's process group, -1 every process but pid 1 and the caller, < -1 the group
     * -pid. ESRCH when nothing matched. A null info is the existence check of signal 0.
     */
    static long killInfo(Task t, int pid, SigInfo info) throws ErrnoException {
        Kernel k = t.kernel();
        if (pid == Integer.MIN_VALUE) throw new ErrnoException(Errno.ESRCH);
        List<Process> targets = new ArrayList<>();
        if (pid > 0) {
            Process p = k.process(pid);
            if (p == null) {
                Task th = k.task(pid);
                if (th != null) p = th.process();
            }
            if (p == null) throw new ErrnoException(Errno.ESRCH);
            targets.add(p);
        } else if (pid == -1) {
            for (Process p : k.processes()) if (p.pid() > 1 && p != t.process()) targets.add(p);
        } else {
            int pgid = pid == 0 ? t.process().pgid : -pid;
            for (Process p : k.processes()) if (p.pgid == pgid) targets.add(p);
        }
        if (targets.isEmpty()) throw new ErrnoException(Errno.ESRCH);
        if (info != null) for (Process p : targets) if (!p.isZombie()) k.signals().sendProcess(p, info);
        return 0;
    }

    static long tgkill(Task t, int tgid, int tid, int sig) throws ErrnoException {
        if (tid <= 0) throw new ErrnoException(Errno.EINVAL);
        if (!validSignal(sig)) throw new ErrnoException(Errno.EINVAL);
        Task target = t.kernel().task(tid);
        if (target == null || target.isExited() || (tgid > 0 && target.process().pid() != tgid)) {
            throw new ErrnoException(Errno.ESRCH);
        }
        Process self = t.process();
        if (sig != 0) t.kernel().signals().sendTask(target, SigInfo.kill(sig, SigInfo.SI_TKILL, self.pid(), self.uid));
        return 0;
    }

    /**
     * rt_sigqueueinfo / rt_tgsigqueueinfo: a siginfo from the caller. Only the kernel may claim
     * SI_USER/SI_KERNEL or SI_TKILL codes for another process (EPERM).
     */
    static long sigqueueinfo(Task t, int tgid, int tid, int sig, long uinfo) throws ErrnoException {
        byte[] raw = t.memory().read(uinfo, SigInfo.SIZE);
        if (tid != -1 && (tid <= 0 || tgid <= 0)) throw new ErrnoException(Errno.EINVAL);
        if (!validSignal(sig)) throw new ErrnoException(Errno.EINVAL);
        SigInfo info = SigInfo.fromUser(raw, sig);
        int target = tid != -1 ? tid : tgid;
        if ((info.code() >= 0 || info.code() == SigInfo.SI_TKILL) && target != t.process().pid()) {
            throw new ErrnoException(Errno.EPERM);
        }
        if (tid == -1) {
            if (tgid <= 0) return killInfo(t, tgid, sig == 0 ? null : info);
            Process p = t.kernel().process(tgid);
            if (p == null) throw new ErrnoException(Errno.ESRCH);
            if (sig != 0 && !p.isZombie()) t.kernel().signals().sendProcess(p, info);
            return 0;
        }
        Task th = t.kernel().task(tid);
        if (th == null || th.isExited() || th.process().pid() != tgid) throw new ErrnoException(Errno.ESRCH);
        if (sig != 0) t.kernel().signals().sendTask(th, info);
        return 0;
    }

    /** signalfd(2)/signalfd4(2): a new signalfd for the mask, or a new mask for an existing one. */
    static long signalfd(Task t, int fd, long maskAddr, long size, int flags) throws ErrnoException {
        int allowed = dev.nexa.kernel.vfs.OpenFile.O_CLOEXEC | dev.nexa.kernel.vfs.OpenFile.O_NONBLOCK;
        if ((flags & ~allowed) != 0 || size != 8) throw new ErrnoException(Errno.EINVAL);
        long mask = t.memory().readLong(maskAddr) & ~UNBLOCKABLE;
        var files = t.process().files();
        if (fd == -1) {
            var f = new SignalFdFile(t.kernel(), mask, flags & dev.nexa.kernel.vfs.OpenFile.O_NONBLOCK);
            return files.install(f, (flags & dev.nexa.kernel.vfs.OpenFile.O_CLOEXEC) != 0);
        }
        if (!(files.get(fd) instanceof SignalFdFile sf)) throw new ErrnoException(Errno.EINVAL);
        sf.mask = mask;
        return fd;
    }

    // ---- interval timers -------------------------------------------------------------------------------

    static long alarm(Task t, Args a) throws ErrnoException {
        long seconds = a.u(0);
        long[] old = setRealTimer(t.process(), t.kernel(), seconds * 1_000_000_000L, 0);
        long secs = old[0] / 1_000_000_000L, usec = old[0] % 1_000_000_000L / 1000;
        // alarm_setitimer: round to the nearest second, and never report 0 for a live alarm
        if (secs == 0 && usec != 0 || usec >= 500_000) secs++;
        return secs;
    }

    /** Arms (or with 0 disarms) ITIMER_REAL; returns the old {value, interval} in ns. */
    static long[] setRealTimer(Process p, Kernel k, long valueNs, long intervalNs) {
        long[] old = realTimer(p);
        if (p.realTimer != null) p.realTimer.cancel();
        p.realTimer = null;
        p.realInterval = intervalNs;
        if (valueNs > 0) armReal(p, k, System.nanoTime() + valueNs);
        return old;
    }

    private static void armReal(Process p, Kernel k, long deadline) {
        Scheduler.Timer[] self = new Scheduler.Timer[1];
        self[0] = k.scheduler().schedule(deadline, () -> {
            if (p.realTimer != self[0] || p.isZombie()) return;
            p.realTimer = null;
            k.signals().sendProcess(p, SigInfo.kernel(Signal.SIGALRM));
            if (p.realInterval > 0) {
                // hrtimer_forward: the next expiry is a whole number of intervals after this one.
                long next = deadline + p.realInterval;
                long now = System.nanoTime();
                if (now - next >= 0) next += ((now - next) / p.realInterval + 1) * p.realInterval;
                armReal(p, k, next);
            }
        });
        p.realTimer = self[0];
    }

    /** {value left, interval} of ITIMER_REAL in ns; a live timer never reports less than 1 µs. */
    static long[] realTimer(Process p) {
        if (p.realTimer == null || !p.realTimer.pending()) return new long[] {0, p.realInterval};
        long left = p.realTimer.deadline() - System.nanoTime();
        return new long[] {left <= 0 ? 1000 : left, p.realInterval};
    }

    static long readTimeval(Task t, long addr) throws ErrnoException {
        long sec = t.memory().readLong(addr), usec = t.memory().readLong(addr + 8);
        if (sec < 0 || usec < 0 || usec >= 1_000_000) throw new ErrnoException(Errno.EINVAL);
        return sec > Long.MAX_VALUE / 2_000_000_000L ? Long.MAX_VALUE / 2 : sec * 1_000_000_000L + usec * 1000;
    }

    static void writeTimeval(Task t, long addr, long ns) throws ErrnoException {
        t.memory().writeLong(addr, ns / 1_000_000_000L);
        t.memory().writeLong(addr + 8, ns % 1_000_000_000L / 1000);
    }

    static long setitimer(Task t, Args a) throws ErrnoException {
        int which = a.i(0);
        long interval = 0, value = 0;
        if (a.l(1) != 0) {
            interval = readTimeval(t, a.l(1));
            value = readTimeval(t, a.l(1) + 16);
        }
        Process p = t.process();
        long[] old = switch (which) {
            case ITIMER_REAL -> setRealTimer(p, t.kernel(), value, interval);
            case ITIMER_VIRTUAL -> {
                long[] o = {Math.max(p.virtualLeft, 0), p.virtualInterval};
                p.virtualLeft = value;
                p.virtualInterval = interval;
                yield o;
            }
            case ITIMER_PROF -> {
                long[] o = {Math.max(p.profLeft, 0), p.profInterval};
                p.profLeft = value;
                p.profInterval = interval;
                yield o;
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        if (a.l(2) != 0) {
            writeTimeval(t, a.l(2), old[1]);
            writeTimeval(t, a.l(2) + 16, old[0]);
        }
        return 0;
    }

    static long getitimer(Task t, Args a) throws ErrnoException {
        Process p = t.process();
        long[] cur = switch (a.i(0)) {
            case ITIMER_REAL -> realTimer(p);
            case ITIMER_VIRTUAL -> new long[] {Math.max(p.virtualLeft, 0), p.virtualInterval};
            case ITIMER_PROF -> new long[] {Math.max(p.profLeft, 0), p.profInterval};
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        writeTimeval(t, a.l(1), cur[1]);
        writeTimeval(t, a.l(1) + 16, cur[0]);
        return 0;
    }
}
