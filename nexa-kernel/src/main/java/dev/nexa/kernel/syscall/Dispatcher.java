package dev.nexa.kernel.syscall;

import dev.nexa.cpu.Cpu;
import dev.nexa.cpu.Reg;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Sysno;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.SyscallRestart;
import dev.nexa.kernel.proc.Task;

import java.util.BitSet;
import java.util.function.Consumer;

/**
 * Runs the syscall a task just trapped into: the only place that reads the argument
 * registers, turns {@link ErrnoException} into {@code -errno}, parks tasks that must wait
 * ({@link Blocked}: RIP is rewound to the SYSCALL so the call runs again when woken), answers
 * unknown numbers with -ENOSYS (reported once each), counts calls and feeds the observers
 * (strace-style log, trace events).
 * <p>
 * A call that would block while its task has a deliverable signal is not parked: it ends with
 * the restart code its {@link Blocked} names, recorded in {@link Task#syscallRestart} for
 * signal delivery, which follows every dispatch. A call that completes drops its
 * {@link Task#restart} state.
 */
public final class Dispatcher {
    /**
     * Told about every call (strace, trace export). Installed only while someone listens, so
     * with no observer the dispatcher pays one null check per call.
     */
    public interface Observer {
        /** Before the handler runs ({@code spec} is null for an unknown number). */
        default void entered(Task task, SyscallSpec spec, long nr, Args args) { }

        /** The call parked its task; it is dispatched again (entered anew) when the task wakes. */
        default void blocked(Task task, SyscallSpec spec, long nr) { }

        /** After the call, with its result (already in RAX unless the handler set the registers). */
        void completed(Task task, SyscallSpec spec, long nr, long[] args, long result);
    }

    private final SyscallTable table;
    private final BitSet reportedUnknown = new BitSet();
    private final Consumer<String> warn;
    private Observer observer;
    private final long[] counts;
    private long total;

    public Dispatcher(SyscallTable table, Consumer<String> warn) {
        this.table = table;
        this.warn = warn;
        this.counts = new long[512];
    }

    public void setObserver(Observer observer) { this.observer = observer; }

    public SyscallTable table() { return table; }

    public long total() { return total; }

    public long count(int nr) { return nr >= 0 && nr < counts.length ? counts[nr] : 0; }

    public void dispatch(Task t) {
        Cpu cpu = t.cpu();
        t.kernel().setCurrent(t);
        long nr = cpu.reg(Reg.RAX);
        Args a = t.args();
        a.set(cpu.reg(Reg.RDI), cpu.reg(Reg.RSI), cpu.reg(Reg.RDX), cpu.reg(Reg.R10), cpu.reg(Reg.R8), cpu.reg(Reg.R9));
        SyscallSpec spec = table.get(nr);
        if (observer != null) observer.entered(t, spec, nr, a);
        total++;
        if (nr >= 0 && nr < counts.length) counts[(int) nr]++;
        long result;
        if (spec == null) {
            result = Errno.ENOSYS.ret();
            if (nr >= 0 && nr < 1 << 20 && !reportedUnknown.get((int) nr)) {
                reportedUnknown.set((int) nr);
                warn.accept("unimplemented syscall " + Sysno.name((int) nr) + " (" + nr + "): returning ENOSYS");
            }
        } else {
            t.syscallNr = nr;
            t.syscallRestart = null;
            try {
                result = spec.handler().call(t, a);
            } catch (ErrnoException e) {
                result = e.errno().ret();
            } catch (Blocked b) {
                var signals = t.kernel().signals();
                if (b.killable() ? signals.hasFatalPending(t) : signals.hasDeliverable(t)) {
                    // A signal is waiting: the call ends interrupted, and signal delivery decides
                    // between -EINTR and a restart (SA_RESTART), as after a Linux sleep is broken.
                    result = b.onSignal();
                } else {
                    // Re-execute the 2-byte SYSCALL when woken (RAX still holds the number).
                    cpu.setRip(cpu.rip() - 2);
                    t.block(b.queues(), b.deadlineNanos(), b.killable());
                    if (observer != null) observer.blocked(t, spec, nr);
                    return;
                }
            }
            SyscallRestart restart = SyscallRestart.of(result);
            if (restart != null) t.syscallRestart = restart;
            else if (t.restart != null) t.cancelRestart();       // the call is over: its wait state goes
        }
        if (result != SyscallHandler.REGISTERS_SET) cpu.setReg(Reg.RAX, result);
        if (observer != null) observer.completed(t, spec, nr, a.raw(), result);
    }
}
