package dev.nexa.kernel.trace;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.KernelConfig;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.BootstrapHostVfs;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.Stat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Runs a program on a kernel with a trace sink that keeps the events, for assertions. */
record TracedKernel(int status, List<TraceEvent> events, String stdout, String console) {
    static Path fixtures() {
        String p = System.getProperty("nexa.fixtures");
        return p != null ? Path.of(p) : Path.of("..", "fixtures").toAbsolutePath().normalize();
    }

    static Path asm(String name) { return fixtures().resolve("bin/asm").resolve(name).toAbsolutePath(); }

    static TracedKernel run(Path program, Set<TraceKind> kinds, int pid, boolean strace) throws ErrnoException {
        List<TraceEvent> events = new ArrayList<>();
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Capture out = new Capture();
        var cfg = new KernelConfig(64L << 20, k -> new BootstrapHostVfs(Path.of("/")), 10_000_000, Set.of(), strace,
                new PrintStream(console, true, StandardCharsets.UTF_8), 7L,
                kinds.isEmpty() ? TraceConfig.OFF : new TraceConfig(events::add, kinds, pid));
        try (Kernel k = new Kernel(cfg)) {
            k.spawn(program.toString(), List.of(program.toString()), List.of(), "/", out, out, out);
            int status = k.run();
            return new TracedKernel(status, events, out.text(), console.toString(StandardCharsets.UTF_8));
        }
    }

    static TracedKernel run(Path program) throws ErrnoException {
        return run(program, TraceKind.all(), TraceConfig.ALL_PIDS, false);
    }

    <T extends TraceEvent> List<T> all(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends TraceEvent> T only(Class<T> type) {
        List<T> l = all(type);
        if (l.size() != 1) throw new AssertionError("expected one " + type.getSimpleName() + ", got " + l);
        return l.getFirst();
    }

    /** The guest's standard output and error, kept in memory. */
    static final class Capture extends OpenFile {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Capture() { super(O_WRONLY); }

        String text() { return buf.toString(StandardCharsets.UTF_8); }

        @Override public String path() { return "pipe:[capture]"; }

        @Override public Stat stat() throws ErrnoException { throw new ErrnoException(Errno.EIO); }

        @Override
        public long write(MemorySegment src) {
            buf.writeBytes(src.toArray(ValueLayout.JAVA_BYTE));
            return src.byteSize();
        }
    }
}
