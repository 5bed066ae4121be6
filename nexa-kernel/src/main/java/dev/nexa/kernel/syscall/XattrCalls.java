package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.PathRef;
import dev.nexa.kernel.vfs.Vfs;
import dev.nexa.kernel.vfs.Xattrs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/**
 * The extended-attribute calls (fs/xattr.c): the path forms follow a final symlink, the l-forms do
 * not, the f-forms take a descriptor. Argument checks come first, in Linux's order: the name
 * (ERANGE when empty or longer than XATTR_NAME_MAX), flags, the value's size (E2BIG), then the
 * lookup. What an attribute is and who may touch it: {@link Xattrs} and the inodes.
 */
final class XattrCalls {
    private XattrCalls() {}

    /** include/uapi/linux/limits.h. */
    static final int XATTR_NAME_MAX = 255, XATTR_SIZE_MAX = 65536, XATTR_LIST_MAX = 65536;

    static void register(SyscallTable t) {
        t.add(GETXATTR, (task, a) -> get(task, pathInode(task, a.l(0), 0), a.l(1), a.l(2), a.l(3)), STRING, STRING, PTR, SIZE);
        t.add(LGETXATTR, (task, a) -> get(task, pathInode(task, a.l(0), Vfs.AT_SYMLINK_NOFOLLOW), a.l(1), a.l(2), a.l(3)),
                STRING, STRING, PTR, SIZE);
        t.add(FGETXATTR, (task, a) -> get(task, fdInode(task, a.i(0)), a.l(1), a.l(2), a.l(3)), FD, STRING, PTR, SIZE);
        t.add(LISTXATTR, (task, a) -> list(task, pathInode(task, a.l(0), 0), a.l(1), a.l(2)), STRING, PTR, SIZE);
        t.add(LLISTXATTR, (task, a) -> list(task, pathInode(task, a.l(0), Vfs.AT_SYMLINK_NOFOLLOW), a.l(1), a.l(2)),
                STRING, PTR, SIZE);
        t.add(FLISTXATTR, (task, a) -> list(task, fdInode(task, a.i(0)), a.l(1), a.l(2)), FD, PTR, SIZE);
        t.add(SETXATTR, (task, a) -> set(task, a, 0), STRING, STRING, PTR, SIZE, CODE);
        t.add(LSETXATTR, (task, a) -> set(task, a, Vfs.AT_SYMLINK_NOFOLLOW), STRING, STRING, PTR, SIZE, CODE);
        t.add(FSETXATTR, (task, a) -> set(task, a, -1), FD, STRING, PTR, SIZE, CODE);
        t.add(REMOVEXATTR, (task, a) -> remove(task, a, 0), STRING, STRING);
        t.add(LREMOVEXATTR, (task, a) -> remove(task, a, Vfs.AT_SYMLINK_NOFOLLOW), STRING, STRING);
        t.add(FREMOVEXATTR, (task, a) -> remove(task, a, -1), FD, STRING);
    }

    /** An attribute name: ERANGE when empty or longer than XATTR_NAME_MAX (strncpy_from_user into kname). */
    static String name(Task t, long addr) throws ErrnoException {
        if (addr == 0) throw new ErrnoException(Errno.EFAULT);
        byte[] b;
        try {
            b = t.memory().readStringBytes(addr, XATTR_NAME_MAX + 1);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.ENAMETOOLONG) throw new ErrnoException(Errno.ERANGE);
            throw e;
        }
        if (b.length == 0) throw new ErrnoException(Errno.ERANGE);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static PathRef path(Task t, long pathAddr, int atFlags) throws ErrnoException {
        return t.kernel().vfs().resolve(t.process(), Vfs.AT_FDCWD, FsCalls.path(t, pathAddr), atFlags);
    }

    private static Inode pathInode(Task t, long pathAddr, int atFlags) throws ErrnoException {
        return path(t, pathAddr, atFlags).inode();
    }

    /** The descriptor's file (fdget: O_PATH descriptors are EBADF). */
    private static OpenFile file(Task t, int fd) throws ErrnoException {
        OpenFile f = t.process().files().get(fd);
        if ((f.flags() & OpenFile.O_PATH) != 0) throw new ErrnoException(Errno.EBADF);
        return f;
    }

    /** The inode behind a descriptor; files Nexa keeps without one (host streams) keep no attributes. */
    private static Inode fdInode(Task t, int fd) throws ErrnoException {
        Inode in = file(t, fd).inode();
        if (in == null) throw new ErrnoException(Errno.EOPNOTSUPP);
        return in;
    }

    /** getxattr's size rules: 0 asks for the length; a buffer too small is ERANGE. */
    static long get(Task t, Inode in, long nameAddr, long buf, long size) throws ErrnoException {
        byte[] v = Xattrs.get(t.process(), in, name(t, nameAddr));
        if (size == 0) return v.length;
        if (v.length > Math.min(size, XATTR_SIZE_MAX)) throw new ErrnoException(Errno.ERANGE);
        t.memory().write(buf, v);
        return v.length;
    }

    /** listxattr: the names, each NUL-terminated; E2BIG past XATTR_LIST_MAX, ERANGE when the buffer is short. */
    static long list(Task t, Inode in, long buf, long size) throws ErrnoException {
        List<String> names = Xattrs.list(t.process(), in);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String n : names) {
            out.writeBytes(n.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        byte[] b = out.toByteArray();
        if (size == 0) return b.length;
        if (b.length > Math.min(size, XATTR_LIST_MAX)) {
            throw new ErrnoException(b.length > XATTR_LIST_MAX ? Errno.E2BIG : Errno.ERANGE);
        }
        t.memory().write(buf, b);
        return b.length;
    }

    /** setxattr family; {@code atFlags} -1 means the descriptor form. */
    static long set(Task t, Args a, int atFlags) throws ErrnoException {
        String name = name(t, a.l(1));
        long size = a.l(3);
        int flags = a.i(4);
        if ((flags & ~(Inode.XATTR_CREATE | Inode.XATTR_REPLACE)) != 0) throw new ErrnoException(Errno.EINVAL);
        if (Long.compareUnsigned(size, XATTR_SIZE_MAX) > 0) throw new ErrnoException(Errno.E2BIG);
        byte[] value = size == 0 ? new byte[0] : t.memory().read(a.l(2), (int) size);
        PathRef where = atFlags < 0 ? fileLocation(t, a.i(0)) : path(t, a.l(0), atFlags);
        Xattrs.set(t.process(), where, name, value, flags, t.kernel().vfs().now());
        return 0;
    }

    static long remove(Task t, Args a, int atFlags) throws ErrnoException {
        String name = name(t, a.l(1));
        PathRef where = atFlags < 0 ? fileLocation(t, a.i(0)) : path(t, a.l(0), atFlags);
        Xattrs.remove(t.process(), where, name, t.kernel().vfs().now());
        return 0;
    }

    private static PathRef fileLocation(Task t, int fd) throws ErrnoException {
        return file(t, fd).location();
    }
}
