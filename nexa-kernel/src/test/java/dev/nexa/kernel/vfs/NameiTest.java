package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.tmpfs.TmpFs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static dev.nexa.kernel.vfs.Guests.assertErrno;
import static dev.nexa.kernel.vfs.Vfs.AT_FDCWD;
import static dev.nexa.kernel.vfs.Vfs.AT_SYMLINK_NOFOLLOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Path resolution: confinement, symlinks, dot-dot, mounts, trailing slashes, limits, permissions. */
class NameiTest {
    private Vfs vfs;
    private Process root;

    @BeforeEach
    void tree() throws ErrnoException {
        vfs = Guests.tmpRoot();
        root = Guests.process(0);
        vfs.mkdir(root, AT_FDCWD, "/etc", 0755);
        Guests.write(vfs, root, "/etc/secret", "host secret");
        vfs.mkdir(root, AT_FDCWD, "/jail", 0755);
        vfs.mkdir(root, AT_FDCWD, "/jail/etc", 0755);
        Guests.write(vfs, root, "/jail/etc/passwd", "jailed");
        vfs.mkdir(root, AT_FDCWD, "/jail/bin", 0755);
    }

    private String where(Process p, String path, int flags) throws ErrnoException {
        return vfs.pathName(vfs.resolve(p, AT_FDCWD, path, flags), null);
    }

    private Process jailed() throws ErrnoException {
        Process p = Guests.process(0);
        vfs.chroot(p, "/jail");
        vfs.chdir(p, "/");
        return p;
    }

    @Test
    void dotDotAtTheRootStaysThere() throws ErrnoException {
        assertEquals("/", where(root, "/..", 0));
        assertEquals("/", where(root, "/../../..", 0));
        assertEquals("/etc", where(root, "/../etc/../../etc", 0));
        Process p = jailed();
        assertEquals("/jail", where(p, "/..", 0));
        assertEquals("/jail/etc", where(p, "../../../../etc", 0));
        assertEquals("/", vfs.pathName(vfs.resolve(p, AT_FDCWD, "..", 0), p));
    }

    @Test
    void absoluteSymlinksResolveInsideTheRoot() throws ErrnoException {
        vfs.symlink(root, "/etc", AT_FDCWD, "/jail/bin/etc-link");
        vfs.symlink(root, "../../../../../etc/secret", AT_FDCWD, "/jail/bin/climb");
        Process p = jailed();
        assertEquals("/jail/etc", where(p, "/bin/etc-link", 0));
        assertEquals("jailed", Guests.read(vfs, p, "/bin/etc-link/passwd"));
        assertErrno(Errno.ENOENT, () -> vfs.resolve(p, AT_FDCWD, "/bin/climb", 0));
        assertErrno(Errno.ENOENT, () -> vfs.resolve(p, AT_FDCWD, "/bin/etc-link/secret", 0));
        // Outside the jail the same links lead to the real /etc.
        assertEquals("host secret", Guests.read(vfs, root, "/jail/bin/climb"));
        assertEquals("/etc", where(root, "/jail/bin/etc-link", 0));
    }

    @Test
    void symlinkLoopsAreEloopAfterFortyLinks() throws ErrnoException {
        vfs.symlink(root, "b", AT_FDCWD, "/a");
        vfs.symlink(root, "a", AT_FDCWD, "/b");
        vfs.symlink(root, "self", AT_FDCWD, "/self");
        assertErrno(Errno.ELOOP, () -> vfs.resolve(root, AT_FDCWD, "/a", 0));
        assertErrno(Errno.ELOOP, () -> vfs.resolve(root, AT_FDCWD, "/self/x", 0));
        assertEquals("/a", where(root, "/a", AT_SYMLINK_NOFOLLOW));
        // A chain of exactly 40 links resolves; 41 is one too many (MAXSYMLINKS).
        for (int k = 1; k <= 41; k++) vfs.symlink(root, k == 1 ? "/etc/secret" : "/l" + (k - 1), AT_FDCWD, "/l" + k);
        assertEquals("/etc/secret", where(root, "/l40", 0));
        assertErrno(Errno.ELOOP, () -> vfs.resolve(root, AT_FDCWD, "/l41", 0));
    }

