package dev.nexa.kernel.proc;

import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.mm.AddressSpace;
import dev.nexa.kernel.vfs.FdTable;
import dev.nexa.kernel.vfs.PathRef;

import java.util.ArrayList;
import java.util.List;

/**
 * A process (a thread group): the resources its tasks share — address space, file descriptors,
 * working directory, signal dispositions — plus its place in the process tree and its exit
 * status once it is a zombie.
 */
public final class Process {
    private final int pid;
    private Process parent;
    public int pgid, sid;
    private AddressSpace mm;
    private FdTable files;
    private final List<Task> threads = new ArrayList<>(1);
    private final List<Process> children = new ArrayList<>();
    private final SignalAction[] actions = new SignalAction[Signal.NSIG + 1];
    /** Signals pending for the whole process (kill(2) targets). */
    public long sharedPending;
    /** Parents wait here for children to change state (wait4, waitid). */
    public final WaitQueue childEvents = new WaitQueue();

    /** Working directory and root (null: the namespace's initial ones); the executable, for /proc/PID/exe. */
    public PathRef cwd, root, exe;
    public int umask = 022;
    public int uid, gid, euid, egid;
    private String command = "";
    private String exePath = "";
    private List<String> argv = List.of();
    private List<String> envp = List.of();
    private long[] auxv = new long[0];

    private boolean zombie;
    /** The wait status (wait(2) encoding: code << 8, or the signal number | 0x80 if core). */
    private int waitStatus;
    private boolean reaped;

    public Process(int pid, Process parent, AddressSpace mm, FdTable files) {
        this.pid = pid;
        this.parent = parent;
        this.mm = mm;
        this.files = files;
        this.pgid = pid;
        this.sid = pid;
        java.util.Arrays.fill(actions, SignalAction.DEFAULT);
        if (parent != null) {
            parent.children.add(this);
            this.pgid = parent.pgid;
            this.sid = parent.sid;
            this.cwd = parent.cwd;
            this.root = parent.root;
            this.exe = parent.exe;
            this.umask = parent.umask;
            this.uid = parent.uid;
            this.gid = parent.gid;
            this.euid = parent.euid;
            this.egid = parent.egid;
            System.arraycopy(parent.actions, 0, actions, 0, actions.length);
        }
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

    public AddressSpace addressSpace() { return mm; }

    public void replaceAddressSpace(AddressSpace next) {
        AddressSpace old = mm;
        mm = next;
        if (old != null && old != next) old.destroy();
    }

    public FdTable files() { return files; }

    public List<Task> threads() { return threads; }

    public Task mainThread() { return threads.isEmpty() ? null : threads.get(0); }

    public SignalAction action(int sig) { return actions[sig]; }

    public void setAction(int sig, SignalAction a) { actions[sig] = a; }

    /** execve resets handled signals to SIG_DFL (ignored ones stay ignored). */
    public void resetHandlersForExec() {
        for (int s = 1; s <= Signal.NSIG; s++) if (!actions[s].isIgnore()) actions[s] = SignalAction.DEFAULT;
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
    }

    public void setCommand(String comm) { this.command = comm.length() > 15 ? comm.substring(0, 15) : comm; }

    public boolean isZombie() { return zombie; }

    public int waitStatus() { return waitStatus; }

    /** Becomes a zombie with the given wait status; the parent is told through childEvents. */
    public void becomeZombie(int status) {
        zombie = true;
        waitStatus = status;
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
