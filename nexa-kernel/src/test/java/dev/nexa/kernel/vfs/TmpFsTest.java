package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.tmpfs.TmpFs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static dev.nexa.kernel.vfs.Guests.assertErrno;
import static dev.nexa.kernel.vfs.Vfs.AT_FDCWD;
import static dev.nexa.kernel.vfs.Vfs.AT_SYMLINK_NOFOLLOW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tmpfs semantics: link counts, rename rules, open unlinked files, sparse files, times, permissions. */
class TmpFsTest {
    private Vfs vfs;
    private Process root;

    @BeforeEach
    void setUp() throws ErrnoException {
        vfs = Guests.tmpRoot();
        root = Guests.process(0);
        vfs.mkdir(root, AT_FDCWD, "/d", 0755);
    }

    private Stat stat(String path) throws ErrnoException { return vfs.stat(root, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW); }

    @Test
    void linkCountsFollowNamesAndSubdirectories() throws ErrnoException {
        assertEquals(2, stat("/d").nlink());
        assertEquals(3, stat("/").nlink());                               // ".", "..", and /d's ".."
        vfs.mkdir(root, AT_FDCWD, "/d/sub", 0755);
        assertEquals(3, stat("/d").nlink());
        Guests.write(vfs, root, "/d/f", "data");
        assertEquals(1, stat("/d/f").nlink());
        vfs.link(root, AT_FDCWD, "/d/f", AT_FDCWD, "/d/g", 0);
        vfs.link(root, AT_FDCWD, "/d/f", AT_FDCWD, "/h", 0);
        assertEquals(3, stat("/d/g").nlink());
        assertEquals(stat("/d/f").ino(), stat("/h").ino());
        vfs.unlink(root, AT_FDCWD, "/d/f");
        assertEquals(2, stat("/h").nlink());
        assertEquals("data", Guests.read(vfs, root, "/d/g"));
        vfs.rmdir(root, AT_FDCWD, "/d/sub");
        assertEquals(2, stat("/d").nlink());
        assertErrno(Errno.EPERM, () -> vfs.link(root, AT_FDCWD, "/d", AT_FDCWD, "/dlink", 0));
        assertErrno(Errno.EEXIST, () -> vfs.link(root, AT_FDCWD, "/h", AT_FDCWD, "/d/g", 0));
    }

    @Test
    void directoriesMustBeEmptyToGo() throws ErrnoException {
        vfs.mkdir(root, AT_FDCWD, "/d/sub", 0755);
        Guests.write(vfs, root, "/d/sub/f", "");
        assertErrno(Errno.ENOTEMPTY, () -> vfs.rmdir(root, AT_FDCWD, "/d"));
        assertErrno(Errno.ENOTEMPTY, () -> vfs.rmdir(root, AT_FDCWD, "/d/sub/.."));
        assertErrno(Errno.EINVAL, () -> vfs.rmdir(root, AT_FDCWD, "/d/sub/."));
        assertErrno(Errno.EBUSY, () -> vfs.rmdir(root, AT_FDCWD, "/"));
        assertErrno(Errno.ENOTDIR, () -> vfs.rmdir(root, AT_FDCWD, "/d/sub/f"));
        assertErrno(Errno.EISDIR, () -> vfs.unlink(root, AT_FDCWD, "/d/sub"));
        assertErrno(Errno.ENOTDIR, () -> vfs.unlink(root, AT_FDCWD, "/d/sub/f/"));
        assertErrno(Errno.EISDIR, () -> vfs.unlink(root, AT_FDCWD, "/d/sub/"));
        assertErrno(Errno.ENOENT, () -> vfs.unlink(root, AT_FDCWD, "/d/nothing"));
        assertErrno(Errno.EEXIST, () -> vfs.mkdir(root, AT_FDCWD, "/d/sub", 0755));
        assertErrno(Errno.EEXIST, () -> vfs.mkdir(root, AT_FDCWD, "/", 0755));
        assertErrno(Errno.ENOENT, () -> vfs.mknod(root, AT_FDCWD, "/d/new/", Stat.S_IFIFO | 0644, 0));
        vfs.unlink(root, AT_FDCWD, "/d/sub/f");
        vfs.rmdir(root, AT_FDCWD, "/d/sub/");
        assertErrno(Errno.ENOENT, () -> vfs.stat(root, AT_FDCWD, "/d/sub", 0));
    }

