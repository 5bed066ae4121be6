package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;

import java.util.List;

/**
 * The VFS half of the extended-attribute calls (fs/xattr.c vfs_getxattr, vfs_setxattr,
 * vfs_removexattr, vfs_listxattr): the namespace rules of xattr_permission and the read-only
 * mount check; the values themselves come from the inode ({@link Inode#getxattr} and friends).
 */
public final class Xattrs {
    private Xattrs() {}

    static final String SECURITY = "security.", SYSTEM = "system.", TRUSTED = "trusted.", USER = "user.";

    /** getxattr: the attribute's value. */
    public static byte[] get(Process p, Inode in, String name) throws ErrnoException {
        permission(Cred.of(p), in, name, Permission.MAY_READ);
        return in.getxattr(name);
    }

    /** listxattr: the names; trusted.* only for root, as the handlers' list() filters them. */
    public static List<String> list(Process p, Inode in) throws ErrnoException {
        List<String> names = in.listxattr();
        if (Cred.of(p).isRoot()) return names;
        return names.stream().filter(n -> !n.startsWith(TRUSTED)).toList();
    }

    /** setxattr: EROFS on a read-only mount, then the namespace's permission, then the inode. */
    public static void set(Process p, PathRef where, String name, byte[] value, int flags, long nowNs) throws ErrnoException {
        Inode in = writable(p, where, name);
        in.setxattr(name, value, flags, nowNs);
    }

    public static void remove(Process p, PathRef where, String name, long nowNs) throws ErrnoException {
        Inode in = writable(p, where, name);
        in.removexattr(name, nowNs);
    }

    private static Inode writable(Process p, PathRef where, String name) throws ErrnoException {
        if (where == null) throw new ErrnoException(Errno.EOPNOTSUPP);
        if (where.mount().readOnly()) throw new ErrnoException(Errno.EROFS);
        Inode in = where.inode();
        permission(Cred.of(p), in, name, Permission.MAY_WRITE);
        return in;
    }

    /**
     * xattr_permission: security.* and system.* are left to the file system; trusted.* needs
     * CAP_SYS_ADMIN (without it a read finds nothing); user.* exists only on regular files and
     * directories, and only the owner may change it in a sticky directory; everything else
     * needs the ordinary permission (then finds no handler: EOPNOTSUPP).
     */
    static void permission(Cred cred, Inode in, String name, int mask) throws ErrnoException {
        boolean write = (mask & Permission.MAY_WRITE) != 0;
        // cap_inode_setxattr: changing security.* takes CAP_SYS_ADMIN.
        if (name.startsWith(SECURITY) && write && !cred.isRoot()) throw new ErrnoException(Errno.EPERM);
        if (name.startsWith(SECURITY) || name.startsWith(SYSTEM)) return;
        if (name.startsWith(TRUSTED)) {
            if (!cred.isRoot()) throw new ErrnoException(write ? Errno.EPERM : Errno.ENODATA);
            return;
        }
        if (name.startsWith(USER)) {
            if (!in.isRegular() && !in.isDirectory()) throw new ErrnoException(write ? Errno.EPERM : Errno.ENODATA);
            if (in.isDirectory() && (in.mode() & Stat.S_ISVTX) != 0 && write && !Permission.ownerOrRoot(cred, in)) {
                throw new ErrnoException(Errno.EPERM);
            }
        }
        Permission.check(cred, in, mask);
    }
}
