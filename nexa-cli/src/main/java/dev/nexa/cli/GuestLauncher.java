package dev.nexa.cli;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.KernelConfig;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.initramfs.CpioFormatException;
import dev.nexa.kernel.initramfs.CpioReader;
import dev.nexa.kernel.trace.TraceConfig;
import dev.nexa.kernel.tty.HostTerminal;
import dev.nexa.kernel.tty.Termios;
import dev.nexa.kernel.tty.Tty;
import dev.nexa.kernel.tty.TtyDriver;
import dev.nexa.kernel.vfs.HostStreamFile;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.RootFs;
import dev.nexa.kernel.vfs.Vfs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.function.Function;

/**
 * Builds a kernel for one program run and runs it: what {@code nexa run} does, reusable by
 * tests (which pass their own standard streams). Returns the status a shell would report.
 */
public final class GuestLauncher {
    /**
     * Everything about a run except the program and its streams.
     *
     * @param initramfs a cpio archive to use as the root instead of the host directory {@code root}, or null
     * @param image     the archive's bytes when it is built in memory (the built-in initramfs), or null
     * @param boot      the program is pid 1, as the kernel starts /init: no parent, and its exit is reported
     *                  the way Linux reports init dying
     */
    public record Options(long memory, Path root, Path initramfs, byte[] image, boolean boot, long maxInstructions,
                          Set<String> log, boolean strace, Long seed, TraceConfig trace, Duration timeout) {
        public Options {
            log = Set.copyOf(log);
            if (trace == null) trace = TraceConfig.OFF;
        }

        /** A run on a host directory root, without tracing. */
        public Options(long memory, Path root, long maxInstructions, Set<String> log, boolean strace, Long seed) {
            this(memory, root, null, null, false, maxInstructions, log, strace, seed, TraceConfig.OFF, null);
        }

        public static Options defaults() {
            return new Options(KernelConfig.DEFAULT_MEMORY, Path.of("/"), 0, Set.of(), false, null);
        }

        public Options withTrace(TraceConfig t) {
            return new Options(memory, root, initramfs, image, boot, maxInstructions, log, strace, seed, t, timeout);
        }

        /** Stops the guest after {@code limit} of wall-clock time (exit status 124); null for no limit. */
        public Options withTimeout(Duration limit) {
            return new Options(memory, root, initramfs, image, boot, maxInstructions, log, strace, seed, trace, limit);
        }

        public Options withInitramfs(Path archive) {
            return new Options(memory, root, archive, image, boot, maxInstructions, log, strace, seed, trace, timeout);
        }

        /** Boot: run {@code program} as pid 1 on an initramfs (the file, or {@code bytes} if given). */
        public Options asBoot(Path archive, byte[] bytes) {
            return new Options(memory, root, archive, bytes, true, maxInstructions, log, strace, seed, trace, timeout);
        }
    }

    /**
     * The three standard streams of the guest and, when the console is a terminal, its driver.
     * A null stream next to a terminal means "the console" (a file on /dev/console).
     *
     * @param terminal the console's terminal, or null for a plain-stream console
     * @param settings the terminal's initial settings (with {@code terminal})
     */
    public record Stdio(OpenFile in, OpenFile out, OpenFile err, TtyDriver terminal, Termios settings) {
        public Stdio(OpenFile in, OpenFile out, OpenFile err) { this(in, out, err, null, null); }

        /**
         * Nexa's own standard streams. When standard input is a terminal the console is a tty on
         * it, and each standard stream that is that terminal is a file on the console; the
         * others (a redirected stdout, say) stay plain streams.
         */
        public static Stdio host() {
            HostTerminal host = HostTerminal.onStandardInput();
            if (host == null) return new Stdio(HostStreamFile.stdin(), HostStreamFile.stdout(), HostStreamFile.stderr());
            return new Stdio(null, host.isOutput(1) ? null : HostStreamFile.stdout(),
                    host.isOutput(2) ? null : HostStreamFile.stderr(), host, host.originalSettings());
        }

        /** Every stream is the console, a terminal on {@code driver} (tests drive one this way). */
        public static Stdio terminal(TtyDriver driver, Termios settings) {
            return new Stdio(null, null, null, driver, settings);
        }
    }

    private GuestLauncher() {}

    /**
     * Set by {@link Main#main} only: the JVM exits as soon as the run returns, so the kernel
     * leaves guest RAM to the host ({@link Kernel#closeBeforeExit}). Tests run many guests in one
     * JVM and keep unmapping each one's RAM.
     */
    static volatile boolean processExitsAfterRun;

