package dev.nexa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nexa.cli.trace.TraceFormat;
import dev.nexa.cli.trace.TraceReader;
import dev.nexa.cli.trace.TraceWriter;
import dev.nexa.kernel.trace.TraceConfig;
import dev.nexa.kernel.trace.TraceKind;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** A guest run with --trace: its status, output, Nexa's messages, and the trace file. */
record TracedRun(int status, String out, String console, Path trace) {
    static final ObjectMapper JSON = new ObjectMapper();

    static TracedRun run(Path program, List<String> args, Path traceFile, TraceFormat format, Set<TraceKind> kinds,
                         long maxInstructions) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(args);
        GuestRun.CaptureFile out = new GuestRun.CaptureFile("stdout");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        int status;
        try (TraceWriter w = TraceWriter.open(traceFile, format)) {
            var opts = new GuestLauncher.Options(256L << 20, Path.of("/"), maxInstructions, Set.of(), false, 1L)
                    .withTrace(new TraceConfig(w, kinds, TraceConfig.ALL_PIDS));
            status = GuestLauncher.run(opts, program.toString(), argv, GuestRun.ENV, "/",
                    new GuestLauncher.Stdio(new GuestRun.BytesFile(new byte[0]), out, out), new PrintStream(console, true));
        }
        return new TracedRun(status, new String(out.bytes()), console.toString(), traceFile);
    }

    static TracedRun run(Path program, Path traceFile, TraceFormat format) throws Exception {
        return run(program, List.of(), traceFile, format, TraceKind.all(), 50_000_000);
    }

    /** The trace's events as JSONL objects, whatever its format. */
    List<JsonNode> events() throws Exception {
        List<JsonNode> out = new ArrayList<>();
        TraceReader.read(trace, out::add);
        return out;
    }

    List<JsonNode> events(String type) throws Exception {
        return events().stream().filter(e -> e.path("type").asText().equals(type)).toList();
    }
}
