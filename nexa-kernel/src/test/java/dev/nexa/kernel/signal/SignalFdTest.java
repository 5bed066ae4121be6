package dev.nexa.kernel.signal;

import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.abi.Sysno;
import dev.nexa.kernel.proc.GuestCode;
import dev.nexa.kernel.proc.SyscallDriver;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.OpenFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** signalfd: records in struct signalfd_siginfo layout, blocking reads, poll readiness. */
class SignalFdTest {
    static final long EAGAIN = -11, EINVAL = -22;
    static final long MASK = GuestCode.SCRATCH, BUF = GuestCode.SCRATCH + 0x100, FDS = GuestCode.SCRATCH + 0x80;

    final SyscallDriver d = new SyscallDriver();
    final Task t = d.init;

    @AfterEach
    void close() { d.close(); }

    @Test
    void readsPendingSignalsOfItsMask() {
        d.write(t, MASK, Signal.bit(Signal.SIGUSR1) | Signal.bit(Signal.SIGCHLD));
        assertEquals(0, d.sys(t, Sysno.RT_SIGPROCMASK, 0, MASK, 0, 8));
        assertEquals(EINVAL, d.sys(t, Sysno.SIGNALFD4, -1, MASK, 4, 0));
        long fd = d.sys(t, Sysno.SIGNALFD4, -1, MASK, 8, OpenFile.O_NONBLOCK);
        assertEquals(EAGAIN, d.sys(t, Sysno.READ, fd, BUF, 128));
        assertEquals(EINVAL, d.sys(t, Sysno.READ, fd, BUF, 64), "smaller than one record");
        d.write(t, FDS, fd | (long) OpenFile.POLLIN << 32);
        assertEquals(0, d.sys(t, Sysno.POLL, FDS, 1, 0));
        assertEquals(0, d.sys(t, Sysno.KILL, 1, Signal.SIGUSR1));
        assertEquals(1, d.sys(t, Sysno.POLL, FDS, 1, 0), "POLLIN while a masked signal is pending");
        assertEquals(128, d.sys(t, Sysno.READ, fd, BUF, 256));
        assertEquals(Signal.SIGUSR1, d.readInt(t, BUF));
        assertEquals(SigInfo.SI_USER, d.readInt(t, BUF + 8));
        assertEquals(1, d.readInt(t, BUF + 12), "ssi_pid");
        assertFalse(t.process().sharedPending.has(Signal.SIGUSR1), "consumed");
        // a child's exit: SIGCHLD with pid, status and times
        Task child = d.fork(t);
        d.sys(child, Sysno.EXIT_GROUP, 9);
        assertEquals(128, d.sys(t, Sysno.READ, fd, BUF, 128));
        assertEquals(Signal.SIGCHLD, d.readInt(t, BUF));
        assertEquals(SigInfo.CLD_EXITED, d.readInt(t, BUF + 8));
        assertEquals(child.process().pid(), d.readInt(t, BUF + 12));
        assertEquals(9, d.readInt(t, BUF + 40), "ssi_status");
    }

    @Test
    void blockingReadWaitsForASignal() {
        d.write(t, MASK, Signal.bit(Signal.SIGUSR2));
        d.sys(t, Sysno.RT_SIGPROCMASK, 0, MASK, 0, 8);
        long fd = d.sys(t, Sysno.SIGNALFD, -1, MASK, 8);
        Task other = d.fork(t);
        d.sys(t, Sysno.READ, fd, BUF, 128);
        assertEquals(Task.State.BLOCKED, t.state());
        d.sys(other, Sysno.KILL, 1, Signal.SIGUSR2);
        assertEquals(Task.State.RUNNABLE, t.state(), "queued signal woke the reader");
        assertEquals(128L, d.resume(t));
        assertEquals(Signal.SIGUSR2, d.readInt(t, BUF));
        assertEquals(other.process().pid(), d.readInt(t, BUF + 12));
    }
}