    @Test
    void renameEdgeCases() throws ErrnoException {
        Guests.write(vfs, root, "/d/a", "A");
        Guests.write(vfs, root, "/d/b", "B");
        vfs.mkdir(root, AT_FDCWD, "/d/dir", 0755);
        vfs.mkdir(root, AT_FDCWD, "/d/dir/inner", 0755);
        vfs.mkdir(root, AT_FDCWD, "/d/empty", 0755);
        long ino = stat("/d/a").ino();
        vfs.rename(root, AT_FDCWD, "/d/a", AT_FDCWD, "/d/b", 0);             // replaces b
        assertEquals("A", Guests.read(vfs, root, "/d/b"));
        assertEquals(ino, stat("/d/b").ino());
        assertErrno(Errno.ENOENT, () -> stat("/d/a"));
        // Two names of one file: nothing happens, both stay.
        vfs.link(root, AT_FDCWD, "/d/b", AT_FDCWD, "/d/b2", 0);
        vfs.rename(root, AT_FDCWD, "/d/b", AT_FDCWD, "/d/b2", 0);
        assertEquals(2, stat("/d/b").nlink());
        assertErrno(Errno.EISDIR, () -> vfs.rename(root, AT_FDCWD, "/d/b", AT_FDCWD, "/d/empty", 0));
        assertErrno(Errno.ENOTDIR, () -> vfs.rename(root, AT_FDCWD, "/d/empty", AT_FDCWD, "/d/b", 0));
        assertErrno(Errno.ENOTEMPTY, () -> vfs.rename(root, AT_FDCWD, "/d/empty", AT_FDCWD, "/d/dir", 0));
        assertErrno(Errno.EINVAL, () -> vfs.rename(root, AT_FDCWD, "/d/dir", AT_FDCWD, "/d/dir/inner/x", 0));
        assertErrno(Errno.ENOTEMPTY, () -> vfs.rename(root, AT_FDCWD, "/d/dir/inner", AT_FDCWD, "/d", 0));
        assertErrno(Errno.ENOTDIR, () -> vfs.rename(root, AT_FDCWD, "/d/b/", AT_FDCWD, "/d/c", 0));
        assertErrno(Errno.EBUSY, () -> vfs.rename(root, AT_FDCWD, "/d/.", AT_FDCWD, "/x", 0));
        assertErrno(Errno.EEXIST, () -> vfs.rename(root, AT_FDCWD, "/d/b", AT_FDCWD, "/d/b2", Vfs.RENAME_NOREPLACE));
        assertErrno(Errno.ENOENT, () -> vfs.rename(root, AT_FDCWD, "/d/b", AT_FDCWD, "/d/zz", Vfs.RENAME_EXCHANGE));
        assertErrno(Errno.EINVAL, () -> vfs.rename(root, AT_FDCWD, "/d/b", AT_FDCWD, "/d/zz",
                Vfs.RENAME_EXCHANGE | Vfs.RENAME_NOREPLACE));
        // Directory over an empty directory, moving between parents: link counts follow.
        vfs.rename(root, AT_FDCWD, "/d/dir/inner", AT_FDCWD, "/d/empty", 0);
        assertEquals(2, stat("/d/dir").nlink());
        assertEquals(4, stat("/d").nlink());                                 // ., .., dir/.., empty/..
        vfs.rename(root, AT_FDCWD, "/d/empty", AT_FDCWD, "/top", 0);
        assertEquals(3, stat("/d").nlink());
        // RENAME_EXCHANGE of a file and a directory in different parents.
        vfs.rename(root, AT_FDCWD, "/d/b", AT_FDCWD, "/top", Vfs.RENAME_EXCHANGE);
        assertTrue(stat("/d/b").isDirectory());
        assertEquals("A", Guests.read(vfs, root, "/top"));
        assertEquals(4, stat("/d").nlink());
    }

    @Test
    void unlinkedFilesStayReadableWhileOpen() throws ErrnoException {
        Guests.write(vfs, root, "/d/f", "still here");
        OpenFile f = vfs.open(root, AT_FDCWD, "/d/f", OpenFile.O_RDWR, 0);
        vfs.unlink(root, AT_FDCWD, "/d/f");
        assertEquals(0, f.stat().nlink());
        assertEquals("/d/f (deleted)", f.path());
        assertEquals("still here", Guests.read(f));
        f.write(MemorySegment.ofArray("!".getBytes(StandardCharsets.UTF_8)));
        byte[] all = new byte[11];
        assertEquals(11, f.pread(MemorySegment.ofArray(all), 0));
        assertEquals("still here!", new String(all, StandardCharsets.UTF_8));
        // The mapping source outlives the descriptor too.
        MappableFile m = f.mappable();
        f.close();
        byte[] page = new byte[4096];
        assertEquals(11, m.readAt(0, MemorySegment.ofArray(page)));
        assertEquals('s', page[0]);
    }

