package dev.nexa.kernel.proc;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.KernelConfig;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.BootstrapHostVfs;
import dev.nexa.kernel.vfs.FdTable;
import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Differential runs of the fixture programs (fixtures/bin/VARIANT/PROG): natively and under
 * Nexa with the same arguments and environment (check.sh's: PATH and two NEXA_ variables),
 * comparing stdout and the exit status (Nexa's one-line reports make stderr differ).
 * <p>
 * The fixtures need the complete CPU (and, for some, the VFS); until those have landed
 * {@link #assumeLibcRuns} skips the tests: it runs musl-static/hello and expects its greeting.
 */
public final class FixtureRun {
    public record Outcome(String stdout, int status) {}

    static final List<String> ENV = List.of("PATH=/usr/bin:/bin", "NEXA_ZULU=last", "NEXA_ALPHA=first");
    private static Boolean libcRuns;

    private FixtureRun() {}

    public static Path fixture(String variant, String prog) {
        String dir = System.getProperty("nexa.fixtures");
        Assumptions.assumeTrue(dir != null, "system property nexa.fixtures is not set");
        Path p = Path.of(dir, "bin", variant, prog);
        Assumptions.assumeTrue(Files.isExecutable(p), "fixture " + p + " is missing");
        return p;
    }

    public static Outcome nativeRun(Path prog, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("env", "-i"));
        cmd.addAll(ENV);
        cmd.add(prog.toString());
        cmd.addAll(List.of(args));
        java.lang.Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(prog + " did not finish natively");
        }
        int rc = p.exitValue();
        return new Outcome(new String(out, StandardCharsets.UTF_8), rc);
    }

    public static Outcome nexaRun(Path prog, String... args) {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        KernelConfig cfg = new KernelConfig(256L << 20, k -> new BootstrapHostVfs(Path.of("/")), 4_000_000_000L,
                Set.of(), false, new PrintStream(console, true, StandardCharsets.UTF_8), 1L);
        try (Kernel kernel = new Kernel(cfg)) {
            GuestRunner.CaptureFile out = new GuestRunner.CaptureFile("stdout");
            FdTable fds = new FdTable();
            fds.install(new GuestRunner.CaptureFile("stdin"), false);
            fds.install(out, false);
            fds.install(new GuestRunner.CaptureFile("stderr"), false);
            List<String> argv = new ArrayList<>();
            argv.add(prog.toString());
            argv.addAll(List.of(args));
            kernel.spawn(prog.toString(), argv, ENV, fds);
            int status = kernel.run();
            return new Outcome(new String(out.bytes(), StandardCharsets.UTF_8), status);
        } catch (ErrnoException e) {
            return new Outcome("exec failed: " + e.getMessage(), 127);
        } catch (RuntimeException e) {
            return new Outcome("emulator failure: " + e, -1);
        }
    }

    /** Skips the calling test unless Nexa runs a libc program the way the host does. */
    public static void assumeLibcRuns() {
        if (libcRuns == null) {
            Path hello = fixture("musl-static", "hello");
            try {
                Outcome n = nativeRun(hello), e = nexaRun(hello);
                libcRuns = n.equals(e);
            } catch (IOException | InterruptedException ex) {
                libcRuns = false;
            }
        }
        Assumptions.assumeTrue(libcRuns, "the CPU cannot run musl-static/hello yet (CPU families not merged)");
    }
}
