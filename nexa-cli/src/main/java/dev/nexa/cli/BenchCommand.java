package dev.nexa.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code nexa bench}: the six benchmark programs of fixtures/bench (and hello world) run
 * natively, under {@code qemu-x86_64} when it is installed, and under Nexa as a user runs it (the
 * launcher, JVM start included), each several times. Checks that every run printed what the
 * native run printed, and prints wall times (medians), MIPS (the guest instruction count Nexa
 * reports with {@code --stats}, divided by the wall time), the ratios and their geometric means,
 * and peak RSS when GNU time is there to measure it. Prints numbers; asserts nothing about them.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Run the benchmark programs natively, under qemu-x86_64 and under Nexa; print times, MIPS and ratios.")
final class BenchCommand implements Callable<Integer> {
    /** The programs, with their small and default size arguments (fixtures/bench/*.c; ../shared/bench/README.md). */
    static final Map<String, String[]> PROGRAMS = new LinkedHashMap<>();

    static {
        PROGRAMS.put("alu", new String[] {"2000000", "60000000"});
        PROGRAMS.put("mem", new String[] {"2", "20"});
        PROGRAMS.put("str", new String[] {"200000", "5000000"});
        PROGRAMS.put("fp", new String[] {"100000", "3000000"});
        PROGRAMS.put("call", new String[] {"30", "39"});
        PROGRAMS.put("sys", new String[] {"20000", "400000"});
    }

    @Option(names = "--size", paramLabel = "small|default", description = "Workload size (default: default; small takes seconds).")
    String size = "default";

    @Option(names = "--runs", paramLabel = "N", description = "Runs per program and engine; the median is reported (default 3).")
    int runs = 3;

    @Option(names = "--variant", paramLabel = "V", description = "Fixture build: musl-static (default), musl-dynamic, glibc-dynamic.")
    String variant = "musl-static";

    @Option(names = "--only", paramLabel = "PROG", split = ",", description = "Only these programs (alu,mem,str,fp,call,sys,hello).")
    List<String> only = new ArrayList<>();

    @Option(names = "--no-qemu", description = "Do not run qemu-x86_64 even when it is installed.")
    boolean noQemu;

    @Option(names = "--nexa-opt", paramLabel = "OPT", description = "An extra option for `nexa run` (repeatable), e.g. --nexa-opt=--no-jit.")
    List<String> nexaOptions = new ArrayList<>();

    /** One measured run: wall seconds, CPU seconds (user + system), peak RSS, what it printed. */
    record Run(double seconds, double cpuSeconds, long rssKb, String stdout, long instructions) {}

    /** The medians of one engine on one program; {@code consistent} when every run printed the same. */
    record Result(double seconds, double cpuSeconds, long rssKb, long instructions, String stdout, boolean consistent) {
        boolean matches(Result reference) { return consistent && stdout.equals(reference.stdout); }
    }

