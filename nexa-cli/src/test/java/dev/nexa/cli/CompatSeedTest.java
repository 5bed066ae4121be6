package dev.nexa.cli;

import dev.nexa.kernel.initramfs.CpioWriter;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The seed documents' scenario (../shared/seeds/001_*): an initramfs holding only the dynamic
 * loader (and libc) and a dynamically linked program, run with {@code --initramfs} and
 * {@code --log exec}. The seed kernel's log lines are
 * {@code [EXEC] Dynamic binary, interpreter: /lib/ld-musl-x86_64.so.1} and
 * {@code [EXEC] Dynamic: interp_entry=0x... main_entry=0x... AT_BASE=0x7f0000000000}; the seed
 * stopped at "[MMAP] Only MAP_ANONYMOUS supported", Nexa prints the greeting as natively.
 */
class CompatSeedTest {
    private static final Pattern DYNAMIC = Pattern.compile(
            "\\[EXEC] Dynamic: interp_entry=0x7f00000[0-9a-f]{5} main_entry=0x5555555[0-9a-f]{5} AT_BASE=0x7f0000000000");

    @TempDir
    Path dir;

    private static void need(Path p, String pkg) {
        Assumptions.assumeTrue(Files.isReadable(p), () -> p + " missing (package " + pkg + ")");
    }

    /** One run with the archive as root and exec logging on: the guest's stdout, exit status and Nexa's log. */
    private record Run(String out, int status, String log) {}

    private static Run run(Path archive, String program) {
        var out = new GuestRun.CaptureFile("stdout");
        var err = new GuestRun.CaptureFile("stderr");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        var opts = new GuestLauncher.Options(256L << 20, Path.of("/"), CompatHarness.MAX_INSTRUCTIONS, Set.of("exec"), false, 1L)
                .withInitramfs(archive);
        int status = GuestLauncher.run(opts, program, List.of(program), List.of("PATH=/bin"), "/",
                new GuestLauncher.Stdio(new GuestRun.BytesFile(new byte[0]), out, err), new PrintStream(console, true));
        return new Run(new String(out.bytes()), status, console.toString());
    }

    private static String nativeOut(Path program) throws Exception {
        var n = CompatHarness.natively(List.of(program.toString()), CompatHarness.env(), program.getParent(), new byte[0]);
        assertEquals(0, n.status(), program + " natively: " + n.stderr());
        return n.stdout();
    }

    @Test
    void muslHelloDynamicFromAnInitramfs() throws Exception {
        Path loader = Path.of("/lib/ld-musl-x86_64.so.1");
        Path hello = FixtureCase.fixtures().resolve("bin/musl-dynamic/hello_dynamic");
        need(loader, "musl");
        need(hello, "musl-tools; run make in fixtures/");
        Path archive = dir.resolve("seed.cpio");
        var dirAttr = CpioWriter.Attributes.of(0755);
        try (OutputStream os = Files.newOutputStream(archive); CpioWriter w = CpioWriter.newc(os)) {
            w.directory("lib", dirAttr).directory("bin", dirAttr)
                    .file("lib/ld-musl-x86_64.so.1", loader.toRealPath(), CpioWriter.Attributes.of(0755))
                    .file("bin/hello_dynamic", hello, CpioWriter.Attributes.of(0755));
        }
        Run r = run(archive, "/bin/hello_dynamic");
        assertEquals(0, r.status(), r.log());
        assertEquals(nativeOut(hello), r.out());
        List<String> lines = r.log().lines().filter(l -> l.startsWith("[EXEC]")).toList();
        assertEquals(2, lines.size(), r.log());
        assertEquals("[EXEC] Dynamic binary, interpreter: /lib/ld-musl-x86_64.so.1", lines.get(0));
        assertTrue(DYNAMIC.matcher(lines.get(1)).matches(), lines.get(1));
    }

    @Test
    void glibcHelloFromAnInitramfs() throws Exception {
        Path loader = Path.of("/lib64/ld-linux-x86-64.so.2"), libc = Path.of("/lib/x86_64-linux-gnu/libc.so.6");
        Path hello = FixtureCase.fixtures().resolve("bin/glibc-dynamic/hello");
        need(loader, "libc6");
        need(libc, "libc6");
        need(hello, "gcc; run make in fixtures/");
        Path archive = dir.resolve("glibc.cpio");
        var dirAttr = CpioWriter.Attributes.of(0755);
        try (OutputStream os = Files.newOutputStream(archive); CpioWriter w = CpioWriter.newc(os)) {
            // No ld.so.cache in the archive: the loader finds libc.so.6 in its built-in system directory.
            w.directory("lib64", dirAttr).directory("lib", dirAttr).directory("lib/x86_64-linux-gnu", dirAttr)
                    .directory("bin", dirAttr)
                    .file("lib64/ld-linux-x86-64.so.2", loader.toRealPath(), CpioWriter.Attributes.of(0755))
                    .file("lib/x86_64-linux-gnu/libc.so.6", libc.toRealPath(), CpioWriter.Attributes.of(0755))
                    .file("bin/hello", hello, CpioWriter.Attributes.of(0755));
        }
        Run r = run(archive, "/bin/hello");
        assertEquals(0, r.status(), r.log());
        assertEquals(nativeOut(hello), r.out());
        assertTrue(r.log().contains("[EXEC] Dynamic binary, interpreter: /lib64/ld-linux-x86-64.so.2\n"), r.log());
    }

    @Test
    void aMissingInterpreterIsNamed() throws Exception {
        Path hello = FixtureCase.fixtures().resolve("bin/musl-dynamic/hello_dynamic");
        need(hello, "musl-tools; run make in fixtures/");
        Path archive = dir.resolve("noloader.cpio");
        try (OutputStream os = Files.newOutputStream(archive); CpioWriter w = CpioWriter.newc(os)) {
            w.directory("bin", CpioWriter.Attributes.of(0755)).file("bin/hello_dynamic", hello, CpioWriter.Attributes.of(0755));
        }
        Run r = run(archive, "/bin/hello_dynamic");
        assertEquals(127, r.status(), r.log());                         // ENOENT from execve, as a shell reports it
        assertTrue(r.log().contains("/lib/ld-musl-x86_64.so.1"), r.log());
        assertEquals("", r.out());
    }
}
