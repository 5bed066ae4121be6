package dev.nexa.kernel;

import dev.nexa.cpu.CodeCache;
import dev.nexa.cpu.Cpu;
import dev.nexa.cpu.Fault;
import dev.nexa.cpu.StopReason;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.exec.ElfLoader;
import dev.nexa.kernel.exec.ExecResult;
import dev.nexa.kernel.mm.AddressSpace;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Scheduler;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.signal.Signals;
import dev.nexa.kernel.syscall.Dispatcher;
import dev.nexa.kernel.syscall.StraceLog;
import dev.nexa.kernel.syscall.SyscallTable;
import dev.nexa.kernel.syscall.Syscalls;
import dev.nexa.kernel.trace.SyscallRecorder;
import dev.nexa.kernel.trace.Tracer;
import dev.nexa.kernel.vfs.FdTable;
import dev.nexa.kernel.vfs.HostStreamFile;
import dev.nexa.kernel.vfs.Vfs;
import dev.nexa.mem.FrameAllocator;
import dev.nexa.mem.MemoryFault;
import dev.nexa.mem.Mmu;
import dev.nexa.mem.PhysicalMemory;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.random.RandomGenerator;

/**
 * One emulated machine running the Linux personality: guest RAM and its frames, the shared
 * decode cache, the file system, the process table, the scheduler and the syscall table.
 * {@link #run()} drives every task on the calling thread until the first process exits.
 */
public final class Kernel implements AutoCloseable {
    private final KernelConfig config;
    private final PhysicalMemory ram;
    private final FrameAllocator frames;
    private final CodeCache codeCache;
    private final Vfs vfs;
    private final Scheduler scheduler = new Scheduler();
    private final Dispatcher dispatcher;
    private final ElfLoader loader;
    private final Signals signals;
    private final Tracer trace;
    private final RandomGenerator random;
    private final Map<Integer, Process> processes = new HashMap<>();
    private final Map<Integer, Task> tasks = new HashMap<>();
    private final long bootNanos = System.nanoTime();
    private int nextPid = 1;
    private Process init;
    private String stopReason;

    public Kernel(KernelConfig config) {
        this.config = config;
        this.ram = PhysicalMemory.reserve(config.memoryBytes());
        this.frames = new FrameAllocator(ram);
        this.codeCache = new CodeCache(ram);
        this.random = config.randomSeed() == null ? new SecureRandom() : new Random(config.randomSeed());
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

    /** Trace events (--trace): hooks call it where things happen; off unless configured. */
    public Tracer trace() { return trace; }

    public RandomGenerator random() { return random; }

    public long bootNanos() { return bootNanos; }

    public Process process(int pid) { return processes.get(pid); }

    public Task task(int tid) { return tasks.get(tid); }

    public List<Process> processes() { return List.copyOf(processes.values()); }

    public Process init() { return init; }

    /** Why the machine stopped early (instruction limit, ...), or null. */
    public String stopReason() { return stopReason; }

    public void warn(String message) { config.console().println("nexa: " + message); }

    public void log(String category, String message) {
        if (config.logs(category)) config.console().println(message);
    }

    // ---- processes -----------------------------------------------------------------------------

    public int allocatePid() { return nextPid++; }

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
        Process p = new Process(allocatePid(), null, AddressSpace.create(frames), fds);
        p.cwd = vfs.startingDirectory(cwd);
        p.uid = p.euid = vfs.initialCred().uid();
        p.gid = p.egid = vfs.initialCred().gid();
        Task t = newTask(p.pid(), p);
        try {
            loader.exec(t, path, argv, envp);
        } catch (ErrnoException e) {
            t.markExited();
            tasks.remove(t.tid());
            processes.remove(p.pid());
            p.addressSpace().destroy();
            throw e;
        }
        if (init == null) init = p;
        return p;
    }

    // ---- running -----------------------------------------------------------------------------------

    /** Runs until the first process has exited; returns its shell-style status (code or 128+signal). */
    public int run() {
        long limit = config.maxInstructions();
        long executed = 0;
        while (!init.isZombie()) {
            Task t = scheduler.next();
            if (t == null) {
                if (!scheduler.hasTasks()) break;
                scheduler.idle();
                continue;
            }
            long budget = Scheduler.QUANTUM;
            if (limit > 0) budget = Math.min(budget, limit - executed);
            long before = t.cpu().instructions();
            StopReason why = t.cpu().run(budget);
            executed += t.cpu().instructions() - before;
            switch (why) {
                case SYSCALL -> dispatcher.dispatch(t);
                case FAULT -> handleFault(t, t.cpu().fault());
                case BUDGET -> { }
            }
            if (t.state() != Task.State.EXITED) signals.deliverPending(t);
            if (limit > 0 && executed >= limit && !init.isZombie()) {
                stopReason = "instruction limit of " + limit + " reached";
                warn("stopped: " + stopReason);
                return 128 + dev.nexa.kernel.abi.Signal.SIGKILL;
            }
        }
        return init.shellStatus();
    }

    private void handleFault(Task t, Fault f) {
        if (f.vector() == Fault.PF) {
            var result = t.process().addressSpace().handleFault(f.address(),
                    (f.errorCode() & dev.nexa.mem.Paging.PF_WRITE) != 0,
                    (f.errorCode() & dev.nexa.mem.Paging.PF_FETCH) != 0);
            trace.pageFault(t, f, result);
            switch (result) {
                case RESOLVED -> { }
                case SEGV_MAPERR -> signals.fault(t, f, dev.nexa.kernel.abi.Signal.SIGSEGV, Signals.SEGV_MAPERR);
                case SEGV_ACCERR -> signals.fault(t, f, dev.nexa.kernel.abi.Signal.SIGSEGV, Signals.SEGV_ACCERR);
                case SIGBUS -> signals.fault(t, f, dev.nexa.kernel.abi.Signal.SIGBUS, Signals.BUS_ADRERR);
                case OOM -> {
                    warn("out of guest memory (--mem): killing " + t.process());
                    signals.fault(t, f, dev.nexa.kernel.abi.Signal.SIGKILL, 0);
                }
            }
            return;
        }
        trace.cpuException(t, f);
        signals.cpuException(t, f);
    }

    /** execve: replaces the task's program; on failure nothing has changed. */
    public ExecResult exec(Task t, String path, List<String> argv, List<String> envp) throws ErrnoException {
        return loader.exec(t, path, argv, envp);
    }

    /** exit(2) of one thread in a multi-threaded process. */
    public void exitThread(Task t, int code) {
        t.markExited();
        t.process().threads().remove(t);
        t.cpu().mmu().close();
        tasks.remove(t.tid());
        if (t.process().threads().isEmpty()) exitProcess(t.process(), (code & 0xff) << 8);
    }

    /** Ends a whole process with a wait status (exit_group, fatal signal). */
    public void exitProcess(Process p, int waitStatus) {
        if (p.isZombie()) return;
        for (Task t : List.copyOf(p.threads())) {
            t.markExited();
            t.cpu().mmu().close();
            tasks.remove(t.tid());
        }
        p.files().closeAll();
        p.addressSpace().destroy();
        for (Process c : List.copyOf(p.children())) c.reparent(init != p ? init : null);
        p.becomeZombie(waitStatus);
        trace.processExited(p, waitStatus);
        if (p.parent() != null) signals.sendChild(p);
    }

    /** Removes a reaped zombie from the process table. */
    public void release(Process p) {
        p.reap();
        processes.remove(p.pid());
    }

    @Override
    public void close() { ram.close(); }
}
