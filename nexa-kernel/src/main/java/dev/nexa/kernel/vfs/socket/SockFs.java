package dev.nexa.kernel.vfs.socket;

import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.FileSystem;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.StatFs;

/**
 * sockfs: where the inodes of sockets live (net/socket.c). Never attached to the tree; its files
 * are reached through descriptors and /proc/PID/fd links ("socket:[ino]") only.
 */
public final class SockFs extends FileSystem {
    /** SOCKFS_MAGIC (include/uapi/linux/magic.h). */
    static final long SOCKFS_MAGIC = 0x534F434BL;

    private final Dentry root;

    public SockFs() {
        super("sockfs", FileSystem.anonymousDev());
        this.root = Dentry.root(new Inode(this, nextIno(), Stat.S_IFDIR | 0555, 0, 0, 0) {});
    }

    @Override
    public Dentry root() { return root; }

    @Override
    public StatFs statfs() { return new StatFs(SOCKFS_MAGIC, 4096, 0, 0, 0, 0, 0, dev(), 255); }
}
