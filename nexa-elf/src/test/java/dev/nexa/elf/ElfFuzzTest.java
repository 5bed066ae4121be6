package dev.nexa.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

/**
 * Fuzzing the parser and the load planner with jqwik.
 *
 * <p><b>Tries.</b> Each property runs the modest number of tries in its {@code @Property}
 * annotation (a few seconds in all). For a long campaign run
 * {@code ./mvnw -q -B -pl nexa-elf -am verify -Dnexa.long=true}: the {@link LongCampaign} hook then
 * multiplies every property's tries by 50.
 *
 * <p>(1) Mutants of real binaries and of {@link ElfWriter} output — random byte flips,
 * truncations at every structure boundary, hostile values in named fields, PT_INTERP without its
 * NUL — make {@link ElfFile#parse} and {@link LoadPlan#of} either succeed (with a plan that obeys
 * its invariants) or throw {@link ElfFormatException} whose message names the field; never any
 * other exception, and never an allocation sized by an untrusted value (that would be an
 * OutOfMemoryError). (2) Random well-formed {@link ElfWriter} files parse back to what was written.
 */
@AddLifecycleHook(LongCampaign.class)
class ElfFuzzTest {

    // ---- (1) malformed input ------------------------------------------------------------------

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void byteFlipsFailCleanly(@ForAll("seedIndex") int seed, @ForAll("flips") List<long[]> flips) {
        byte[] file = Seeds.get(seed).clone();
        for (long[] f : flips) {
            // Three flips in four land in the first 4 KiB, where the headers live.
            long bound = f[2] < 3 ? Math.min(file.length, 4096) : file.length;
            file[(int) Math.floorMod(f[0], bound)] ^= (byte) (f[1] == 0 ? 1 : f[1]);
        }
        check(file);
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void truncationsAtBoundariesFailCleanly(@ForAll("seedIndex") int seed, @ForAll int pick,
                                            @ForAll("delta") int delta) {
        byte[] file = Seeds.get(seed);
        var cuts = Seeds.boundaries(file);
        long cut = cuts.get(Math.floorMod(pick, cuts.size())) + delta;
        check(Arrays.copyOf(file, (int) Math.max(0, Math.min(file.length, cut))));
    }

    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    void hostileFieldValuesFailCleanly(@ForAll("seedIndex") int seed, @ForAll("mutations") List<long[]> mutations) {
        byte[] file = Seeds.get(seed);
        var fields = Seeds.fields(file);
        for (long[] m : mutations) {
            var field = fields.get(Math.floorMod(m[0], fields.size()));
            file = field.set(file, interesting(m[1], m[2], file.length));
        }
        check(file);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.NONE)
    void interpreterWithoutNulIsRefused(@ForAll("seedIndex") int seed, @ForAll byte last) {
        byte[] file = Seeds.get(seed).clone();
        var interp = Seeds.parse(file).firstOfType(Elf.PT_INTERP);
        if (interp.isEmpty()) {
            file = ElfWriter.executable().headersAt(0x400000).interpreterBytes(new byte[] {'/', 'x', last})
                    .segment(ElfWriter.Segment.load(Elf.PF_R, 0x401000, new byte[8])).build();
        } else {
            file[(int) (interp.get().offset() + interp.get().filesz() - 1)] = last;
        }
        if (last == 0) {
            check(file);
            return;
        }
        byte[] f = file;
        var e = org.junit.jupiter.api.Assertions.assertThrows(ElfFormatException.class, () -> ElfFile.parse(f));
        assertEquals(ElfFormatException.Kind.BAD_INTERPRETER, e.kind());
        assertNamed(e);
    }

    /** Parses and plans; only ElfFormatException with a named field may escape, and plans must be sane. */
    static void check(byte[] file) {
        ElfFile elf;
        try {
            elf = ElfFile.parse(file);
        } catch (ElfFormatException e) {
            assertNamed(e);
            return;
        }
        assertEquals(file.length, elf.fileSize());
        for (String w : elf.warnings()) {
            assertFalse(w.isBlank());
        }
        try {
            assertSane(LoadPlan.of(elf), elf);
        } catch (ElfFormatException e) {
            assertNamed(e);
        }
    }

    static void assertNamed(ElfFormatException e) {
        assertFalse(e.field().isBlank(), "field named");
        assertTrue(e.getMessage().startsWith(e.field() + ": "), e.getMessage());
        assertFalse(e.detail().isBlank(), e.getMessage());
        assertFalse(e.linuxErrno().isBlank(), e.getMessage());
    }

    static void assertSane(LoadPlan plan, ElfFile elf) {
        assertEquals(elf.loadSegments().size(), plan.segments().size());
        assertFalse(plan.segments().isEmpty());
        for (var s : plan.segments()) {
            assertEquals(0, Elf.pageOffset(s.pageVaddr()), s.toString());
            assertEquals(0, Elf.pageOffset(s.pageEnd()), s.toString());
            assertEquals(0, Elf.pageOffset(s.fileOffset()), s.toString());
            assertTrue(0 <= s.pageVaddr() && s.pageVaddr() <= s.vaddr() && s.pageVaddr() <= s.pageEnd(), s.toString());
            assertTrue(s.pageEnd() <= Elf.TASK_SIZE && s.memEnd() <= Elf.TASK_SIZE, s.toString());
            assertTrue(s.memEnd() <= s.pageEnd() || s.pageCount() == 0, s.toString());
            assertTrue(s.fileEnd() <= s.memEnd() || s.fileBytes() == 0, s.toString());
            assertTrue(s.fileBytes() == 0 || s.fileOffset() + s.fileBytes() <= elf.fileSize(), s.toString());
            assertTrue(plan.minVaddr() <= s.pageVaddr() && s.pageEnd() <= plan.maxVaddr(), s.toString());
        }
        assertTrue(plan.span() >= 0);
        assertEquals(1, Long.bitCount(plan.alignment()));
        assertTrue(Long.compareUnsigned(plan.alignment(), Elf.PAGE_SIZE) >= 0);
        if (plan.relocatable()) {
            assertEquals(0, plan.minVaddr());
        }
    }

    /** An interesting 64-bit value: boundaries of the file, of TASK_SIZE and of the integer types. */
    static long interesting(long choice, long random, long fileSize) {
        long[] values = {0, 1, 2, -1, 0x7fff_ffffL, 0xffff_ffffL, 0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE,
                fileSize, fileSize - 1, fileSize + 1, fileSize - 56, Elf.TASK_SIZE, Elf.TASK_SIZE - 1,
                Elf.TASK_SIZE + 1, 0xffff, 0x10000, Elf.PAGE_SIZE, Elf.PAGE_SIZE - 1, Elf.PATH_MAX + 1, 56, 64,
                random};
        return values[(int) Math.floorMod(choice, values.length)];
    }

    @Provide
    Arbitrary<Integer> seedIndex() {
        return Arbitraries.integers().between(0, Seeds.count() - 1);
    }

    @Provide
    Arbitrary<Integer> delta() {
        return Arbitraries.integers().between(-2, 2);
    }

    @Provide
    Arbitrary<List<long[]>> flips() {
        return Combinators.combine(Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs().between(0, 255),
                        Arbitraries.longs().between(0, 3))
                .as((off, xor, region) -> new long[] {off, xor, region})
                .list().ofMinSize(1).ofMaxSize(16);
    }

    @Provide
    Arbitrary<List<long[]>> mutations() {
        return Combinators.combine(Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs().greaterOrEqual(0),
                        Arbitraries.longs())
                .as((field, choice, random) -> new long[] {field, choice, random})
                .list().ofMinSize(1).ofMaxSize(3);
    }

    // ---- (2) well-formed input ----------------------------------------------------------------

    /** What a random well-formed file holds. */
    record Spec(boolean pie, List<ElfWriter.Segment> segments, Optional<String> interp, List<String> needed,
                Optional<String> soname, Optional<String> runpath, int stackFlags, boolean sections) {
        long base() {
            return pie ? 0 : 0x400000;
        }

        boolean hasDynamic() {
            return !needed.isEmpty() || soname.isPresent() || runpath.isPresent();
        }

        byte[] build() {
            var w = pie ? ElfWriter.sharedObject() : ElfWriter.executable();
            w.headersAt(base()).gnuStack(stackFlags).sectionHeaders(sections);
            interp.ifPresent(w::interpreter);
            needed.forEach(w::needed);
            soname.ifPresent(w::soname);
            runpath.ifPresent(w::runpath);
            segments.forEach(w::segment);
            return w.build();
        }
    }

    @Property(tries = 500, edgeCases = EdgeCasesMode.NONE)
    void wellFormedFilesParseBackToWhatWasWritten(@ForAll("specs") Spec spec) throws Exception {
        byte[] file = spec.build();
        var elf = ElfFile.parse(file);
        assertEquals(List.of(), elf.warnings());
        assertEquals(spec.pie() ? Elf.ET_DYN : Elf.ET_EXEC, elf.header().type());
        assertEquals(spec.interp(), elf.interpreter());
        assertEquals(spec.hasDynamic(), elf.dynamic().isPresent());
        elf.dynamic().ifPresent(d -> {
            assertEquals(spec.needed(), d.needed());
            assertEquals(spec.soname(), d.soname());
            assertEquals(spec.runpath(), d.runpath());
        });
        assertEquals(spec.stackFlags(), elf.gnuStack().orElseThrow().flags());
        int first = spec.interp().isPresent() ? 3 : 2; // PT_PHDR, [PT_INTERP], headers' PT_LOAD
        var loads = elf.loadSegments();
        assertEquals(spec.segments().size() + 1, loads.size());
        for (int i = 0; i < spec.segments().size(); i++) {
            var want = spec.segments().get(i);
            var got = elf.programHeaders().get(first + i);
            assertEquals(new ProgramHeader(Elf.PT_LOAD, want.flags(), got.offset(), want.vaddr(), want.vaddr(),
                    want.bytes().length, want.memsz(), want.align()), got);
            assertArrayEquals(want.bytes(), Arrays.copyOfRange(file, (int) got.offset(),
                    (int) got.offset() + want.bytes().length));
        }
        var plan = LoadPlan.of(elf);
        assertSane(plan, elf);
        assertEquals(plan.segments().getFirst().pageVaddr(), plan.minVaddr());
        assertEquals(0x40 + spec.base() - plan.linkBase(), plan.phdrVaddr().orElseThrow());
        for (int i = 0; i < spec.segments().size(); i++) {
            var want = spec.segments().get(i);
            var s = plan.segments().get(i + 1);
            long vaddr = want.vaddr() - plan.linkBase();
            assertEquals(vaddr, s.vaddr());
            assertEquals(want.bytes().length == 0 ? 0 : Elf.pageOffset(vaddr) + want.bytes().length, s.fileBytes());
            assertEquals(vaddr + want.memsz(), s.memEnd());
            assertEquals(Elf.protOf(want.flags()), s.prot());
        }
        if (spec.sections()) {
            assertEquals(".shstrtab", elf.sections().getLast().name());
        }
    }

    @Provide
    Arbitrary<Spec> specs() {
        var name = Arbitraries.strings().alpha().numeric().withChars("._-+").ofMinLength(1).ofMaxLength(24);
        var segment = Combinators.combine(
                Arbitraries.integers().between(0, 7).map(f -> f | Elf.PF_R),
                Arbitraries.integers().between(1, 16),
                Arbitraries.integers().between(0, 4095),
                Arbitraries.bytes().array(byte[].class).ofMaxSize(300),
                Arbitraries.integers().between(0, 0x3000));
        var segments = segment.as((flags, gap, pageOffset, bytes, bss) -> new long[] {flags, gap, pageOffset, bss})
                .list().ofMinSize(1).ofMaxSize(5);
        var contents = Arbitraries.bytes().array(byte[].class).ofMaxSize(300).list().ofMinSize(5).ofMaxSize(5);
        var layout = Combinators.combine(Arbitraries.of(true, false), segments, contents)
                .as((pie, shapes, bytes) -> {
                    var out = new ArrayList<ElfWriter.Segment>();
                    long at = (pie ? 0 : 0x400000) + Elf.PAGE_SIZE;
                    for (int i = 0; i < shapes.size(); i++) {
                        long[] s = shapes.get(i);
                        long vaddr = at + (s[1] - 1) * Elf.PAGE_SIZE + s[2];
                        byte[] b = bytes.get(i);
                        out.add(ElfWriter.Segment.load((int) s[0], vaddr, b).withMemsz(b.length + s[3]));
                        at = Elf.pageAlign(vaddr + b.length + s[3]);
                    }
                    return new Object[] {pie, out};
                });
        return Combinators.combine(layout,
                        name.map(n -> "/lib/" + n).optional(),
                        name.map(n -> n + ".so").list().ofMaxSize(4),
                        name.optional(),
                        name.map(n -> "/opt/" + n).optional(),
                        Arbitraries.integers().between(0, 7),
                        Arbitraries.of(true, false))
                .as((l, interp, needed, soname, runpath, stack, sections) -> {
                    @SuppressWarnings("unchecked")
                    var segs = (List<ElfWriter.Segment>) l[1];
                    return new Spec((Boolean) l[0], segs, interp, needed, soname, runpath, stack, sections);
                });
    }

    // ---- seeds --------------------------------------------------------------------------------

    /** Real binaries (those present) and ElfWriter output, with the structure boundaries and fields of each. */
    static final class Seeds {
        private static final List<byte[]> FILES = load();

        private static List<byte[]> load() {
            var out = new ArrayList<byte[]>();
            for (String p : List.of("/bin/true", "/lib/ld-musl-x86_64.so.1", "/lib64/ld-linux-x86-64.so.2")) {
                try {
                    Path path = Path.of(p);
                    if (Files.isRegularFile(path)) {
                        out.add(Files.readAllBytes(path));
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            out.add(ElfWriterTest.full().build());
            out.add(ElfWriter.sharedObject().headersAt(0).needed("libc.so").runpath("/x")
                    .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x1000, new byte[100]))
                    .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, 0x2010, new byte[50]).withMemsz(0x2000))
                    .build());
            return List.copyOf(out);
        }

        static int count() {
            return FILES.size();
        }

        static byte[] get(int i) {
            return FILES.get(i);
        }

        static ElfFile parse(byte[] file) {
            try {
                return ElfFile.parse(file);
            } catch (ElfFormatException e) {
                throw new AssertionError("seed does not parse", e);
            }
        }

        /** Offsets where a structure starts or ends: header fields, table entries, segment and section ranges. */
        static List<Long> boundaries(byte[] file) {
            var elf = parse(file);
            var h = elf.header();
            var out = new ArrayList<Long>();
            for (long i = 0; i <= Elf.EHDR_SIZE; i++) {
                out.add(i);
            }
            for (int i = 0; i <= h.phnum(); i++) {
                out.add(h.phoff() + i * 56L);
            }
            for (var ph : elf.programHeaders()) {
                out.add(ph.offset());
                out.add(ph.offset() + ph.filesz());
            }
            for (int i = 0; i <= elf.sections().size(); i++) {
                out.add(h.shoff() + i * 64L);
            }
            for (var s : elf.sections()) {
                out.add(s.offset());
                out.add(s.offset() + s.size());
            }
            elf.firstOfType(Elf.PT_DYNAMIC).ifPresent(d -> {
                for (long k = 0; k <= d.filesz() / 16; k++) {
                    out.add(d.offset() + k * 16);
                }
            });
            return out;
        }

        /** A field of the file that a mutation can overwrite. */
        record Field(String name, long offset, int width) {
            byte[] set(byte[] file, long value) {
                if (offset < 0 || offset + width > file.length) {
                    return file;
                }
                return switch (width) {
                    case 2 -> Bytes.put16(file, offset, (int) value);
                    case 4 -> Bytes.put32(file, offset, value);
                    default -> Bytes.put64(file, offset, value);
                };
            }
        }

        static List<Field> fields(byte[] file) {
            var elf = parse(file);
            var h = elf.header();
            var out = new ArrayList<Field>(List.of(
                    new Field("e_type", ElfHeader.OFF_TYPE, 2), new Field("e_entry", ElfHeader.OFF_ENTRY, 8),
                    new Field("e_phoff", ElfHeader.OFF_PHOFF, 8), new Field("e_shoff", ElfHeader.OFF_SHOFF, 8),
                    new Field("e_phentsize", ElfHeader.OFF_PHENTSIZE, 2), new Field("e_phnum", ElfHeader.OFF_PHNUM, 2),
                    new Field("e_shentsize", ElfHeader.OFF_SHENTSIZE, 2), new Field("e_shnum", ElfHeader.OFF_SHNUM, 2),
                    new Field("e_shstrndx", ElfHeader.OFF_SHSTRNDX, 2)));
            for (int i = 0; i < h.phnum(); i++) {
                long at = h.programHeaderOffset(i);
                out.add(new Field("p_type", at, 4));
                out.add(new Field("p_offset", at + ProgramHeader.OFF_OFFSET, 8));
                out.add(new Field("p_vaddr", at + ProgramHeader.OFF_VADDR, 8));
                out.add(new Field("p_filesz", at + ProgramHeader.OFF_FILESZ, 8));
                out.add(new Field("p_memsz", at + ProgramHeader.OFF_MEMSZ, 8));
                out.add(new Field("p_align", at + ProgramHeader.OFF_ALIGN, 8));
            }
            for (int i = 0; i < elf.sections().size(); i++) {
                long at = h.shoff() + i * 64L;
                out.add(new Field("sh_name", at, 4));
                out.add(new Field("sh_offset", at + 24, 8));
                out.add(new Field("sh_size", at + 32, 8));
                out.add(new Field("sh_link", at + 40, 4));
            }
            elf.firstOfType(Elf.PT_DYNAMIC).ifPresent(d -> {
                for (long k = 0; k < d.filesz() / 16; k++) {
                    out.add(new Field("d_tag", d.offset() + k * 16, 8));
                    out.add(new Field("d_val", d.offset() + k * 16 + 8, 8));
                }
            });
            return out;
        }
    }
}
