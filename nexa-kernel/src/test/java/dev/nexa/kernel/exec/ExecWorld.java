package dev.nexa.kernel.exec;

import dev.nexa.elf.Elf;
import dev.nexa.elf.ElfWriter;
import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.KernelConfig;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.mm.Vma;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.FdTable;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.RootFs;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.mem.Paging;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A guest root on the host (a temporary directory, seen read-only through the VFS) holding the
 * files exec fuzzing needs, and the check that runs one candidate program through the real
 * {@link Kernel}: a first process is spawned from {@code /start} and given some state (touched
 * pages, an extra mapping), then it execs {@code /t/prog}.
 * <ul>
 *   <li>A failed exec must answer one of Linux's errnos for bad executables, with a one-line
 *       message, and leave the process exactly as it was: same address space object, same VMAs,
 *       same page-table leaves, same descriptors, same registers, and the frame allocator's count
 *       unchanged (no frame leaked by the half-built image).</li>
 *   <li>An exec that fails past the point of no return kills the process with SIGSEGV, as Linux
 *       does; the old image's frames are freed.</li>
 *   <li>A successful exec is run (a bounded number of instructions) to its end: a guest exit
 *       status, a fatal signal or the instruction limit, never a Java exception; afterwards every
 *       frame the program used is free again.</li>
 * </ul>
 */
final class ExecWorld implements AutoCloseable {
    /** What Linux's execve answers for a bad program or interpreter, including path-lookup errors for PT_INTERP. */
    static final Set<Errno> EXEC_ERRNOS = EnumSet.of(Errno.ENOEXEC, Errno.ELIBBAD, Errno.EINVAL, Errno.ENOMEM,
            Errno.ENOENT, Errno.EACCES, Errno.EIO, Errno.ENOTDIR, Errno.ENAMETOOLONG, Errno.ELOOP);
    static final long MEMORY = 32L << 20;
    static final long MAX_INSTRUCTIONS = 300_000;
    static final java.time.Duration WALL_LIMIT = java.time.Duration.ofSeconds(5);
    static final String PROG = "/t/prog";
    static final long SCRATCH = 0x500000L;

    /** Interpreter paths the generators choose from (what each is: see {@link #build}). */
    static final List<String> INTERPRETERS = List.of("/lib/interp.so", "/lib/chain.so", "/lib/ld-musl-x86_64.so.1",
            "/lib64/ld-linux-x86-64.so.2", PROG, "/notelf", "/script", "/dir", "/nonexistent", "/noexec", "/dev/null",
            "/proc/self/exe", "", "relative.so", "/notelf/below", "/loop", "/" + "x".repeat(300));

    final Path root;

    private ExecWorld(Path root) { this.root = root; }

