package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.SignalAction;
import dev.nexa.kernel.proc.Task;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/** Signal dispositions, masks and sending (kernel/signal.c). */
final class SignalCalls {
    private SignalCalls() {}

    static final int SIG_BLOCK = 0, SIG_UNBLOCK = 1, SIG_SETMASK = 2;
    static final long UNBLOCKABLE = Signal.bit(Signal.SIGKILL) | Signal.bit(Signal.SIGSTOP);

    static void register(SyscallTable t) {
        t.add(RT_SIGACTION, SignalCalls::sigaction, SIGNAL, PTR, PTR, SIZE);
        t.add(RT_SIGPROCMASK, SignalCalls::sigprocmask, INT, PTR, PTR, SIZE);
        t.add(RT_SIGPENDING, SignalCalls::sigpending, PTR, SIZE);
        t.add(SIGALTSTACK, SignalCalls::sigaltstack, PTR, PTR);
        t.add(KILL, SignalCalls::kill, INT, SIGNAL);
        t.add(TKILL, (task, a) -> tgkill(task, -1, a.i(0), a.i(1)), INT, SIGNAL);
        t.add(TGKILL, (task, a) -> tgkill(task, a.i(0), a.i(1), a.i(2)), INT, INT, SIGNAL);
    }

    static long sigaction(Task t, Args a) throws ErrnoException {
        int sig = a.i(0);
        if (sig < 1 || sig > Signal.NSIG || a.l(3) != 8) throw new ErrnoException(Errno.EINVAL);
        Process p = t.process();
        SignalAction old = p.action(sig);
        if (a.l(1) != 0) {
            if (sig == Signal.SIGKILL || sig == Signal.SIGSTOP) throw new ErrnoException(Errno.EINVAL);
            var m = t.memory();
            long handler = m.readLong(a.l(1)), flags = m.readLong(a.l(1) + 8),
                    restorer = m.readLong(a.l(1) + 16), mask = m.readLong(a.l(1) + 24);
            p.setAction(sig, new SignalAction(handler, flags, restorer, mask & ~UNBLOCKABLE));
        }
        if (a.l(2) != 0) {
            var m = t.memory();
            m.writeLong(a.l(2), old.handler());
            m.writeLong(a.l(2) + 8, old.flags());
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
            t.sigmask = switch (a.i(0)) {
                case SIG_BLOCK -> old | set;
                case SIG_UNBLOCK -> old & ~set;
                case SIG_SETMASK -> set;
                default -> throw new ErrnoException(Errno.EINVAL);
            } & ~UNBLOCKABLE;
        }
        if (a.l(2) != 0) t.memory().writeLong(a.l(2), old);
        return 0;
    }

    static long sigpending(Task t, Args a) throws ErrnoException {
        if (a.l(1) != 8) throw new ErrnoException(Errno.EINVAL);
        t.memory().writeLong(a.l(0), (t.pending | t.process().sharedPending) & t.sigmask);
        return 0;
    }

    static final int SS_ONSTACK = 1, SS_DISABLE = 2, MINSIGSTKSZ = 2048;

    static long sigaltstack(Task t, Args a) throws ErrnoException {
        var m = t.memory();
        if (a.l(1) != 0) {
            m.writeLong(a.l(1), t.altStackSp);
            m.writeInt(a.l(1) + 8, t.altStackFlags);
            m.writeLong(a.l(1) + 16, t.altStackSize);
        }
        if (a.l(0) != 0) {
            long sp = m.readLong(a.l(0));
            int flags = m.readInt(a.l(0) + 8);
            long size = m.readLong(a.l(0) + 16);
            if ((flags & ~SS_DISABLE & ~(1 << 31)) != 0) throw new ErrnoException(Errno.EINVAL);
            if ((flags & SS_DISABLE) != 0) {
                t.altStackSp = 0;
                t.altStackSize = 0;
                t.altStackFlags = SS_DISABLE;
            } else {
                if (size < MINSIGSTKSZ) throw new ErrnoException(Errno.ENOMEM);
                t.altStackSp = sp;
                t.altStackSize = size;
                t.altStackFlags = 0;
            }
        }
        return 0;
    }

    static long kill(Task t, Args a) throws ErrnoException {
        int pid = a.i(0), sig = a.i(1);
        if (sig < 0 || sig > Signal.NSIG) throw new ErrnoException(Errno.EINVAL);
        var k = t.kernel();
        java.util.List<Process> targets = new java.util.ArrayList<>();
        if (pid > 0) {
            Process p = k.process(pid);
            if (p == null || p.isZombie()) throw new ErrnoException(Errno.ESRCH);
            targets.add(p);
        } else {
            int pgid = pid == 0 ? t.process().pgid : pid == -1 ? -1 : -pid;
            for (Process p : k.processes()) {
                if (p.isZombie()) continue;
                if (pgid == -1 ? p.pid() != 1 : p.pgid == pgid) targets.add(p);
            }
            if (targets.isEmpty()) throw new ErrnoException(Errno.ESRCH);
        }
        if (sig != 0) for (Process p : targets) k.signals().send(p, sig);
        return 0;
    }

    static long tgkill(Task t, int tgid, int tid, int sig) throws ErrnoException {
        if (sig < 0 || sig > Signal.NSIG || tid <= 0) throw new ErrnoException(Errno.EINVAL);
        Task target = t.kernel().task(tid);
        if (target == null || (tgid > 0 && target.process().pid() != tgid)) throw new ErrnoException(Errno.ESRCH);
        if (sig != 0) t.kernel().signals().sendTask(target, sig);
        return 0;
    }
}
