package dev.nexa.cli;

import dev.nexa.cli.trace.TraceFormat;
import dev.nexa.cli.trace.TraceWriter;
import dev.nexa.kernel.trace.TraceConfig;
import dev.nexa.kernel.trace.TraceKind;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What tracing costs: runs a syscall-heavy guest with tracing off and on and prints the
 * slowdown ratios. Whole-program wall time, median of several rounds after warm-up rounds.
 * Not a test: nothing asserts a time. Run it with
 * <pre>
 *   .ci/trace-bench [ITERATIONS] [RUNS]
 * </pre>
 * The guest is fixtures/bin/musl-static/sys (snprintf + write to /dev/null) when it runs under
 * Nexa, else a loop of ITERATIONS getpid calls built with ElfWriter (one syscall per ~3
 * instructions: the worst case for per-call overhead).
 */
public final class TraceOverheadBenchmark {
    /** One configuration: how the run is traced. */
    record Mode(String name, TraceFormat format, Set<TraceKind> kinds, boolean strace) {}

    static final List<Mode> MODES = List.of(
            new Mode("off", null, Set.of(), false),
            new Mode("jsonl, all events", TraceFormat.jsonl, TraceKind.all(), false),
            new Mode("chrome, all events", TraceFormat.chrome, TraceKind.all(), false),
            new Mode("jsonl, exec+process only", TraceFormat.jsonl, Set.of(TraceKind.EXEC, TraceKind.PROCESS), false),
            new Mode("strace to a null stream", null, Set.of(), true));

    /** Trace bytes the last run of each mode wrote. */
    static final Map<Mode, Long> BYTES = new java.util.concurrent.ConcurrentHashMap<>();

    private TraceOverheadBenchmark() {}

    /**
     * Median wall time in nanoseconds of each mode, in {@link #MODES} order. The modes take
     * turns within each round, so JIT warm-up and machine noise fall on all of them alike.
     */
    static Map<Mode, Long> measure(Path program, List<String> args, int warmupRounds, int rounds, Path dir) throws Exception {
        long[][] t = new long[MODES.size()][rounds];
        for (int round = -warmupRounds; round < rounds; round++) {
            for (int m = 0; m < MODES.size(); m++) {
                Mode mode = MODES.get(m);
                System.gc();                   // the previous mode's garbage is not this one's cost
                long start = System.nanoTime();
                int status = runOnce(program, args, mode, dir.resolve("bench-trace"));
                long took = System.nanoTime() - start;
                Path trace = dir.resolve("bench-trace");
                BYTES.put(mode, Files.exists(trace) ? Files.size(trace) : 0L);
                Files.deleteIfExists(trace);                        // truncating a big file would bill the next mode
                if (status != 0) throw new IllegalStateException(program + " ended with status " + status + " in mode " + mode.name());
                if (round >= 0) t[m][round] = took;
            }
        }
        Map<Mode, Long> out = new LinkedHashMap<>();
        for (int m = 0; m < MODES.size(); m++) {
            Arrays.sort(t[m]);
            out.put(MODES.get(m), t[m][rounds / 2]);
        }
        return out;
    }

    private static int runOnce(Path program, List<String> args, Mode m, Path traceFile) throws Exception {
        List<String> argv = new ArrayList<>();
        argv.add(program.toString());
        argv.addAll(args);
        PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
        var opts = new GuestLauncher.Options(256L << 20, Path.of("/"), 0, Set.of(), m.strace(), 1L);
        var stdio = new GuestLauncher.Stdio(new GuestRun.BytesFile(new byte[0]), new GuestRun.CaptureFile("out"),
                new GuestRun.CaptureFile("err"));
        if (m.format() == null) return GuestLauncher.run(opts, program.toString(), argv, GuestRun.ENV, "/", stdio, nowhere);
        try (TraceWriter w = TraceWriter.open(traceFile, m.format())) {
            return GuestLauncher.run(opts.withTrace(new TraceConfig(w, m.kinds(), TraceConfig.ALL_PIDS)), program.toString(),
                    argv, GuestRun.ENV, "/", stdio, nowhere);
        }
    }

    /** The guest to measure: sys if this build can run it, else the getpid loop. */
    static Map.Entry<Path, List<String>> guest(long iterations, Path dir) throws Exception {
        Path sys = FixtureCase.fixtures().resolve("bin/musl-static/sys").toAbsolutePath();
        List<String> sysArgs = List.of(Long.toString(Math.max(1, iterations / 10)));
        if (Files.isExecutable(sys) && runOnce(sys, sysArgs, MODES.getFirst(), dir.resolve("probe")) == 0) {
            return Map.entry(sys, sysArgs);
        }
        return Map.entry(TinyAsm.getpidLoop(iterations).writeTo(dir, "getpid-loop"), List.of());
    }

    public static void main(String[] args) throws Exception {
        long iterations = args.length > 0 ? Long.parseLong(args[0]) : 500_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("nexa-trace-bench");
        try {
            var guest = guest(iterations, dir);
            System.out.printf("guest: %s %s (median of %d rounds after 3 warm-up rounds)%n", guest.getKey(),
                    String.join(" ", guest.getValue()), runs);
            Map<Mode, Long> t = measure(guest.getKey(), guest.getValue(), 3, runs, dir);
            long off = t.get(MODES.getFirst());
            for (var e : t.entrySet()) {
                System.out.printf("  %-28s %10.1f ms   x%6.2f   %,14d trace bytes%n", e.getKey().name(), e.getValue() / 1e6,
                        (double) e.getValue() / off, BYTES.getOrDefault(e.getKey(), 0L));
            }
        } finally {
            try (var s = Files.walk(dir)) {
                for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
            }
        }
    }
}