    @Test
    void sparseFilesReadZerosAndReportHoles() throws ErrnoException {
        OpenFile f = vfs.open(root, AT_FDCWD, "/d/sparse", OpenFile.O_RDWR | OpenFile.O_CREAT, 0644);
        f.pwrite(MemorySegment.ofArray(new byte[] {1, 2, 3}), 1 << 20);
        assertEquals((1 << 20) + 3, f.stat().size());
        assertEquals(8, f.stat().blocks());                                   // one 4 KiB page
        byte[] buf = new byte[16];
        java.util.Arrays.fill(buf, (byte) 7);
        assertEquals(16, f.pread(MemorySegment.ofArray(buf), 4096));
        assertArrayEquals(new byte[16], buf);
        assertEquals(1 << 20, f.seek(0, OpenFile.SEEK_DATA));
        assertEquals(0, f.seek(0, OpenFile.SEEK_HOLE));
        assertEquals((1 << 20) + 3, f.seek(1 << 20, OpenFile.SEEK_HOLE));
        assertErrno(Errno.ENXIO, () -> f.seek((1 << 20) + 3, OpenFile.SEEK_DATA));
        // Shrinking drops the data; growing again shows zeros, not the old bytes.
        RegularFile rf = (RegularFile) f;
        vfs.ftruncate(root, rf, (1 << 20) + 1);
        vfs.ftruncate(root, rf, (1 << 20) + 3);
        assertEquals(3, f.pread(MemorySegment.ofArray(buf).asSlice(0, 3), 1 << 20));
        assertArrayEquals(new byte[] {1, 0, 0}, java.util.Arrays.copyOf(buf, 3));
        vfs.ftruncate(root, rf, 0);
        assertEquals(0, f.stat().blocks());
        f.close();
    }

    @Test
    void appendWritesAtTheEndAndTruncOnOpen() throws ErrnoException {
        Guests.write(vfs, root, "/d/log", "one\n");
        OpenFile f = vfs.open(root, AT_FDCWD, "/d/log", OpenFile.O_WRONLY | OpenFile.O_APPEND, 0);
        f.seek(0, OpenFile.SEEK_SET);
        f.write(MemorySegment.ofArray("two\n".getBytes(StandardCharsets.UTF_8)));
        f.pwrite(MemorySegment.ofArray("three\n".getBytes(StandardCharsets.UTF_8)), 0);   // appends, as Linux
        f.close();
        assertEquals("one\ntwo\nthree\n", Guests.read(vfs, root, "/d/log"));
        vfs.open(root, AT_FDCWD, "/d/log", OpenFile.O_RDONLY | OpenFile.O_TRUNC, 0).close();
        assertEquals(0, stat("/d/log").size());
        assertEquals(OpenFile.O_WRONLY | OpenFile.O_APPEND | OpenFile.O_LARGEFILE,
                vfs.open(root, AT_FDCWD, "/d/log", OpenFile.O_WRONLY | OpenFile.O_APPEND | OpenFile.O_CREAT, 0).flags());
    }

    @Test
    void timestampsMoveAsOnLinux() throws Exception {
        Guests.write(vfs, root, "/d/t", "x");
        Stat s0 = stat("/d/t"), d0 = stat("/d");
        Thread.sleep(2);
        OpenFile f = vfs.open(root, AT_FDCWD, "/d/t", OpenFile.O_RDWR, 0);
        f.write(MemorySegment.ofArray(new byte[] {1}));
        Stat s1 = stat("/d/t");
        assertTrue(s1.mtimeNs() > s0.mtimeNs());
        assertEquals(s1.mtimeNs(), s1.ctimeNs());
        assertEquals(d0.mtimeNs(), stat("/d").mtimeNs());                     // writing a file leaves its directory
        Thread.sleep(2);
        vfs.chmod(root, vfs.resolve(root, AT_FDCWD, "/d/t", 0), 0600);
        Stat s2 = stat("/d/t");
        assertEquals(s1.mtimeNs(), s2.mtimeNs());
        assertTrue(s2.ctimeNs() > s1.ctimeNs());
        // relatime: a read after a change updates atime once; another read leaves it.
        f.pread(MemorySegment.ofArray(new byte[1]), 0);
        long a1 = stat("/d/t").atimeNs();
        assertTrue(a1 >= s2.ctimeNs());
        Thread.sleep(2);
        f.pread(MemorySegment.ofArray(new byte[1]), 0);
        assertEquals(a1, stat("/d/t").atimeNs());
        Thread.sleep(2);
        Guests.write(vfs, root, "/d/new", "");
        assertTrue(stat("/d").mtimeNs() > d0.mtimeNs());
        vfs.setTimes(root, vfs.resolve(root, AT_FDCWD, "/d/t", 0), 5_000_000_123L, Vfs.TIME_OMIT);
        assertEquals(5_000_000_123L, stat("/d/t").atimeNs());
        assertEquals(s1.mtimeNs(), stat("/d/t").mtimeNs());
        f.close();
    }

