package dev.nexa.kernel.proc;

import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.mm.AddressSpace;
import dev.nexa.kernel.signal.SigPending;
import dev.nexa.kernel.vfs.FdTable;
import dev.nexa.kernel.vfs.PathRef;

import java.util.ArrayList;
import java.util.List;

/**
 * A process (a thread group, Linux's signal_struct plus the group leader's identity): the
 * resources its tasks share — address space, file descriptors, working directory, signal
 * dispositions and process-wide pending signals — its place in the process tree (parent,
 * process group, session), job-control state, CPU accounting, and its exit status once it is
 * a zombie.
 */
public final class Process {
    /** Counts the processes using one address space (clone(CLONE_VM) without CLONE_THREAD: vfork). */
    private static final class MmRef {
        final AddressSpace mm;
        int users = 1;

        MmRef(AddressSpace mm) { this.mm = mm; }
    }

    private final int pid;
    private Process parent;
    public int pgid, sid;
    /** This process created its session (setsid): it may not change its group (signal->leader). */
    public boolean sessionLeader;
    /** The controlling terminal (signal->tty), inherited by fork, dropped by setsid; or null. */
    public dev.nexa.kernel.tty.Tty tty;
    private MmRef mm;
    private FdTable files;
    private final List<Task> threads = new ArrayList<>(1);
    private final List<Process> children = new ArrayList<>();
    private SignalHandlers handlers;
    /** Signals pending for the whole process (kill(2) targets). */
    public final SigPending sharedPending = new SigPending();
    /** Woken whenever a signal is queued for the process or one of its threads (signalfd readers). */
    public final WaitQueue signalEvents = new WaitQueue();
    /** Parents wait here for children to change state (wait4, waitid). */
    public final WaitQueue childEvents = new WaitQueue();
    /** The signal the parent gets when this process exits (clone's CSIGNAL byte; SIGCHLD for fork). */
    public int exitSignal = Signal.SIGCHLD;
    /** prctl(PR_SET_CHILD_SUBREAPER): orphaned descendants are reparented here rather than to pid 1. */
    public boolean childSubreaper;
    /** Has this process called execve since it was forked (setpgid answers EACCES then). */
    public boolean didExec;

    /** Working directory and root (null: the namespace's initial ones); the executable, for /proc/PID/exe. */
    public PathRef cwd, root, exe;
    public int umask = 022;
    public int uid, gid, euid, egid;
    private String command = "";
    private String exePath = "";
    private List<String> argv = List.of();
    private List<String> envp = List.of();
    private long[] auxv = new long[0];

    // ---- job control and exit (signal_struct flags) ----
    /** Stopped by SIGSTOP & co. (SIGNAL_STOP_STOPPED). */
    public boolean stopped;
    /** The stop signal not yet reported to a WUNTRACED waiter (group_exit_code), or 0. */
    public int stopReport;
    /** Continued and not yet reported to a WCONTINUED waiter (SIGNAL_STOP_CONTINUED). */
    public boolean continuedReport;
    /** A fatal signal or exit_group is taking the group down (SIGNAL_GROUP_EXIT), with this status. */
    public boolean groupExiting;
    public int groupExitStatus;

    // ---- accounting (nanoseconds of CPU time: instructions at a nominal 1 GHz) ----
    /** CPU time of threads that have exited. */
    public long deadThreadsTime;
    /** Reaped children's times, their own reaped children included (signal->cutime/cstime). */
    public long childrenUtime, childrenStime;
    public long minorFaults, childrenMinorFaults;
    public long nvcsw, nivcsw, childrenNvcsw, childrenNivcsw;
    /** Peak resident set in KiB (ru_maxrss) of this process, and the largest of its reaped children. */
    public long maxRssKb, childrenMaxRssKb;
    /** Soft RLIMIT_CORE: a core-dumping signal sets the 0x80 bit in the wait status only when non-zero. */
    public long coreLimit;
    /** The nice value (-20..19) setpriority sets and getpriority reports as 20 - nice; ioprio_set's value. */
    public int nice, ioprio;

    // ---- interval timers ----
    /** ITIMER_REAL: the armed timer, its reload interval (ns). */
    public Scheduler.Timer realTimer;
    public long realInterval;
    /** ITIMER_VIRTUAL / ITIMER_PROF: CPU time left until expiry and reload (ns; 0 = disarmed). */
    public long virtualLeft, virtualInterval, profLeft, profInterval;
    /** timer_create's timers (not inherited by a fork child; deleted at exec and exit). */
    public final PosixTimers posixTimers = new PosixTimers();

    private boolean zombie;
    /** The wait status (wait(2) encoding: code << 8, or the signal number | 0x80 if core). */
    private int waitStatus;
    private boolean reaped;

    public Process(int pid, Process parent, AddressSpace mm, FdTable files) {
        this.pid = pid;
        this.parent = parent;
        this.mm = new MmRef(mm);
        this.files = files;
        this.pgid = pid;
        this.sid = pid;
        this.handlers = new SignalHandlers();
        if (parent != null) {
            parent.children.add(this);
            this.pgid = parent.pgid;
            this.sid = parent.sid;
            this.tty = parent.tty;
            this.cwd = parent.cwd;
            this.root = parent.root;
            this.exe = parent.exe;
            this.umask = parent.umask;
            this.uid = parent.uid;
            this.gid = parent.gid;
            this.euid = parent.euid;
            this.egid = parent.egid;
            this.coreLimit = parent.coreLimit;
            this.nice = parent.nice;
            this.ioprio = parent.ioprio;
            this.handlers = parent.handlers.copy();
            this.command = parent.command;
            this.exePath = parent.exePath;
            this.argv = parent.argv;
            this.envp = parent.envp;
            this.auxv = parent.auxv;
        }
    }

