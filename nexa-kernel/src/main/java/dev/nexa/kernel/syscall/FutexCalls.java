package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.Futexes;
import dev.nexa.kernel.proc.RestartState;
import dev.nexa.kernel.proc.SyscallRestart;
import dev.nexa.kernel.proc.Task;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/**
 * futex(2) (kernel/futex/): WAIT, WAKE, their BITSET forms, REQUEUE, CMP_REQUEUE and WAKE_OP,
 * private or shared, with timeouts on CLOCK_MONOTONIC or CLOCK_REALTIME. A waiter is queued
 * in {@link Futexes} and kept as its task's restart state, so the re-executed call knows it was
 * woken (0), timed out (ETIMEDOUT) or interrupted: ERESTARTSYS without a timeout, and a restart
 * that keeps the absolute deadline with one (futex_wait_restart). Priority-inheritance
 * operations are not implemented (ENOSYS).
 */
final class FutexCalls {
    private FutexCalls() {}

    static final int FUTEX_WAIT = 0, FUTEX_WAKE = 1, FUTEX_FD = 2, FUTEX_REQUEUE = 3, FUTEX_CMP_REQUEUE = 4,
            FUTEX_WAKE_OP = 5, FUTEX_LOCK_PI = 6, FUTEX_UNLOCK_PI = 7, FUTEX_TRYLOCK_PI = 8, FUTEX_WAIT_BITSET = 9,
            FUTEX_WAKE_BITSET = 10, FUTEX_WAIT_REQUEUE_PI = 11, FUTEX_CMP_REQUEUE_PI = 12, FUTEX_LOCK_PI2 = 13;
    static final int FUTEX_PRIVATE_FLAG = 128, FUTEX_CLOCK_REALTIME = 256;
    static final int FUTEX_BITSET_MATCH_ANY = -1;

    static void register(SyscallTable t) {
        t.add(FUTEX, FutexCalls::futex, PTR, CODE, INT, PTR, PTR, INT);
    }

    /** The deadline of an interrupted timed wait, kept for its transparent restart. */
    private record TimedRestart(long deadlineNanos) implements RestartState {}

    static long futex(Task t, Args a) throws ErrnoException {
        int op = a.i(1);
        int cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
        boolean priv = (op & FUTEX_PRIVATE_FLAG) != 0;
        boolean realtime = (op & FUTEX_CLOCK_REALTIME) != 0;
        if (realtime && cmd != FUTEX_WAIT_BITSET && cmd != FUTEX_WAIT_REQUEUE_PI && cmd != FUTEX_LOCK_PI2) {
            throw new ErrnoException(Errno.ENOSYS);
        }
        long uaddr = a.l(0);
        int val = a.i(2);
        return switch (cmd) {
            case FUTEX_WAIT -> wait(t, uaddr, priv, val, a.l(3), false, realtime, FUTEX_BITSET_MATCH_ANY);
            case FUTEX_WAIT_BITSET -> wait(t, uaddr, priv, val, a.l(3), true, realtime, a.i(5));
            case FUTEX_WAKE -> wake(t, uaddr, priv, val, FUTEX_BITSET_MATCH_ANY);
            case FUTEX_WAKE_BITSET -> wake(t, uaddr, priv, val, a.i(5));
            case FUTEX_REQUEUE -> requeue(t, uaddr, a.l(4), priv, val, (int) a.l(3), null);
            case FUTEX_CMP_REQUEUE -> requeue(t, uaddr, a.l(4), priv, val, (int) a.l(3), a.i(5));
            case FUTEX_WAKE_OP -> wakeOp(t, uaddr, a.l(4), priv, val, (int) a.l(3), a.i(5));
            default -> throw new ErrnoException(Errno.ENOSYS, "futex op " + cmd);
        };
    }

    private static Futexes.Key key(Task t, long uaddr, boolean priv) throws ErrnoException {
        if ((uaddr & 3) != 0) throw new ErrnoException(Errno.EINVAL);
        Futexes.Key k = t.kernel().futexKey(t, uaddr, priv);
        if (k == null) throw new ErrnoException(Errno.EFAULT);
        return k;
    }

