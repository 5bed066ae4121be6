package dev.nexa.kernel.exec;

import dev.nexa.elf.Elf;
import dev.nexa.elf.ElfMutations;
import dev.nexa.elf.ElfMutations.Mutation;
import dev.nexa.elf.ElfWriter;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.cpu.fuzz.Fuzzing;
import dev.nexa.cpu.fuzz.Sample;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ELF loader properties at the kernel level: structurally valid programs made with
 * {@link ElfWriter} and targeted mutations of real binaries go through the real
 * {@link dev.nexa.kernel.Kernel#exec} from a host-directory root (see {@link ExecWorld} for what is
 * checked on each: Linux's errnos and a message, nothing changed or leaked by a failed exec,
 * SIGSEGV past the point of no return, a clean end of a successful one).
 *
 * <p>Long campaign: {@code ./mvnw -B verify -Dnexa.long=true [-Dnexa.tries=N]}. A failing property
 * writes its shrunk program to fixtures/regressions/elf/ (see {@link Fuzzing}), which
 * {@code RegressionCorpusTest} replays on every build.
 */
@AddLifecycleHook(Fuzzing.class)
class ExecFuzzProperties {
    private static ExecWorld world;
    private static List<Seed> seeds;

    record Seed(String name, byte[] bytes) {}

    @BeforeContainer
    static void setUp() {
        world = ExecWorld.build();
        seeds = loadSeeds();
    }

    @AfterContainer
    static void tearDown() {
        world.close();
    }