    /** The root file system the options ask for, or null after reporting why it cannot be built. */
    static Function<Kernel, Vfs> rootFs(Options o, String cwd, PrintStream console) {
        if (o.image() != null) {
            try {
                return RootFs.initramfs(new CpioReader().read("built-in initramfs", o.image()).unpack());
            } catch (CpioFormatException e) {
                console.println("nexa: built-in initramfs: " + e.getMessage());
                return null;
            }
        }
        if (o.initramfs() != null) {
            try {
                return RootFs.initramfs(new CpioReader().read(o.initramfs()).unpack());
            } catch (java.nio.file.NoSuchFileException e) {
                console.println("nexa: initramfs " + o.initramfs() + ": No such file or directory");
            } catch (IOException | CpioFormatException e) {
                console.println("nexa: initramfs " + o.initramfs() + ": " + e.getMessage());
            }
            return null;
        }
        try {
            return RootFs.host(o.root(), cwd);
        } catch (ErrnoException e) {
            console.println("nexa: --root " + o.root() + ": " + e.errno().description);
            return null;
        }
    }

    /**
     * Runs {@code program} and returns the status a shell would report. With a terminal in
     * {@code stdio}, the host terminal is raw while the guest runs and restored on every way
     * out (the kernel's close, and a shutdown hook for signals that end the JVM).
     */
    public static int run(Options o, String program, List<String> argv, List<String> envp, String cwd, Stdio stdio,
                          PrintStream console) {
        return run(o, program, argv, envp, cwd, stdio, console, false);
    }

    /** Like the other, printing the execution statistics on {@code console} at the end when {@code stats}. */
    public static int run(Options o, String program, List<String> argv, List<String> envp, String cwd, Stdio stdio,
                          PrintStream console, boolean stats) {
        Function<Kernel, Vfs> rootFs = rootFs(o, cwd, console);
        if (rootFs == null) return 125;
        // While the host terminal is raw, Nexa's own lines need CR LF.
        PrintStream messages = stdio.terminal() instanceof HostTerminal h ? h.messages(console) : console;
        KernelConfig cfg = new KernelConfig(o.memory(), rootFs, o.maxInstructions(), o.log(), o.strace(), messages,
                o.seed(), o.trace());
        Main.mark("before kernel");
        Kernel kernel = new Kernel(cfg);
        try {
            Main.mark("kernel built");
            kernel.setTimeLimit(o.timeout());
            OpenFile in = stdio.in(), out = stdio.out(), err = stdio.err();
            try {
                if (!o.boot()) kernel.useHostParent();    // a shell's child, not pid 1
                if (stdio.terminal() != null) {
                    Tty tty = kernel.console().attach(stdio.terminal(), stdio.settings());
                    // Like console_on_rootfs: one file on /dev/console, shared by the standard streams.
                    OpenFile con = kernel.console().openForInit(kernel.vfs());
                    in = in != null ? in : share(con);
                    out = out != null ? out : share(con);
                    err = err != null ? err : share(con);
                    con.close();
                    // nexa run: the program belongs to the host shell's session, whose terminal this is.
                    if (!o.boot()) tty.assignTo(kernel.pid1());
                } else {
                    kernel.console().useStreams(in, out);
                }
                Main.mark("before spawn");
                kernel.spawn(program, argv, envp, cwd, in, out, err);
                Main.mark("spawned");
            } catch (ErrnoException e) {
                kernel.console().close();
                if (o.boot()) {
                    // Linux: "Kernel panic - not syncing: No working init found."
                    console.println("nexa: cannot run " + program + " as init: " + e.getMessage());
                    return e.errno() == Errno.ENOENT ? 127 : 126;
                }
                return reportExecFailure(program, e, console);
            }
            RunStats counting = stats ? new RunStats() : null;
            int status = kernel.run();
            Main.mark("guest exited");
            kernel.console().close();                   // the host terminal is itself again
            if (counting != null) counting.print(kernel, console);
            if (o.boot() && kernel.stopReason() == null) {
                int wait = kernel.init().waitStatus();
                console.println(String.format("nexa: init exited (status %d): Attempted to kill init! exitcode=0x%08x",
                        status, wait));
            }
            return status;
        } finally {
            if (processExitsAfterRun) kernel.closeBeforeExit();
            else kernel.close();
        }
    }

    /** One more descriptor's reference to {@code f}. */
    private static OpenFile share(OpenFile f) {
        f.retain();
        return f;
    }

    /** Like a shell: 127 when the program is missing, 126 when it cannot be executed. */
    static int reportExecFailure(String program, ErrnoException e, PrintStream console) {
        String what = switch (e.errno()) {
            case ENOENT -> "No such file or directory";
            case ENOEXEC -> "exec format error";
            case EACCES -> "Permission denied";
            default -> e.errno().description;
        };
        String detail = e.getMessage();
        console.println("nexa: " + program + ": " + what + (detail.contains(": ") ? " (" + detail + ")" : ""));
        return e.errno() == Errno.ENOENT ? 127 : 126;
    }
}
