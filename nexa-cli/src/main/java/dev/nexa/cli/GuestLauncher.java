package dev.nexa.cli;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.KernelConfig;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.initramfs.CpioFormatException;
import dev.nexa.kernel.initramfs.CpioReader;
import dev.nexa.kernel.trace.TraceConfig;
import dev.nexa.kernel.vfs.HostStreamFile;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.RootFs;
import dev.nexa.kernel.vfs.Vfs;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
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
     */
    public record Options(long memory, Path root, Path initramfs, long maxInstructions, Set<String> log, boolean strace,
                          Long seed, TraceConfig trace) {
        public Options {
            log = Set.copyOf(log);
            if (trace == null) trace = TraceConfig.OFF;
        }

        /** A run on a host directory root, without tracing. */
        public Options(long memory, Path root, long maxInstructions, Set<String> log, boolean strace, Long seed) {
            this(memory, root, null, maxInstructions, log, strace, seed, TraceConfig.OFF);
        }

        public static Options defaults() {
            return new Options(KernelConfig.DEFAULT_MEMORY, Path.of("/"), 0, Set.of(), false, null);
        }

        public Options withTrace(TraceConfig t) {
            return new Options(memory, root, initramfs, maxInstructions, log, strace, seed, t);
        }

        public Options withInitramfs(Path archive) {
            return new Options(memory, root, archive, maxInstructions, log, strace, seed, trace);
        }
    }

    /** The three standard streams of the guest. */
    public record Stdio(OpenFile in, OpenFile out, OpenFile err) {
        public static Stdio host() {
            return new Stdio(HostStreamFile.stdin(), HostStreamFile.stdout(), HostStreamFile.stderr());
        }
    }

    private GuestLauncher() {}

    /** The root file system the options ask for, or null after reporting why it cannot be built. */
    static Function<Kernel, Vfs> rootFs(Options o, String cwd, PrintStream console) {
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

    public static int run(Options o, String program, List<String> argv, List<String> envp, String cwd, Stdio stdio,
                          PrintStream console) {
        Function<Kernel, Vfs> rootFs = rootFs(o, cwd, console);
        if (rootFs == null) return 125;
        KernelConfig cfg = new KernelConfig(o.memory(), rootFs, o.maxInstructions(), o.log(), o.strace(), console,
                o.seed(), o.trace());
        try (Kernel kernel = new Kernel(cfg)) {
            try {
                kernel.useHostParent();      // the program runs as a shell's child would, not as pid 1
                kernel.spawn(program, argv, envp, cwd, stdio.in(), stdio.out(), stdio.err());
            } catch (ErrnoException e) {
                return reportExecFailure(program, e, console);
            }
            return kernel.run();
        }
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
