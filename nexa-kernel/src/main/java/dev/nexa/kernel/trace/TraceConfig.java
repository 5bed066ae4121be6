package dev.nexa.kernel.trace;

import java.util.EnumSet;
import java.util.Set;

/**
 * Which events a run records and where they go.
 *
 * @param sink  receives the events
 * @param kinds the event families to record ({@code --trace-events}); empty = tracing off
 * @param pid   record only events of this process ({@code --trace-pid}), or {@link #ALL_PIDS}
 */
public record TraceConfig(TraceSink sink, Set<TraceKind> kinds, int pid) {
    public static final int ALL_PIDS = -1;
    public static final TraceConfig OFF = new TraceConfig(TraceSink.NONE, Set.of(), ALL_PIDS);

    public TraceConfig {
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }

    /** Every kind of event from every process. */
    public static TraceConfig all(TraceSink sink) { return new TraceConfig(sink, TraceKind.all(), ALL_PIDS); }

    public boolean enabled() { return !kinds.isEmpty(); }
}
