package dev.nexa.kernel.trace;

import dev.nexa.elf.Elf;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.trace.TraceEvent.*;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.*;

/** The events a kernel records for the assembly fixtures (fixtures/src/asm), field by field. */
class KernelTraceTest {
    @Test
    void syscallsFixtureRecordsStartExecMappingsCallsAndExit() throws Exception {
        TracedKernel r = TracedKernel.run(TracedKernel.asm("syscalls"));
        assertEquals(0, r.status(), r.console());
        assertEquals("Linux\n", r.stdout());

        List<TraceEvent> ev = r.events();
        for (int k = 0; k < ev.size(); k++) assertEquals(k, ev.get(k).stamp().seq(), "sequence numbers are contiguous");
        for (int k = 1; k < ev.size(); k++) {
            assertTrue(ev.get(k).stamp().nanos() >= ev.get(k - 1).stamp().nanos(), "time never goes back: " + ev.get(k));
        }
        assertTrue(ev.stream().allMatch(e -> e.stamp().pid() == 1 && e.stamp().tid() == 1));
        assertInstanceOf(ProcessStart.class, ev.getFirst());
        assertEquals(0, ((ProcessStart) ev.getFirst()).ppid());

        Exec x = r.only(Exec.class);
        String path = TracedKernel.asm("syscalls").toString();
        assertEquals(path, x.path());
        assertEquals(List.of(path), x.argv());
        assertNull(x.interpreter(), "a static program has no interpreter");
        assertEquals(0, x.programBase());
        assertEquals(0x401000, x.entry());
        assertEquals(x.entry(), x.startPc());
        Map<String, Long> aux = x.auxv().stream().collect(Collectors.toMap(Aux::name, Aux::value));
        assertEquals(x.entry(), aux.get("AT_ENTRY"));
        assertEquals(4096L, aux.get("AT_PAGESZ"));
        assertEquals(0L, aux.get("AT_BASE"));
        assertEquals("AT_NULL", x.auxv().getLast().name());
        assertEquals(Elf.AT_NULL, x.auxv().getLast().type());

        List<Mmap> maps = r.all(Mmap.class);
        assertTrue(maps.stream().allMatch(m -> m.cause() == MapCause.EXEC));
        assertTrue(maps.stream().anyMatch(m -> m.start() == 0x401000 && m.prot() == 5 && path.equals(m.file())
                && m.offset() == 0x1000), maps.toString());
        assertTrue(maps.stream().anyMatch(m -> "[stack]".equals(m.name()) && m.start() + m.length() == 0x7fff_ffff_f000L));
        assertTrue(ev.indexOf(x) < ev.indexOf(maps.getFirst()), "exec's mappings follow the exec event");

        List<Syscall> calls = r.all(Syscall.class);
        assertEquals(List.of("getpid", "uname", "write", "exit_group"), calls.stream().map(Syscall::name).toList());
        Syscall getpid = calls.get(0);
        assertEquals(1, getpid.result());
        assertTrue(getpid.returned());
        assertNull(getpid.errno());
        assertTrue(getpid.entryNanos() <= getpid.stamp().nanos());
        assertEquals(getpid.entryInstructions(), getpid.stamp().instructions(), "the kernel retires no guest instructions");
        assertTrue(getpid.entryInstructions() > 0);

        ArgValue.Struct uts = (ArgValue.Struct) calls.get(1).args().getFirst().value();
        assertEquals("utsname_out", calls.get(1).args().getFirst().format());
        assertEquals("sysname", uts.fields().getFirst().name());
        assertEquals("Linux", uts.fields().getFirst().string());

        Syscall write = calls.get(2);
        assertEquals(List.of("1", "\"Linux\\n\"", "6"), write.args().stream().map(a -> a.value().text()).toList());
        assertEquals(6, ((ArgValue.Buf) write.args().get(1).value()).length());
        assertEquals(6, write.result());

        UnknownSyscall unknown = r.only(UnknownSyscall.class);
        assertEquals(9999, unknown.nr());
        assertEquals(6, unknown.args().size());

        Syscall exit = calls.get(3);
        assertFalse(exit.returned(), "exit_group does not return");
        ProcessExit end = r.only(ProcessExit.class);
        assertEquals(0, end.exitCode());
        assertEquals(0, end.signal());
        assertTrue(ev.indexOf(end) < ev.indexOf(exit), "what a call caused precedes the call's own event");
    }

