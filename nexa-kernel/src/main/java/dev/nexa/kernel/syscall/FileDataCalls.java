package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.FileInode;
import dev.nexa.kernel.vfs.OpenFile;

import java.lang.foreign.MemorySegment;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/**
 * Calls on a descriptor's data rather than its name: syncing, space allocation, advice, locks,
 * in-kernel copies (sendfile, copy_file_range) and close_range (fs/sync.c, fs/open.c,
 * mm/fadvise.c, fs/read_write.c, fs/file.c).
 */
final class FileDataCalls {
    private FileDataCalls() {}

    static final int FALLOC_FL_KEEP_SIZE = 1, FALLOC_FL_PUNCH_HOLE = 2;
    static final int CLOSE_RANGE_UNSHARE = 2, CLOSE_RANGE_CLOEXEC = 4;
    static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    /** Bytes an in-kernel copy moves per step. */
    private static final int CHUNK = 1 << 16;

    static void register(SyscallTable t) {
        t.add(FSYNC, FileDataCalls::fsync, FD);
        t.add(FDATASYNC, FileDataCalls::fsync, FD);
        t.add(SYNC, (task, a) -> 0);
        t.add(SYNCFS, (task, a) -> {
            task.process().files().get(a.i(0));
            return 0;
        }, FD);
        t.add(SYNC_FILE_RANGE, FileDataCalls::syncFileRange, FD, LONG, LONG, CODE);
        t.add(FADVISE64, FileDataCalls::fadvise, FD, LONG, LONG, INT);
        t.add(READAHEAD, (task, a) -> {
            OpenFile f = task.process().files().get(a.i(0));
            if (!f.readable() || !(f.inode() instanceof FileInode)) throw new ErrnoException(Errno.EINVAL);
            return 0;
        }, FD, LONG, SIZE);
        t.add(FALLOCATE, FileDataCalls::fallocate, FD, CODE, LONG, LONG);
        t.add(FLOCK, FileDataCalls::flock, FD, CODE);
        t.add(SENDFILE, FileDataCalls::sendfile, FD, FD, PTR, SIZE);
        t.add(COPY_FILE_RANGE, FileDataCalls::copyFileRange, FD, PTR, FD, PTR, SIZE, CODE);
        t.add(CLOSE_RANGE, FileDataCalls::closeRange, INT, INT, CODE);
    }

    private static OpenFile file(Task t, int fd) throws ErrnoException {
        OpenFile f = t.process().files().get(fd);
        if ((f.flags() & OpenFile.O_PATH) != 0) throw new ErrnoException(Errno.EBADF);
        return f;
    }

    /** fsync/fdatasync: nothing to flush; EINVAL for what has no fsync (pipes, character devices). */
    static long fsync(Task t, Args a) throws ErrnoException {
        file(t, a.i(0)).fsync();
        return 0;
    }

    static long syncFileRange(Task t, Args a) throws ErrnoException {
        if ((a.i(3) & ~7) != 0 || a.l(1) < 0 || a.l(2) < 0) throw new ErrnoException(Errno.EINVAL);
        OpenFile f = file(t, a.i(0));
        if (f.inode() == null || !(f.inode() instanceof FileInode) && !f.inode().isDirectory()) {
            throw new ErrnoException(Errno.ESPIPE);
        }
        return 0;
    }

    /** posix_fadvise: validated and ignored; ESPIPE on pipes. */
    static long fadvise(Task t, Args a) throws ErrnoException {
        OpenFile f = file(t, a.i(0));
        if (f.inode() != null && f.inode().isFifo()) throw new ErrnoException(Errno.ESPIPE);
        if (a.i(3) < 0 || a.i(3) > 5 || a.l(2) < 0) throw new ErrnoException(Errno.EINVAL);
        return 0;
    }

