package dev.nexa.kernel.signal;

import dev.nexa.cpu.Cpu;
import dev.nexa.cpu.Fault;
import dev.nexa.cpu.Reg;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.abi.Sysno;
import dev.nexa.kernel.proc.GuestCode;
import dev.nexa.kernel.proc.SignalAction;
import dev.nexa.kernel.proc.SyscallDriver;
import dev.nexa.kernel.proc.Task;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The rt_sigframe byte for byte (arch/x86/kernel/signal_64.c), the FPU image, nesting, the
 * sigaction flags, sigaltstack, queued siginfos and job-control signals, driven from Java.
 */
class SignalFrameTest {
    static final long EPERM = -1, EINVAL = -22, ENOMEM = -12;
    static final long ACT = GuestCode.SCRATCH, OLD = GuestCode.SCRATCH + 0x40, BUF = GuestCode.SCRATCH + 0x100;
    static final long HANDLER = 0x401100, HANDLER2 = 0x401200, RESTORER = 0x401300;
    static final long STACK = GuestCode.SCRATCH + 0x80000;

    final SyscallDriver d = new SyscallDriver();
    final Task t = d.init;

    @AfterEach
    void close() { d.close(); }

    long sigaction(int sig, long handler, long flags, long mask) {
        d.write(t, ACT, handler, flags, RESTORER, mask);
        return d.sys(t, Sysno.RT_SIGACTION, sig, ACT, 0, 8);
    }

    void setRegisters() {
        Cpu c = t.cpu();
        for (int r = 0; r < 16; r++) c.setReg(r, 0x1000 + r);
        c.setReg(Reg.RSP, STACK);
        c.setRip(0x401050);
        for (int n = 0; n < 16; n++) c.setXmm(n, 0x1111_0000L + n, 0x2222_0000L + n);
        c.setMxcsr(0x1f80 | 0x6000);      // round toward zero
        // MMX in use (TOP 0, all tags valid, MM3 written), loaded through the FXSAVE image
        byte[] fx = new byte[Cpu.FXSAVE_SIZE];
        c.saveFpuState(fx);
        fx[4] = (byte) 0xff;
        var b = java.nio.ByteBuffer.wrap(fx).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(32 + 16 * 3, 0x0123_4567_89ab_cdefL).putShort(40 + 16 * 3, (short) 0xffff);
        assertTrue(c.restoreFpuState(fx));
    }

    static long mm3(Cpu c) {
        byte[] fx = new byte[Cpu.FXSAVE_SIZE];
        c.saveFpuState(fx);
        return java.nio.ByteBuffer.wrap(fx).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong(32 + 16 * 3);
    }

