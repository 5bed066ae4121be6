package dev.nexa.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** Keeps the benchmark runnable: a tiny run of every mode. Asserts no timing. */
class TraceOverheadBenchmarkTest {
    @TempDir
    Path tmp;

    @Test
    void everyModeRunsTheGuestToCompletion() throws Exception {
        Path loop = TinyAsm.getpidLoop(50).writeTo(tmp, "loop");
        var t = TraceOverheadBenchmark.measure(loop, List.of(), 0, 1, tmp);
        assertEquals(TraceOverheadBenchmark.MODES, List.copyOf(t.keySet()));
        TracedRun r = TracedRun.run(loop, tmp.resolve("loop.jsonl"), dev.nexa.cli.trace.TraceFormat.jsonl);
        assertEquals(50, r.events("syscall").stream().filter(e -> e.get("name").asText().equals("getpid")).count(),
                "the loop makes exactly the calls it says");
    }
}
