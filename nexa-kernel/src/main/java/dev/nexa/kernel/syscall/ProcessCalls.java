package dev.nexa.kernel.syscall;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.Vfs;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/** Process identity, exit and per-task registration calls. */
final class ProcessCalls {
    private ProcessCalls() {}

    static final int ARCH_SET_GS = 0x1001, ARCH_SET_FS = 0x1002, ARCH_GET_FS = 0x1003, ARCH_GET_GS = 0x1004,
            ARCH_GET_CPUID = 0x1011, ARCH_SET_CPUID = 0x1012;

    static void register(SyscallTable t) {
        t.add(EXIT, ProcessCalls::exit, INT);
        t.add(EXIT_GROUP, ProcessCalls::exitGroup, INT);
        t.add(GETPID, (task, a) -> task.process().pid());
        t.add(GETPPID, (task, a) -> task.process().ppid());
        t.add(GETTID, (task, a) -> task.tid());
        t.add(GETUID, (task, a) -> task.process().uid);
        t.add(GETEUID, (task, a) -> task.process().euid);
        t.add(GETGID, (task, a) -> task.process().gid);
        t.add(GETEGID, (task, a) -> task.process().egid);
        t.add(GETPGRP, (task, a) -> task.process().pgid);
        t.add(GETSID, ProcessCalls::getsid, INT);
        t.add(GETPGID, ProcessCalls::getpgid, INT);
        t.add(GETRESUID, (task, a) -> resIds(task, a, task.process().uid, task.process().euid), PTR, PTR, PTR);
        t.add(GETRESGID, (task, a) -> resIds(task, a, task.process().gid, task.process().egid), PTR, PTR, PTR);
        t.add(GETGROUPS, (task, a) -> 0, INT, PTR);
        t.add(SET_TID_ADDRESS, ProcessCalls::setTidAddress, PTR);
        t.add(ARCH_PRCTL, ProcessCalls::archPrctl, CODE, PTR);
        t.add(PRCTL, ProcessCalls::prctl, INT, PTR, PTR, PTR, PTR);
        t.add(EXECVE, ProcessCalls::execve, STRING, PTR, PTR);
        t.add(EXECVEAT, ProcessCalls::execveat, DIRFD, STRING, PTR, PTR, CODE);
        t.add(SETPGID, ProcessCalls::setpgid, INT, INT);
        t.add(SETSID, ProcessCalls::setsid);
    }

    private static Kernel kernel(Task t) { return t.kernel(); }

    /** exit(2) ends the calling thread; the last one to go ends the process with this code. */
    static long exit(Task t, Args a) {
        kernel(t).exitThread(t, a.i(0));
        return 0;
    }

    static long exitGroup(Task t, Args a) {
        kernel(t).exitProcess(t.process(), (a.i(0) & 0xff) << 8);
        return 0;
    }

    /** The process a pid names: a process, or the thread group of a thread id; null if none. */
    static Process processOf(Task t, int pid) {
        if (pid == 0) return t.process();
        Process p = kernel(t).process(pid);
        if (p != null) return p;
        Task th = kernel(t).task(pid);
        return th == null ? null : th.process();
    }

    static long getsid(Task t, Args a) throws ErrnoException {
        Process p = processOf(t, a.i(0));
        if (p == null) throw new ErrnoException(Errno.ESRCH);
        return p.sid;
    }

    static long getpgid(Task t, Args a) throws ErrnoException {
        Process p = processOf(t, a.i(0));
        if (p == null) throw new ErrnoException(Errno.ESRCH);
        return p.pgid;
    }

    /**
     * setpgid(2) with kernel/sys.c's rules: the target is the caller or one of its children
     * (ESRCH otherwise) that has not exec'd (EACCES) and is in the caller's session (EPERM);
     * session leaders cannot move (EPERM), and the group joined must exist in the same session
     * (EPERM) unless it is the target's own pid.
     */
    static long setpgid(Task t, Args a) throws ErrnoException {
        Process self = t.process();
        int pid = a.i(0) == 0 ? self.pid() : a.i(0);
        int pgid = a.i(1) == 0 ? pid : a.i(1);
        if (pgid < 0) throw new ErrnoException(Errno.EINVAL);
        Process p = kernel(t).process(pid);
        if (p == null) {
            if (kernel(t).task(pid) != null) throw new ErrnoException(Errno.EINVAL);    // not a group leader
            throw new ErrnoException(Errno.ESRCH);
        }
        if (p.parent() == self) {
            if (p.sid != self.sid) throw new ErrnoException(Errno.EPERM);
            if (p.didExec) throw new ErrnoException(Errno.EACCES);
        } else if (p != self) {
            throw new ErrnoException(Errno.ESRCH);
        }
        if (p.sessionLeader) throw new ErrnoException(Errno.EPERM);
        if (pgid != pid) {
            boolean found = false;
            for (Process g : kernel(t).processes()) {
                if (g.pgid == pgid && g.sid == self.sid) {
                    found = true;
                    break;
                }
            }
            if (!found) throw new ErrnoException(Errno.EPERM);
        }
        p.pgid = pgid;
        return 0;
    }

    /** setsid(2): EPERM for a group leader (a group with our pid exists); else a new session and group. */
    static long setsid(Task t, Args a) throws ErrnoException {
        Process self = t.process();
        if (self.sessionLeader) throw new ErrnoException(Errno.EPERM);
        for (Process g : kernel(t).processes()) {
            if (g.pgid == self.pid()) throw new ErrnoException(Errno.EPERM);
        }
        self.sessionLeader = true;
        self.sid = self.pid();
        self.pgid = self.pid();
        self.tty = null;                               // proc_clear_tty: a new session has no terminal
        return self.sid;
    }

