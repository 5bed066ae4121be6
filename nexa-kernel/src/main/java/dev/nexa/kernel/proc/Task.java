package dev.nexa.kernel.proc;

import dev.nexa.cpu.Cpu;
import dev.nexa.cpu.Fault;
import dev.nexa.kernel.mm.UserMemory;
import dev.nexa.mem.MemoryFault;
import dev.nexa.kernel.signal.SigPending;
import dev.nexa.kernel.syscall.Args;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A thread of execution (Linux's task_struct): a CPU with its registers, a signal mask and
 * pending set, and its {@link Process}, which owns the address space, descriptors and
 * signal handlers it shares with its sibling threads.
 * <p>
 * Scheduling state: RUNNABLE, BLOCKED in a syscall (RIP rewound to the SYSCALL, which runs
 * again when woken), or EXITED; independently, a task may be stopped by job control, which
 * keeps it off the CPU until SIGCONT whatever its state.
 */
public final class Task {
    public enum State { RUNNABLE, BLOCKED, EXITED }

    /** sigaltstack ss_flags (include/uapi/linux/signal.h). */
    public static final int SS_ONSTACK = 1, SS_DISABLE = 2, SS_AUTODISARM = 1 << 31;

    private int tid;
    private final Process process;
    private final Cpu cpu;
    private final Args args = new Args();
    private final Scheduler scheduler;
    private final dev.nexa.kernel.Kernel kernel;
    private UserMemory memory;
    private State state = State.RUNNABLE;
    private boolean stopped;
    private final List<WaitQueue> waitingOn = new ArrayList<>(2);
    private Scheduler.Timer wakeTimer;
    private long wakeDeadline = -1;
    private boolean killableWait;
    private boolean resumeSyscall;
    private boolean woken;

    /** Blocked signal set (bit sig-1). */
    public long sigmask;
    /** rt_sigtimedwait: the mask to restore while the waited-for set is temporarily unblocked (real_blocked). */
    public long realBlocked;
    /** The mask to put back after sigsuspend/ppoll/pselect (TIF_RESTORE_SIGMASK + saved_sigmask). */
    public long savedSigmask;
    public boolean restoreSigmask;
    /** Signals pending for this thread only (tgkill, faults). */
    public final SigPending pending = new SigPending();
    /** set_tid_address / CLONE_CHILD_CLEARTID: cleared and futex-woken at exit. */
    public long clearChildTid;
    public long robustList, robustListLen;
    public long rseq, rseqLen;
    /** sigaltstack: base, size and the raw ss_flags as last set (only SS_AUTODISARM matters). */
    public long altStackSp, altStackSize;
    public int altStackFlags;
    /** State a blocking syscall keeps across the wait that re-executes it. */
    public RestartState restart;
    /** After a syscall ended with a restart code: which one, and the syscall number (orig_rax). */
    public SyscallRestart syscallRestart;
    public long syscallNr = -1;
    /** The thread's last CPU exception, for the signal frame (thread.trap_nr, error_code, cr2). */
    public long trapNr, errorCode, cr2;
    /** The fault behind a pending synchronous signal, for the one-line report if it kills. */
    public Fault lastFault;
    public int lastFaultSignal;
    /** prctl(PR_SET_PDEATHSIG): sent to this task when its parent dies. */
    public int pdeathSignal;
    /** vfork: the parent waits here until this task execs or exits. */
    public final WaitQueue vforkDone = new WaitQueue();
    public boolean vforkPending;
    /** Context switches, for getrusage: waits (voluntary) and preemptions (involuntary). */
    public long nvcsw, nivcsw;

    public Task(dev.nexa.kernel.Kernel kernel, int tid, Process process, Cpu cpu, Scheduler scheduler) {
        this.kernel = kernel;
        this.tid = tid;
        this.process = process;
        this.cpu = cpu;
        this.scheduler = scheduler;
        this.memory = new UserMemory(cpu.mmu(), process.addressSpace());
    }

    public int tid() { return tid; }

    /** execve by a non-leader thread takes over the leader's id (de_thread). */
    public void setTid(int tid) { this.tid = tid; }

    public dev.nexa.kernel.Kernel kernel() { return kernel; }

    public Process process() { return process; }

    public Cpu cpu() { return cpu; }

    /**
     * Up to 15 bytes (the longest x86 instruction, SDM vol. 2 §2.3.11) at {@code rip} in hex, as far
     * as they are mapped and executable; for fault reports and trace events.
     */
    public String instructionBytes(long rip) {
        StringBuilder sb = new StringBuilder();
        HexFormat hex = HexFormat.of();
        for (int k = 0; k < 15; k++) {
            try {
                byte b = cpu.mmu().fetch8(rip + k);
                if (k > 0) sb.append(' ');
                sb.append(hex.toHexDigits(b));
            } catch (MemoryFault e) {
                break;
            } catch (RuntimeException e) {
                break;                               // the address space is already gone
            }
        }
        return sb.toString();
    }

    /** The syscall arguments of the call in progress (reused: no allocation per syscall). */
    public Args args() { return args; }

    public UserMemory memory() { return memory; }

    /** After exec replaced the address space. */
    public void rebindMemory() {
        this.memory = new UserMemory(cpu.mmu(), process.addressSpace());
    }

    public State state() { return state; }

    public boolean runnable() { return state == State.RUNNABLE && !stopped; }

    public boolean isStopped() { return stopped; }

    public boolean isExited() { return state == State.EXITED; }

    /** True while the task waits in a syscall that only fatal signals interrupt. */
    public boolean inKillableWait() { return state == State.BLOCKED && killableWait; }

    /**
     * Parks the task on the queues (and/or until the deadline); the scheduler skips it until
     * woken. The caller has rewound RIP to the SYSCALL, which the run loop re-dispatches.
     */
    public void block(WaitQueue[] queues, long deadlineNanos, boolean killable) {
        state = State.BLOCKED;
        woken = false;
        killableWait = killable;
        resumeSyscall = true;
        nvcsw++;
        for (WaitQueue q : queues) {
            q.add(this);
            waitingOn.add(q);
        }
        wakeDeadline = deadlineNanos;
        if (deadlineNanos >= 0) wakeTimer = scheduler.schedule(deadlineNanos, this::wake);
        scheduler.update(this);
    }

    public void block(WaitQueue[] queues, long deadlineNanos) { block(queues, deadlineNanos, false); }

    /** Makes a blocked task runnable again (it will re-execute its syscall). */
    public void wake() {
        if (state != State.BLOCKED) return;
        leaveQueues();
        woken = true;
        state = State.RUNNABLE;
        scheduler.update(this);
    }

    private void leaveQueues() {
        for (WaitQueue q : waitingOn) q.remove(this);
        waitingOn.clear();
        if (wakeTimer != null) wakeTimer.cancel();
        wakeTimer = null;
        wakeDeadline = -1;
        killableWait = false;
    }

    /** True once after a wake-up, so a restarted call can tell "woken" from "first try". */
    public boolean consumeWoken() {
        boolean w = woken;
        woken = false;
        return w;
    }

    /** The run loop asks: must the blocked syscall be dispatched again before user code runs? */
    public boolean takeResumeSyscall() {
        boolean r = resumeSyscall;
        resumeSyscall = false;
        return r;
    }

    public boolean resumesSyscall() { return resumeSyscall; }

    public long wakeDeadline() { return wakeDeadline; }

    /** Job-control stop (SIGSTOP and friends): off the CPU until {@link #cont()}. */
    public void stop() {
        if (state == State.EXITED) return;
        stopped = true;
        scheduler.update(this);
    }

    /** SIGCONT (or SIGKILL) ends a stop. */
    public void cont() {
        if (!stopped) return;
        stopped = false;
        scheduler.update(this);
    }

    public void markExited() {
        leaveQueues();
        if (restart != null) {
            RestartState r = restart;
            restart = null;
            r.cancel(this);
        }
        state = State.EXITED;
        stopped = false;
        resumeSyscall = false;
        scheduler.update(this);
    }

    /** Drops the restart state of an abandoned call, letting it undo what it holds. */
    public void cancelRestart() {
        RestartState r = restart;
        restart = null;
        if (r != null) r.cancel(this);
    }

    @Override
    public String toString() { return "task " + tid + " (" + process.command() + ")"; }
}
