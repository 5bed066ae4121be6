package dev.nexa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexa.cli.trace.TraceFormat;
import dev.nexa.kernel.abi.Signal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Traces of real runs, in both formats: every JSONL line validates against
 * docs/trace.schema.json, the Chrome file is one JSON object with a traceEvents array that
 * validates too, and the validation is not vacuous (broken events are refused).
 */
class TraceFilesTest {
    @TempDir
    Path tmp;

    static Path asm(String name) { return FixtureCase.fixtures().resolve("bin/asm").resolve(name).toAbsolutePath(); }

    private void assertValidBothWays(Path program, int expectedStatus) throws Exception {
        String name = program.getFileName().toString();
        TracedRun jsonl = TracedRun.run(program, tmp.resolve(name + ".jsonl"), TraceFormat.jsonl);
        assertEquals(expectedStatus, jsonl.status(), jsonl.console());
        List<String> lines = Files.readAllLines(jsonl.trace());
        assertFalse(lines.isEmpty());
        long seq = 0;
        for (String line : lines) {
            JsonNode e = TracedRun.JSON.readTree(line);
            assertEquals(Set.of(), TraceSchema.event(e), line);
            assertEquals(seq++, e.get("seq").asLong(), "lines are in sequence order");
        }

        TracedRun chrome = TracedRun.run(program, tmp.resolve(name + ".json"), TraceFormat.chrome);
        assertEquals(expectedStatus, chrome.status());
        JsonNode doc = TracedRun.JSON.readTree(chrome.trace().toFile());
        assertTrue(doc.get("traceEvents").isArray(), "a traceEvents array");
        assertEquals(Set.of(), TraceSchema.chrome(doc));
        Set<String> phases = new HashSet<>();
        for (JsonNode e : doc.get("traceEvents")) phases.add(e.get("ph").asText());
        assertTrue(phases.containsAll(Set.of("M", "i")), phases.toString());
        boolean anySyscall = false;
        for (JsonNode e : doc.get("traceEvents")) {
            if (!e.path("cat").asText().equals("syscall")) continue;
            anySyscall = true;
            assertEquals("X", e.get("ph").asText(), "syscalls are complete events");
            assertEquals(e.get("args").get("entryTs").asLong() / 1000.0, e.get("ts").asDouble(), 1e-3, "ts is the entry, in µs");
            assertEquals(e.get("args").get("dur").asLong() / 1000.0, e.get("dur").asDouble(), 1e-3);
        }
        assertEquals(!jsonl.events("syscall").isEmpty(), anySyscall);
    }

    @Test
    void syscallsFixture() throws Exception { assertValidBothWays(asm("syscalls"), 0); }

    @Test
    void fatalSignalStillLeavesCompleteFiles() throws Exception {
        assertValidBothWays(asm("nullwrite"), 128 + Signal.SIGSEGV);
        assertValidBothWays(asm("ud2"), 128 + Signal.SIGILL);
    }

    @Test
    void memoryWorkout() throws Exception {
        assertValidBothWays(TinyAsm.memoryWorkout().exit(3).writeTo(tmp, "mm"), 3);
    }

    @Test
    void instructionLimitStillLeavesCompleteFiles() throws Exception {
        Path spin = TinyAsm.memoryWorkout().spin().writeTo(tmp, "spin");
        TracedRun r = TracedRun.run(spin, List.of(), tmp.resolve("spin.json"), TraceFormat.chrome,
                dev.nexa.kernel.trace.TraceKind.all(), 100_000);
        assertEquals(128 + Signal.SIGKILL, r.status());
        JsonNode doc = TracedRun.JSON.readTree(r.trace().toFile());
        assertEquals(Set.of(), TraceSchema.chrome(doc));
        assertTrue(r.events("process_exit").isEmpty(), "the process was still running");
        assertFalse(r.events("mremap").isEmpty());
    }

    @Test
    void memoryEventsCarryWhatTheCallsDid() throws Exception {
        TracedRun r = TracedRun.run(TinyAsm.memoryWorkout().exit(3).writeTo(tmp, "mm"), tmp.resolve("mm.jsonl"), TraceFormat.jsonl);
        JsonNode mmap = r.events("mmap").stream().filter(e -> e.get("cause").asText().equals("syscall")).findFirst().orElseThrow();
        long p = mmap.get("start").asLong();
        assertEquals(3 * 4096, mmap.get("length").asLong());
        assertEquals("rw-", mmap.get("prot").asText());
        assertEquals(List.of("MAP_PRIVATE", "MAP_ANONYMOUS"), strings(mmap.get("flags")));
        assertTrue(mmap.get("file").isNull());
        JsonNode fault = r.events("page_fault").stream().filter(e -> e.get("address").asLong() == p).findFirst().orElseThrow();
        assertEquals("write", fault.get("access").asText());
        assertEquals("zero_fill", fault.get("resolution").asText());
        JsonNode prot = r.events("mprotect").getFirst();
        assertEquals(p, prot.get("start").asLong());
        assertEquals("r--", prot.get("prot").asText());
        assertEquals(p + 8192, r.events("munmap").getFirst().get("start").asLong(), "the failed munmap(1) is not a map change");
        assertEquals(1, r.events("munmap").size());
        JsonNode remap = r.events("mremap").getFirst();
        assertEquals(p + 4096, remap.get("oldStart").asLong());
        assertEquals(8192, remap.get("length").asLong());
        JsonNode brk = r.events("brk").getFirst();
        assertEquals(brk.get("previous").asLong() + 8192, brk.get("current").asLong());
        JsonNode failed = r.events("syscall").stream().filter(e -> e.get("errno").isTextual()).findFirst().orElseThrow();
        assertEquals("munmap", failed.get("name").asText());
        assertEquals("EINVAL", failed.get("errno").asText());
        assertEquals(-22, failed.get("ret").asLong());
        JsonNode mmapCall = r.events("syscall").getFirst();
        assertEquals("mmap", mmapCall.get("name").asText());
        assertEquals("PROT_READ|PROT_WRITE", mmapCall.get("args").get(2).get("text").asText());
        assertEquals(List.of("MAP_PRIVATE", "MAP_ANONYMOUS"), strings(mmapCall.get("args").get(3).get("flags")));
    }

