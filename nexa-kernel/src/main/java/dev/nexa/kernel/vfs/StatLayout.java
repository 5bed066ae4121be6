package dev.nexa.kernel.vfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The x86-64 byte layouts of struct stat (144 bytes, arch/x86/include/uapi/asm/stat.h), struct
 * statx (256 bytes, include/uapi/linux/stat.h) and struct statfs (120 bytes, asm-generic/statfs.h),
 * in one place.
 */
public final class StatLayout {
    private StatLayout() {}

    public static final int STAT_SIZE = 144, STATX_SIZE = 256, STATFS_SIZE = 120;
    public static final int STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_NLINK = 0x4, STATX_UID = 0x8, STATX_GID = 0x10,
            STATX_ATIME = 0x20, STATX_MTIME = 0x40, STATX_CTIME = 0x80, STATX_INO = 0x100, STATX_SIZE_BIT = 0x200,
            STATX_BLOCKS = 0x400, STATX_BASIC_STATS = 0x7ff, STATX_BTIME = 0x800, STATX_MNT_ID = 0x1000,
            STATX__RESERVED = 0x8000_0000;
    public static final long STATX_ATTR_MOUNT_ROOT = 0x2000;

    /** struct stat: dev, ino, nlink, mode, uid, gid, pad, rdev, size, blksize, blocks, then three timespecs. */
    public static byte[] stat(Stat s) {
        ByteBuffer b = ByteBuffer.allocate(STAT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(s.dev()).putLong(s.ino()).putLong(s.nlink());
        b.putInt(s.mode()).putInt(s.uid()).putInt(s.gid()).putInt(0);
        b.putLong(s.rdev()).putLong(s.size()).putLong(s.blksize()).putLong(s.blocks());
        timespec(b, s.atimeNs());
        timespec(b, s.mtimeNs());
        timespec(b, s.ctimeNs());
        return b.array();
    }

    private static void timespec(ByteBuffer b, long ns) {
        b.putLong(Math.floorDiv(ns, 1_000_000_000L)).putLong(Math.floorMod(ns, 1_000_000_000L));
    }

    /**
     * struct statx with the basic stats and the mount id (what Linux fills whatever the request
     * mask); device numbers split into major and minor.
     */
    public static byte[] statx(Stat s, long mountId, boolean mountRoot) {
        ByteBuffer b = ByteBuffer.allocate(STATX_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(STATX_BASIC_STATS | STATX_MNT_ID);                   // stx_mask
        b.putInt((int) s.blksize());
        b.putLong(mountRoot ? STATX_ATTR_MOUNT_ROOT : 0);             // stx_attributes
        b.putInt((int) s.nlink()).putInt(s.uid()).putInt(s.gid());
        b.putShort((short) s.mode()).putShort((short) 0);
        b.putLong(s.ino()).putLong(s.size()).putLong(s.blocks());
        b.putLong(STATX_ATTR_MOUNT_ROOT);                             // stx_attributes_mask
        statxTimestamp(b, s.atimeNs());
        statxTimestamp(b, 0);                                         // stx_btime: not in stx_mask
        statxTimestamp(b, s.ctimeNs());
        statxTimestamp(b, s.mtimeNs());
        b.putInt(Stat.major(s.rdev())).putInt(Stat.minor(s.rdev()));
        b.putInt(Stat.major(s.dev())).putInt(Stat.minor(s.dev()));
        b.putLong(mountId);
        return b.array();
    }

    private static void statxTimestamp(ByteBuffer b, long ns) {
        b.putLong(Math.floorDiv(ns, 1_000_000_000L)).putInt((int) Math.floorMod(ns, 1_000_000_000L)).putInt(0);
    }

    /** struct statfs: type, bsize, blocks, bfree, bavail, files, ffree, fsid, namelen, frsize, flags, spare. */
    public static byte[] statfs(StatFs f, long flags) {
        ByteBuffer b = ByteBuffer.allocate(STATFS_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(f.type()).putLong(f.bsize()).putLong(f.blocks()).putLong(f.bfree()).putLong(f.bavail());
        b.putLong(f.files()).putLong(f.ffree());
        b.putInt((int) f.fsid()).putInt((int) (f.fsid() >>> 32));
        b.putLong(f.namelen()).putLong(f.bsize()).putLong(flags);
        return b.array();
    }
}
