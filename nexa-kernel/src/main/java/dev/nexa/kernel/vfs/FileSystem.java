package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * One file system instance (Linux's super_block): its type name, device number, root dentry and
 * statfs figures. File systems without a device of their own take an anonymous one (major 0),
 * as Linux's get_anon_bdev hands them out.
 */
public abstract class FileSystem {
    private static final AtomicInteger ANON_MINOR = new AtomicInteger(20);

    private final String type;
    private final long dev;
    private long nextIno = 1;

    protected FileSystem(String type, long dev) {
        this.type = type;
        this.dev = dev;
    }

    /** A device number 0:N unique in this JVM, for memory and pseudo file systems. */
    public static long anonymousDev() { return Stat.makedev(0, ANON_MINOR.getAndIncrement()); }

    /** The type /proc/mounts and /proc/filesystems show ("tmpfs", "proc", ...). */
    public String type() { return type; }

    public long dev() { return dev; }

    public abstract Dentry root();

    /** True for file systems that cannot be written at all (the host view). */
    public boolean readOnly() { return false; }

    /** File system specific options for /proc/mounts (after the mount's own). */
    public String options() { return ""; }

    public abstract StatFs statfs();

    /**
     * Whether this file system keeps extended attributes named {@code name} in its inodes'
     * memory (its super_block's s_xattr handlers): none by default, so getxattr is EOPNOTSUPP.
     */
    public boolean keepsXattr(String name) { return false; }

    /** The next inode number (get_next_ino for memory file systems). */
    public long nextIno() { return nextIno++; }

    /**
     * rename(2) within this file system, after the VFS checked names, types, permissions and
     * loops: moves {@code old} (in {@code oldDir}) to {@code newName} in {@code newDir}, replacing
     * {@code target} (null when the name is free), or swapping both with RENAME_EXCHANGE.
     */
    public void rename(Dentry oldDir, Dentry old, Dentry newDir, String newName, Dentry target, int flags, long nowNs)
            throws ErrnoException {
        throw new ErrnoException(Errno.EPERM, type + " does not support rename");
    }
}
