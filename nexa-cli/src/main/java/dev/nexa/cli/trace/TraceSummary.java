package dev.nexa.cli.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code nexa trace summary} reports, built event by event (the trace is never held):
 * per process its parent, exec chain, exit, syscalls by count and time, errors by errno, files
 * opened, page faults by resolution, and the memory map at exit replayed from the mm events.
 */
public final class TraceSummary {
    /** Counts of one syscall: calls, failed calls, total time in nanoseconds. */
    public static final class CallStats {
        long count, errors, totalNanos;
    }

    /** One exec: path, interpreter (or null), argv. */
    public record ExecStep(String path, String interpreter, List<String> argv, long programBase, long interpreterBase) {}

    /** How often a path was opened, and the errors of the opens that failed. */
    public static final class OpenStats {
        long opens;
        final Map<String, Long> failures = new TreeMap<>();
    }

    /** Everything known about one process. */
    public static final class ProcessInfo {
        final int pid;
        int ppid = -1;
        List<String> argv = List.of();
        final List<ExecStep> execs = new ArrayList<>();
        Integer waitStatus;
        String exitSignal;
        Integer exitCode;
        boolean core;
        final Map<String, CallStats> syscalls = new TreeMap<>();
        final Map<String, Long> errors = new TreeMap<>();
        final Map<String, OpenStats> files = new LinkedHashMap<>();
        final Map<String, Long> faults = new TreeMap<>();
        final Map<String, Long> signals = new TreeMap<>();
        MemoryMap memory = new MemoryMap();
        boolean mappingExec;

        ProcessInfo(int pid) { this.pid = pid; }
    }

    private final Map<Integer, ProcessInfo> processes = new TreeMap<>();
    private long events;

    public long events() { return events; }

    private ProcessInfo process(int pid) { return processes.computeIfAbsent(pid, ProcessInfo::new); }

    /** Takes one event (a JSONL object). */
    public void accept(JsonNode e) {
        events++;
        ProcessInfo p = process(e.path("pid").asInt());
        String type = e.path("type").asText();
        boolean execMapping = type.equals("mmap") && e.path("cause").asText().equals("exec");
        if (execMapping && !p.mappingExec) p.memory.clear();          // exec replaced the address space
        p.mappingExec = execMapping;
        switch (type) {
            case "process_start" -> {
                p.ppid = e.path("ppid").asInt();
                p.argv = strings(e.path("argv"));
                ProcessInfo parent = processes.get(p.ppid);
                if (parent != null && p.ppid != p.pid) p.memory = parent.memory.copy();   // fork: a copy of the parent's map
            }
            case "exec" -> {
                p.argv = strings(e.path("argv"));
                p.execs.add(new ExecStep(e.path("path").asText(), text(e.get("interpreter")), p.argv,
                        e.path("programBase").asLong(), e.path("interpreterBase").asLong()));
            }
            case "process_exit" -> {
                p.waitStatus = e.path("waitStatus").asInt();
                p.exitCode = e.path("exitCode").isInt() ? e.path("exitCode").asInt() : null;
                p.exitSignal = text(e.get("signal"));
                p.core = e.path("core").asBoolean();
            }
            case "syscall", "unknown_syscall" -> syscall(p, e);
            case "mmap" -> p.memory.map(new MemoryMap.Region(e.path("start").asLong(),
                    e.path("start").asLong() + e.path("length").asLong(), e.path("prot").asText(),
                    !e.path("flags").path(0).asText().equals("MAP_PRIVATE"), text(e.get("file")),
                    e.path("offset").asLong(), text(e.get("name"))));
            case "munmap" -> p.memory.unmap(e.path("start").asLong(), e.path("length").asLong());
            case "mprotect" -> p.memory.protect(e.path("start").asLong(), e.path("length").asLong(), e.path("prot").asText());
            case "mremap" -> p.memory.remap(e.path("oldStart").asLong(), e.path("oldLength").asLong(),
                    e.path("start").asLong(), e.path("length").asLong());
            case "brk" -> p.memory.brk(e.path("previous").asLong(), e.path("current").asLong());
            case "page_fault" -> p.faults.merge(e.path("resolution").asText(), 1L, Long::sum);
            case "cpu_exception" -> p.faults.merge(e.path("exception").asText(), 1L, Long::sum);
            case "signal_delivered" -> p.signals.merge(e.path("signal").asText() + " " + e.path("action").asText(), 1L, Long::sum);
            default -> { }
        }
    }

