package dev.nexa.kernel.trace;

import dev.nexa.kernel.syscall.SyscallHandler;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** strace's renderings (strace(1) and its source's print_quoted_string, printflags). */
class ArgDecoderTest {
    @Test
    void quotingEscapesLikeStrace() {
        byte[] b = "a\"b\\c\n\t\u0001".getBytes(StandardCharsets.UTF_8);
        assertEquals("\"a\\\"b\\\\c\\n\\t\\1\"", ArgDecoder.escape(b, b.length, false));
        byte[] octal = {1, '7'};
        assertEquals("\"\\0017\"", ArgDecoder.escape(octal, 2, false), "a digit after an octal escape forces three digits");
        assertEquals("\"ab\"...", ArgDecoder.escape("abc".getBytes(StandardCharsets.UTF_8), 2, true));
    }

    @Test
    void resultsAsStraceShowsThem() {
        assertEquals("3", ArgDecoder.formatResult(3, true));
        assertEquals("-1 ENOENT (No such file or directory)", ArgDecoder.formatResult(-2, true));
        assertEquals("0x7f0000000000", ArgDecoder.formatResult(0x7f00_0000_0000L, true));
        assertEquals("?", ArgDecoder.formatResult(0, false));
        assertEquals("?", ArgDecoder.formatResult(SyscallHandler.REGISTERS_SET, true));
    }

    @Test
    void flagSetsByName() {
        assertEquals(List.of("O_RDONLY", "O_CLOEXEC"), FlagNames.open(0x80000));
        assertEquals(List.of("O_WRONLY", "O_CREAT", "O_TRUNC"), FlagNames.open(01 | 0100 | 01000));
        assertEquals(List.of("MAP_PRIVATE", "MAP_FIXED", "MAP_DENYWRITE"), FlagNames.map(0x812));
        assertEquals(List.of("MAP_SHARED", "MAP_ANONYMOUS", "0x80000000"), FlagNames.map(0x8000_0021));
        assertEquals(List.of("PROT_READ", "PROT_EXEC"), FlagNames.prot(5));
        assertEquals(List.of("PROT_NONE"), FlagNames.prot(0));
        assertEquals("r-x", FlagNames.permissions(5));
        assertEquals(List.of("MREMAP_MAYMOVE"), FlagNames.mremap(1));
        assertEquals("CLOCK_MONOTONIC", FlagNames.clock(1));
        assertNull(FlagNames.clock(-6));
        assertEquals("S_IFREG|0644", FlagNames.fileMode(0100644));
        assertEquals("S_IFDIR|1777", FlagNames.fileMode(041777));
        assertEquals("AT_SYSINFO_EHDR", FlagNames.aux(33));
    }

    @Test
    void structsAndArraysRenderLikeStrace() {
        var ts = new ArgValue.Struct(0x1000, List.of(ArgValue.Field.num("tv_sec", 1), ArgValue.Field.num("tv_nsec", 500)));
        assertEquals("{tv_sec=1, tv_nsec=500}", ts.text());
        var uts = new ArgValue.Struct(0, List.of(ArgValue.Field.str("sysname", "Linux")));
        assertEquals("{sysname=\"Linux\"}", uts.text());
        var mode = new ArgValue.Struct(0, List.of(ArgValue.Field.sym("st_mode", 0100755, "S_IFREG|0755")));
        assertEquals("{st_mode=S_IFREG|0755}", mode.text());
        var iov = new ArgValue.Array(0x2000, List.of(ts), true);
        assertEquals("[{tv_sec=1, tv_nsec=500}, ...]", iov.text());
        assertEquals("0x10", new ArgValue.Unreadable(16).text());
        assertEquals("O_RDONLY|O_CLOEXEC", new ArgValue.Flags(0x80000, FlagNames.open(0x80000)).text());
    }

    @Test
    void kindNamesRoundTrip() {
        for (TraceKind k : TraceKind.values()) assertEquals(k, TraceKind.parse(k.cliName()));
        assertEquals(TraceKind.MM, TraceKind.parse(" MM "));
        var e = assertThrows(IllegalArgumentException.class, () -> TraceKind.parse("memory"));
        assertTrue(e.getMessage().contains("process,exec,syscall,mm,fault,signal"), e.getMessage());
    }
}
