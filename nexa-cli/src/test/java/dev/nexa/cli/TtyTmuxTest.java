package dev.nexa.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 5's terminal acceptance point, driven through tmux as a person would: {@code nexa boot}
 * on a real (pseudo-)terminal shows a prompt, {@code echo hi} prints hi, arrow-up recalls it,
 * Ctrl-C interrupts {@code sleep 100} and the shell survives, {@code exit} ends Nexa with status
 * 0 and the terminal has the settings it had before ({@code stty -g} before and after); and
 * {@code stty size} in the guest reports the pane's real size (TIOCGWINSZ).
 * <p>
 * Nexa runs as the launcher runs it (the same JVM options, {@code dev.nexa.cli.Main}), on the
 * test's class path: the jar may not be packaged yet while tests run.
 */
class TtyTmuxTest {
    static final long PROMPT_TIMEOUT_MS = 120_000, STEP_TIMEOUT_MS = 30_000;
    private final String socket = "nexa-tty-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();

    @AfterEach
    void killServer() throws Exception {
        tmux(List.of("kill-server"));
    }

    @Test
    void bootShellOnATerminal(@TempDir Path tmp) throws Exception {
        Assumptions.assumeTrue(hasTmux(), "needs the Debian package tmux");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(BuiltinInitramfs.BUSYBOX)), "needs the Debian package busybox-static");
        Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
        Path home = FixtureCase.fixtures().getParent();
        String nexa = String.join(" ", List.of(q(java.toString()), "--enable-native-access=ALL-UNNAMED", "-Xss16m",
                "-XX:+UseSerialGC", "-Dnexa.home=" + q(home.toString()), "-cp", q(System.getProperty("java.class.path")),
                "dev.nexa.cli.Main", "boot"));
        Path script = tmp.resolve("run.sh");
        Files.writeString(script, """
                cd %s
                stty -g > before
                %s
                echo $? > status.tmp && mv status.tmp status
                stty -g > after
                exec sleep 600
                """.formatted(q(tmp.toString()), nexa));
        tmux(List.of("new-session", "-d", "-s", "t", "-x", "100", "-y", "40", "sh " + q(script.toString())));

        waitFor(s -> promptCount(s) == 1, PROMPT_TIMEOUT_MS, "a prompt");

        keys("echo hi", "Enter");
        waitFor(s -> count(s, "hi") == 1 && promptCount(s) == 2, STEP_TIMEOUT_MS, "hi and a new prompt");

        keys("Up");
        waitFor(s -> lastLine(s).equals("nexa:~# echo hi"), STEP_TIMEOUT_MS, "arrow-up recalls echo hi");
        keys("Enter");
        waitFor(s -> count(s, "hi") == 2 && promptCount(s) == 3, STEP_TIMEOUT_MS, "the recalled command runs");

        keys("sleep 100", "Enter");
        waitFor(s -> lastLine(s).equals("nexa:~# sleep 100") && promptCount(s) == 3, STEP_TIMEOUT_MS, "sleep typed");
        Thread.sleep(3000);                      // let the shell fork and sleep get to its nanosleep
        long interrupted = System.nanoTime();
        keys("C-c");
        waitFor(s -> promptCount(s) == 4, STEP_TIMEOUT_MS, "a prompt after Ctrl-C");
        assertTrue(System.nanoTime() - interrupted < TimeUnit.SECONDS.toNanos(60), "Ctrl-C, not the end of sleep 100");
        assertTrue(capture().contains("^C"), "the terminal echoes ^C");

        keys("echo alive", "Enter");
        waitFor(s -> count(s, "alive") == 1, STEP_TIMEOUT_MS, "the shell survived Ctrl-C");

        // TIOCGWINSZ reports the real size: the tmux pane's.
        keys("stty size", "Enter");
        waitFor(s -> count(s, "40 100") == 1, STEP_TIMEOUT_MS, "stty size shows the pane's 40 rows, 100 columns");

        keys("exit", "Enter");
        Path status = tmp.resolve("status");
        long deadline = System.currentTimeMillis() + STEP_TIMEOUT_MS;
        while (!Files.exists(status) && System.currentTimeMillis() < deadline) Thread.sleep(100);
        assertTrue(Files.exists(status), "Nexa ended after exit:\n" + capture());
        assertEquals("0", Files.readString(status).strip(), "Nexa's status\n" + capture());
        deadline = System.currentTimeMillis() + STEP_TIMEOUT_MS;
        while (!Files.exists(tmp.resolve("after")) && System.currentTimeMillis() < deadline) Thread.sleep(100);
        assertEquals(Files.readString(tmp.resolve("before")), Files.readString(tmp.resolve("after")),
                "the terminal's settings are restored");
    }

    // ---- tmux ----------------------------------------------------------------------------------

    private static boolean hasTmux() {
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private String tmux(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("TERM", "xterm");
        pb.environment().remove("TMUX");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", "t"));
        args.addAll(List.of(keys));
        tmux(args);
    }

    private String capture() throws IOException, InterruptedException {
        String s = tmux(List.of("capture-pane", "-p", "-t", "t", "-S", "-200"));
        // Trailing blank lines are the empty rest of the pane.
        return s.replaceAll("[ \\n]+$", "");
    }

    private String waitFor(Predicate<String> ok, long timeoutMs, String what) throws Exception {
        long deadline = System.currentTimeMillis() + timeoutMs;
        String s = capture();
        while (!ok.test(s)) {
            if (System.currentTimeMillis() > deadline) fail("timed out waiting for " + what + "; the screen:\n" + s);
            Thread.sleep(200);
            s = capture();
        }
        return s;
    }

    private static String lastLine(String screen) {
        return screen.substring(screen.lastIndexOf('\n') + 1).stripTrailing();
    }

    private static long count(String screen, String line) {
        return screen.lines().filter(l -> l.stripTrailing().equals(line)).count();
    }

    private static long promptCount(String screen) {
        return screen.lines().filter(l -> l.startsWith("nexa:~#")).count();
    }

    private static String q(String s) { return "'" + s.replace("'", "'\\''") + "'"; }
}
