package dev.nexa.kernel.vfs.pipe;

import dev.nexa.kernel.proc.WaitQueue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A pipe's buffer and its ends (fs/pipe.c): a 64 KiB ring, the number of open read and write
 * ends, counters of how many ends were ever opened (FIFO opens wait for them to change), and one
 * wait queue that every state change wakes (data in, data out, an end closed), which readers,
 * writers, FIFO openers and poll all wait on.
 */
public final class Pipe {
    /** Linux's default pipe size (16 pages). */
    public static final int CAPACITY = 65536;
    /** Writes up to this size are atomic (POSIX PIPE_BUF; one page on Linux). */
    public static final int PIPE_BUF = 4096;

    private final byte[] ring = new byte[CAPACITY];
    private int head, count;
    int readers, writers;
    int readerOpens, writerOpens;
    final WaitQueue queue = new WaitQueue();

    public int available() { return count; }

    public int space() { return CAPACITY - count; }

    public int readers() { return readers; }

    public int writers() { return writers; }

    public WaitQueue queue() { return queue; }

    /** Moves up to {@code dst.byteSize()} buffered bytes into {@code dst}; returns how many. */
    long take(MemorySegment dst) {
        int n = (int) Math.min(dst.byteSize(), count);
        int first = Math.min(n, CAPACITY - head);
        MemorySegment.copy(ring, head, dst, ValueLayout.JAVA_BYTE, 0, first);
        if (n > first) MemorySegment.copy(ring, 0, dst, ValueLayout.JAVA_BYTE, first, n - first);
        head = (head + n) % CAPACITY;
        count -= n;
        if (count == 0) head = 0;
        return n;
    }

    /** Appends up to {@code src.byteSize()} bytes as space allows; returns how many. */
    long put(MemorySegment src) {
        int n = (int) Math.min(src.byteSize(), space());
        int tail = (head + count) % CAPACITY;
        int first = Math.min(n, CAPACITY - tail);
        MemorySegment.copy(src, ValueLayout.JAVA_BYTE, 0, ring, tail, first);
        if (n > first) MemorySegment.copy(src, ValueLayout.JAVA_BYTE, first, ring, 0, n - first);
        count += n;
        return n;
    }

    void changed() { queue.wakeAll(); }
}
