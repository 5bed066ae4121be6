package dev.nexa.cli;

import dev.nexa.cli.trace.TraceOptions;
import dev.nexa.kernel.KernelConfig;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code nexa boot [INITRAMFS] [--init PATH] [-- ARGS]}: what the Linux kernel does with an
 * initramfs — unpack it into an in-memory root, mount /proc and /dev, and run /init as pid 1 on
 * the console. Without an archive, a built-in one (the host's busybox, a banner, a shell).
 * Nexa exits with init's status.
 */
@Command(name = "boot", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Boot a cpio initramfs and run its /init as pid 1 (default: a built-in busybox system).")
final class BootCommand implements Callable<Integer> {
    @Option(names = "--mem", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Guest physical memory (e.g. 512M, 2G; default 1G).")
    long memory = KernelConfig.DEFAULT_MEMORY;

    @Option(names = "--init", paramLabel = "PATH", description = "Run this instead of /init (like the kernel's rdinit=).")
    String init = "/init";

    @Option(names = "--strace", description = "Print each system call in strace's format on stderr.")
    boolean strace;

    @Option(names = "--max-instructions", paramLabel = "N", description = "Stop after N instructions.")
    long maxInstructions;

    @Option(names = "--log", paramLabel = "WHAT", split = ",", description = "Kernel log categories on stderr: exec, mmap, signal, all.")
    List<String> log = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Make AT_RANDOM, getrandom and /dev/urandom reproducible.")
    Long seed;

    @Option(names = "--stats", description = "At exit, print instructions, MIPS, block, decode-cache and TLB counts, syscalls and page faults on stderr.")
    boolean stats;

    @Mixin
    TraceOptions trace;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "INITRAMFS", description = "A cpio archive (newc/crc, gzip allowed).")
    Path initramfs;

    @Parameters(index = "1..*", paramLabel = "ARGS", description = "Arguments for init (after --).")
    List<String> args = new ArrayList<>();

    @Override
    public Integer call() {
        byte[] image = null;
        if (initramfs == null) {
            try {
                image = BuiltinInitramfs.build(fixtures());
            } catch (IOException e) {
                System.err.println("nexa: cannot assemble the built-in initramfs: " + e.getMessage());
                return 125;
            }
        } else if (!Files.isRegularFile(initramfs)) {
            System.err.println("nexa: " + initramfs + ": No such file");
            return 125;
        }
        List<String> argv = new ArrayList<>();
        argv.add(init);
        argv.addAll(args);
        // The environment the kernel gives init (init/main.c envp_init), plus the terminal type.
        String term = System.getenv("TERM");
        List<String> envp = List.of("HOME=/", "TERM=" + (term == null || term.isEmpty() ? "linux" : term));
        var options = new GuestLauncher.Options(memory, Path.of("/"), maxInstructions, Set.copyOf(log), strace, seed)
                .asBoot(initramfs, image);
        TraceOptions.Session session;
        try {
            session = trace.open(spec.commandLine());
        } catch (IOException e) {
            System.err.println("nexa: --trace " + trace.file() + ": cannot write: " + e.getMessage());
            return 125;
        }
        int status = 125;
        try (session) {
            status = GuestLauncher.run(options.withTrace(session.config()), init, argv, envp, "/",
                    GuestLauncher.Stdio.host(), System.err, stats);
        } catch (IOException e) {
            System.err.println("nexa: --trace " + session.file() + ": write failed: " + e.getMessage());
        }
        System.out.flush();
        return status;
    }

    /** The project's fixtures, when Nexa runs from its source tree (the launcher says where). */
    private static Path fixtures() {
        String home = System.getProperty("nexa.home");
        return home == null ? Path.of("fixtures") : Path.of(home, "fixtures");
    }
}
