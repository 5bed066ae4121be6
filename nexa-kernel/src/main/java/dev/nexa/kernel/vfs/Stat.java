package dev.nexa.kernel.vfs;

/**
 * What stat(2) reports about an inode. Times are nanoseconds since the epoch; {@code dev} and
 * {@code rdev} use glibc's 64-bit dev_t encoding ({@link #makedev}).
 */
public record Stat(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size,
                   long blksize, long blocks, long atimeNs, long mtimeNs, long ctimeNs) {
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000;
    public static final int S_ISUID = 04000, S_ISGID = 02000, S_ISVTX = 01000, S_IXGRP = 010, S_IXUGO = 0111;

    public int type() { return mode & S_IFMT; }

    public boolean isDirectory() { return type() == S_IFDIR; }

    public boolean isRegular() { return type() == S_IFREG; }

    public boolean isSymlink() { return type() == S_IFLNK; }

    public static long makedev(int major, int minor) {
        // Linux's new_encode_dev layout as glibc's makedev() builds it.
        return ((long) (major & 0xfffff000) << 32) | ((long) (major & 0xfff) << 8)
                | ((long) (minor & 0xffffff00) << 12) | (minor & 0xff);
    }

    /** glibc's major(): bits 8-19 and 32-43. */
    public static int major(long dev) { return (int) (((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL)); }

    /** glibc's minor(): bits 0-7 and 20-31. */
    public static int minor(long dev) { return (int) ((dev & 0xff) | ((dev >>> 12) & ~0xffL)); }

    /** The d_type getdents reports for a mode (DT_* is S_IFMT >> 12). */
    public static int dtype(int mode) { return (mode & S_IFMT) >>> 12; }
}
