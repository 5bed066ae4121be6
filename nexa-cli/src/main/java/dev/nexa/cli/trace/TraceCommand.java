package dev.nexa.cli.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code nexa trace ...}: work with exported traces. */
@Command(name = "trace", mixinStandardHelpOptions = true, description = "Read traces written with --trace.",
        subcommands = TraceCommand.Summary.class)
public final class TraceCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand (try: nexa trace summary FILE)");
    }

    /** {@code nexa trace summary FILE [--json]}: per-process report of a JSONL or Chrome trace. */
    @Command(name = "summary", mixinStandardHelpOptions = true,
            description = {"Summarize a trace (JSONL or Chrome format, told apart by content): per process, its parent,",
                    "exec chain, exit, syscalls by count and time, errors by errno, files opened, faults, signals,",
                    "and the memory map at exit replayed from the mm events."})
    static final class Summary implements Callable<Integer> {
        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Parameters(paramLabel = "FILE", description = "The trace file.")
        Path file;

        @Override
        public Integer call() throws IOException {
            PrintStream out = System.out;
            if (!Files.isRegularFile(file)) {
                System.err.println("nexa trace summary: " + file + ": No such file");
                return 1;
            }
            TraceSummary summary = new TraceSummary();
            TraceFormat format;
            try {
                format = TraceReader.read(file, summary::accept);
            } catch (TraceFormatException e) {
                System.err.println("nexa trace summary: " + e.getMessage());
                return 1;
            }
            if (json) {
                try (JsonGenerator g = TraceWriter.JSON.createGenerator(out, JsonEncoding.UTF8)) {
                    g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    g.useDefaultPrettyPrinter();
                    summary.writeJson(g, format);
                }
                out.println();
            } else {
                summary.writeText(out, format);
            }
            out.flush();
            return 0;
        }
    }
}
