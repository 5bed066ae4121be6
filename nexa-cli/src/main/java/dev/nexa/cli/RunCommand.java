package dev.nexa.cli;

import dev.nexa.cli.trace.TraceOptions;
import dev.nexa.kernel.KernelConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code nexa run PROGRAM [ARGS...]}: run one program with the host's files visible read-only. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run an x86-64 Linux program.")
final class RunCommand implements Callable<Integer> {
    @Option(names = "--mem", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Guest physical memory, 1M to 64G (e.g. 512M, 2G; default 1G). A mapping that can never "
                    + "fit gets ENOMEM; running out of it kills the guest (exit status 137).")
    long memory = KernelConfig.DEFAULT_MEMORY;

    @Option(names = "--strace", description = "Print each system call in strace's format on stderr.")
    boolean strace;

    @Option(names = "--max-instructions", paramLabel = "N",
            description = "Stop the guest after N instructions (exit status 137, as for a CPU-time limit's SIGKILL).")
    long maxInstructions;

    @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Stop the guest after this much wall-clock time, e.g. 10s, 2m, 500ms (exit status 124).")
    Duration timeout;

    @Option(names = "--log", paramLabel = "WHAT", split = ",",
            description = "Kernel log categories on stderr: exec, mmap, signal, all.")
    List<String> log = new ArrayList<>();

    @Option(names = "--env", paramLabel = "K=V", description = "Set a guest environment variable (repeatable).")
    List<String> env = new ArrayList<>();

    @Option(names = "--root", paramLabel = "DIR", description = "Directory the guest sees as / (default: the host's /).")
    Path root = Path.of("/");

    @Option(names = "--seed", paramLabel = "N", description = "Make AT_RANDOM, getrandom and /dev/urandom reproducible.")
    Long seed;

    @Option(names = "--initramfs", paramLabel = "FILE",
            description = "Run with the files of a cpio archive (newc/crc, gzip allowed) as the root, in memory.")
    Path initramfs;

    @Option(names = "--stats", description = "At exit, print instructions, MIPS, block, decode-cache and TLB counts, syscalls and page faults on stderr.")
    boolean stats;

    @Mixin
    TraceOptions trace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "PROGRAM", description = "The program to run.")
    String program;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Its arguments.")
    List<String> args = new ArrayList<>();

    /** The guest's standard streams: the host's; tests that run the whole command line in-process swap them. */
    static volatile java.util.function.Supplier<GuestLauncher.Stdio> stdio = GuestLauncher.Stdio::host;

    /** Bounds of --mem: the kernel needs a few frames; frame bookkeeping costs 8 bytes of heap per 4 KiB. */
    static final long MIN_MEMORY = 1L << 20, MAX_MEMORY = 64L << 30;

    /**
     * Whether {@code args} is {@code run PROGRAM ARGS...} with nothing picocli would interpret: no
     * option or {@code --} before the program, and no {@code @file} argument (picocli expands those).
     */
    static boolean isPlain(String[] args) {
        if (args.length < 2 || !args[0].equals("run") || args[1].isEmpty() || args[1].startsWith("-")) return false;
        for (String a : args) if (a.startsWith("@")) return false;
        return true;
    }

    /** The command as picocli would have filled it for {@code run PROGRAM ARGS...}: every option at its default. */
    static RunCommand withDefaults(String program, List<String> args) {
        var c = new RunCommand();
        c.trace = new TraceOptions();
        c.program = program;
        c.args = new ArrayList<>(args);
        return c;
    }

    @Override
    public Integer call() {
        if (memory < MIN_MEMORY || memory > MAX_MEMORY) {
            throw new CommandLine.ParameterException(spec.commandLine(), // never reached by withDefaults
                    "--mem " + memory + ": must be between 1M and 64G");
        }
        List<String> argv = new ArrayList<>();
        argv.add(program);
        argv.addAll(args);
        List<String> envp = new ArrayList<>();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) envp.add(e.getKey() + "=" + e.getValue());
        envp.sort(null);
        envp.addAll(env);
        var options = new GuestLauncher.Options(memory, root, maxInstructions, Set.copyOf(log), strace, seed)
                .withInitramfs(initramfs).withTimeout(timeout);
        String cwd = initramfs != null ? "/" : guestCwd();
        TraceOptions.Session session;
        try {
            session = trace.open(spec == null ? null : spec.commandLine());
        } catch (IOException e) {
            System.err.println("nexa: --trace " + trace.file() + ": cannot write: " + e.getMessage());
            return 125;
        }
        int status = 125;
        // The trace ends properly however the run ends: guest exit, fatal signal, instruction limit, error.
        try (session) {
            status = GuestLauncher.run(options.withTrace(session.config()), program, argv, envp, cwd,
                    stdio.get(), System.err, stats);
        } catch (IOException e) {
            System.err.println("nexa: --trace " + session.file() + ": write failed: " + e.getMessage());
        }
        System.out.flush();
        return status;
    }

    /** The guest starts where Nexa was started, as seen from the guest's root (else at /). */
    private String guestCwd() {
        Path cwd = Path.of("").toAbsolutePath().normalize();
        Path r = root.toAbsolutePath().normalize();
        if (!cwd.startsWith(r)) return "/";
        String rel = r.relativize(cwd).toString();
        return rel.isEmpty() ? "/" : "/" + rel;
    }
}