    /**
     * /start (a valid static program), /lib/interp.so (a valid ET_DYN interpreter that exits 7),
     * /lib/chain.so (an interpreter naming itself as interpreter), the host's musl and glibc
     * dynamic loaders where present, /notelf (text), /script (#! to /notelf), /dir, /noexec (a
     * valid ELF without execute permission), /loop (a symlink to itself), and /t for the candidates.
     */
    static ExecWorld build() {
        try {
            Path root = Files.createTempDirectory("nexa-exec-fuzz");
            write(root, "start", exitProgram(0), true);
            write(root, "lib/interp.so", interpreter(null), true);
            write(root, "lib/chain.so", interpreter("/lib/chain.so"), true);
            copyHost(root, "/lib/ld-musl-x86_64.so.1");
            copyHost(root, "/lib64/ld-linux-x86-64.so.2");
            write(root, "notelf", "just text\n".getBytes(StandardCharsets.UTF_8), true);
            write(root, "script", "#!/notelf\n".getBytes(StandardCharsets.UTF_8), true);
            write(root, "noexec", exitProgram(3), false);
            Files.createDirectories(root.resolve("dir"));
            Files.createDirectories(root.resolve("t"));
            Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
            return new ExecWorld(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copyHost(Path root, String path) throws IOException {
        Path host = Path.of(path);
        if (Files.isRegularFile(host)) write(root, path.substring(1), Files.readAllBytes(host), true);
    }

    static void write(Path root, String rel, byte[] bytes, boolean executable) throws IOException {
        Path f = root.resolve(rel);
        Files.createDirectories(f.getParent());
        Files.write(f, bytes);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }

    /** mov $60,%eax; mov $code,%edi; syscall. */
    static byte[] exitCode(int code) {
        return new byte[] {(byte) 0xb8, 60, 0, 0, 0, (byte) 0xbf, (byte) code, 0, 0, 0, 0x0f, 0x05};
    }

    /** A static program that exits with {@code code}, with 64 KiB of bss at {@link #SCRATCH}. */
    static byte[] exitProgram(int code) {
        return ElfWriter.executable().headersAt(0x400000)
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x401000, exitCode(code)))
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, SCRATCH, new byte[16]).withMemsz(0x10000))
                .entry(0x401000).build();
    }

    /** An ET_DYN interpreter (position-independent code: exit(7)), optionally naming an interpreter itself. */
    static byte[] interpreter(String itsOwn) {
        var w = ElfWriter.sharedObject().headersAt(0)
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x1000, exitCode(7)))
                .entry(0x1000);
        if (itsOwn != null) w.interpreter(itsOwn);
        return w.build();
    }

    @Override
    public void close() {
        try (var s = Files.walk(root)) {
            s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    // ---- one exec ------------------------------------------------------------------------------

    /** How one candidate ended. */
    enum Outcome { ERRNO, SIGSEGV_PAST_NO_RETURN, RAN }

    record Result(Outcome outcome, Errno errno, int status, String console) {}

    /** Everything about a process that a failed exec must leave alone. */
    record Snapshot(Object mm, List<Vma> vmas, List<List<Long>> leaves, List<Integer> fds, long rip, long rsp,
                    long frames, String exe) {
        static Snapshot of(Process p, Task t, Kernel k) {
            var mm = p.addressSpace();
            List<List<Long>> leaves = new ArrayList<>();
            mm.pageTable().forEachLeaf(0, Paging.USER_END, (va, pte) -> leaves.add(List.of(va, pte)));
            List<Integer> fds = Arrays.stream(p.files().open()).boxed().toList();
            return new Snapshot(mm, mm.vmas(), leaves, fds, t.cpu().rip(), t.cpu().reg(dev.nexa.cpu.Reg.RSP),
                    k.frames().framesInUse(), p.exePath());
        }
    }

    /** Writes {@code program} as /t/prog and checks the exec properties; returns what happened. */
    Result exec(byte[] program) {
        try {
            write(root, PROG.substring(1), program, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return exec(PROG, MEMORY);
    }

    Result exec(String path, long memory) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        KernelConfig cfg;
        try {
            cfg = new KernelConfig(memory, RootFs.host(root, "/"), MAX_INSTRUCTIONS, Set.of(), false,
                    new PrintStream(console, true, StandardCharsets.UTF_8), 1L);
        } catch (ErrnoException e) {
            throw new IllegalStateException(e);
        }
        try (Kernel k = new Kernel(cfg)) {
            k.useHostParent();
            // A mutant may block for good (pause, a futex nobody wakes, a huge nanosleep): the
            // instruction limit does not count waiting, so a wall-clock limit ends those runs.
            k.setTimeLimit(WALL_LIMIT);
            long idle = k.frames().framesInUse();
            FdTable fds = new FdTable();
            fds.install(new Sink(), false);
            fds.install(new Sink(), false);
            fds.install(new Sink(), false);
            Process p = k.spawn("/start", List.of("/start"), List.of(), "/", fds);
            Task t = p.mainThread();
            // Some state of the old program that a failed exec must keep: touched bss pages, a
            // private anonymous mapping, a descriptor marked close-on-exec.
            t.memory().write(SCRATCH, new byte[3 * 4096 + 5]);
            long extra = p.addressSpace().map(0, 4 * 4096, Vma.PROT_READ | Vma.PROT_WRITE,
                    Vma.MAP_PRIVATE | Vma.MAP_ANONYMOUS, null, 0, 0, null);
            t.memory().write(extra + 4096, new byte[] {1, 2, 3});
            p.files().install(new Sink(), true);
            Snapshot before = Snapshot.of(p, t, k);

            ExecResult r;
            try {
                r = k.exec(t, path, List.of(path, "arg"), List.of("K=V"));
            } catch (ErrnoException e) {
                assertTrue(EXEC_ERRNOS.contains(e.errno()), () -> "errno " + e.errno() + ": " + e.getMessage());
                String msg = e.getMessage();
                assertNotNull(msg);
                assertFalse(msg.isBlank(), "message");
                assertFalse(msg.contains("\n"), msg);
                assertEquals(before, Snapshot.of(p, t, k), () -> "failed exec (" + msg + ") changed the process");
                return new Result(Outcome.ERRNO, e.errno(), -1, console.toString(StandardCharsets.UTF_8));
            }
            assertTrue(k.frames().framesInUse() <= k.frames().totalFrames());
            Outcome outcome = Outcome.RAN;
            if (r == null) {
                outcome = Outcome.SIGSEGV_PAST_NO_RETURN;
                assertTrue(t.pending.has(Signal.SIGSEGV), "SIGSEGV pending after a failed exec past the point of no return");
                assertTrue(p.addressSpace() != before.mm(), "the old image is gone");
                assertTrue(p.addressSpace().residentPages() == 0, "nothing of the old image stays mapped");
                assertTrue(k.frames().framesInUse() < before.frames(), "the old image's frames were freed");
            }
            int status = k.run();
            if (outcome == Outcome.SIGSEGV_PAST_NO_RETURN) assertEquals(128 + Signal.SIGSEGV, status, "status");
            String out = console.toString(StandardCharsets.UTF_8);
            assertFalse(out.contains("internal error") || out.contains("Exception"), out);
            if (p.isZombie() && k.processes().stream().allMatch(q -> q == p || q.isZombie() || q.mainThread() == null)) {
                k.release(p);
                assertEquals(idle, k.frames().framesInUse(), "frames in use once the program has exited");
            }
            return new Result(outcome, null, status, out);
        } catch (ErrnoException e) {
            fail("setting up the first process: " + e.getMessage());
            return null;
        }
    }

    /** A write-only sink and an empty source for the standard descriptors. */
    static final class Sink extends OpenFile {
        Sink() { super(O_RDWR); }

        @Override
        public String path() { return "sink:[]"; }

        @Override
        public Stat stat() { return new Stat(0, 7, Stat.S_IFIFO | 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0); }

        @Override
        public long read(MemorySegment dst) { return 0; }

        @Override
        public long write(MemorySegment src) { return src.byteSize(); }
    }
}
