package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Sysno;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.syscall.GuestKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.nexa.kernel.vfs.Guests.assertErrno;
import static dev.nexa.kernel.vfs.Vfs.AT_FDCWD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** /proc through the VFS of a real kernel, with a loaded program (no instructions run). */
class ProcFsTest {
    /** A /proc/PID/maps line (fs/proc/task_mmu.c show_map_vma). */
    static final Pattern MAPS = Pattern.compile(
            "([0-9a-f]{8,16})-([0-9a-f]{8,16}) ([r-][w-][x-][ps]) ([0-9a-f]{8,}) ([0-9a-f]{2,}):([0-9a-f]{2,}) (\\d+)( +(.*))?");

    private GuestKernel g;
    private Path fixtures;
    private Process prog;

    @BeforeEach
    void setUp() throws Exception {
        fixtures = Path.of(System.getProperty("nexa.fixtures", "../fixtures")).toAbsolutePath().normalize();
        assumeTrue(Files.isRegularFile(fixtures.resolve("bin/musl-static/hello")), "fixtures not built");
        Path real = fixtures.toRealPath();
        g = new GuestKernel(RootFs.host(Path.of("/"), real.toString()));
        prog = g.kernel.spawn("bin/musl-static/hello", List.of("hello", "one", "two"), List.of("A=1", "NEXA_X=2"),
                real.toString());
    }

    @AfterEach
    void tearDown() {
        if (g != null) g.close();
    }

    private Vfs vfs() { return g.kernel.vfs(); }

    private String read(Process p, String path) throws ErrnoException { return Guests.read(vfs(), p, path); }

    @Test
    void exeIsTheCanonicalPathOfTheProgram() throws Exception {
        String expected = fixtures.toRealPath().resolve("bin/musl-static/hello").toString();
        assertEquals(expected, vfs().readlink(prog, AT_FDCWD, "/proc/self/exe"));
        assertEquals(expected, vfs().readlink(null, AT_FDCWD, "/proc/" + prog.pid() + "/exe"));
        // Following the magic link opens the program itself.
        Stat viaProc = vfs().stat(prog, AT_FDCWD, "/proc/self/exe", 0);
        assertEquals(vfs().stat(prog, AT_FDCWD, expected, 0).ino(), viaProc.ino());
        assertEquals(Integer.toString(prog.pid()), vfs().readlink(prog, AT_FDCWD, "/proc/self"));
        assertEquals(fixtures.toRealPath().toString(), vfs().readlink(prog, AT_FDCWD, "/proc/self/cwd"));
        assertEquals("/", vfs().readlink(prog, AT_FDCWD, "/proc/self/root"));
    }