    static long wait(Task t, long uaddr, boolean priv, int val, long timeout, boolean absolute, boolean realtime,
                     int bitset) throws ErrnoException {
        var signals = t.kernel().signals();
        if (t.restart instanceof Futexes.Waiter w) {
            if (w.woken()) {
                t.restart = null;
                return 0;
            }
            boolean timedOut = w.deadlineNanos >= 0 && System.nanoTime() - w.deadlineNanos >= 0;
            if (timedOut) {
                t.cancelRestart();
                throw new ErrnoException(Errno.ETIMEDOUT);
            }
            if (signals.hasDeliverable(t)) {
                t.cancelRestart();
                if (w.deadlineNanos < 0) return SyscallRestart.SYS.ret();
                t.restart = new TimedRestart(w.deadlineNanos);
                return SyscallRestart.BLOCK.ret();
            }
            throw block(w);
        }
        long deadline = -1;
        if (t.restart instanceof TimedRestart r) {
            deadline = r.deadlineNanos();
            t.restart = null;
        } else if (timeout != 0) {
            long ns = TimeCalls.readTimespec(t, timeout);
            if (!absolute) deadline = System.nanoTime() + Math.min(ns, Long.MAX_VALUE / 4);
            else {
                long now = TimeCalls.now(t, realtime ? TimeCalls.CLOCK_REALTIME : TimeCalls.CLOCK_MONOTONIC);
                deadline = System.nanoTime() + Math.max(0, Math.min(ns - now, Long.MAX_VALUE / 4));
            }
        }
        if (bitset == 0) throw new ErrnoException(Errno.EINVAL);
        Futexes.Key key = key(t, uaddr, priv);
        if (t.memory().readInt(uaddr) != val) throw new ErrnoException(Errno.EAGAIN);
        if (deadline >= 0 && System.nanoTime() - deadline >= 0) throw new ErrnoException(Errno.ETIMEDOUT);
        Futexes.Waiter w = t.kernel().futexes().enqueue(key, bitset, deadline);
        t.restart = w;
        throw block(w);
    }

    private static Blocked block(Futexes.Waiter w) {
        return w.deadlineNanos >= 0 ? Blocked.until(w.deadlineNanos, w.queue()) : Blocked.on(w.queue());
    }

    static long wake(Task t, long uaddr, boolean priv, int n, int bitset) throws ErrnoException {
        if (bitset == 0) throw new ErrnoException(Errno.EINVAL);
        return t.kernel().futexes().wake(key(t, uaddr, priv), n, bitset);
    }

    static long requeue(Task t, long uaddr, long uaddr2, boolean priv, int nWake, int nRequeue, Integer cmpval)
            throws ErrnoException {
        if (nWake < 0 || nRequeue < 0) throw new ErrnoException(Errno.EINVAL);
        Futexes.Key from = key(t, uaddr, priv), to = key(t, uaddr2, priv);
        if (cmpval != null && t.memory().readInt(uaddr) != cmpval) throw new ErrnoException(Errno.EAGAIN);
        return t.kernel().futexes().requeue(from, to, nWake, nRequeue);
    }

    static final int FUTEX_OP_SET = 0, FUTEX_OP_ADD = 1, FUTEX_OP_OR = 2, FUTEX_OP_ANDN = 3, FUTEX_OP_XOR = 4,
            FUTEX_OP_OPARG_SHIFT = 8;

    /** FUTEX_WAKE_OP: *uaddr2 = *uaddr2 OP oparg; wake on uaddr; if the old value compares true, wake on uaddr2. */
    static long wakeOp(Task t, long uaddr, long uaddr2, boolean priv, int nWake, int nWake2, int encoded)
            throws ErrnoException {
        Futexes.Key k1 = key(t, uaddr, priv), k2 = key(t, uaddr2, priv);
        int op = (encoded >>> 28) & 0xf, cmp = (encoded >>> 24) & 0xf;
        int oparg = (encoded << 8) >> 20, cmparg = (encoded << 20) >> 20;   // sign_extend32(.., 11)
        if ((op & FUTEX_OP_OPARG_SHIFT) != 0) {
            oparg = 1 << (oparg & 31);
            op &= ~FUTEX_OP_OPARG_SHIFT;
        }
        var m = t.memory();
        int old = m.readInt(uaddr2);
        int updated = switch (op) {
            case FUTEX_OP_SET -> oparg;
            case FUTEX_OP_ADD -> old + oparg;
            case FUTEX_OP_OR -> old | oparg;
            case FUTEX_OP_ANDN -> old & ~oparg;
            case FUTEX_OP_XOR -> old ^ oparg;
            default -> throw new ErrnoException(Errno.ENOSYS);
        };
        boolean cond = switch (cmp) {
            case 0 -> old == cmparg;
            case 1 -> old != cmparg;
            case 2 -> old < cmparg;
            case 3 -> old <= cmparg;
            case 4 -> old > cmparg;
            case 5 -> old >= cmparg;
            default -> throw new ErrnoException(Errno.ENOSYS);
        };
        m.writeInt(uaddr2, updated);
        var futexes = t.kernel().futexes();
        int woken = futexes.wake(k1, nWake, FUTEX_BITSET_MATCH_ANY);
        if (cond) woken += futexes.wake(k2, nWake2, FUTEX_BITSET_MATCH_ANY);
        return woken;
    }
}
