package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.Inode;

import java.nio.file.Path;
import java.util.List;

/**
 * What a host symlink and a host device node, FIFO or socket share: the attributes of the host's
 * lstat, fixed when the inode is made, and the host's extended attributes.
 */
abstract sealed class HostLeaf extends Inode permits HostNode, HostSymlink {
    final Path hostPath;
    private final long hostDev, size, blocks;

    HostLeaf(HostFs fs, Path hostPath, HostStat.Attrs attrs) {
        super(fs, attrs.ino(), attrs.mode(), attrs.uid(), attrs.gid(), 0);
        this.hostPath = hostPath;
        this.hostDev = attrs.dev();
        this.size = attrs.size();
        this.blocks = attrs.blocks();
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
    @Override public List<String> listxattr() throws ErrnoException { return HostXattr.list(hostPath); }
}
