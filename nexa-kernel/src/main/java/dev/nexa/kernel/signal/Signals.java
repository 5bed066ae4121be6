package dev.nexa.kernel.signal;

import dev.nexa.cpu.Cpu;
import dev.nexa.cpu.Fault;
import dev.nexa.cpu.Reg;
import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.SignalAction;
import dev.nexa.kernel.proc.SyscallRestart;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.trace.Tracer;
import dev.nexa.mem.Paging;


/**
 * Signal generation and delivery, after kernel/signal.c and arch/x86/kernel/signal.c.
 * <p>
 * Generation ({@link #sendProcess}, {@link #sendTask}, {@link #force}) does what
 * send_signal_locked does: job-control side effects first (SIGCONT resumes and discards pending
 * stop signals, a stop signal discards a pending SIGCONT), then signals the process ignores are
 * dropped, the rest queued (standard signals once, real-time ones per instance), a thread that
 * can take the signal is chosen and woken, and a fatal signal starts the group's death at once.
 * <p>
 * Delivery ({@link #deliverPending}) runs before a task returns to user mode, as get_signal and
 * handle_signal do: each deliverable signal is ignored, stops the process, kills it with the
 * wait status Linux reports, or gets a handler frame ({@link SigFrame}); an interrupted syscall
 * becomes -EINTR or is restarted according to its restart code and SA_RESTART.
 */
public final class Signals {
    // Kept for callers of the first kernel core.
    public static final int SI_USER = SigInfo.SI_USER, SI_KERNEL = SigInfo.SI_KERNEL, SI_TKILL = SigInfo.SI_TKILL;
    public static final int SEGV_MAPERR = SigInfo.SEGV_MAPERR, SEGV_ACCERR = SigInfo.SEGV_ACCERR,
            BUS_ADRERR = SigInfo.BUS_ADRERR, ILL_ILLOPN = SigInfo.ILL_ILLOPN, FPE_INTDIV = SigInfo.FPE_INTDIV,
            FPE_FLTINV = SigInfo.FPE_FLTINV, TRAP_BRKPT = SigInfo.TRAP_BRKPT;

    static final long UNBLOCKABLE = Signal.bit(Signal.SIGKILL) | Signal.bit(Signal.SIGSTOP);
    static final long STOP_MASK = Signal.bit(Signal.SIGSTOP) | Signal.bit(Signal.SIGTSTP) | Signal.bit(Signal.SIGTTIN)
            | Signal.bit(Signal.SIGTTOU);
    /** x86 #PF error code bits (arch/x86/include/asm/trap_pf.h). */
    static final int PF_PROT = 1, PF_USER = 4;
    /** TASK_SIZE_MAX on x86-64 with 4-level paging. */
    static final long TASK_SIZE_MAX = (1L << 47) - Paging.PAGE_SIZE;
    /** USER_HZ: clock ticks in siginfo and times(2). */
    public static final long NS_PER_TICK = 10_000_000L;

    private final Kernel kernel;

    public Signals(Kernel kernel) { this.kernel = kernel; }

    // ---- classification (include/linux/signal.h) ----------------------------------------------------

    public static boolean isStopSignal(int sig) { return (STOP_MASK & Signal.bit(sig)) != 0; }

    /** sig_kernel_ignore: SIGCONT, SIGCHLD, SIGWINCH, SIGURG. */
    static boolean kernelIgnores(int sig) {
        Signal.DefaultAction d = Signal.defaultAction(sig);
        return d == Signal.DefaultAction.IGNORE || d == Signal.DefaultAction.CONTINUE;
    }

    /** sig_handler_ignored: SIG_IGN, or SIG_DFL for a signal whose default is to ignore. */
    public static boolean handlerIgnores(SignalAction a, int sig) {
        return a.isIgnore() || a.isDefault() && kernelIgnores(sig);
    }

    /** sig_fatal: no handler and a default action that ends the process. */
    static boolean fatal(Process p, int sig) {
        return !kernelIgnores(sig) && !isStopSignal(sig) && p.action(sig).isDefault();
    }

