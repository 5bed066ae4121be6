package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Sysno;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.RootFs;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.StatLayout;
import dev.nexa.kernel.vfs.Vfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file syscalls as a guest makes them: argument decoding, struct layouts, errno results. */
class FsCallsTest {
    private GuestKernel g;
    private Task t;

    @BeforeEach
    void setUp() throws Exception {
        g = new GuestKernel(RootFs.host(Path.of("/"), "/"));
        t = g.task(0);
        assertEquals(0, g.call(t, Sysno.CHDIR, g.str(t, "/tmp")));
    }

    @AfterEach
    void tearDown() { g.close(); }

    private long call(int nr, long... args) { return g.call(t, nr, args); }

    private long s(String str) throws ErrnoException { return g.str(t, str); }

    private long open(String path, int flags, int mode) throws ErrnoException {
        return call(Sysno.OPENAT, Vfs.AT_FDCWD, s(path), flags, mode);
    }

    private void write(long fd, String text) throws ErrnoException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(b.length, call(Sysno.WRITE, fd, g.bytes(t, b), b.length));
    }

    @Test
    void openReadWriteSeekAndStat() throws ErrnoException {
        long fd = open("data", OpenFile.O_RDWR | OpenFile.O_CREAT | OpenFile.O_EXCL, 0666);
        assertEquals(0, fd);                                                  // lowest free descriptor
        write(fd, "hello world");
        assertEquals(6, call(Sysno.LSEEK, fd, 6, OpenFile.SEEK_SET));
        long buf = g.alloc(t, 32);
        assertEquals(5, call(Sysno.READ, fd, buf, 32));
        assertArrayEquals("world".getBytes(), g.read(t, buf, 5));
        long st = g.alloc(t, StatLayout.STAT_SIZE);
        assertEquals(0, call(Sysno.FSTAT, fd, st));
        ByteBuffer b = g.buffer(t, st, StatLayout.STAT_SIZE);
        assertEquals(Stat.S_IFREG | 0644, b.getInt(24));                      // umask 022 applied
        assertEquals(11, b.getLong(48));
        assertEquals(1, b.getLong(16));
        assertEquals(Errno.EEXIST.ret(), open("data", OpenFile.O_RDWR | OpenFile.O_CREAT | OpenFile.O_EXCL, 0666));
        assertEquals(Errno.ENOENT.ret(), open("missing", OpenFile.O_RDONLY, 0));
        assertEquals(Errno.ENOTDIR.ret(), open("data/x", OpenFile.O_RDONLY, 0));
        assertEquals(Errno.EISDIR.ret(), open("/tmp", OpenFile.O_WRONLY, 0));
        assertEquals(Errno.EFAULT.ret(), call(Sysno.OPENAT, Vfs.AT_FDCWD, 0x5000_0000L, 0, 0));
        assertEquals(Errno.ENAMETOOLONG.ret(), open("x".repeat(4096), OpenFile.O_RDONLY, 0));
        assertEquals(Errno.ENOSYS.ret(), call(Sysno.OPENAT2, Vfs.AT_FDCWD, s("data"), g.alloc(t, 24), 24));
        // newfstatat with AT_EMPTY_PATH stats the descriptor (how glibc's fstat works now).
        long st2 = g.alloc(t, StatLayout.STAT_SIZE);
        assertEquals(0, call(Sysno.NEWFSTATAT, fd, s(""), st2, Vfs.AT_EMPTY_PATH));
        assertArrayEquals(g.read(t, st, StatLayout.STAT_SIZE), g.read(t, st2, StatLayout.STAT_SIZE));
        assertEquals(Errno.ENOENT.ret(), call(Sysno.NEWFSTATAT, fd, s(""), st2, 0));
        assertEquals(Errno.EINVAL.ret(), call(Sysno.NEWFSTATAT, fd, s(""), st2, 0x8000));
    }

    @Test
    void getdents64RecordsAndResumption() throws ErrnoException {
        assertEquals(0, call(Sysno.MKDIR, s("dir"), 0755));
        List<String> made = new ArrayList<>();
        for (int k = 0; k < 30; k++) {
            String name = "entry-with-a-longer-name-" + k;
            made.add(name);
            call(Sysno.CLOSE, open("dir/" + name, OpenFile.O_CREAT | OpenFile.O_WRONLY, 0600));
        }
        long fd = open("dir", OpenFile.O_RDONLY | OpenFile.O_DIRECTORY, 0);
        long buf = g.alloc(t, 512);
        List<String> seen = new ArrayList<>();
        while (true) {
            long n = call(Sysno.GETDENTS64, fd, buf, 512);
            assertTrue(n >= 0, "getdents64: " + n);
            if (n == 0) break;
            ByteBuffer b = g.buffer(t, buf, (int) n);
            for (int at = 0; at < n; ) {
                long ino = b.getLong(at);
                int reclen = Short.toUnsignedInt(b.getShort(at + 16));
                int type = b.get(at + 18);
                int end = at + 19;
                while (b.get(end) != 0) end++;
                String name = new String(g.read(t, buf + at + 19, end - at - 19), StandardCharsets.UTF_8);
                assertEquals(0, reclen % 8);
                assertTrue(ino > 0);
                assertEquals(name.startsWith(".") ? 4 : 8, type, name);
                seen.add(name);
                at += reclen;
            }
        }
        assertEquals(32, seen.size());
        assertEquals(List.of(".", ".."), seen.subList(0, 2));
        assertTrue(seen.containsAll(made));
        // At the end there is nothing to return, so even a tiny buffer gets 0; after a rewind it is EINVAL.
        assertEquals(0, call(Sysno.GETDENTS64, fd, buf, 8));
        assertEquals(0, call(Sysno.LSEEK, fd, 0, OpenFile.SEEK_SET));
        assertEquals(Errno.EINVAL.ret(), call(Sysno.GETDENTS64, fd, buf, 8));
        long file = open("dir/" + made.get(0), OpenFile.O_RDONLY, 0);
        assertEquals(Errno.ENOTDIR.ret(), call(Sysno.GETDENTS64, file, buf, 512));
        assertEquals(Errno.EISDIR.ret(), call(Sysno.READ, fd, buf, 10));
    }

    @Test
    void linksNamesAndWorkingDirectory() throws ErrnoException {
        call(Sysno.CLOSE, open("f", OpenFile.O_CREAT | OpenFile.O_WRONLY, 0644));
        assertEquals(0, call(Sysno.SYMLINK, s("/tmp/f"), s("l")));
        long buf = g.alloc(t, 64);
        assertEquals(6, call(Sysno.READLINK, s("l"), buf, 64));
        assertArrayEquals("/tmp/f".getBytes(), g.read(t, buf, 6));
        assertEquals(3, call(Sysno.READLINKAT, Vfs.AT_FDCWD, s("l"), buf, 3));   // truncated, no NUL
        assertEquals(Errno.EINVAL.ret(), call(Sysno.READLINK, s("f"), buf, 64));
        assertEquals(Errno.EINVAL.ret(), call(Sysno.READLINK, s("l"), buf, 0));
        assertEquals(5, call(Sysno.GETCWD, buf, 64));                             // "/tmp" and its NUL
        assertArrayEquals("/tmp\0".getBytes(), g.read(t, buf, 5));
        assertEquals(Errno.ERANGE.ret(), call(Sysno.GETCWD, buf, 4));
        assertEquals(0, call(Sysno.LINK, s("f"), s("g")));
        assertEquals(0, call(Sysno.RENAMEAT2, Vfs.AT_FDCWD, s("g"), Vfs.AT_FDCWD, s("h"), Vfs.RENAME_NOREPLACE));
        assertEquals(Errno.EEXIST.ret(), call(Sysno.RENAMEAT2, Vfs.AT_FDCWD, s("h"), Vfs.AT_FDCWD, s("f"),
                Vfs.RENAME_NOREPLACE));
        assertEquals(0, call(Sysno.UNLINKAT, Vfs.AT_FDCWD, s("h"), 0));
        assertEquals(0, call(Sysno.MKDIRAT, Vfs.AT_FDCWD, s("d"), 0700));
        assertEquals(Errno.EISDIR.ret(), call(Sysno.UNLINKAT, Vfs.AT_FDCWD, s("d"), 0));
        assertEquals(Errno.EINVAL.ret(), call(Sysno.UNLINKAT, Vfs.AT_FDCWD, s("d"), 1));
        assertEquals(0, call(Sysno.UNLINKAT, Vfs.AT_FDCWD, s("d"), Vfs.AT_REMOVEDIR));
        assertEquals(0, call(Sysno.ACCESS, s("f"), 4));
        assertEquals(Errno.EACCES.ret(), call(Sysno.ACCESS, s("f"), 1));
        assertEquals(Errno.EINVAL.ret(), call(Sysno.ACCESS, s("f"), 8));
        assertEquals(Errno.EROFS.ret(), call(Sysno.ACCESS, s("/etc"), 2));
        assertEquals(022, call(Sysno.UMASK, 077));
        assertEquals(077, call(Sysno.UMASK, 022));
        Task user = g.task(1000);
        assertEquals(Errno.EPERM.ret(), g.call(user, Sysno.CHROOT, g.str(user, "/tmp")));
    }

    @Test
    void modesOwnersAndTimes() throws ErrnoException {
        long fd = open("f", OpenFile.O_CREAT | OpenFile.O_RDWR, 0644);
        assertEquals(0, call(Sysno.FCHMOD, fd, 0600));
        assertEquals(0, call(Sysno.FCHOWNAT, Vfs.AT_FDCWD, s("f"), 1000, -1, 0));
        long times = g.bytes(t, ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(1_000_000).putLong(5).putLong(0).putLong(FsCalls.UTIME_OMIT).array());
        assertEquals(0, call(Sysno.UTIMENSAT, Vfs.AT_FDCWD, s("f"), times, 0));
        long sx = g.alloc(t, StatLayout.STATX_SIZE);
        assertEquals(0, call(Sysno.STATX, Vfs.AT_FDCWD, s("f"), 0, StatLayout.STATX_BASIC_STATS, sx));
        ByteBuffer b = g.buffer(t, sx, StatLayout.STATX_SIZE);
        assertEquals(StatLayout.STATX_BASIC_STATS, b.getInt(0) & StatLayout.STATX_BASIC_STATS);
        assertEquals(Stat.S_IFREG | 0600, Short.toUnsignedInt(b.getShort(28)));
        assertEquals(1000, b.getInt(20));
        assertEquals(1_000_000, b.getLong(64));                                  // atime seconds
        assertEquals(5, b.getInt(72));                                           // atime nanoseconds
        assertTrue(b.getLong(112) > 1_600_000_000L);                             // mtime untouched (now-ish)
        assertEquals(Errno.EINVAL.ret(), call(Sysno.UTIMENSAT, Vfs.AT_FDCWD, s("f"), g.bytes(t, new byte[32]), 0x8000));
        long bad = g.bytes(t, ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(0).putLong(1_000_000_000L).putLong(0).putLong(0).array());
        assertEquals(Errno.EINVAL.ret(), call(Sysno.UTIMENSAT, Vfs.AT_FDCWD, s("f"), bad, 0));
        // statx of the guest's stdout (AT_EMPTY_PATH) works for Nexa's own streams too.
        Task withStdio = g.kernel.spawn(Path.of(System.getProperty("nexa.fixtures", "../fixtures"))
                .toAbsolutePath().resolve("bin/asm/exit0").toString(), List.of("exit0"), List.of()).mainThread();
        long sx2 = g.alloc(withStdio, StatLayout.STATX_SIZE);
        assertEquals(0, g.call(withStdio, Sysno.STATX, 1, g.str(withStdio, ""), Vfs.AT_EMPTY_PATH, 0x7ff, sx2));
        assertEquals(Errno.EINVAL.ret(), g.call(withStdio, Sysno.STATX, 1, g.str(withStdio, ""), 0x6000, 0x7ff, sx2));
    }

    @Test
    void truncateAllocateAndCopies() throws ErrnoException {
        long a = open("a", OpenFile.O_CREAT | OpenFile.O_RDWR, 0644);
        write(a, "0123456789");
        assertEquals(0, call(Sysno.FTRUNCATE, a, 4));
        assertEquals(0, call(Sysno.TRUNCATE, s("a"), 6));
        long buf = g.alloc(t, 16);
        assertEquals(6, call(Sysno.PREAD64, a, buf, 16, 0));
        assertArrayEquals(new byte[] {'0', '1', '2', '3', 0, 0}, g.read(t, buf, 6));
        assertEquals(0, call(Sysno.FALLOCATE, a, 0, 0, 8192));
        long st = g.alloc(t, 144);
        call(Sysno.FSTAT, a, st);
        assertEquals(8192, g.buffer(t, st, 144).getLong(48));
        long ro = open("a", OpenFile.O_RDONLY, 0);
        assertEquals(Errno.EINVAL.ret(), call(Sysno.FTRUNCATE, ro, 0));
        assertEquals(Errno.EBADF.ret(), call(Sysno.FALLOCATE, ro, 0, 0, 1));
        // sendfile from a file to another, at an explicit offset that is updated.
        long b = open("b", OpenFile.O_CREAT | OpenFile.O_RDWR, 0644);
        long off = g.bytes(t, new byte[8]);
        assertEquals(6, call(Sysno.SENDFILE, b, a, off, 6));
        assertEquals(6, g.buffer(t, off, 8).getLong(0));
        assertEquals(10, call(Sysno.LSEEK, a, 0, OpenFile.SEEK_CUR));            // in_fd's offset untouched
        long c = open("c", OpenFile.O_CREAT | OpenFile.O_RDWR, 0644);
        assertEquals(4, call(Sysno.COPY_FILE_RANGE, b, g.bytes(t, new byte[8]), c, 0, 4, 0));
        assertEquals(4, call(Sysno.PREAD64, c, buf, 16, 0));
        assertArrayEquals("0123".getBytes(), g.read(t, buf, 4));
        assertEquals(Errno.EINVAL.ret(), call(Sysno.FSYNC, call(Sysno.OPEN, s("/dev/null"), 1, 0)));
        assertEquals(0, call(Sysno.FSYNC, c));
        // close_range: CLOEXEC marks, plain closes.
        assertEquals(0, call(Sysno.CLOSE_RANGE, b, c, 4));
        assertTrue(t.process().files().isCloexec((int) c));
        assertEquals(0, call(Sysno.CLOSE_RANGE, b, 0xFFFF_FFFFL, 0));
        assertEquals(Errno.EBADF.ret(), call(Sysno.CLOSE, c));
        assertEquals(Errno.EINVAL.ret(), call(Sysno.CLOSE_RANGE, 5, 4, 0));
    }

    @Test
    void statfsOfTmpAndRoot() throws ErrnoException {
        long buf = g.alloc(t, StatLayout.STATFS_SIZE);
        assertEquals(0, call(Sysno.STATFS, s("/tmp"), buf));
        ByteBuffer b = g.buffer(t, buf, StatLayout.STATFS_SIZE);
        assertEquals(0x794c7630L, b.getLong(0));                                 // overlayfs (host /tmp below)
        assertEquals(0, b.getLong(80) & 1);                                      // writable
        assertEquals(0, call(Sysno.STATFS, s("/"), buf));
        assertEquals(1, g.buffer(t, buf, StatLayout.STATFS_SIZE).getLong(80) & 1);   // ST_RDONLY
        assertEquals(0, call(Sysno.STATFS, s("/proc"), buf));
        assertEquals(0x9fa0L, g.buffer(t, buf, StatLayout.STATFS_SIZE).getLong(0));
        assertEquals(0, call(Sysno.STATFS, s("/dev/shm"), buf));
        assertEquals(0x01021994L, g.buffer(t, buf, StatLayout.STATFS_SIZE).getLong(0));
    }
}