    @Test
    void permissionsForOrdinaryUsers() throws ErrnoException {
        Process user = Guests.process(1000), other = Guests.process(2000);
        vfs.mkdir(root, AT_FDCWD, "/tmp", 0777);
        vfs.chmod(root, vfs.resolve(root, AT_FDCWD, "/tmp", 0), 01777);
        Guests.write(vfs, user, "/tmp/mine", "secret");
        assertEquals(1000, stat("/tmp/mine").uid());
        assertEquals(0644, stat("/tmp/mine").mode() & 07777);                // umask 022
        assertErrno(Errno.EACCES, () -> vfs.open(other, AT_FDCWD, "/tmp/mine", OpenFile.O_WRONLY, 0));
        assertErrno(Errno.EPERM, () -> vfs.unlink(other, AT_FDCWD, "/tmp/mine"));           // sticky /tmp
        assertErrno(Errno.EPERM, () -> vfs.chmod(other, vfs.resolve(other, AT_FDCWD, "/tmp/mine", 0), 0777));
        assertErrno(Errno.EPERM, () -> vfs.chown(user, vfs.resolve(user, AT_FDCWD, "/tmp/mine", 0), 2000, -1));
        assertErrno(Errno.EACCES, () -> vfs.mkdir(user, AT_FDCWD, "/d/x", 0755));
        assertErrno(Errno.EACCES, () -> vfs.access(other, AT_FDCWD, "/tmp/mine", Permission.MAY_WRITE, 0));
        vfs.access(other, AT_FDCWD, "/tmp/mine", Permission.MAY_READ, 0);
        assertErrno(Errno.EACCES, () -> vfs.access(root, AT_FDCWD, "/tmp/mine", Permission.MAY_EXEC, 0));
        assertErrno(Errno.EPERM, () -> vfs.mknod(user, AT_FDCWD, "/tmp/null", Stat.S_IFCHR | 0666, Stat.makedev(1, 3)));
        vfs.mknod(root, AT_FDCWD, "/tmp/null", Stat.S_IFCHR | 0666, Stat.makedev(1, 3));
        assertEquals(Stat.makedev(1, 3), stat("/tmp/null").rdev());
        // Root needs an x bit somewhere to execute, but may then run any file.
        assertErrno(Errno.EACCES, () -> vfs.open(root, AT_FDCWD, "/tmp/mine", OpenFile.O_RDONLY | Vfs.FMODE_EXEC, 0));
        vfs.chmod(user, vfs.resolve(user, AT_FDCWD, "/tmp/mine", 0), 0700);
        vfs.open(root, AT_FDCWD, "/tmp/mine", OpenFile.O_RDONLY | Vfs.FMODE_EXEC, 0).close();
        assertErrno(Errno.EACCES, () -> vfs.open(other, AT_FDCWD, "/tmp/mine", OpenFile.O_RDONLY, 0));
        // A write by someone else clears setuid (file_remove_privs).
        vfs.chmod(user, vfs.resolve(user, AT_FDCWD, "/tmp/mine", 0), 04777);
        OpenFile w = vfs.open(other, AT_FDCWD, "/tmp/mine", OpenFile.O_WRONLY, 0);
        w.write(MemorySegment.ofArray(new byte[] {'x'}));
        assertEquals(0777, stat("/tmp/mine").mode() & 07777);
        w.close();
    }