    static boolean coreDumps(int sig) { return Signal.defaultAction(sig) == Signal.DefaultAction.CORE; }

    // ---- generation ------------------------------------------------------------------------------------

    /** A signal the kernel sends a whole process on its own behalf (SI_KERNEL). */
    public void send(Process p, int sig) { sendProcess(p, SigInfo.kernel(sig)); }

    /** A process-directed signal (kill(2), SIGCHLD, SIGALRM): any of its threads may take it. */
    public void sendProcess(Process p, SigInfo info) {
        Task main = p.mainThread();
        if (main == null) return;
        generate(p, main, info, true);
    }

    /**
     * A signal the kernel raises for the task itself, as send_sig(sig, current, 0) does (SIGPIPE,
     * SIGXFSZ): SI_USER, with the task's own pid and uid.
     */
    public void sendTask(Task t, int sig) {
        sendTask(t, SigInfo.kill(sig, SigInfo.SI_USER, t.process().pid(), t.process().uid));
    }

    /** A thread-directed signal (tgkill(2), a fault). */
    public void sendTask(Task t, SigInfo info) {
        if (t.isExited()) return;
        generate(t.process(), t, info, false);
    }

    private void generate(Process p, Task target, SigInfo info, boolean group) {
        int sig = info.signo();
        kernel.trace().signalGenerated(p, group ? null : target, sig, info.code());
        if (p.isZombie() || p.threads().isEmpty() || p.groupExiting) return;
        if (!prepare(p, target, sig)) return;
        SigPending q = group ? p.sharedPending : target.pending;
        if (!q.add(info)) return;
        p.signalEvents.wakeAll();                 // signalfd_notify
        complete(p, group ? null : target, sig);
    }

    /** prepare_signal: job-control side effects; false when the signal is ignored and dropped. */
    private boolean prepare(Process p, Task target, int sig) {
        if (isStopSignal(sig)) {
            long cont = Signal.bit(Signal.SIGCONT);
            p.sharedPending.discard(cont);
            for (Task t : p.threads()) t.pending.discard(cont);
        } else if (sig == Signal.SIGCONT) {
            p.sharedPending.discard(STOP_MASK);
            for (Task t : p.threads()) {
                t.pending.discard(STOP_MASK);
                t.cont();
            }
            if (p.stopped) {
                p.stopped = false;
                p.stopReport = 0;
                p.continuedReport = true;
                notifyParentStopped(p, SigInfo.CLD_CONTINUED);
            }
        }
        Task t = target != null ? target : p.mainThread();
        if (((t.sigmask | t.realBlocked) & Signal.bit(sig)) != 0) return true;   // blocked signals are kept
        return !handlerIgnores(p.action(sig), sig);
    }

    /** complete_signal: picks a thread to take the signal, wakes it; a fatal signal kills the group. */
    private void complete(Process p, Task target, int sig) {
        Task t = null;
        if (target != null) {
            if (!wants(target, sig)) return;
            t = target;
        } else {
            for (Task c : p.threads()) {
                if (wants(c, sig)) {
                    t = c;
                    break;
                }
            }
            if (t == null) return;          // every thread blocks it: it waits in the shared queue
        }
        if (fatal(p, sig) && !p.groupExiting && (t.realBlocked & Signal.bit(sig)) == 0 && !coreDumps(sig)) {
            // Start a group exit and wake everybody up, so no thread runs on with a fatal signal
            // pending (complete_signal).
            p.groupExiting = true;
            p.groupExitStatus = sig;
            p.stopped = false;
            for (Task c : p.threads()) {
                c.pending.add(SigInfo.kernel(Signal.SIGKILL));
                wakeForSignal(c, true);
            }
            return;
        }
        wakeForSignal(t, sig == Signal.SIGKILL);
    }

    /** wants_signal: not blocked, not exiting, and not stopped unless it is SIGKILL. */
    private static boolean wants(Task t, int sig) {
        if ((t.sigmask & Signal.bit(sig)) != 0 || t.isExited()) return false;
        return sig == Signal.SIGKILL || !t.isStopped();
    }

