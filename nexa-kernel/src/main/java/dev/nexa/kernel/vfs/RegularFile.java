package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Task;

import java.lang.foreign.MemorySegment;

/**
 * An open regular file: reads and writes at the file offset (O_APPEND writes at the end, and so
 * does pwrite, as on Linux), positional I/O, lseek including SEEK_DATA/SEEK_HOLE, and private
 * mappings through a {@link FileMapping}. Reads update atime (relatime), writes mtime and ctime.
 */
public class RegularFile extends InodeFile {
    /** FIONREAD: bytes between the offset and the end of file for regular files. */
    static final int FIONREAD = 0x541B;

    private final Cred opener;
    private long pos;
    private FileMapping mapping;

    public RegularFile(PathRef location, int flags, Cred opener) {
        super(location, flags);
        this.opener = opener;
    }

    protected FileInode file() { return (FileInode) location.inode(); }

    @Override
    public long read(MemorySegment dst) throws ErrnoException {
        long n = pread(dst, pos);
        pos += n;
        return n;
    }

    @Override
    public long pread(MemorySegment dst, long at) throws ErrnoException {
        if (at < 0) throw new ErrnoException(Errno.EINVAL);
        FileInode f = file();
        long n = f.read(at, dst);
        if ((flags() & O_NOATIME) == 0 && !location.mount().readOnly()) f.touchAtime(vfs().now());
        return n;
    }

    @Override
    public long write(MemorySegment src) throws ErrnoException {
        if ((flags() & O_APPEND) != 0) pos = file().size();
        long n = pwriteAt(src, pos);
        pos += n;
        return n;
    }

    /** pwrite(2); with O_APPEND Linux appends regardless of the offset (a documented bug, see pwrite(2) BUGS). */
    @Override
    public long pwrite(MemorySegment src, long at) throws ErrnoException {
        if (at < 0) throw new ErrnoException(Errno.EINVAL);
        return pwriteAt(src, (flags() & O_APPEND) != 0 ? file().size() : at);
    }

    private long pwriteAt(MemorySegment src, long at) throws ErrnoException {
        long len = src.byteSize();
        if (len == 0) return 0;
        if (at + len < 0) throw new ErrnoException(Errno.EFBIG);
        FileInode f = file();
        long n = f.write(at, src);
        f.touchModified(vfs().now());
        Vfs.killPrivileges(opener, f);
        return n;
    }

    @Override
    public long seek(long offset, int whence) throws ErrnoException {
        FileInode f = file();
        long np = switch (whence) {
            case SEEK_SET -> offset;
            case SEEK_CUR -> pos + offset;
            case SEEK_END -> f.size() + offset;
            case SEEK_DATA -> {
                if (offset < 0) throw new ErrnoException(Errno.ENXIO);
                yield f.seekData(offset);
            }
            case SEEK_HOLE -> {
                if (offset < 0) throw new ErrnoException(Errno.ENXIO);
                yield f.seekHole(offset);
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        if (np < 0) throw new ErrnoException(Errno.EINVAL);
        return pos = np;
    }

    /** The file offset (for sendfile and tests). */
    public long position() { return pos; }

    @Override
    public long ioctl(Task task, int request, long arg) throws ErrnoException {
        if (request == FIONREAD) {
            task.memory().writeInt(arg, (int) Math.max(0, Math.min(Integer.MAX_VALUE, file().size() - pos)));
            return 0;
        }
        return super.ioctl(task, request, arg);
    }

    @Override
    public MappableFile mappable() {
        if (mapping == null) mapping = new FileMapping(location, file());
        return mapping;
    }

    @Override
    public void fsync() {}
}
