package dev.nexa.kernel;

import dev.nexa.cpu.CodeCache;
import dev.nexa.cpu.Cpu;
import dev.nexa.cpu.Fault;
import dev.nexa.cpu.Reg;
import dev.nexa.cpu.StopReason;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.exec.ElfLoader;
import dev.nexa.kernel.exec.ExecResult;
import dev.nexa.kernel.mm.AddressSpace;
import dev.nexa.kernel.mm.UserMemory;
import dev.nexa.kernel.proc.Futexes;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Scheduler;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.signal.SigInfo;
import dev.nexa.kernel.signal.Signals;
import dev.nexa.kernel.syscall.Dispatcher;
import dev.nexa.kernel.syscall.StraceLog;
import dev.nexa.kernel.syscall.SyscallTable;
import dev.nexa.kernel.syscall.Syscalls;
import dev.nexa.kernel.trace.SyscallRecorder;
import dev.nexa.kernel.trace.Tracer;
import dev.nexa.kernel.tty.Console;
import dev.nexa.kernel.vfs.FdTable;
import dev.nexa.kernel.vfs.HostStreamFile;
import dev.nexa.kernel.vfs.Vfs;
import dev.nexa.mem.FrameAllocator;
import dev.nexa.mem.Mmu;
import dev.nexa.mem.Paging;
import dev.nexa.mem.PhysicalMemory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * One emulated machine running the Linux personality: guest RAM and its frames, the shared
 * decode cache, the file system, the process table, the scheduler and the syscall table.
 * {@link #run()} drives every task on the calling thread until the first process exits.
 * <p>
 * The process lifecycle lives here, after kernel/fork.c, fs/exec.c and kernel/exit.c: clone
 * in all its process and thread forms, execve's de_thread and vfork release, and exit with its
 * robust-futex cleanup, clear_child_tid wake-up, reparenting to pid 1, orphaned process group
 * SIGHUP/SIGCONT, parent notification and auto-reaping.
 */
public final class Kernel implements AutoCloseable {
    /** Default limit on tasks (threads and not-yet-reaped processes); fork beyond it is EAGAIN. */
    public static final int DEFAULT_TASK_LIMIT = 1024;
    /** Linux's pid_max on 64-bit machines. */
    static final int PID_MAX = 4_194_304;

    // clone(2) flags (include/uapi/linux/sched.h).
    public static final long CSIGNAL = 0xff, CLONE_VM = 0x100, CLONE_FS = 0x200, CLONE_FILES = 0x400,
            CLONE_SIGHAND = 0x800, CLONE_PIDFD = 0x1000, CLONE_PTRACE = 0x2000, CLONE_VFORK = 0x4000,
            CLONE_PARENT = 0x8000, CLONE_THREAD = 0x10000, CLONE_NEWNS = 0x20000, CLONE_SYSVSEM = 0x40000,
            CLONE_SETTLS = 0x80000, CLONE_PARENT_SETTID = 0x100000, CLONE_CHILD_CLEARTID = 0x200000,
            CLONE_DETACHED = 0x400000, CLONE_UNTRACED = 0x800000, CLONE_CHILD_SETTID = 0x1000000,
            CLONE_NEWCGROUP = 0x2000000, CLONE_NEWUTS = 0x4000000, CLONE_NEWIPC = 0x8000000,
            CLONE_NEWUSER = 0x10000000, CLONE_NEWPID = 0x20000000, CLONE_NEWNET = 0x40000000,
            CLONE_IO = 0x80000000L, CLONE_CLEAR_SIGHAND = 0x100000000L, CLONE_INTO_CGROUP = 0x200000000L;
    static final long CLONE_NAMESPACES = CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER
            | CLONE_NEWPID | CLONE_NEWNET;

    private final KernelConfig config;
    private final PhysicalMemory ram;
    private final FrameAllocator frames;
    private final CodeCache codeCache;
    private final Vfs vfs;
    private final Scheduler scheduler = new Scheduler();
    private final Dispatcher dispatcher;
    private final ElfLoader loader;
    private final Signals signals;
    private final Futexes futexes = new Futexes();
    private final Console console = new Console(this);
    private final Tracer trace;
    private final RandomGenerator random;
    private final Map<Integer, Process> processes = new TreeMap<>();
    private final Map<Integer, Task> tasks = new HashMap<>();
    /** Descriptor tables shared by several processes (clone(CLONE_FILES) without CLONE_THREAD). */
    private final Map<FdTable, Integer> sharedFiles = new IdentityHashMap<>();
    private final long bootNanos = System.nanoTime();
    private int nextPid = 1;
    private int zombies;
    private int taskLimit = DEFAULT_TASK_LIMIT;
    private Process init;
    /** Pid 1 when it is a stand-in for the host process that launched Nexa (see {@link #useHostParent}). */
    private Process hostParent;
    private Task current;
    private String stopReason;
    /** Page faults the CPUs raised (resolved or not), for --stats. */
    private long pageFaults;

    public Kernel(KernelConfig config) {
        this.config = config;
        this.ram = PhysicalMemory.reserve(config.memoryBytes());
        this.frames = new FrameAllocator(ram);
        this.codeCache = new CodeCache(ram);
        this.random = config.randomSeed() == null ? new HostRandom() : new Random(config.randomSeed());
        this.vfs = config.rootFs().apply(this);
        SyscallTable table = Syscalls.standard();
        this.dispatcher = new Dispatcher(table, this::warn);
        this.trace = new Tracer(config.trace(), bootNanos);
        dispatcher.setObserver(SyscallRecorder.create(trace, config.strace() ? new StraceLog(config.console()) : null));
        this.loader = new ElfLoader(vfs, frames, random, msg -> log("exec", msg));
        this.signals = new Signals(this);
    }

    public KernelConfig config() { return config; }

    public Vfs vfs() { return vfs; }

    public FrameAllocator frames() { return frames; }

    public Scheduler scheduler() { return scheduler; }

    public Dispatcher dispatcher() { return dispatcher; }

    public ElfLoader loader() { return loader; }

    public Signals signals() { return signals; }

    public Futexes futexes() { return futexes; }

    /** The console: a terminal when Nexa runs on one, else Nexa's standard streams. */
    public Console console() { return console; }

    /** Trace events (--trace): hooks call it where things happen; off unless configured. */
    public Tracer trace() { return trace; }

    public RandomGenerator random() { return random; }

    public long bootNanos() { return bootNanos; }

    public Process process(int pid) { return processes.get(pid); }

    public Task task(int tid) { return tasks.get(tid); }

    /** Every process in the table, zombies included, in pid order. */
    public List<Process> processes() { return List.copyOf(processes.values()); }

    /** The first program started: {@link #run} runs until it exits. Pid 1 unless {@link #useHostParent} was called. */
    public Process init() { return init; }

    /** Pid 1: the reaper of orphans (the first program, or the host-parent stand-in). */
    public Process pid1() { return hostParent != null ? hostParent : init; }

    /**
     * Runs the first program the way a shell would: as the child of pid 1, a task-less stand-in
     * for the host process that launched Nexa. The program then sees a parent (getppid() is 1),
     * shares its process group and session as a non-interactive shell's child does, may call
     * setsid(2), and is an ordinary process for signals; the stand-in reaps orphans as an init
     * would. Call before the first {@link #spawn}; {@code nexa boot} does not, so /init is pid 1.
     */
    public void useHostParent() throws ErrnoException {
        if (init != null || hostParent != null) throw new IllegalStateException("call before the first spawn");
        Process p = new Process(allocatePid(), null, AddressSpace.create(frames), new FdTable());
        p.sessionLeader = true;
        p.setCommand("nexa");
        // It never waits: children that die are reaped at once, as SIGCHLD = SIG_IGN does.
        p.setAction(Signal.SIGCHLD, new dev.nexa.kernel.proc.SignalAction(dev.nexa.kernel.proc.SignalAction.SIG_IGN, 0, 0, 0));
        processes.put(p.pid(), p);
        hostParent = p;
    }

    /** The task whose syscall is being serviced (Linux's current), or null outside syscalls. */
    public Task current() { return current; }

    /** Set by the dispatcher when a task enters the kernel. */
    public void setCurrent(Task t) { this.current = t; }

    /** Execution counts of every CPU of this machine (instructions, blocks, TLB misses; --stats). */
    public dev.nexa.cpu.CpuStats cpuStats() { return codeCache.stats(); }

    /** System calls dispatched so far, every task (--stats). */
    public long syscalls() { return dispatcher.total(); }

    /** Page faults raised by guest accesses so far, resolved or not (--stats). */
    public long pageFaults() { return pageFaults; }

    /** Why the machine stopped early (instruction limit, ...), or null. */
    public String stopReason() { return stopReason; }

    /** The most tasks (threads plus unreaped processes) that may exist at once. */
    public int taskLimit() { return taskLimit; }

    public void setTaskLimit(int limit) { this.taskLimit = Math.max(1, limit); }

    /** Exit status when {@link #run} stops the guest at the wall-clock limit: GNU timeout's 124. */
    public static final int TIMEOUT_STATUS = 124;
    /**
     * Exit status when the instruction limit stops the guest: 128 + SIGKILL, what a shell reports
     * for a process killed at its hard RLIMIT_CPU (kernel/time/posix-cpu-timers.c sends SIGKILL),
     * the Linux limit an instruction budget stands for.
     */
    public static final int INSTRUCTION_LIMIT_STATUS = 128 + Signal.SIGKILL;

    /** Stops {@link #run} after this much wall-clock time ({@code --timeout}); null or zero for none. */
    public void setTimeLimit(java.time.Duration limit) {
        this.timeLimitNanos = limit == null || limit.isNegative() ? 0 : limit.toNanos();
    }

    private long timeLimitNanos;
    private volatile boolean timeUp;

    /** Tasks counted against the limit: live threads and zombies not yet reaped. */
    public int taskCount() { return tasks.size() + zombies; }

    public void warn(String message) { config.console().println("nexa: " + message); }

    public void log(String category, String message) {
        if (config.logs(category)) config.console().println(message);
    }

    // ---- processes -----------------------------------------------------------------------------

    /** The next free id (pids and tids share one space); ids still naming a group or session are skipped. */
    public int allocatePid() {
        for (int tries = 0; tries < PID_MAX; tries++) {
            int id = nextPid;
            nextPid = nextPid >= PID_MAX - 1 ? 2 : nextPid + 1;
            if (!idInUse(id)) return id;
        }
        throw new IllegalStateException("no free pid");
    }

    private boolean idInUse(int id) {
        if (processes.containsKey(id) || tasks.containsKey(id)) return true;
        for (Process p : processes.values()) if (p.pgid == id || p.sid == id) return true;
        return false;
    }

    /** A new task for {@code proc} with a fresh CPU on the process's address space. */
    public Task newTask(int tid, Process proc) {
        Mmu mmu = new Mmu(ram);
        mmu.switchTo(proc.addressSpace().pageTable());
        Cpu cpu = new Cpu(mmu, codeCache);
        Task t = new Task(this, tid, proc, cpu, scheduler);
        proc.threads().add(t);
        tasks.put(tid, t);
        processes.put(proc.pid(), proc);
        scheduler.add(t);
        if (proc.threads().size() == 1) trace.processStarted(t);
        return t;
    }

    /**
     * Creates the first process and execs {@code path} in it, with the emulator's standard
     * streams as descriptors 0, 1, 2.
     */
    public Process spawn(String path, List<String> argv, List<String> envp) throws ErrnoException {
        return spawn(path, argv, envp, "/");
    }

    /** Like {@link #spawn(String, List, List)}, starting in working directory {@code cwd}. */
    public Process spawn(String path, List<String> argv, List<String> envp, String cwd) throws ErrnoException {
        return spawn(path, argv, envp, cwd, HostStreamFile.stdin(), HostStreamFile.stdout(), HostStreamFile.stderr());
    }

    /** Spawns with the given files as descriptors 0, 1 and 2 (tests capture output this way). */
    public Process spawn(String path, List<String> argv, List<String> envp, String cwd,
                         dev.nexa.kernel.vfs.OpenFile stdin, dev.nexa.kernel.vfs.OpenFile stdout,
                         dev.nexa.kernel.vfs.OpenFile stderr) throws ErrnoException {
        FdTable fds = new FdTable();
        fds.install(stdin, false);
        fds.install(stdout, false);
        fds.install(stderr, false);
        return spawn(path, argv, envp, cwd, fds);
    }

    /** Creates a process with the given descriptors and execs {@code path} in it; the first one is pid 1. */
    public Process spawn(String path, List<String> argv, List<String> envp, FdTable fds) throws ErrnoException {
        return spawn(path, argv, envp, "/", fds);
    }

    /** Like {@link #spawn(String, List, List, FdTable)}, starting in working directory {@code cwd}. */
    public Process spawn(String path, List<String> argv, List<String> envp, String cwd, FdTable fds)
            throws ErrnoException {
        Process p = new Process(allocatePid(), init == null ? hostParent : null, AddressSpace.create(frames), fds);
        p.shareHandlers(new dev.nexa.kernel.proc.SignalHandlers());   // a program starts with default dispositions
        p.cwd = vfs.startingDirectory(cwd);
        p.uid = p.euid = vfs.initialCred().uid();
        p.gid = p.egid = vfs.initialCred().gid();
        Task t = newTask(p.pid(), p);
        AddressSpace initial = p.addressSpace();
        try {
            loader.exec(t, path, argv, envp);
        } catch (ErrnoException e) {
            if (p.addressSpace() != initial) {
                // Past the point of no return: like a shell's child whose execve went too far,
                // the program dies of SIGSEGV (fs/exec.c bprm_execve) when it would first run.
                warn("exec of " + path + " failed after the point of no return (" + e.getMessage() + "): SIGSEGV");
                signals.forceFatal(t, Signal.SIGSEGV);
                if (init == null) init = p;
                return p;
            }
            t.markExited();
            t.cpu().mmu().close();
            tasks.remove(t.tid());
            processes.remove(p.pid());
            if (p.parent() != null) p.reap();
            p.releaseAddressSpace();
            throw e;
        }
        if (init == null) init = p;
        return p;
    }

    /**
     * clone(2)/clone3(2)/fork/vfork (kernel/fork.c copy_process): a new process or thread whose
     * CPU state is the caller's with RAX = 0. Returns the child task; vfork waiting is the
     * caller's business.
     *
     * @param exitSignal signal the parent gets when the child exits (ignored for threads)
     * @param newSp      the child's stack pointer, or 0 to keep the caller's
     */
    public Task clone(Task t, long flags, int exitSignal, long newSp, long parentTidPtr, long childTidPtr, long tls)
            throws ErrnoException {
        Process caller = t.process();
        if ((flags & (CLONE_NEWNS | CLONE_FS)) == (CLONE_NEWNS | CLONE_FS)
                || (flags & (CLONE_NEWUSER | CLONE_FS)) == (CLONE_NEWUSER | CLONE_FS)
                || (flags & CLONE_THREAD) != 0 && (flags & CLONE_SIGHAND) == 0
                || (flags & CLONE_SIGHAND) != 0 && (flags & CLONE_VM) == 0
                || (flags & CLONE_CLEAR_SIGHAND) != 0 && (flags & CLONE_SIGHAND) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & CLONE_PARENT) != 0 && caller.parent() == null) {
            throw new ErrnoException(Errno.EINVAL, "init may not create siblings");
        }
        if ((flags & (CLONE_PIDFD | CLONE_INTO_CGROUP)) != 0) throw new ErrnoException(Errno.EINVAL, "unsupported clone flag");
        if ((flags & CLONE_NAMESPACES) != 0) throw new ErrnoException(Errno.EPERM, "namespaces are not supported");
        if (taskCount() >= taskLimit) throw new ErrnoException(Errno.EAGAIN, "task limit " + taskLimit + " reached");

        boolean thread = (flags & CLONE_THREAD) != 0;
        Process proc;
        int tid;
        if (thread) {
            proc = caller;
            tid = allocatePid();
        } else {
            AddressSpace mm = (flags & CLONE_VM) != 0 ? caller.addressSpace() : caller.addressSpace().fork();
            FdTable files = caller.files();
            if ((flags & CLONE_FILES) != 0) sharedFiles.merge(files, 2, (a, b) -> a + 1);
            else files = files.copy();
            Process realParent = (flags & CLONE_PARENT) != 0 ? caller.parent() : caller;
            proc = new Process(allocatePid(), realParent, mm, files);
            proc.inheritFrom(caller);
            if ((flags & CLONE_VM) != 0) proc.shareAddressSpace(caller);
            if ((flags & CLONE_SIGHAND) != 0) proc.shareHandlers(caller.handlers());
            else if ((flags & CLONE_CLEAR_SIGHAND) != 0) proc.handlers().clearHandled();
            proc.exitSignal = exitSignal;
            tid = proc.pid();
        }
        Task child = newTask(tid, proc);
        Cpu cpu = child.cpu();
        cpu.copyStateFrom(t.cpu());
        cpu.setReg(Reg.RAX, 0);
        if (newSp != 0) cpu.setReg(Reg.RSP, newSp);
        if ((flags & CLONE_SETTLS) != 0) cpu.setFsBase(tls);
        child.sigmask = t.sigmask;
        if ((flags & (CLONE_VM | CLONE_VFORK)) != CLONE_VM) {
            child.altStackSp = t.altStackSp;
            child.altStackSize = t.altStackSize;
            child.altStackFlags = t.altStackFlags;
            if ((flags & CLONE_VM) == 0) {
                child.rseq = t.rseq;
                child.rseqLen = t.rseqLen;
            }
        } else {
            child.altStackFlags = Task.SS_DISABLE;       // sas_ss_reset: a thread gets no alternate stack
        }
        if ((flags & CLONE_CHILD_CLEARTID) != 0) child.clearChildTid = childTidPtr;
        if ((flags & CLONE_VFORK) != 0) child.vforkPending = true;
        // CLONE_PARENT_SETTID writes into the caller's memory before the child runs; errors are ignored.
        if ((flags & CLONE_PARENT_SETTID) != 0) tryWriteInt(t.memory(), parentTidPtr, tid);
        // CLONE_CHILD_SETTID is written by the child itself (schedule_tail), into its own memory.
        if ((flags & CLONE_CHILD_SETTID) != 0) tryWriteInt(child.memory(), childTidPtr, tid);
        log("proc", String.format("clone(0x%x) by %s: %s %d", flags, t, thread ? "thread" : "process", tid));
        return child;
    }

    private static void tryWriteInt(UserMemory m, long addr, int v) {
        try {
            m.writeInt(addr, v);
        } catch (ErrnoException ignored) {
            // put_user failures in copy_process/schedule_tail are not reported
        }
    }

    // ---- running -----------------------------------------------------------------------------------

    /** Runs until the first process has exited; returns its shell-style status (code or 128+signal). */
    public int run() {
        Thread watchdog = startWatchdog();
        try {
            return runLoop();
        } finally {
            if (watchdog != null) {
                watchdog.interrupt();
                Thread.interrupted();         // a late interrupt from the watchdog is not the caller's
            }
        }
    }

    /**
     * A host thread that marks the time as up at the --timeout deadline and wakes the idle loop;
     * if the kernel thread is still stuck a second later (in a blocking host read), it interrupts it.
     */
    private Thread startWatchdog() {
        if (timeLimitNanos <= 0) return null;
        Thread runner = Thread.currentThread();
        long deadline = System.nanoTime() + timeLimitNanos;
        return Thread.ofPlatform().daemon().name("nexa-timeout").start(() -> {
            try {
                long left;
                while ((left = deadline - System.nanoTime()) > 0) java.util.concurrent.TimeUnit.NANOSECONDS.sleep(left);
                timeUp = true;
                scheduler.hostEvent();
                Thread.sleep(1000);
                runner.interrupt();
            } catch (InterruptedException done) {
                // the run ended first
            }
        });
    }

    private String formatLimit(long nanos) {
        java.time.Duration d = java.time.Duration.ofNanos(nanos);
        if (d.toMillis() % 1000 != 0) return d.toMillis() + "ms";
        long sec = d.toSeconds();
        return sec % 60 == 0 && sec >= 60 ? sec / 60 + "m" : sec + "s";
    }

    private int runLoop() {
        long limit = config.maxInstructions();
        long executed = 0;
        while (!init.isZombie()) {
            if (timeUp) {
                stopReason = "time limit of " + formatLimit(timeLimitNanos) + " reached (--timeout)";
                warn("stopped: " + stopReason);
                return TIMEOUT_STATUS;
            }
            Task t = scheduler.next();
            if (t == null) {
                if (!scheduler.hasTasks()) break;
                if (Thread.currentThread().isInterrupted() && !timeUp) {
                    // The host wants the machine back (a test timeout, an embedding application).
                    stopReason = "interrupted while every task was waiting";
                    warn("stopped: " + stopReason);
                    return 128 + Signal.SIGKILL;
                }
                scheduler.idle();
                continue;
            }
            if (t.takeResumeSyscall()) {
                // Woken in a syscall that blocked: run it again from the start (see Blocked).
                t.cpu().setRip(t.cpu().rip() + 2);
                dispatcher.dispatch(t);
                if (t.runnable()) signals.deliverPending(t);
                continue;
            }
            if (signals.hasWork(t)) {
                signals.deliverPending(t);
                if (!t.runnable()) continue;
            }
            long budget = Math.min(Scheduler.QUANTUM, cpuTimerBudget(t.process()));
            if (limit > 0) budget = Math.min(budget, limit - executed);
            long before = t.cpu().instructions();
            StopReason why = t.cpu().run(budget);
            long ran = t.cpu().instructions() - before;
            executed += ran;
            switch (why) {
                case SYSCALL -> dispatcher.dispatch(t);
                case FAULT -> handleFault(t, t.cpu().fault());
                case BUDGET -> t.nivcsw++;
            }
            chargeCpuTimers(t.process(), ran);
            if (t.runnable()) signals.deliverPending(t);
            if (limit > 0 && executed >= limit && !init.isZombie()) {
                stopReason = "instruction limit of " + limit + " reached (--max-instructions)";
                warn("stopped: " + stopReason);
                return INSTRUCTION_LIMIT_STATUS;
            }
        }
        return init.shellStatus();
    }

    /** Instructions until the process's ITIMER_VIRTUAL or ITIMER_PROF expires. */
    private static long cpuTimerBudget(Process p) {
        long b = Long.MAX_VALUE;
        if (p.virtualLeft > 0) b = p.virtualLeft;
        if (p.profLeft > 0) b = Math.min(b, p.profLeft);
        return Math.max(1, b);
    }

    /** ITIMER_VIRTUAL and ITIMER_PROF count the process's CPU time (instructions at 1 GHz). */
    private void chargeCpuTimers(Process p, long ran) {
        if (p.isZombie()) return;
        if (p.virtualLeft > 0) {
            p.virtualLeft -= ran;
            if (p.virtualLeft <= 0) {
                p.virtualLeft = p.virtualInterval;
                signals.sendProcess(p, SigInfo.kernel(Signal.SIGVTALRM));
            }
        }
        if (p.profLeft > 0) {
            p.profLeft -= ran;
            if (p.profLeft <= 0) {
                p.profLeft = p.profInterval;
                signals.sendProcess(p, SigInfo.kernel(Signal.SIGPROF));
            }
        }
    }

    private void handleFault(Task t, Fault f) {
        if (f.vector() == Fault.PF) {
            pageFaults++;
            var result = t.process().addressSpace().handleFault(f.address(),
                    (f.errorCode() & Paging.PF_WRITE) != 0, (f.errorCode() & Paging.PF_FETCH) != 0);
            trace.pageFault(t, f, result);
            switch (result) {
                case RESOLVED -> t.process().minorFaults++;
                case SEGV_MAPERR -> signals.fault(t, f, Signal.SIGSEGV, SigInfo.SEGV_MAPERR);
                case SEGV_ACCERR -> signals.fault(t, f, Signal.SIGSEGV, SigInfo.SEGV_ACCERR);
                case SIGBUS -> signals.fault(t, f, Signal.SIGBUS, SigInfo.BUS_ADRERR);
                case OOM -> {
                    warn("out of guest memory (--mem): killing " + t.process());
                    signals.fault(t, f, Signal.SIGKILL, 0);
                }
            }
            return;
        }
        trace.cpuException(t, f);
        signals.cpuException(t, f);
    }

    // ---- exec --------------------------------------------------------------------------------------

    /** execve: replaces the task's program; on failure nothing has changed. */
    public ExecResult exec(Task t, String path, List<String> argv, List<String> envp) throws ErrnoException {
        return exec(t, Vfs.AT_FDCWD, path, 0, argv, envp);
    }

    /**
     * execve/execveat: {@code path} relative to {@code dirfd}, opened with {@code openFlags}
     * (O_NOFOLLOW). A failure before the point of no return changes nothing; one after it kills
     * the process with SIGSEGV, as Linux does. Returns null in that case.
     */
    public ExecResult exec(Task t, int dirfd, String path, int openFlags, List<String> argv, List<String> envp)
            throws ErrnoException {
        Process p = t.process();
        if (sharedFiles.containsKey(p.files())) {
            // unshare_files: the close-on-exec sweep must not reach into another process's table.
            releaseFiles(p.files(), false);
            p.setFiles(p.files().copy());
        }
        AddressSpace before = p.addressSpace();
        boolean shared = p.addressSpaceShared();
        long clearTid = t.clearChildTid;
        ExecResult r;
        try {
            r = loader.exec(t, dirfd, path, openFlags, argv, envp);
        } catch (ErrnoException | RuntimeException e) {
            if (p.addressSpace() == before) throw e;
            // Past the point of no return the old program is gone: SIGSEGV (fs/exec.c bprm_execve).
            log("exec", "exec of " + path + " failed after the point of no return: " + e.getMessage());
            afterExecMmRelease(t, before, shared, clearTid);
            deThread(t);
            signals.forceFatal(t, Signal.SIGSEGV);
            return null;
        }
        afterExecMmRelease(t, before, shared, clearTid);
        deThread(t);
        p.posixTimers.deleteAll();          // begin_new_exec: exit_itimers (ITIMER_REAL survives)
        return r;
    }

    /**
     * exec_mm_release: a still-shared old address space (vfork) gets its clear_child_tid word
     * cleared and woken, and the vfork parent is released.
     */
    private void afterExecMmRelease(Task t, AddressSpace old, boolean shared, long clearTid) {
        if (clearTid != 0 && shared) {
            Mmu mmu = new Mmu(ram);
            try {
                mmu.switchTo(old.pageTable());
                UserMemory m = new UserMemory(mmu, old);
                tryWriteInt(m, clearTid, 0);
                futexes.wake(new Futexes.Key(old, clearTid), 1, -1);
            } finally {
                mmu.close();
            }
        }
        releaseVfork(t);
    }

    /** de_thread: the other threads die, and the exec'ing thread takes over the process's id. */
    private void deThread(Task t) {
        Process p = t.process();
        for (Task other : List.copyOf(p.threads())) if (other != t) retire(other, false);
        if (t.tid() != p.pid()) {
            tasks.remove(t.tid());
            t.setTid(p.pid());
            tasks.put(p.pid(), t);
        }
    }

    // ---- exit --------------------------------------------------------------------------------------

    /** exit(2): ends the calling thread; the last thread to go ends the process with this code. */
    public void exitThread(Task t, int code) {
        Process p = t.process();
        if (p.threads().size() <= 1) {
            exitProcess(p, (code & 0xff) << 8);
            return;
        }
        retire(t, true);
    }

    /** Ends a whole process with a wait status (exit_group, fatal signal). */
    public void exitProcess(Process p, int waitStatus) {
        if (p.isZombie()) return;
        p.groupExiting = true;
        p.groupExitStatus = waitStatus;
        for (Task t : List.copyOf(p.threads())) retire(t, true);
        finishProcess(p, waitStatus);
    }

    /**
     * One task leaves (do_exit up to exit_notify): robust futexes, clear_child_tid, the vfork
     * parent, accounting. With {@code touchMemory} false (de_thread at exec) user memory is not
     * written: the old image is about to disappear anyway.
     */
    private void retire(Task t, boolean touchMemory) {
        Process p = t.process();
        if (touchMemory) {
            exitRobustList(t);
            boolean othersUseMm = p.threads().size() > 1 || p.addressSpaceShared();
            if (t.clearChildTid != 0 && othersUseMm) {
                tryWriteInt(t.memory(), t.clearChildTid, 0);
                wakeFutex(t, t.clearChildTid, 1);
            }
        }
        t.clearChildTid = 0;
        releaseVfork(t);
        p.deadThreadsTime += t.cpu().instructions();
        p.nvcsw += t.nvcsw;
        p.nivcsw += t.nivcsw;
        t.markExited();
        p.threads().remove(t);
        t.cpu().mmu().close();
        tasks.remove(t.tid());
        log("proc", "exit of " + t);
    }

    private void releaseVfork(Task t) {
        if (!t.vforkPending) return;
        t.vforkPending = false;
        t.vforkDone.wakeAll();
    }

    /** FUTEX_WAKE as the kernel does it at exit (a shared-futex key: physical for shared mappings). */
    public int wakeFutex(Task t, long uaddr, int n) {
        Futexes.Key key = futexKey(t, uaddr, false);
        return key == null ? 0 : futexes.wake(key, n, -1);
    }

    /**
     * get_futex_key: a private futex, or any word in a private mapping, is (address space,
     * address); a word in a shared mapping is its physical address, which every process mapping
     * the page sees. Null when the address is not mapped.
     */
    public Futexes.Key futexKey(Task t, long uaddr, boolean priv) {
        AddressSpace mm = t.process().addressSpace();
        if (priv) return new Futexes.Key(mm, uaddr);
        var vma = mm.find(uaddr);
        if (vma == null) return null;
        if (!vma.shared()) return new Futexes.Key(mm, uaddr);
        try {
            return new Futexes.Key(Futexes.SHARED, t.memory().translate(uaddr, false));
        } catch (ErrnoException e) {
            return null;
        }
    }

    static final int FUTEX_WAITERS = 0x8000_0000, FUTEX_OWNER_DIED = 0x4000_0000, FUTEX_TID_MASK = 0x3fff_ffff;
    static final int ROBUST_LIST_LIMIT = 2048;

    /**
     * exit_robust_list (kernel/futex/core.c): every futex on the thread's robust list that it
     * still owns gets FUTEX_OWNER_DIED and one waiter woken, so other threads and processes
     * using robust mutexes learn that the owner died. PI futexes are treated like plain ones.
     */
    private void exitRobustList(Task t) {
        long head = t.robustList;
        if (head == 0) return;
        t.robustList = 0;
        UserMemory m = t.memory();
        try {
            long entry = m.readLong(head);
            long offset = m.readLong(head + 8);
            long pending = m.readLong(head + 16);
            int limit = ROBUST_LIST_LIMIT;
            while (entry != head) {
                long next = m.readLong(entry & ~1L);
                if ((entry & ~1L) != (pending & ~1L)) handleFutexDeath(t, (entry & ~1L) + offset, false);
                entry = next;
                if (--limit == 0) break;
            }
            if (pending != 0) handleFutexDeath(t, (pending & ~1L) + offset, true);
        } catch (ErrnoException e) {
            // an unreadable list ends the walk, as in Linux
        }
    }

    private void handleFutexDeath(Task t, long uaddr, boolean pendingOp) throws ErrnoException {
        if ((uaddr & 3) != 0) return;
        UserMemory m = t.memory();
        int uval = m.readInt(uaddr);
        if (pendingOp && uval == 0) {
            wakeFutex(t, uaddr, 1);
            return;
        }
        if ((uval & FUTEX_TID_MASK) != t.tid()) return;
        int mval = (uval & FUTEX_WAITERS) | FUTEX_OWNER_DIED;
        m.writeInt(uaddr, mval);
        if ((uval & FUTEX_WAITERS) != 0) wakeFutex(t, uaddr, 1);
    }

    /** exit_notify and the rest of do_exit for the last thread: the process becomes a zombie (or is reaped). */
    private void finishProcess(Process p, int status) {
        // disassociate_ctty(1): a session leader takes its session's terminal with it.
        if (p.sessionLeader && p.tty != null) p.tty.sessionLeaderExited(p);
        p.maxRssKb = Math.max(p.maxRssKb, p.addressSpace().residentPages() * 4);
        releaseFiles(p.files(), true);
        p.releaseAddressSpace();
        if (p.realTimer != null) p.realTimer.cancel();
        p.posixTimers.deleteAll();
        p.virtualLeft = 0;
        p.profLeft = 0;
        p.sharedPending.clear();
        Process reaper = findReaper(p);
        for (Process c : List.copyOf(p.children())) {
            for (Task ct : c.threads()) {
                if (ct.pdeathSignal != 0) {
                    signals.sendProcess(c, SigInfo.kill(ct.pdeathSignal, SigInfo.SI_USER, p.pid(), p.uid));
                }
            }
            c.reparent(reaper);
            if (c.exitSignal > 0) c.exitSignal = Signal.SIGCHLD;
            // kill_orphaned_pgrp(child, father): the child was its group's link outside
            if (c.pgid != p.pgid && c.sid == p.sid) hangUpIfOrphaned(c.pgid, null);
            if (c.isZombie() && reaper != null && signals.notifyParentExit(c)) release(c);
        }
        Process parent = p.parent();
        if (parent != null && parent.pgid != p.pgid && parent.sid == p.sid) hangUpIfOrphaned(p.pgid, p);
        p.becomeZombie(status);
        trace.processExited(p, status);
        zombies++;
        log("proc", "exit of " + p + " with status 0x" + Integer.toHexString(status));
        if (signals.notifyParentExit(p)) release(p);
    }

    /** find_new_reaper: the nearest live ancestor marked as child subreaper, else pid 1 (null if p is pid 1). */
    private Process findReaper(Process p) {
        for (Process a = p.parent(); a != null; a = a.parent()) {
            if (a.childSubreaper && !a.isZombie() && !a.groupExiting) return a;
        }
        Process one = pid1();
        return one != p && one != null && !one.isZombie() ? one : null;
    }

    private void releaseFiles(FdTable files, boolean close) {
        Integer users = sharedFiles.get(files);
        if (users != null) {
            if (users <= 2) sharedFiles.remove(files);
            else sharedFiles.put(files, users - 1);
            return;
        }
        if (close) files.closeAll();
    }

    /** Removes a reaped zombie from the process table. */
    public void release(Process p) {
        if (p.reaped()) return;
        p.reap();
        processes.remove(p.pid());
        if (p.isZombie()) zombies--;
    }

    // ---- process groups ----------------------------------------------------------------------------

    /** The live members of a process group. */
    public List<Process> processGroup(int pgid) {
        List<Process> out = new ArrayList<>();
        for (Process p : processes.values()) if (p.pgid == pgid && !p.isZombie()) out.add(p);
        return out;
    }

    /**
     * will_become_orphaned_pgrp (kernel/exit.c): no member (other than {@code ignore}) has a
     * parent in another group of the same session. Members whose parent is pid 1 do not count.
     */
    public boolean isOrphanedPgrp(int pgid, Process ignore) {
        for (Process p : processes.values()) {
            if (p.pgid != pgid || p == ignore || p.isZombie()) continue;
            Process parent = p.parent();
            // Members whose parent is the real init do not count (is_global_init); the host-parent
            // stand-in is a shell outside, so it does.
            if (parent == null || parent == init && hostParent == null) continue;
            if (parent.pgid != pgid && parent.sid == p.sid) return false;
        }
        return true;
    }

    /** kill_orphaned_pgrp: a newly orphaned group with stopped members gets SIGHUP, then SIGCONT. */
    private void hangUpIfOrphaned(int pgid, Process exiting) {
        if (!isOrphanedPgrp(pgid, exiting)) return;
        boolean stoppedJobs = false;
        for (Process p : processGroup(pgid)) if (p.stopped) stoppedJobs = true;
        if (!stoppedJobs) return;
        for (Process p : processGroup(pgid)) {
            if (p == exiting) continue;
            signals.sendProcess(p, SigInfo.kernel(Signal.SIGHUP));
            signals.sendProcess(p, SigInfo.kernel(Signal.SIGCONT));
        }
    }

    @Override
    public void close() {
        console.close();
        ram.close();
    }

    /**
     * {@link #close()} for a process that exits right after: the console lets go of the host
     * terminal, and guest RAM goes with the process (the host unmaps it at exit, exit_mmap in
     * mm/mmap.c), which saves the munmap downcall's stub, tens of milliseconds of a hello world
     * (docs/performance.md "Start-up").
     */
    public void closeBeforeExit() {
        console.close();
    }
}