    /** signal_wake_up: interruptible waits end; killable waits and stops only for fatal signals. */
    private static void wakeForSignal(Task t, boolean fatal) {
        if (t.state() == Task.State.BLOCKED && (fatal || !t.inKillableWait())) t.wake();
        if (fatal) t.cont();
    }

    /**
     * force_sig_info_to_task: a synchronous signal the task cannot escape. If it blocks or
     * ignores the signal, the disposition goes back to SIG_DFL and the signal is unblocked, so a
     * fault nobody handles kills the process.
     */
    public void force(Task t, SigInfo info) { force(t, info, false); }

    private void force(Task t, SigInfo info, boolean forceDefault) {
        int sig = info.signo();
        Process p = t.process();
        SignalAction a = p.action(sig);
        boolean blocked = (t.sigmask & Signal.bit(sig)) != 0;
        if (blocked || a.isIgnore() || forceDefault) {
            p.setAction(sig, a.withHandler(SignalAction.SIG_DFL));
            if (blocked) t.sigmask &= ~Signal.bit(sig);
        }
        sendTask(t, info);
    }

    /** force_sigsegv: the handler frame for {@code sig} could not be built. */
    public void forceSigsegv(Task t, int sig) {
        force(t, SigInfo.kernel(Signal.SIGSEGV), sig == Signal.SIGSEGV);
    }

    /** force_fatal_sig: SIGSEGV after exec's point of no return, a bad rt_sigreturn frame is plain force_sig. */
    public void forceFatal(Task t, int sig) { force(t, SigInfo.kernel(sig), true); }

    /** A fault the kernel could not resolve (#PF outside any mapping, SIGBUS, OOM): a synchronous signal. */
    public void fault(Task t, Fault f, int sig, int code) {
        if (sig == Signal.SIGKILL) {
            sendTask(t, SigInfo.kernel(Signal.SIGKILL));
            return;
        }
        if (f.vector() == Fault.PF) {
            // set_signal_archinfo with sanitize_error_code: the user bit, and PROT above TASK_SIZE_MAX.
            long err = f.errorCode() | PF_USER;
            if (Long.compareUnsigned(f.address(), TASK_SIZE_MAX) >= 0) err |= PF_PROT;
            t.trapNr = Fault.PF;
            t.errorCode = err;
            t.cr2 = f.address();
        } else {
            t.trapNr = f.vector();
            t.errorCode = f.errorCode();
        }
        t.lastFault = f;
        t.lastFaultSignal = sig;
        SigInfo info = code == SigInfo.SI_KERNEL ? SigInfo.kernel(sig)
                : SigInfo.fault(sig, code, f.vector() == Fault.PF ? f.address() : faultAddress(f));
        force(t, info);
    }

    private static long faultAddress(Fault f) {
        return switch (f.vector()) {
            case Fault.DE, Fault.UD, Fault.MF, Fault.XM -> f.rip();    // error_get_trap_addr: the instruction
            default -> 0;
        };
    }

    /** A CPU exception other than a page fault (arch/x86/kernel/traps.c). */
    public void cpuException(Task t, Fault f) {
        switch (f.vector()) {
            case Fault.UD -> fault(t, f, Signal.SIGILL, SigInfo.ILL_ILLOPN);
            case Fault.DE -> fault(t, f, Signal.SIGFPE, SigInfo.FPE_INTDIV);
            case Fault.MF -> fault(t, f, Signal.SIGFPE, x87Code(t.cpu()));
            case Fault.XM -> {
                int code = simdCode(t.cpu().mxcsr());
                if (code != 0) fault(t, f, Signal.SIGFPE, code);     // math_error ignores a spurious #XM
            }
            case Fault.BP, Fault.DB -> fault(t, f, Signal.SIGTRAP, SigInfo.SI_KERNEL);   // do_int3_user: force_sig
            case Fault.AC -> fault(t, f, Signal.SIGBUS, SigInfo.BUS_ADRALN);
            default -> fault(t, f, Signal.SIGSEGV, SigInfo.SI_KERNEL);    // #GP and the rest
        }
    }

