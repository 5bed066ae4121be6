package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.FdTable;
import dev.nexa.kernel.vfs.OpenFile;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/**
 * Descriptor-level I/O: read/write and their vector and positional forms, lseek, close, dup,
 * fcntl, ioctl. Data moves between guest pages and the file directly (no heap copies).
 */
final class IoCalls {
    private IoCalls() {}

    /** Linux caps one read/write at MAX_RW_COUNT = INT_MAX rounded down to a page. */
    static final long MAX_RW = 0x7FFF_F000L;
    static final int IOV_MAX = 1024;
    static final int F_DUPFD = 0, F_GETFD = 1, F_SETFD = 2, F_GETFL = 3, F_SETFL = 4, F_GETLK = 5, F_SETLK = 6,
            F_SETLKW = 7, F_SETOWN = 8, F_GETOWN = 9, F_DUPFD_CLOEXEC = 1030, F_GETPIPE_SZ = 1032,
            F_SETPIPE_SZ = 1031, F_ADD_SEALS = 1033, F_GET_SEALS = 1034, FD_CLOEXEC = 1;

    static void register(SyscallTable t) {
        t.add(READ, IoCalls::read, FD, BUF_OUT, SIZE);
        t.add(WRITE, IoCalls::write, FD, BUF_IN, SIZE);
        t.add(PREAD64, IoCalls::pread, FD, BUF_OUT, SIZE, LONG);
        t.add(PWRITE64, IoCalls::pwrite, FD, BUF_IN, SIZE, LONG);
        t.add(READV, (task, a) -> vector(task, a, false, -1), FD, IOVEC, INT);
        t.add(WRITEV, (task, a) -> vector(task, a, true, -1), FD, IOVEC, INT);
        t.add(PREADV, (task, a) -> vector(task, a, false, a.l(3)), FD, IOVEC, INT, LONG);
        t.add(PWRITEV, (task, a) -> vector(task, a, true, a.l(3)), FD, IOVEC, INT, LONG);
        t.add(LSEEK, IoCalls::lseek, FD, LONG, INT);
        t.add(CLOSE, IoCalls::close, FD);
        t.add(DUP, (task, a) -> dup(task, a.i(0), 0, false), FD);
        t.add(DUP2, IoCalls::dup2, FD, FD);
        t.add(DUP3, IoCalls::dup3, FD, FD, OPEN_FLAGS);
        t.add(FCNTL, IoCalls::fcntl, FD, INT, PTR);
        t.add(IOCTL, (task, a) -> task.process().files().get(a.i(0)).ioctl(task, a.i(1), a.l(2)), FD, CODE, PTR);
    }

    static OpenFile readable(Task t, int fd) throws ErrnoException {
        OpenFile f = t.process().files().get(fd);
        if (!f.readable()) throw new ErrnoException(Errno.EBADF);
        return f;
    }

    static OpenFile writable(Task t, int fd) throws ErrnoException {
        OpenFile f = t.process().files().get(fd);
        if (!f.writable()) throw new ErrnoException(Errno.EBADF);
        return f;
    }

    static long read(Task t, Args a) throws ErrnoException {
        OpenFile f = readable(t, a.i(0));
        long n = a.size(2, MAX_RW);
        if (n == 0) return 0;
        return f.read(t, a.l(1), n);
    }

