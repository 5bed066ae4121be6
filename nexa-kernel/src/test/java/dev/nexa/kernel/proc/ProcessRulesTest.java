package dev.nexa.kernel.proc;

import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.abi.Sysno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The errno rules of process groups, sessions, kill, clone and wait, driven syscall by syscall. */
class ProcessRulesTest {
    static final long EPERM = -1, ESRCH = -3, E2BIG = -7, ECHILD = -10, EACCES = -13, EINVAL = -22;
    static final long ARGS = GuestCode.SCRATCH;

    final SyscallDriver d = new SyscallDriver();

    @AfterEach
    void close() { d.close(); }

    @Test
    void setpgidRules() {
        Task init = d.init;
        Task child = d.fork(init);
        int cpid = child.process().pid();
        assertEquals(EINVAL, d.sys(init, Sysno.SETPGID, cpid, -1));
        assertEquals(ESRCH, d.sys(child, Sysno.SETPGID, 1, 1), "the parent is not the caller's child");
        assertEquals(EPERM, d.sys(init, Sysno.SETPGID, cpid, 4242), "no such group in the session");
        assertEquals(0, d.sys(init, Sysno.SETPGID, cpid, 0), "a child may get its own group");
        assertEquals(cpid, child.process().pgid);
        assertEquals(0, d.sys(init, Sysno.SETPGID, cpid, 1), "and join its parent's again");
        assertEquals(1, d.sys(child, Sysno.GETPGID, 0));
        // a child that has exec'd may not be moved by its parent
        Task other = d.fork(init);
        try {
            d.kernel.exec(other, "/prog", List.of("/prog"), List.of());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertEquals(EACCES, d.sys(init, Sysno.SETPGID, other.process().pid(), 0));
        // a session leader may not change its group, nor a child in another session
        assertEquals(cpid, d.sys(child, Sysno.SETSID));
        assertEquals(EPERM, d.sys(child, Sysno.SETSID), "already a session leader");
        assertEquals(EPERM, d.sys(init, Sysno.SETPGID, cpid, 0), "other session");
        assertEquals(cpid, d.sys(init, Sysno.GETSID, cpid));
        assertEquals(EPERM, d.sys(init, Sysno.SETSID), "pid 1 leads process group 1");
        assertEquals(ESRCH, d.sys(init, Sysno.GETSID, 4242));
    }

    @Test
    void setpgidOnAThreadIdIsEinval() {
        long flags = 0x3d0f00 & ~0x80000L;   // pthread_create's flags without SETTLS
        long tid = d.sys(d.init, Sysno.CLONE, flags, GuestCode.SCRATCH + 0x8000, ARGS, ARGS + 8, 0);
        assertTrue(tid > 1);
        assertEquals(EINVAL, d.sys(d.init, Sysno.SETPGID, tid, 0));
        assertEquals(1, d.sys(d.init, Sysno.GETPGID, tid), "a thread id names its process");
    }

    @Test
    void killTargets() {
        Task init = d.init;
        Task a = d.fork(init), b = d.fork(init);
        assertEquals(EINVAL, d.sys(init, Sysno.KILL, a.process().pid(), 65));
        assertEquals(ESRCH, d.sys(init, Sysno.KILL, 4242, 0));
        assertEquals(0, d.sys(init, Sysno.KILL, a.process().pid(), 0));
        // a zombie still exists for kill(2)
        d.sys(a, Sysno.EXIT_GROUP, 3);
        assertTrue(a.process().isZombie());
        assertEquals(0, d.sys(init, Sysno.KILL, a.process().pid(), Signal.SIGTERM));
        // kill(-1) reaches everyone but pid 1 and the caller
        assertEquals(0, d.sys(b, Sysno.KILL, -1, Signal.SIGUSR2));
        assertFalse(init.process().sharedPending.has(Signal.SIGUSR2) || init.pending.has(Signal.SIGUSR2));
        assertEquals(ESRCH, d.sys(init, Sysno.KILL, -4242, 0), "no such group");
        // a group kill
        assertEquals(0, d.sys(init, Sysno.SETPGID, b.process().pid(), 0));
        assertEquals(0, d.sys(init, Sysno.KILL, -b.process().pid(), Signal.SIGKILL));
        d.kernel.signals().deliverPending(b);
        assertTrue(b.process().isZombie());
        assertEquals(Signal.SIGKILL, b.process().waitStatus());
        // tgkill checks the thread group
        assertEquals(EINVAL, d.sys(init, Sysno.TGKILL, 0, 1, 0));
        assertEquals(ESRCH, d.sys(init, Sysno.TGKILL, 2, 1, 0));
        assertEquals(0, d.sys(init, Sysno.TGKILL, 1, 1, 0));
    }

    @Test
    void cloneFlagValidation() {
        Task init = d.init;
        assertEquals(EINVAL, d.sys(init, Sysno.CLONE, 0x10000 | 0x100, 0, 0, 0, 0), "THREAD without SIGHAND");
        assertEquals(EINVAL, d.sys(init, Sysno.CLONE, 0x800, 0, 0, 0, 0), "SIGHAND without VM");
        assertEquals(EPERM, d.sys(init, Sysno.CLONE, 0x20000000 | Signal.SIGCHLD, 0, 0, 0, 0), "CLONE_NEWPID");
        assertEquals(EINVAL, d.sys(init, Sysno.CLONE, 0x8000 | Signal.SIGCHLD, 0, 0, 0, 0), "pid 1 has no parent to share");
        // clone3's struct clone_args
        assertEquals(EINVAL, d.sys(init, Sysno.CLONE3, ARGS, 63));
        assertEquals(E2BIG, d.sys(init, Sysno.CLONE3, ARGS, 4097));
        d.write(init, ARGS, new long[12]);
        d.write(init, ARGS + 88, 1);
        assertEquals(E2BIG, d.sys(init, Sysno.CLONE3, ARGS, 96), "non-zero bytes past the known fields");
        d.write(init, ARGS + 88, 0);
        d.write(init, ARGS, 0x10000 | 0x800 | 0x100, 0, 0, 0, Signal.SIGCHLD);
        assertEquals(EINVAL, d.sys(init, Sysno.CLONE3, ARGS, 88), "a thread with an exit signal");
        d.write(init, ARGS, Signal.SIGCHLD, 0, 0, 0, 0);
        assertEquals(EINVAL, d.sys(init, Sysno.CLONE3, ARGS, 88), "CSIGNAL bits in clone3's flags");
        d.write(init, ARGS, 0, 0, 0, 0, Signal.SIGCHLD, 0, 4096);
        assertEquals(EINVAL, d.sys(init, Sysno.CLONE3, ARGS, 88), "a stack size without a stack");
        d.write(init, ARGS, 0, 0, 0, 0, Signal.SIGCHLD, 0, 0);
        long pid = d.sys(init, Sysno.CLONE3, ARGS, 64);
        assertTrue(pid > 1, "a plain fork through clone3: " + pid);
        assertEquals(0, d.kernel.task((int) pid).cpu().reg(dev.nexa.cpu.Reg.RAX));
    }

    @Test
    void childTidWritesAndExitSignal() {
        Task init = d.init;
        d.write(init, ARGS, -1, -1);
        long flags = 0x100000 | 0x1000000 | 0x200000;     // PARENT_SETTID | CHILD_SETTID | CHILD_CLEARTID
        long pid = d.sys(init, Sysno.CLONE, flags, 0, ARGS, ARGS + 8, 0);
        Task child = d.kernel.task((int) pid);
        assertEquals(pid, d.readInt(init, ARGS), "parent_tid in the parent");
        assertEquals(-1, d.readInt(init, ARGS + 8), "the child's copy-on-write memory got child_tid, not the parent's");
        assertEquals(pid, d.readInt(child, ARGS + 8));
        assertEquals(ARGS + 8, child.clearChildTid);
        assertEquals(0, child.process().exitSignal, "no exit signal: a \"clone\" child");
        long wopts = 1;   // WNOHANG
        assertEquals(ECHILD, d.sys(init, Sysno.WAIT4, -1, 0, wopts, 0), "not waitable without __WCLONE");
        assertEquals(0, d.sys(init, Sysno.WAIT4, -1, 0, wopts | 0x80000000L, 0), "__WCLONE sees it");
        assertEquals(0, d.sys(init, Sysno.WAIT4, -1, 0, wopts | 0x40000000L, 0), "__WALL too");
    }

    @Test
    void waitOptionValidation() {
        Task init = d.init;
        d.fork(init);
        assertEquals(EINVAL, d.sys(init, Sysno.WAIT4, -1, 0, 0x10, 0));
        assertEquals(ESRCH, d.sys(init, Sysno.WAIT4, Integer.MIN_VALUE, 0, 0, 0));
        assertEquals(EINVAL, d.sys(init, Sysno.WAITID, 0, 0, 0, 1, 0), "no WEXITED/WSTOPPED/WCONTINUED");
        assertEquals(EINVAL, d.sys(init, Sysno.WAITID, 1, 0, 0, 4, 0), "P_PID 0");
        assertEquals(EINVAL, d.sys(init, Sysno.WAITID, 7, 0, 0, 4, 0), "unknown idtype");
        assertEquals(ECHILD, d.sys(init, Sysno.WAIT4, 4242, 0, 0, 0));
    }

    @Test
    void coreDumpBitFollowsRlimitCore() {
        Task init = d.init;
        Task a = d.fork(init);
        d.sys(init, Sysno.KILL, a.process().pid(), Signal.SIGABRT);
        d.kernel.signals().deliverPending(a);
        assertEquals(Signal.SIGABRT, a.process().waitStatus(), "RLIMIT_CORE 0: no core, no 0x80");
        d.write(init, ARGS, -1, -1);
        assertEquals(0, d.sys(init, Sysno.SETRLIMIT, 4, ARGS));
        Task b = d.fork(init);
        d.sys(init, Sysno.KILL, b.process().pid(), Signal.SIGSEGV);
        d.kernel.signals().deliverPending(b);
        assertEquals(Signal.SIGSEGV | 0x80, b.process().waitStatus());
        d.write(init, ARGS + 16, 0);
        assertEquals(b.process().pid(), d.sys(init, Sysno.WAIT4, b.process().pid(), ARGS + 16, 0, 0));
        assertEquals(0x8b, d.readInt(init, ARGS + 16), "WCOREDUMP in the status");
        assertNull(d.kernel.process(b.process().pid()), "reaped");
    }

    @Test
    void orphansGoToPidOneAndPdeathSignal() {
        Task init = d.init;
        Task mid = d.fork(init);
        Task leaf = d.fork(mid);
        assertEquals(0, d.sys(leaf, Sysno.PRCTL, 1, Signal.SIGUSR1));
        d.sys(mid, Sysno.EXIT_GROUP, 0);
        assertEquals(1, leaf.process().ppid());
        assertTrue(leaf.process().sharedPending.has(Signal.SIGUSR1), "PR_SET_PDEATHSIG");
        assertEquals(1, d.sys(leaf, Sysno.GETPPID));
    }

    @Test
    void childSubreaperAdoptsOrphans() {
        Task init = d.init;
        Task reaper = d.fork(init);
        assertEquals(0, d.sys(reaper, Sysno.PRCTL, 36, 1));
        Task mid = d.fork(reaper);
        Task leaf = d.fork(mid);
        d.sys(mid, Sysno.EXIT_GROUP, 0);
        assertEquals(reaper.process().pid(), leaf.process().ppid());
    }

    @Test
    void threadExitClearsTidAndRobustFutexesGetOwnerDied() {
        Task init = d.init;
        long flags = 0x3d0f00 & ~0x80000L;
        long head = ARGS + 0x100, lock = ARGS + 0x200, ctid = ARGS + 8;
        long tid = d.sys(init, Sysno.CLONE, flags, GuestCode.SCRATCH + 0x8000, ARGS, ctid, 0);
        Task th = d.kernel.task((int) tid);
        assertNotNull(th);
        // robust_list_head {list.next, futex_offset, list_op_pending}; one entry whose lock word
        // (entry + offset) is held by the thread with waiters.
        long entry = ARGS + 0x180;
        d.write(th, head, entry, lock - entry, 0);
        d.write(th, entry, head);
        d.write(th, lock, (long) (0x8000_0000 | (int) tid) & 0xffff_ffffL);
        assertEquals(0, d.sys(th, Sysno.SET_ROBUST_LIST, head, 24));
        d.sys(th, Sysno.EXIT, 0);
        assertTrue(th.isExited());
        assertEquals(0, d.readInt(init, ctid), "clear_child_tid");
        assertEquals(0xC000_0000, d.readInt(init, lock), "FUTEX_WAITERS | FUTEX_OWNER_DIED");
        assertFalse(init.process().isZombie(), "the process lives on with its main thread");
    }

    @Test
    void execKillsTheOtherThreads() throws Exception {
        Task init = d.init;
        long flags = 0x3d0f00 & ~0x80000L;
        long tid = d.sys(init, Sysno.CLONE, flags, GuestCode.SCRATCH + 0x8000, ARGS, ARGS + 8, 0);
        Task th = d.kernel.task((int) tid);
        d.kernel.exec(th, "/prog", List.of("/prog"), List.of());
        assertEquals(1, init.process().threads().size());
        assertEquals(1, th.tid(), "the exec'ing thread takes over the process id");
        assertTrue(init.isExited());
        assertEquals(th, d.kernel.task(1));
    }
}
