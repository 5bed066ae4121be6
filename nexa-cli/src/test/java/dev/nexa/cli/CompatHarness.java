package dev.nexa.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Runs a host program natively and under Nexa with the same argv, environment, working directory
 * and stdin, and compares what each did (stdout, stderr, exit status byte for byte).
 * Unlike {@link GuestRun} the environment is the caller's, so a case can add LD_BIND_NOW=1.
 */
final class CompatHarness {
    private CompatHarness() {}

    /** The fixed environment both sides get (the caller may add to it). */
    static final List<String> BASE_ENV = List.of("PATH=/usr/bin:/bin", "LANG=C", "LC_ALL=C", "HOME=/root", "TZ=UTC");

    /** A guest budget generous enough for any of these small programs, but finite. */
    static final long MAX_INSTRUCTIONS = 5_000_000_000L;

    record Outcome(String stdout, String stderr, int status) {}

    static List<String> env(String... extra) {
        List<String> e = new ArrayList<>(BASE_ENV);
        e.addAll(List.of(extra));
        return e;
    }

    static Outcome natively(List<String> argv, List<String> env, Path cwd, byte[] stdin)
            throws IOException, InterruptedException {
        // env -i sets the variables in the given order (a ProcessBuilder's map would reorder them),
        // then execvp's the program with argv[0] as given, as the Nexa side receives it.
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/env", "-i"));
        cmd.addAll(env);
        cmd.addAll(argv);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        Process p = pb.start();
        Thread feeder = Thread.ofVirtual().start(() -> {
            try (var in = p.getOutputStream()) {
                in.write(stdin);
            } catch (IOException ignored) {
                // the program exited without reading all of stdin: fine, as with a shell pipe
            }
        });
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread errReader = Thread.ofVirtual().start(() -> {
            try {
                p.getErrorStream().transferTo(err);
            } catch (IOException ignored) {
                // the stream ends with the process
            }
        });
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(argv + " did not finish natively");
        }
        feeder.join();
        errReader.join();
        return new Outcome(new String(out), err.toString(), p.exitValue());
    }

    /** The same run under Nexa on the host root (read-only, /tmp an in-memory overlay); {@code console} gets Nexa's own messages. */
    static Outcome underNexa(List<String> argv, List<String> env, Path cwd, byte[] stdin, StringBuilder console) {
        var out = new GuestRun.CaptureFile("stdout");
        var err = new GuestRun.CaptureFile("stderr");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        var opts = new GuestLauncher.Options(256L << 20, Path.of("/"), MAX_INSTRUCTIONS, Set.of(), false, 1L);
        int status = GuestLauncher.run(opts, argv.getFirst(), argv, env, cwd.toString(),
                new GuestLauncher.Stdio(new GuestRun.BytesFile(stdin), out, err), new PrintStream(said, true));
        if (console != null) console.append(said);
        return new Outcome(new String(out.bytes()), new String(err.bytes()), status);
    }

    /** Runs both ways and asserts the outcomes are identical; returns the native one. */
    static Outcome assertSame(List<String> argv, List<String> env, Path cwd, byte[] stdin) throws Exception {
        Outcome n = natively(argv, env, cwd, stdin);
        StringBuilder console = new StringBuilder();
        Outcome g = underNexa(argv, env, cwd, stdin, console);
        String context = String.join(" ", argv) + (console.isEmpty() ? "" : "\nnexa said: " + console.toString().strip());
        assertEquals(n.stdout(), g.stdout(), "stdout of " + context);
        assertEquals(n.stderr(), g.stderr(), "stderr of " + context);
        assertEquals(n.status(), g.status(), "exit status of " + context);
        return n;
    }

    /** Compiles one C source with the host's gcc into {@code dir}; null when gcc is missing or fails. */
    static Path compile(Path source, Path dir, String name, String... flags) throws IOException, InterruptedException {
        return compile("gcc", source, dir, name, new StringBuilder(), flags);
    }

    /**
     * Compiles one C source with {@code compiler} (gcc, musl-gcc) into {@code dir}; null when the
     * compiler is missing ({@code log} stays empty) or fails ({@code log} gets what it said).
     */
    static Path compile(String compiler, Path source, Path dir, String name, StringBuilder log, String... flags)
            throws IOException, InterruptedException {
        Path out = dir.resolve(name);
        List<String> cmd = new ArrayList<>(List.of(compiler, "-O1", "-o", out.toString(), source.toString()));
        cmd.addAll(List.of(flags));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            log.append(new String(p.getInputStream().readAllBytes()));
            return p.waitFor() == 0 && Files.isExecutable(out) ? out : null;
        } catch (IOException e) {
            return null;           // no such compiler on this host
        }
    }

    static boolean executable(String path) { return Files.isExecutable(Path.of(path)); }
}
