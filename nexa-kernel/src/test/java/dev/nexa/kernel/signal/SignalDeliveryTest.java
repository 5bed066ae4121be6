package dev.nexa.kernel.signal;

import dev.nexa.kernel.proc.GuestCode;
import dev.nexa.kernel.proc.GuestRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Handlers on real rt_sigframes, sigreturn, faults, EINTR/SA_RESTART, masks and timers, in guest programs. */
@Timeout(20)
class SignalDeliveryTest {
    static final long EINTR = -4, EAGAIN = -11;
    static final long USR1 = 1L << 9, USR2 = 1L << 11;

    @Test
    void handlerFrameAndSigreturn() {
        var r = new GuestRunner(GuestCode.HANDLER).run();
        assertArrayEquals(new long[] {
                0,                        // rt_sigaction
                10, 10, 0, 1,             // rdi = SIGUSR1; si_signo, si_code SI_USER, si_pid 1
                8,                        // RSP + 8 is 16-byte aligned at handler entry
                USR1,                     // the signal is blocked inside its handler
                0,                        // kill() returned 0 after the handler
                0x1111, 0x2222, 0x7777, 0x1313, 0x1414, 0x1515,   // restored; r12 as the handler edited it
                1, 0},                    // ran once; mask restored
                r.words(), r.toString());
    }

    @Test
    void segvHandlerSeesTheFaultAndResumes() {
        var r = new GuestRunner(GuestCode.SEGV).run();
        assertArrayEquals(new long[] {
                11, 1, 0x1008,            // SIGSEGV, SEGV_MAPERR, si_addr
                0,                        // saved RIP is the faulting load
                14, 4, 0x1008,            // trapno #PF, err (user read, not present), cr2
                0x5eed},                  // resumed past the load with the edited RAX
                r.words(), r.toString());
        // the same fault with SIGSEGV blocked is forced through and kills
        assertEquals(128 + 11, r.status());
        assertTrue(r.console().contains("killed by SIGSEGV"), r.console());
    }

    @Test
    void eintrWithoutSaRestartAndRestartWithIt() {
        var r = new GuestRunner(GuestCode.RESTART).run();
        assertArrayEquals(new long[] {
                EINTR, 1, 9,              // wait4 interrupted; SIGKILLed child
                0, 0x300, 2},             // SA_RESTART: wait4 restarted, returned the child, exit 3
                r.words(), r.toString());
    }

    @Test
    void masksSigsuspendAndSigtimedwait() {
        var r = new GuestRunner(GuestCode.MASKS).run();
        assertArrayEquals(new long[] {
                0, USR1,                  // blocked: not delivered, pending
                EINTR, 1, USR1,           // sigsuspend ran the handler, the old mask is back
                12, 12, 0, 1,             // sigtimedwait: SIGUSR2 with si_signo, SI_USER, si_pid
                EAGAIN},                  // nothing pending, zero timeout
                r.words(), r.toString());
    }

    @Test
    void nanosleepInterruptedWritesTheTimeLeft() {
        var r = new GuestRunner(GuestCode.SLEEPINTR).run();
        assertEquals(4, r.words().length, r.toString());
        assertEquals(EINTR, r.word(0));
        assertTrue(r.word(1) == 9 || r.word(1) == 10, "seconds left: " + r);
        assertEquals(1, r.word(2));
        assertEquals(9, r.word(3));
    }

    @Test
    void alternateSignalStack() {
        var r = new GuestRunner(GuestCode.ALTSTACK).run();
        assertArrayEquals(new long[] {0, 1, 1, GuestCode.SCRATCH, 0, 0x10000}, r.words(), r.toString());
    }

    @Test
    void pollSelectAndPpollWithATemporaryMask() {
        var r = new GuestRunner(GuestCode.POLL).run();
        assertArrayEquals(new long[] {0, 0, 0, EINTR, 1, USR1}, r.words(), r.toString());
    }

    @Test
    void itimerRealInterruptsSigsuspend() {
        var r = new GuestRunner(GuestCode.ALARM).run();
        assertArrayEquals(new long[] {0, EINTR, 1, 0, 100}, r.words(), r.toString());
    }

    @Test
    void badSigreturnFrameIsSigsegv() {
        var r = new GuestRunner(GuestCode.BADFRAME).run();
        assertEquals(128 + 11, r.status(), r.toString());
    }
}
