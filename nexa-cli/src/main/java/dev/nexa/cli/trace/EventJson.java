package dev.nexa.cli.trace;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.trace.ArgValue;
import dev.nexa.kernel.trace.FlagNames;
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
import java.util.List;
import java.util.Locale;

/**
 * One trace event as a JSON object: the line of a JSONL trace, and the {@code args} of a
 * Chrome trace event, so both formats carry the same data. docs/trace-schema.md is the
 * reference for every field; {@link #VERSION} is the schema version written as {@code "v"}.
 */
public final class EventJson {
    /** The trace schema version (docs/trace-schema.md, "Versions"). */
    public static final int VERSION = 1;

    private EventJson() {}

    /** The {@code "type"} of an event. */
    public static String type(TraceEvent e) {
        return switch (e) {
            case ProcessStart _ -> "process_start";
            case ProcessExit _ -> "process_exit";
            case Exec _ -> "exec";
            case Syscall _ -> "syscall";
            case UnknownSyscall _ -> "unknown_syscall";
            case Mmap _ -> "mmap";
            case Munmap _ -> "munmap";
            case Mprotect _ -> "mprotect";
            case Mremap _ -> "mremap";
            case Brk _ -> "brk";
            case PageFault _ -> "page_fault";
            case CpuException _ -> "cpu_exception";
            case SignalGenerated _ -> "signal_generated";
            case SignalDelivered _ -> "signal_delivered";
        };
    }