    @Override
    public Integer call() throws Exception {
        if (!size.equals("small") && !size.equals("default")) {
            System.err.println("nexa bench: --size must be small or default");
            return 125;
        }
        runs = Math.max(1, runs);
        Path home = Path.of(System.getProperty("nexa.home", "."));
        Path bin = home.resolve("fixtures/bin").resolve(variant);
        Path launcher = home.resolve("nexa");
        if (!Files.isDirectory(bin) || !Files.isExecutable(launcher)) {
            System.err.println("nexa bench: needs the source tree (" + bin + ", " + launcher + ")");
            return 125;
        }
        String qemu = noQemu ? null : onPath("qemu-x86_64");
        String time = Files.isExecutable(Path.of("/usr/bin/time")) ? "/usr/bin/time" : null;
        int sizeIndex = size.equals("small") ? 0 : 1;
        List<String> names = new ArrayList<>(PROGRAMS.keySet());
        names.add("hello");
        if (!only.isEmpty()) names.retainAll(only);

        System.out.printf(Locale.ROOT, "nexa bench: %s, size %s, median of %d run(s); qemu: %s; peak RSS: %s%n",
                variant, size, runs, qemu == null ? "not installed" : qemu, time == null ? "unknown (no /usr/bin/time)" : "GNU time");
        System.out.printf(Locale.ROOT, "host: %s, %d CPUs, load average %s%n%n", cpuModel(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.printf(Locale.ROOT, "%-7s %12s %9s %9s %9s %9s %9s %9s %9s %11s %9s %9s %9s  %s%n",
                "prog", "insns", "native s", "qemu s", "nexa s", "nexa cpu", "qemu MIPS", "nexa MIPS", "nexa/qemu",
                "nexa/native", "native KB", "qemu KB", "nexa KB", "output");
        boolean allOk = true;
        List<double[]> ratios = new ArrayList<>();     // {nexaMips, qemuMips, nexa/qemu, nexa/native}
        for (String name : names) {
            Path prog = bin.resolve(name);
            if (!Files.isExecutable(prog)) {
                System.out.printf("%-7s missing: %s%n", name, prog);
                allOk = false;
                continue;
            }
            List<String> args = new ArrayList<>();
            args.add(prog.toString());
            if (PROGRAMS.containsKey(name)) args.add(PROGRAMS.get(name)[sizeIndex]);
            Result nat = measure(time, List.of(), args);
            Result q = qemu == null ? null : measure(time, List.of(qemu), args);
            List<String> nexaCmd = new ArrayList<>(List.of(launcher.toString(), "run", "--stats"));
            nexaCmd.addAll(nexaOptions);
            Result nx = measure(time, nexaCmd, args);
            boolean qOk = q == null || q.matches(nat);
            boolean nOk = nx.matches(nat);
            allOk &= qOk && nOk;
            long insns = nx.instructions();
            double nexaMips = insns / nx.seconds() / 1e6;
            double qemuMips = q == null ? Double.NaN : insns / q.seconds() / 1e6;
            double vsQemu = q == null ? Double.NaN : nx.seconds() / q.seconds();
            double vsNative = nx.seconds() / nat.seconds();
            if (PROGRAMS.containsKey(name)) ratios.add(new double[] {nexaMips, qemuMips, vsQemu, vsNative});
            String output = nOk && qOk ? "same as native" : "DIFFERS:" + (nOk ? "" : " nexa") + (qOk ? "" : " qemu");
            System.out.printf(Locale.ROOT, "%-7s %12d %9.3f %9s %9.3f %9s %9s %9.1f %9s %11.1f %9s %9s %9s  %s%n",
                    name, insns, nat.seconds(), q == null ? "-" : fmt("%.3f", q.seconds()), nx.seconds(),
                    Double.isNaN(nx.cpuSeconds()) ? "-" : fmt("%.3f", nx.cpuSeconds()),
                    q == null ? "-" : fmt("%.1f", qemuMips), nexaMips, q == null ? "-" : fmt("%.2f", vsQemu), vsNative,
                    kb(nat.rssKb()), q == null ? "-" : kb(q.rssKb()), kb(nx.rssKb()), output);
        }
        if (ratios.size() > 1) {
            System.out.printf(Locale.ROOT, "%-7s %12s %9s %9s %9s %9s %9s %9.1f %9s %11.1f%n", "geomean", "", "", "", "", "",
                    qemu == null ? "-" : fmt("%.1f", geomean(ratios, 1)), geomean(ratios, 0),
                    qemu == null ? "-" : fmt("%.2f", geomean(ratios, 2)), geomean(ratios, 3));
        }
        System.out.println();
        System.out.println("MIPS: guest instructions counted by Nexa (--stats) / median wall seconds of the whole process"
                + " (JVM start included for Nexa);");
        System.out.println("nexa cpu: user + system seconds (the JVM's compiler threads included); ratios > 1: Nexa is slower;"
                + " KB: peak RSS.");
        return allOk ? 0 : 1;
    }

    private static String fmt(String f, double v) { return String.format(Locale.ROOT, f, v); }

    private static String kb(long v) { return v < 0 ? "-" : Long.toString(v); }

    private static double geomean(List<double[]> rows, int col) {
        double s = 0;
        for (double[] r : rows) s += Math.log(r[col]);
        return Math.exp(s / rows.size());
    }

    /** Runs {@code prefix + args} {@code runs} times: the medians, and the first run's output. */
    private Result measure(String time, List<String> prefix, List<String> args) throws IOException, InterruptedException {
        Run[] all = new Run[runs];
        for (int k = 0; k < runs; k++) all[k] = runOnce(time, prefix, args);
        double[] secs = Arrays.stream(all).mapToDouble(Run::seconds).sorted().toArray();
        double[] cpu = Arrays.stream(all).mapToDouble(Run::cpuSeconds).sorted().toArray();
        long[] rss = Arrays.stream(all).mapToLong(Run::rssKb).sorted().toArray();
        boolean same = true;
        for (Run r : all) same &= r.stdout().equals(all[0].stdout());
        return new Result(secs[secs.length / 2], cpu[cpu.length / 2], rss[rss.length / 2], all[0].instructions(),
                all[0].stdout(), same);
    }

    private static final Pattern INSTRUCTIONS = Pattern.compile("(?m)^nexa stats: instructions\\s+(\\d+)");

    private Run runOnce(String time, List<String> prefix, List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        File rssFile = null;
        if (time != null) {
            rssFile = File.createTempFile("nexa-bench", ".time");
            cmd.addAll(List.of(time, "-f", "%M %U %S", "-o", rssFile.toString()));
        }
        cmd.addAll(prefix);
        cmd.addAll(args);
        File out = File.createTempFile("nexa-bench", ".out"), err = File.createTempFile("nexa-bench", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(out).redirectError(err);
            long t0 = System.nanoTime();
            Process p = pb.start();
            p.waitFor();
            double secs = (System.nanoTime() - t0) / 1e9;
            String stdout = Files.readString(out.toPath(), StandardCharsets.UTF_8);
            String stderr = Files.readString(err.toPath(), StandardCharsets.UTF_8);
            long rss = -1;
            double cpu = Double.NaN;
            if (rssFile != null) {
                // GNU time's last line (a killed command gets a "Command terminated" line first).
                String[] lines = Files.readString(rssFile.toPath()).trim().split("\n");
                String[] f = lines[lines.length - 1].trim().split(" ");
                try {
                    rss = Long.parseLong(f[0]);
                    cpu = Double.parseDouble(f[1]) + Double.parseDouble(f[2]);
                } catch (RuntimeException e) {
                    rss = -1;
                }
            }
            Matcher m = INSTRUCTIONS.matcher(stderr);
            long insns = m.find() ? Long.parseLong(m.group(1)) : 0;
            return new Run(secs, cpu, rss, stdout, insns);
        } finally {
            out.delete();
            err.delete();
            if (rssFile != null) rssFile.delete();
        }
    }

    private static String onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }

    private static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).trim();
            }
        } catch (IOException e) {
            // not Linux, or no /proc
        }
        return System.getProperty("os.arch");
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