    /** fpu__exception_code for #XM: the unmasked exception flags of MXCSR, in Linux's priority. */
    static int simdCode(int mxcsr) {
        int err = ~(mxcsr >>> 7) & mxcsr;
        return exceptionCode(err);
    }

    /** fpu__exception_code for #MF: FSW flags not masked by FCW (bytes 0 and 2 of the FXSAVE image). */
    static int x87Code(Cpu cpu) {
        byte[] fx = new byte[Cpu.FXSAVE_SIZE];
        cpu.saveFpuState(fx);
        int cwd = (fx[0] & 0xff) | (fx[1] & 0xff) << 8, swd = (fx[2] & 0xff) | (fx[3] & 0xff) << 8;
        int code = exceptionCode(swd & ~cwd);
        return code == 0 ? SigInfo.FPE_FLTINV : code;
    }

    private static int exceptionCode(int err) {
        if ((err & 0x001) != 0) return SigInfo.FPE_FLTINV;
        if ((err & 0x004) != 0) return SigInfo.FPE_FLTDIV;
        if ((err & 0x008) != 0) return SigInfo.FPE_FLTOVF;
        if ((err & 0x012) != 0) return SigInfo.FPE_FLTUND;
        if ((err & 0x020) != 0) return SigInfo.FPE_FLTRES;
        return 0;
    }

    // ---- parent notification (do_notify_parent, do_notify_parent_cldstop) --------------------------------

    /** SIGCHLD info for a child: pid, uid, status and its CPU time in clock ticks. */
    private static SigInfo childInfo(int signo, int code, Process child, int status) {
        long ticks = child.cpuTime() / NS_PER_TICK;
        return SigInfo.child(signo, code, child.pid(), child.uid, status, ticks, 0);
    }

    /**
     * A child process died: its parent gets its exit signal (SIGCHLD for fork) and its waiters
     * are woken. Returns true when the child should be reaped at once because the parent set
     * SIGCHLD to SIG_IGN or has SA_NOCLDWAIT (POSIX.1 auto-reaping).
     */
    public boolean notifyParentExit(Process child) {
        Process parent = child.parent();
        if (parent == null) return false;
        int status = child.waitStatus();
        int code, value = status & 0x7f;
        if ((status & 0x80) != 0) code = SigInfo.CLD_DUMPED;
        else if ((status & 0x7f) != 0) code = SigInfo.CLD_KILLED;
        else {
            code = SigInfo.CLD_EXITED;
            value = (status >> 8) & 0xff;
        }
        int sig = child.exitSignal;
        boolean autoreap = false;
        SignalAction a = parent.action(Signal.SIGCHLD);
        if (sig == Signal.SIGCHLD && (a.isIgnore() || a.has(SignalAction.SA_NOCLDWAIT))) {
            autoreap = true;
            if (a.isIgnore()) sig = 0;
        }
        if (sig > 0 && sig <= Signal.NSIG && !parent.isZombie()) sendProcess(parent, childInfo(sig, code, child, value));
        parent.childEvents.wakeAll();
        return autoreap;
    }

    /** A child stopped or continued: SIGCHLD unless the parent asked for SA_NOCLDSTOP; waiters woken. */
    public void notifyParentStopped(Process child, int why) {
        Process parent = child.parent();
        if (parent == null) return;
        int status = why == SigInfo.CLD_CONTINUED ? Signal.SIGCONT : child.stopReport & 0x7f;
        SignalAction a = parent.action(Signal.SIGCHLD);
        if (!a.isIgnore() && !a.has(SignalAction.SA_NOCLDSTOP) && !parent.isZombie()) {
            sendProcess(parent, childInfo(Signal.SIGCHLD, why, child, status));
        }
        parent.childEvents.wakeAll();
    }

    /** Kept for callers of the first kernel core: notifies the parent of a dead child. */
    public void sendChild(Process child) { notifyParentExit(child); }

    // ---- delivery ----------------------------------------------------------------------------------------

    /** True when the task has a signal it would take now (signal_pending for an unmasked signal). */
    public boolean hasDeliverable(Task t) {
        Process p = t.process();
        return p.groupExiting || ((t.pending.mask() | p.sharedPending.mask()) & ~t.sigmask) != 0;
    }