    @Test
    void directoryListingsKeepTheirPlace() throws ErrnoException {
        for (int k = 0; k < 5; k++) Guests.write(vfs, root, "/d/f" + k, "");
        DirectoryFile dir = (DirectoryFile) vfs.open(root, AT_FDCWD, "/d", OpenFile.O_RDONLY | OpenFile.O_DIRECTORY, 0);
        DirectoryReader r = dir.directory();
        List<String> names = new ArrayList<>();
        long c = 0;
        for (int k = 0; k < 4; k++) {
            DirectoryReader.Entry e = r.at(c);
            names.add(e.name());
            c = e.nextCookie();
        }
        vfs.unlink(root, AT_FDCWD, "/d/f0");                                  // already listed
        vfs.unlink(root, AT_FDCWD, "/d/f3");                                  // not yet listed
        Guests.write(vfs, root, "/d/late", "");
        for (DirectoryReader.Entry e = r.at(c); e != null; e = r.at(e.nextCookie())) names.add(e.name());
        assertEquals(List.of(".", "..", "f0", "f1", "f2", "f4", "late"), names);
        assertEquals(stat("/").ino(), r.at(1).ino());
        assertEquals(Stat.dtype(Stat.S_IFREG), r.at(2).type());
        dir.close();
    }

    @Test
    void sizeLimitGivesEnospc() throws ErrnoException {
        Vfs small = new Vfs(new TmpFs("tmpfs", 01777, 3 * 4096, 0), "tmpfs");
        OpenFile f = small.open(root, AT_FDCWD, "/big", OpenFile.O_RDWR | OpenFile.O_CREAT, 0644);
        assertEquals(3 * 4096, f.write(MemorySegment.ofArray(new byte[4 * 4096])));  // short write
        assertErrno(Errno.ENOSPC, () -> f.write(MemorySegment.ofArray(new byte[1])));
        small.unlink(root, AT_FDCWD, "/big");
        OpenFile g = small.open(root, AT_FDCWD, "/g", OpenFile.O_RDWR | OpenFile.O_CREAT, 0644);
        assertEquals(4096, g.write(MemorySegment.ofArray(new byte[4096])));     // the unlinked file's pages were given back
        assertNotEquals(0, small.rootMount().fs().statfs().bfree());
        f.close();
        g.close();
    }

    @Test
    void symlinksAndTmpfiles() throws ErrnoException {
        vfs.symlink(root, "target/that/does/not/exist", AT_FDCWD, "/d/dangling");
        Stat s = stat("/d/dangling");
        assertTrue(s.isSymlink());
        assertEquals("target/that/does/not/exist".length(), s.size());
        assertEquals(0777, s.mode() & 07777);
        assertEquals("target/that/does/not/exist", vfs.readlink(root, AT_FDCWD, "/d/dangling"));
        assertErrno(Errno.EINVAL, () -> vfs.readlink(root, AT_FDCWD, "/d"));
        assertErrno(Errno.ENOENT, () -> vfs.symlink(root, "", AT_FDCWD, "/d/empty"));
        // O_CREAT through a dangling link creates the link's target (in the link's directory).
        vfs.symlink(root, "made", AT_FDCWD, "/d/maker");
        vfs.open(root, AT_FDCWD, "/d/maker", OpenFile.O_WRONLY | OpenFile.O_CREAT, 0600).close();
        assertTrue(stat("/d/made").isRegular());
        assertErrno(Errno.EEXIST, () -> vfs.open(root, AT_FDCWD, "/d/maker", OpenFile.O_WRONLY | OpenFile.O_CREAT
                | OpenFile.O_EXCL, 0600));
        assertErrno(Errno.ELOOP, () -> vfs.open(root, AT_FDCWD, "/d/maker", OpenFile.O_RDONLY | OpenFile.O_NOFOLLOW, 0));
        OpenFile path = vfs.open(root, AT_FDCWD, "/d/maker", OpenFile.O_PATH | OpenFile.O_NOFOLLOW, 0);
        assertTrue(path.stat().isSymlink());
        assertFalse(path.readable());
        // O_TMPFILE: unnamed until linkat gives it a name.
        OpenFile tmp = vfs.open(root, AT_FDCWD, "/d", OpenFile.O_TMPFILE | OpenFile.O_RDWR, 0600);
        assertEquals(0, tmp.stat().nlink());
        tmp.write(MemorySegment.ofArray("anon".getBytes(StandardCharsets.UTF_8)));
        root.files().install(tmp, false);
        vfs.link(root, 0, "", AT_FDCWD, "/d/named", Vfs.AT_EMPTY_PATH);
        assertEquals("anon", Guests.read(vfs, root, "/d/named"));
        assertEquals(1, stat("/d/named").nlink());
    }
}
