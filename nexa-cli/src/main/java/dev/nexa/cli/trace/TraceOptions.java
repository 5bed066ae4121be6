package dev.nexa.cli.trace;

import dev.nexa.kernel.trace.TraceConfig;
import dev.nexa.kernel.trace.TraceKind;
import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The trace options shared by the commands that run guests ({@code nexa run}, {@code nexa boot}):
 * a picocli mixin. {@link #open} starts the trace file; the returned {@link Session} must be
 * closed on every way out of the run, which flushes and ends the file.
 */
public final class TraceOptions {
    @Option(names = "--trace", paramLabel = "FILE", description = "Write a trace of the run to FILE (see docs/trace-schema.md).")
    Path file;

    @Option(names = "--trace-format", paramLabel = "FORMAT",
            description = "jsonl (default: one event per line) or chrome (Perfetto, chrome://tracing).")
    TraceFormat format;

    @Option(names = "--trace-events", paramLabel = "KINDS", split = ",", converter = KindConverter.class,
            description = "Which events to record: syscall,exec,mm,fault,signal,process (default: all).")
    List<TraceKind> kinds;

    @Option(names = "--trace-pid", paramLabel = "N", description = "Record only the events of process N.")
    Integer pid;

    /** Parses one --trace-events name. */
    static final class KindConverter implements CommandLine.ITypeConverter<TraceKind> {
        @Override
        public TraceKind convert(String value) { return TraceKind.parse(value); }
    }

    /** An open trace: the kernel's configuration and the writer behind it. */
    public static final class Session implements AutoCloseable {
        private final TraceWriter writer;
        private final TraceConfig config;
        private final Path file;
        private final Thread shutdownHook;

        private Session(TraceWriter writer, TraceConfig config, Path file) {
            this.writer = writer;
            this.config = config;
            this.file = file;
            // Ctrl-C ends the JVM without unwinding the run: still leave a complete file.
            this.shutdownHook = writer == null ? null : new Thread(this::closeQuietly, "nexa-trace-close");
            if (shutdownHook != null) Runtime.getRuntime().addShutdownHook(shutdownHook);
        }

        public TraceConfig config() { return config; }

        /** The trace file, or null without --trace. */
        public Path file() { return file; }

        private void closeQuietly() {
            try {
                writer.close();
            } catch (IOException e) {
                // Nothing can be reported while the JVM shuts down.
            }
        }

        /** Ends and closes the trace file; throws the first write error. */
        @Override
        public void close() throws IOException {
            if (writer == null) return;
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // Already shutting down: the hook closes the file too; close() is idempotent.
            }
            writer.close();
        }
    }

    /** Whether --trace was given. */
    public boolean enabled() { return file != null; }

    /** The --trace file, or null. */
    public Path file() { return file; }

    /**
     * Opens the trace file (or returns a session with tracing off).
     *
     * @throws CommandLine.ParameterException for trace options given without --trace
     * @throws IOException                    when the file cannot be created
     */
    public Session open(CommandLine cl) throws IOException {
        if (file == null) {
            if (format != null || kinds != null || pid != null) {
                throw new CommandLine.ParameterException(cl, "--trace-format, --trace-events and --trace-pid need --trace FILE");
            }
            return new Session(null, TraceConfig.OFF, null);
        }
        if (pid != null && pid <= 0) throw new CommandLine.ParameterException(cl, "--trace-pid must be a positive pid");
        if (kinds != null && kinds.isEmpty()) throw new CommandLine.ParameterException(cl, "--trace-events needs at least one kind");
        Set<TraceKind> chosen = kinds == null ? TraceKind.all() : EnumSet.copyOf(kinds);
        TraceWriter w = TraceWriter.open(file, format == null ? TraceFormat.jsonl : format);
        return new Session(w, new TraceConfig(w, chosen, pid == null ? TraceConfig.ALL_PIDS : pid), file);
    }
}
