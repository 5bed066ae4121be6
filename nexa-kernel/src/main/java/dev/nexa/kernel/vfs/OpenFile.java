package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Task;

import java.lang.foreign.MemorySegment;

/**
 * An open file description (Linux's {@code struct file}): what a file descriptor points at.
 * Shared by dup'd descriptors and across fork, so it is reference counted; the file offset and
 * status flags live here, not in the descriptor. Subclasses implement the operations their
 * kind of file supports; the defaults give the errno Linux gives for an unsupported operation.
 * <p>
 * Data moves through {@link MemorySegment}s: the syscall layer passes slices of guest RAM
 * directly (one per guest page), so reads and writes do not copy through the Java heap.
 * An operation that would block throws {@link dev.nexa.kernel.proc.Blocked}.
 */
public abstract class OpenFile {
    public static final int O_ACCMODE = 03, O_RDONLY = 0, O_WRONLY = 01, O_RDWR = 02, O_CREAT = 0100,
            O_EXCL = 0200, O_NOCTTY = 0400, O_TRUNC = 01000, O_APPEND = 02000, O_NONBLOCK = 04000,
            O_DSYNC = 010000, O_ASYNC = 020000, O_DIRECT = 040000, O_LARGEFILE = 0100000,
            O_DIRECTORY = 0200000, O_NOFOLLOW = 0400000, O_NOATIME = 01000000, O_CLOEXEC = 02000000,
            O_SYNC = 04010000, O_PATH = 010000000, O_TMPFILE = 020200000;
    /** Status flags F_SETFL may change (fs/fcntl.c SETFL_MASK). */
    public static final int SETFL_MASK = O_APPEND | O_NONBLOCK | O_ASYNC | O_DIRECT | O_NOATIME;
    public static final int SEEK_SET = 0, SEEK_CUR = 1, SEEK_END = 2, SEEK_DATA = 3, SEEK_HOLE = 4;
    public static final int POLLIN = 1, POLLPRI = 2, POLLOUT = 4, POLLERR = 8, POLLHUP = 16, POLLNVAL = 32,
            POLLRDNORM = 0x40, POLLWRNORM = 0x100;

    private int flags;
    private int refs = 1;

    protected OpenFile(int flags) { this.flags = flags & ~(O_CLOEXEC | O_NOCTTY); }

    /** Status and access-mode flags (O_CLOEXEC belongs to the descriptor, not here). */
    public int flags() { return flags; }

    public void setStatusFlags(int newFlags) { flags = (flags & ~SETFL_MASK) | (newFlags & SETFL_MASK); }

    /** FMODE_READ: O_RDONLY or O_RDWR (access mode 3 gives neither, as in Linux). */
    public boolean readable() {
        int acc = flags & O_ACCMODE;
        return (acc == O_RDONLY || acc == O_RDWR) && (flags & O_PATH) == 0;
    }

    /** FMODE_WRITE: O_WRONLY or O_RDWR. */
    public boolean writable() {
        int acc = flags & O_ACCMODE;
        return (acc == O_WRONLY || acc == O_RDWR) && (flags & O_PATH) == 0;
    }

    public boolean nonBlocking() { return (flags & O_NONBLOCK) != 0; }

    /** The path for /proc/PID/fd and traces ("pipe:[N]", "/dev/pts/0", "/etc/passwd"). */
    public abstract String path();

    public abstract Stat stat() throws ErrnoException;

    /** Reads at the file offset (advancing it); 0 at end of file. */
    public long read(MemorySegment dst) throws ErrnoException { throw new ErrnoException(Errno.EINVAL); }

    /** Writes at the file offset (or the end with O_APPEND), advancing it. */
    public long write(MemorySegment src) throws ErrnoException { throw new ErrnoException(Errno.EINVAL); }

    /**
     * read(2) into the task's memory at [va, va+len). The default moves the bytes page by page
     * through {@link #read(MemorySegment)}; files that can block (pipes) override this so one
     * call sees the whole request: a wait may only happen before anything was transferred.
     */
    public long read(Task task, long va, long len) throws ErrnoException {
        return task.memory().chunks(va, len, true, this::read);
    }

    /** write(2) from the task's memory; pipes override it for PIPE_BUF atomicity and blocking. */
    public long write(Task task, long va, long len) throws ErrnoException {
        return task.memory().chunks(va, len, false, this::write);
    }

    public long pread(MemorySegment dst, long pos) throws ErrnoException { throw new ErrnoException(Errno.ESPIPE); }

    public long pwrite(MemorySegment src, long pos) throws ErrnoException { throw new ErrnoException(Errno.ESPIPE); }

    public long seek(long offset, int whence) throws ErrnoException { throw new ErrnoException(Errno.ESPIPE); }

    public long ioctl(Task task, int request, long arg) throws ErrnoException { throw new ErrnoException(Errno.ENOTTY); }

    /** Readiness for poll/select: the subset of {@code events} (plus POLLERR/POLLHUP) that holds now. */
    public int poll(int events) { return events & (POLLIN | POLLOUT | POLLRDNORM | POLLWRNORM); }

    /** Who to wait on for a change of {@link #poll} readiness; null if readiness never changes. */
    public dev.nexa.kernel.proc.WaitQueue waitQueue() { return null; }

    /** Reading directory entries (getdents64); ENOTDIR for anything but a directory. */
    public DirectoryReader directory() throws ErrnoException { throw new ErrnoException(Errno.ENOTDIR); }

    /** The bytes a private file mapping copies; ENODEV for files that cannot be mmapped. */
    public MappableFile mappable() throws ErrnoException { throw new ErrnoException(Errno.ENODEV); }

    /** The inode behind this file, when it has one (for fstat, fchdir, /proc). */
    public Inode inode() { return null; }

    /** Where the file was opened (mount and dentry), for fchdir, *at() calls and /proc/PID/fd; or null. */
    public PathRef location() { return null; }

    /** fsync/fdatasync: EINVAL for files that cannot be synced (pipes, character devices), as Linux. */
    public void fsync() throws ErrnoException { throw new ErrnoException(Errno.EINVAL); }

    public final void retain() { refs++; }

    /** Drops one reference; the last one releases the file. */
    public final void close() throws ErrnoException {
        if (--refs == 0) release();
    }

    public final int references() { return refs; }

    /** Called when the last descriptor and mapping let go. */
    protected void release() throws ErrnoException {}
}
