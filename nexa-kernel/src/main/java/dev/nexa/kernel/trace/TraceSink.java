package dev.nexa.kernel.trace;

/**
 * Where trace events go. The kernel calls it on its own thread, in sequence order; an
 * implementation must not keep the whole trace (writers stream it out).
 */
@FunctionalInterface
public interface TraceSink {
    void accept(TraceEvent event);

    /** Drops everything (tracing off). */
    TraceSink NONE = e -> { };
}
