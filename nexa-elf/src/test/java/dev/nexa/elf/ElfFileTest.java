package dev.nexa.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nexa.elf.ElfFormatException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Parsing: what is refused (and how it is named), what is tolerated and reported. */
class ElfFileTest {
    static final byte[] CODE = new byte[0x40];

    static ElfWriter exec() {
        return ElfWriter.executable().headersAt(0x400000)
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x401000, CODE));
    }

    static ElfFormatException refused(byte[] file) {
        return assertThrows(ElfFormatException.class, () -> ElfFile.parse(file));
    }

    static void assertRefused(byte[] file, Kind kind, String field, long offset, String errno) {
        var e = refused(file);
        assertEquals(kind, e.kind(), e.getMessage());
        assertEquals(field, e.field(), e.getMessage());
        assertEquals(offset, e.offset(), e.getMessage());
        assertEquals(errno, e.linuxErrno(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" at offset " + Elf.hex(offset)), e.getMessage());
    }

    @Test
    void notElf() {
        assertRefused(new byte[0], Kind.NOT_ELF, "e_ident", 0, "ENOEXEC");
        assertRefused(new byte[] {0x7f, 'E', 'L'}, Kind.NOT_ELF, "e_ident", 0, "ENOEXEC");
        assertRefused("#!/bin/sh\necho hi\n".getBytes(), Kind.NOT_ELF, "e_ident", 0, "ENOEXEC");
    }

    @Test
    void truncatedHeader() {
        byte[] ok = exec().build();
        assertRefused(Arrays.copyOf(ok, 10), Kind.MALFORMED, "e_ident", 0, "ENOEXEC");
        assertRefused(Arrays.copyOf(ok, 63), Kind.MALFORMED, "Elf64_Ehdr", 0, "ENOEXEC");
    }

    @Test
    void unsupportedIdentity() {
        byte[] ok = exec().build();
        assertRefused(Bytes.put8(ok, Elf.EI_CLASS, Elf.ELFCLASS32), Kind.UNSUPPORTED, "e_ident[EI_CLASS]", 4, "ENOEXEC");
        assertRefused(Bytes.put8(ok, Elf.EI_DATA, Elf.ELFDATA2MSB), Kind.UNSUPPORTED, "e_ident[EI_DATA]", 5, "ENOEXEC");
        assertRefused(Bytes.put8(ok, Elf.EI_VERSION, 2), Kind.UNSUPPORTED, "e_ident[EI_VERSION]", 6, "ENOEXEC");
        assertRefused(Bytes.put16(ok, ElfHeader.OFF_MACHINE, 3), Kind.UNSUPPORTED, "e_machine", 0x12, "ENOEXEC");
        assertRefused(Bytes.put32(ok, ElfHeader.OFF_VERSION, 0), Kind.UNSUPPORTED, "e_version", 0x14, "ENOEXEC");
    }

    @Test
    void programHeaderTable() {
        byte[] ok = exec().build();
        assertRefused(Bytes.put16(ok, ElfHeader.OFF_PHENTSIZE, 64), Kind.MALFORMED, "e_phentsize", 0x36, "ENOEXEC");
        byte[] small = Arrays.copyOf(ok, 0x100);
        var e = refused(small);
        assertEquals("e_phoff: program header table [0x40, 0x120) runs past end of file (size 0x100) at offset 0x20",
                e.getMessage());
        assertRefused(Bytes.put64(ok, ElfHeader.OFF_PHOFF, -8), Kind.MALFORMED, "e_phoff", 0x20, "ENOEXEC");
        assertRefused(Bytes.put16(ok, ElfHeader.OFF_PHNUM, 0xffff), Kind.MALFORMED, "e_phoff", 0x20, "ENOEXEC");
        // No program headers at all is fine for parsing (object files); LoadPlan refuses it.
        var none = Bytes.put16(ok, ElfHeader.OFF_PHNUM, 0);
        assertDoesNotThrow(() -> ElfFile.parse(none));
    }

    private static void assertDoesNotThrow(org.junit.jupiter.api.function.Executable e) {
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(e);
    }

    @Test
    void interpreterLikeLinux() throws Exception {
        assertEquals(Optional.of("/lib/ld.so"), ElfFile.parse(exec().interpreter("/lib/ld.so").build()).interpreter());
        // Text after the first NUL is ignored, as open_exec() sees a C string.
        byte[] embedded = "/lib/ld.so\0junk\0".getBytes();
        assertEquals(Optional.of("/lib/ld.so"), ElfFile.parse(exec().interpreterBytes(embedded).build()).interpreter());
        // The first PT_INTERP counts.
        var two = exec().interpreter("/first").programHeader(new ProgramHeader(Elf.PT_INTERP, 0, 0, 0, 0, 1, 1, 1));
        assertEquals(Optional.of("/first"), ElfFile.parse(two.build()).interpreter());

        long interpAt = 64 + 56 + ProgramHeader.OFF_FILESZ; // PT_INTERP is the second header
        assertRefused(exec().interpreterBytes("/lib/ld.so".getBytes()).build(), Kind.BAD_INTERPRETER, "PT_INTERP",
                64 + 5 * 56 + 9, "ENOEXEC");
        assertRefused(exec().interpreterBytes(new byte[] {0}).build(), Kind.BAD_INTERPRETER, "phdr[1].p_filesz",
                interpAt, "ENOEXEC");
        assertRefused(exec().interpreterBytes(new byte[Elf.PATH_MAX + 1]).build(), Kind.BAD_INTERPRETER,
                "phdr[1].p_filesz", interpAt, "ENOEXEC");
        assertRefused(exec().interpreterBytes(new byte[] {0, 0}).build(), Kind.BAD_INTERPRETER, "PT_INTERP",
                64 + 5 * 56, "EACCES");
        byte[] ok = exec().interpreter("/lib/ld.so").build();
        assertRefused(Bytes.put64(ok, 64 + 56 + ProgramHeader.OFF_OFFSET, ok.length - 4), Kind.BAD_INTERPRETER,
                "phdr[1].p_offset", 64 + 56 + ProgramHeader.OFF_OFFSET, "EIO");
        assertRefused(Bytes.put64(ok, interpAt, -1L), Kind.BAD_INTERPRETER, "phdr[1].p_filesz", interpAt, "ENOEXEC");
    }

    @Test
    void bufferIsLeftAlone(@TempDir Path dir) throws Exception {
        byte[] file = exec().interpreter("/lib/ld.so").build();
        byte[] padded = new byte[file.length + 100];
        System.arraycopy(file, 0, padded, 37, file.length);
        var buf = ByteBuffer.wrap(padded).position(37).limit(37 + file.length);
        var elf = ElfFile.parse(buf);
        assertEquals(37, buf.position());
        assertEquals(37 + file.length, buf.limit());
        assertEquals(ByteOrder.BIG_ENDIAN, buf.order());
        assertEquals(file.length, elf.fileSize());
        assertEquals(ElfFile.parse(file), elf);
        Path p = dir.resolve("f");
        Files.write(p, file);
        assertEquals(elf, ElfFile.parse(p));
    }

    @Test
    void damagedSectionTableIsReportedNotFatal() throws Exception {
        byte[] ok = exec().build();
        var okElf = ElfFile.parse(ok);
        assertFalse(okElf.sections().isEmpty());

        var pastEnd = ElfFile.parse(Bytes.put64(ok, ElfHeader.OFF_SHOFF, ok.length - 8));
        assertEquals(List.of(), pastEnd.sections());
        assertEquals(1, pastEnd.warnings().size());
        assertTrue(pastEnd.warnings().getFirst().startsWith("e_shoff: "), pastEnd.warnings().toString());
        assertEquals(okElf.programHeaders(), pastEnd.programHeaders());
        LoadPlan.of(pastEnd); // still loadable

        var badSize = ElfFile.parse(Bytes.put16(ok, ElfHeader.OFF_SHENTSIZE, 40));
        assertEquals(List.of(), badSize.sections());
        assertTrue(badSize.warnings().getFirst().startsWith("e_shentsize: "));

        var hugeCount = ElfFile.parse(Bytes.put16(ok, ElfHeader.OFF_SHNUM, 0xffff));
        assertEquals(List.of(), hugeCount.sections());

        var badNames = ElfFile.parse(Bytes.put16(ok, ElfHeader.OFF_SHSTRNDX, 0xfeff));
        assertEquals(okElf.sections().size(), badNames.sections().size());
        assertTrue(badNames.sections().stream().allMatch(s -> s.name().isEmpty()));
        assertTrue(badNames.warnings().getFirst().startsWith("e_shstrndx: "));

        long shoff = okElf.header().shoff();
        var oneBadName = ElfFile.parse(Bytes.put32(ok, shoff + 64, 0x7fffffff));
        assertEquals("", oneBadName.sections().get(1).name());
        assertEquals(okElf.sections().get(2).name(), oneBadName.sections().get(2).name());
        assertEquals(List.of("shdr[1].sh_name: string offset 0x7fffffff is outside the section name table (size "
                        + Elf.hex(okElf.sections().getLast().size()) + ") at offset " + Elf.hex(shoff + 64)),
                oneBadName.warnings());
    }

    @Test
    void extendedSectionNumbering() throws Exception {
        byte[] ok = exec().build();
        var okElf = ElfFile.parse(ok);
        long shoff = okElf.header().shoff();
        int n = okElf.header().shnum();
        // e_shnum = 0: the count is in section 0's sh_size; e_shstrndx = SHN_XINDEX: the index in its sh_link.
        byte[] ext = Bytes.put16(ok, ElfHeader.OFF_SHNUM, 0);
        ext = Bytes.put64(ext, shoff + 32, n);
        ext = Bytes.put16(ext, ElfHeader.OFF_SHSTRNDX, Elf.SHN_XINDEX);
        ext = Bytes.put32(ext, shoff + 40, okElf.header().shstrndx());
        var elf = ElfFile.parse(ext);
        assertEquals(okElf.sections().stream().map(SectionHeader::name).toList(),
                elf.sections().stream().map(SectionHeader::name).toList());
        assertEquals(List.of(), elf.warnings());
        // A hostile count in sh_size is bounded by the file size, not allocated.
        var hostile = ElfFile.parse(Bytes.put64(ext, shoff + 32, Long.MAX_VALUE));
        assertEquals(List.of(), hostile.sections());
        assertTrue(hostile.warnings().getFirst().startsWith("e_shoff: "));
    }

    @Test
    void damagedDynamicIsReportedNotFatal() throws Exception {
        byte[] ok = exec().needed("libc.so.6").runpath("/r").build();
        var okElf = ElfFile.parse(ok);
        int dynIndex = okElf.programHeaders().indexOf(okElf.firstOfType(Elf.PT_DYNAMIC).orElseThrow());
        long dynAt = 64 + dynIndex * 56L;

        var pastEnd = ElfFile.parse(Bytes.put64(ok, dynAt + ProgramHeader.OFF_OFFSET, ok.length));
        assertEquals(Optional.empty(), pastEnd.dynamic());
        assertTrue(pastEnd.warnings().getFirst().startsWith("phdr[" + dynIndex + "].p_offset: PT_DYNAMIC"));

        long dynOff = okElf.firstOfType(Elf.PT_DYNAMIC).orElseThrow().offset();
        // Entries: NEEDED, RUNPATH, STRTAB, STRSZ, NULL.
        var badNeeded = ElfFile.parse(Bytes.put64(ok, dynOff + 8, 0x10000));
        assertEquals(List.of(), badNeeded.dynamic().orElseThrow().needed());
        assertEquals(Optional.of("/r"), badNeeded.dynamic().orElseThrow().runpath());
        assertTrue(badNeeded.warnings().getFirst().startsWith("DT_NEEDED: string offset 0x10000 is outside"));

        var unmappedStrtab = ElfFile.parse(Bytes.put64(ok, dynOff + 2 * 16 + 8, 0x12345678));
        assertEquals(List.of(), unmappedStrtab.dynamic().orElseThrow().needed());
        assertTrue(unmappedStrtab.warnings().getFirst().startsWith("DT_STRTAB: address 0x12345678 is not in"));

        var hugeStrsz = ElfFile.parse(Bytes.put64(ok, dynOff + 3 * 16 + 8, -1L));
        assertTrue(hugeStrsz.warnings().getFirst().startsWith("DT_STRSZ: string table"));

        // DT_NULL early: the rest is not read.
        var cut = ElfFile.parse(Bytes.put64(ok, dynOff + 16, Elf.DT_NULL));
        assertEquals(1, cut.dynamic().orElseThrow().entries().size());
        LoadPlan.of(cut);
    }

    @Test
    void hostileStringTablesStayCheap() throws Exception {
        // 2000 sections all named by offsets into one long unterminated run: bounded work and warnings.
        int n = 2000;
        byte[] run = new byte[64 * 1024];
        Arrays.fill(run, (byte) 'A');
        byte[] file = exec().segment(ElfWriter.Segment.of(Elf.PT_NOTE, 0, 0, run).withAlign(1))
                .sectionHeaders(false).build();
        long strOff = ElfFile.parse(file).firstOfType(Elf.PT_NOTE).orElseThrow().offset();
        int shoff = file.length;
        var buf = ByteBuffer.allocate(file.length + n * 64).order(ByteOrder.LITTLE_ENDIAN).put(file);
        for (int i = 0; i < n; i++) {
            buf.putInt(shoff + i * 64, i * 17 % run.length);
            buf.putInt(shoff + i * 64 + 4, Elf.SHT_PROGBITS);
        }
        buf.putLong(shoff + (n - 1) * 64 + 24, strOff).putLong(shoff + (n - 1) * 64 + 32, run.length);
        byte[] hostile = buf.array();
        hostile = Bytes.put64(hostile, ElfHeader.OFF_SHOFF, shoff);
        hostile = Bytes.put16(hostile, ElfHeader.OFF_SHENTSIZE, 64);
        hostile = Bytes.put16(hostile, ElfHeader.OFF_SHNUM, n);
        hostile = Bytes.put16(hostile, ElfHeader.OFF_SHSTRNDX, n - 1);
        var elf = ElfFile.parse(hostile);
        assertEquals(n, elf.sections().size());
        assertTrue(elf.sections().stream().allMatch(s -> s.name().isEmpty()));
        assertEquals(65, elf.warnings().size(), "64 warnings plus a count of the rest");
        assertEquals((n - 64) + " more warnings not shown", elf.warnings().getLast());
    }

    @Test
    void stackAndHelpers() throws Exception {
        var noStack = ElfFile.parse(exec().omitGnuStack().build());
        assertFalse(noStack.executableStack(), "x86-64 has no READ_IMPLIES_EXEC without PT_GNU_STACK");
        var twoStacks = ElfFile.parse(exec().omitGnuStack()
                .programHeader(new ProgramHeader(Elf.PT_GNU_STACK, Elf.PF_R | Elf.PF_W, 0, 0, 0, 0, 0, 16))
                .programHeader(new ProgramHeader(Elf.PT_GNU_STACK, Elf.PF_R | Elf.PF_W | Elf.PF_X, 0, 0, 0, 0, 0, 16))
                .build());
        assertTrue(twoStacks.executableStack(), "the last PT_GNU_STACK wins");
        assertFalse(twoStacks.isPositionIndependent());
        assertTrue(ElfFile.parse(ElfWriter.sharedObject().build()).isPositionIndependent());
        var relro = new ProgramHeader(Elf.PT_GNU_RELRO, Elf.PF_R, 0, 0x401000, 0x401000, 0x10, 0x10, 1);
        assertEquals(Optional.of(relro), ElfFile.parse(exec().programHeader(relro).build()).gnuRelro());
        assertEquals(Optional.empty(), ElfFile.parse(exec().build()).tls());
    }

    @Test
    void segmentTypeNames() {
        assertEquals("LOAD", Elf.segmentTypeName(Elf.PT_LOAD));
        assertEquals("GNU_STACK", Elf.segmentTypeName(Elf.PT_GNU_STACK));
        assertEquals("LOOS+0x123", Elf.segmentTypeName(Elf.PT_LOOS + 0x123));
        assertEquals("LOPROC+0x1", Elf.segmentTypeName(Elf.PT_LOPROC + 1));
        assertEquals("<unknown>: 0x8", Elf.segmentTypeName(8));
        assertEquals("<unknown>: 0x80000000", Elf.segmentTypeName(0x8000_0000));
        var ph = new ProgramHeader(Elf.PT_LOAD, Elf.PF_R | Elf.PF_X, 0, 0, 0, 0, 0, 0);
        assertTrue(ph.readable() && ph.executable() && !ph.writable());
        assertEquals("R E", ph.flagString());
        assertEquals(Elf.PROT_READ | Elf.PROT_EXEC, ph.prot());
    }
}
