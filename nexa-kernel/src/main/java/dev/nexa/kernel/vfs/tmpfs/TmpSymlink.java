package dev.nexa.kernel.vfs.tmpfs;

import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.Stat;

import java.nio.charset.StandardCharsets;

/** A tmpfs symlink: mode 0777, st_size the target's length in bytes. */
final class TmpSymlink extends Inode {
    private final String target;
    private final long length;

    TmpSymlink(TmpFs fs, long ino, String target, int uid, int gid, long nowNs) {
        super(fs, ino, Stat.S_IFLNK | 0777, uid, gid, nowNs);
        this.target = target;
        this.length = target.getBytes(StandardCharsets.UTF_8).length;
    }

    @Override
    public String readlink() { return target; }

    @Override
    public long size() { return length; }

    /** shmem keeps short targets inline and a page for long ones (SHORT_SYMLINK_LEN is 128). */
    @Override
    public long blocks() { return length >= 128 ? 8 : 0; }
}
