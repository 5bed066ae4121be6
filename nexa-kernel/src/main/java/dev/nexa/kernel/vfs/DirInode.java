package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;

/**
 * A directory: name lookup, listing, and the namespace operations. The VFS has resolved the
 * parent, checked permissions, the name and the read-only state before calling a mutating method,
 * so these only change the file system's own structures. The defaults are the errors Linux gives
 * when a file system lacks the operation (vfs_mkdir and friends: EPERM; vfs_create: EACCES).
 */
public abstract class DirInode extends Inode {
    protected DirInode(FileSystem fs, long ino, int mode, int uid, int gid, long nowNs) {
        super(fs, ino, Stat.S_IFDIR | (mode & 07777), uid, gid, nowNs);
        this.nlink = 2;
    }

    /** The child called {@code name}, or null. {@code caller} is who asks (procfs's "self"). */
    public abstract Dentry lookup(Process caller, Dentry self, String name) throws ErrnoException;

    /** The entries for getdents, "." and ".." first; cookies stay valid while the directory changes. */
    public abstract DirectoryReader reader(Dentry self, Process caller) throws ErrnoException;

    /** True when the directory has no entries besides "." and "..". */
    public abstract boolean isEmpty() throws ErrnoException;

    /** Creates a regular file, device node, FIFO or socket ({@code mode} has the type bits). */
    public Dentry create(Dentry self, String name, int mode, long rdev, Cred cred, long nowNs) throws ErrnoException {
        throw new ErrnoException(Errno.EACCES);
    }

    public Dentry mkdir(Dentry self, String name, int mode, Cred cred, long nowNs) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    public Dentry symlink(Dentry self, String name, String target, Cred cred, long nowNs) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    public Dentry link(Dentry self, String name, Inode target, long nowNs) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    public void unlink(Dentry self, Dentry child, long nowNs) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    public void rmdir(Dentry self, Dentry child, long nowNs) throws ErrnoException {
        throw new ErrnoException(Errno.EPERM);
    }

    /** An unnamed regular file in this directory (O_TMPFILE); EOPNOTSUPP where unsupported. */
    public Dentry tmpfile(Dentry self, int mode, Cred cred, long nowNs) throws ErrnoException {
        throw new ErrnoException(Errno.EOPNOTSUPP);
    }

    /** The owner and group a new entry gets: the creator's, or the directory's group when it is setgid. */
    protected int groupForNew(Cred cred) { return (mode & Stat.S_ISGID) != 0 ? gid : cred.gid(); }
}