    /** Writes the whole event object. */
    public static void write(JsonGenerator g, TraceEvent e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("v", VERSION);
        g.writeNumberField("seq", e.stamp().seq());
        g.writeStringField("type", type(e));
        g.writeNumberField("pid", e.stamp().pid());
        g.writeNumberField("tid", e.stamp().tid());
        g.writeNumberField("ts", e.stamp().nanos());
        g.writeNumberField("insn", e.stamp().instructions());
        switch (e) {
            case ProcessStart p -> {
                g.writeNumberField("ppid", p.ppid());
                strings(g, "argv", p.argv());
                g.writeStringField("exe", p.exe());
            }
            case ProcessExit p -> {
                g.writeNumberField("waitStatus", p.waitStatus());
                if (p.exitCode() >= 0) g.writeNumberField("exitCode", p.exitCode());
                else g.writeNullField("exitCode");
                g.writeStringField("signal", p.signal() == 0 ? null : Signal.name(p.signal()));
                g.writeBooleanField("core", p.coreDumped());
            }
            case Exec x -> {
                g.writeStringField("path", x.path());
                strings(g, "argv", x.argv());
                g.writeStringField("interpreter", x.interpreter());
                g.writeNumberField("programBase", x.programBase());
                g.writeNumberField("interpreterBase", x.interpreterBase());
                g.writeNumberField("entry", x.entry());
                g.writeNumberField("startPc", x.startPc());
                g.writeNumberField("stackPointer", x.stackPointer());
                g.writeNumberField("brk", x.brk());
                g.writeArrayFieldStart("auxv");
                for (TraceEvent.Aux a : x.auxv()) {
                    g.writeStartObject();
                    g.writeNumberField("type", a.type());
                    g.writeStringField("name", a.name());
                    g.writeNumberField("value", a.value());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            case Syscall s -> {
                g.writeNumberField("nr", s.nr());
                g.writeStringField("name", s.name());
                g.writeArrayFieldStart("args");
                for (TraceEvent.SyscallArg a : s.args()) arg(g, a);
                g.writeEndArray();
                if (s.returned()) g.writeNumberField("ret", s.result());
                else g.writeNullField("ret");
                g.writeStringField("errno", s.errno());
                g.writeNumberField("entryTs", s.entryNanos());
                g.writeNumberField("entryInsn", s.entryInstructions());
                g.writeNumberField("dur", s.durationNanos());
                g.writeBooleanField("blocked", s.blocked());
            }
            case UnknownSyscall u -> {
                g.writeNumberField("nr", u.nr());
                g.writeStringField("name", u.name());
                g.writeArrayFieldStart("args");
                for (long a : u.args()) g.writeNumber(a);
                g.writeEndArray();
                g.writeStringField("errno", "ENOSYS");
                g.writeNumberField("entryTs", u.entryNanos());
                g.writeNumberField("dur", u.stamp().nanos() - u.entryNanos());
            }
            case Mmap m -> {
                g.writeNumberField("start", m.start());
                g.writeNumberField("length", m.length());
                g.writeStringField("prot", FlagNames.permissions(m.prot()));
                strings(g, "flags", FlagNames.map(m.flags()));
                g.writeStringField("file", m.file());
                g.writeNumberField("offset", m.offset());
                g.writeStringField("name", m.name());
                g.writeStringField("cause", m.cause().name().toLowerCase(Locale.ROOT));
            }
            case Munmap m -> {
                g.writeNumberField("start", m.start());
                g.writeNumberField("length", m.length());
            }
            case Mprotect m -> {
                g.writeNumberField("start", m.start());
                g.writeNumberField("length", m.length());
                g.writeStringField("prot", FlagNames.permissions(m.prot()));
            }
            case Mremap m -> {
                g.writeNumberField("oldStart", m.oldStart());
                g.writeNumberField("oldLength", m.oldLength());
                g.writeNumberField("start", m.start());
                g.writeNumberField("length", m.length());
            }
            case Brk b -> {
                g.writeNumberField("previous", b.previous());
                g.writeNumberField("current", b.current());
            }
            case PageFault f -> {
                g.writeNumberField("address", f.address());
                g.writeNumberField("rip", f.rip());
                g.writeStringField("access", f.access().name().toLowerCase(Locale.ROOT));
                g.writeStringField("resolution", f.resolution().name().toLowerCase(Locale.ROOT));
            }
            case CpuException c -> {
                g.writeNumberField("vector", c.vector());
                g.writeStringField("exception", c.mnemonic());
                g.writeNumberField("rip", c.rip());
                g.writeNumberField("errorCode", c.errorCode());
                g.writeNumberField("address", c.address());
                g.writeStringField("bytes", c.bytes());
            }
            case SignalGenerated s -> {
                g.writeNumberField("signo", s.signal());
                g.writeStringField("signal", Signal.name(s.signal()));
                g.writeNumberField("code", s.code());
                g.writeBooleanField("processWide", s.processWide());
            }
            case SignalDelivered s -> {
                g.writeNumberField("signo", s.signal());
                g.writeStringField("signal", Signal.name(s.signal()));
                g.writeStringField("action", s.action().name().toLowerCase(Locale.ROOT));
                g.writeNumberField("handler", s.handler());
            }
        }
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String field, List<String> values) throws IOException {
        g.writeArrayFieldStart(field);
        for (String v : values) g.writeString(v);
        g.writeEndArray();
    }

    private static void arg(JsonGenerator g, TraceEvent.SyscallArg a) throws IOException {
        g.writeStartObject();
        g.writeStringField("fmt", a.format());
        g.writeNumberField("raw", a.value().raw());
        g.writeStringField("text", a.value().text());
        switch (a.value()) {
            case ArgValue.Num _ -> g.writeStringField("kind", "num");
            case ArgValue.Sym s -> {
                g.writeStringField("kind", "sym");
                g.writeStringField("name", s.name());
            }
            case ArgValue.Flags f -> {
                g.writeStringField("kind", "flags");
                strings(g, "flags", f.names());
            }
            case ArgValue.Str s -> {
                g.writeStringField("kind", "str");
                g.writeStringField("str", s.value());
                g.writeBooleanField("truncated", s.truncated());
            }
            case ArgValue.Buf b -> {
                g.writeStringField("kind", "buf");
                g.writeNumberField("len", b.length());
            }
            case ArgValue.Struct s -> {
                g.writeStringField("kind", "struct");
                fields(g, s);
            }
            case ArgValue.Array arr -> {
                g.writeStringField("kind", "array");
                g.writeArrayFieldStart("items");
                for (ArgValue.Struct s : arr.items()) {
                    g.writeStartObject();
                    fields(g, s);
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeBooleanField("truncated", arr.truncated());
            }
            case ArgValue.Unreadable _ -> g.writeStringField("kind", "unreadable");
        }
        g.writeEndObject();
    }

    private static void fields(JsonGenerator g, ArgValue.Struct s) throws IOException {
        g.writeObjectFieldStart("fields");
        for (ArgValue.Field f : s.fields()) {
            if (f.string() != null) g.writeStringField(f.name(), f.string());
            else g.writeNumberField(f.name(), f.number());
        }
        g.writeEndObject();
    }
}
