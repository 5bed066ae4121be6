package dev.nexa.kernel.vfs.devfs;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.tmpfs.TmpFs;

/**
 * /dev as devtmpfs populates it for a minimal system: the memory devices, tty, console and ttyS0, the
 * /proc/self/fd links (stdin, stdout, stderr, fd), and the directories shm (a tmpfs is mounted
 * there) and pts (empty until the terminal work provides ptys).
 */
public final class DevFs {
    private DevFs() {}

    /** A devtmpfs instance with the standard nodes. */
    public static TmpFs create(long nowNs) throws ErrnoException {
        TmpFs fs = new TmpFs("devtmpfs", 0755, 1L << 20, nowNs);
        populate(fs, fs.root(), nowNs);
        return fs;
    }

    /** Adds the standard nodes under {@code dir} of a tmpfs (also used for an initramfs's /dev). */
    public static void populate(TmpFs fs, Dentry dir, long nowNs) throws ErrnoException {
        node(fs, dir, "null", 1, 3, nowNs);
        node(fs, dir, "zero", 1, 5, nowNs);
        node(fs, dir, "full", 1, 7, nowNs);
        node(fs, dir, "random", 1, 8, nowNs);
        node(fs, dir, "urandom", 1, 9, nowNs);
        node(fs, dir, "tty", 5, 0, nowNs);
        fs.addNode(dir, "console", Stat.S_IFCHR | 0600, Stat.makedev(5, 1), null, 0, 0, nowNs);
        fs.addNode(dir, "ttyS0", Stat.S_IFCHR | 0660, Stat.makedev(4, 64), null, 0, 0, nowNs);
        fs.addNode(dir, "stdin", Stat.S_IFLNK | 0777, 0, "/proc/self/fd/0", 0, 0, nowNs);
        fs.addNode(dir, "stdout", Stat.S_IFLNK | 0777, 0, "/proc/self/fd/1", 0, 0, nowNs);
        fs.addNode(dir, "stderr", Stat.S_IFLNK | 0777, 0, "/proc/self/fd/2", 0, 0, nowNs);
        fs.addNode(dir, "fd", Stat.S_IFLNK | 0777, 0, "/proc/self/fd", 0, 0, nowNs);
        fs.addNode(dir, "shm", Stat.S_IFDIR | 01777, 0, null, 0, 0, nowNs);
        fs.addNode(dir, "pts", Stat.S_IFDIR | 0755, 0, null, 0, 0, nowNs);
    }

    private static void node(TmpFs fs, Dentry dir, String name, int major, int minor, long nowNs) throws ErrnoException {
        fs.addNode(dir, name, Stat.S_IFCHR | 0666, Stat.makedev(major, minor), null, 0, 0, nowNs);
    }
}
