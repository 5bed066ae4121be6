package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.DirectoryFile;
import dev.nexa.kernel.vfs.DirectoryReader;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.PathRef;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.StatLayout;
import dev.nexa.kernel.vfs.Vfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/**
 * File system calls on paths and on what descriptors name (fs/open.c, fs/stat.c, fs/namei.c,
 * fs/readdir.c, fs/utimes.c, fs/statfs.c): argument decoding and struct layouts here, the checks
 * and the work in {@link Vfs}.
 */
final class FsCalls {
    private FsCalls() {}

    static final int PATH_MAX = 4096;
    static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;

    static void register(SyscallTable t) {
        t.add(OPEN, (task, a) -> open(task, Vfs.AT_FDCWD, a.l(0), a.i(1), a.i(2)), STRING, OPEN_FLAGS, OCTAL);
        t.add(OPENAT, (task, a) -> open(task, a.i(0), a.l(1), a.i(2), a.i(3)), DIRFD, STRING, OPEN_FLAGS, OCTAL);
        t.add(OPENAT2, FsCalls::openat2, DIRFD, STRING, PTR, SIZE);
        t.add(CREAT, (task, a) -> open(task, Vfs.AT_FDCWD, a.l(0),
                OpenFile.O_CREAT | OpenFile.O_WRONLY | OpenFile.O_TRUNC, a.i(1)), STRING, OCTAL);
        t.add(STAT, (task, a) -> statAt(task, Vfs.AT_FDCWD, a.l(0), 0, a.l(1)), STRING, PTR);
        t.add(LSTAT, (task, a) -> statAt(task, Vfs.AT_FDCWD, a.l(0), Vfs.AT_SYMLINK_NOFOLLOW, a.l(1)), STRING, PTR);
        t.add(FSTAT, FsCalls::fstat, FD, PTR);
        t.add(NEWFSTATAT, (task, a) -> statAt(task, a.i(0), a.l(1), a.i(3), a.l(2)), DIRFD, STRING, PTR, CODE);
        t.add(STATX, FsCalls::statx, DIRFD, STRING, CODE, CODE, PTR);
        t.add(STATFS, FsCalls::statfs, STRING, PTR);
        t.add(FSTATFS, FsCalls::fstatfs, FD, PTR);
        t.add(ACCESS, (task, a) -> access(task, Vfs.AT_FDCWD, a.l(0), a.i(1), 0), STRING, INT);
        t.add(FACCESSAT, (task, a) -> access(task, a.i(0), a.l(1), a.i(2), 0), DIRFD, STRING, INT);
        t.add(FACCESSAT2, (task, a) -> access(task, a.i(0), a.l(1), a.i(2), a.i(3)), DIRFD, STRING, INT, CODE);
        t.add(READLINK, (task, a) -> readlink(task, Vfs.AT_FDCWD, a.l(0), a.l(1), a.i(2)), STRING, BUF_OUT, SIZE);
        t.add(READLINKAT, (task, a) -> readlink(task, a.i(0), a.l(1), a.l(2), a.i(3)), DIRFD, STRING, BUF_OUT, SIZE);
        t.add(GETCWD, FsCalls::getcwd, BUF_OUT, SIZE);
        t.add(CHDIR, FsCalls::chdir, STRING);
        t.add(FCHDIR, FsCalls::fchdir, FD);
        t.add(CHROOT, FsCalls::chroot, STRING);
        t.add(GETDENTS64, (task, a) -> getdents(task, a, true), FD, PTR, SIZE);
        t.add(GETDENTS, (task, a) -> getdents(task, a, false), FD, PTR, SIZE);
        t.add(MKDIR, (task, a) -> mkdir(task, Vfs.AT_FDCWD, a.l(0), a.i(1)), STRING, OCTAL);
        t.add(MKDIRAT, (task, a) -> mkdir(task, a.i(0), a.l(1), a.i(2)), DIRFD, STRING, OCTAL);
        t.add(MKNOD, (task, a) -> mknod(task, Vfs.AT_FDCWD, a.l(0), a.i(1), a.u(2)), STRING, OCTAL, CODE);
        t.add(MKNODAT, (task, a) -> mknod(task, a.i(0), a.l(1), a.i(2), a.u(3)), DIRFD, STRING, OCTAL, CODE);
        t.add(RMDIR, (task, a) -> unlink(task, Vfs.AT_FDCWD, a.l(0), Vfs.AT_REMOVEDIR), STRING);
        t.add(UNLINK, (task, a) -> unlink(task, Vfs.AT_FDCWD, a.l(0), 0), STRING);
        t.add(UNLINKAT, (task, a) -> unlink(task, a.i(0), a.l(1), a.i(2)), DIRFD, STRING, CODE);
        t.add(RENAME, (task, a) -> rename(task, Vfs.AT_FDCWD, a.l(0), Vfs.AT_FDCWD, a.l(1), 0), STRING, STRING);
        t.add(RENAMEAT, (task, a) -> rename(task, a.i(0), a.l(1), a.i(2), a.l(3), 0), DIRFD, STRING, DIRFD, STRING);
        t.add(RENAMEAT2, (task, a) -> rename(task, a.i(0), a.l(1), a.i(2), a.l(3), a.i(4)),
                DIRFD, STRING, DIRFD, STRING, CODE);
        t.add(LINK, (task, a) -> link(task, Vfs.AT_FDCWD, a.l(0), Vfs.AT_FDCWD, a.l(1), 0), STRING, STRING);
        t.add(LINKAT, (task, a) -> link(task, a.i(0), a.l(1), a.i(2), a.l(3), a.i(4)), DIRFD, STRING, DIRFD, STRING, CODE);
        t.add(SYMLINK, (task, a) -> symlink(task, a.l(0), Vfs.AT_FDCWD, a.l(1)), STRING, STRING);
        t.add(SYMLINKAT, (task, a) -> symlink(task, a.l(0), a.i(1), a.l(2)), STRING, DIRFD, STRING);
        t.add(CHMOD, (task, a) -> chmod(task, Vfs.AT_FDCWD, a.l(0), a.i(1)), STRING, OCTAL);
        t.add(FCHMODAT, (task, a) -> chmod(task, a.i(0), a.l(1), a.i(2)), DIRFD, STRING, OCTAL);
        t.add(FCHMOD, FsCalls::fchmod, FD, OCTAL);
        t.add(CHOWN, (task, a) -> chown(task, Vfs.AT_FDCWD, a.l(0), a.i(1), a.i(2), 0), STRING, INT, INT);
        t.add(LCHOWN, (task, a) -> chown(task, Vfs.AT_FDCWD, a.l(0), a.i(1), a.i(2), Vfs.AT_SYMLINK_NOFOLLOW),
                STRING, INT, INT);
        t.add(FCHOWNAT, (task, a) -> chown(task, a.i(0), a.l(1), a.i(2), a.i(3), a.i(4)), DIRFD, STRING, INT, INT, CODE);
        t.add(FCHOWN, FsCalls::fchown, FD, INT, INT);
        t.add(UTIMENSAT, FsCalls::utimensat, DIRFD, STRING, PTR, CODE);
        t.add(FUTIMESAT, (task, a) -> futimesat(task, a.i(0), a.l(1), a.l(2)), DIRFD, STRING, PTR);
        t.add(UTIMES, (task, a) -> futimesat(task, Vfs.AT_FDCWD, a.l(0), a.l(1)), STRING, PTR);
        t.add(UTIME, FsCalls::utime, STRING, PTR);
        t.add(TRUNCATE, FsCalls::truncate, STRING, LONG);
        t.add(FTRUNCATE, (task, a) -> {
            task.kernel().vfs().ftruncate(task.process(), task.process().files().get(a.i(0)), a.l(1));
            return 0;
        }, FD, LONG);
        t.add(UMASK, FsCalls::umask, OCTAL);
    }