    @Test
    void trailingSlashesDemandDirectories() throws ErrnoException {
        assertErrno(Errno.ENOTDIR, () -> vfs.resolve(root, AT_FDCWD, "/etc/secret/", 0));
        assertErrno(Errno.ENOTDIR, () -> vfs.resolve(root, AT_FDCWD, "/etc/secret/x", 0));
        assertErrno(Errno.ENOTDIR, () -> vfs.resolve(root, AT_FDCWD, "/etc/secret/.", 0));
        assertErrno(Errno.ENOENT, () -> vfs.resolve(root, AT_FDCWD, "/missing/", 0));
        assertEquals("/etc", where(root, "/etc/", 0));
        assertEquals("/etc", where(root, "//etc//", 0));
        vfs.symlink(root, "/etc", AT_FDCWD, "/dirlink");
        // lstat("dirlink/") follows the link: the trailing slash asks for the directory.
        assertTrue(vfs.resolve(root, AT_FDCWD, "/dirlink/", AT_SYMLINK_NOFOLLOW).inode().isDirectory());
        assertTrue(vfs.resolve(root, AT_FDCWD, "/dirlink", AT_SYMLINK_NOFOLLOW).inode().isSymlink());
        assertErrno(Errno.ENOTDIR, () -> vfs.open(root, AT_FDCWD, "/etc/secret", OpenFile.O_DIRECTORY, 0));
        assertErrno(Errno.EISDIR, () -> vfs.open(root, AT_FDCWD, "/newfile/", OpenFile.O_CREAT | OpenFile.O_WRONLY, 0644));
    }

    @Test
    void nameAndPathLimits() throws ErrnoException {
        String name255 = "n".repeat(255), name256 = "n".repeat(256);
        assertErrno(Errno.ENOENT, () -> vfs.resolve(root, AT_FDCWD, "/" + name255, 0));
        assertErrno(Errno.ENAMETOOLONG, () -> vfs.resolve(root, AT_FDCWD, "/" + name256, 0));
        assertErrno(Errno.ENAMETOOLONG, () -> vfs.mkdir(root, AT_FDCWD, "/" + name256, 0755));
        // Resolution stops at the first missing component, before a long name further on.
        assertErrno(Errno.ENOENT, () -> vfs.resolve(root, AT_FDCWD, "/missing/" + name256, 0));
        // Multi-byte names count bytes: 128 two-byte characters are 256 bytes.
        assertErrno(Errno.ENAMETOOLONG, () -> vfs.resolve(root, AT_FDCWD, "/" + "é".repeat(128), 0));
        String deep = "/" + "./".repeat(2047);                           // 4095 bytes
        assertEquals("/", where(root, deep, 0));
        assertErrno(Errno.ENAMETOOLONG, () -> vfs.resolve(root, AT_FDCWD, deep + "x", 0));
        assertErrno(Errno.ENOENT, () -> vfs.resolve(root, AT_FDCWD, "", 0));
    }

