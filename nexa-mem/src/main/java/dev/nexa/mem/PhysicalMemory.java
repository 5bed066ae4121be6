package dev.nexa.mem;

import dev.nexa.mem.internal.HostMmap;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Guest physical RAM: one off-heap {@link MemorySegment} reserved with an anonymous
 * MAP_NORESERVE mmap, so a large guest costs the host nothing until pages are touched.
 * Physical addresses are offsets into the segment.
 */
public final class PhysicalMemory implements AutoCloseable {
    public static final long DEFAULT_SIZE = 1L << 30;

    private final MemorySegment ram;
    private final CodeWatch codeWatch;
    private boolean closed;

    private PhysicalMemory(MemorySegment ram) {
        this.ram = ram;
        this.codeWatch = new CodeWatch(ram.byteSize() >>> Paging.PAGE_SHIFT);
    }

    /** Reserves {@code bytes} (rounded up to whole pages) of guest RAM. */
    public static PhysicalMemory reserve(long bytes) {
        if (bytes < 16 * Paging.PAGE_SIZE) {
            throw new IllegalArgumentException("guest memory too small: " + bytes + " bytes");
        }
        long size = Paging.pageUp(bytes);
        return new PhysicalMemory(HostMmap.mapAnonymous(size, HostMmap.PROT_READ | HostMmap.PROT_WRITE, true));
    }

    public MemorySegment segment() { return ram; }

    public long size() { return ram.byteSize(); }

    public long frameCount() { return ram.byteSize() >>> Paging.PAGE_SHIFT; }

    /** Which frames hold decoded guest code; writes to them are reported to the decode cache. */
    public CodeWatch codeWatch() { return codeWatch; }

    public long getLong(long pa) { return ram.get(ValueLayout.JAVA_LONG_UNALIGNED, pa); }

    public void setLong(long pa, long v) { ram.set(ValueLayout.JAVA_LONG_UNALIGNED, pa, v); }

    public byte getByte(long pa) { return ram.get(ValueLayout.JAVA_BYTE, pa); }

    public void zero(long pa, long len) { ram.asSlice(pa, len).fill((byte) 0); }

    /** Copies one frame; used by copy-on-write. */
    public void copyFrame(long fromPa, long toPa) {
        MemorySegment.copy(ram, fromPa, ram, toPa, Paging.PAGE_SIZE);
    }

    /** Lets the host drop a frame's backing page (it reads as zero afterwards). */
    void discard(long pa, long len) { HostMmap.discard(ram.asSlice(pa, len)); }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            HostMmap.unmap(ram);
        }
    }
}
