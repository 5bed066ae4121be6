package dev.nexa.kernel.trace;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** The families of trace events, as {@code --trace-events} names them. */
public enum TraceKind {
    /** Process start and exit. */
    PROCESS,
    /** execve: what was loaded where. */
    EXEC,
    /** Every system call, and calls to numbers the kernel does not implement. */
    SYSCALL,
    /** Memory-map changes: mmap, munmap, mprotect, mremap, brk, and the mappings exec makes. */
    MM,
    /** Page faults and how they were resolved; other CPU exceptions (#UD, #DE, #GP...). */
    FAULT,
    /** Signals generated and delivered. */
    SIGNAL;

    final int bit() { return 1 << ordinal(); }

    /** The lower-case name used on the command line and in the trace files. */
    public String cliName() { return name().toLowerCase(Locale.ROOT); }

    /** Parses a command-line name ("syscall", "mm", ...). */
    public static TraceKind parse(String name) {
        for (TraceKind k : values()) if (k.cliName().equals(name.strip().toLowerCase(Locale.ROOT))) return k;
        throw new IllegalArgumentException("unknown trace event kind '" + name + "' (expected one of "
                + String.join(",", all().stream().map(TraceKind::cliName).toList()) + ")");
    }

    public static Set<TraceKind> all() { return EnumSet.allOf(TraceKind.class); }
}
