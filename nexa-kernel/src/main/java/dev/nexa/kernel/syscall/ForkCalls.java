package dev.nexa.kernel.syscall;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.RestartState;
import dev.nexa.kernel.proc.Task;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import static dev.nexa.kernel.Kernel.*;
import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/**
 * fork, vfork, clone and clone3 (kernel/fork.c). The work is {@link Kernel#clone}; these
 * handlers decode the arguments and make a vfork parent wait, killably, until its child execs or
 * exits (wait_for_vfork_done).
 */
final class ForkCalls {
    private ForkCalls() {}

    /** sizeof(struct clone_args) in its three versions. */
    static final int CLONE_ARGS_SIZE_VER0 = 64, CLONE_ARGS_SIZE_VER2 = 88;
    static final long CLONE_NEWTIME = 0x80;

    static void register(SyscallTable t) {
        t.add(FORK, (task, a) -> spawn(task, 0, Signal.SIGCHLD, 0, 0, 0, 0));
        t.add(VFORK, (task, a) -> spawn(task, CLONE_VM | CLONE_VFORK, Signal.SIGCHLD, 0, 0, 0, 0));
        t.add(CLONE, ForkCalls::clone, CODE, PTR, PTR, PTR, PTR);
        t.add(CLONE3, ForkCalls::clone3, PTR, SIZE);
    }

    /** The vfork parent's wait: the child's pid, returned once the child has let go of the memory. */
    private record VforkWait(Task child, int pid) implements RestartState {}

    /** clone(flags, stack, parent_tid, child_tid, tls): the x86-64 argument order. */
    static long clone(Task t, Args a) throws ErrnoException {
        long raw = a.u(0);                      // the kernel keeps only the low 32 bits of the flags
        return spawn(t, raw & ~CSIGNAL, (int) (raw & CSIGNAL), a.l(1), a.l(2), a.l(3), a.l(4));
    }

    /**
     * clone3(struct clone_args *, size): flags, pidfd, child_tid, parent_tid, exit_signal, stack,
     * stack_size, tls, set_tid, set_tid_size, cgroup. The child's stack pointer is stack + size.
     */
    static long clone3(Task t, Args a) throws ErrnoException {
        if (t.restart instanceof VforkWait) return spawn(t, 0, 0, 0, 0, 0, 0);
        long size = a.l(1);
        if (Long.compareUnsigned(size, dev.nexa.mem.Paging.PAGE_SIZE) > 0) throw new ErrnoException(Errno.E2BIG);
        if (size < CLONE_ARGS_SIZE_VER0) throw new ErrnoException(Errno.EINVAL);
        byte[] raw = t.memory().read(a.l(0), (int) size);
        for (int k = CLONE_ARGS_SIZE_VER2; k < raw.length; k++) {
            if (raw[k] != 0) throw new ErrnoException(Errno.E2BIG, "unknown clone_args bytes are not zero");
        }
        ByteBuffer b = ByteBuffer.allocate(CLONE_ARGS_SIZE_VER2).order(ByteOrder.LITTLE_ENDIAN);
        b.put(raw, 0, Math.min(raw.length, CLONE_ARGS_SIZE_VER2));
        long flags = b.getLong(0), childTid = b.getLong(16), parentTid = b.getLong(24), exitSignal = b.getLong(32),
                stack = b.getLong(40), stackSize = b.getLong(48), tls = b.getLong(56), setTid = b.getLong(64),
                setTidSize = b.getLong(72);
        if (setTidSize > 32 || setTid == 0 && setTidSize > 0 || setTid != 0 && setTidSize == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((exitSignal & ~CSIGNAL) != 0 || exitSignal > Signal.NSIG) throw new ErrnoException(Errno.EINVAL);
        // clone3_args_valid
        if ((flags & ~(0xFFFF_FFFFL | CLONE_CLEAR_SIGHAND | CLONE_INTO_CGROUP)) != 0
                || (flags & (CLONE_DETACHED | (CSIGNAL & ~CLONE_NEWTIME))) != 0
                || (flags & (CLONE_THREAD | CLONE_PARENT)) != 0 && exitSignal != 0
                || stack == 0 && stackSize != 0 || stack != 0 && stackSize == 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & CLONE_NEWTIME) != 0 || setTidSize > 0) throw new ErrnoException(Errno.EPERM);
        return spawn(t, flags, (int) exitSignal, stack == 0 ? 0 : stack + stackSize, parentTid, childTid, tls);
    }

    static long spawn(Task t, long flags, int exitSignal, long sp, long parentTid, long childTid, long tls)
            throws ErrnoException {
        if (t.restart instanceof VforkWait w) {
            // Re-executed after a wake-up: done once the child has exec'd or exited.
            if (w.child().vforkPending) throw Blocked.on(w.child().vforkDone).killableOnly();
            t.restart = null;
            return w.pid();
        }
        if ((flags & CLONE_PIDFD) != 0 && (flags & CLONE_PARENT_SETTID) != 0) throw new ErrnoException(Errno.EINVAL);
        Task child = t.kernel().clone(t, flags, exitSignal, sp, parentTid, childTid, tls);
        if ((flags & CLONE_VFORK) != 0) {
            t.restart = new VforkWait(child, child.tid());
            throw Blocked.on(child.vforkDone).killableOnly();
        }
        return child.tid();
    }
}