    @Test
    void mountsAreCrossedBothWays() throws ErrnoException {
        vfs.mkdir(root, AT_FDCWD, "/mnt", 0755);
        Guests.write(vfs, root, "/mnt/hidden", "under the mount");
        vfs.mount("/mnt", TmpFs.create(0), "tmpfs", 0);
        vfs.mkdir(root, AT_FDCWD, "/mnt/sub", 0755);
        assertErrno(Errno.ENOENT, () -> vfs.resolve(root, AT_FDCWD, "/mnt/hidden", 0));
        assertEquals("/", where(root, "/mnt/..", 0));
        assertEquals("/etc", where(root, "/mnt/sub/../../etc", 0));
        PathRef mnt = vfs.resolve(root, AT_FDCWD, "/mnt", 0);
        assertTrue(mnt.isMountRoot());
        assertEquals(mnt.mount().fs().dev(), vfs.stat(root, AT_FDCWD, "/mnt/sub", 0).dev());
        assertTrue(vfs.stat(root, AT_FDCWD, "/etc", 0).dev() != vfs.stat(root, AT_FDCWD, "/mnt", 0).dev());
        // A mount point cannot be removed or renamed while mounted.
        assertErrno(Errno.EBUSY, () -> vfs.rmdir(root, AT_FDCWD, "/mnt"));
        assertErrno(Errno.EXDEV, () -> vfs.rename(root, AT_FDCWD, "/etc/secret", AT_FDCWD, "/mnt/secret", 0));
        // ".." at the root of a mount inside a chroot jail still stops at the jail's root.
        vfs.mount("/jail/bin", TmpFs.create(0), "tmpfs", 0);
        Process p = jailed();
        assertEquals("/jail", where(p, "/bin/../..", 0));
    }

    @Test
    void searchPermissionIsCheckedOnEveryDirectory() throws ErrnoException {
        vfs.mkdir(root, AT_FDCWD, "/private", 0700);
        Guests.write(vfs, root, "/private/f", "x");
        vfs.chmod(root, vfs.resolve(root, AT_FDCWD, "/private/f", 0), 0644);
        Process user = Guests.process(1000);
        assertErrno(Errno.EACCES, () -> vfs.resolve(user, AT_FDCWD, "/private/f", 0));
        assertErrno(Errno.EACCES, () -> vfs.resolve(user, AT_FDCWD, "/private/missing", 0));
        assertErrno(Errno.EACCES, () -> vfs.resolve(user, AT_FDCWD, "/private/..", 0));
        assertEquals("/private/f", where(root, "/private/f", 0));            // root has CAP_DAC_READ_SEARCH
        vfs.chmod(root, vfs.resolve(root, AT_FDCWD, "/private", 0), 0711);   // search without read
        assertEquals("x", Guests.read(vfs, user, "/private/f"));
    }

    @Test
    void relativePathsStartAtTheDirectoryDescriptor() throws ErrnoException {
        Process p = Guests.process(0);
        OpenFile etc = vfs.open(p, AT_FDCWD, "/etc", OpenFile.O_PATH | OpenFile.O_DIRECTORY, 0);
        int fd = p.files().install(etc, false);
        assertEquals("/etc/secret", vfs.pathName(vfs.resolve(p, fd, "secret", 0), null));
        // An absolute path ignores dirfd, even an invalid one.
        assertEquals("/jail", vfs.pathName(vfs.resolve(p, 999, "/jail", 0), null));
        assertErrno(Errno.EBADF, () -> vfs.resolve(p, 999, "jail", 0));
        int file = p.files().install(vfs.open(p, AT_FDCWD, "/etc/secret", OpenFile.O_RDONLY, 0), false);
        assertErrno(Errno.ENOTDIR, () -> vfs.resolve(p, file, "x", 0));
        assertEquals("/etc/secret", vfs.pathName(vfs.resolve(p, file, "", Vfs.AT_EMPTY_PATH), null));
    }

    @Test
    void getcwdFollowsRenamesAndReportsRemovedDirectories() throws ErrnoException {
        Process p = Guests.process(0);
        vfs.mkdir(root, AT_FDCWD, "/work", 0755);
        vfs.mkdir(root, AT_FDCWD, "/work/dir", 0755);
        vfs.chdir(p, "/work/dir");
        assertEquals("/work/dir", vfs.getcwd(p));
        vfs.rename(root, AT_FDCWD, "/work", AT_FDCWD, "/moved", 0);
        assertEquals("/moved/dir", vfs.getcwd(p));
        vfs.rmdir(root, AT_FDCWD, "/moved/dir");
        assertErrno(Errno.ENOENT, () -> vfs.getcwd(p));
        Process q = jailed();
        vfs.chdir(q, "/etc");
        assertEquals("/etc", vfs.getcwd(q));
    }
}
