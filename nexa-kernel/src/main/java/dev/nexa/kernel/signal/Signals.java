package dev.nexa.kernel.signal;

import dev.nexa.cpu.Fault;
import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.SignalAction;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.trace.Tracer;
import dev.nexa.mem.MemoryFault;

import java.util.HexFormat;

/**
 * Signal generation and delivery (kernel/signal.c, arch/x86/kernel/signal.c): CPU faults
 * become SIGSEGV/SIGBUS/SIGILL/SIGFPE/SIGTRAP with their si_code, signals are queued on the
 * task or process, and before a task returns to user mode its deliverable signals take their
 * action: ignore, terminate (with the status Linux reports), or run the guest's handler.
 */
public final class Signals {
    // si_code values (include/uapi/asm-generic/siginfo.h).
    public static final int SI_USER = 0, SI_KERNEL = 0x80, SI_TKILL = -6;
    public static final int SEGV_MAPERR = 1, SEGV_ACCERR = 2, BUS_ADRERR = 2, ILL_ILLOPN = 2,
            FPE_INTDIV = 1, FPE_FLTINV = 7, TRAP_BRKPT = 1;

    private final Kernel kernel;

    public Signals(Kernel kernel) { this.kernel = kernel; }

    /** A fault the kernel could not resolve: the task gets a synchronous signal. */
    public void fault(Task t, Fault f, int sig, int code) {
        kernel.trace().signalGenerated(t.process(), t, sig, code);
        Process p = t.process();
        SignalAction a = p.action(sig);
        boolean blocked = (t.sigmask & Signal.bit(sig)) != 0;
        if (sig == Signal.SIGKILL || a.isDefault() || a.isIgnore() || blocked) {
            // A synchronous fault that is ignored or blocked cannot be survived: Linux forces the
            // default action (force_sig_info_to_task).
            kernel.trace().signalDelivered(t, sig, Tracer.deliveryAction(sig, SignalAction.SIG_DFL), 0);
            terminate(t, sig, f);
            return;
        }
        deliverHandler(t, sig, code, f);
    }

    /** A CPU exception other than a page fault. */
    public void cpuException(Task t, Fault f) {
        switch (f.vector()) {
            case Fault.UD -> fault(t, f, Signal.SIGILL, ILL_ILLOPN);
            case Fault.DE -> fault(t, f, Signal.SIGFPE, FPE_INTDIV);
            case Fault.MF, Fault.XM -> fault(t, f, Signal.SIGFPE, FPE_FLTINV);
            case Fault.BP, Fault.DB -> fault(t, f, Signal.SIGTRAP, TRAP_BRKPT);
            case Fault.AC -> fault(t, f, Signal.SIGBUS, BUS_ADRERR);
            default -> fault(t, f, Signal.SIGSEGV, SI_KERNEL);       // #GP and the rest
        }
    }

    /** Queues a signal for a whole process (kill(2)). */
    public void send(Process p, int sig) {
        kernel.trace().signalGenerated(p, null, sig, SI_USER);
        p.sharedPending |= Signal.bit(sig);
        for (Task t : p.threads()) if (t.state() == Task.State.BLOCKED) t.wake();
    }

    /** Queues a signal for one task (tgkill(2), raise(3)). */
    public void sendTask(Task t, int sig) {
        kernel.trace().signalGenerated(t.process(), t, sig, SI_TKILL);
        t.pending |= Signal.bit(sig);
        if (t.state() == Task.State.BLOCKED) t.wake();
    }

    /** A child changed state: SIGCHLD to its parent (ignored by default). */
    public void sendChild(Process child) {
        Process parent = child.parent();
        if (parent != null && !parent.isZombie()) send(parent, Signal.SIGCHLD);
    }

    /** Takes the action of every deliverable pending signal before the task returns to user mode. */
    public void deliverPending(Task t) {
        Process p = t.process();
        while (t.state() != Task.State.EXITED) {
            long deliverable = (t.pending | p.sharedPending) & ~t.sigmask;
            deliverable |= (t.pending | p.sharedPending) & (Signal.bit(Signal.SIGKILL) | Signal.bit(Signal.SIGSTOP));
            if (deliverable == 0) return;
            int sig = Long.numberOfTrailingZeros(deliverable) + 1;
            if ((t.pending & Signal.bit(sig)) != 0) t.pending &= ~Signal.bit(sig);
            else p.sharedPending &= ~Signal.bit(sig);
            SignalAction a = p.action(sig);
            kernel.trace().signalDelivered(t, sig, Tracer.deliveryAction(sig, a.handler()), a.handler());
            if (sig == Signal.SIGKILL || a.isDefault()) {
                switch (Signal.defaultAction(sig)) {
                    case IGNORE, CONTINUE -> { }
                    case STOP -> { }                     // job control comes with the terminal work
                    default -> terminate(t, sig, null);
                }
            } else if (!a.isIgnore()) {
                deliverHandler(t, sig, SI_USER, null);
                return;
            }
        }
    }

    private void deliverHandler(Task t, int sig, int code, Fault f) {
        // Handler frames (rt_sigframe) arrive with the signal-delivery work; until then a
        // handled signal takes its default action so nothing runs on a half-built frame.
        kernel.warn("signal handlers are not supported yet: " + Signal.name(sig) + " takes its default action");
        if (Signal.defaultAction(sig) == Signal.DefaultAction.IGNORE) return;
        terminate(t, sig, f);
    }

    /** Ends the process as the signal's default action does, with a one-line report. */
    public void terminate(Task t, int sig, Fault f) {
        Process p = t.process();
        boolean core = Signal.defaultAction(sig) == Signal.DefaultAction.CORE;
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
                boolean w = (f.errorCode() & dev.nexa.mem.Paging.PF_WRITE) != 0;
                boolean x = (f.errorCode() & dev.nexa.mem.Paging.PF_FETCH) != 0;
                sb.append(x ? " executing " : w ? " writing " : " reading ").append(String.format("0x%x", f.address()));
            }
            sb.append(')');
            String bytes = instructionBytes(t, f.rip());
            if (!bytes.isEmpty()) sb.append(", instruction bytes ").append(bytes);
        }
        return sb.toString();
    }

    private static String instructionBytes(Task t, long rip) {
        StringBuilder sb = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (int k = 0; k < 15; k++) {
            try {
                byte b = t.cpu().mmu().fetch8(rip + k);
                if (k > 0) sb.append(' ');
                sb.append(hex.toHexDigits(b));
            } catch (MemoryFault e) {
                break;
            }
        }
        return sb.toString();
    }
}
