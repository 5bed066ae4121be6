package dev.nexa.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nexa.elf.ElfFormatException.Kind;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** One test per rule LoadPlan takes from Linux's load_elf_binary(), on ElfWriter-made files. */
class LoadPlanTest {
    static final byte[] CODE = new byte[0x40];

    static ElfWriter exec() {
        return ElfWriter.executable().headersAt(0x400000)
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x401000, CODE));
    }

    static LoadPlan plan(ElfWriter w) throws ElfFormatException {
        return LoadPlan.of(ElfFile.parse(w.build()));
    }

    static ElfFormatException refused(ElfWriter w) {
        return assertThrows(ElfFormatException.class, () -> plan(w));
    }

    /** Index of the last program header the writer adds for {@code exec()} plus one segment: PHDR, LOAD, LOAD, LOAD. */
    static final int THIRD = 3;
    static final long THIRD_AT = 64 + THIRD * 56;

    @Test
    void bssInPartialPage() throws Exception {
        var p = plan(exec().segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, 0x601234, new byte[0x100])
                .withMemsz(0x3000)));
        var s = p.segments().get(2);
        assertEquals(THIRD, s.index());
        assertEquals(0x601234, s.vaddr());
        assertEquals(0x601000, s.pageVaddr());
        assertEquals(0x234 + 0x100, s.fileBytes(), "the page-offset prefix plus p_filesz");
        assertEquals(0, s.fileOffset() % Elf.PAGE_SIZE);
        assertEquals(0x601334, s.fileEnd());
        assertEquals(0x602000, s.filePageEnd());
        assertEquals(0x604234, s.memEnd());
        assertEquals(0x605000, s.pageEnd());
        assertEquals(4, s.pageCount());
        assertEquals(Elf.PROT_READ | Elf.PROT_WRITE, s.prot());
        assertTrue(s.zeroesPartialPage(), "padzero() clears the rest of the last file page of a writable segment");
        assertEquals(Elf.PROT_READ | Elf.PROT_WRITE, s.anonProt());
        assertEquals(0x605000, p.brkStart());
    }

    @Test
    void readOnlyOrExecutableBss() throws Exception {
        var p = plan(exec().segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x601234, new byte[0x100])
                .withMemsz(0x3000)));
        var s = p.segments().get(2);
        assertFalse(s.zeroesPartialPage(), "clear_user() faults on a read-only mapping and Linux ignores it");
        assertEquals(Elf.PROT_READ | Elf.PROT_WRITE | Elf.PROT_EXEC, s.anonProt(), "vm_brk_flags(VM_EXEC)");
    }

    @Test
    void bssEndingOnPageBoundaryAndNoBss() throws Exception {
        var p = plan(exec()
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, 0x601000, new byte[0x1000]).withMemsz(0x2000))
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, 0x701010, new byte[0x10])));
        assertFalse(p.segments().get(2).zeroesPartialPage(), "nothing to clear when the file part ends on a page");
        assertEquals(0x603000, p.segments().get(2).pageEnd());
        assertFalse(p.segments().get(3).zeroesPartialPage(), "no bss, no clearing: the page tail is file bytes");
    }

    @Test
    void pureBssSegmentMapsNoFile() throws Exception {
        var p = plan(exec().programHeader(new ProgramHeader(Elf.PT_LOAD, Elf.PF_R | Elf.PF_W, 0x123456, 0x602010,
                0x602010, 0, 0x1ff0, 0x1000)));
        var s = p.segments().get(2);
        assertEquals(0, s.fileBytes());
        assertEquals(0, s.fileOffset());
        assertEquals(0x602000, s.filePageEnd(), "no file-backed page");
        assertEquals(0x602000, s.pageVaddr());
        assertEquals(0x604000, s.pageEnd());
    }

    @Test
    void emptySegmentMapsNothing() throws Exception {
        var s = plan(exec().programHeader(new ProgramHeader(Elf.PT_LOAD, Elf.PF_R, 0, 0x602010, 0x602010, 0, 0,
                0x1000))).segments().get(2);
        assertEquals(0, s.pageCount());
    }

    @Test
    void congruenceModuloPageSize() throws Exception {
        var e = refused(exec().segment(ElfWriter.Segment.load(Elf.PF_R, 0x601000, new byte[8]).atOffset(0x2008)));
        assertEquals(Kind.BAD_LAYOUT, e.kind());
        assertEquals("EINVAL", e.linuxErrno());
        assertEquals("phdr[3].p_offset", e.field());
        assertEquals(THIRD_AT + ProgramHeader.OFF_OFFSET, e.offset());
        assertEquals("phdr[3].p_offset: p_offset 0x2008 and p_vaddr 0x601000 differ modulo the page size, so the"
                + " segment cannot be mmapped at offset 0xf0", e.getMessage());
        // Congruent modulo the page but not modulo p_align: Linux does not care.
        plan(exec().segment(ElfWriter.Segment.load(Elf.PF_R, 0x601008, new byte[8]).withAlign(0x200000)));
        // Without file bytes nothing is mmapped from the file, so the offset is irrelevant (Linux 6.7+).
        plan(exec().programHeader(new ProgramHeader(Elf.PT_LOAD, Elf.PF_R, 0x2008, 0x601000, 0x601000, 0, 8, 0)));
    }

    @Test
    void fileszLargerThanMemsz() {
        var e = refused(exec().segment(ElfWriter.Segment.load(Elf.PF_R, 0x601000, new byte[0x20]).withMemsz(0x1f)));
        assertEquals("phdr[3].p_filesz", e.field());
        assertEquals(THIRD_AT + ProgramHeader.OFF_FILESZ, e.offset());
        assertEquals(Kind.BAD_LAYOUT, e.kind());
        assertTrue(e.kind().pastPointOfNoReturn());
        assertTrue(e.getMessage().contains("p_filesz 0x20 exceeds p_memsz 0x1f"), e.getMessage());
    }

    @Test
    void addressLimitsAndWrapAround() throws Exception {
        var e = refused(exec().segment(ElfWriter.Segment.load(Elf.PF_R, Elf.TASK_SIZE, new byte[1])));
        assertEquals("phdr[3].p_vaddr", e.field());
        e = refused(exec().segment(ElfWriter.Segment.load(Elf.PF_R, -Elf.PAGE_SIZE, new byte[1])));
        assertEquals("phdr[3].p_vaddr", e.field(), "an address near 2^64 is beyond TASK_SIZE, unsigned");
        e = refused(exec().segment(ElfWriter.Segment.load(Elf.PF_R, 0x601000, new byte[1]).withMemsz(-1L)));
        assertEquals("phdr[3].p_memsz", e.field(), "p_vaddr + p_memsz wraps");
        assertEquals(THIRD_AT + ProgramHeader.OFF_MEMSZ, e.offset());
        e = refused(exec().segment(ElfWriter.Segment.load(Elf.PF_R, 0x601000, new byte[1])
                .withMemsz(Elf.TASK_SIZE - 0x601000 + 1)));
        assertEquals("phdr[3].p_memsz", e.field());
        // Ending exactly at TASK_SIZE is allowed.
        var p = plan(exec().segment(ElfWriter.Segment.load(Elf.PF_R, 0x601000, new byte[1])
                .withMemsz(Elf.TASK_SIZE - 0x601000)));
        assertEquals(Elf.TASK_SIZE, p.maxVaddr());
        // Link-time addresses of ET_DYN are held to the same limit, as in Linux.
        e = refused(ElfWriter.sharedObject().segment(ElfWriter.Segment.load(Elf.PF_R, Elf.TASK_SIZE, new byte[1])));
        assertEquals("phdr[0].p_vaddr", e.field());
    }

    @Test
    void overlappingSegmentsKeepHeaderOrder() throws Exception {
        var p = plan(exec()
                .segment(ElfWriter.Segment.load(Elf.PF_R, 0x601000, new byte[0x1800]))
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, 0x601800, new byte[0x10])));
        assertEquals(List.of(1, 2, 3, 4), p.segments().stream().map(LoadSegment::index).toList());
        var a = p.segments().get(2);
        var b = p.segments().get(3);
        assertTrue(b.pageVaddr() < a.pageEnd(), "the two share page 0x601000; the later mapping replaces it");
    }

    @Test
    void unsortedSegmentsSpanFromLowestToHighest() throws Exception {
        var p = plan(ElfWriter.sharedObject()
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, 0x20000, new byte[0x10]).withMemsz(0x1234))
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x10000, CODE))
                .entry(0x10010));
        assertEquals(0x10000, p.linkBase(), "total_mapping_size() takes the minimum over all PT_LOADs");
        assertEquals(0, p.minVaddr());
        assertEquals(0x12000, p.maxVaddr());
        assertEquals(0x12000, p.span());
        assertEquals(List.of(0x10000L, 0L), p.segments().stream().map(LoadSegment::pageVaddr).toList());
        assertEquals(0x10, p.entry());
        assertEquals(0x7f00_0000_0000L - 0x10000, p.loadBias(0x7f00_0000_0000L));
    }

    @Test
    void etExecAddressesAreAbsolute() throws Exception {
        var p = plan(exec());
        assertFalse(p.relocatable());
        assertEquals(0, p.linkBase());
        assertEquals(0x400000, p.minVaddr());
        assertEquals(0x402000, p.maxVaddr());
        assertEquals(0x401000, p.entry());
        assertEquals(0, p.loadBias(0));
        assertThrows(IllegalArgumentException.class, () -> p.loadBias(0x1000));
    }

    @Test
    void phdrLocationFollowsLinux() throws Exception {
        assertEquals(OptionalLong.of(0x400040), plan(exec()).phdrVaddr());
        // Not mapped by any PT_LOAD: Linux passes AT_PHDR = load bias + 0; the plan says "unknown".
        var unmapped = plan(ElfWriter.executable().segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x401000, CODE)));
        assertEquals(OptionalLong.empty(), unmapped.phdrVaddr());
        // PT_PHDR is not consulted (Linux 5.18+): a lying PT_PHDR does not move AT_PHDR.
        var lying = plan(exec().programHeader(new ProgramHeader(Elf.PT_PHDR, Elf.PF_R, 0x40, 0x123000, 0x123000,
                56, 56, 8)));
        assertEquals(OptionalLong.of(0x400040), lying.phdrVaddr());
        // Two PT_LOADs map e_phoff: the last one wins, as the loop in load_elf_binary() overwrites.
        var twice = plan(exec().programHeader(new ProgramHeader(Elf.PT_LOAD, Elf.PF_R, 0, 0x800000, 0x800000, 0x100,
                0x100, 0x1000)));
        assertEquals(OptionalLong.of(0x800040), twice.phdrVaddr());
        // ET_DYN: relative to the image base.
        var pie = plan(ElfWriter.sharedObject().headersAt(0x10000)
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x11000, CODE)));
        assertEquals(OptionalLong.of(0x40), pie.phdrVaddr());
        assertEquals(0x10000, pie.linkBase());
    }

    @Test
    void alignmentIsLargestPowerOfTwo() throws Exception {
        assertEquals(Elf.PAGE_SIZE, plan(exec()).alignment());
        assertEquals(0x200000, plan(exec().segment(ElfWriter.Segment.load(Elf.PF_R, 0x600000, CODE)
                .withAlign(0x200000))).alignment());
        assertEquals(Elf.PAGE_SIZE, plan(exec().segment(ElfWriter.Segment.load(Elf.PF_R, 0x600000, CODE)
                .withAlign(0x300000))).alignment(), "maximum_alignment() skips non-powers of two");
        assertEquals(Elf.PAGE_SIZE, plan(exec().segment(ElfWriter.Segment.load(Elf.PF_R, 0x600000, CODE)
                .withAlign(16))).alignment(), "at least a page");
    }

    @Test
    void onlyExecutablesAndSharedObjects() {
        var e = refused(exec().type(Elf.ET_REL));
        assertEquals(Kind.UNSUPPORTED, e.kind());
        assertEquals("e_type", e.field());
        assertEquals(ElfHeader.OFF_TYPE, e.offset());
        e = refused(exec().type(Elf.ET_CORE));
        assertEquals("e_type", e.field());
    }

    @Test
    void programHeaderCount() {
        var e = refused(ElfWriter.executable().omitGnuStack().sectionHeaders(false));
        assertEquals("e_phnum", e.field());
        assertEquals(Kind.MALFORMED, e.kind());
        assertEquals("ENOEXEC", e.linuxErrno());
    }

    @Test
    void atLeastOnePtLoad() {
        var e = refused(ElfWriter.sharedObject().segment(ElfWriter.Segment.of(Elf.PT_NOTE, Elf.PF_R, 0, CODE)));
        assertEquals("e_phnum", e.field());
        assertEquals(Kind.BAD_LAYOUT, e.kind());
    }

    @Test
    void entryPoint() throws Exception {
        var e = refused(exec().entry(Elf.TASK_SIZE));
        assertEquals("e_entry", e.field());
        assertEquals(ElfHeader.OFF_ENTRY, e.offset());
        // Outside every segment but below TASK_SIZE: accepted, it faults at the first fetch as on Linux.
        assertEquals(0x1000, plan(exec().entry(0x1000)).entry());
        // With an interpreter Linux never checks the program's own entry point.
        assertEquals(-1L, plan(exec().interpreter("/lib/ld.so").entry(-1L)).entry());
    }

    @Test
    void segmentPastEndOfFile() {
        var e = refused(exec().programHeader(new ProgramHeader(Elf.PT_LOAD, Elf.PF_R, 0x100000, 0x500000, 0x500000,
                0x10, 0x10, 0x1000)));
        assertEquals("phdr[3].p_filesz", e.field());
        assertEquals(Kind.MALFORMED, e.kind());
        assertTrue(e.getMessage().contains("[0x100000, 0x100010) runs past end of file"), e.getMessage());
    }
}
