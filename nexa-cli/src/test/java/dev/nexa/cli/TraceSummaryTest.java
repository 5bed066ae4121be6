package dev.nexa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexa.cli.trace.MemoryMap;
import dev.nexa.cli.trace.TraceFormat;
import dev.nexa.cli.trace.TraceReader;
import dev.nexa.cli.trace.TraceSummary;
import dev.nexa.cli.trace.TraceWriter;
import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.KernelConfig;
import dev.nexa.kernel.mm.Vma;
import dev.nexa.kernel.trace.ArgValue;
import dev.nexa.kernel.trace.FlagNames;
import dev.nexa.kernel.trace.Stamp;
import dev.nexa.kernel.trace.TraceConfig;
import dev.nexa.kernel.trace.TraceEvent;
import dev.nexa.kernel.trace.TraceKind;
import dev.nexa.kernel.vfs.RootFs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/** nexa trace summary: both formats agree, and what it reports is what happened. */
class TraceSummaryTest {
    @TempDir
    Path tmp;

    static JsonNode summaryJson(Path trace) throws Exception {
        CliTest.Result r = CliTest.nexa("trace", "summary", "--json", trace.toString());
        assertEquals(0, r.status(), r.err());
        return TracedRun.JSON.readTree(r.out());
    }

    @Test
    void jsonlAndChromeSummariesOfTheSameRunAgree() throws Exception {
        Path program = TinyAsm.memoryWorkout().exit(3).writeTo(tmp, "mm");
        TracedRun a = TracedRun.run(program, tmp.resolve("t.jsonl"), TraceFormat.jsonl);
        TracedRun b = TracedRun.run(program, tmp.resolve("t.json"), TraceFormat.chrome);
        ObjectNode sa = (ObjectNode) summaryJson(a.trace()), sb = (ObjectNode) summaryJson(b.trace());
        assertEquals("jsonl", sa.get("format").asText());
        assertEquals("chrome", sb.get("format").asText());
        // Two runs: the same events, different host times. Compare everything but the times.
        for (ObjectNode s : List.of(sa, sb)) {
            s.remove("format");
            for (JsonNode p : s.get("processes")) for (JsonNode c : p.get("syscalls")) ((ObjectNode) c).remove("totalNs");
        }
        assertEquals(sa, sb);

        // The same file read both ways gives the same events, times included.
        TracedRun both = TracedRun.run(program, tmp.resolve("one.json"), TraceFormat.chrome);
        assertEquals(TraceFormat.chrome, TraceReader.detect(both.trace()));
        List<JsonNode> fromChrome = both.events();
        Path asJsonl = tmp.resolve("one.jsonl");
        java.nio.file.Files.write(asJsonl, fromChrome.stream().map(JsonNode::toString).toList());
        JsonNode s1 = summaryJson(both.trace()), s2 = summaryJson(asJsonl);
        ((ObjectNode) s1).remove("format");
        ((ObjectNode) s2).remove("format");
        assertEquals(s1, s2);
    }

