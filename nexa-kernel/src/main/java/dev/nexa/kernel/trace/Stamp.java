package dev.nexa.kernel.trace;

/**
 * What every trace event carries: its place in the trace and where and when it happened.
 *
 * @param seq          0, 1, 2, ... in the order events were recorded (one machine, one thread:
 *                     a total order)
 * @param pid          the process the event concerns (for signals: the target)
 * @param tid          the thread; equal to {@code pid} for a single-threaded process
 * @param nanos        host time in nanoseconds since the kernel started
 * @param instructions guest instructions retired so far by the thread's CPU (0 when the event
 *                     has no thread, e.g. a process reaped after its last thread ended)
 */
public record Stamp(long seq, int pid, int tid, long nanos, long instructions) {}
