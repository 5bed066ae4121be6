package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.FileInode;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;

/** A host regular file: size and attributes from the lookup, contents by positional reads. */
final class HostFile extends FileInode {
    private final Path hostPath;
    private final long hostDev;
    private final long size;
    private final long blocks;

    HostFile(HostFs fs, Path hostPath, HostStat.Attrs attrs) {
        super(fs, attrs.ino(), attrs.mode(), attrs.uid(), attrs.gid(), 0);
        this.hostPath = hostPath;
        this.hostDev = attrs.dev();
        this.size = attrs.size();
        this.blocks = attrs.blocks();
        HostAttrs.apply(this, attrs);
    }

    Path hostPath() { return hostPath; }

    @Override
    public long dev() { return hostDev; }

    @Override
    public long size() { return size; }

    @Override
    public long blocks() { return blocks; }

    @Override
    public long read(long pos, MemorySegment dst) throws ErrnoException {
        if (pos >= size) return 0;
        long want = Math.min(dst.byteSize(), size - pos);
        FileChannel ch = ((HostFs) fs()).channel(this);
        ByteBuffer buf = dst.asSlice(0, want).asByteBuffer();
        try {
            long total = 0;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, pos + total);
                if (n <= 0) break;
                total += n;
            }
            return total;
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO, "host " + hostPath + ": " + e.getMessage());
        }
    }

    // Extended attributes are the host's (the mount is read-only, so nothing sets them).
    @Override public byte[] getxattr(String name) throws ErrnoException { return HostXattr.get(hostPath, name); }
    @Override public java.util.List<String> listxattr() throws ErrnoException { return HostXattr.list(hostPath); }
}