    private static Vfs vfs(Task t) { return t.kernel().vfs(); }

    /** A path argument: at most PATH_MAX bytes with the NUL (ENAMETOOLONG), EFAULT when unreadable. */
    static String path(Task t, long addr) throws ErrnoException {
        if (addr == 0) throw new ErrnoException(Errno.EFAULT);
        return t.memory().readString(addr, PATH_MAX);
    }

    // ---- open ----------------------------------------------------------------------------------------------

    static long open(Task t, int dirfd, long pathAddr, int flags, int mode) throws ErrnoException {
        String path = path(t, pathAddr);
        flags &= Vfs.VALID_OPEN_FLAGS;
        OpenFile f = vfs(t).open(t, dirfd, path, flags, mode);
        try {
            return t.process().files().install(f, (flags & OpenFile.O_CLOEXEC) != 0);
        } catch (ErrnoException e) {
            f.close();
            throw e;
        }
    }

    /** openat2(2): not provided; C libraries fall back to openat. */
    static long openat2(Task t, Args a) throws ErrnoException { throw new ErrnoException(Errno.ENOSYS); }

    // ---- stat ------------------------------------------------------------------------------------------------

    static long fstat(Task t, Args a) throws ErrnoException {
        t.memory().write(a.l(1), StatLayout.stat(t.process().files().get(a.i(0)).stat()));
        return 0;
    }

