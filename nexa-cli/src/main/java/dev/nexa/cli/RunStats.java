package dev.nexa.cli;

import dev.nexa.cpu.CpuStats;
import dev.nexa.kernel.Kernel;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Locale;

/**
 * What {@code --stats} prints on stderr when the guest is done: how much it executed and how
 * the engine's caches did. Every line starts with {@code nexa stats: } (the bench command reads
 * the instruction count from it).
 */
final class RunStats {
    private final long startNanos = System.nanoTime();
    private final long startCpu = threadCpuNanos();

    /** The emulating thread's CPU time (the kernel drives every guest task on one thread). */
    private static long threadCpuNanos() {
        var bean = ManagementFactory.getThreadMXBean();
        return bean.isCurrentThreadCpuTimeSupported() ? bean.getCurrentThreadCpuTime() : -1;
    }

    void print(Kernel kernel, PrintStream out) {
        double wall = (System.nanoTime() - startNanos) / 1e9;
        long cpuNow = threadCpuNanos();
        double cpu = cpuNow < 0 || startCpu < 0 ? Double.NaN : (cpuNow - startCpu) / 1e9;
        CpuStats s = kernel.cpuStats();
        long n = s.instructions();
        line(out, "instructions", "%d", n);
        line(out, "wall time", "%.3f s (from the first guest instruction to the exit; JVM start-up and loading not included)", wall);
        line(out, "CPU time", "%.3f s (the emulating thread)", cpu);
        line(out, "MIPS", "%.1f per wall second, %.1f per CPU second", n / wall / 1e6, n / cpu / 1e6);
        long blocks = s.blocks();
        line(out, "blocks executed", "%d (%.1f instructions each; %.1f%% found by chaining, %.2f%% missed the per-CPU table)",
                blocks, ratio(n, blocks), 100 * ratio(s.chained(), blocks), 100 * ratio(s.lookupMisses(), blocks));
        line(out, "decode cache", "%.4f%% hits (%d blocks decoded)", 100 * (1 - ratio(s.decoded(), blocks)), s.decoded());
        line(out, "TLB misses", "%d (%.1f per million instructions; hits are not counted)", s.tlbMisses(),
                ratio(s.tlbMisses(), n) * 1e6);
        line(out, "syscalls", "%d", kernel.syscalls());
        line(out, "page faults", "%d", kernel.pageFaults());
    }

    private static double ratio(long a, long b) { return b == 0 ? 0 : (double) a / b; }

    private static void line(PrintStream out, String what, String format, Object... args) {
        out.printf(Locale.ROOT, "nexa stats: %-16s %s%n", what, String.format(Locale.ROOT, format, args));
    }
}
