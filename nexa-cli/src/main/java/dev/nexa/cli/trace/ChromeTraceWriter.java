package dev.nexa.cli.trace;

import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.trace.TraceEvent;
import dev.nexa.kernel.trace.TraceEvent.Brk;
import dev.nexa.kernel.trace.TraceEvent.CpuException;
import dev.nexa.kernel.trace.TraceEvent.Exec;
import dev.nexa.kernel.trace.TraceEvent.Mmap;
import dev.nexa.kernel.trace.TraceEvent.Mprotect;
import dev.nexa.kernel.trace.TraceEvent.Mremap;
import dev.nexa.kernel.trace.TraceEvent.Munmap;
import dev.nexa.kernel.trace.TraceEvent.PageFault;
import dev.nexa.kernel.trace.TraceEvent.ProcessExit;
import dev.nexa.kernel.trace.TraceEvent.ProcessStart;
import dev.nexa.kernel.trace.TraceEvent.SignalDelivered;
import dev.nexa.kernel.trace.TraceEvent.SignalGenerated;
import dev.nexa.kernel.trace.TraceEvent.Syscall;
import dev.nexa.kernel.trace.TraceEvent.UnknownSyscall;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Locale;

/**
 * The Chrome Trace Event Format ("JSON Object Format": {@code {"traceEvents": [...]}}), which
 * Perfetto and chrome://tracing open: guest processes are trace processes (pid) and threads
 * (tid), each syscall is a complete event ({@code "ph":"X"}, ts and dur in microseconds), and
 * everything else is an instant event ({@code "ph":"i"}). Process and thread names are metadata
 * events ({@code "ph":"M"}) written when a process starts and when it execs. Every event's
 * {@code args} is the full JSONL object of {@link EventJson}, so nothing is lost and
 * {@code nexa trace summary} reads this format as well as JSONL.
 */
public final class ChromeTraceWriter extends TraceWriter {
    ChromeTraceWriter(OutputStream out) throws IOException {
        super(out);
        g.writeStartObject();
        g.writeArrayFieldStart("traceEvents");
    }

    @Override
    protected void write(TraceEvent e) throws IOException {
        var s = e.stamp();
        switch (e) {
            case ProcessStart p -> {
                String name = p.exe().isEmpty() ? "" : base(p.exe()) + " ";
                metadata("process_name", s.pid(), s.tid(), name + "(pid " + s.pid() + ")");
                metadata("thread_name", s.pid(), s.tid(), name + "(tid " + s.tid() + ")");
                instant(e, "start", "p", s.nanos());
            }
            case ProcessExit p -> instant(e, p.signal() != 0 ? "killed by " + Signal.name(p.signal())
                    : "exit " + p.exitCode(), "p", s.nanos());
            case Exec x -> {
                metadata("process_name", s.pid(), s.tid(), base(x.path()) + " (pid " + s.pid() + ")");
                metadata("thread_name", s.pid(), s.tid(), base(x.path()) + " (tid " + s.tid() + ")");
                instant(e, "exec " + x.path(), "p", s.nanos());
            }
            case Syscall c -> complete(e, c.name(), c.entryNanos(), c.durationNanos());
            case UnknownSyscall u -> complete(e, u.name(), u.entryNanos(), s.nanos() - u.entryNanos());
            case Mmap m -> instant(e, "mmap " + (m.file() != null ? base(m.file()) : m.name() != null ? m.name() : "anon"),
                    "t", s.nanos());
            case Munmap _ -> instant(e, "munmap", "t", s.nanos());
            case Mprotect _ -> instant(e, "mprotect", "t", s.nanos());
            case Mremap _ -> instant(e, "mremap", "t", s.nanos());
            case Brk _ -> instant(e, "brk", "t", s.nanos());
            case PageFault f -> instant(e, "fault " + f.resolution().name().toLowerCase(Locale.ROOT), "t", s.nanos());
            case CpuException c -> instant(e, c.mnemonic(), "t", s.nanos());
            case SignalGenerated sg -> instant(e, Signal.name(sg.signal()) + " generated", "t", s.nanos());
            case SignalDelivered sd -> instant(e, Signal.name(sd.signal()) + " "
                    + sd.action().name().toLowerCase(Locale.ROOT), "t", s.nanos());
        }
    }

    private static String base(String path) { return path.substring(path.lastIndexOf('/') + 1); }

    private static double micros(long nanos) { return nanos / 1000.0; }

    private void header(TraceEvent e, String name, String ph, long nanos) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", name);
        g.writeStringField("cat", e.kind().cliName());
        g.writeStringField("ph", ph);
        g.writeNumberField("ts", micros(nanos));
        g.writeNumberField("pid", e.stamp().pid());
        g.writeNumberField("tid", e.stamp().tid());
    }

    private void instant(TraceEvent e, String name, String scope, long nanos) throws IOException {
        header(e, name, "i", nanos);
        g.writeStringField("s", scope);
        args(e);
    }

    private void complete(TraceEvent e, String name, long start, long dur) throws IOException {
        header(e, name, "X", start);
        g.writeNumberField("dur", micros(Math.max(0, dur)));
        args(e);
    }

    private void args(TraceEvent e) throws IOException {
        g.writeFieldName("args");
        EventJson.write(g, e);
        g.writeEndObject();
    }

    private void metadata(String what, int pid, int tid, String name) throws IOException {
        g.writeStartObject();
        g.writeStringField("name", what);
        g.writeStringField("ph", "M");
        g.writeNumberField("pid", pid);
        g.writeNumberField("tid", tid);
        g.writeObjectFieldStart("args");
        g.writeStringField("name", name);
        g.writeEndObject();
        g.writeEndObject();
    }

    @Override
    protected void finish() throws IOException {
        g.writeEndArray();
        g.writeStringField("displayTimeUnit", "ns");
        g.writeObjectFieldStart("otherData");
        g.writeStringField("producer", "nexa");
        g.writeNumberField("nexaTraceVersion", EventJson.VERSION);
        g.writeEndObject();
        g.writeEndObject();
        g.writeRaw('\n');
    }
}
