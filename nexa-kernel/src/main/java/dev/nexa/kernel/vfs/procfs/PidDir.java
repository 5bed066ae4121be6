package dev.nexa.kernel.vfs.procfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.mm.AddressSpace;
import dev.nexa.kernel.mm.Vma;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.Mount;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.PathRef;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.Vfs;
import dev.nexa.kernel.vfs.procfs.ProcNodes.Content;
import dev.nexa.kernel.vfs.procfs.ProcNodes.ProcDir;
import dev.nexa.kernel.vfs.procfs.ProcNodes.ProcFile;
import dev.nexa.kernel.vfs.procfs.ProcNodes.ProcLink;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * /proc/PID (and /proc/PID/task/TID): the files fs/proc/base.c and array.c provide, in their
 * formats. Owned by the process's effective ids; environ, auxv, fd and fdinfo are private to the
 * owner (0400/0500) as on Linux.
 */
final class PidDir {
    private static final List<String> NAMES = List.of("auxv", "cgroup", "cmdline", "comm", "cwd", "environ", "exe",
            "fd", "fdinfo", "limits", "maps", "mountinfo", "mounts", "oom_score_adj", "root", "stat", "statm",
            "status", "task");
    private static final long TICKS_PER_SECOND = 100;

    private final ProcFs fs;
    private final Process p;
    private final Process leader;

    PidDir(ProcFs fs, Process p, Process leader) {
        this.fs = fs;
        this.p = p;
        this.leader = leader;
    }

    private Vfs vfs() { return fs.vfs(); }

    ProcDir directory(String key) {
        boolean isTask = key.contains("/task/");
        List<String> names = isTask ? NAMES.stream().filter(n -> !n.equals("task")).toList() : NAMES;
        return new ProcDir(fs, key, 0555, p.euid, p.egid, () -> alive() ? names : List.of(),
                (name, caller) -> names.contains(name) && alive() ? entry(key, name) : null, false);
    }

    private boolean alive() { return !p.reaped(); }

    private Inode entry(String dirKey, String name) {
        String key = dirKey + "/" + name;
        int uid = p.euid, gid = p.egid;
        return switch (name) {
            case "auxv" -> file(key, 0400, caller -> auxv());
            case "cgroup" -> file(key, 0444, text(caller -> "0::/\n"));
            case "cmdline" -> file(key, 0444, caller -> nulSeparated(p.argv()));
            case "comm" -> file(key, 0644, text(caller -> p.command() + "\n"));
            case "environ" -> file(key, 0400, caller -> nulSeparated(p.envp()));
            case "limits" -> file(key, 0444, text(caller -> limits()));
            case "maps" -> file(key, 0444, text(caller -> p.isZombie() ? "" : p.addressSpace().maps()));
            case "mounts" -> file(key, 0444, text(caller -> mounts(false)));
            case "mountinfo" -> file(key, 0444, text(caller -> mounts(true)));
            case "oom_score_adj" -> file(key, 0644, text(caller -> "0\n"));
            case "stat" -> file(key, 0444, text(caller -> stat()));
            case "statm" -> file(key, 0444, text(caller -> statm()));
            case "status" -> file(key, 0444, text(caller -> status()));
            case "exe" -> new ProcLink(fs, key, uid, gid, caller -> vfs().pathName(exe(), caller), caller -> exe());
            case "cwd" -> new ProcLink(fs, key, uid, gid, caller -> vfs().pathName(vfs().cwdOf(p), caller),
                    caller -> vfs().cwdOf(p));
            case "root" -> new ProcLink(fs, key, uid, gid, caller -> vfs().pathName(vfs().rootOf(p), caller),
                    caller -> vfs().rootOf(p));
            case "fd" -> new ProcDir(fs, key, 0500, uid, gid, this::fdNames, (n, caller) -> fdLink(key, n), false);
            case "fdinfo" -> new ProcDir(fs, key, 0500, uid, gid, this::fdNames, (n, caller) -> fdInfo(key, n), false);
            case "task" -> new ProcDir(fs, key, 0555, uid, gid, this::taskNames, (n, caller) -> task(key, n), false);
            default -> null;
        };
    }

    private ProcFile file(String key, int perm, Content c) { return new ProcFile(fs, key, perm, p.euid, p.egid, c); }

    private static Content text(ProcNodes.TextContent t) { return Content.text(t); }

    private PathRef exe() throws ErrnoException {
        if (p.exe == null) throw new ErrnoException(Errno.ENOENT);
        return p.exe;
    }

