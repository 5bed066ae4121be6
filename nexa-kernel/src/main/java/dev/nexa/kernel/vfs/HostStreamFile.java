package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;

/**
 * One of the emulator's own standard streams passed through to the guest (stdin, stdout,
 * stderr of the Nexa process), as a plain stream: the guest's output is Nexa's output.
 */
public final class HostStreamFile extends OpenFile {
    private final String name;
    private final FileChannel channel;
    private final int fd;

    private HostStreamFile(String name, FileChannel channel, int fd, int flags) {
        super(flags);
        this.name = name;
        this.channel = channel;
        this.fd = fd;
    }

    public static HostStreamFile stdin() {
        return new HostStreamFile("pipe:[stdin]", new FileInputStream(FileDescriptor.in).getChannel(), 0, O_RDONLY);
    }

    public static HostStreamFile stdout() {
        return new HostStreamFile("pipe:[stdout]", new FileOutputStream(FileDescriptor.out).getChannel(), 1, O_WRONLY);
    }

    public static HostStreamFile stderr() {
        return new HostStreamFile("pipe:[stderr]", new FileOutputStream(FileDescriptor.err).getChannel(), 2, O_WRONLY);
    }

    @Override
    public String path() { return name; }

    @Override
    public Stat stat() {
        return new Stat(0, 100 + fd, Stat.S_IFIFO | 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
    }

    @Override
    public long read(MemorySegment dst) throws ErrnoException {
        if (!readable()) throw new ErrnoException(Errno.EBADF);
        try {
            int n = channel.read(dst.asByteBuffer());
            return Math.max(n, 0);
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO, name);
        }
    }

    @Override
    public long write(MemorySegment src) throws ErrnoException {
        if (!writable()) throw new ErrnoException(Errno.EBADF);
        try {
            var buf = src.asByteBuffer();
            long total = 0;
            while (buf.hasRemaining()) total += channel.write(buf);
            return total;
        } catch (IOException e) {
            // The reader went away (nexa ... | head): as a pipe would, say EPIPE.
            throw new ErrnoException(Errno.EPIPE, name);
        }
    }

    @Override
    protected void release() {
        // Never close Nexa's own standard streams.
    }
}