    private static void syscall(ProcessInfo p, JsonNode e) {
        String name = e.path("name").asText();
        CallStats s = p.syscalls.computeIfAbsent(name, n -> new CallStats());
        s.count++;
        s.totalNanos += e.path("dur").asLong();
        String errno = text(e.get("errno"));
        if (errno != null) {
            s.errors++;
            p.errors.merge(errno, 1L, Long::sum);
        }
        if (name.equals("open") || name.equals("openat") || name.equals("openat2") || name.equals("creat")) {
            for (JsonNode a : e.path("args")) {
                if (!a.path("kind").asText().equals("str")) continue;
                OpenStats o = p.files.computeIfAbsent(a.path("str").asText(), k -> new OpenStats());
                o.opens++;
                if (errno != null) o.failures.merge(errno, 1L, Long::sum);
                break;
            }
        }
    }

    private static String text(JsonNode n) { return n == null || n.isNull() ? null : n.asText(); }

    private static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        for (JsonNode s : array) out.add(s.asText());
        return out;
    }

    private static List<Map.Entry<String, CallStats>> byCount(ProcessInfo p) {
        List<Map.Entry<String, CallStats>> calls = new ArrayList<>(p.syscalls.entrySet());
        calls.sort(Comparator.comparingLong((Map.Entry<String, CallStats> c) -> -c.getValue().count)
                .thenComparing(Map.Entry::getKey));
        return calls;
    }

    private static String exit(ProcessInfo p) {
        if (p.waitStatus == null) return "still running at the end of the trace";
        if (p.exitSignal != null) return "killed by " + p.exitSignal + (p.core ? " (core dumped)" : "");
        return "exited with status " + p.exitCode;
    }

    // ---- output ------------------------------------------------------------------------------------

    /** The summary as JSON (nexa trace summary --json). */
    public void writeJson(JsonGenerator g, TraceFormat format) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", EventJson.VERSION);
        g.writeStringField("format", format.name());
        g.writeNumberField("events", events);
        g.writeArrayFieldStart("processes");
        for (ProcessInfo p : processes.values()) {
            g.writeStartObject();
            g.writeNumberField("pid", p.pid);
            if (p.ppid >= 0) g.writeNumberField("ppid", p.ppid);
            else g.writeNullField("ppid");
            g.writeArrayFieldStart("argv");
            for (String a : p.argv) g.writeString(a);
            g.writeEndArray();
            g.writeArrayFieldStart("execs");
            for (ExecStep x : p.execs) {
                g.writeStartObject();
                g.writeStringField("path", x.path());
                g.writeStringField("interpreter", x.interpreter());
                g.writeNumberField("programBase", x.programBase());
                g.writeNumberField("interpreterBase", x.interpreterBase());
                g.writeArrayFieldStart("argv");
                for (String a : x.argv()) g.writeString(a);
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("exit");
            if (p.waitStatus == null) g.writeNullField("waitStatus");
            else g.writeNumberField("waitStatus", p.waitStatus);
            if (p.exitCode == null) g.writeNullField("exitCode");
            else g.writeNumberField("exitCode", p.exitCode);
            g.writeStringField("signal", p.exitSignal);
            g.writeBooleanField("core", p.core);
            g.writeStringField("text", exit(p));
            g.writeEndObject();
            g.writeArrayFieldStart("syscalls");
            for (var c : byCount(p)) {
                g.writeStartObject();
                g.writeStringField("name", c.getKey());
                g.writeNumberField("count", c.getValue().count);
                g.writeNumberField("errors", c.getValue().errors);
                g.writeNumberField("totalNs", c.getValue().totalNanos);
                g.writeEndObject();
            }
            g.writeEndArray();
            counts(g, "errors", p.errors);
            g.writeArrayFieldStart("filesOpened");
            for (var f : p.files.entrySet()) {
                g.writeStartObject();
                g.writeStringField("path", f.getKey());
                g.writeNumberField("opens", f.getValue().opens);
                counts(g, "failures", f.getValue().failures);
                g.writeEndObject();
            }
            g.writeEndArray();
            counts(g, "faults", p.faults);
            counts(g, "signals", p.signals);
            g.writeArrayFieldStart("memoryMap");
            for (MemoryMap.Region r : p.memory.regions()) {
                g.writeStartObject();
                g.writeNumberField("start", r.start());
                g.writeNumberField("end", r.end());
                g.writeStringField("prot", r.prot());
                g.writeBooleanField("shared", r.shared());
                g.writeStringField("file", r.file());
                g.writeNumberField("offset", r.offset());
                g.writeStringField("name", r.name());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void counts(JsonGenerator g, String field, Map<String, Long> m) throws IOException {
        g.writeObjectFieldStart(field);
        for (var e : m.entrySet()) g.writeNumberField(e.getKey(), e.getValue());
        g.writeEndObject();
    }

    /** The summary as aligned text. */
    public void writeText(PrintStream out, TraceFormat format) {
        out.printf("trace: %d events (%s), %d process%s%n", events, format, processes.size(), processes.size() == 1 ? "" : "es");
        for (ProcessInfo p : processes.values()) {
            out.println();
            out.printf("process %d%s: %s%n", p.pid, p.ppid >= 0 ? " (parent " + p.ppid + ")" : "",
                    p.argv.isEmpty() ? "(no command line recorded)" : String.join(" ", p.argv));
            out.println("  exit: " + exit(p));
            if (!p.execs.isEmpty()) {
                out.println("  exec chain:");
                for (ExecStep x : p.execs) {
                    out.printf("    %s%s%n", x.path(), x.interpreter() == null ? " (static)"
                            : String.format(" via %s (program at 0x%x, interpreter at 0x%x)", x.interpreter(),
                            x.programBase(), x.interpreterBase()));
                }
            }
            if (!p.syscalls.isEmpty()) {
                int w = Math.max(7, p.syscalls.keySet().stream().mapToInt(String::length).max().orElse(0));
                out.printf("  syscalls:%n    %-" + w + "s %8s %8s %14s%n", "syscall", "calls", "errors", "total us");
                long calls = 0, errs = 0, ns = 0;
                for (var c : byCount(p)) {
                    CallStats s = c.getValue();
                    out.printf("    %-" + w + "s %8d %8d %14.3f%n", c.getKey(), s.count, s.errors, s.totalNanos / 1000.0);
                    calls += s.count;
                    errs += s.errors;
                    ns += s.totalNanos;
                }
                out.printf("    %-" + w + "s %8d %8d %14.3f%n", "total", calls, errs, ns / 1000.0);
            }
            table(out, "errors", p.errors);
            if (!p.files.isEmpty()) {
                out.println("  files opened:");
                int w = p.files.keySet().stream().mapToInt(String::length).max().orElse(0);
                for (var f : p.files.entrySet()) {
                    OpenStats o = f.getValue();
                    StringBuilder fails = new StringBuilder();
                    o.failures.forEach((k, v) -> fails.append(", ").append(k).append(" x").append(v));
                    out.printf("    %-" + w + "s  %d open%s%s%n", f.getKey(), o.opens, o.opens == 1 ? "" : "s", fails);
                }
            }
            table(out, "page faults and exceptions", p.faults);
            table(out, "signals delivered", p.signals);
            List<MemoryMap.Region> map = p.memory.regions();
            if (!map.isEmpty()) {
                out.println("  memory map at exit:");
                for (MemoryMap.Region r : map) out.println("    " + r.line());
            }
        }
    }

    private static void table(PrintStream out, String title, Map<String, Long> m) {
        if (m.isEmpty()) return;
        out.println("  " + title + ":");
        int w = m.keySet().stream().mapToInt(String::length).max().orElse(0);
        for (var e : m.entrySet()) out.printf("    %-" + w + "s %8d%n", e.getKey(), e.getValue());
    }
}