    /**
     * What a forked child takes from the process that called fork (which is not its parent
     * under CLONE_PARENT): group, session, directory, umask, credentials, limits, a copy of the
     * signal dispositions, and the program identity until it execs.
     */
    public void inheritFrom(Process from) {
        pgid = from.pgid;
        sid = from.sid;
        tty = from.tty;
        cwd = from.cwd;
        umask = from.umask;
        uid = from.uid;
        gid = from.gid;
        euid = from.euid;
        egid = from.egid;
        coreLimit = from.coreLimit;
        nice = from.nice;
        ioprio = from.ioprio;
        handlers = from.handlers.copy();
        command = from.command;
        exePath = from.exePath;
        argv = from.argv;
        envp = from.envp;
        auxv = from.auxv;
    }

    public int pid() { return pid; }

    public Process parent() { return parent; }

    public int ppid() { return parent == null ? 0 : parent.pid; }

    public void reparent(Process newParent) {
        if (parent != null) parent.children.remove(this);
        parent = newParent;
        if (newParent != null) newParent.children.add(this);
    }

    public List<Process> children() { return children; }

    public AddressSpace addressSpace() { return mm.mm; }

    /** clone(CLONE_VM) without CLONE_THREAD: this process uses {@code other}'s address space too. */
    public void shareAddressSpace(Process other) {
        if (mm == other.mm) return;
        if (mm.mm != other.mm.mm) releaseAddressSpace();
        mm = other.mm;
        mm.users++;
    }

    /** True when another live process uses the same address space (a vfork child before exec). */
    public boolean addressSpaceShared() { return mm.users > 1; }

    /** execve: switches to a fresh address space; the old one is destroyed unless still shared. */
    public void replaceAddressSpace(AddressSpace next) {
        if (mm.mm == next) return;
        releaseAddressSpace();
        mm = new MmRef(next);
    }

    /** Drops this process's use of its address space (exit, exec); the last user destroys it. */
    public void releaseAddressSpace() {
        if (mm.users <= 0) return;
        if (--mm.users == 0) mm.mm.destroy();
    }

    public FdTable files() { return files; }

    /** clone(CLONE_FILES) shares the table; otherwise the child gets a copy. */
    public void setFiles(FdTable files) { this.files = files; }

    public List<Task> threads() { return threads; }

    public Task mainThread() { return threads.isEmpty() ? null : threads.get(0); }

    public SignalHandlers handlers() { return handlers; }

    /** clone(CLONE_SIGHAND) without CLONE_THREAD: one disposition table for both processes. */
    public void shareHandlers(SignalHandlers h) { this.handlers = h; }

    public SignalAction action(int sig) { return handlers.get(sig); }

    public void setAction(int sig, SignalAction a) { handlers.set(sig, a); }

    /** execve resets handled signals to SIG_DFL (ignored ones stay ignored). */
    public void resetHandlersForExec() {
        handlers = handlers.copy();            // unshare_sighand: a shared table is left to its other users
        handlers.resetForExec();
    }

    public String command() { return command; }

    public String exePath() { return exePath; }

    public List<String> argv() { return argv; }

    public List<String> envp() { return envp; }

    public long[] auxv() { return auxv; }

    /** Records what exec loaded (for /proc/PID/{exe,cmdline,environ,auxv,comm}). */
    public void execed(String exePath, List<String> argv, List<String> envp, long[] auxv) {
        this.exePath = exePath;
        this.argv = List.copyOf(argv);
        this.envp = List.copyOf(envp);
        this.auxv = auxv.clone();
        String base = exePath.substring(exePath.lastIndexOf('/') + 1);
        this.command = base.length() > 15 ? base.substring(0, 15) : base;
        this.didExec = true;
    }

    public void setCommand(String comm) { this.command = comm.length() > 15 ? comm.substring(0, 15) : comm; }

    /** User CPU time in nanoseconds of every thread, live and exited. */
    public long cpuTime() {
        long n = deadThreadsTime;
        for (Task t : threads) n += t.cpu().instructions();
        return n;
    }

    public boolean isZombie() { return zombie; }

    public int waitStatus() { return waitStatus; }

    /** Becomes a zombie with the given wait status; the parent is told through childEvents. */
    public void becomeZombie(int status) {
        zombie = true;
        waitStatus = status;
        stopped = false;
        if (parent != null) parent.childEvents.wakeAll();
    }

    public boolean reaped() { return reaped; }

    public void reap() {
        reaped = true;
        if (parent != null) parent.children.remove(this);
    }

    /** The status a shell reports: the exit code, or 128 + the signal number. */
    public int shellStatus() {
        int sig = waitStatus & 0x7f;
        return sig == 0 ? (waitStatus >> 8) & 0xff : 128 + sig;
    }

    @Override
    public String toString() { return "pid " + pid + " (" + command + ")"; }
}
