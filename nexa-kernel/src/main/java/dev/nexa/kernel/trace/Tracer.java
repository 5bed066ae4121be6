package dev.nexa.kernel.trace;

import dev.nexa.cpu.Fault;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.exec.ExecResult;
import dev.nexa.kernel.mm.FaultPath;
import dev.nexa.kernel.mm.FaultResult;
import dev.nexa.kernel.mm.Vma;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.trace.TraceEvent.Access;
import dev.nexa.kernel.trace.TraceEvent.Resolution;
import dev.nexa.mem.Paging;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel's side of tracing: decides cheaply whether an event is wanted, stamps it and hands
 * it to the {@link TraceSink}. Kernel code calls the hook methods below at the places where
 * things happen; each returns at once, before building anything, when its kind (or the
 * process) is filtered out, so with tracing off a hook costs one predictable branch.
 */
public final class Tracer {
    /** Tracing off. */
    public static final Tracer OFF = new Tracer(TraceConfig.OFF, 0);

    private final TraceSink sink;
    private final int mask;
    private final int pid;
    private final long originNanos;
    private long seq;

    /** @param originNanos the {@link System#nanoTime()} that is time 0 in the trace (kernel start) */
    public Tracer(TraceConfig config, long originNanos) {
        this.sink = config.sink();
        int m = 0;
        for (TraceKind k : config.kinds()) m |= k.bit();
        this.mask = m;
        this.pid = config.pid();
        this.originNanos = originNanos;
    }

    /** Whether any event is recorded at all. */
    public boolean enabled() { return mask != 0; }

    /** Whether events of this kind are recorded (for some process). */
    public boolean wants(TraceKind kind) { return (mask & kind.bit()) != 0; }

    /** Whether events of this kind from process {@code pid} are recorded. */
    public boolean wants(TraceKind kind, int pid) {
        return (mask & kind.bit()) != 0 && (this.pid < 0 || this.pid == pid);
    }

    /** Host nanoseconds since the kernel started: the trace's clock. */
    public long now() { return System.nanoTime() - originNanos; }

    /** The next sequence number and where/when, for an event about to be emitted. */
    public Stamp stamp(Task t) {
        return new Stamp(seq++, t.process().pid(), t.tid(), now(), t.cpu().instructions());
    }

    /** A stamp for an event that is not part of the trace (strace's lines when tracing is off). */
    public Stamp unsequenced(Task t) {
        return new Stamp(-1, t.process().pid(), t.tid(), now(), t.cpu().instructions());
    }

    private Stamp stamp(Process p) {
        Task main = p.mainThread();
        return new Stamp(seq++, p.pid(), main == null ? p.pid() : main.tid(), now(),
                main == null ? 0 : main.cpu().instructions());
    }

    /** Hands a stamped event to the sink (callers have checked {@link #wants}). */
    public void emit(TraceEvent e) { sink.accept(e); }

    // ---- hooks ----------------------------------------------------------------------------------

    /** A process's first task exists (spawn, fork/clone); call after it joined the process. */
    public void processStarted(Task t) {
        Process p = t.process();
        if (!wants(TraceKind.PROCESS, p.pid())) return;
        emit(new TraceEvent.ProcessStart(stamp(t), p.ppid(), p.argv(), p.exePath()));
    }

    /** A process became a zombie with {@code waitStatus}. */
    public void processExited(Process p, int waitStatus) {
        if (!wants(TraceKind.PROCESS, p.pid())) return;
        emit(new TraceEvent.ProcessExit(stamp(p), waitStatus));
    }

    /** exec succeeded: the Exec event, then one Mmap per area of the new address space. */
    public void exec(Task t, ExecResult r) {
        int p = t.process().pid();
        if (wants(TraceKind.EXEC, p)) {
            long[] raw = r.auxv();
            List<TraceEvent.Aux> auxv = new ArrayList<>(raw.length / 2);
            for (int k = 0; k + 1 < raw.length; k += 2) auxv.add(new TraceEvent.Aux(raw[k], FlagNames.aux(raw[k]), raw[k + 1]));
            emit(new TraceEvent.Exec(stamp(t), r.path(), t.process().argv(), r.interpreter(), r.programBase(),
                    r.interpBase(), r.entry(), r.startPc(), r.stackPointer(), r.brk(), auxv));
        }
        if (wants(TraceKind.MM, p)) {
            for (Vma v : t.process().addressSpace().vmas()) {
                emit(new TraceEvent.Mmap(stamp(t), v.start(), v.length(), v.prot(), v.flags(),
                        v.file() == null ? null : v.file().name(), v.file() == null ? 0 : v.offset(), v.name(),
                        TraceEvent.MapCause.EXEC));
            }
        }
    }

