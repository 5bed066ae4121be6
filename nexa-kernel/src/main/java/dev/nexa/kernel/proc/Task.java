package dev.nexa.kernel.proc;

import dev.nexa.cpu.Cpu;
import dev.nexa.kernel.mm.UserMemory;
import dev.nexa.kernel.syscall.Args;

import java.util.ArrayList;
import java.util.List;

/**
 * A thread of execution (Linux's task_struct): a CPU with its registers, a signal mask and
 * pending set, and its {@link Process}, which owns the address space, descriptors and
 * signal handlers it shares with its sibling threads.
 */
public final class Task {
    public enum State { RUNNABLE, BLOCKED, STOPPED, EXITED }

    private final int tid;
    private Process process;
    private final Cpu cpu;
    private final Args args = new Args();
    private final Scheduler scheduler;
    private final dev.nexa.kernel.Kernel kernel;
    private UserMemory memory;
    private State state = State.RUNNABLE;
    private final List<WaitQueue> waitingOn = new ArrayList<>(2);
    private long wakeDeadline = -1;
    private boolean woken;

    /** Blocked signal set (bit sig-1). */
    public long sigmask;
    /** Signals pending for this thread only. */
    public long pending;
    /** set_tid_address: cleared and futex-woken at exit. */
    public long clearChildTid;
    public long robustList, robustListLen;
    public long rseq, rseqLen;
    /** sigaltstack. */
    public long altStackSp, altStackSize;
    public int altStackFlags = 2;      // SS_DISABLE
    /** Per-syscall restart state (e.g. the deadline of an interrupted nanosleep). */
    public Object restart;

    public Task(dev.nexa.kernel.Kernel kernel, int tid, Process process, Cpu cpu, Scheduler scheduler) {
        this.kernel = kernel;
        this.tid = tid;
        this.process = process;
        this.cpu = cpu;
        this.scheduler = scheduler;
        this.memory = new UserMemory(cpu.mmu(), process.addressSpace());
    }

    public int tid() { return tid; }

    public dev.nexa.kernel.Kernel kernel() { return kernel; }

    public Process process() { return process; }

    public Cpu cpu() { return cpu; }

    /** The syscall arguments of the call in progress (reused: no allocation per syscall). */
    public Args args() { return args; }

    public UserMemory memory() { return memory; }

    /** After exec replaced the address space. */
    public void rebindMemory() {
        this.memory = new UserMemory(cpu.mmu(), process.addressSpace());
    }

    public State state() { return state; }

    public boolean runnable() { return state == State.RUNNABLE; }

    /** Parks the task on the queues (and/or until the deadline); the scheduler skips it until woken. */
    public void block(WaitQueue[] queues, long deadlineNanos) {
        state = State.BLOCKED;
        woken = false;
        for (WaitQueue q : queues) {
            q.add(this);
            waitingOn.add(q);
        }
        wakeDeadline = deadlineNanos;
        scheduler.blocked(this);
    }

    /** Makes a blocked task runnable again (it will re-execute its syscall). */
    public void wake() {
        if (state != State.BLOCKED) return;
        for (WaitQueue q : waitingOn) q.remove(this);
        waitingOn.clear();
        wakeDeadline = -1;
        woken = true;
        state = State.RUNNABLE;
        scheduler.runnable(this);
    }

    /** True once after a wake-up, so a restarted call can tell "woken" from "first try". */
    public boolean consumeWoken() {
        boolean w = woken;
        woken = false;
        return w;
    }

    public long wakeDeadline() { return wakeDeadline; }

    public void stop() { state = State.STOPPED; }

    public void markExited() {
        for (WaitQueue q : waitingOn) q.remove(this);
        waitingOn.clear();
        state = State.EXITED;
        scheduler.exited(this);
    }

    @Override
    public String toString() { return "task " + tid + " (" + process.command() + ")"; }
}
