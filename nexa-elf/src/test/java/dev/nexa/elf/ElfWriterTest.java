package dev.nexa.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ElfWriter output parses back to what was written, and readelf reads it the same way. */
class ElfWriterTest {
    static final byte[] TEXT = {(byte) 0xb8, 60, 0, 0, 0, (byte) 0xbf, 42, 0, 0, 0, 0x0f, 0x05};
    static final byte[] DATA = {1, 2, 3, 4, 5, 6, 7, 8, 9};
    static final byte[] NOTE = {4, 0, 0, 0, 4, 0, 0, 0, 1, 0, 0, 0, 'G', 'N', 'U', 0, 9, 9, 9, 9};
    static final ProgramHeader TLS = new ProgramHeader(Elf.PT_TLS, Elf.PF_R, 0x2003, 0x403003, 0x403003, 4, 0x20, 8);

    static ElfWriter full() {
        return ElfWriter.executable()
                .headersAt(0x400000)
                .osAbi(Elf.ELFOSABI_GNU)
                .interpreter("/lib/ld-musl-x86_64.so.1")
                .needed("libc.so")
                .needed("libnexa.so.1")
                .soname("libself.so")
                .runpath("/opt/run")
                .rpath("$ORIGIN")
                .dynamicEntry(Elf.DT_FLAGS, Elf.DF_BIND_NOW)
                .dynamicEntry(Elf.DT_FLAGS_1, Elf.DF_1_NOW | Elf.DF_1_PIE)
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x401000, TEXT))
                .segment(ElfWriter.Segment.of(Elf.PT_NOTE, Elf.PF_R, 0x401800, NOTE).withAlign(4))
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, 0x403003, DATA).withMemsz(0x2345))
                .programHeader(TLS)
                .gnuStack(Elf.PF_R | Elf.PF_W | Elf.PF_X)
                .entry(0x401005);
    }

    @Test
    void roundTripsEverythingWritten() throws Exception {
        byte[] file = full().build();
        var elf = ElfFile.parse(file);
        var h = elf.header();
        assertEquals(Elf.ET_EXEC, h.type());
        assertEquals(Elf.EM_X86_64, h.machine());
        assertEquals(Elf.ELFOSABI_GNU, h.osAbi());
        assertEquals(0x401005, h.entry());
        assertEquals(64, h.phoff());
        assertEquals(List.of(Elf.PT_PHDR, Elf.PT_INTERP, Elf.PT_LOAD, Elf.PT_LOAD, Elf.PT_NOTE, Elf.PT_LOAD, Elf.PT_TLS,
                        Elf.PT_DYNAMIC, Elf.PT_GNU_STACK),
                elf.programHeaders().stream().map(ProgramHeader::type).toList());
        assertEquals(9, h.phnum());

        var phdr = elf.phdrSegment().orElseThrow();
        assertEquals(new ProgramHeader(Elf.PT_PHDR, Elf.PF_R, 64, 0x400040, 0x400040, 9 * 56, 9 * 56, 8), phdr);
        assertEquals(Optional.of("/lib/ld-musl-x86_64.so.1"), elf.interpreter());

        assertSegment(file, elf.programHeaders().get(3), Elf.PT_LOAD, Elf.PF_R | Elf.PF_X, 0x401000, TEXT, TEXT.length,
                0x1000);
        assertSegment(file, elf.programHeaders().get(4), Elf.PT_NOTE, Elf.PF_R, 0x401800, NOTE, NOTE.length, 4);
        assertSegment(file, elf.programHeaders().get(5), Elf.PT_LOAD, Elf.PF_R | Elf.PF_W, 0x403003, DATA, 0x2345,
                0x1000);
        assertEquals(TLS, elf.tls().orElseThrow());
        assertTrue(elf.executableStack());

        var d = elf.dynamic().orElseThrow();
        assertEquals(List.of("libc.so", "libnexa.so.1"), d.needed());
        assertEquals(Optional.of("libself.so"), d.soname());
        assertEquals(Optional.of("/opt/run"), d.runpath());
        assertEquals(Optional.of("$ORIGIN"), d.rpath());
        assertEquals(Elf.DF_BIND_NOW, d.flags());
        assertEquals(Elf.DF_1_NOW | Elf.DF_1_PIE, d.flags1());
        assertTrue(d.pie());

        assertEquals(List.of("", ".interp", ".dynstr", ".dynamic", ".load0", ".note1", ".load2", ".bss2", ".shstrtab"),
                elf.sections().stream().map(SectionHeader::name).toList());
        assertEquals(List.of(), elf.warnings());

        var plan = LoadPlan.of(elf);
        assertEquals(0x400040, plan.phdrVaddr().orElseThrow());
        assertEquals(0x400000, plan.minVaddr());
        assertEquals(Elf.pageAlign(0x403003 + 0x2345), plan.maxVaddr());
    }

    private static void assertSegment(byte[] file, ProgramHeader ph, int type, int flags, long vaddr, byte[] bytes,
                                      long memsz, long align) {
        assertEquals(type, ph.type(), ph.toString());
        assertEquals(flags, ph.flags(), ph.toString());
        assertEquals(vaddr, ph.vaddr(), ph.toString());
        assertEquals(vaddr, ph.paddr(), ph.toString());
        assertEquals(bytes.length, ph.filesz(), ph.toString());
        assertEquals(memsz, ph.memsz(), ph.toString());
        assertEquals(align, ph.align(), ph.toString());
        assertArrayEquals(bytes, Arrays.copyOfRange(file, (int) ph.offset(), (int) ph.offset() + bytes.length));
        long modulus = type == Elf.PT_LOAD ? Elf.PAGE_SIZE : Math.min(align, Elf.PAGE_SIZE);
        assertEquals(vaddr % modulus, ph.offset() % modulus, "offset congruent to vaddr: " + ph);
    }

    @Test
    void readelfReadsWriterOutputWithoutComplaint(@TempDir Path dir) throws Exception {
        Readelf.assumeAvailable();
        var files = List.of(full().build(),
                full().sectionHeaders(false).build(),
                ElfWriter.sharedObject().headersAt(0).soname("libx.so")
                        .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x1000, TEXT)).build(),
                ElfWriter.executable().segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x401000, TEXT)).build());
        for (int i = 0; i < files.size(); i++) {
            Path p = dir.resolve("w" + i);
            Files.write(p, files.get(i));
            var all = Readelf.run("readelf", "-a", "-W", p.toString());
            assertEquals(0, all.exit(), p + ": " + all.stderr());
            assertEquals("", all.stderr(), p + ": readelf warnings");
            ReadelfDifferentialTest.compare(p);
        }
    }

    @Test
    void defaultsAreSensible() throws Exception {
        var elf = ElfFile.parse(ElfWriter.executable()
                .segment(ElfWriter.Segment.load(Elf.PF_R, 0x500000, DATA))
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x401000, TEXT))
                .build());
        assertEquals(0x401000, elf.header().entry(), "entry defaults to the first executable PT_LOAD");
        assertEquals(Elf.PF_R | Elf.PF_W, elf.gnuStack().orElseThrow().flags());
        assertTrue(elf.phdrSegment().isEmpty(), "no PT_PHDR without headersAt");
        assertTrue(elf.interpreter().isEmpty());
        assertTrue(elf.dynamic().isEmpty());
        assertEquals(Optional.empty(), ElfFile.parse(ElfWriter.executable().omitGnuStack().build()).gnuStack());
    }

    @Test
    void fixedOffsetsAndMalformedLayoutsAreWrittenAsAsked() throws Exception {
        var elf = ElfFile.parse(ElfWriter.executable()
                .segment(ElfWriter.Segment.load(Elf.PF_R, 0x401000, TEXT).atOffset(0x1234).withMemsz(3))
                .sectionHeaders(false)
                .build());
        var ph = elf.loadSegments().getFirst();
        assertEquals(0x1234, ph.offset());
        assertEquals(3, ph.memsz());
        assertEquals(0x1234 + TEXT.length, elf.fileSize());
    }

    @Test
    void refusesWhatItCannotWrite() {
        var w = ElfWriter.executable().needed("libc.so.6");
        assertThrows(IllegalStateException.class, w::build, "DT_STRTAB needs mapped headers");
        assertThrows(IllegalArgumentException.class, () -> ElfWriter.executable().headersAt(0x400010));
        var huge = ElfWriter.executable().segment(ElfWriter.Segment.load(Elf.PF_R, 0, TEXT).atOffset(1L << 40));
        assertThrows(IllegalArgumentException.class, huge::build);
    }
}
