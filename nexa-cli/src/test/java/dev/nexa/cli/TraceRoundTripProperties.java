package dev.nexa.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexa.cli.trace.TraceFormat;
import dev.nexa.cli.trace.TraceReader;
import dev.nexa.cli.trace.TraceWriter;
import dev.nexa.kernel.trace.ArgValue;
import dev.nexa.kernel.trace.FlagNames;
import dev.nexa.kernel.trace.Stamp;
import dev.nexa.kernel.trace.TraceEvent;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Any events, written in either format, validate against the schema and read back as the same
 * JSON objects in the same order: the Chrome file loses nothing of the JSONL one.
 */
class TraceRoundTripProperties {
    /** A string as the kernel makes them: decoded from arbitrary bytes. */
    private static Arbitrary<String> guestString() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(40).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    private static Arbitrary<Long> anyLong() { return Arbitraries.longs(); }

    private static Arbitrary<Long> address() { return Arbitraries.longs().between(0, (1L << 47) - 1); }

    private static Arbitrary<ArgValue> argValue() {
        Arbitrary<ArgValue.Field> field = Combinators.combine(Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8),
                anyLong(), guestString().injectNull(0.5), Arbitraries.of(true, false)).as(ArgValue.Field::new);
        Arbitrary<ArgValue.Struct> struct = Combinators.combine(address(), field.list().ofMaxSize(4)).as(ArgValue.Struct::new);
        return Arbitraries.oneOf(
                Combinators.combine(anyLong(), guestString()).as(ArgValue.Num::new),
                Combinators.combine(anyLong(), guestString()).as(ArgValue.Sym::new),
                anyLong().map(v -> new ArgValue.Flags(v, FlagNames.map(v.intValue()))),
                Combinators.combine(address(), guestString(), Arbitraries.of(true, false), guestString()).as(ArgValue.Str::new),
                Combinators.combine(address(), Arbitraries.longs().between(0, 1 << 20), guestString()).as(ArgValue.Buf::new),
                struct.map(s -> s),
                Combinators.combine(address(), struct.list().ofMaxSize(3), Arbitraries.of(true, false)).as(ArgValue.Array::new),
                address().map(ArgValue.Unreadable::new));
    }

    private static final List<String> FORMATS = List.of("int", "ptr", "string", "buf_in", "open_flags", "stat_out", "iovec");

    /** An event of any type with a placeholder stamp (seq is set when the list is numbered). */
    @Provide
    Arbitrary<List<TraceEvent>> events() {
        Arbitrary<Stamp> stamp = Combinators.combine(Arbitraries.integers().between(1, 40000),
                Arbitraries.longs().between(1_000_000, 1L << 50), Arbitraries.longs().between(0, 1L << 40))
                .as((pid, ns, insn) -> new Stamp(0, pid, pid, ns, insn));
        Arbitrary<TraceEvent.SyscallArg> arg = Combinators.combine(Arbitraries.of(FORMATS), argValue()).as(TraceEvent.SyscallArg::new);
        Arbitrary<TraceEvent> syscall = Combinators.combine(stamp, Arbitraries.integers().between(0, 460),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12), arg.list().ofMaxSize(6),
                Arbitraries.longs().between(-5000, 1L << 47), Arbitraries.of(true, false),
                Arbitraries.longs().between(0, 1_000_000), Arbitraries.of(true, false))
                .as((s, nr, name, args, ret, returned, took, blocked) -> new TraceEvent.Syscall(s, nr, name, args, ret,
                        returned, s.nanos() - took, s.instructions(), blocked));
        Arbitrary<TraceEvent> mmap = Combinators.combine(stamp, address(), Arbitraries.longs().between(1, 1L << 32),
                Arbitraries.integers().between(0, 7), Arbitraries.integers(), guestString().injectNull(0.5), address(),
                Arbitraries.of("[stack]", "[heap]").injectNull(0.7))
                .as((s, start, len, prot, flags, file, off, name) -> new TraceEvent.Mmap(s, start, len, prot, flags, file, off,
                        name, file == null ? TraceEvent.MapCause.EXEC : TraceEvent.MapCause.SYSCALL));
        Arbitrary<TraceEvent> other = Arbitraries.oneOf(
                Combinators.combine(stamp, address(), address()).as(TraceEvent.Brk::new),
                Combinators.combine(stamp, address(), address()).as(TraceEvent.Munmap::new),
                Combinators.combine(stamp, address(), address(), address(), address()).as(TraceEvent.Mremap::new),
                Combinators.combine(stamp, address(), Arbitraries.longs().between(1, 1L << 30), Arbitraries.integers().between(0, 7))
                        .as(TraceEvent.Mprotect::new),
                Combinators.combine(stamp, anyLong(), anyLong(), Arbitraries.of(TraceEvent.Access.class),
                        Arbitraries.of(TraceEvent.Resolution.class)).as(TraceEvent.PageFault::new),
                Combinators.combine(stamp, Arbitraries.integers().between(1, 64), Arbitraries.integers(), Arbitraries.of(true, false))
                        .as(TraceEvent.SignalGenerated::new),
                Combinators.combine(stamp, Arbitraries.integers().between(1, 64), Arbitraries.of(TraceEvent.SignalAction.class),
                        address()).as(TraceEvent.SignalDelivered::new),
                Combinators.combine(stamp, Arbitraries.of(0, 0x100, 0x2a00, 9, 0x8b, 0x86)).as(TraceEvent.ProcessExit::new),
                Combinators.combine(stamp, Arbitraries.integers().between(0, 40000), guestString().list().ofMaxSize(4), guestString())
                        .as(TraceEvent.ProcessStart::new),
                Combinators.combine(stamp, Arbitraries.integers().between(0, 31), anyLong(), Arbitraries.integers(), anyLong(),
                        Arbitraries.of("", "0f 0b", "48 c7 00 2a 00 00 00"))
                        .as((s, v, rip, err, addr, bytes) -> new TraceEvent.CpuException(s, v, "#" + v, rip, err, addr, bytes)),
                Combinators.combine(stamp, guestString(), guestString().list().ofMaxSize(3), guestString().injectNull(0.5),
                        address(), address()).as((s, path, argv, interp, base, ibase) -> new TraceEvent.Exec(s, path, argv, interp,
                        base, ibase, base + 0x1000, ibase + 0x1000, 0x7fff_ffff_e000L, base + 0x10000,
                        List.of(new TraceEvent.Aux(9, "AT_ENTRY", base + 0x1000), new TraceEvent.Aux(0, "AT_NULL", 0)))),
                Combinators.combine(stamp, anyLong(), anyLong().list().ofSize(6))
                        .as((s, nr, args) -> new TraceEvent.UnknownSyscall(s, nr, "syscall_" + nr, args, s.nanos() - 10)));
        return Arbitraries.frequencyOf(net.jqwik.api.Tuple.of(3, syscall), net.jqwik.api.Tuple.of(1, mmap),
                net.jqwik.api.Tuple.of(2, other)).list().ofMaxSize(12);
    }

    private static TraceEvent renumber(TraceEvent e, long seq) {
        Stamp s = new Stamp(seq, e.stamp().pid(), e.stamp().tid(), e.stamp().nanos(), e.stamp().instructions());
        return switch (e) {
            case TraceEvent.ProcessStart x -> new TraceEvent.ProcessStart(s, x.ppid(), x.argv(), x.exe());
            case TraceEvent.ProcessExit x -> new TraceEvent.ProcessExit(s, x.waitStatus());
            case TraceEvent.Exec x -> new TraceEvent.Exec(s, x.path(), x.argv(), x.interpreter(), x.programBase(),
                    x.interpreterBase(), x.entry(), x.startPc(), x.stackPointer(), x.brk(), x.auxv());
            case TraceEvent.Syscall x -> new TraceEvent.Syscall(s, x.nr(), x.name(), x.args(), x.result(), x.returned(),
                    x.entryNanos(), x.entryInstructions(), x.blocked());
            case TraceEvent.UnknownSyscall x -> new TraceEvent.UnknownSyscall(s, x.nr(), x.name(), x.args(), x.entryNanos());
            case TraceEvent.Mmap x -> new TraceEvent.Mmap(s, x.start(), x.length(), x.prot(), x.flags(), x.file(), x.offset(),
                    x.name(), x.cause());
            case TraceEvent.Munmap x -> new TraceEvent.Munmap(s, x.start(), x.length());
            case TraceEvent.Mprotect x -> new TraceEvent.Mprotect(s, x.start(), x.length(), x.prot());
            case TraceEvent.Mremap x -> new TraceEvent.Mremap(s, x.oldStart(), x.oldLength(), x.start(), x.length());
            case TraceEvent.Brk x -> new TraceEvent.Brk(s, x.previous(), x.current());
            case TraceEvent.PageFault x -> new TraceEvent.PageFault(s, x.address(), x.rip(), x.access(), x.resolution());
            case TraceEvent.CpuException x -> new TraceEvent.CpuException(s, x.vector(), x.mnemonic(), x.rip(), x.errorCode(),
                    x.address(), x.bytes());
            case TraceEvent.SignalGenerated x -> new TraceEvent.SignalGenerated(s, x.signal(), x.code(), x.processWide());
            case TraceEvent.SignalDelivered x -> new TraceEvent.SignalDelivered(s, x.signal(), x.action(), x.handler());
        };
    }

    private static List<JsonNode> writeAndRead(List<TraceEvent> events, TraceFormat format, Path file) throws Exception {
        try (TraceWriter w = TraceWriter.open(file, format)) {
            for (TraceEvent e : events) w.accept(e);
        }
        List<JsonNode> out = new ArrayList<>();
        assertEquals(format, TraceReader.read(file, out::add));
        return out;
    }

    @Property
    void bothFormatsCarryTheSameSchemaValidEvents(@ForAll("events") List<TraceEvent> raw) throws Exception {
        List<TraceEvent> events = new ArrayList<>();
        for (TraceEvent e : raw) events.add(renumber(e, events.size()));
        Path dir = Files.createTempDirectory("nexa-trace-prop");
        try {
            List<JsonNode> jsonl = writeAndRead(events, TraceFormat.jsonl, dir.resolve("t.jsonl"));
            List<JsonNode> chrome = writeAndRead(events, TraceFormat.chrome, dir.resolve("t.json"));
            assertEquals(events.size(), jsonl.size());
            assertEquals(jsonl, chrome);
            for (JsonNode e : jsonl) assertEquals(Set.of(), TraceSchema.event(e), e.toString());
            assertEquals(Set.of(), TraceSchema.chrome(TracedRun.JSON.readTree(dir.resolve("t.json").toFile())));
            for (int k = 0; k < jsonl.size(); k++) assertEquals(k, jsonl.get(k).get("seq").asLong());
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }

    @Property(tries = 50)
    void writerStreamsToAnyOutputStream(@ForAll("events") List<TraceEvent> raw) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TraceWriter w = TraceWriter.of(bytes, TraceFormat.jsonl)) {
            for (TraceEvent e : raw) w.accept(renumber(e, 0));
            assertEquals(raw.size(), w.events());
        }
        long lines = new ByteArrayInputStream(bytes.toByteArray()).readAllBytes().length == 0 ? 0
                : bytes.toString(StandardCharsets.UTF_8).lines().count();
        assertEquals(raw.size(), lines, "one line per event");
    }
}
