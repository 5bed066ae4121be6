package dev.nexa.kernel.vfs.procfs;

import dev.nexa.cpu.CpuFeatures;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.Mount;
import dev.nexa.kernel.vfs.procfs.ProcNodes.Content;
import dev.nexa.kernel.vfs.procfs.ProcNodes.ProcDir;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

/**
 * The system-wide /proc files: cpuinfo, meminfo, stat, uptime, loadavg, version, filesystems,
 * cmdline, swaps, and /proc/sys/{kernel,vm,fs} with what C libraries and busybox read at startup.
 * Figures come from the emulated machine: one CPU (the brand and flags CPUID reports), the guest
 * RAM's frame allocator, and the kernel's uptime.
 */
final class SystemFiles {
    /** uname(2)'s fields (syscall InfoCalls reports the same). */
    static final String OSTYPE = "Linux", RELEASE = "6.1.0-nexa", VERSION = "#1 SMP Nexa", HOSTNAME = "nexa",
            DOMAIN = "(none)";

    private final ProcFs fs;
    /** Made on first read: UUID.randomUUID() starts a SecureRandom, costly at start-up when nothing reads it. */
    private String bootId;

    SystemFiles(ProcFs fs) { this.fs = fs; }

    private synchronized String bootId() {
        if (bootId == null) bootId = UUID.randomUUID().toString();
        return bootId;
    }

    private static Content text(ProcNodes.TextContent t) { return Content.text(t); }

    void addRootFiles(Map<String, Function<String, Inode>> m) {
        m.put("cpuinfo", key -> fs.file(key, 0444, text(c -> cpuinfo())));
        m.put("meminfo", key -> fs.file(key, 0444, text(c -> meminfo())));
        m.put("stat", key -> fs.file(key, 0444, text(c -> stat())));
        m.put("uptime", key -> fs.file(key, 0444, text(c -> uptime())));
        m.put("loadavg", key -> fs.file(key, 0444, text(c -> loadavg())));
        m.put("version", key -> fs.file(key, 0444, text(c -> "Linux version " + RELEASE + " (nexa@nexa) (Java "
                + Runtime.version().feature() + ") " + VERSION + "\n")));
        m.put("filesystems", key -> fs.file(key, 0444, text(c -> filesystems())));
        m.put("cmdline", key -> fs.file(key, 0444, text(c -> "nexa\n")));
        m.put("swaps", key -> fs.file(key, 0444, text(c -> "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n")));
    }

    // ---- /proc/sys ---------------------------------------------------------------------------------------

    /** A static tree of small text files; values are computed at open. */
    ProcDir sysTree(String key) {
        Map<String, Object> kernel = new LinkedHashMap<>();
        kernel.put("ostype", (Content) text(c -> OSTYPE + "\n"));
        kernel.put("osrelease", text(c -> RELEASE + "\n"));
        kernel.put("version", text(c -> VERSION + "\n"));
        kernel.put("hostname", text(c -> HOSTNAME + "\n"));
        kernel.put("domainname", text(c -> DOMAIN + "\n"));
        kernel.put("pid_max", text(c -> "4194304\n"));
        kernel.put("threads-max", text(c -> "31234\n"));
        kernel.put("ngroups_max", text(c -> "65536\n"));
        kernel.put("cap_last_cap", text(c -> "40\n"));
        kernel.put("overflowuid", text(c -> "65534\n"));
        kernel.put("overflowgid", text(c -> "65534\n"));
        Map<String, Object> random = new LinkedHashMap<>();
        random.put("boot_id", text(c -> bootId() + "\n"));
        random.put("uuid", text(c -> UUID.randomUUID() + "\n"));
        random.put("entropy_avail", text(c -> "256\n"));
        random.put("poolsize", text(c -> "256\n"));
        kernel.put("random", random);
        Map<String, Object> vm = new LinkedHashMap<>();
        vm.put("overcommit_memory", text(c -> "0\n"));
        vm.put("max_map_count", text(c -> "65530\n"));
        vm.put("mmap_min_addr", text(c -> "65536\n"));
        Map<String, Object> fsDir = new LinkedHashMap<>();
        fsDir.put("file-max", text(c -> "9223372036854775807\n"));
        fsDir.put("nr_open", text(c -> "1048576\n"));
        fsDir.put("pipe-max-size", text(c -> "1048576\n"));
        Map<String, Object> sys = new LinkedHashMap<>();
        sys.put("fs", fsDir);
        sys.put("kernel", kernel);
        sys.put("vm", vm);
        return tree(key, sys);
    }

    @SuppressWarnings("unchecked")
    private ProcDir tree(String key, Map<String, Object> entries) {
        Map<String, Inode> made = new HashMap<>();
        List<String> names = List.copyOf(entries.keySet());
        return new ProcDir(fs, key, 0555, 0, 0, () -> names, (name, caller) -> {
            Object e = entries.get(name);
            if (e == null) return null;
            return made.computeIfAbsent(name, n -> e instanceof Map<?, ?> sub
                    ? tree(key + "/" + n, (Map<String, Object>) sub)
                    : fs.file(key + "/" + n, 0444, (Content) e));
        }, true);
    }

    // ---- contents ------------------------------------------------------------------------------------------

