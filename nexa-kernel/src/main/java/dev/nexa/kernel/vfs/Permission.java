package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;

/**
 * Unix permission checks as fs/namei.c does them (generic_permission, inode_permission,
 * may_delete): owner, group or other bits, and uid 0's capabilities: CAP_DAC_READ_SEARCH lets root
 * read anything and search any directory, CAP_DAC_OVERRIDE lets it write anything and execute a
 * file that has at least one x bit; CAP_FOWNER lets it act as every file's owner.
 */
public final class Permission {
    private Permission() {}

    public static final int MAY_EXEC = 1, MAY_WRITE = 2, MAY_READ = 4, MAY_APPEND = 8;

    /** generic_permission: EACCES unless {@code cred} may access {@code inode} for {@code mask}. */
    public static void check(Cred cred, Inode inode, int mask) throws ErrnoException {
        if (allowed(cred, inode, mask)) return;
        throw new ErrnoException(Errno.EACCES);
    }

    public static boolean allowed(Cred cred, Inode inode, int mask) {
        mask &= MAY_READ | MAY_WRITE | MAY_EXEC;
        int mode = inode.mode();
        int bits;
        if (cred.uid() == inode.uid()) bits = mode >> 6;
        else if (cred.inGroup(inode.gid())) bits = mode >> 3;
        else bits = mode;
        if ((mask & ~bits & 7) == 0) return true;
        if (!cred.isRoot()) return false;
        if (inode.isDirectory()) return true;                       // read/search and write override
        // CAP_DAC_OVERRIDE: everything but executing a file nobody may execute.
        return (mask & MAY_EXEC) == 0 || (mode & Stat.S_IXUGO) != 0;
    }

    /**
     * inode_permission: a write to a regular file, directory or symlink on a read-only mount is
     * EROFS before any mode bit is looked at (sb_permission).
     */
    public static void check(Cred cred, PathRef ref, int mask) throws ErrnoException {
        Inode in = ref.inode();
        if ((mask & MAY_WRITE) != 0 && ref.mount().readOnly()
                && (in.isRegular() || in.isDirectory() || in.isSymlink())) {
            throw new ErrnoException(Errno.EROFS);
        }
        check(cred, in, mask);
    }

    /** inode_owner_or_capable: the owner, or root (CAP_FOWNER). */
    public static boolean ownerOrRoot(Cred cred, Inode inode) {
        return cred.isRoot() || cred.uid() == inode.uid();
    }

    /**
     * The sticky-bit rule of may_delete (check_sticky): in a directory with S_ISVTX only the
     * file's owner, the directory's owner or root may remove or rename an entry.
     */
    public static void checkSticky(Cred cred, Inode dir, Inode victim) throws ErrnoException {
        if ((dir.mode() & Stat.S_ISVTX) == 0) return;
        if (cred.uid() == victim.uid() || cred.uid() == dir.uid() || cred.isRoot()) return;
        throw new ErrnoException(Errno.EPERM);
    }
}
