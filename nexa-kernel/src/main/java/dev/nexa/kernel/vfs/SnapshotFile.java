package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A file whose contents were generated when it was opened (a /proc file): reads, positional
 * reads and seeks over that snapshot, as Linux's seq_file effectively gives for small files.
 */
public final class SnapshotFile extends InodeFile {
    private final byte[] data;
    private long pos;

    public SnapshotFile(PathRef location, int flags, byte[] data) {
        super(location, flags);
        this.data = data;
    }

    @Override
    public long read(MemorySegment dst) throws ErrnoException {
        long n = pread(dst, pos);
        pos += n;
        return n;
    }

    @Override
    public long pread(MemorySegment dst, long at) throws ErrnoException {
        if (at < 0) throw new ErrnoException(Errno.EINVAL);
        if (at >= data.length) return 0;
        int n = (int) Math.min(dst.byteSize(), data.length - at);
        MemorySegment.copy(data, (int) at, dst, ValueLayout.JAVA_BYTE, 0, n);
        return n;
    }

    @Override
    public long write(MemorySegment src) throws ErrnoException { throw new ErrnoException(Errno.EACCES); }

    @Override
    public long seek(long offset, int whence) throws ErrnoException {
        long np = switch (whence) {
            case SEEK_SET -> offset;
            case SEEK_CUR -> pos + offset;
            case SEEK_END -> data.length + offset;
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        if (np < 0) throw new ErrnoException(Errno.EINVAL);
        return pos = np;
    }

    /** The whole snapshot (tests, and in-kernel readers). */
    public byte[] contents() { return data.clone(); }
}