    @Test
    void frameLayoutAndSigreturn() {
        assertEquals(0, sigaction(Signal.SIGUSR1, HANDLER, SignalAction.SA_SIGINFO | SignalAction.SA_RESTORER,
                Signal.bit(Signal.SIGUSR2)));
        t.sigmask = Signal.bit(Signal.SIGHUP);
        setRegisters();
        long rflags = t.cpu().rflags();
        d.kernel.signals().sendTask(t, SigInfo.kill(Signal.SIGUSR1, SigInfo.SI_TKILL, 7, 8));
        d.kernel.signals().deliverPending(t);
        Cpu c = t.cpu();
        long frame = c.reg(Reg.RSP);
        assertEquals(HANDLER, c.rip());
        assertEquals(0, (frame + 8) & 15, "entered as if called: RSP+8 is 16-byte aligned");
        assertEquals(Signal.SIGUSR1, c.reg(Reg.RDI));
        assertEquals(frame + 312, c.reg(Reg.RSI), "&info");
        assertEquals(frame + 8, c.reg(Reg.RDX), "&uc");
        assertEquals(0, c.reg(Reg.RAX));
        long fp = d.read(t, frame + 8 + 40 + 184);
        assertEquals(0, fp & 63, "fpstate is 64-byte aligned");
        assertTrue(fp >= frame + 440 && fp + 512 <= STACK - 128, "fpstate between the frame and the red zone");
        assertEquals(RESTORER, d.read(t, frame), "pretcode = sa_restorer");
        assertEquals(6, d.read(t, frame + 8), "uc_flags: UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS");
        assertEquals(0, d.read(t, frame + 16), "uc_link");
        // struct sigcontext: r8..r15, rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags
        int[] order = {Reg.R8, Reg.R9, Reg.R10, Reg.R11, Reg.R12, Reg.R13, Reg.R14, Reg.R15, Reg.RDI, Reg.RSI,
                Reg.RBP, Reg.RBX, Reg.RDX, Reg.RAX, Reg.RCX};
        for (int k = 0; k < order.length; k++) assertEquals(0x1000 + order[k], d.read(t, frame + 48 + 8 * k), "reg " + k);
        assertEquals(STACK, d.read(t, frame + 48 + 120));
        assertEquals(0x401050, d.read(t, frame + 48 + 128));
        assertEquals(rflags, d.read(t, frame + 48 + 136));
        assertEquals(0x002b_0000_0000_0033L, d.read(t, frame + 48 + 144), "cs 0x33, gs 0, fs 0, ss 0x2b");
        assertEquals(Signal.bit(Signal.SIGHUP), d.read(t, frame + 48 + 168), "oldmask");
        assertEquals(Signal.bit(Signal.SIGHUP), d.read(t, frame + 304), "uc_sigmask");
        assertEquals(Signal.SIGUSR1, d.readInt(t, frame + 312));
        assertEquals(SigInfo.SI_TKILL, d.readInt(t, frame + 312 + 8));
        assertEquals(7, d.readInt(t, frame + 312 + 16));
        assertEquals(8, d.readInt(t, frame + 312 + 20));
        // the FXSAVE image holds the interrupted MXCSR and XMM registers
        assertEquals(0x7f80, d.readInt(t, fp + 24));
        assertEquals(0x1111_0003L, d.read(t, fp + 160 + 16 * 3));
        assertEquals(0x2222_0003L, d.read(t, fp + 160 + 16 * 3 + 8));
        assertEquals(0xff, d.readInt(t, fp + 4) & 0xff, "abridged tag byte: all valid");
        assertEquals(0x0123_4567_89ab_cdefL, d.read(t, fp + 32 + 16 * 3), "MM3 in ST3's significand");
        assertEquals(0xffff, d.readInt(t, fp + 40 + 16 * 3) & 0xffff, "and an all-ones exponent");
        // the handler starts with the FPU in its init state, the signal and sa_mask blocked
        assertEquals(0x1f80, c.mxcsr());
        assertEquals(0, c.xmmLow(3));
        assertEquals(0, mm3(c));
        assertEquals(Signal.bit(Signal.SIGHUP) | Signal.bit(Signal.SIGUSR1) | Signal.bit(Signal.SIGUSR2), t.sigmask);
        // the handler edits the saved RAX; rt_sigreturn (from the restorer: RSP = frame + 8)
        d.write(t, frame + 48 + 104, 0x5eed);
        c.setReg(Reg.RSP, frame + 8);
        for (int r = 0; r < 16; r++) if (r != Reg.RSP) c.setReg(r, -1);
        assertEquals(0x5eed, d.sys(t, Sysno.RT_SIGRETURN));
        assertEquals(0x401050, c.rip());
        assertEquals(STACK, c.reg(Reg.RSP));
        assertEquals(0x100b, c.reg(Reg.R11));
        assertEquals(0x1000 + Reg.RBX, c.reg(Reg.RBX));
        assertEquals(0x7f80, c.mxcsr());
        assertEquals(0x2222_000fL, c.xmmHigh(15));
        assertEquals(0x0123_4567_89ab_cdefL, mm3(c), "MMX state restored");
        assertEquals(Signal.bit(Signal.SIGHUP), t.sigmask);
    }