    /** The object fstatat/statx describe: a path, or with AT_EMPTY_PATH and "" (or NULL) dirfd's file. */
    private record Target(Stat stat, PathRef where) {}

    private static Target target(Task t, int dirfd, long pathAddr, int flags) throws ErrnoException {
        Process p = t.process();
        String path = pathAddr == 0 && (flags & Vfs.AT_EMPTY_PATH) != 0 ? "" : path(t, pathAddr);
        if (path.isEmpty() && (flags & Vfs.AT_EMPTY_PATH) != 0 && dirfd != Vfs.AT_FDCWD) {
            OpenFile f = p.files().get(dirfd);
            return new Target(f.stat(), f.location());
        }
        PathRef ref = vfs(t).resolve(p, dirfd, path, flags);
        return new Target(ref.inode().stat(), ref);
    }

    static long statAt(Task t, int dirfd, long pathAddr, int flags, long buf) throws ErrnoException {
        if ((flags & ~(Vfs.AT_SYMLINK_NOFOLLOW | Vfs.AT_NO_AUTOMOUNT | Vfs.AT_EMPTY_PATH)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        t.memory().write(buf, StatLayout.stat(target(t, dirfd, pathAddr, flags).stat()));
        return 0;
    }

    static long statx(Task t, Args a) throws ErrnoException {
        int dirfd = a.i(0), flags = a.i(2), mask = a.i(3);
        if ((flags & ~(Vfs.AT_SYMLINK_NOFOLLOW | Vfs.AT_NO_AUTOMOUNT | Vfs.AT_EMPTY_PATH | Vfs.AT_STATX_SYNC_TYPE)) != 0
                || (flags & Vfs.AT_STATX_SYNC_TYPE) == Vfs.AT_STATX_SYNC_TYPE
                || (mask & StatLayout.STATX__RESERVED) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        Target x = target(t, dirfd, a.l(1), flags & ~Vfs.AT_STATX_SYNC_TYPE);
        long mountId = x.where() == null ? 0 : x.where().mount().id();
        boolean mountRoot = x.where() != null && x.where().isMountRoot();
        t.memory().write(a.l(4), StatLayout.statx(x.stat(), mountId, mountRoot));
        return 0;
    }

    static long statfs(Task t, Args a) throws ErrnoException {
        PathRef ref = vfs(t).resolve(t.process(), Vfs.AT_FDCWD, path(t, a.l(0)), 0);
        t.memory().write(a.l(1), StatLayout.statfs(ref.mount().fs().statfs(), Vfs.statfsFlags(ref.mount())));
        return 0;
    }

    static long fstatfs(Task t, Args a) throws ErrnoException {
        PathRef ref = t.process().files().get(a.i(0)).location();
        if (ref == null) throw new ErrnoException(Errno.EBADF);
        t.memory().write(a.l(1), StatLayout.statfs(ref.mount().fs().statfs(), Vfs.statfsFlags(ref.mount())));
        return 0;
    }

    static long access(Task t, int dirfd, long pathAddr, int mode, int flags) throws ErrnoException {
        String path = pathAddr == 0 && (flags & Vfs.AT_EMPTY_PATH) != 0 ? "" : path(t, pathAddr);
        vfs(t).access(t.process(), dirfd, path, mode, flags);
        return 0;
    }

    static long readlink(Task t, int dirfd, long pathAddr, long buf, int size) throws ErrnoException {
        if (size <= 0) throw new ErrnoException(Errno.EINVAL);
        byte[] target = vfs(t).readlink(t.process(), dirfd, path(t, pathAddr)).getBytes(StandardCharsets.UTF_8);
        int n = Math.min(size, target.length);
        t.memory().write(buf, target, 0, n);
        return n;
    }

    // ---- working directory ------------------------------------------------------------------------------------

    static long getcwd(Task t, Args a) throws ErrnoException {
        byte[] cwd = (vfs(t).getcwd(t.process()) + "\0").getBytes(StandardCharsets.UTF_8);
        if (cwd.length > PATH_MAX) throw new ErrnoException(Errno.ENAMETOOLONG);
        if (a.l(1) < cwd.length) throw new ErrnoException(Errno.ERANGE);
        t.memory().write(a.l(0), cwd);
        return cwd.length;
    }

    static long chdir(Task t, Args a) throws ErrnoException {
        vfs(t).chdir(t.process(), path(t, a.l(0)));
        return 0;
    }

    static long fchdir(Task t, Args a) throws ErrnoException {
        vfs(t).fchdir(t.process(), t.process().files().get(a.i(0)));
        return 0;
    }

    static long chroot(Task t, Args a) throws ErrnoException {
        vfs(t).chroot(t.process(), path(t, a.l(0)));
        return 0;
    }

    // ---- directories -----------------------------------------------------------------------------------------

    /**
     * getdents64/getdents: as many whole records as fit (EINVAL when not even the first does);
     * d_off is the cookie of the next entry, so telldir/seekdir round-trip.
     */
    static long getdents(Task t, Args a, boolean is64) throws ErrnoException {
        OpenFile f = t.process().files().get(a.i(0));
        if ((f.flags() & OpenFile.O_PATH) != 0) throw new ErrnoException(Errno.EBADF);
        DirectoryReader reader = f.directory();
        DirectoryFile dir = (DirectoryFile) f;
        int count = (int) Math.min(a.u(2), 1 << 20);
        ByteBuffer out = ByteBuffer.allocate(count).order(ByteOrder.LITTLE_ENDIAN);
        long cookie = dir.cookie();
        while (true) {
            DirectoryReader.Entry e = reader.at(cookie);
            if (e == null) break;
            byte[] name = e.name().getBytes(StandardCharsets.UTF_8);
            int reclen = is64 ? (19 + name.length + 1 + 7) & ~7 : (18 + name.length + 2 + 7) & ~7;
            if (reclen > out.remaining()) {
                if (out.position() == 0) throw new ErrnoException(Errno.EINVAL);
                break;
            }
            int start = out.position();
            out.putLong(e.ino()).putLong(e.nextCookie()).putShort((short) reclen);
            if (is64) out.put((byte) e.type());
            out.put(name);
            while (out.position() < start + reclen) out.put((byte) 0);
            if (!is64) out.put(start + reclen - 1, (byte) e.type());          // old getdents: d_type is the last byte
            cookie = e.nextCookie();
        }
        t.memory().write(a.l(1), out.array(), 0, out.position());
        dir.setCookie(cookie);
        return out.position();
    }

    static long mkdir(Task t, int dirfd, long pathAddr, int mode) throws ErrnoException {
        vfs(t).mkdir(t.process(), dirfd, path(t, pathAddr), mode);
        return 0;
    }

    /** mknod's dev is the kernel's 32-bit encoding (new_decode_dev). */
    static long mknod(Task t, int dirfd, long pathAddr, int mode, long dev) throws ErrnoException {
        int major = (int) ((dev & 0xfff00) >>> 8), minor = (int) ((dev & 0xff) | ((dev >>> 12) & 0xfff00));
        vfs(t).mknod(t.process(), dirfd, path(t, pathAddr), mode, Stat.makedev(major, minor));
        return 0;
    }

    static long unlink(Task t, int dirfd, long pathAddr, int flags) throws ErrnoException {
        if ((flags & ~Vfs.AT_REMOVEDIR) != 0) throw new ErrnoException(Errno.EINVAL);
        String path = path(t, pathAddr);
        if ((flags & Vfs.AT_REMOVEDIR) != 0) vfs(t).rmdir(t.process(), dirfd, path);
        else vfs(t).unlink(t.process(), dirfd, path);
        return 0;
    }

    static long rename(Task t, int olddirfd, long oldAddr, int newdirfd, long newAddr, int flags) throws ErrnoException {
        vfs(t).rename(t.process(), olddirfd, path(t, oldAddr), newdirfd, path(t, newAddr), flags);
        return 0;
    }

    static long link(Task t, int olddirfd, long oldAddr, int newdirfd, long newAddr, int flags) throws ErrnoException {
        vfs(t).link(t.process(), olddirfd, path(t, oldAddr), newdirfd, path(t, newAddr), flags);
        return 0;
    }

    static long symlink(Task t, long targetAddr, int newdirfd, long pathAddr) throws ErrnoException {
        vfs(t).symlink(t.process(), path(t, targetAddr), newdirfd, path(t, pathAddr));
        return 0;
    }

    // ---- attributes ----------------------------------------------------------------------------------------------

    static long chmod(Task t, int dirfd, long pathAddr, int mode) throws ErrnoException {
        PathRef ref = vfs(t).resolve(t.process(), dirfd, path(t, pathAddr), 0);
        vfs(t).chmod(t.process(), ref, mode);
        return 0;
    }

    /** The location an fd-based attribute call acts on; O_PATH descriptors are EBADF here, as in fdget(). */
    private static PathRef fdLocation(Task t, int fd) throws ErrnoException {
        OpenFile f = t.process().files().get(fd);
        if ((f.flags() & OpenFile.O_PATH) != 0 || f.location() == null) throw new ErrnoException(Errno.EBADF);
        return f.location();
    }

    static long fchmod(Task t, Args a) throws ErrnoException {
        vfs(t).chmod(t.process(), fdLocation(t, a.i(0)), a.i(1));
        return 0;
    }

    static long chown(Task t, int dirfd, long pathAddr, int uid, int gid, int flags) throws ErrnoException {
        if ((flags & ~(Vfs.AT_SYMLINK_NOFOLLOW | Vfs.AT_EMPTY_PATH)) != 0) throw new ErrnoException(Errno.EINVAL);
        String path = pathAddr == 0 && (flags & Vfs.AT_EMPTY_PATH) != 0 ? "" : path(t, pathAddr);
        PathRef ref = vfs(t).resolve(t.process(), dirfd, path, flags);
        vfs(t).chown(t.process(), ref, uid, gid);
        return 0;
    }

    static long fchown(Task t, Args a) throws ErrnoException {
        vfs(t).chown(t.process(), fdLocation(t, a.i(0)), a.i(1), a.i(2));
        return 0;
    }

    /** utimensat(2): NULL times means now; UTIME_NOW/UTIME_OMIT per field; a NULL path means dirfd itself. */
    static long utimensat(Task t, Args a) throws ErrnoException {
        int dirfd = a.i(0), flags = a.i(3);
        long pathAddr = a.l(1), times = a.l(2);
        if ((flags & ~(Vfs.AT_SYMLINK_NOFOLLOW | Vfs.AT_EMPTY_PATH)) != 0) throw new ErrnoException(Errno.EINVAL);
        long atime = Vfs.TIME_NOW, mtime = Vfs.TIME_NOW;
        if (times != 0) {
            atime = timespec(t, times);
            mtime = timespec(t, times + 16);
        }
        PathRef ref;
        if (pathAddr == 0) {
            if ((flags & Vfs.AT_SYMLINK_NOFOLLOW) != 0) throw new ErrnoException(Errno.EINVAL);
            if (dirfd == Vfs.AT_FDCWD) throw new ErrnoException(Errno.EFAULT);
            ref = t.process().files().get(dirfd).location();
            if (ref == null) throw new ErrnoException(Errno.EBADF);
        } else {
            ref = vfs(t).resolve(t.process(), dirfd, path(t, pathAddr), flags);
        }
        vfs(t).setTimes(t.process(), ref, atime, mtime);
        return 0;
    }

    private static long timespec(Task t, long addr) throws ErrnoException {
        long sec = t.memory().readLong(addr), nsec = t.memory().readLong(addr + 8);
        if (nsec == UTIME_NOW) return Vfs.TIME_NOW;
        if (nsec == UTIME_OMIT) return Vfs.TIME_OMIT;
        if (nsec < 0 || nsec >= 1_000_000_000L) throw new ErrnoException(Errno.EINVAL);
        return saturatingNanos(sec, nsec);
    }

    private static long saturatingNanos(long sec, long nsec) {
        if (sec > Long.MAX_VALUE / 1_000_000_000L - 1) return Long.MAX_VALUE;
        if (sec < Long.MIN_VALUE / 1_000_000_000L + 2) return Long.MIN_VALUE + 2;
        return sec * 1_000_000_000L + nsec;
    }

    /** futimesat/utimes: struct timeval pairs (microseconds), NULL meaning now. */
    static long futimesat(Task t, int dirfd, long pathAddr, long times) throws ErrnoException {
        long atime = Vfs.TIME_NOW, mtime = Vfs.TIME_NOW;
        if (times != 0) {
            atime = timeval(t, times);
            mtime = timeval(t, times + 16);
        }
        PathRef ref = vfs(t).resolve(t.process(), dirfd, path(t, pathAddr), 0);
        vfs(t).setTimes(t.process(), ref, atime, mtime);
        return 0;
    }

    private static long timeval(Task t, long addr) throws ErrnoException {
        long sec = t.memory().readLong(addr), usec = t.memory().readLong(addr + 8);
        if (usec < 0 || usec >= 1_000_000L) throw new ErrnoException(Errno.EINVAL);
        return saturatingNanos(sec, usec * 1000);
    }

    /** utime(2): struct utimbuf {actime, modtime} in seconds. */
    static long utime(Task t, Args a) throws ErrnoException {
        long atime = Vfs.TIME_NOW, mtime = Vfs.TIME_NOW;
        if (a.l(1) != 0) {
            atime = saturatingNanos(t.memory().readLong(a.l(1)), 0);
            mtime = saturatingNanos(t.memory().readLong(a.l(1) + 8), 0);
        }
        PathRef ref = vfs(t).resolve(t.process(), Vfs.AT_FDCWD, path(t, a.l(0)), 0);
        vfs(t).setTimes(t.process(), ref, atime, mtime);
        return 0;
    }

    static long truncate(Task t, Args a) throws ErrnoException {
        PathRef ref = vfs(t).resolve(t.process(), Vfs.AT_FDCWD, path(t, a.l(0)), 0);
        vfs(t).truncate(t.process(), ref, a.l(1));
        return 0;
    }

    static long umask(Task t, Args a) {
        Process p = t.process();
        int old = p.umask;
        p.umask = a.i(0) & 0777;
        return old;
    }
}
