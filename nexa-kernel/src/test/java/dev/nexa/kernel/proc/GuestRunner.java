package dev.nexa.kernel.proc;

import dev.nexa.elf.Elf;
import dev.nexa.elf.ElfWriter;
import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.KernelConfig;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.FdTable;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.Stat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Runs a test guest from {@link GuestCode} as pid 1 of a fresh {@link Kernel}: the code becomes
 * "/prog" in a temporary root (a read-only host view), stdout and stderr are
 * captured, and the result holds the exit status, the 8-byte words the guest wrote to stdout
 * and what the kernel printed on its console.
 */
public final class GuestRunner {
    /** What a run produced. */
    public record Result(int status, long[] words, String console, Kernel kernel) {
        public long word(int k) { return words[k]; }

        @Override
        public String toString() {
            StringBuilder sb = new StringBuilder("status " + status + ", words [");
            for (int k = 0; k < words.length; k++) sb.append(k == 0 ? "" : ", ").append("0x").append(Long.toHexString(words[k]));
            return sb.append("], console: ").append(console).toString();
        }
    }

    private final String code;
    private final Map<String, byte[]> files = new LinkedHashMap<>();
    private final List<String> argv = new ArrayList<>(List.of("/prog"));
    private Consumer<Kernel> setup = k -> { };
    private long maxInstructions = 200_000_000;

    public GuestRunner(String hexCode) { this.code = hexCode; }

    /** Another file in the guest's root, e.g. a #! script. */
    public GuestRunner file(String name, String contents) {
        files.put(name, contents.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    public GuestRunner setup(Consumer<Kernel> s) {
        this.setup = s;
        return this;
    }

    static byte[] bytes(String hex) {
        String[] parts = hex.trim().split("\\s+");
        byte[] b = new byte[parts.length];
        for (int k = 0; k < parts.length; k++) b[k] = (byte) Integer.parseInt(parts[k], 16);
        return b;
    }

    /** The guest as a static ELF: code at BASE (RWX), 1 MiB of bss at SCRATCH. */
    public static byte[] elf(String hex) {
        return ElfWriter.executable()
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W | Elf.PF_X, GuestCode.BASE, bytes(hex)))
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, GuestCode.SCRATCH, new byte[0]).withMemsz(1 << 20))
                .entry(GuestCode.BASE)
                .build();
    }

    public Result run() {
        Path root;
        try {
            root = Files.createTempDirectory("nexa-guest");
            Path prog = root.resolve("prog");
            Files.write(prog, elf(code));
            Files.setPosixFilePermissions(prog, PosixFilePermissions.fromString("rwxr-xr-x"));
            for (var e : files.entrySet()) {
                Path f = root.resolve(e.getKey());
                Files.write(f, e.getValue());
                Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        KernelConfig cfg = new KernelConfig(64L << 20, GuestRunner.hostRoot(root), maxInstructions, Set.of(),
                false, new PrintStream(console, true, StandardCharsets.UTF_8), 1L);
        Kernel kernel = new Kernel(cfg);
        CaptureFile out = new CaptureFile("stdout");
        try {
            setup.accept(kernel);
            FdTable fds = new FdTable();
            fds.install(new CaptureFile("stdin"), false);
            fds.install(out, false);
            out.retain();
            fds.install(out, false);
            kernel.spawn("/prog", argv, List.of(), fds);
            int status = kernel.run();
            byte[] b = out.bytes();
            ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
            long[] words = new long[b.length / 8];
            for (int k = 0; k < words.length; k++) words[k] = bb.getLong(8 * k);
            return new Result(status, words, console.toString(StandardCharsets.UTF_8), kernel);
        } catch (ErrnoException e) {
            throw new IllegalStateException("spawn failed: " + e.getMessage(), e);
        } finally {
            kernel.close();
            deleteTree(root);
        }
    }

    private static void deleteTree(Path root) {
        try (var s = Files.walk(root)) {
            s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }

    /** A write-only sink (stdout, stderr) and an always-empty source (stdin). */
    static final class CaptureFile extends OpenFile {
        private final String name;
        private final ByteArrayOutputStream data = new ByteArrayOutputStream();

        CaptureFile(String name) {
            super(O_RDWR);
            this.name = name;
        }

        byte[] bytes() { return data.toByteArray(); }

        @Override
        public String path() { return "capture:[" + name + "]"; }

        @Override
        public Stat stat() { return new Stat(0, 7, Stat.S_IFIFO | 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0); }

        @Override
        public long read(MemorySegment dst) { return 0; }

        @Override
        public long write(MemorySegment src) {
            data.writeBytes(src.toArray(ValueLayout.JAVA_BYTE));
            return src.byteSize();
        }
    }

    static String hex(long[] w) { return Arrays.toString(Arrays.stream(w).mapToObj(Long::toHexString).toArray()); }

    /** The VFS's read-only view of a host directory as the guest's root. */
    static java.util.function.Function<Kernel, dev.nexa.kernel.vfs.Vfs> hostRoot(Path root) {
        try {
            return dev.nexa.kernel.vfs.RootFs.host(root, "/");
        } catch (dev.nexa.kernel.abi.ErrnoException e) {
            throw new IllegalStateException("bad test root " + root, e);
        }
    }
}
