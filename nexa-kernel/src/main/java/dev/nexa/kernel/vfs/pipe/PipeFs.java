package dev.nexa.kernel.vfs.pipe;

import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.FileSystem;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.StatFs;

/**
 * pipefs: where the inodes of anonymous pipes live. It is never attached to the tree; its files
 * are reached through descriptors and /proc/PID/fd links only.
 */
public final class PipeFs extends FileSystem {
    private final Dentry root;

    public PipeFs() {
        super("pipefs", FileSystem.anonymousDev());
        this.root = Dentry.root(new Inode(this, nextIno(), Stat.S_IFDIR | 0600, 0, 0, 0) {});
    }

    @Override
    public Dentry root() { return root; }

    @Override
    public StatFs statfs() { return new StatFs(StatFs.PIPEFS_MAGIC, 4096, 0, 0, 0, 0, 0, dev(), 255); }
}
