package dev.nexa.kernel.proc;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** fork/vfork/clone/clone3, execve, wait4/waitid and exit, run end to end in guest programs. */
@Timeout(20)
class ProcessLifecycleTest {
    static final long ECHILD = -10, ENOENT = -2, EAGAIN = -11;

    @Test
    void exitStatusesAsWait4ReportsThem() {
        var r = new GuestRunner(GuestCode.STATUSES).run();
        // 42 << 8; SIGTERM; SIGSEGV and SIGILL without the core bit (RLIMIT_CORE is 0); ECHILD; getppid() of pid 1
        assertArrayEquals(new long[] {0, 0x2a00, 15, 11, 4, ECHILD, 0}, r.words(), r.toString());
        assertEquals(0, r.status());
        assertTrue(r.console().contains("killed by SIGSEGV"), r.console());
    }

    @Test
    void vforkParentWaitsForTheChild() {
        var r = new GuestRunner(GuestCode.VFORK).run();
        // child output first, then the parent sees the child's store, reaps it; the failed execve's errno
        assertArrayEquals(new long[] {0xc, 0x9, 5, 0, ENOENT, 0x700}, r.words(), r.toString());
    }

    @Test
    void clone3LikePosixSpawn() {
        var r = new GuestRunner(GuestCode.CLONE3).run();
        long childSp = r.word(0);
        assertTrue(childSp > 0 && childSp <= 0x8000, "child ran on its own stack: " + r);
        assertEquals(0, r.word(1));
        assertEquals(0x600, r.word(2));
    }

    @Test
    void execveFailureReturnsAndScriptRunsTheInterpreter() {
        var r = new GuestRunner(GuestCode.EXEC).file("script", "#!/prog arg\n").run();
        long script = 0;
        byte[] s = "/script\0".getBytes();
        for (int k = 7; k >= 0; k--) script = script << 8 | (s[k] & 0xff);
        assertArrayEquals(new long[] {1, ENOENT, 4, 0x00677261, script, 'y', 0x00313d45}, r.words(), r.toString());
        assertEquals(44, r.status());
    }

    @Test
    void waitidWithWnowaitAndWnohang() {
        var r = new GuestRunner(GuestCode.WAITID).run();
        assertArrayEquals(new long[] {
                0, 17, 1, 3, 0,          // WNOWAIT: CLD_EXITED, status 3
                0, 17, 1, 3, 0,          // reaped
                ECHILD, 0,               // nothing left: ECHILD, si_signo written as 0
                0, 0,                    // WNOHANG with a live child: 0, si_pid 0
                0, 17, 2, 15, 0},        // killed by SIGTERM: CLD_KILLED
                r.words(), r.toString());
    }

    @Test
    void ignoredSigchldReapsChildren() {
        var r = new GuestRunner(GuestCode.NOCLDWAIT).run();
        assertArrayEquals(new long[] {ECHILD}, r.words(), r.toString());
    }

    @Test
    void forkBeyondTheTaskLimitIsEagain() {
        var r = new GuestRunner(GuestCode.FORKLIMIT).setup(k -> k.setTaskLimit(4)).run();
        assertArrayEquals(new long[] {3, EAGAIN}, r.words(), r.toString());
    }

    @Test
    void stopAndContinueAreReported() {
        var r = new GuestRunner(GuestCode.STOPCONT).run();
        assertArrayEquals(new long[] {0, 0x137f, 0, 0xffff, 0, 0x500}, r.words(), r.toString());
    }

    @Test
    void threadsFutexesAndJoin() {
        var r = new GuestRunner(GuestCode.THREADS).run();
        // EAGAIN for a stale value, ETIMEDOUT; the thread: FS base, one waiter woken; the main
        // thread's wait returns 0; PARENT_SETTID is the thread's id, and gettid() in the thread too
        assertArrayEquals(new long[] {EAGAIN, -110, 0x123000, 1, 0, 0, 0}, r.words(), r.toString());
    }
}
