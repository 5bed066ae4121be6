package dev.nexa.kernel.proc;

import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.abi.Sysno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** nexa run's model: the program is the child of a pid-1 stand-in for the host process that launched it. */
class HostParentTest {
    final SyscallDriver d = new SyscallDriver(true);
    final Task prog = d.init;

    @AfterEach
    void close() { d.close(); }

    @Test
    void theProgramHasAParentAndASession() {
        assertEquals(2, d.sys(prog, Sysno.GETPID));
        assertEquals(1, d.sys(prog, Sysno.GETPPID));
        assertEquals(1, d.sys(prog, Sysno.GETPGID, 0), "in the launcher's group, as a non-interactive shell's child");
        assertEquals(1, d.sys(prog, Sysno.GETSID, 0));
        assertEquals(SignalAction.SIG_DFL, prog.process().action(Signal.SIGCHLD).handler(),
                "the stand-in ignores SIGCHLD, the program starts with the defaults");
        assertEquals(2, d.sys(prog, Sysno.SETSID), "not a group leader: setsid works");
    }

    @Test
    void orphansAreReapedByTheStandIn() {
        Task child = d.fork(prog);
        Task grandchild = d.fork(child);
        d.sys(child, Sysno.EXIT_GROUP, 0);
        assertEquals(1, grandchild.process().ppid());
        d.sys(grandchild, Sysno.EXIT_GROUP, 0);
        assertNull(d.kernel.process(grandchild.process().pid()), "reaped at once, no zombie left");
        assertEquals(0, d.sys(prog, Sysno.KILL, 1, Signal.SIGKILL), "pid 1 exists and shrugs the signal off");
        assertTrue(d.kernel.process(1) != null);
    }

    @Test
    void theProgramsExitEndsTheRunWithItsStatus() {
        d.sys(prog, Sysno.EXIT_GROUP, 7);
        assertTrue(prog.process().isZombie());
        assertEquals(7, prog.process().shellStatus());
        assertFalse(d.kernel.scheduler().hasRunnable());
    }
}