    /** fatal_signal_pending: SIGKILL, or a deliverable signal whose default action ends the process. */
    public boolean hasFatalPending(Task t) {
        Process p = t.process();
        if (p.groupExiting || t.pending.has(Signal.SIGKILL) || p.sharedPending.has(Signal.SIGKILL)) return true;
        long d = (t.pending.mask() | p.sharedPending.mask()) & ~t.sigmask;
        while (d != 0) {
            int sig = Long.numberOfTrailingZeros(d) + 1;
            d &= d - 1;
            if (fatal(p, sig)) return true;
        }
        return false;
    }

    /** Anything to do before the task returns to user mode: signals, a syscall restart, a mask to restore. */
    public boolean hasWork(Task t) {
        return t.syscallRestart != null || t.restoreSigmask || hasDeliverable(t);
    }

    /**
     * Takes the action of every deliverable signal before the task returns to user mode
     * (exit_to_user_mode_loop calling arch_do_signal_or_restart until nothing is pending):
     * several handlers nest, the last-set-up running first. Then an interrupted syscall that no
     * handler dealt with is restarted and a temporary mask (sigsuspend) is put back.
     */
    public void deliverPending(Task t) {
        Process p = t.process();
        while (!t.isExited() && !t.isStopped()) {
            if (p.groupExiting && !t.pending.has(Signal.SIGKILL)) t.pending.add(SigInfo.kernel(Signal.SIGKILL));
            int sig = t.pending.next(t.sigmask);
            SigInfo info;
            if (sig != 0) {
                info = t.pending.take(sig);
            } else {
                sig = p.sharedPending.next(t.sigmask);
                if (sig == 0) break;
                info = p.sharedPending.take(sig);
            }
            SignalAction ka = p.action(sig);
            kernel.trace().signalDelivered(t, sig, Tracer.deliveryAction(sig, ka.handler()), ka.handler());
            if (sig == Signal.SIGKILL) {
                die(t, p.groupExiting ? p.groupExitStatus : Signal.SIGKILL, Signal.SIGKILL);
                return;
            }
            if (ka.isIgnore()) continue;
            if (!ka.isDefault()) {
                if (ka.has(SignalAction.SA_RESETHAND)) p.setAction(sig, ka.withHandler(SignalAction.SIG_DFL));
                handle(t, sig, info, ka);
                continue;
            }
            switch (Signal.defaultAction(sig)) {
                case IGNORE, CONTINUE -> { }
                case STOP -> {
                    // SIGTSTP/SIGTTIN/SIGTTOU do nothing in an orphaned process group (POSIX 3.3.1.3).
                    if (sig != Signal.SIGSTOP && kernel.isOrphanedPgrp(p.pgid, null)) continue;
                    restartInterrupted(t);
                    groupStop(p, sig);
                    return;
                }
                case TERMINATE, CORE -> {
                    boolean core = coreDumps(sig) && p.coreLimit != 0;
                    die(t, sig | (core ? 0x80 : 0), sig);
                    return;
                }
            }
        }
        if (t.isExited() || t.isStopped()) return;
        restartInterrupted(t);
        if (t.restoreSigmask) {
            t.restoreSigmask = false;
            t.sigmask = t.savedSigmask;
        }
    }

    /** No handler ran for an interrupted syscall: it is restarted (arch_do_signal_or_restart). */
    private static void restartInterrupted(Task t) {
        if (t.syscallRestart == null) return;
        Cpu cpu = t.cpu();
        cpu.setReg(Reg.RAX, t.syscallNr);
        cpu.setRip(cpu.rip() - 2);
        t.syscallRestart = null;
        // The restart state stays: a restarted nanosleep or poll continues with the time left.
    }

