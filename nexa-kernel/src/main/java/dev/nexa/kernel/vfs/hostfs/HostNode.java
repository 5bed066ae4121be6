package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.vfs.Inode;


/**
 * A host device node, FIFO or socket: attributes only. Opening a device node reaches Nexa's own
 * driver for that number (never the host device); a FIFO becomes a pipe inside the guest.
 */
final class HostNode extends Inode {
    private final long hostDev, size, blocks;

    HostNode(HostFs fs, HostStat.Attrs attrs) {
        super(fs, attrs.ino(), attrs.mode(), attrs.uid(), attrs.gid(), 0);
        this.hostDev = attrs.dev();
        this.size = attrs.size();
        this.blocks = attrs.blocks();
        this.rdev = attrs.rdev();
        HostAttrs.apply(this, attrs);
    }

    @Override
    public long dev() { return hostDev; }

    @Override
    public long size() { return size; }

    @Override
    public long blocks() { return blocks; }
}
