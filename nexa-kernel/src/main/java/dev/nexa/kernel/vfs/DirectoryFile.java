package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;

import java.lang.foreign.MemorySegment;

/**
 * An open directory: getdents reads entries from the directory's reader at the position
 * (a cookie, what telldir returns); lseek(fd, 0, SEEK_SET) rewinds and takes a fresh look, as
 * rewinddir does on Linux. read(2) is EISDIR.
 */
public final class DirectoryFile extends InodeFile {
    private final Process opener;
    private long cookie;
    private DirectoryReader reader;

    public DirectoryFile(PathRef location, int flags, Process opener) {
        super(location, flags);
        this.opener = opener;
    }

    @Override
    public DirectoryReader directory() throws ErrnoException {
        if (location.dentry().unlinked()) throw new ErrnoException(Errno.ENOENT);
        if (reader == null) reader = ((DirInode) location.inode()).reader(location.dentry(), opener);
        location.inode().touchAtime(vfs().now());
        return reader;
    }

    /** The cookie of the next entry getdents will return. */
    public long cookie() { return cookie; }

    public void setCookie(long c) { cookie = c; }

    @Override
    public long read(MemorySegment dst) throws ErrnoException { throw new ErrnoException(Errno.EISDIR); }

    @Override
    public long pread(MemorySegment dst, long pos) throws ErrnoException { throw new ErrnoException(Errno.EISDIR); }

    @Override
    public long seek(long offset, int whence) throws ErrnoException {
        long np = switch (whence) {
            case SEEK_SET -> offset;
            case SEEK_CUR -> cookie + offset;
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        if (np < 0) throw new ErrnoException(Errno.EINVAL);
        if (np == 0) reader = null;
        return cookie = np;
    }

    @Override
    public void fsync() {}
}
