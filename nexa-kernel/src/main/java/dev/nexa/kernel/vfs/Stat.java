package dev.nexa.kernel.vfs;

/**
 * What stat(2) reports about an inode. Times are nanoseconds since the epoch.
 */
public record Stat(long dev, long ino, int mode, long nlink, int uid, int gid, long rdev, long size,
                   long blksize, long blocks, long atimeNs, long mtimeNs, long ctimeNs) {
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000, S_IFLNK = 0120000, S_IFREG = 0100000,
            S_IFBLK = 0060000, S_IFDIR = 0040000, S_IFCHR = 0020000, S_IFIFO = 0010000;

    public int type() { return mode & S_IFMT; }

    public boolean isDirectory() { return type() == S_IFDIR; }

    public boolean isRegular() { return type() == S_IFREG; }

    public static long makedev(int major, int minor) {
        // Linux's new_encode_dev layout as glibc's makedev() builds it.
        return ((long) (major & 0xfffff000) << 32) | ((long) (major & 0xfff) << 8)
                | ((long) (minor & 0xffffff00) << 12) | (minor & 0xff);
    }
}
