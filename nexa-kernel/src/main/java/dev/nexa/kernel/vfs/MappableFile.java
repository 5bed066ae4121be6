package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.ErrnoException;

import java.lang.foreign.MemorySegment;

/**
 * File contents as a private mapping sees them: the kernel copies file extents page by page
 * into freshly allocated guest frames (MAP_PRIVATE), so it only needs random-access reads and
 * the size. A mapping keeps its MappableFile after the descriptor is closed.
 */
public interface MappableFile {
    /** Current size in bytes (pages wholly past it raise SIGBUS when touched). */
    long size() throws ErrnoException;

    /** Copies up to {@code dst.byteSize()} bytes from {@code offset}; returns how many (short at EOF). */
    long readAt(long offset, MemorySegment dst) throws ErrnoException;

    /** A name for /proc/PID/maps: the file's path. */
    String name();

    /** Device and inode numbers for /proc/PID/maps. */
    long dev();

    long ino();
}