    // ---- descriptors -----------------------------------------------------------------------------------

    private List<String> fdNames() {
        List<String> names = new ArrayList<>();
        if (!p.isZombie()) for (int fd : p.files().open()) names.add(Integer.toString(fd));
        return names;
    }

    private OpenFile fd(String name) {
        if (p.isZombie() || name.isEmpty() || name.length() > 7 || !name.chars().allMatch(Character::isDigit)) return null;
        return p.files().getOrNull(Integer.parseInt(name));
    }

    /**
     * fd/N: the text is the file's path as the caller sees it ("pipe:[N]" for a pipe, the host
     * stream's name for Nexa's own stdio); following it reopens the same object.
     */
    private Inode fdLink(String dirKey, String name) {
        OpenFile f = fd(name);
        if (f == null) return null;
        PathRef at = f.location();
        boolean inTree = at != null && vfs().isAttached(at.mount());
        return new ProcLink(fs, dirKey + "/" + name, p.euid, p.egid,
                caller -> inTree ? vfs().pathName(at, caller) : f.path(),
                caller -> {
                    if (at == null) throw new ErrnoException(Errno.ENOENT);
                    return at;
                });
    }

    private Inode fdInfo(String dirKey, String name) {
        OpenFile f = fd(name);
        if (f == null) return null;
        return file(dirKey + "/" + name, 0444, text(caller -> {
            long pos = 0;
            try {
                pos = f.seek(0, OpenFile.SEEK_CUR);
            } catch (ErrnoException notSeekable) {
                // pipes and character devices report 0
            }
            int flags = f.flags() | (p.files().isCloexec(Integer.parseInt(name)) ? OpenFile.O_CLOEXEC : 0);
            PathRef at = f.location();
            return "pos:\t" + pos + "\nflags:\t0" + Integer.toOctalString(flags) + "\nmnt_id:\t"
                    + (at == null ? 0 : at.mount().id()) + "\nino:\t" + f.stat().ino() + "\n";
        }));
    }

    private List<String> taskNames() {
        List<String> names = new ArrayList<>();
        for (Task t : p.threads()) names.add(Integer.toString(t.tid()));
        if (names.isEmpty() && !p.reaped()) names.add(Integer.toString(p.pid()));
        return names;
    }

    private Inode task(String dirKey, String name) {
        if (!taskNames().contains(name)) return null;
        return new PidDir(fs, p, leader).directory(dirKey + "/" + name);
    }

    // ---- contents ----------------------------------------------------------------------------------------

    private static byte[] nulSeparated(List<String> items) {
        StringBuilder sb = new StringBuilder();
        for (String s : items) sb.append(s).append('\0');
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    private byte[] auxv() {
        long[] v = p.auxv();
        ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long x : v) b.putLong(x);
        return b.array();
    }

    private String mounts(boolean info) {
        StringBuilder sb = new StringBuilder();
        PathRef top = vfs().rootOf(p);
        for (Mount m : vfs().mounts()) {
            if (!vfs().isUnder(m.rootRef(), top)) continue;
            String where = vfs().pathName(m.rootRef(), p);
            String dev = Stat.major(m.fs().dev()) + ":" + Stat.minor(m.fs().dev());
            if (info) {
                int parent = m.parent() == null ? 1 : m.parent().id();
                sb.append(m.id()).append(' ').append(parent).append(' ').append(dev).append(" / ").append(escape(where))
                        .append(' ').append(m.mountOptions()).append(" - ").append(m.fs().type()).append(' ')
                        .append(escape(m.source())).append(' ').append(m.superOptions()).append('\n');
            } else {
                sb.append(escape(m.source())).append(' ').append(escape(where)).append(' ').append(m.fs().type())
                        .append(' ').append(m.options()).append(" 0 0\n");
            }
        }
        return sb.toString();
    }

