package dev.nexa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** The trace options of {@code nexa run} and the {@code nexa trace} command, as a user types them. */
class TraceCliTest {
    @TempDir
    Path tmp;

    static String asm(String name) { return TraceFilesTest.asm(name).toString(); }

    private static Set<String> types(Path jsonl) throws Exception {
        Set<String> out = new HashSet<>();
        for (String line : Files.readAllLines(jsonl)) out.add(TracedRun.JSON.readTree(line).get("type").asText());
        return out;
    }

    @Test
    void runWritesAJsonlTraceByDefault() throws Exception {
        Path t = tmp.resolve("t.jsonl");
        CliTest.Result r = CliTest.nexa("run", "--trace", t.toString(), asm("exit0"));
        assertEquals(7, r.status(), r.err());
        assertEquals(Set.of("process_start", "exec", "mmap", "page_fault", "process_exit", "syscall"), types(t));
        for (String line : Files.readAllLines(t)) assertEquals(Set.of(), TraceSchema.event(TracedRun.JSON.readTree(line)), line);
    }

    @Test
    void runWritesAChromeTrace() throws Exception {
        Path t = tmp.resolve("t.json");
        CliTest.Result r = CliTest.nexa("run", "--trace", t.toString(), "--trace-format", "chrome", asm("exit0"));
        assertEquals(7, r.status(), r.err());
        JsonNode doc = TracedRun.JSON.readTree(t.toFile());
        assertTrue(doc.get("traceEvents").isArray());
        assertEquals(Set.of(), TraceSchema.chrome(doc));
    }

    @Test
    void eventKindsAndPidFilter() throws Exception {
        Path t = tmp.resolve("t.jsonl");
        assertEquals(0, CliTest.nexa("run", "--trace", t.toString(), "--trace-events", "exec,process", asm("syscalls")).status());
        assertEquals(Set.of("exec", "process_start", "process_exit"), types(t));
        assertEquals(0, CliTest.nexa("run", "--trace", t.toString(), "--trace-events", "syscall", asm("syscalls")).status());
        assertEquals(Set.of("syscall", "unknown_syscall"), types(t));
        assertEquals(0, CliTest.nexa("run", "--trace", t.toString(), "--trace-pid", "5", asm("syscalls")).status());
        assertEquals(List.of(), Files.readAllLines(t), "pid 5 never existed");
        assertEquals(0, CliTest.nexa("run", "--trace", t.toString(), "--trace-pid", "2", asm("syscalls")).status());
        assertFalse(Files.readAllLines(t).isEmpty());
    }

    @Test
    void usageErrors() {
        CliTest.Result noFile = CliTest.nexa("run", "--trace-format", "chrome", asm("exit0"));
        assertEquals(125, noFile.status());
        assertTrue(noFile.err().contains("need --trace FILE"), noFile.err());

        CliTest.Result badKind = CliTest.nexa("run", "--trace", tmp.resolve("x").toString(), "--trace-events", "syscall,memory", asm("exit0"));
        assertEquals(125, badKind.status());
        assertTrue(badKind.err().contains("memory") && badKind.err().contains("process,exec,syscall,mm,fault,signal"), badKind.err());

        CliTest.Result badFormat = CliTest.nexa("run", "--trace", tmp.resolve("x").toString(), "--trace-format", "xml", asm("exit0"));
        assertEquals(125, badFormat.status());
        assertTrue(badFormat.err().contains("jsonl, chrome"), badFormat.err());

        CliTest.Result unwritable = CliTest.nexa("run", "--trace", tmp.resolve("no/such/dir/t.jsonl").toString(), asm("exit0"));
        assertEquals(125, unwritable.status());
        assertTrue(unwritable.err().contains("cannot write"), unwritable.err());
        assertFalse(unwritable.err().contains("Exception"), unwritable.err());

        CliTest.Result bare = CliTest.nexa("trace");
        assertEquals(125, bare.status());
        assertTrue(bare.err().contains("summary"), bare.err());
    }

    @Test
    void helpListsTheTraceOptions() {
        CliTest.Result h = CliTest.nexa("run", "--help");
        for (String o : List.of("--trace=FILE", "--trace-format", "--trace-events", "--trace-pid")) assertTrue(h.out().contains(o), o);
        assertTrue(CliTest.nexa("--help").out().contains("trace"));
        assertTrue(CliTest.nexa("trace", "summary", "--help").out().contains("--json"));
    }
}
