package dev.nexa.kernel.vfs.procfs;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.FileSystem;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.StatFs;
import dev.nexa.kernel.vfs.Vfs;
import dev.nexa.kernel.vfs.procfs.ProcNodes.Content;
import dev.nexa.kernel.vfs.procfs.ProcNodes.ProcDir;
import dev.nexa.kernel.vfs.procfs.ProcNodes.ProcFile;
import dev.nexa.kernel.vfs.procfs.ProcNodes.ProcLink;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * /proc (fs/proc): one directory per process ({@link PidDir}), "self" and "thread-self", and the
 * system files C libraries, coreutils, busybox and procps read ({@link SystemFiles}). Every file
 * is generated when it is opened, from the kernel's live state.
 */
public final class ProcFs extends FileSystem {
    private final Kernel kernel;
    private final Vfs vfs;
    private final Dentry root;
    private final Map<String, Long> inos = new HashMap<>();
    private final long bootTimeNs;
    private long nextIno = 2;

    public ProcFs(Kernel kernel, Vfs vfs) {
        super("proc", FileSystem.anonymousDev());
        this.kernel = kernel;
        this.vfs = vfs;
        long uptime = System.nanoTime() - kernel.bootNanos();
        Instant now = Instant.now();
        this.bootTimeNs = now.getEpochSecond() * 1_000_000_000L + now.getNano() - uptime;
        inos.put("/", 1L);
        SystemFiles sys = new SystemFiles(this);
        Map<String, Function<String, Inode>> fixed = new LinkedHashMap<>();
        fixed.put("self", key -> new ProcLink(this, key, 0, 0, caller -> Integer.toString(self(caller).pid()), null));
        fixed.put("thread-self", key -> new ProcLink(this, key, 0, 0, caller -> {
            Process p = self(caller);
            return p.pid() + "/task/" + p.pid();
        }, null));
        fixed.put("mounts", key -> new ProcLink(this, key, 0, 0, caller -> "self/mounts", null));
        sys.addRootFiles(fixed);
        fixed.put("sys", key -> sys.sysTree(key));
        List<String> fixedNames = List.copyOf(fixed.keySet());
        Map<String, Inode> made = new HashMap<>();
        ProcDir dir = new ProcDir(this, "/", 0555, 0, 0, () -> {
            List<String> names = new ArrayList<>(fixedNames);
            for (Process p : processes()) names.add(Integer.toString(p.pid()));
            return names;
        }, (name, caller) -> {
            Function<String, Inode> f = fixed.get(name);
            if (f != null) return made.computeIfAbsent(name, n -> f.apply("/" + n));
            Process p = processByName(name);
            return p == null ? null : new PidDir(this, p, p).directory("/" + p.pid());
        }, false);
        this.root = Dentry.root(dir);
    }

    Kernel kernel() { return kernel; }

    Vfs vfs() { return vfs; }

    long bootTimeNs() { return bootTimeNs; }

    /** A stable inode number for a /proc path. */
    long inoFor(String key) { return inos.computeIfAbsent(key, k -> ++nextIno + 1); }

    /** Live processes by pid, without reaped zombies. */
    List<Process> processes() {
        List<Process> ps = new ArrayList<>();
        for (Process p : kernel.processes()) if (!p.reaped()) ps.add(p);
        ps.sort((a, b) -> Integer.compare(a.pid(), b.pid()));
        return ps;
    }

    Process processByName(String name) {
        if (name.isEmpty() || name.length() > 9 || !name.chars().allMatch(Character::isDigit) || name.charAt(0) == '0') {
            return null;
        }
        Process p = kernel.process(Integer.parseInt(name));
        return p == null || p.reaped() ? null : p;
    }

    /** The process "self" means: the caller, or init for the kernel's own lookups. */
    Process self(Process caller) throws ErrnoException {
        Process p = caller != null ? caller : kernel.init();
        if (p == null) throw new ErrnoException(dev.nexa.kernel.abi.Errno.ENOENT, "no process for /proc/self");
        return p;
    }

    ProcFile file(String key, int perm, Content content) { return new ProcFile(this, key, perm, 0, 0, content); }

    @Override
    public Dentry root() { return root; }

    @Override
    public StatFs statfs() { return new StatFs(StatFs.PROC_SUPER_MAGIC, 4096, 0, 0, 0, 0, 0, dev(), 255); }
}