    /** handle_signal: syscall restart rules, the frame, then the handler's mask. */
    private void handle(Task t, int sig, SigInfo info, SignalAction ka) {
        Cpu cpu = t.cpu();
        if (t.syscallRestart != null) {
            switch (t.syscallRestart) {
                case BLOCK, NOHAND -> cpu.setReg(Reg.RAX, Errno.EINTR.ret());
                case SYS -> {
                    if (ka.has(SignalAction.SA_RESTART)) {
                        cpu.setReg(Reg.RAX, t.syscallNr);
                        cpu.setRip(cpu.rip() - 2);
                    } else {
                        cpu.setReg(Reg.RAX, Errno.EINTR.ret());
                    }
                }
                case NOINTR -> {
                    cpu.setReg(Reg.RAX, t.syscallNr);
                    cpu.setRip(cpu.rip() - 2);
                }
            }
            t.syscallRestart = null;
            t.cancelRestart();
        }
        long oldmask = t.restoreSigmask ? t.savedSigmask : t.sigmask;
        if (!SigFrame.setup(t, sig, info, ka, oldmask)) {
            kernel.log("signal", "could not build the signal frame for " + Signal.name(sig) + " in " + t + ": SIGSEGV");
            forceSigsegv(t, sig);
            return;
        }
        t.restoreSigmask = false;
        if (t.lastFaultSignal == sig) t.lastFault = null;
        // Handlers start with DF, RF and TF clear and the FPU in its init state (handle_signal).
        cpu.setRflags(cpu.rflags() & ~(SigFrame.EFLAGS_DF | SigFrame.EFLAGS_RF | SigFrame.EFLAGS_TF));
        cpu.resetFpuState();
        long blocked = t.sigmask | ka.mask();
        if (!ka.has(SignalAction.SA_NODEFER)) blocked |= Signal.bit(sig);
        t.sigmask = blocked & ~UNBLOCKABLE;
        if ((t.altStackFlags & Task.SS_AUTODISARM) != 0) {
            t.altStackSp = 0;
            t.altStackSize = 0;
            t.altStackFlags = Task.SS_DISABLE;
        }
        kernel.log("signal", String.format("%s: %s delivered to handler 0x%x", t, Signal.name(sig), ka.handler()));
    }

    /** do_signal_stop: every thread stops; the parent hears CLD_STOPPED. */
    private void groupStop(Process p, int sig) {
        p.stopped = true;
        p.stopReport = sig;
        p.continuedReport = false;
        for (Task c : p.threads()) c.stop();
        notifyParentStopped(p, SigInfo.CLD_STOPPED);
    }

    private void die(Task t, int status, int sig) {
        Process p = t.process();
        Fault f = t.lastFaultSignal == (status & 0x7f) ? t.lastFault : null;
        if (f != null || p == kernel.init()) kernel.config().console().println("nexa: " + describe(t, status & 0x7f, f));
        kernel.exitProcess(p, status);
    }

    /** Ends the process as the signal's default action does, with a one-line report. */
    public void terminate(Task t, int sig, Fault f) {
        Process p = t.process();
        boolean core = coreDumps(sig) && p.coreLimit != 0;
        if (f != null || p == kernel.init()) kernel.config().console().println("nexa: " + describe(t, sig, f));
        kernel.exitProcess(p, sig | (core ? 0x80 : 0));
    }

    /** "pid 1 (prog) killed by SIGSEGV at rip=0x401000 (#PF writing 0x0), instruction 89 04 25 00 00 00 00". */
    public String describe(Task t, int sig, Fault f) {
        StringBuilder sb = new StringBuilder();
        sb.append(t.process().exePath().isEmpty() ? t.process().toString() : t.process().exePath())
                .append(": killed by ").append(Signal.name(sig));
        if (f != null) {
            sb.append(String.format(" at rip=0x%x (%s", f.rip(), f.mnemonic()));
            if (f.vector() == Fault.PF) {
                boolean w = (f.errorCode() & Paging.PF_WRITE) != 0;
                boolean x = (f.errorCode() & Paging.PF_FETCH) != 0;
                sb.append(x ? " executing " : w ? " writing " : " reading ").append(String.format("0x%x", f.address()));
            }
            sb.append(')');
            String bytes = t.instructionBytes(f.rip());
            if (!bytes.isEmpty()) sb.append(", instruction bytes ").append(bytes);
        }
        return sb.toString();
    }

}
