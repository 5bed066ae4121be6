package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.Inode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A host symlink, never followed on the host: the VFS resolves its text inside the guest root. */
final class HostSymlink extends Inode {
    private final Path hostPath;
    private final long hostDev;
    private final long size, blocks;
    private String target;

    HostSymlink(HostFs fs, Path hostPath, HostStat.Attrs attrs) {
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

    @Override
    public String readlink() throws ErrnoException {
        if (target == null) {
            try {
                target = Files.readSymbolicLink(hostPath).toString();
            } catch (IOException e) {
                throw HostFs.errno(e, hostPath);
            }
        }
        return target;
    }

    // Extended attributes are the host's (the mount is read-only, so nothing sets them).
    @Override public byte[] getxattr(String name) throws ErrnoException { return HostXattr.get(hostPath, name); }
    @Override public java.util.List<String> listxattr() throws ErrnoException { return HostXattr.list(hostPath); }
}
