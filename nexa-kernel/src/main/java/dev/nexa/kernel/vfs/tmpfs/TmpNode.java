package dev.nexa.kernel.vfs.tmpfs;

import dev.nexa.kernel.vfs.Inode;

/** A device node, FIFO or socket in tmpfs: only attributes (and st_rdev for devices). */
final class TmpNode extends Inode {
    TmpNode(TmpFs fs, long ino, int mode, long rdev, int uid, int gid, long nowNs) {
        super(fs, ino, mode, uid, gid, nowNs);
        this.rdev = rdev;
    }
}
