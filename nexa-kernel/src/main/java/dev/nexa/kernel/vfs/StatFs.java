package dev.nexa.kernel.vfs;

/**
 * What statfs(2) reports for a file system (struct statfs; f_flags comes from the mount).
 *
 * @param type    the magic number (f_type): TMPFS_MAGIC, PROC_SUPER_MAGIC, EXT4_SUPER_MAGIC, ...
 * @param bsize   optimal transfer block size, also the unit of the block counts
 */
public record StatFs(long type, long bsize, long blocks, long bfree, long bavail, long files, long ffree,
                     long fsid, long namelen) {
    public static final long TMPFS_MAGIC = 0x01021994L, PROC_SUPER_MAGIC = 0x9fa0L, PIPEFS_MAGIC = 0x50495045L,
            EXT4_SUPER_MAGIC = 0xEF53L, DEVPTS_SUPER_MAGIC = 0x1cd1L;
    public static final int ST_RDONLY = 1, ST_NOSUID = 2, ST_NODEV = 4, ST_NOEXEC = 8, ST_VALID = 0x20,
            ST_RELATIME = 1024;
}