    @Test
    void badFpuImageIsSigsegv() {
        sigaction(Signal.SIGUSR1, HANDLER, SignalAction.SA_RESTORER, 0);
        sigaction(Signal.SIGSEGV, HANDLER2, SignalAction.SA_SIGINFO | SignalAction.SA_RESTORER, 0);
        setRegisters();
        d.kernel.signals().sendTask(t, SigInfo.kill(Signal.SIGUSR1, SigInfo.SI_USER, 1, 0));
        d.kernel.signals().deliverPending(t);
        long frame = t.cpu().reg(Reg.RSP);
        long fp = d.read(t, frame + 8 + 40 + 184);
        d.write(t, fp + 24, 0x1_0000_1f80L & 0xffff_ffffL | 0x10000);    // a reserved MXCSR bit
        t.cpu().setReg(Reg.RSP, frame + 8);
        d.sys(t, Sysno.RT_SIGRETURN);
        assertEquals(HANDLER2, t.cpu().rip(), "SIGSEGV delivered to its handler");
        assertEquals(SigInfo.SI_KERNEL, d.readInt(t, t.cpu().reg(Reg.RSI) + 8));
    }

    @Test
    void nestedFramesAndFlags() {
        sigaction(Signal.SIGUSR1, HANDLER, SignalAction.SA_RESTORER | SignalAction.SA_NODEFER | SignalAction.SA_RESETHAND, 0);
        sigaction(Signal.SIGUSR2, HANDLER2, SignalAction.SA_RESTORER, 0);
        setRegisters();
        var s = d.kernel.signals();
        s.sendTask(t, SigInfo.kill(Signal.SIGUSR2, SigInfo.SI_USER, 1, 0));
        s.sendTask(t, SigInfo.kill(Signal.SIGUSR1, SigInfo.SI_USER, 1, 0));
        s.deliverPending(t);
        // SIGUSR1 (lower number) was set up first, SIGUSR2 on top: its handler runs first
        assertEquals(HANDLER2, t.cpu().rip());
        long top = t.cpu().reg(Reg.RSP);
        long under = d.read(t, top + 8 + 40 + 120);        // the saved RSP of the inner frame
        assertTrue(under < STACK && top < under - 128, "frames nest on the stack");
        assertEquals(HANDLER, d.read(t, top + 8 + 40 + 128), "SIGUSR2's frame returns into SIGUSR1's handler");
        assertEquals(Signal.bit(Signal.SIGUSR2), t.sigmask, "SA_NODEFER: SIGUSR1 not blocked in its handler");
        assertEquals(SignalAction.SIG_DFL, t.process().action(Signal.SIGUSR1).handler(), "SA_RESETHAND");
    }

    @Test
    void sigactionFlagsAndIgnoreDiscardsPending() {
        sigaction(Signal.SIGUSR1, HANDLER, SignalAction.SA_RESTORER | SignalAction.SA_UNSUPPORTED | (1L << 40), -1);
        assertEquals(0, d.sys(t, Sysno.RT_SIGACTION, Signal.SIGUSR1, 0, OLD, 8));
        assertEquals(SignalAction.SA_RESTORER, d.read(t, OLD + 8), "unknown flag bits are not kept");
        assertEquals(-1L & ~(Signal.bit(Signal.SIGKILL) | Signal.bit(Signal.SIGSTOP)), d.read(t, OLD + 24));
        assertEquals(EINVAL, d.sys(t, Sysno.RT_SIGACTION, Signal.SIGKILL, ACT, 0, 8));
        assertEquals(EINVAL, d.sys(t, Sysno.RT_SIGACTION, Signal.SIGUSR1, ACT, 0, 16));
        assertEquals(0, d.sys(t, Sysno.RT_SIGACTION, Signal.SIGKILL, 0, OLD, 8), "reading SIGKILL's action is fine");
        t.sigmask = Signal.bit(Signal.SIGUSR2);
        d.kernel.signals().sendTask(t, SigInfo.kill(Signal.SIGUSR2, SigInfo.SI_USER, 1, 0));
        assertTrue(t.pending.has(Signal.SIGUSR2));
        assertEquals(0, sigaction(Signal.SIGUSR2, SignalAction.SIG_IGN, SignalAction.SA_RESTORER, 0));
        assertFalse(t.pending.has(Signal.SIGUSR2), "setting SIG_IGN discards a pending signal, blocked or not");
        // an unblocked ignored signal is not even queued
        d.kernel.signals().sendTask(t, SigInfo.kill(Signal.SIGCHLD, SigInfo.SI_USER, 1, 0));
        assertFalse(t.pending.has(Signal.SIGCHLD));
    }

