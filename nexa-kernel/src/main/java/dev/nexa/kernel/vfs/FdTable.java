package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;

import java.util.Arrays;

/**
 * A process's file descriptors: slots pointing at shared {@link OpenFile}s, each with its own
 * close-on-exec bit. New descriptors take the lowest free number (open(2)).
 */
public final class FdTable {
    /** RLIMIT_NOFILE default soft limit on Linux. */
    public static final int DEFAULT_LIMIT = 1024;

    private OpenFile[] files = new OpenFile[16];
    private boolean[] cloexec = new boolean[16];
    private int limit = DEFAULT_LIMIT;

    public int limit() { return limit; }

    public void setLimit(int limit) { this.limit = limit; }

    public OpenFile get(int fd) throws ErrnoException {
        if (fd < 0 || fd >= files.length || files[fd] == null) throw new ErrnoException(Errno.EBADF);
        return files[fd];
    }

    public OpenFile getOrNull(int fd) { return fd >= 0 && fd < files.length ? files[fd] : null; }

    public boolean isCloexec(int fd) { return fd >= 0 && fd < files.length && cloexec[fd]; }

    public void setCloexec(int fd, boolean on) throws ErrnoException {
        get(fd);
        cloexec[fd] = on;
    }

    /** Installs {@code file} at the lowest free descriptor >= {@code min}; takes over the reference. */
    public int install(OpenFile file, boolean closeOnExec, int min) throws ErrnoException {
        for (int fd = Math.max(0, min); fd < limit; fd++) {
            if (fd >= files.length) grow(fd + 1);
            if (files[fd] == null) {
                files[fd] = file;
                cloexec[fd] = closeOnExec;
                return fd;
            }
        }
        throw new ErrnoException(Errno.EMFILE);
    }

    public int install(OpenFile file, boolean closeOnExec) throws ErrnoException {
        return install(file, closeOnExec, 0);
    }

    /** Puts {@code file} at exactly {@code fd} (dup2), closing what was there. */
    public void installAt(int fd, OpenFile file, boolean closeOnExec) throws ErrnoException {
        if (fd < 0 || fd >= limit) throw new ErrnoException(Errno.EBADF);
        if (fd >= files.length) grow(fd + 1);
        OpenFile old = files[fd];
        files[fd] = file;
        cloexec[fd] = closeOnExec;
        if (old != null) old.close();
    }

    public void close(int fd) throws ErrnoException {
        OpenFile f = get(fd);
        files[fd] = null;
        cloexec[fd] = false;
        f.close();
    }

    /**
     * close_range(2): closes (or with {@code cloexecOnly} marks close-on-exec) every open
     * descriptor in [first, last].
     */
    public void closeRange(int first, int last, boolean cloexecOnly) {
        for (long fd = Math.max(0, first & 0xFFFF_FFFFL); fd <= (last & 0xFFFF_FFFFL) && fd < files.length; fd++) {
            int k = (int) fd;
            if (files[k] == null) continue;
            if (cloexecOnly) {
                cloexec[k] = true;
                continue;
            }
            OpenFile f = files[k];
            files[k] = null;
            cloexec[k] = false;
            try {
                f.close();
            } catch (ErrnoException ignored) {
                // close_range reports no per-descriptor errors
            }
        }
    }

    /** fork: the child shares every open file description. */
    public FdTable copy() {
        FdTable t = new FdTable();
        t.files = files.clone();
        t.cloexec = cloexec.clone();
        t.limit = limit;
        for (OpenFile f : t.files) if (f != null) f.retain();
        return t;
    }

    /** execve: descriptors marked close-on-exec go away. */
    public void closeOnExec() {
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null && cloexec[fd]) {
                OpenFile f = files[fd];
                files[fd] = null;
                cloexec[fd] = false;
                try {
                    f.close();
                } catch (ErrnoException ignored) {
                    // close errors are not reported by execve
                }
            }
        }
    }

    /** exit: everything goes away. */
    public void closeAll() {
        for (int fd = 0; fd < files.length; fd++) {
            if (files[fd] != null) {
                try {
                    close(fd);
                } catch (ErrnoException ignored) {
                    // the process is gone; nobody to report to
                }
            }
        }
    }

    /** Open descriptor numbers in order (for /proc/PID/fd). */
    public int[] open() {
        return java.util.stream.IntStream.range(0, files.length).filter(fd -> files[fd] != null).toArray();
    }

    public int highest() {
        for (int fd = files.length - 1; fd >= 0; fd--) if (files[fd] != null) return fd;
        return -1;
    }

    private void grow(int min) {
        int n = Math.max(min, files.length * 2);
        files = Arrays.copyOf(files, n);
        cloexec = Arrays.copyOf(cloexec, n);
    }
}
