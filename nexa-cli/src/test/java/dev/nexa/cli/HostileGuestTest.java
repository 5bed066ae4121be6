package dev.nexa.cli;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Hostile guests (a C program, hostile.c, built with musl-gcc for the test) against the limits
 * of {@code nexa run}: guest memory (--mem) answers ENOMEM or kills with a clear message and
 * status 137, a fork bomb meets the task limit (EAGAIN) and --timeout still stops it, descriptors
 * run out with EMFILE, and --max-instructions (137) and --timeout (124) end runaway guests with a
 * one-line message, whether they spin or sleep.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HostileGuestTest {
    @TempDir
    static Path dir;
    private static Path program;

    record Run(int status, String out, String console, long millis) {}

    @BeforeAll
    static void build() throws Exception {
        Path src = dir.resolve("hostile.c");
        try (InputStream in = HostileGuestTest.class.getResourceAsStream("/hostile/hostile.c")) {
            Files.write(src, in.readAllBytes());
        }
        program = dir.resolve("hostile");
        Process cc;
        try {
            cc = new ProcessBuilder("musl-gcc", "-static", "-O1", "-o", program.toString(), src.toString())
                    .redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "musl-gcc not found: install musl-tools to build the hostile guest");
            return;
        }
        String log = new String(cc.getInputStream().readAllBytes());
        assertEquals(0, cc.waitFor(), log);
    }

    static Run run(GuestLauncher.Options o, String... args) {
        List<String> argv = new ArrayList<>(List.of(program.toString()));
        argv.addAll(List.of(args));
        var out = new GuestRun.CaptureFile("stdout");
        var err = new GuestRun.CaptureFile("stderr");
        var console = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int status = GuestLauncher.run(o, program.toString(), argv, GuestRun.ENV, "/",
                new GuestLauncher.Stdio(new GuestRun.BytesFile(new byte[0]), out, err), new PrintStream(console, true));
        long ms = (System.nanoTime() - t0) / 1_000_000;
        String c = console.toString();
        assertFalse(c.contains("Exception") || c.contains("\tat ") || c.contains("internal error"), c);
        return new Run(status, new String(out.bytes()) + new String(err.bytes()), c, ms);
    }

    static GuestLauncher.Options opts(long memory) {
        return new GuestLauncher.Options(memory, Path.of("/"), 0, Set.of(), false, 1L);
    }

    @Test
    void mappingsThatCanNeverBeBackedAreEnomem() {
        var r = run(opts(64L << 20), "mmap", "128");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("mmap 128 MiB: ENOMEM"), r.toString());
        assertTrue(r.out().contains("mmap 128 MiB noreserve: OK"), r.toString());
        var small = run(opts(64L << 20), "mmap", "32");
        assertTrue(small.out().contains("mmap 32 MiB: OK"), small.toString());
        var brk = run(opts(64L << 20), "brk", "100");
        assertTrue(brk.out().contains("sbrk 100 MiB: ENOMEM") && brk.out().contains("break unchanged: yes"), brk.toString());
    }

    @Test
    void runningOutOfGuestMemoryKillsWithAClearMessage() {
        var fits = run(opts(32L << 20), "touch", "16");
        assertEquals(0, fits.status(), fits.toString());
        assertTrue(fits.out().contains("touched all"), fits.toString());
        // Six 8 MiB mappings: each is promised (it fits alone), together they cannot be backed.
        var r = run(opts(32L << 20), "touch", "48");
        assertEquals(137, r.status(), r.toString());
        assertTrue(r.out().contains("mapped") && !r.out().contains("touched all"), r.toString());
        assertTrue(r.console().startsWith("nexa: out of guest memory (--mem)"), r.console());
        assertTrue(r.console().contains("killed by SIGKILL"), r.console());
        assertTrue(r.console().strip().lines().count() <= 2, r.console());
    }

    @Test
    void forkBombsMeetTheTaskLimit() {
        var r = run(opts(256L << 20), "forks");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("children: EAGAIN"), r.toString());
        assertTrue(r.out().contains("reaped "), r.toString());
        var bomb = run(opts(256L << 20).withTimeout(Duration.ofSeconds(3)), "forkbomb");
        assertEquals(124, bomb.status(), bomb.toString());
        assertTrue(bomb.millis() < 15_000, "stopped after " + bomb.millis() + " ms");
        assertTrue(bomb.console().contains("time limit of 3s reached"), bomb.console());
    }

    @Test
    void descriptorsRunOutWithEmfile() {
        var r = run(opts(64L << 20), "fds");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("open refused after 1021 descriptors: EMFILE"), r.toString());
        assertTrue(r.out().contains("pipe: EMFILE"), r.toString());
        assertTrue(r.out().contains("after close: OK"), r.toString());
    }

    @Test
    void instructionLimitEndsASpinningGuest() {
        var o = new GuestLauncher.Options(64L << 20, Path.of("/"), 2_000_000, Set.of(), false, 1L);
        var r = run(o, "spin");
        assertEquals(137, r.status(), r.toString());
        assertEquals("nexa: stopped: instruction limit of 2000000 reached (--max-instructions)", r.console().strip());
    }

    @Test
    void timeoutEndsSpinningAndSleepingGuests() {
        for (String mode : List.of("spin", "sleep")) {
            var r = run(opts(64L << 20).withTimeout(Duration.ofMillis(1500)), mode);
            assertEquals(124, r.status(), mode + ": " + r);
            assertEquals("nexa: stopped: time limit of 1500ms reached (--timeout)", r.console().strip(), mode);
            assertTrue(r.millis() >= 1400 && r.millis() < 10_000, mode + " took " + r.millis() + " ms");
        }
    }

    @Test
    void timeoutOptionParsesLikeGnuTimeout() {
        var c = new DurationConverter();
        assertEquals(Duration.ofSeconds(10), c.convert("10"));
        assertEquals(Duration.ofSeconds(10), c.convert("10s"));
        assertEquals(Duration.ofMinutes(2), c.convert("2m"));
        assertEquals(Duration.ofMillis(1500), c.convert("1.5s"));
        assertEquals(Duration.ofMillis(500), c.convert("500ms"));
        assertEquals(Duration.ofHours(1), c.convert("1h"));
        for (String bad : List.of("", "0", "-1s", "abc", "1x", "0x10", "inf")) {
            try {
                c.convert(bad);
                throw new AssertionError("accepted " + bad);
            } catch (picocli.CommandLine.TypeConversionException expected) {
                assertTrue(expected.getMessage().contains("not a duration"), expected.getMessage());
            }
        }
    }
}