    @Test
    void aStaticCProgram() throws Exception {
        Path hello = FixtureCase.fixtures().resolve("bin/musl-static/hello").toAbsolutePath();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(hello), "fixture not built: " + hello);
        assertValidBothWays(hello, 0);
        TracedRun r = TracedRun.run(hello, tmp.resolve("hello.jsonl"), TraceFormat.jsonl);
        assertEquals("Hello from Nexa!\n", r.out());
        JsonNode writev = r.events("syscall").stream().filter(e -> e.get("name").asText().equals("writev")).findFirst().orElseThrow();
        JsonNode iov = writev.get("args").get(1);
        assertEquals("iovec", iov.get("fmt").asText());
        assertEquals("array", iov.get("kind").asText());
        long total = 0;
        for (JsonNode item : iov.get("items")) total += item.get("fields").get("iov_len").asLong();
        assertEquals(writev.get("ret").asLong(), total, "writev wrote what its iovecs hold");
        assertTrue(iov.get("text").asText().startsWith("[{iov_base=0x"), iov.toString());
    }

    @Test
    void aBlockingCallIsOneEventFromFirstEntryToCompletion() throws Exception {
        TracedRun r = TracedRun.run(TinyAsm.sleep(3_000_000).writeTo(tmp, "sleep"), tmp.resolve("sleep.jsonl"), TraceFormat.jsonl);
        assertEquals(0, r.status(), r.console());
        List<JsonNode> sleeps = r.events("syscall").stream().filter(e -> e.get("name").asText().equals("nanosleep")).toList();
        assertEquals(1, sleeps.size(), "parked and re-run, still one call");
        JsonNode s = sleeps.getFirst();
        assertTrue(s.get("blocked").asBoolean());
        assertEquals(0, s.get("ret").asLong());
        assertTrue(s.get("dur").asLong() >= 3_000_000, "the duration spans the wait: " + s.get("dur"));
        assertEquals("{tv_sec=0, tv_nsec=3000000}", s.get("args").get(0).get("text").asText());
        assertEquals(3_000_000, s.get("args").get(0).get("fields").get("tv_nsec").asLong());
        assertEquals(Set.of(), TraceSchema.event(s));
    }

    private static List<String> strings(JsonNode a) {
        return java.util.stream.StreamSupport.stream(a.spliterator(), false).map(JsonNode::asText).toList();
    }

    @Test
    void schemaRefusesBrokenEvents() throws Exception {
        TracedRun r = TracedRun.run(asm("syscalls"), tmp.resolve("s.jsonl"), TraceFormat.jsonl);
        ObjectNode write = (ObjectNode) r.events("syscall").stream()
                .filter(e -> e.get("name").asText().equals("write")).findFirst().orElseThrow();
        assertEquals(Set.of(), TraceSchema.event(write));

        ObjectNode noDur = write.deepCopy();
        noDur.remove("dur");
        assertFalse(TraceSchema.event(noDur).isEmpty(), "a missing field");
        ObjectNode extra = write.deepCopy();
        extra.put("surprise", 1);
        assertFalse(TraceSchema.event(extra).isEmpty(), "an undocumented field");
        ObjectNode badType = write.deepCopy();
        badType.put("type", "syscal");
        assertFalse(TraceSchema.event(badType).isEmpty(), "an unknown type");
        ObjectNode badArg = write.deepCopy();
        ((ObjectNode) badArg.get("args").get(1)).put("kind", "str");
        assertFalse(TraceSchema.event(badArg).isEmpty(), "a str argument without its string");
        ObjectNode badVersion = write.deepCopy();
        badVersion.put("v", 2);
        assertFalse(TraceSchema.event(badVersion).isEmpty(), "another schema version");

        JsonNode doc = TracedRun.JSON.readTree("{\"traceEvents\":[{\"name\":\"x\",\"ph\":\"X\"}]}");
        assertFalse(TraceSchema.chrome(doc).isEmpty());
        ObjectNode noArray = TracedRun.JSON.createObjectNode();
        noArray.set("traceEvents", TracedRun.JSON.createObjectNode());
        assertFalse(TraceSchema.chrome(noArray).isEmpty());
        ArrayNode empty = TracedRun.JSON.createArrayNode();
        ObjectNode ok = TracedRun.JSON.createObjectNode();
        ok.set("traceEvents", empty);
        assertEquals(Set.of(), TraceSchema.chrome(ok));
    }
}