    @Test
    void summaryReportsCallsErrorsExitAndMap() throws Exception {
        Path program = TinyAsm.memoryWorkout().exit(3).writeTo(tmp, "mm");
        TracedRun r = TracedRun.run(program, tmp.resolve("t.jsonl"), TraceFormat.jsonl);
        JsonNode p = summaryJson(r.trace()).get("processes").get(0);
        assertEquals(2, p.get("pid").asInt(), "nexa run: the program is the child of pid 1, the host-parent stand-in");
        assertEquals(1, p.get("ppid").asInt());
        assertEquals(3, p.get("exit").get("exitCode").asInt());
        assertEquals(program.toString(), p.get("execs").get(0).get("path").asText());
        assertTrue(p.get("execs").get(0).get("interpreter").isNull());
        JsonNode munmap = null;
        for (JsonNode c : p.get("syscalls")) if (c.get("name").asText().equals("munmap")) munmap = c;
        assertNotNull(munmap);
        assertEquals(2, munmap.get("count").asInt());
        assertEquals(1, munmap.get("errors").asInt());
        assertEquals(1, p.get("errors").get("EINVAL").asInt());
        assertEquals(List.of("brk", "munmap", "exit_group"), TracedRunStrings.of(p.get("syscalls"), "name").subList(0, 3),
                "most called first, ties by name");
        assertTrue(p.get("faults").get("zero_fill").asInt() >= 1);

        CliTest.Result text = CliTest.nexa("trace", "summary", r.trace().toString());
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().contains("exited with status 3"), text.out());
        assertTrue(text.out().matches("(?s).*\\n    munmap +2 +1 .*"), text.out());
        assertTrue(text.out().contains("memory map at exit:"), text.out());
        assertTrue(text.out().contains("[heap]"), text.out());
        assertTrue(text.out().contains("EINVAL"), text.out());
    }

    /** The replayed map equals the kernel's VMA list, page for page, protection and file included. */
    @Test
    void replayedMemoryMapMatchesTheKernels() throws Exception {
        Path program = TinyAsm.memoryWorkout().spin().writeTo(tmp, "spin");
        Path trace = tmp.resolve("spin.jsonl");
        List<MemoryMap.Region> actual = new ArrayList<>();
        try (TraceWriter w = TraceWriter.open(trace, TraceFormat.jsonl)) {
            var cfg = new KernelConfig(64L << 20, RootFs.host(Path.of("/"), "/"), 200_000, Set.of(), false,
                    new PrintStream(new ByteArrayOutputStream()), 1L, new TraceConfig(w, Set.of(TraceKind.MM), TraceConfig.ALL_PIDS));
            try (Kernel k = new Kernel(cfg)) {
                k.spawn(program.toString(), List.of(program.toString()), List.of(), "/",
                        new GuestRun.BytesFile(new byte[0]), new GuestRun.CaptureFile("out"), new GuestRun.CaptureFile("err"));
                k.run();
                assertNotNull(k.stopReason(), "stopped by the instruction limit, still alive");
                for (Vma v : k.init().addressSpace().vmas()) {
                    actual.add(new MemoryMap.Region(v.start(), v.end(), FlagNames.permissions(v.prot()), v.shared(),
                            v.file() == null ? null : v.file().name(), v.file() == null ? 0 : v.offset(), v.name()));
                }
            }
        }
        TraceSummary s = new TraceSummary();
        TraceReader.read(trace, s::accept);
        ByteArrayOutputStream json = new ByteArrayOutputStream();
        try (var g = TracedRun.JSON.getFactory().createGenerator(json)) {
            s.writeJson(g, TraceFormat.jsonl);
        }
        List<String> replayed = new ArrayList<>();
        for (JsonNode r : TracedRun.JSON.readTree(json.toByteArray()).get("processes").get(0).get("memoryMap")) {
            replayed.add(new MemoryMap.Region(r.get("start").asLong(), r.get("end").asLong(), r.get("prot").asText(),
                    r.get("shared").asBoolean(), r.get("file").isNull() ? null : r.get("file").asText(),
                    r.get("offset").asLong(), r.get("name").isNull() ? null : r.get("name").asText()).line());
        }
        MemoryMap kernel = new MemoryMap();
        for (MemoryMap.Region r : actual) kernel.map(r);
        assertEquals(kernel.regions().stream().map(MemoryMap.Region::line).toList(), replayed);
        assertTrue(replayed.stream().anyMatch(l -> l.contains("r--p") && l.endsWith(" 00000000")),
                "the mprotected anonymous page: " + replayed);
        assertTrue(replayed.stream().anyMatch(l -> l.endsWith("[heap]")), replayed.toString());
    }

    private static Stamp stamp(long seq, int pid) { return new Stamp(seq, pid, pid, 1000 * seq, 10 * seq); }

    private static TraceEvent.Syscall openat(long seq, int pid, String path, long result) {
        var args = List.of(
                new TraceEvent.SyscallArg("dirfd", new ArgValue.Sym(-100, "AT_FDCWD")),
                new TraceEvent.SyscallArg("string", new ArgValue.Str(0x1000, path, false, "\"" + path + "\"")),
                new TraceEvent.SyscallArg("open_flags", new ArgValue.Flags(0x80000, FlagNames.open(0x80000))));
        return new TraceEvent.Syscall(stamp(seq, pid), 257, "openat", args, result, true, 1000 * seq - 500, 10 * seq, false);
    }

    /** Files opened, the process tree and the exec chain of a fork+exec, from synthetic events. */
    @Test
    void filesOpenedParentsAndExecChains() throws Exception {
        Path trace = tmp.resolve("synthetic.json");
        long seq = 0;
        try (TraceWriter w = TraceWriter.open(trace, TraceFormat.chrome)) {
            w.accept(new TraceEvent.ProcessStart(stamp(seq++, 1), 0, List.of(), ""));
            w.accept(new TraceEvent.Exec(stamp(seq++, 1), "/bin/sh", List.of("sh", "-c", "ls"), "/lib64/ld-linux-x86-64.so.2",
                    0x5555_5555_4000L, 0x7f00_0000_0000L, 0x5555_5555_5000L, 0x7f00_0000_1000L, 0x7fff_ffff_e000L,
                    0x5555_5556_0000L, List.of()));
            w.accept(new TraceEvent.Mmap(stamp(seq++, 1), 0x5555_5555_4000L, 0x2000, 5, 0x812, "/bin/sh", 0, null,
                    TraceEvent.MapCause.EXEC));
            w.accept(openat(seq++, 1, "/etc/ld.so.cache", 3));
            w.accept(openat(seq++, 1, "/lib/x86_64-linux-gnu/libc.so.6", 3));
            w.accept(openat(seq++, 1, "/etc/ld.so.preload", -2));
            w.accept(new TraceEvent.ProcessStart(stamp(seq++, 2), 1, List.of("sh", "-c", "ls"), "/bin/sh"));
            w.accept(new TraceEvent.Exec(stamp(seq++, 2), "/bin/ls", List.of("ls"), null, 0, 0, 0x401000, 0x401000,
                    0x7fff_ffff_e000L, 0x500000, List.of()));
            w.accept(new TraceEvent.Mmap(stamp(seq++, 2), 0x400000, 0x1000, 5, 0x812, "/bin/ls", 0, null, TraceEvent.MapCause.EXEC));
            w.accept(openat(seq++, 2, "/etc/ld.so.preload", -2));
            w.accept(new TraceEvent.ProcessExit(stamp(seq++, 2), 0));
            w.accept(new TraceEvent.SignalGenerated(stamp(seq++, 1), 17, 1, true));
            w.accept(new TraceEvent.ProcessExit(stamp(seq++, 1), 9));
        }
        JsonNode s = summaryJson(trace);
        assertEquals(seq, s.get("events").asLong());
        JsonNode sh = s.get("processes").get(0), ls = s.get("processes").get(1);
        assertEquals("/lib64/ld-linux-x86-64.so.2", sh.get("execs").get(0).get("interpreter").asText());
        assertEquals(List.of("/etc/ld.so.cache", "/lib/x86_64-linux-gnu/libc.so.6", "/etc/ld.so.preload"),
                TracedRunStrings.of(sh.get("filesOpened"), "path"));
        assertEquals(1, sh.get("filesOpened").get(2).get("failures").get("ENOENT").asInt());
        assertEquals(2, sh.get("errors").path("ENOENT").asInt(0) + ls.get("errors").path("ENOENT").asInt(0));
        assertEquals("SIGKILL", sh.get("exit").get("signal").asText());
        assertEquals(1, ls.get("ppid").asInt());
        assertEquals("/bin/ls", ls.get("execs").get(0).get("path").asText());
        assertEquals(1, ls.get("memoryMap").size(), "exec replaced the map the child inherited");
        assertEquals("/bin/ls", ls.get("memoryMap").get(0).get("file").asText());

        CliTest.Result text = CliTest.nexa("trace", "summary", trace.toString());
        assertTrue(text.out().contains("process 2 (parent 1): ls"), text.out());
        assertTrue(text.out().contains("/bin/sh via /lib64/ld-linux-x86-64.so.2 (program at 0x555555554000, interpreter at 0x7f0000000000)"),
                text.out());
        assertTrue(text.out().contains("killed by SIGKILL"), text.out());
        assertTrue(text.out().contains("/etc/ld.so.preload               1 open, ENOENT x1"), text.out());
    }

    /** Column of strings from an array of objects. */
    static final class TracedRunStrings {
        static List<String> of(JsonNode array, String field) {
            List<String> out = new ArrayList<>();
            for (JsonNode n : array) out.add(n.get(field).asText());
            return out;
        }
    }

    @Test
    void malformedTracesAreRefusedWithTheirPlace() throws Exception {
        Path bad = tmp.resolve("bad.jsonl");
        java.nio.file.Files.writeString(bad, "{\"v\":1,\"seq\":0,\"type\":\"brk\",\"pid\":1}\n{\"v\":1,\"seq\":1,oops\n");
        CliTest.Result r = CliTest.nexa("trace", "summary", bad.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains("line 2"), r.err());
        assertFalse(r.err().contains("Exception"), r.err());

        Path other = tmp.resolve("other.json");
        java.nio.file.Files.writeString(other, "{\"hello\": [1, 2], \"world\": true}");
        CliTest.Result o = CliTest.nexa("trace", "summary", other.toString());
        assertEquals(1, o.status());
        assertTrue(o.err().contains("traceEvents"), o.err());

        Path noVersion = tmp.resolve("nov.jsonl");
        java.nio.file.Files.writeString(noVersion, "{\"type\":\"brk\",\"pid\":1}\n");
        CliTest.Result n = CliTest.nexa("trace", "summary", noVersion.toString());
        assertEquals(1, n.status());
        assertTrue(n.err().contains("line 1") && n.err().contains("\"v\""), n.err());

        Path newer = tmp.resolve("newer.jsonl");
        java.nio.file.Files.writeString(newer, "{\"v\":99,\"type\":\"brk\",\"pid\":1}\n");
        assertTrue(CliTest.nexa("trace", "summary", newer.toString()).err().contains("schema version 99"));

        assertEquals(1, CliTest.nexa("trace", "summary", tmp.resolve("missing").toString()).status());
        Path empty = tmp.resolve("empty.jsonl");
        java.nio.file.Files.writeString(empty, "");
        CliTest.Result e = CliTest.nexa("trace", "summary", empty.toString());
        assertEquals(0, e.status(), e.err());
        assertTrue(e.out().startsWith("trace: 0 events (jsonl), 0 processes"), e.out());
        assertEquals(StandardCharsets.UTF_8.name(), "UTF-8");
    }
}