    static long write(Task t, Args a) throws ErrnoException {
        OpenFile f = writable(t, a.i(0));
        long n = a.size(2, MAX_RW);
        if (n == 0) return 0;
        try {
            return f.write(t, a.l(1), n);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EPIPE) t.kernel().signals().sendTask(t, Signal.SIGPIPE);
            throw e;
        }
    }

    static long pread(Task t, Args a) throws ErrnoException {
        OpenFile f = readable(t, a.i(0));
        long pos = a.l(3);
        if (pos < 0) throw new ErrnoException(Errno.EINVAL);
        long[] at = {pos};
        return t.memory().chunks(a.l(1), a.size(2, MAX_RW), true, chunk -> {
            long got = f.pread(chunk, at[0]);
            at[0] += got;
            return got;
        });
    }

    static long pwrite(Task t, Args a) throws ErrnoException {
        OpenFile f = writable(t, a.i(0));
        long pos = a.l(3);
        if (pos < 0) throw new ErrnoException(Errno.EINVAL);
        long[] at = {pos};
        return t.memory().chunks(a.l(1), a.size(2, MAX_RW), false, chunk -> {
            long put = f.pwrite(chunk, at[0]);
            at[0] += put;
            return put;
        });
    }

    /** readv/writev/preadv/pwritev: iovecs in order, stopping at the first short transfer. */
    static long vector(Task t, Args a, boolean write, long pos) throws ErrnoException {
        OpenFile f = write ? writable(t, a.i(0)) : readable(t, a.i(0));
        int count = a.i(2);
        if (count < 0 || count > IOV_MAX) throw new ErrnoException(Errno.EINVAL);
        if (pos < -1) throw new ErrnoException(Errno.EINVAL);
        long iov = a.l(1);
        long total = 0;
        long[] at = {pos};
        for (int k = 0; k < count; k++) {
            long base = t.memory().readLong(iov + 16L * k), len = t.memory().readLong(iov + 16L * k + 8);
            if (len < 0) throw new ErrnoException(Errno.EINVAL);
            if (len == 0) continue;
            long done;
            try {
                if (at[0] < 0) {
                    done = write ? f.write(t, base, len) : f.read(t, base, len);
                } else {
                    done = t.memory().chunks(base, len, !write, chunk -> {
                        long n = write ? f.pwrite(chunk, at[0]) : f.pread(chunk, at[0]);
                        at[0] += n;
                        return n;
                    });
                }
            } catch (ErrnoException | dev.nexa.kernel.proc.Blocked e) {
                if (total > 0) return total;          // report what was already transferred
                if (e instanceof ErrnoException ee && ee.errno() == Errno.EPIPE) {
                    t.kernel().signals().sendTask(t, Signal.SIGPIPE);
                }
                throw e;
            }
            total += done;
            if (done < len) break;
        }
        return total;
    }

    /** lseek(2): ksys_lseek checks whence against SEEK_MAX before the file's own llseek (pipes included). */
    static long lseek(Task t, Args a) throws ErrnoException {
        OpenFile f = t.process().files().get(a.i(0));
        int whence = a.i(2);
        if (whence < 0 || whence > OpenFile.SEEK_HOLE) throw new ErrnoException(Errno.EINVAL);
        return f.seek(a.l(1), whence);
    }

    static long close(Task t, Args a) throws ErrnoException {
        t.process().files().close(a.i(0));
        return 0;
    }

    static long dup(Task t, int fd, int min, boolean cloexec) throws ErrnoException {
        FdTable files = t.process().files();
        OpenFile f = files.get(fd);
        f.retain();
        try {
            return files.install(f, cloexec, min);
        } catch (ErrnoException e) {
            f.close();
            throw e;
        }
    }

    static long dup2(Task t, Args a) throws ErrnoException {
        int oldfd = a.i(0), newfd = a.i(1);
        FdTable files = t.process().files();
        OpenFile f = files.get(oldfd);
        if (oldfd == newfd) return newfd;
        f.retain();
        files.installAt(newfd, f, false);
        return newfd;
    }

    static long dup3(Task t, Args a) throws ErrnoException {
        int oldfd = a.i(0), newfd = a.i(1), flags = a.i(2);
        if (oldfd == newfd || (flags & ~OpenFile.O_CLOEXEC) != 0) throw new ErrnoException(Errno.EINVAL);
        FdTable files = t.process().files();
        OpenFile f = files.get(oldfd);
        f.retain();
        files.installAt(newfd, f, (flags & OpenFile.O_CLOEXEC) != 0);
        return newfd;
    }

    static long fcntl(Task t, Args a) throws ErrnoException {
        int fd = a.i(0);
        FdTable files = t.process().files();
        OpenFile f = files.get(fd);
        switch (a.i(1)) {
            case F_DUPFD -> { return dup(t, fd, a.i(2), false); }
            case F_DUPFD_CLOEXEC -> { return dup(t, fd, a.i(2), true); }
            case F_GETFD -> { return files.isCloexec(fd) ? FD_CLOEXEC : 0; }
            case F_SETFD -> { files.setCloexec(fd, (a.i(2) & FD_CLOEXEC) != 0); return 0; }
            case F_GETFL -> { return f.flags(); }
            case F_SETFL -> { f.setStatusFlags(a.i(2)); return 0; }
            case F_GETLK -> {
                t.memory().write(a.l(2), new byte[] {2, 0});        // l_type = F_UNLCK: no conflicting lock
                return 0;
            }
            case F_SETLK, F_SETLKW -> { return 0; }                  // one machine, advisory locks always granted
            case F_GETOWN -> { return 0; }
            case F_SETOWN -> { return 0; }
            case F_GETPIPE_SZ -> { return 65536; }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
    }
}