    /** Real programs from fixtures/bin (static, static-PIE, dynamic musl and glibc, no-libc asm) and ElfWriter output. */
    static List<Seed> loadSeeds() {
        Path bin = Path.of(System.getProperty("nexa.fixtures", "../fixtures")).resolve("bin");
        List<Seed> out = new ArrayList<>();
        for (String p : List.of("asm/exit0", "asm/write", "musl-static/exit42", "musl-static-pie/hello",
                "musl-dynamic/hello", "glibc-dynamic/exit42")) {
            Path f = bin.resolve(p);
            try {
                if (Files.isRegularFile(f)) out.add(new Seed(p, Files.readAllBytes(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        out.add(new Seed("writer-static", ExecWorld.exitProgram(5)));
        out.add(new Seed("writer-dynamic", ElfWriter.sharedObject().headersAt(0).interpreter("/lib/interp.so")
                .needed("libc.so").runpath("/x")
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x1000, ExecWorld.exitCode(9)))
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, 0x2010, new byte[50]).withMemsz(0x2000))
                .entry(0x1000).build()));
        return out;
    }

    // ---- mutants of real binaries ---------------------------------------------------------------

    /** A seed and the mutations applied to it, in order. */
    record Mutant(String seed, List<Mutation> mutations, byte[] bytes) implements Sample {
        @Override
        public String describe() { return seed + " with " + mutations; }

        @Override
        public String toString() { return describe() + " (" + bytes.length + " bytes)"; }
    }

    /** What one generated mutation step is, before it is made concrete for the file at hand. */
    record Step(int kind, long a, long b, long c) {
        Mutation on(byte[] file) {
            return switch (kind) {
                case 0, 1 -> {
                    var fs = ElfMutations.fields(file);
                    yield fs.get((int) Math.floorMod(a, fs.size())).set(ElfMutations.interesting(b, c, file.length));
                }
                case 2 -> {
                    var bs = ElfMutations.boundaries(file);
                    yield new ElfMutations.Truncate(bs.get((int) Math.floorMod(a, bs.size())) + Math.floorMod(b, 5) - 2);
                }
                case 3 -> {
                    long bound = Math.floorMod(c, 4) < 3 ? Math.min(file.length, 4096) : file.length;
                    yield new ElfMutations.FlipBits(bound == 0 ? 0 : Math.floorMod(a, bound), (int) Math.floorMod(b, 255) + 1);
                }
                case 4 -> {
                    long[] deltas = {0, 1, Elf.PAGE_SIZE, -Elf.PAGE_SIZE, 0x800, Long.MIN_VALUE, -1, Elf.TASK_SIZE};
                    yield new ElfMutations.CopyHeader((int) Math.floorMod(a, 16), (int) Math.floorMod(b, 16),
                            deltas[(int) Math.floorMod(c, deltas.length)]);
                }
                default -> {
                    String path = ExecWorld.INTERPRETERS.get((int) Math.floorMod(a, ExecWorld.INTERPRETERS.size()));
                    yield new ElfMutations.SetInterpreter(path.getBytes(StandardCharsets.UTF_8), Math.floorMod(b, 8) != 0);
                }
            };
        }
    }

    @Provide
    Arbitrary<Mutant> mutants() {
        var step = Combinators.combine(Arbitraries.integers().between(0, 5), Arbitraries.longs().greaterOrEqual(0),
                Arbitraries.longs().greaterOrEqual(0), Arbitraries.longs()).as(Step::new);
        return Combinators.combine(Arbitraries.integers().between(0, seeds.size() - 1), step.list().ofMinSize(1).ofMaxSize(3))
                .as((i, steps) -> {
                    Seed s = seeds.get(i);
                    byte[] file = s.bytes();
                    List<Mutation> applied = new ArrayList<>();
                    for (Step st : steps) {
                        Mutation m = st.on(file);
                        applied.add(m);
                        file = m.apply(file);
                    }
                    return new Mutant(s.name(), applied, file);
                });
    }

    @Property(tries = 250, edgeCases = EdgeCasesMode.NONE)
    @Fuzzing.Keep(kind = "elf", ext = "elf")
    void mutatedBinariesExecOrFailCleanly(@ForAll("mutants") Mutant m) {
        world.exec(m.bytes());
    }

    /** Every truncation at a header boundary of every seed (Linux: ENOEXEC, EIO, or SIGSEGV past the point of no return). */
    @Example
    void truncationAtEveryHeaderBoundary() {
        for (Seed s : seeds) {
            var cuts = ElfMutations.boundaries(s.bytes()).stream().distinct().filter(c -> c <= 64 + 56 * 16).toList();
            for (long cut : cuts) {
                if (cut >= s.bytes().length) continue;
                var r = world.exec(Arrays.copyOf(s.bytes(), (int) cut));
                assertTrue(r.outcome() != ExecWorld.Outcome.RAN || cut > 64, s.name() + " cut at " + cut + ": " + r);
            }
        }
    }

    // ---- structurally valid programs ------------------------------------------------------------

    /** A random valid layout: PIE or not, 1 to 4 PT_LOADs with bss, an optional interpreter and dynamic section. */
    record Valid(boolean pie, List<ElfWriter.Segment> segments, Optional<String> interp, List<String> needed,
                 int exitCode, byte[] bytes) implements Sample {
        @Override
        public String describe() {
            return (pie ? "ET_DYN" : "ET_EXEC") + " " + segments + " interp=" + interp.orElse("-") + " needed=" + needed;
        }

        @Override
        public String toString() { return describe(); }
    }

    @Provide
    Arbitrary<Valid> valid() {
        var shape = Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.integers().between(1, 8),
                Arbitraries.integers().between(0, 4095), Arbitraries.integers().between(0, 600),
                Arbitraries.integers().between(0, 0x6000)).as((f, gap, off, len, bss) -> new int[] {f, gap, off, len, bss});
        var interp = Arbitraries.of("/lib/interp.so", "/lib/chain.so", "/lib/ld-musl-x86_64.so.1").optional(0.3);
        return Combinators.combine(Arbitraries.of(true, false), shape.list().ofMinSize(1).ofMaxSize(4), interp,
                        Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(8).map(n -> "lib" + n + ".so").list().ofMaxSize(3),
                        Arbitraries.integers().between(0, 120))
                .as((pie, shapes, in, needed, code) -> {
                    long base = pie ? 0 : 0x400000;
                    long at = base + Elf.PAGE_SIZE;
                    List<ElfWriter.Segment> segs = new ArrayList<>();
                    long entry = at + shapes.getFirst()[2];
                    for (int i = 0; i < shapes.size(); i++) {
                        int[] s = shapes.get(i);
                        long vaddr = at + (long) (s[1] - 1) * Elf.PAGE_SIZE + s[2];
                        byte[] bytes = new byte[Math.max(s[3], i == 0 ? 12 : 0)];
                        int flags = Elf.PF_R | (i == 0 ? Elf.PF_X : s[0] & (Elf.PF_W | Elf.PF_X));
                        if (i == 0) {
                            System.arraycopy(ExecWorld.exitCode(code), 0, bytes, 0, 12);
                            entry = vaddr;
                        }
                        segs.add(ElfWriter.Segment.load(flags, vaddr, bytes).withMemsz(bytes.length + s[4]));
                        at = Elf.pageAlign(vaddr + bytes.length + s[4]);
                    }
                    var w = pie ? ElfWriter.sharedObject() : ElfWriter.executable();
                    w.headersAt(base).entry(entry);
                    in.ifPresent(w::interpreter);
                    needed.forEach(w::needed);
                    segs.forEach(w::segment);
                    return new Valid(pie, segs, in, needed, code, w.build());
                });
    }