    /** fallocate: allocate (and extend unless FALLOC_FL_KEEP_SIZE) or punch a hole, on regular files. */
    static long fallocate(Task t, Args a) throws ErrnoException {
        int mode = a.i(1);
        long off = a.l(2), len = a.l(3);
        if (off < 0 || len <= 0) throw new ErrnoException(Errno.EINVAL);
        OpenFile f = file(t, a.i(0));
        if (!f.writable()) throw new ErrnoException(Errno.EBADF);
        var in = f.inode();
        if (in != null && in.isFifo()) throw new ErrnoException(Errno.ESPIPE);
        if (in != null && in.isDirectory()) throw new ErrnoException(Errno.EISDIR);
        if (!(in instanceof FileInode file)) throw new ErrnoException(Errno.ENODEV);
        if (off + len < 0) throw new ErrnoException(Errno.EFBIG);
        switch (mode) {
            case 0 -> file.allocate(off, len, false);
            case FALLOC_FL_KEEP_SIZE -> file.allocate(off, len, true);
            case FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE -> file.punchHole(off, len);
            default -> throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        file.touchModified(t.kernel().vfs().now());
        return 0;
    }

    /** flock: one machine and advisory locks, so every lock is granted at once. */
    static long flock(Task t, Args a) throws ErrnoException {
        int op = a.i(1) & ~LOCK_NB;
        t.process().files().get(a.i(0));
        if (op != LOCK_SH && op != LOCK_EX && op != LOCK_UN) throw new ErrnoException(Errno.EINVAL);
        return 0;
    }

    static long closeRange(Task t, Args a) throws ErrnoException {
        int flags = a.i(2);
        if ((flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) != 0) throw new ErrnoException(Errno.EINVAL);
        if (Integer.compareUnsigned(a.i(0), a.i(1)) > 0) throw new ErrnoException(Errno.EINVAL);
        t.process().files().closeRange(a.i(0), a.i(1), (flags & CLOSE_RANGE_CLOEXEC) != 0);
        return 0;
    }

    /**
     * sendfile(2): from in_fd (at *offset, or its file offset) to out_fd. Input is read
     * positionally and its offset advanced only by what was written, so a blocked output (a full
     * pipe) loses nothing; a copy that already moved data returns the count instead of waiting.
     */
    static long sendfile(Task t, Args a) throws ErrnoException {
        OpenFile out = file(t, a.i(0)), in = file(t, a.i(1));
        if (!in.readable() || !out.writable()) throw new ErrnoException(Errno.EBADF);
        if ((out.flags() & OpenFile.O_APPEND) != 0) throw new ErrnoException(Errno.EINVAL);
        long offAddr = a.l(2);
        long count = a.size(3, IoCalls.MAX_RW);
        if (count < 0) throw new ErrnoException(Errno.EINVAL);
        boolean seekable = in.inode() instanceof FileInode;
        long pos = 0;
        if (offAddr != 0) {
            if (!seekable) throw new ErrnoException(Errno.ESPIPE);
            pos = t.memory().readLong(offAddr);
            if (pos < 0) throw new ErrnoException(Errno.EINVAL);
        } else if (seekable) {
            pos = in.seek(0, OpenFile.SEEK_CUR);
        }
        long done;
        try {
            done = copy(in, seekable ? pos : -1, out, -1, count);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EPIPE) t.kernel().signals().sendTask(t, Signal.SIGPIPE);
            throw e;
        }
        if (offAddr != 0) t.memory().writeLong(offAddr, pos + done);
        else if (seekable) in.seek(pos + done, OpenFile.SEEK_SET);
        return done;
    }

    /**
     * copy_file_range(2) between regular files, at the given offsets or the file offsets. Any
     * two file systems are allowed (Linux 5.3 to 5.18 did the same; later kernels answer EXDEV
     * and C libraries then copy by hand).
     */
    static long copyFileRange(Task t, Args a) throws ErrnoException {
        if (a.i(5) != 0) throw new ErrnoException(Errno.EINVAL);
        OpenFile in = file(t, a.i(0)), out = file(t, a.i(2));
        if (!in.readable() || !out.writable() || (out.flags() & OpenFile.O_APPEND) != 0) {
            throw new ErrnoException(Errno.EBADF);
        }
        if (in.inode() != null && in.inode().isDirectory() || out.inode() != null && out.inode().isDirectory()) {
            throw new ErrnoException(Errno.EISDIR);
        }
        if (!(in.inode() instanceof FileInode) || !(out.inode() instanceof FileInode)) throw new ErrnoException(Errno.EINVAL);
        long inAddr = a.l(1), outAddr = a.l(3), len = a.size(4, IoCalls.MAX_RW);
        long inPos = inAddr != 0 ? t.memory().readLong(inAddr) : in.seek(0, OpenFile.SEEK_CUR);
        long outPos = outAddr != 0 ? t.memory().readLong(outAddr) : out.seek(0, OpenFile.SEEK_CUR);
        if (inPos < 0 || outPos < 0 || len < 0) throw new ErrnoException(Errno.EINVAL);
        if (in.inode() == out.inode() && inPos < outPos + len && outPos < inPos + len) throw new ErrnoException(Errno.EINVAL);
        long done = copy(in, inPos, out, outPos, len);
        if (inAddr != 0) t.memory().writeLong(inAddr, inPos + done);
        else in.seek(inPos + done, OpenFile.SEEK_SET);
        if (outAddr != 0) t.memory().writeLong(outAddr, outPos + done);
        else out.seek(outPos + done, OpenFile.SEEK_SET);
        return done;
    }

    /**
     * Moves up to {@code count} bytes through a kernel buffer; positions of -1 mean "the stream".
     * A wait (full pipe, empty pipe) before anything moved is passed on; after that it ends the copy.
     */
    private static long copy(OpenFile in, long inPos, OpenFile out, long outPos, long count) throws ErrnoException {
        MemorySegment buf = MemorySegment.ofArray(new byte[(int) Math.min(CHUNK, Math.max(count, 1))]);
        long done = 0;
        while (done < count) {
            MemorySegment chunk = buf.asSlice(0, Math.min(buf.byteSize(), count - done));
            long got, put;
            try {
                got = inPos >= 0 ? in.pread(chunk, inPos + done) : in.read(chunk);
                if (got <= 0) break;
                put = outPos >= 0 ? out.pwrite(chunk.asSlice(0, got), outPos + done) : out.write(chunk.asSlice(0, got));
            } catch (Blocked b) {
                if (done > 0) return done;
                throw b;
            } catch (ErrnoException e) {
                if (done > 0) return done;
                throw e;
            }
            done += put;
            if (put < got) break;
        }
        return done;
    }
}