    /** A #PF and what {@code AddressSpace.handleFault} made of it. */
    public void pageFault(Task t, Fault f, FaultResult result) {
        if (!wants(TraceKind.FAULT, t.process().pid())) return;
        Access access = (f.errorCode() & Paging.PF_FETCH) != 0 ? Access.EXECUTE
                : (f.errorCode() & Paging.PF_WRITE) != 0 ? Access.WRITE : Access.READ;
        Resolution how = switch (result) {
            case RESOLVED -> resolution(t.process().addressSpace().lastFaultPath());
            case SEGV_MAPERR -> Resolution.SEGV_MAPERR;
            case SEGV_ACCERR -> Resolution.SEGV_ACCERR;
            case SIGBUS -> Resolution.SIGBUS;
            case OOM -> Resolution.OOM;
        };
        emit(new TraceEvent.PageFault(stamp(t), f.address(), f.rip(), access, how));
    }

    private static Resolution resolution(FaultPath path) {
        return switch (path) {
            case ZERO_FILL -> Resolution.ZERO_FILL;
            case FILE_COPY -> Resolution.FILE_COPY;
            case COW_COPY -> Resolution.COW_COPY;
            case COW_REUSE -> Resolution.COW_REUSE;
            case REFRESH -> Resolution.REFRESH;
        };
    }

    /** A CPU exception other than #PF (#UD, #DE, #GP, ...), before it becomes a signal. */
    public void cpuException(Task t, Fault f) {
        if (!wants(TraceKind.FAULT, t.process().pid())) return;
        emit(new TraceEvent.CpuException(stamp(t), f.vector(), f.mnemonic(), f.rip(), f.errorCode(), f.address(),
                t.instructionBytes(f.rip())));
    }


    /**
     * A signal was generated: for thread {@code target}, or for the whole of {@code p} when
     * {@code target} is null.
     */
    public void signalGenerated(Process p, Task target, int sig, int code) {
        if (!wants(TraceKind.SIGNAL, p.pid())) return;
        Stamp s = target != null ? stamp(target) : stamp(p);
        emit(new TraceEvent.SignalGenerated(s, sig, code, target == null));
    }

    /** Thread {@code t} took signal {@code sig}: ran a handler, ignored it, or took a default action. */
    public void signalDelivered(Task t, int sig, TraceEvent.SignalAction action, long handler) {
        if (!wants(TraceKind.SIGNAL, t.process().pid())) return;
        emit(new TraceEvent.SignalDelivered(stamp(t), sig, action, action == TraceEvent.SignalAction.HANDLER ? handler : 0));
    }

    /**
     * What delivery does with {@code sig} under disposition {@code handler} (SIG_DFL 0, SIG_IGN 1,
     * else an address): SIGKILL and SIGSTOP always take their default action (signal(7)).
     */
    public static TraceEvent.SignalAction deliveryAction(int sig, long handler) {
        if (sig == Signal.SIGKILL || sig == Signal.SIGSTOP || handler == 0) return defaultAction(sig);
        return handler == 1 ? TraceEvent.SignalAction.IGNORE : TraceEvent.SignalAction.HANDLER;
    }

    /** The default action of {@code sig} as a delivery action (terminate, core, ignore, stop, continue). */
    public static TraceEvent.SignalAction defaultAction(int sig) {
        return switch (Signal.defaultAction(sig)) {
            case TERMINATE -> TraceEvent.SignalAction.TERMINATE;
            case CORE -> TraceEvent.SignalAction.CORE;
            case IGNORE -> TraceEvent.SignalAction.IGNORE;
            case STOP -> TraceEvent.SignalAction.STOP;
            case CONTINUE -> TraceEvent.SignalAction.CONTINUE;
        };
    }
}