    @Property(tries = 120, edgeCases = EdgeCasesMode.NONE)
    @Fuzzing.Keep(kind = "elf", ext = "elf")
    void validProgramsRunToTheirExitStatus(@ForAll("valid") Valid v) {
        var r = world.exec(v.bytes());
        String interp = v.interp().orElse(null);
        if (interp != null && interp.contains("musl") && !Files.isRegularFile(world.root.resolve(interp.substring(1)))) {
            assertEquals(Errno.ENOENT, r.errno(), r.toString());
            return;
        }
        assertEquals(ExecWorld.Outcome.RAN, r.outcome(), r.toString());
        // With our interpreter, it runs instead of the program (exit 7). musl's ld.so gets a program
        // without symbol tables, on which it may crash as natively; only a clean end is asked of it.
        if (interp == null || !interp.contains("musl")) assertEquals(interp == null ? v.exitCode() : 7, r.status(), r.toString());
    }

    // ---- targeted cases -------------------------------------------------------------------------

    @Example
    void interpreterCasesAnswerAsLinux() {
        byte[] base = seeds.stream().filter(s -> s.name().equals("writer-dynamic")).findFirst().orElseThrow().bytes();
        record Case(String interp, boolean nul, Errno errno) {}
        var cases = List.of(
                new Case("/nonexistent", true, Errno.ENOENT),
                new Case("/notelf", true, Errno.ELIBBAD),
                new Case("/script", true, Errno.ELIBBAD),         // no #! for interpreters: not ELF
                new Case("/dir", true, Errno.EACCES),
                new Case("/dev/null", true, Errno.EACCES),
                new Case("/loop", true, Errno.ELOOP),
                new Case("/notelf/below", true, Errno.ENOTDIR),
                new Case("/lib/interp.so", false, Errno.ENOEXEC),  // PT_INTERP without its NUL
                new Case("", true, Errno.ENOEXEC),                // p_filesz 1: below Linux's minimum of 2
                new Case("/" + "x".repeat(300), true, Errno.ENAMETOOLONG));
        for (Case c : cases) {
            byte[] f = new ElfMutations.SetInterpreter(c.interp().getBytes(StandardCharsets.UTF_8), c.nul()).apply(base);
            var r = world.exec(f);
            assertEquals(c.errno(), r.errno(), c + " -> " + r);
        }
        // An interpreter naming an interpreter (itself) is loaded all the same: load_elf_interp ignores its PT_INTERP.
        var chain = world.exec(ElfMutations.SetInterpreter.of("/lib/chain.so").apply(base));
        assertEquals(7, chain.status(), chain.toString());
        // The program as its own interpreter: it is an ET_DYN with PT_INTERP, so it loads twice and runs.
        var self = world.exec(ElfMutations.SetInterpreter.of(ExecWorld.PROG).apply(base));
        assertEquals(ExecWorld.Outcome.RAN, self.outcome(), self.toString());
    }

    @Example
    void layoutErrorsKillWithSigsegvPastThePointOfNoReturn() {
        byte[] base = ExecWorld.exitProgram(5);
        var fields = ElfMutations.fields(base);
        // phdr[1] is the headers' PT_LOAD, phdr[2] the code (see ElfWriter's header order).
        var memsz = fields.stream().filter(f -> f.name().equals("phdr[3].p_memsz")).findFirst().orElseThrow();
        var vaddr = fields.stream().filter(f -> f.name().equals("phdr[3].p_vaddr")).findFirst().orElseThrow();
        for (Mutation m : List.of(memsz.set(8), vaddr.set(Elf.TASK_SIZE), memsz.set(Elf.TASK_SIZE), memsz.set(1L << 40))) {
            var r = world.exec(m.apply(base));
            assertEquals(ExecWorld.Outcome.SIGSEGV_PAST_NO_RETURN, r.outcome(), m + " -> " + r);
            assertEquals(139, r.status(), m + " -> " + r);
        }
    }

    @Example
    void hugeBssWithinTheAddressSpaceButBeyondMemoryIsSigsegvNotOom() {
        // 1 GiB of bss with 32 MiB of guest memory: Linux's vm_brk_flags fails after the point of no return.
        byte[] f = ElfWriter.executable().headersAt(0x400000)
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x401000, ExecWorld.exitCode(1)))
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, 0x600000, new byte[8]).withMemsz(1L << 30))
                .entry(0x401000).build();
        var r = world.exec(f);
        assertEquals(ExecWorld.Outcome.SIGSEGV_PAST_NO_RETURN, r.outcome(), r.toString());
    }
}