    /** seq_file's mangle: space, tab, newline and backslash as octal escapes. */
    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (c == ' ' || c == '\t' || c == '\n' || c == '\\') sb.append(String.format("\\%03o", (int) c));
            else sb.append(c);
        }
        return sb.toString();
    }

    private char state() {
        if (p.isZombie()) return 'Z';
        boolean stopped = false;
        for (Task t : p.threads()) {
            if (t.isStopped()) stopped = true;
            else if (t.state() == Task.State.RUNNABLE) return 'R';
        }
        return stopped ? 'T' : 'S';
    }

    private static String stateName(char s) {
        return switch (s) {
            case 'R' -> "R (running)";
            case 'Z' -> "Z (zombie)";
            case 'T' -> "T (stopped)";
            default -> "S (sleeping)";
        };
    }

    private long cpuTicks() {
        long instructions = 0;
        for (Task t : p.threads()) instructions += t.cpu().instructions();
        return instructions / (1_000_000_000L / TICKS_PER_SECOND);          // a nominal 1 GHz, as CPU clocks count
    }

    /** Memory figures in bytes: total, text, data (writable private), stack, resident. */
    private record Mem(long size, long text, long data, long stack, long rss, long lib) {}

    private Mem mem() {
        if (p.isZombie()) return new Mem(0, 0, 0, 0, 0, 0);
        AddressSpace mm = p.addressSpace();
        long size = 0, text = 0, data = 0, stack = 0, lib = 0;
        for (Vma v : mm.vmas()) {
            size += v.length();
            if ("[stack]".equals(v.name())) stack += v.length();
            else if (v.executable() && v.file() != null) {
                if (p.exe != null && v.file().ino() == p.exe.inode().ino()) text += v.length();
                else lib += v.length();
            } else if (v.writable() && !v.shared()) data += v.length();
        }
        return new Mem(size, text, data, stack, mm.residentPages() * 4096, lib);
    }

    private long sigMask(boolean caught) {
        long m = 0;
        for (int s = 1; s <= Signal.NSIG; s++) {
            var a = p.action(s);
            if (caught ? !a.isDefault() && !a.isIgnore() : a.isIgnore()) m |= 1L << (s - 1);
        }
        return m;
    }

    private long auxvValue(long type) {
        long[] v = p.auxv();
        for (int k = 0; k + 1 < v.length; k += 2) if (v[k] == type) return v[k + 1];
        return 0;
    }

    /** fs/proc/array.c do_task_stat: 52 fields. */
    private String stat() {
        Mem m = mem();
        Task t = p.mainThread();
        long blocked = t == null ? 0 : t.sigmask, pending = (t == null ? 0 : t.pending.mask()) | p.sharedPending.mask();
        long startCode = 0, endCode = 0;
        if (!p.isZombie()) {
            for (Vma v : p.addressSpace().vmas()) {
                if (v.executable() && v.file() != null && p.exe != null && v.file().ino() == p.exe.inode().ino()) {
                    if (startCode == 0) startCode = v.start();
                    endCode = v.end();
                }
            }
        }
        long startBrk = p.isZombie() ? 0 : p.addressSpace().brkStart();
        long startStack = auxvValue(25);                                  // AT_RANDOM: inside the initial stack
        int exitCode = p.isZombie() ? p.waitStatus() : 0;
        return p.pid() + " (" + p.command() + ") " + state() + " " + p.ppid() + " " + p.pgid + " " + p.sid
                + " 0 -1 4194560 0 0 0 0 " + cpuTicks() + " 0 0 0 20 0 " + Math.max(1, p.threads().size())
                + " 0 0 " + m.size() + " " + m.rss() / 4096 + " 18446744073709551615 " + startCode + " " + endCode
                + " " + startStack + " 0 0 " + pending + " " + blocked + " " + sigMask(false) + " " + sigMask(true)
                + " 0 0 0 17 0 0 0 0 0 0 0 0 " + startBrk + " 0 0 0 0 " + exitCode + "\n";
    }

    private String statm() {
        Mem m = mem();
        return m.size() / 4096 + " " + m.rss() / 4096 + " 0 " + m.text() / 4096 + " 0 " + (m.data() + m.stack()) / 4096
                + " 0\n";
    }

    private static String kb(long bytes) { return String.format("%8d kB", bytes / 1024); }

    private String status() {
        Mem m = mem();
        Task t = p.mainThread();
        long blocked = t == null ? 0 : t.sigmask, pending = t == null ? 0 : t.pending.mask();
        boolean root = p.euid == 0;
        String caps = root ? "000001ffffffffff" : "0000000000000000";
        StringBuilder sb = new StringBuilder();
        sb.append("Name:\t").append(p.command()).append('\n');
        sb.append("Umask:\t").append(String.format("%04o", p.umask)).append('\n');
        sb.append("State:\t").append(stateName(state())).append('\n');
        sb.append("Tgid:\t").append(p.pid()).append("\nNgid:\t0\nPid:\t").append(p.pid()).append('\n');
        sb.append("PPid:\t").append(p.ppid()).append("\nTracerPid:\t0\n");
        sb.append("Uid:\t").append(p.uid).append('\t').append(p.euid).append('\t').append(p.euid).append('\t').append(p.euid).append('\n');
        sb.append("Gid:\t").append(p.gid).append('\t').append(p.egid).append('\t').append(p.egid).append('\t').append(p.egid).append('\n');
        sb.append("FDSize:\t").append(Math.max(64, Integer.highestOneBit(Math.max(1, p.files().highest() + 1)) * 2)).append('\n');
        sb.append("Groups:\t\nNStgid:\t").append(p.pid()).append("\nNSpid:\t").append(p.pid()).append("\nNSpgid:\t")
                .append(p.pgid).append("\nNSsid:\t").append(p.sid).append('\n');
        if (!p.isZombie()) {
            sb.append("VmPeak:\t").append(kb(m.size())).append("\nVmSize:\t").append(kb(m.size()))
                    .append("\nVmLck:\t").append(kb(0)).append("\nVmPin:\t").append(kb(0))
                    .append("\nVmHWM:\t").append(kb(m.rss())).append("\nVmRSS:\t").append(kb(m.rss()))
                    .append("\nRssAnon:\t").append(kb(m.rss())).append("\nRssFile:\t").append(kb(0))
                    .append("\nRssShmem:\t").append(kb(0)).append("\nVmData:\t").append(kb(m.data()))
                    .append("\nVmStk:\t").append(kb(m.stack())).append("\nVmExe:\t").append(kb(m.text()))
                    .append("\nVmLib:\t").append(kb(m.lib())).append("\nVmPTE:\t").append(kb(0))
                    .append("\nVmSwap:\t").append(kb(0)).append("\nHugetlbPages:\t").append(kb(0)).append('\n');
            sb.append("CoreDumping:\t0\nTHP_enabled:\t1\n");
        }
        sb.append("Threads:\t").append(Math.max(1, p.threads().size())).append('\n');
        sb.append("SigQ:\t0/15617\n");
        sb.append(String.format("SigPnd:\t%016x\nShdPnd:\t%016x\nSigBlk:\t%016x\nSigIgn:\t%016x\nSigCgt:\t%016x\n",
                pending, p.sharedPending.mask(), blocked, sigMask(false), sigMask(true)));
        sb.append("CapInh:\t0000000000000000\nCapPrm:\t").append(caps).append("\nCapEff:\t").append(caps)
                .append("\nCapBnd:\t000001ffffffffff\nCapAmb:\t0000000000000000\n");
        sb.append("NoNewPrivs:\t0\nSeccomp:\t0\nSeccomp_filters:\t0\n");
        sb.append("Speculation_Store_Bypass:\tthread vulnerable\nSpeculationIndirectBranch:\tconditional enabled\n");
        sb.append("Cpus_allowed:\t1\nCpus_allowed_list:\t0\nMems_allowed:\t1\nMems_allowed_list:\t0\n");
        sb.append("voluntary_ctxt_switches:\t0\nnonvoluntary_ctxt_switches:\t0\n");
        return sb.toString();
    }

    private String limits() {
        String fmt = "%-25s %-20s %-20s %-10s\n";
        StringBuilder sb = new StringBuilder(String.format(fmt, "Limit", "Soft Limit", "Hard Limit", "Units"));
        String u = "unlimited";
        sb.append(String.format(fmt, "Max cpu time", u, u, "seconds"));
        sb.append(String.format(fmt, "Max file size", u, u, "bytes"));
        sb.append(String.format(fmt, "Max data size", u, u, "bytes"));
        sb.append(String.format(fmt, "Max stack size", "8388608", u, "bytes"));
        sb.append(String.format(fmt, "Max core file size", "0", u, "bytes"));
        sb.append(String.format(fmt, "Max resident set", u, u, "bytes"));
        sb.append(String.format(fmt, "Max processes", "4096", "4096", "processes"));
        sb.append(String.format(fmt, "Max open files", Integer.toString(p.files().limit()), "4096", "files"));
        sb.append(String.format(fmt, "Max locked memory", "8388608", "8388608", "bytes"));
        sb.append(String.format(fmt, "Max address space", u, u, "bytes"));
        sb.append(String.format(fmt, "Max file locks", u, u, "locks"));
        sb.append(String.format(fmt, "Max pending signals", "15617", "15617", "signals"));
        sb.append(String.format(fmt, "Max msgqueue size", "819200", "819200", "bytes"));
        sb.append(String.format(fmt, "Max nice priority", "0", "0", ""));
        sb.append(String.format(fmt, "Max realtime priority", "0", "0", ""));
        sb.append(String.format(fmt, "Max realtime timeout", u, u, "us"));
        return sb.toString();
    }
}
