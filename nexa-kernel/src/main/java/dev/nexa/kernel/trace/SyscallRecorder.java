package dev.nexa.kernel.trace;

import dev.nexa.kernel.abi.Sysno;
import dev.nexa.kernel.mm.Vma;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.syscall.ArgFormat;
import dev.nexa.kernel.syscall.Args;
import dev.nexa.kernel.syscall.Dispatcher;
import dev.nexa.kernel.syscall.SyscallHandler;
import dev.nexa.kernel.syscall.SyscallSpec;
import dev.nexa.kernel.trace.TraceEvent.Syscall;
import dev.nexa.kernel.trace.TraceEvent.SyscallArg;
import dev.nexa.mem.Paging;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns the dispatcher's entry/exit notifications into {@link Syscall} events for the trace
 * and for {@code --strace}, so both decode arguments identically, and derives the memory-map
 * events (mmap, munmap, mprotect, mremap, brk) from the calls that succeeded.
 * <p>
 * Installed only when strace or syscall/mm tracing is on. Input arguments are decoded at
 * entry; a call that blocks keeps its entry record until it is dispatched again after waking.
 */
public final class SyscallRecorder implements Dispatcher.Observer {
    private final Tracer tracer;
    private final Consumer<Syscall> strace;
    /** The call being dispatched (calls do not nest: the kernel runs one at a time). */
    private Entry current;
    /** Calls parked by a blocking handler, by thread id, until they run again (a reused id is a new task). */
    private final Map<Integer, Entry> parked = new HashMap<>();

    private record Entry(Task task, long nr, long nanos, long instructions, SyscallArg[] args, boolean blocked,
                         long brkBefore, boolean syscall, boolean mm) {}

    private SyscallRecorder(Tracer tracer, Consumer<Syscall> strace) {
        this.tracer = tracer;
        this.strace = strace;
    }

    /** The observer to install, or null when neither strace nor syscall/mm tracing wants calls. */
    public static Dispatcher.Observer create(Tracer tracer, Consumer<Syscall> strace) {
        if (strace == null && !tracer.wants(TraceKind.SYSCALL) && !tracer.wants(TraceKind.MM)) return null;
        return new SyscallRecorder(tracer, strace);
    }

    @Override
    public void entered(Task t, SyscallSpec spec, long nr, Args a) {
        Entry resumed = parked.remove(t.tid());
        if (resumed != null && resumed.task() == t && resumed.nr() == nr) {
            current = new Entry(t, nr, resumed.nanos(), resumed.instructions(), resumed.args(), true,
                    resumed.brkBefore(), resumed.syscall(), resumed.mm());
            return;
        }
        int pid = t.process().pid();
        boolean syscall = tracer.wants(TraceKind.SYSCALL, pid), mm = tracer.wants(TraceKind.MM, pid);
        if (!syscall && !mm && strace == null) {
            current = null;
            return;
        }
        SyscallArg[] args = null;
        if (syscall || strace != null) {
            List<ArgFormat> formats = spec == null ? List.of() : spec.args();
            args = new SyscallArg[formats.size()];
            for (int k = 0; k < args.length; k++) {
                ArgFormat f = formats.get(k);
                if (!f.atExit()) args[k] = new SyscallArg(f, ArgDecoder.decode(t.memory(), f, a.l(k), k < 5 ? a.l(k + 1) : 0, 0));
            }
        }
        long brk = mm && nr == Sysno.BRK ? t.process().addressSpace().brk() : 0;
        current = new Entry(t, nr, tracer.now(), t.cpu().instructions(), args, false, brk, syscall, mm);
    }

    @Override
    public void blocked(Task t, SyscallSpec spec, long nr) {
        if (current != null) parked.put(t.tid(), current);
        current = null;
    }

    @Override
    public void completed(Task t, SyscallSpec spec, long nr, long[] raw, long result) {
        Entry e = current;
        current = null;
        if (e == null || e.task() != t) return;
        boolean returned = result != SyscallHandler.REGISTERS_SET && t.state() != Task.State.EXITED;
        if (e.mm() && spec != null) memoryEffects(t, e, raw, result);
        if (spec == null) {
            if (e.syscall()) {
                tracer.emit(new TraceEvent.UnknownSyscall(tracer.stamp(t), nr, Sysno.name((int) nr),
                        List.of(raw[0], raw[1], raw[2], raw[3], raw[4], raw[5]), e.nanos()));
            }
            if (strace != null) strace.accept(event(t, e, Sysno.name((int) nr), List.of(), result, returned, false));
            return;
        }
        if (!e.syscall() && strace == null) return;
        List<SyscallArg> args = new ArrayList<>(e.args().length);
        for (int k = 0; k < e.args().length; k++) {
            SyscallArg arg = e.args()[k];
            if (arg == null) {
                ArgFormat f = spec.args().get(k);
                arg = new SyscallArg(f, ArgDecoder.decode(t.memory(), f, raw[k], k < 5 ? raw[k + 1] : 0, result));
            }
            args.add(arg);
        }
        Syscall s = event(t, e, spec.name(), args, result, returned, e.syscall());
        if (e.syscall()) tracer.emit(s);
        if (strace != null) strace.accept(s);
    }

    private Syscall event(Task t, Entry e, String name, List<SyscallArg> args, long result, boolean returned,
                          boolean sequenced) {
        Stamp stamp = sequenced ? tracer.stamp(t) : tracer.unsequenced(t);
        return new Syscall(stamp, (int) e.nr(), name, args, result, returned, e.nanos(), e.instructions(), e.blocked());
    }

    private static boolean failed(long result) { return result < 0 && result >= -4095; }

    /** The map changes of a successful mmap/munmap/mprotect/mremap/brk, as the kernel now has them. */
    private void memoryEffects(Task t, Entry e, long[] a, long result) {
        if (failed(result)) return;
        switch ((int) e.nr()) {
            case Sysno.MMAP -> {
                Vma v = t.process().addressSpace().find(result);
                boolean file = v != null && v.file() != null;
                tracer.emit(new TraceEvent.Mmap(tracer.stamp(t), result, Paging.pageUp(a[1]), (int) a[2], (int) a[3],
                        file ? v.file().name() : null, file ? v.offset() + (result - v.start()) : 0, null,
                        TraceEvent.MapCause.SYSCALL));
            }
            case Sysno.MUNMAP -> tracer.emit(new TraceEvent.Munmap(tracer.stamp(t), a[0], Paging.pageUp(a[1])));
            case Sysno.MPROTECT -> {
                if (Paging.pageUp(a[1]) != 0) {
                    tracer.emit(new TraceEvent.Mprotect(tracer.stamp(t), a[0], Paging.pageUp(a[1]), (int) a[2] & 7));
                }
            }
            case Sysno.MREMAP -> tracer.emit(new TraceEvent.Mremap(tracer.stamp(t), a[0], Paging.pageUp(a[1]), result,
                    Paging.pageUp(a[2])));
            case Sysno.BRK -> {
                // brk(2) answers the break it ended with; a failed move returns the old one.
                if (result != e.brkBefore()) tracer.emit(new TraceEvent.Brk(tracer.stamp(t), e.brkBefore(), result));
            }
            default -> { }
        }
    }
}