    @Test
    void realTimeSignalsQueueWithValues() {
        t.sigmask = Signal.bit(40);
        byte[] info = new byte[128];
        for (int k = 0; k < 3; k++) {
            var b = java.nio.ByteBuffer.wrap(info).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            b.putInt(0, 40).putInt(8, SigInfo.SI_QUEUE).putInt(16, 1).putLong(24, 100 + k);
            try {
                t.memory().write(BUF, info);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            assertEquals(0, d.sys(t, Sysno.RT_SIGQUEUEINFO, 1, 40, BUF));
        }
        assertEquals(3, t.process().sharedPending.queued());
        d.write(t, OLD, Signal.bit(40));
        for (int k = 0; k < 3; k++) {
            assertEquals(40, d.sys(t, Sysno.RT_SIGTIMEDWAIT, OLD, BUF, 0, 8));
            assertEquals(100 + k, d.read(t, BUF + 24), "in order, with its value");
        }
        // SI_USER is the kernel's to claim for another process
        Task child = d.fork(t);
        var b = java.nio.ByteBuffer.wrap(info).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(8, SigInfo.SI_USER);
        try {
            t.memory().write(BUF, info);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertEquals(EPERM, d.sys(t, Sysno.RT_SIGQUEUEINFO, child.process().pid(), 40, BUF));
    }

    @Test
    void sigaltstackRulesAndAutodisarm() {
        long ss = BUF;
        d.write(t, ss, GuestCode.SCRATCH + 0x1000, 0, 1024);
        assertEquals(ENOMEM, d.sys(t, Sysno.SIGALTSTACK, ss, 0), "smaller than MINSIGSTKSZ");
        d.write(t, ss, GuestCode.SCRATCH + 0x1000, 7, 0x4000);
        assertEquals(EINVAL, d.sys(t, Sysno.SIGALTSTACK, ss, 0));
        d.write(t, ss, GuestCode.SCRATCH + 0x1000, Task.SS_AUTODISARM & 0xffff_ffffL, 0x4000);
        assertEquals(0, d.sys(t, Sysno.SIGALTSTACK, ss, 0));
        sigaction(Signal.SIGUSR1, HANDLER, SignalAction.SA_RESTORER | SignalAction.SA_ONSTACK, 0);
        setRegisters();
        d.kernel.signals().sendTask(t, SigInfo.kill(Signal.SIGUSR1, SigInfo.SI_USER, 1, 0));
        d.kernel.signals().deliverPending(t);
        long frame = t.cpu().reg(Reg.RSP);
        assertTrue(frame > GuestCode.SCRATCH + 0x1000 && frame < GuestCode.SCRATCH + 0x5000, "on the alternate stack");
        assertEquals(0, t.altStackSize, "SS_AUTODISARM: disarmed while the handler runs");
        assertEquals(Task.SS_AUTODISARM, d.readInt(t, frame + 8 + 16 + 8), "uc_stack.ss_flags");
        t.cpu().setReg(Reg.RSP, frame + 8);
        d.sys(t, Sysno.RT_SIGRETURN);
        assertEquals(0x4000, t.altStackSize, "rt_sigreturn re-arms it from uc_stack");
        // without SS_AUTODISARM, changing the stack while on it is EPERM
        d.write(t, ss, GuestCode.SCRATCH + 0x1000, 0, 0x4000);
        assertEquals(0, d.sys(t, Sysno.SIGALTSTACK, ss, 0));
        t.cpu().setReg(Reg.RSP, GuestCode.SCRATCH + 0x2000);
        assertEquals(EPERM, d.sys(t, Sysno.SIGALTSTACK, ss, 0));
        assertEquals(0, d.sys(t, Sysno.SIGALTSTACK, 0, OLD));
        assertEquals(Task.SS_ONSTACK, d.readInt(t, OLD + 8));
    }

    @Test
    void frameThatCannotBeBuiltIsSigsegv() {
        sigaction(Signal.SIGUSR1, HANDLER, 0, 0);                 // no SA_RESTORER
        setRegisters();
        d.kernel.signals().sendTask(t, SigInfo.kill(Signal.SIGUSR1, SigInfo.SI_USER, 1, 0));
        d.kernel.signals().deliverPending(t);
        assertTrue(t.process().isZombie());
        assertEquals(Signal.SIGSEGV, t.process().waitStatus());
    }

    @Test
    void cpuExceptionsBecomeTheirSignals() {
        long[][] cases = {
                // vector, error code, address, signal, si_code, si_addr (-1 = rip)
                {Fault.UD, 0, 0, Signal.SIGILL, SigInfo.ILL_ILLOPN, -1},
                {Fault.DE, 0, 0, Signal.SIGFPE, SigInfo.FPE_INTDIV, -1},
                {Fault.GP, 0, 0x8000_0000_0000_1000L, Signal.SIGSEGV, SigInfo.SI_KERNEL, 0},
                {Fault.BP, 0, 0, Signal.SIGTRAP, SigInfo.SI_KERNEL, 0},
        };
        for (long[] c : cases) {
            int sig = (int) c[3];
            sigaction(sig, HANDLER, SignalAction.SA_SIGINFO | SignalAction.SA_RESTORER, 0);
            setRegisters();
            t.sigmask = 0;
            Fault f = new Fault((int) c[0], (int) c[1], c[2], 0x401777);
            d.kernel.signals().cpuException(t, f);
            d.kernel.signals().deliverPending(t);
            long info = t.cpu().reg(Reg.RSI);
            assertEquals(sig, d.readInt(t, info), "vector " + c[0]);
            assertEquals(c[4], d.readInt(t, info + 8), "si_code for vector " + c[0]);
            assertEquals(c[5] == -1 ? 0x401777 : c[5], d.read(t, info + 16), "si_addr for vector " + c[0]);
            assertEquals(c[0], d.read(t, t.cpu().reg(Reg.RDX) + 40 + 160), "trapno");
        }
    }

    @Test
    void stopAndContinueSignalsCancelEachOther() {
        Task child = d.fork(t);
        var p = child.process();
        child.sigmask = Signal.bit(Signal.SIGCONT) | Signal.bit(Signal.SIGTSTP);
        d.sys(t, Sysno.KILL, p.pid(), Signal.SIGCONT);
        assertTrue(child.pending.has(Signal.SIGCONT) || p.sharedPending.has(Signal.SIGCONT));
        d.sys(t, Sysno.KILL, p.pid(), Signal.SIGTSTP);
        assertFalse(p.sharedPending.has(Signal.SIGCONT), "a stop signal discards a pending SIGCONT");
        d.sys(t, Sysno.KILL, p.pid(), Signal.SIGCONT);
        assertFalse(p.sharedPending.has(Signal.SIGTSTP), "SIGCONT discards pending stop signals");
        // SIGTSTP in an orphaned process group (the child's parent is pid 1) does nothing
        child.sigmask = 0;
        p.sharedPending.clear();
        d.sys(t, Sysno.KILL, p.pid(), Signal.SIGTSTP);
        d.kernel.signals().deliverPending(child);
        assertFalse(p.stopped);
        d.sys(t, Sysno.KILL, p.pid(), Signal.SIGSTOP);
        d.kernel.signals().deliverPending(child);
        assertTrue(p.stopped && child.isStopped(), "SIGSTOP always stops");
        assertEquals(Signal.SIGSTOP, p.stopReport);
        d.sys(t, Sysno.KILL, p.pid(), Signal.SIGCONT);
        assertFalse(p.stopped || child.isStopped());
        assertTrue(p.continuedReport);
        assertNotEquals(Task.State.EXITED, child.state());
    }
}
