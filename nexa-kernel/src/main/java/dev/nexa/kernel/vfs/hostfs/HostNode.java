package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.Inode;


/**
 * A host device node, FIFO or socket: attributes only. Opening a device node reaches Nexa's own
 * driver for that number (never the host device); a FIFO becomes a pipe inside the guest.
 */
final class HostNode extends Inode {
    private final java.nio.file.Path hostPath;
    private final long hostDev, size, blocks;

    HostNode(HostFs fs, java.nio.file.Path hostPath, HostStat.Attrs attrs) {
        super(fs, attrs.ino(), attrs.mode(), attrs.uid(), attrs.gid(), 0);
        this.hostPath = hostPath;
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

    // Extended attributes are the host's (the mount is read-only, so nothing sets them).
    @Override public byte[] getxattr(String name) throws ErrnoException { return HostXattr.get(hostPath, name); }
    @Override public java.util.List<String> listxattr() throws ErrnoException { return HostXattr.list(hostPath); }
}
