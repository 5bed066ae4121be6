package dev.nexa.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * compat_probe.c (test resources), built with the host's gcc and run natively and under Nexa:
 * AF_UNIX socketpair/bind/listen/connect/accept across fork, POSIX timers (timer_create,
 * settime, gettime, delete; SI_TIMER value delivered to an SA_SIGINFO handler) and extended
 * attributes (ENODATA from the host file system, EOPNOTSUPP on /proc, ERANGE for an empty name).
 * The output never contains the scratch directory's name, so the two runs use their own.
 */
class CompatProbeTest {
    @TempDir
    Path dir;

    @Test
    void socketsTimersAndXattrsAsNatively() throws Exception {
        Path exe = CompatHarness.compile(HostProgramDifferentialTest.resource("compat_probe.c"), dir, "compat_probe");
        Assumptions.assumeTrue(exe != null, "gcc (package gcc) is needed to build compat_probe.c");
        Path nativeDir = Files.createDirectory(dir.resolve("native")), nexaDir = Files.createDirectory(dir.resolve("nexa"));
        var env = CompatHarness.env();
        var n = CompatHarness.natively(List.of(exe.toString(), nativeDir.toString()), env, dir, new byte[0]);
        StringBuilder console = new StringBuilder();
        var g = CompatHarness.underNexa(List.of(exe.toString(), nexaDir.toString()), env, dir, new byte[0], console);
        assertTrue(n.stdout().contains("accepted: hello from child (child status 0)"), n.stdout());
        assertEquals(n.stdout(), g.stdout(), "nexa said: " + console);
        assertEquals(n.stderr(), g.stderr());
        assertEquals(n.status(), g.status());
    }
}