    @Test
    void nullWriteFaultsThenSigsegvKills() throws Exception {
        TracedKernel r = TracedKernel.run(TracedKernel.asm("nullwrite"));
        assertEquals(128 + Signal.SIGSEGV, r.status());
        PageFault f = r.all(PageFault.class).getLast();
        assertEquals(0, f.address());
        assertEquals(Access.WRITE, f.access());
        assertEquals(Resolution.SEGV_MAPERR, f.resolution());
        assertEquals(0x401002, f.rip());
        assertEquals(Resolution.FILE_COPY, r.all(PageFault.class).getFirst().resolution(), "the first fetch copies the text page");
        SignalGenerated g = r.only(SignalGenerated.class);
        assertEquals(Signal.SIGSEGV, g.signal());
        assertEquals(1, g.code(), "SEGV_MAPERR");
        assertFalse(g.processWide());
        SignalDelivered d = r.only(SignalDelivered.class);
        assertEquals(SignalAction.CORE, d.action());
        ProcessExit e = r.only(ProcessExit.class);
        assertEquals(Signal.SIGSEGV, e.signal());
        assertFalse(e.coreDumped(), "RLIMIT_CORE starts at 0, as on the host: no core, no WCOREDUMP");
        assertEquals(-1, e.exitCode());
        List<TraceEvent> ev = r.events();
        assertTrue(ev.indexOf(f) < ev.indexOf(g) && ev.indexOf(g) < ev.indexOf(d) && ev.indexOf(d) < ev.indexOf(e));
    }

    @Test
    void undefinedInstructionIsRecordedWithItsBytes() throws Exception {
        TracedKernel r = TracedKernel.run(TracedKernel.asm("ud2"));
        assertEquals(128 + Signal.SIGILL, r.status());
        CpuException c = r.only(CpuException.class);
        assertEquals("#UD", c.mnemonic());
        assertEquals(6, c.vector());
        assertEquals(0x401000, c.rip());
        assertTrue(c.bytes().startsWith("0f 0b"), c.bytes());
        assertEquals(Signal.SIGILL, r.only(SignalGenerated.class).signal());
        assertEquals(2, r.only(SignalGenerated.class).code(), "ILL_ILLOPN");
    }

    @Test
    void kindFilterKeepsOnlyThoseKinds() throws Exception {
        TracedKernel r = TracedKernel.run(TracedKernel.asm("syscalls"), EnumSet.of(TraceKind.SYSCALL), TraceConfig.ALL_PIDS, false);
        assertFalse(r.events().isEmpty());
        assertTrue(r.events().stream().allMatch(e -> e.kind() == TraceKind.SYSCALL), r.events().toString());
        assertEquals(0, r.events().getFirst().stamp().seq(), "filtered-out events take no sequence numbers");

        TracedKernel mm = TracedKernel.run(TracedKernel.asm("syscalls"), EnumSet.of(TraceKind.MM, TraceKind.EXEC),
                TraceConfig.ALL_PIDS, false);
        assertTrue(mm.events().stream().allMatch(e -> e instanceof Exec || e instanceof Mmap), mm.events().toString());
    }

    @Test
    void pidFilterDropsOtherProcesses() throws Exception {
        TracedKernel r = TracedKernel.run(TracedKernel.asm("syscalls"), TraceKind.all(), 2, false);
        assertEquals(0, r.status());
        assertEquals(List.of(), r.events());
        TracedKernel one = TracedKernel.run(TracedKernel.asm("syscalls"), TraceKind.all(), 1, false);
        assertFalse(one.events().isEmpty());
    }

    @Test
    void straceLinesComeFromTheSameDecodedEvents() throws Exception {
        TracedKernel r = TracedKernel.run(TracedKernel.asm("syscalls"), Set.of(), TraceConfig.ALL_PIDS, true);
        List<String> lines = r.console().lines().filter(l -> !l.startsWith("nexa:")).toList();
        assertEquals(List.of(
                "getpid() = 1",
                "uname({sysname=\"Linux\", nodename=\"nexa\", release=\"6.1.0-nexa\", version=\"#1 SMP Nexa\", machine=\"x86_64\"}) = 0",
                "write(1, \"Linux\\n\", 6) = 6",
                "syscall_9999() = -1 ENOSYS (Invalid system call number)",
                "exit_group(0) = ?"), lines);
    }

    @Test
    void withNothingListeningTheDispatcherGetsNoObserver() {
        assertNull(SyscallRecorder.create(Tracer.OFF, null));
        assertFalse(Tracer.OFF.enabled());
        for (TraceKind k : TraceKind.values()) assertFalse(Tracer.OFF.wants(k));
        Tracer fault = new Tracer(new TraceConfig(e -> { }, EnumSet.of(TraceKind.FAULT), TraceConfig.ALL_PIDS), 0);
        assertNull(SyscallRecorder.create(fault, null), "fault tracing alone does not observe syscalls");
        assertNotNull(SyscallRecorder.create(fault, e -> { }), "strace does");
    }
}