    private static long resIds(Task t, Args a, int real, int effective) throws ErrnoException {
        t.memory().writeInt(a.l(0), real);
        t.memory().writeInt(a.l(1), effective);
        t.memory().writeInt(a.l(2), effective);
        return 0;
    }

    static long setTidAddress(Task t, Args a) {
        t.clearChildTid = a.l(0);
        return t.tid();
    }

    /** arch_prctl(2): the FS/GS bases (thread pointers) and the CPUID-faulting query. */
    static long archPrctl(Task t, Args a) throws ErrnoException {
        long addr = a.l(1);
        switch (a.i(0)) {
            case ARCH_SET_FS -> {
                if (!canonicalUser(addr)) throw new ErrnoException(Errno.EPERM);
                t.cpu().setFsBase(addr);
            }
            case ARCH_SET_GS -> {
                if (!canonicalUser(addr)) throw new ErrnoException(Errno.EPERM);
                t.cpu().setGsBase(addr);
            }
            case ARCH_GET_FS -> t.memory().writeLong(addr, t.cpu().fsBase());
            case ARCH_GET_GS -> t.memory().writeLong(addr, t.cpu().gsBase());
            case ARCH_GET_CPUID -> { return 1; }
            case ARCH_SET_CPUID -> throw new ErrnoException(Errno.ENODEV);
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        return 0;
    }

    private static boolean canonicalUser(long addr) {
        return addr >= 0 && addr < dev.nexa.mem.Paging.USER_END;
    }

    static final int PR_SET_NAME = 15, PR_GET_NAME = 16, PR_SET_PDEATHSIG = 1, PR_GET_PDEATHSIG = 2,
            PR_GET_DUMPABLE = 3, PR_SET_DUMPABLE = 4, PR_SET_CHILD_SUBREAPER = 36, PR_GET_CHILD_SUBREAPER = 37,
            PR_SET_NO_NEW_PRIVS = 38, PR_GET_NO_NEW_PRIVS = 39;

    static long prctl(Task t, Args a) throws ErrnoException {
        switch (a.i(0)) {
            case PR_SET_NAME -> {
                byte[] name = t.memory().read(a.l(1), 16);
                int n = 0;
                while (n < 15 && name[n] != 0) n++;
                t.process().setCommand(new String(name, 0, n, java.nio.charset.StandardCharsets.UTF_8));
                return 0;
            }
            case PR_GET_NAME -> {
                byte[] b = java.util.Arrays.copyOf(t.process().command().getBytes(java.nio.charset.StandardCharsets.UTF_8), 16);
                b[15] = 0;
                t.memory().write(a.l(1), b);
                return 0;
            }
            case PR_SET_PDEATHSIG -> {
                long sig = a.l(1);
                if (sig < 0 || sig > dev.nexa.kernel.abi.Signal.NSIG) throw new ErrnoException(Errno.EINVAL);
                t.pdeathSignal = (int) sig;
                return 0;
            }
            case PR_GET_PDEATHSIG -> {
                t.memory().writeInt(a.l(1), t.pdeathSignal);
                return 0;
            }
            case PR_SET_CHILD_SUBREAPER -> {
                t.process().childSubreaper = a.l(1) != 0;
                return 0;
            }
            case PR_GET_CHILD_SUBREAPER -> {
                t.memory().writeInt(a.l(1), t.process().childSubreaper ? 1 : 0);
                return 0;
            }
            case PR_SET_DUMPABLE, PR_SET_NO_NEW_PRIVS -> { return 0; }
            case PR_GET_DUMPABLE -> { return 1; }
            case PR_GET_NO_NEW_PRIVS -> { return 0; }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }

    /**
     * execve(2): argv and envp are read before anything changes; a failure returns the errno
     * with the caller untouched, success does not return (the registers are the new program's).
     */
    static long execve(Task t, Args a) throws ErrnoException {
        String path = t.memory().readString(a.l(0), 4096);
        var argv = t.memory().readStringArray(a.l(1), 0x7FFFFFFF, 2 << 20);
        var envp = t.memory().readStringArray(a.l(2), 0x7FFFFFFF, 2 << 20);
        kernel(t).exec(t, Vfs.AT_FDCWD, path, 0, argv, envp);
        return SyscallHandler.REGISTERS_SET;
    }

    static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_EMPTY_PATH = 0x1000;

    /**
     * execveat(2): a path relative to a directory descriptor; AT_SYMLINK_NOFOLLOW refuses a final
     * symlink (ELOOP). Executing the descriptor itself (AT_EMPTY_PATH with "") is not supported:
     * ENOSYS.
     */
    static long execveat(Task t, Args a) throws ErrnoException {
        int flags = a.i(4);
        if ((flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) throw new ErrnoException(Errno.EINVAL);
        String path = t.memory().readString(a.l(1), 4096);
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
            throw new ErrnoException(Errno.ENOSYS, "execveat(AT_EMPTY_PATH) is not supported");
        }
        var argv = t.memory().readStringArray(a.l(2), 0x7FFFFFFF, 2 << 20);
        var envp = t.memory().readStringArray(a.l(3), 0x7FFFFFFF, 2 << 20);
        int openFlags = (flags & AT_SYMLINK_NOFOLLOW) != 0 ? dev.nexa.kernel.vfs.OpenFile.O_NOFOLLOW : 0;
        kernel(t).exec(t, a.i(0), path, openFlags, argv, envp);
        return SyscallHandler.REGISTERS_SET;
    }
}
