package dev.nexa.kernel;

import dev.nexa.kernel.trace.TraceConfig;
import dev.nexa.kernel.vfs.Vfs;

import java.io.PrintStream;
import java.util.Set;
import java.util.function.Function;

/**
 * How a {@link Kernel} is set up.
 *
 * @param memoryBytes      guest physical RAM (--mem)
 * @param rootFs           builds the file system the guest sees, given the kernel
 * @param maxInstructions  stop the guest after this many instructions (0 = no limit)
 * @param log              which kernel log categories go to {@code console}: "exec", "mmap", "signal", ...
 * @param strace           print every syscall in strace's format on {@code console}
 * @param console          where Nexa's own messages go (stderr)
 * @param randomSeed       seed for AT_RANDOM, getrandom and /dev/urandom, or null for real randomness
 * @param trace            which trace events to record and where they go (--trace)
 */
public record KernelConfig(long memoryBytes, Function<Kernel, Vfs> rootFs, long maxInstructions, Set<String> log,
                           boolean strace, PrintStream console, Long randomSeed, TraceConfig trace) {
    public static final long DEFAULT_MEMORY = 1L << 30;

    public KernelConfig {
        log = Set.copyOf(log);
        if (trace == null) trace = TraceConfig.OFF;
    }

    /** Without tracing. */
    public KernelConfig(long memoryBytes, Function<Kernel, Vfs> rootFs, long maxInstructions, Set<String> log,
                        boolean strace, PrintStream console, Long randomSeed) {
        this(memoryBytes, rootFs, maxInstructions, log, strace, console, randomSeed, TraceConfig.OFF);
    }

    public boolean logs(String category) { return log.contains(category) || log.contains("all"); }
}
