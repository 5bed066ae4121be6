package dev.nexa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nexa.cli.trace.TraceFormat;
import dev.nexa.cli.trace.TraceWriter;
import dev.nexa.kernel.trace.TraceConfig;
import dev.nexa.kernel.trace.TraceKind;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 6's boot acceptance point: a busybox pipeline traced under {@code nexa boot} (the
 * built-in initramfs, {@code --trace t.jsonl}) shows every process with its parent and its exec
 * chain. The file is read back line by line with Jackson, as any JSON tool would.
 */
class BootTraceTest {
    static final String PIPELINE = "echo b a c | tr ' ' '\\n' | sort -r | wc -l";

    @Test
    void busyboxPipelineShowsEveryProcessWithItsParentAndExecChain(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(BuiltinInitramfs.BUSYBOX)), "needs the Debian package busybox-static");
        byte[] image = BuiltinInitramfs.build(FixtureCase.fixtures());
        Path trace = tmp.resolve("t.jsonl");
        GuestRun.CaptureFile out = new GuestRun.CaptureFile("stdout");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        List<String> argv = List.of("/bin/sh", "-c", PIPELINE);
        int status;
        try (TraceWriter w = TraceWriter.open(trace, TraceFormat.jsonl)) {
            var opts = new GuestLauncher.Options(256L << 20, Path.of("/"), 2_000_000_000L, Set.of(), false, 1L)
                    .asBoot(null, image).withTrace(new TraceConfig(w, TraceKind.all(), TraceConfig.ALL_PIDS));
            status = GuestLauncher.run(opts, "/bin/sh", argv, List.of("HOME=/", "TERM=linux"), "/",
                    new GuestLauncher.Stdio(new GuestRun.BytesFile(new byte[0]), out, out), new PrintStream(console, true));
        }
        assertEquals("3\n", new String(out.bytes()), console.toString());
        assertEquals(0, status, console.toString());

        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(trace)) events.add(json.readTree(line));
        Map<Integer, Integer> parent = new HashMap<>();
        Map<Integer, List<List<String>>> execs = new HashMap<>();
        Map<Integer, Integer> exitCode = new HashMap<>();
        for (JsonNode e : events) {
            int pid = e.get("pid").asInt();
            switch (e.get("type").asText()) {
                case "process_start" -> assertNull(parent.put(pid, e.get("ppid").asInt()), "one start per process: " + e);
                case "exec" -> {
                    assertTrue(parent.containsKey(pid), "an exec in a started process: " + e);
                    List<String> a = new ArrayList<>();
                    e.get("argv").forEach(s -> a.add(s.asText()));
                    execs.computeIfAbsent(pid, k -> new ArrayList<>()).add(a);
                }
                case "process_exit" -> {
                    assertTrue(parent.containsKey(pid), "an exit of a started process: " + e);
                    exitCode.put(pid, e.get("exitCode").asInt());
                }
                default -> { }
            }
        }
        // pid 1 is init: no parent; it runs the shell, which forks one child per pipeline stage.
        assertEquals(0, parent.get(1));
        assertEquals(List.of(argv), execs.get(1));
        List<Integer> children = parent.entrySet().stream().filter(en -> en.getValue() == 1).map(Map.Entry::getKey).sorted().toList();
        assertEquals(4, children.size(), "four pipeline stages forked by the shell: " + parent);
        assertEquals(parent.keySet(), Set.copyOf(concat(List.of(1), children)), "no other process");
        // As `strace -f -e execve busybox sh -c '...'` shows natively: echo is the shell's builtin
        // and sort a NOEXEC applet, both run in the forked child without an exec; busybox execs
        // tr and wc through /proc/self/exe with the applet's name as argv[0].
        List<String> stages = new ArrayList<>();
        for (int c : children) {
            List<List<String>> chain = execs.getOrDefault(c, List.of());
            assertTrue(chain.size() <= 1, "pid " + c + " execs at most once: " + chain);
            stages.add(chain.isEmpty() ? "(no exec)" : String.join(" ", chain.getFirst()));
        }
        assertEquals(List.of("(no exec)", "tr   \\n", "(no exec)", "wc -l"), stages);
        for (int p : parent.keySet()) assertEquals(0, exitCode.get(p), "pid " + p + " exits with 0");
        // The exec events of the children name the program the way busybox asked for it.
        for (JsonNode e : events) {
            if (e.get("type").asText().equals("exec") && e.get("pid").asInt() != 1) {
                assertEquals("/proc/self/exe", e.get("path").asText(), e.toString());
            }
        }
    }

    private static List<Integer> concat(List<Integer> a, List<Integer> b) {
        List<Integer> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }
}