    /** One processor, as arch/x86/kernel/cpu/proc.c prints it; family/model/stepping are CPUID leaf 1's. */
    private static String cpuinfo() {
        return "processor\t: 0\n"
                + "vendor_id\t: GenuineIntel\n"
                + "cpu family\t: 6\n"
                + "model\t\t: 158\n"
                + "model name\t: " + CpuFeatures.BRAND + "\n"
                + "stepping\t: 10\n"
                + "microcode\t: 0x1\n"
                + "cpu MHz\t\t: 1000.000\n"
                + "cache size\t: 8192 KB\n"
                + "physical id\t: 0\n"
                + "siblings\t: 1\n"
                + "core id\t\t: 0\n"
                + "cpu cores\t: 1\n"
                + "apicid\t\t: 0\n"
                + "initial apicid\t: 0\n"
                + "fpu\t\t: yes\n"
                + "fpu_exception\t: yes\n"
                + "cpuid level\t: 7\n"
                + "wp\t\t: yes\n"
                + "flags\t\t: " + CpuFeatures.FLAGS + "\n"
                + "bugs\t\t:\n"
                + "bogomips\t: 2000.00\n"
                + "clflush size\t: 64\n"
                + "cache_alignment\t: 64\n"
                + "address sizes\t: 40 bits physical, 48 bits virtual\n"
                + "power management:\n\n";
    }

    private String meminfo() {
        var frames = fs.kernel().frames();
        long total = frames.totalFrames() * 4, free = frames.freeFrames() * 4;
        long shmem = 0;
        for (Mount m : fs.vfs().mounts()) {
            if (m.fs() instanceof dev.nexa.kernel.vfs.tmpfs.TmpFs t) shmem += t.usedPages() * 4;
        }
        String[][] rows = {
                {"MemTotal", Long.toString(total)}, {"MemFree", Long.toString(free)},
                {"MemAvailable", Long.toString(free)}, {"Buffers", "0"}, {"Cached", Long.toString(shmem)},
                {"SwapCached", "0"}, {"Active", "0"}, {"Inactive", "0"}, {"Active(anon)", "0"},
                {"Inactive(anon)", "0"}, {"Active(file)", "0"}, {"Inactive(file)", "0"}, {"Unevictable", "0"},
                {"Mlocked", "0"}, {"SwapTotal", "0"}, {"SwapFree", "0"}, {"Dirty", "0"}, {"Writeback", "0"},
                {"AnonPages", Long.toString(total - free)}, {"Mapped", "0"}, {"Shmem", Long.toString(shmem)},
                {"KReclaimable", "0"}, {"Slab", "0"}, {"SReclaimable", "0"}, {"SUnreclaim", "0"},
                {"KernelStack", "0"}, {"PageTables", "0"}, {"NFS_Unstable", "0"}, {"Bounce", "0"},
                {"WritebackTmp", "0"}, {"CommitLimit", Long.toString(total)},
                {"Committed_AS", Long.toString(total - free)}, {"VmallocTotal", "34359738367"},
                {"VmallocUsed", "0"}, {"VmallocChunk", "0"}, {"Percpu", "0"}, {"HardwareCorrupted", "0"},
                {"AnonHugePages", "0"}, {"ShmemHugePages", "0"}, {"ShmemPmdMapped", "0"},
                {"HugePages_Total", null}, {"HugePages_Free", null}, {"HugePages_Rsvd", null},
                {"HugePages_Surp", null}, {"Hugepagesize", "2048"}, {"Hugetlb", "0"},
        };
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            if (r[1] == null) sb.append(String.format("%-16s%8d\n", r[0] + ":", 0));
            else sb.append(String.format("%-16s%8s kB\n", r[0] + ":", r[1]));
        }
        return sb.toString();
    }

    private long uptimeNanos() { return System.nanoTime() - fs.kernel().bootNanos(); }

    private String uptime() {
        long ns = uptimeNanos();
        return String.format("%d.%02d 0.00\n", ns / 1_000_000_000L, ns / 10_000_000L % 100);
    }

    private String loadavg() {
        int running = 0, total = 0, last = 0;
        for (Process p : fs.processes()) {
            last = Math.max(last, p.pid());
            for (Task t : p.threads()) {
                total++;
                if (t.state() == Task.State.RUNNABLE) running++;
            }
        }
        return "0.00 0.00 0.00 " + running + "/" + total + " " + last + "\n";
    }

    private String stat() {
        long user = 0;
        int running = 0, blocked = 0;
        List<Process> ps = fs.processes();
        for (Process p : ps) {
            for (Task t : p.threads()) {
                user += t.cpu().instructions() / 10_000_000L;
                if (t.state() == Task.State.RUNNABLE) running++;
                else if (t.state() == Task.State.BLOCKED) blocked++;
            }
        }
        long idle = Math.max(0, uptimeNanos() / 10_000_000L - user);
        String cpu = user + " 0 0 " + idle + " 0 0 0 0 0 0\n";
        return "cpu  " + cpu + "cpu0 " + cpu + "intr 0\nctxt 0\nbtime " + fs.bootTimeNs() / 1_000_000_000L
                + "\nprocesses " + ps.size() + "\nprocs_running " + Math.max(1, running) + "\nprocs_blocked " + blocked
                + "\nsoftirq 0 0 0 0 0 0 0 0 0 0 0\n";
    }

    private static String filesystems() {
        List<String> rows = new ArrayList<>(List.of("nodev\tsysfs", "nodev\ttmpfs", "nodev\tbdev", "nodev\tproc",
                "nodev\tdevtmpfs", "nodev\tpipefs", "nodev\tramfs", "nodev\tdevpts", "\text4", "nodev\tmqueue"));
        return String.join("\n", rows) + "\n";
    }
}
