package dev.nexa.kernel.proc;

import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.abi.Sysno;
import dev.nexa.kernel.signal.SigInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * waitid's stop/continue reports, restarted blocking calls after a stop, sigtimedwait wake-ups,
 * pselect6 and the CPU-time accounting (getrusage, times, RUSAGE_CHILDREN after a wait).
 */
class WaitAndTimeTest {
    static final long EAGAIN = -11, EINTR = -4;
    static final long BUF = GuestCode.SCRATCH, INFO = GuestCode.SCRATCH + 0x200;
    static final int WEXITED = 4, WSTOPPED = 2, WCONTINUED = 8, WNOHANG = 1, P_PID = 1;

    final SyscallDriver d = new SyscallDriver();
    final Task t = d.init;

    @AfterEach
    void close() { d.close(); }

    @Test
    void waitidReportsStopAndContinueOnce() {
        Task child = d.fork(t);
        int pid = child.process().pid();
        d.sys(t, Sysno.KILL, pid, Signal.SIGSTOP);
        d.kernel.signals().deliverPending(child);
        assertEquals(0, d.sys(t, Sysno.WAITID, P_PID, pid, INFO, WSTOPPED | WNOHANG, 0));
        assertEquals(SigInfo.CLD_STOPPED, d.readInt(t, INFO + 8));
        assertEquals(Signal.SIGSTOP, d.readInt(t, INFO + 24));
        assertEquals(0, d.sys(t, Sysno.WAITID, P_PID, pid, INFO, WSTOPPED | WNOHANG, 0));
        assertEquals(0, d.readInt(t, INFO + 16), "reported once: si_pid 0 the second time");
        d.sys(t, Sysno.KILL, pid, Signal.SIGCONT);
        assertEquals(0, d.sys(t, Sysno.WAITID, P_PID, pid, INFO, WCONTINUED | WNOHANG, 0));
        assertEquals(SigInfo.CLD_CONTINUED, d.readInt(t, INFO + 8));
        assertEquals(Signal.SIGCONT, d.readInt(t, INFO + 24));
        assertEquals(0, d.sys(t, Sysno.WAIT4, pid, BUF, WNOHANG | WSTOPPED | WCONTINUED, 0), "nothing more to report");
    }

    @Test
    void aSyscallStoppedInTheMiddleRestartsOnSigcont() {
        Task child = d.fork(t);
        int pid = child.process().pid();
        d.write(child, BUF, 5, 0);                       // nanosleep 5 s
        d.sys(child, Sysno.NANOSLEEP, BUF, 0);
        assertEquals(Task.State.BLOCKED, child.state());
        d.sys(t, Sysno.KILL, pid, Signal.SIGSTOP);
        d.resume(child);
        assertTrue(child.isStopped(), "woken, interrupted, stopped");
        assertEquals(Sysno.NANOSLEEP, child.cpu().reg(dev.nexa.cpu.Reg.RAX), "set up to run again");
        d.sys(t, Sysno.KILL, pid, Signal.SIGCONT);
        assertTrue(child.runnable());
        // the run loop now executes the SYSCALL again: the sleep goes on to its old deadline
        child.cpu().setRip(child.cpu().rip() + 2);
        d.kernel.dispatcher().dispatch(child);
        assertEquals(Task.State.BLOCKED, child.state());
    }

    @Test
    void sigtimedwaitIsWokenBySignalsOfItsSet() {
        d.write(t, BUF, Signal.bit(Signal.SIGUSR1));
        assertEquals(0, d.sys(t, Sysno.RT_SIGPROCMASK, 0, BUF, 0, 8));
        d.write(t, BUF + 16, 0, 1);                       // 1 ns: expires at once
        assertEquals(EAGAIN, d.sys(t, Sysno.RT_SIGTIMEDWAIT, BUF, INFO, BUF + 16, 8));
        Task other = d.fork(t);
        d.sys(t, Sysno.RT_SIGTIMEDWAIT, BUF, INFO, 0, 8);
        assertEquals(Task.State.BLOCKED, t.state());
        assertEquals(0, t.sigmask & Signal.bit(Signal.SIGUSR1), "the waited-for set is unblocked while waiting");
        d.sys(other, Sysno.KILL, 1, Signal.SIGUSR1);
        assertEquals(Signal.SIGUSR1, d.resume(t));
        assertEquals(other.process().pid(), d.readInt(t, INFO + 16));
        assertEquals(Signal.bit(Signal.SIGUSR1), t.sigmask, "and blocked again afterwards");
    }

    @Test
    void pselect6TimesOutAndWritesTheTimeLeft() {
        d.write(t, BUF, 0, 1_000_000);                   // 1 ms
        d.write(t, BUF + 16, BUF + 32, 8, Signal.bit(Signal.SIGUSR2));
        d.sys(t, Sysno.PSELECT6, 0, 0, 0, 0, BUF, BUF + 16);
        assertEquals(Signal.bit(Signal.SIGUSR2), t.sigmask, "the temporary mask while waiting");
        long deadline = System.nanoTime() + 2_000_000_000L;
        Long r = null;
        while (r == null && System.nanoTime() < deadline) {
            d.kernel.scheduler().fireTimers();
            r = d.resume(t);
        }
        assertEquals(0L, r);
        assertEquals(0, d.read(t, BUF) + d.read(t, BUF + 8), "no time left");
        assertEquals(0, t.sigmask, "the mask is back");
    }

    @Test
    void cpuTimeAccounting() {
        Task child = d.fork(t);
        // give the child some CPU time: one budget of its endless loop
        child.cpu().setRip(GuestCode.BASE);
        var why = child.cpu().run(1_000_000);
        for (int k = 0; k < 3 && why == dev.nexa.cpu.StopReason.FAULT; k++) {
            // demand paging, as the run loop would resolve it
            var f = child.cpu().fault();
            child.process().addressSpace().handleFault(f.address(), false, true);
            why = child.cpu().run(1_000_000);
        }
        long ran = child.cpu().instructions();
        assertTrue(ran >= 1_000_000, why + " after " + ran + " instructions, fault " + child.cpu().fault());
        d.sys(child, Sysno.GETRUSAGE, 0, BUF);
        assertEquals(ran / 1000, d.read(child, BUF) * 1_000_000 + d.read(child, BUF + 8), "ru_utime at 1 ns per instruction");
        d.sys(child, Sysno.EXIT_GROUP, 0);
        assertEquals(child.process().pid(), d.sys(t, Sysno.WAIT4, child.process().pid(), 0, 0, BUF));
        assertEquals(ran / 1000, d.read(t, BUF) * 1_000_000 + d.read(t, BUF + 8), "wait4's rusage is the child's");
        d.sys(t, Sysno.GETRUSAGE, -1, BUF);
        assertEquals(ran / 1000, d.read(t, BUF) * 1_000_000 + d.read(t, BUF + 8), "RUSAGE_CHILDREN after the wait");
        assertTrue(d.sys(t, Sysno.TIMES, BUF) > 0);
        assertEquals(ran / 10_000_000, d.read(t, BUF + 16), "tms_cutime in clock ticks");
    }
}
