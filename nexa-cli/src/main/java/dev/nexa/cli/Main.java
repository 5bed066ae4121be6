package dev.nexa.cli;

import dev.nexa.cli.trace.TraceCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code nexa} command. Exit status: the guest's, or 125 for Nexa's own usage errors,
 * 126 for a program that cannot be executed, 127 for one that does not exist.
 */
@Command(name = "nexa", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Nexa: an x86-64 Linux user-mode emulator.",
        subcommands = {RunCommand.class, BootCommand.class, BenchCommand.class, ElfCommand.class, CpioCommand.class, TraceCommand.class,
                IsaCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command (try: nexa run PROGRAM)");
    }

    static final boolean DEBUG = System.getenv("NEXA_DEBUG") != null;

    /** NEXA_TIMES=1: start-up milestones on stderr (docs/performance.md, "Start-up"). */
    static final boolean TIMES = System.getenv("NEXA_TIMES") != null;

    /** With NEXA_TIMES, one line: the milestone, wall time since the JVM started, the main thread's CPU time. */
    static void mark(String what) {
        if (TIMES) System.err.printf("nexa-times: %-16s %6.1f ms since JVM start, cpu %6.1f ms%n", what,
                (double) java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime(),
                java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e6);
    }

    public static void main(String[] args) {
        mark("main");
        GuestLauncher.processExitsAfterRun = true;
        System.exit(execute(args));
    }

    /** Runs the command line and returns the exit status (tests call this directly). */
    public static int execute(String... args) {
        if (RunCommand.isPlain(args)) {
            // `nexa run PROGRAM ARGS...` with no option: picocli would build the reflective model of
            // every command and option (most of a hello world's start-up, docs/performance.md
            // "Start-up") only to arrive at RunCommand's defaults.
            try {
                return RunCommand.withDefaults(args[1], java.util.Arrays.asList(args).subList(2, args.length)).call();
            } catch (RuntimeException ex) {
                return internalError(ex, System.err);
            }
        }
        CommandLine cl = new CommandLine(new Main());
        // Everything after the guest program's name belongs to the guest: nexa run ls -l.
        cl.setStopAtPositional(true);
        cl.setExitCodeExceptionMapper(e -> 125);
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("nexa: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'nexa " + ex.getCommandLine().getCommandName().replace("nexa", "").trim()
                    + (ex.getCommandLine().getCommandName().equals("nexa") ? "" : " ") + "--help' for usage.");
            return 125;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> internalError(ex, c.getErr()));
        return cl.execute(args);
    }

    /** An emulator bug, not the guest's fault: one line for users, the trace for developers. */
    private static int internalError(Exception ex, java.io.PrintWriter err) {
        err.println("nexa: internal error: " + ex + (DEBUG ? "" : " (set NEXA_DEBUG=1 for details)"));
        if (DEBUG) ex.printStackTrace(err);
        err.flush();
        return 125;
    }

    private static int internalError(Exception ex, java.io.PrintStream err) {
        return internalError(ex, new java.io.PrintWriter(err, true));
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"nexa " + (v == null ? "(development build)" : v),
                    "Java " + Runtime.version() + " on " + System.getProperty("os.name") + " " + System.getProperty("os.arch")};
        }
    }
}
