package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;

import java.lang.foreign.MemorySegment;

/**
 * A regular file's contents: positional reads and writes, size changes and the data/hole map.
 * Reads past the end return 0 bytes; holes read as zeros. Private mappings read through
 * {@link #read} at fault time, so a mapping sees the file as it is when a page is first touched.
 */
public abstract class FileInode extends Inode {
    protected FileInode(FileSystem fs, long ino, int mode, int uid, int gid, long nowNs) {
        super(fs, ino, Stat.S_IFREG | (mode & 07777), uid, gid, nowNs);
    }

    @Override
    public abstract long size();

    /** Copies up to {@code dst.byteSize()} bytes at {@code pos}; returns how many (0 at or past EOF). */
    public abstract long read(long pos, MemorySegment dst) throws ErrnoException;

    /** Writes all of {@code src} at {@code pos}, growing the file; returns the count. */
    public long write(long pos, MemorySegment src) throws ErrnoException { throw new ErrnoException(Errno.EROFS); }

    /** Sets the size: shrinking drops data, growing adds a hole. */
    public void truncate(long newSize) throws ErrnoException { throw new ErrnoException(Errno.EROFS); }

    /** fallocate(2): reserve [off, off+len), extending the size unless {@code keepSize}. */
    public void allocate(long off, long len, boolean keepSize) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** FALLOC_FL_PUNCH_HOLE: [off, off+len) reads as zeros afterwards; the size stays. */
    public void punchHole(long off, long len) throws ErrnoException { throw new ErrnoException(Errno.EOPNOTSUPP); }

    /**
     * SEEK_DATA: the first offset at or after {@code off} holding data. The default treats the
     * whole file as data, as Linux's generic_file_llseek_size does for file systems without holes.
     */
    public long seekData(long off) throws ErrnoException {
        if (off >= size()) throw new ErrnoException(Errno.ENXIO);
        return off;
    }

    /** SEEK_HOLE: the first hole at or after {@code off}; the end of file counts as one. */
    public long seekHole(long off) throws ErrnoException {
        if (off >= size()) throw new ErrnoException(Errno.ENXIO);
        return size();
    }
}