    @Test
    void mapsHasLinuxsShapeAndColumns() throws Exception {
        String maps = read(prog, "/proc/self/maps");
        List<String> lines = maps.lines().toList();
        assertTrue(lines.size() >= 3, maps);
        String exe = fixtures.toRealPath().resolve("bin/musl-static/hello").toString();
        boolean sawExe = false, sawStack = false;
        for (String line : lines) {
            Matcher m = MAPS.matcher(line);
            assertTrue(m.matches(), "maps line: " + line);
            if (m.group(9) != null) {
                // The name starts at column 73, as seq_pad pads it on the host (see the host check below).
                assertEquals(73, line.indexOf(m.group(9)), line);
                sawExe |= m.group(9).equals(exe);
                sawStack |= m.group(9).equals("[stack]");
            }
        }
        assertTrue(sawExe && sawStack, maps);
        // The same column on the host's own maps, for a line with a short enough prefix.
        for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
            Matcher m = MAPS.matcher(line);
            assertTrue(m.matches(), "host maps line: " + line);
            if (m.group(9) != null && line.indexOf(m.group(9)) > 0 && m.start(8) < 72) {
                assertEquals(73, line.indexOf(m.group(9)), "host: " + line);
                break;
            }
        }
    }

    @Test
    void processFiles() throws Exception {
        String pid = Integer.toString(prog.pid());
        assertEquals("hello\0one\0two\0", read(prog, "/proc/self/cmdline"));
        assertEquals("A=1\0NEXA_X=2\0", read(prog, "/proc/" + pid + "/environ"));
        assertEquals("hello\n", read(prog, "/proc/self/comm"));
        String stat = read(prog, "/proc/self/stat");
        assertTrue(stat.startsWith(pid + " (hello) R " + prog.ppid() + " "), stat);
        assertEquals(52, stat.substring(stat.indexOf(')') + 2).trim().split(" ").length + 2, stat);
        String status = read(prog, "/proc/self/status");
        assertTrue(status.contains("\nPid:\t" + pid + "\n"), status);
        assertTrue(status.contains("\nVmRSS:\t"), status);
        assertEquals(7, read(prog, "/proc/self/statm").trim().split(" ").length);
        byte[] auxv = read(prog, "/proc/self/auxv").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(prog.auxv().length * 8, auxv.length);
        assertTrue(read(prog, "/proc/self/mounts").contains("proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0\n"));
        // The fd directory lists the descriptors; each link names the object.
        List<String> fds = list(prog, "/proc/self/fd");
        assertEquals(List.of("0", "1", "2"), fds);
        String fd1 = vfs().readlink(prog, AT_FDCWD, "/proc/self/fd/1");
        assertEquals(Files.readSymbolicLink(Path.of("/proc/self/fd/1")).toString(), fd1);
        assertErrno(Errno.ENOENT, () -> vfs().resolve(prog, AT_FDCWD, "/proc/self/fd/7", 0));
        assertErrno(Errno.ENOENT, () -> vfs().resolve(prog, AT_FDCWD, "/proc/99999", 0));
    }

    private List<String> list(Process p, String path) throws ErrnoException {
        DirectoryFile d = (DirectoryFile) vfs().open(p, AT_FDCWD, path, OpenFile.O_RDONLY | OpenFile.O_DIRECTORY, 0);
        List<String> names = new ArrayList<>();
        DirectoryReader r = d.directory();
        for (DirectoryReader.Entry e = r.at(2); e != null; e = r.at(e.nextCookie())) names.add(e.name());
        d.close();
        return names;
    }

    @Test
    void systemFiles() throws Exception {
        String cpuinfo = read(prog, "/proc/cpuinfo");
        assertTrue(cpuinfo.startsWith("processor\t: 0\n"), cpuinfo);
        assertTrue(cpuinfo.contains("\nflags\t\t: " + dev.nexa.cpu.CpuFeatures.FLAGS + "\n"));
        String meminfo = read(prog, "/proc/meminfo");
        Matcher total = Pattern.compile("MemTotal:\\s+(\\d+) kB").matcher(meminfo);
        assertTrue(total.find());
        assertEquals(g.kernel.frames().totalFrames() * 4, Long.parseLong(total.group(1)));
        assertTrue(read(prog, "/proc/uptime").matches("\\d+\\.\\d\\d 0\\.00\n"));
        assertEquals("Linux\n", read(prog, "/proc/sys/kernel/ostype"));
        assertEquals("6.1.0-nexa\n", read(prog, "/proc/sys/kernel/osrelease"));
        assertEquals("4194304\n", read(prog, "/proc/sys/kernel/pid_max"));
        assertTrue(read(prog, "/proc/loadavg").matches("0\\.00 0\\.00 0\\.00 \\d+/\\d+ \\d+\n"));
        assertTrue(read(prog, "/proc/filesystems").contains("nodev\ttmpfs\n"));
        assertTrue(list(prog, "/proc").containsAll(List.of("self", "cpuinfo", Integer.toString(prog.pid()))));
        // Nobody creates files in /proc.
        assertErrno(Errno.EACCES, () -> vfs().open(prog, AT_FDCWD, "/proc/new", OpenFile.O_CREAT | OpenFile.O_WRONLY, 0644));
        assertErrno(Errno.EPERM, () -> vfs().mkdir(prog, AT_FDCWD, "/proc/newdir", 0755));
    }

    @Test
    void procSelfRootDoesNotLeaveAJail() throws Exception {
        Process jailed = new Process(g.kernel.allocatePid(), prog, null, new FdTable());
        vfs().chroot(jailed, fixtures.toRealPath().resolve("bin").toString());
        vfs().chdir(jailed, "/");
        // Inside the jail there is no /proc, so the escape route is a descriptor of the outside /proc
        // passed in: the root and cwd links of an outside process lead out, and are refused.
        PathRef outside = vfs().resolve(prog, AT_FDCWD, "/proc/self/root", 0);
        assertEquals("/", vfs().pathName(outside, prog));
        PathRef procDir = vfs().resolve(prog, AT_FDCWD, "/proc/" + prog.pid(), 0);
        OpenFile pd = vfs().open(prog, AT_FDCWD, "/proc/" + prog.pid(), OpenFile.O_PATH, 0);
        int fd = jailed.files().install(pd, false);
        assertNotNull(procDir);
        assertErrno(Errno.EACCES, () -> vfs().resolve(jailed, fd, "root", 0));
        assertErrno(Errno.EACCES, () -> vfs().resolve(jailed, fd, "cwd/..", 0));
        // The jailed process's own root link leads to its own root, and ".." stays there.
        Task t = g.task(0);
        vfs().chroot(t.process(), fixtures.toRealPath().toString());
        PathRef own = vfs().resolve(t.process(), AT_FDCWD, "/bin/../..", 0);
        assertEquals("/", vfs().pathName(own, t.process()));
        assertEquals(fixtures.toRealPath().toString(), vfs().pathName(own, null));
    }

    @Test
    void devicesAndDevLinks() throws Exception {
        Task t = g.task(0);
        long buf = g.alloc(t, 64);
        long fd = g.call(t, Sysno.OPEN, g.str(t, "/dev/zero"), OpenFile.O_RDONLY, 0);
        t.memory().write(buf, new byte[] {9, 9, 9, 9});
        assertEquals(64, g.call(t, Sysno.READ, fd, buf, 64));
        assertEquals(0, g.buffer(t, buf, 4).getInt(0));
        long nul = g.call(t, Sysno.OPEN, g.str(t, "/dev/null"), OpenFile.O_RDWR, 0);
        assertEquals(64, g.call(t, Sysno.WRITE, nul, buf, 64));
        assertEquals(0, g.call(t, Sysno.READ, nul, buf, 64));
        long full = g.call(t, Sysno.OPEN, g.str(t, "/dev/full"), OpenFile.O_WRONLY, 0);
        assertEquals(Errno.ENOSPC.ret(), g.call(t, Sysno.WRITE, full, buf, 1));
        long rnd = g.call(t, Sysno.OPEN, g.str(t, "/dev/urandom"), OpenFile.O_RDONLY, 0);
        assertEquals(64, g.call(t, Sysno.READ, rnd, buf, 64));
        assertEquals("/proc/self/fd", vfs().readlink(t.process(), AT_FDCWD, "/dev/fd"));
        assertTrue(vfs().stat(t.process(), AT_FDCWD, "/dev/shm", 0).isDirectory());
        assertEquals(Stat.makedev(1, 3), vfs().stat(t.process(), AT_FDCWD, "/dev/null", 0).rdev());
        // /dev/stdout through /proc/self/fd/1: the process's own stdout (Nexa's).
        OpenFile out = vfs().open(prog, AT_FDCWD, "/dev/stdout", OpenFile.O_WRONLY, 0);
        assertEquals(prog.files().get(1).path(), out.path());
        // Writing to /tmp works; the host root does not.
        assertTrue(g.call(t, Sysno.OPEN, g.str(t, "/tmp/x"), OpenFile.O_CREAT | OpenFile.O_WRONLY, 0644) >= 0);
        assertEquals(Errno.EROFS.ret(), g.call(t, Sysno.OPEN, g.str(t, "/x"), OpenFile.O_CREAT | OpenFile.O_WRONLY, 0644));
    }

    @Test
    void pipesThroughProcSelfFd() throws Exception {
        Task t = g.task(0);
        long fds = g.alloc(t, 8);
        assertEquals(0, g.call(t, Sysno.PIPE2, fds, 0));
        int r = g.buffer(t, fds, 8).getInt(0), w = g.buffer(t, fds, 8).getInt(4);
        String name = vfs().readlink(t.process(), AT_FDCWD, "/proc/self/fd/" + r);
        assertTrue(name.matches("pipe:\\[\\d+]"), name);
        assertEquals(name, vfs().readlink(t.process(), AT_FDCWD, "/proc/self/fd/" + w));
        // Reopening the pipe through its /proc link gives another end of the same pipe.
        long again = g.call(t, Sysno.OPEN, g.str(t, "/proc/self/fd/" + w), OpenFile.O_WRONLY, 0);
        assertTrue(again >= 0);
        assertEquals(name, t.process().files().get((int) again).path());
        assertEquals(2, g.call(t, Sysno.WRITE, again, g.str(t, "hi"), 2));
        long buf = g.alloc(t, 8);
        assertEquals(2, g.call(t, Sysno.READ, r, buf, 8));
        String fdinfo = Guests.read(vfs(), t.process(), "/proc/self/fdinfo/" + r);
        assertTrue(fdinfo.startsWith("pos:\t0\nflags:\t0"), fdinfo);
    }
}
