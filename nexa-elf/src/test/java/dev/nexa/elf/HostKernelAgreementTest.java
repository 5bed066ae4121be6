package dev.nexa.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Differential test against the host kernel: small programs made with {@link ElfWriter} are
 * executed natively, and the outcome (exit status, execve errno, or death by signal) is compared
 * with what {@link ElfFile#parse}, {@link LoadPlan#of} and a reference loader built from
 * {@link LoadSegment}'s documented semantics predict. Each program reads one byte from memory and
 * exits with it, so the test also checks what the plan says memory contains: file bytes, zeroed
 * bss, the junk Linux leaves in partial pages, which of two overlapping segments wins.
 */
class HostKernelAgreementTest {
    /** A random page-aligned base for ET_DYN images; rip-relative code does not care where. */
    private static final long PIE_BASE = 0x5555_5555_4000L;
    private static final byte JUNK = 85;

    @TempDir
    static Path dir;
    private static Path runner;

    record Case(String name, byte[] file) {
        @Override
        public String toString() {
            return name;
        }
    }

    @BeforeAll
    static void buildRunner() throws Exception {
        assumeTrue(System.getProperty("os.name").equals("Linux") && System.getProperty("os.arch").equals("amd64"),
                "needs an x86-64 Linux host");
        assumeTrue(HostTools.has("gcc"), "gcc not found: install gcc to build the execve helper");
        Path src = dir.resolve("runner.c");
        Files.writeString(src, """
                #include <errno.h>
                #include <stdio.h>
                #include <unistd.h>
                int main(int argc, char **argv) {
                    (void) argc;
                    execv(argv[1], argv + 1);
                    printf("%d\\n", errno);
                    return 127;
                }
                """);
        runner = dir.resolve("runner");
        var run = Readelf.run("gcc", "-O", "-o", runner.toString(), src.toString());
        assertEquals(0, run.exit(), run.stderr());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void loadPlanPredictsTheHostKernel(Case c) throws Exception {
        assertEquals(predict(c.file()), runOnHost(c));
    }

    static Stream<Case> cases() {
        var out = new ArrayList<Case>();
        // --- loadable programs: the exit status is the byte the program reads ---
        out.add(new Case("static exec reads its own byte",
                exec().segment(code(0x401000, 0x40100e, new byte[] {42})).build()));
        out.add(new Case("static PIE reads its data",
                ElfWriter.sharedObject().headersAt(0)
                        .segment(code(0x1000, 0x2010, new byte[0]))
                        .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, 0x2010, new byte[] {42})).build()));
        out.add(new Case("writable bss: partial page zeroed", bssProgram(Elf.PF_R | Elf.PF_W, 0x402003)));
        out.add(new Case("read-only bss: partial page keeps file bytes", bssProgram(Elf.PF_R, 0x402003)));
        out.add(new Case("bss: whole page is anonymous zero", bssProgram(Elf.PF_R | Elf.PF_W, 0x403800)));
        out.add(new Case("no bss: last file page holds the following file bytes", bssProgram(Elf.PF_R, -1)));
        out.add(new Case("read past the last page faults", bssProgram(Elf.PF_R | Elf.PF_W, 0x404000)));
        out.add(new Case("overlapping PT_LOADs: the later one wins",
                exec().segment(code(0x401000, 0x405000, new byte[0]))
                        .segment(ElfWriter.Segment.load(Elf.PF_R, 0x405000, new byte[] {11}))
                        .segment(ElfWriter.Segment.load(Elf.PF_R, 0x405000, new byte[] {22})).build()));
        out.add(new Case("PT_LOADs out of address order",
                exec().segment(ElfWriter.Segment.load(Elf.PF_R, 0x409000, new byte[] {33}))
                        .segment(code(0x401000, 0x409000, new byte[0])).build()));
        out.add(new Case("p_filesz 0: offset need not be congruent",
                exec().segment(code(0x401000, 0x406010, new byte[0]))
                        .programHeader(new ProgramHeader(Elf.PT_LOAD, Elf.PF_R, 0x123, 0x406010, 0x406010, 0, 0x100,
                                0x1000)).build()));
        // --- refused after the point of no return: SIGSEGV ---
        out.add(new Case("p_offset not congruent to p_vaddr",
                exec().segment(code(0x401000, 0x40100e, new byte[] {42}).atOffset(0x1010)).build()));
        out.add(new Case("p_filesz > p_memsz",
                exec().segment(code(0x401000, 0x40100e, new byte[] {42}).withMemsz(4)).build()));
        out.add(new Case("p_vaddr at TASK_SIZE",
                exec().segment(code(0x401000, 0x40100e, new byte[] {42}))
                        .segment(ElfWriter.Segment.load(Elf.PF_R, Elf.TASK_SIZE, new byte[] {1})).build()));
        out.add(new Case("p_memsz runs past TASK_SIZE",
                exec().segment(code(0x401000, 0x40100e, new byte[] {42}))
                        .segment(ElfWriter.Segment.load(Elf.PF_R, 0x7fff_0000_0000L, new byte[] {1})
                                .withMemsz(0x1_0000_0000L)).build()));
        out.add(new Case("p_memsz wraps around", exec().segment(code(0x401000, 0x40100e, new byte[] {42}))
                .segment(ElfWriter.Segment.load(Elf.PF_R, 0x500000, new byte[] {1}).withMemsz(-0x1000L)).build()));
        out.add(new Case("ET_DYN without PT_LOAD",
                ElfWriter.sharedObject().segment(ElfWriter.Segment.of(Elf.PT_NOTE, Elf.PF_R, 0, new byte[8])).build()));
        out.add(new Case("entry at TASK_SIZE",
                exec().segment(code(0x401000, 0x40100e, new byte[] {42})).entry(Elf.TASK_SIZE).build()));
        // --- refused before: execve returns an errno ---
        byte[] ok = exec().segment(code(0x401000, 0x40100e, new byte[] {42})).build();
        out.add(new Case("PT_INTERP without NUL", withInterp("/lib64/ld-linux-x86-64.so.2".getBytes())));
        out.add(new Case("PT_INTERP empty", withInterp(new byte[] {0, 0})));
        out.add(new Case("PT_INTERP of one byte", withInterp(new byte[] {0})));
        out.add(new Case("PT_INTERP longer than PATH_MAX", withInterp(new byte[Elf.PATH_MAX + 1])));
        out.add(new Case("PT_INTERP past end of file", exec()
                .programHeader(new ProgramHeader(Elf.PT_INTERP, Elf.PF_R, 0x100000, 0, 0, 16, 16, 1))
                .segment(code(0x401000, 0x40100e, new byte[] {42})).build()));
        out.add(new Case("1170 program headers (64 KiB)", withNullHeaders(1170 - 4)));
        out.add(new Case("1171 program headers", withNullHeaders(1171 - 4)));
        out.add(new Case("e_machine i386", patch16(ok, ElfHeader.OFF_MACHINE, 3)));
        out.add(new Case("e_phentsize 64", patch16(ok, ElfHeader.OFF_PHENTSIZE, 64)));
        out.add(new Case("ET_REL", patch16(ok, ElfHeader.OFF_TYPE, Elf.ET_REL)));
        out.add(new Case("no ELF magic", patch16(ok, 2, 'X')));
        out.add(new Case("program header table past end of file", patch16(ok, ElfHeader.OFF_PHNUM, 60)));
        return out.stream();
    }

    /**
     * Files the host kernel runs but this module refuses, on purpose: Linux's binfmt_elf checks
     * only the magic, {@code e_type} and {@code e_machine} of the header, so it runs an x86-64
     * program whatever its {@code EI_CLASS}, {@code EI_DATA} or version bytes say; and it maps
     * segments past the end of the file (touching them raises SIGBUS). The parser rejects these so
     * that, for instance, an x32 binary (ELFCLASS32 + EM_X86_64) is never misread as ELF64.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("deviations")
    void documentedDeviationsFromLinux(Case c) throws Exception {
        assertEquals("exit 42", runOnHost(c), "the host kernel runs it");
        var e = org.junit.jupiter.api.Assertions.assertThrows(ElfFormatException.class,
                () -> LoadPlan.of(ElfFile.parse(c.file())));
        assertEquals("ENOEXEC", e.linuxErrno(), e.getMessage());
    }

    static Stream<Case> deviations() {
        byte[] ok = exec().segment(code(0x401000, 0x40100e, new byte[] {42})).build();
        return Stream.of(
                new Case("EI_CLASS ELFCLASS32", patch8(ok, Elf.EI_CLASS, Elf.ELFCLASS32)),
                new Case("EI_DATA big-endian", patch8(ok, Elf.EI_DATA, Elf.ELFDATA2MSB)),
                new Case("EI_VERSION 0", patch8(ok, Elf.EI_VERSION, 0)),
                new Case("e_version 0", patch8(ok, ElfHeader.OFF_VERSION, 0)),
                new Case("PT_LOAD past end of file, never touched", exec()
                        .segment(code(0x401000, 0x40100e, new byte[] {42}))
                        .programHeader(new ProgramHeader(Elf.PT_LOAD, Elf.PF_R, 0x10000, 0x500000, 0x500000, 0x1000,
                                0x1000, 0x1000)).build()));
    }

    private static byte[] patch8(byte[] file, int offset, int value) {
        byte[] copy = file.clone();
        copy[offset] = (byte) value;
        return copy;
    }

    /** What parse + LoadPlan + the reference loader predict: "exit N", "errno NAME" or "signal N". */
    static String predict(byte[] file) {
        try {
            var elf = ElfFile.parse(file);
            var plan = LoadPlan.of(elf);
            long base = plan.relocatable() ? PIE_BASE : 0;
            var memory = ReferenceLoader.load(plan, file, base);
            long target = ProgramShape.target(memory, base + plan.entry());
            Integer value = memory.read(target);
            return value == null ? "signal 11" : "exit " + value;
        } catch (ElfFormatException e) {
            return e.kind().pastPointOfNoReturn() ? "signal 11" : "errno " + e.linuxErrno();
        }
    }

    private static String runOnHost(Case c) throws Exception {
        Path p = dir.resolve(c.name().replaceAll("[^A-Za-z0-9]+", "_"));
        Files.write(p, c.file());
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        var run = Readelf.run(runner.toString(), p.toString());
        if (run.exit() == 127 && !run.stdout().isBlank()) {
            return "errno " + errnoName(Integer.parseInt(run.stdout().strip()));
        }
        // Java reports death by signal as 128 + signal; the programs exit with bytes below 128.
        return run.exit() >= 128 ? "signal " + (run.exit() - 128) : "exit " + run.exit();
    }

    private static String errnoName(int errno) {
        return switch (errno) {
            case 2 -> "ENOENT";
            case 5 -> "EIO";
            case 8 -> "ENOEXEC";
            case 13 -> "EACCES";
            case 22 -> "EINVAL";
            case 80 -> "ELIBBAD";
            default -> "errno" + errno;
        };
    }

    // ---- program construction -----------------------------------------------------------

    private static ElfWriter exec() {
        return ElfWriter.executable().headersAt(0x400000);
    }

    /**
     * An executable PT_LOAD at {@code vaddr} whose code exits with the byte at {@code target}, followed by
     * {@code tail}: {@code movzx edi, byte [rip+rel32]; mov eax, 60; syscall}.
     */
    static ElfWriter.Segment code(long vaddr, long target, byte[] tail) {
        var buf = ByteBuffer.allocate(ProgramShape.LENGTH + tail.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[] {0x0f, (byte) 0xb6, 0x3d}).putInt((int) (target - (vaddr + 7)));
        buf.put(new byte[] {(byte) 0xb8, 60, 0, 0, 0, 0x0f, 0x05}).put(tail);
        return ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, vaddr, buf.array());
    }

    /**
     * Code at 0x401000 plus a 3-byte data segment at 0x402000 (flags as given) with 0x2000 bytes of
     * bss, directly followed in the file by junk bytes; reads {@code target} (-1: the byte after the
     * data, in a variant without bss).
     */
    private static byte[] bssProgram(int flags, long target) {
        long read = target < 0 ? 0x402003 : target;
        var data = ElfWriter.Segment.load(flags, 0x402000, new byte[] {1, 2, 3});
        var junk = new byte[64];
        Arrays.fill(junk, JUNK);
        return exec().segment(code(0x401000, read, new byte[0]))
                .segment(target < 0 ? data : data.withMemsz(0x2000))
                .segment(ElfWriter.Segment.of(Elf.PT_NOTE, Elf.PF_R, 0, junk).withAlign(1))
                .build();
    }

    /** The exit(42) program (four program headers) plus {@code extra} PT_NULL headers. */
    private static byte[] withNullHeaders(int extra) {
        var w = exec().segment(code(0x401000, 0x40100e, new byte[] {42}));
        for (int i = 0; i < extra; i++) {
            w.programHeader(ProgramHeader.of(Elf.PT_NULL));
        }
        return w.build();
    }

    private static byte[] withInterp(byte[] raw) {
        return exec().interpreterBytes(raw).segment(code(0x401000, 0x40100e, new byte[] {42})).build();
    }

    private static byte[] patch16(byte[] file, int offset, int value) {
        byte[] copy = file.clone();
        copy[offset] = (byte) value;
        copy[offset + 1] = (byte) (value >> 8);
        return copy;
    }

    /** Decodes the target of the program's first instruction ({@code movzx edi, byte [rip+rel32]}). */
    static final class ProgramShape {
        static final int LENGTH = 14;

        static long target(ReferenceLoader.Memory memory, long entry) {
            int rel = 0;
            for (int i = 0; i < 4; i++) {
                Integer b = memory.read(entry + 3 + i);
                if (b == null) {
                    throw new AssertionError("entry point not mapped");
                }
                rel |= b << (8 * i);
            }
            return entry + 7 + rel;
        }
    }

    /**
     * Materializes a {@link LoadPlan} the way {@link LoadSegment}'s Javadoc says Linux does: whole
     * file pages, the partial page cleared only when {@link LoadSegment#zeroesPartialPage()},
     * anonymous zero pages after, later segments replacing earlier ones page by page.
     */
    static final class ReferenceLoader {
        record Memory(Map<Long, byte[]> pages) {
            Integer read(long address) {
                byte[] page = pages.get(Elf.pageStart(address));
                return page == null ? null : Byte.toUnsignedInt(page[(int) Elf.pageOffset(address)]);
            }
        }

        static Memory load(LoadPlan plan, byte[] file, long base) {
            var pages = new HashMap<Long, byte[]>();
            for (var s : plan.segments()) {
                for (long v = s.pageVaddr(); v < s.pageEnd(); v += Elf.PAGE_SIZE) {
                    byte[] page = new byte[(int) Elf.PAGE_SIZE];
                    if (v < s.filePageEnd()) {
                        long from = s.fileOffset() + (v - s.pageVaddr());
                        int n = (int) Math.max(0, Math.min(Elf.PAGE_SIZE, file.length - from));
                        System.arraycopy(file, (int) Math.min(from, file.length), page, 0, n);
                    }
                    pages.put(base + v, page);
                }
                if (s.zeroesPartialPage()) {
                    byte[] page = pages.get(base + Elf.pageStart(s.fileEnd()));
                    Arrays.fill(page, (int) Elf.pageOffset(s.fileEnd()), page.length, (byte) 0);
                }
            }
            return new Memory(pages);
        }
    }

    /** Keeps the list of cases honest: every kind of outcome is represented. */
    @org.junit.jupiter.api.Test
    void casesCoverEveryOutcome() {
        var outcomes = cases().map(c -> predict(c.file()).split(" ")[0]).distinct().sorted().toList();
        assertEquals(List.of("errno", "exit", "signal"), outcomes);
    }
}
