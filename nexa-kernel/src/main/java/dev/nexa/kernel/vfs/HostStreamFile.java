package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One of the emulator's own standard streams passed through to the guest (stdin, stdout,
 * stderr of the Nexa process), as a plain stream: the guest's output is Nexa's output.
 * <p>
 * fstat and /proc/PID/fd report what the host stream really is (a terminal, a pipe, a file),
 * read from the host's /proc/self/fd; reopening it through /proc/self/fd/N or /dev/stdin gives
 * another description of the same stream.
 */
public final class HostStreamFile extends OpenFile {
    private static final String ATTRS = "unix:dev,ino,mode,nlink,uid,gid,rdev,size,lastAccessTime,lastModifiedTime,ctime";

    /** The (unattached) file system the three host streams live on, so descriptors can name them. */
    private static final class Streams extends FileSystem {
        private final Dentry root = Dentry.root(new Inode(this, 1, Stat.S_IFDIR | 0500, 0, 0, 0) {});

        Streams() { super("hoststreams", FileSystem.anonymousDev()); }

        @Override
        public Dentry root() { return root; }

        @Override
        public StatFs statfs() { return new StatFs(StatFs.PIPEFS_MAGIC, 4096, 0, 0, 0, 0, 0, dev(), 255); }
    }

    /** A host stream as an inode: its attributes are the host's, opening it reopens the stream. */
    private static final class StreamInode extends Inode {
        private final int fd;

        StreamInode(FileSystem fs, int fd) {
            super(fs, 100 + fd, Stat.S_IFIFO | 0600, 0, 0, 0);
            this.fd = fd;
        }

        @Override
        public Stat stat() {
            try {
                Map<String, Object> a = Files.readAttributes(Path.of("/proc/self/fd/" + fd), ATTRS);
                return new Stat(num(a, "dev"), num(a, "ino"), (int) num(a, "mode"), num(a, "nlink"), (int) num(a, "uid"),
                        (int) num(a, "gid"), num(a, "rdev"), num(a, "size"), 4096, (num(a, "size") + 511) / 512,
                        time(a, "lastAccessTime"), time(a, "lastModifiedTime"), time(a, "ctime"));
            } catch (IOException | RuntimeException e) {
                return new Stat(dev(), ino(), mode, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
            }
        }

        @Override
        public int mode() { return stat().mode(); }

        @Override
        public int uid() { return stat().uid(); }

        @Override
        public int gid() { return stat().gid(); }

        @Override
        public OpenFile open(Vfs vfs, PathRef where, int flags, Process caller) {
            return new HostStreamFile(fd, flags);
        }
    }

    private static final Streams STREAMS = new Streams();
    private static final Mount MOUNT = new Mount(null, 0, STREAMS, null, null, "host", 0);
    private static final PathRef[] LOCATIONS = new PathRef[3];

    static {
        for (int fd = 0; fd < 3; fd++) {
            LOCATIONS[fd] = new PathRef(MOUNT, new Dentry("fd" + fd, STREAMS.root(), new StreamInode(STREAMS, fd)));
        }
    }

    private final FileChannel channel;
    private final int fd;
    private String name;

    private HostStreamFile(int fd, int flags) {
        super(flags);
        this.fd = fd;
        this.channel = fd == 0 ? new FileInputStream(FileDescriptor.in).getChannel()
                : new FileOutputStream(fd == 1 ? FileDescriptor.out : FileDescriptor.err).getChannel();
    }

    public static HostStreamFile stdin() { return new HostStreamFile(0, O_RDONLY); }

    public static HostStreamFile stdout() { return new HostStreamFile(1, O_WRONLY); }

    public static HostStreamFile stderr() { return new HostStreamFile(2, O_WRONLY); }

    private static long num(Map<String, Object> a, String k) { return ((Number) a.get(k)).longValue(); }

    private static long time(Map<String, Object> a, String k) {
        return a.get(k) instanceof FileTime t ? t.to(TimeUnit.NANOSECONDS) : 0;
    }

    /** What the host says the stream is: "/dev/pts/3", "pipe:[1234]", a file's path. */
    @Override
    public String path() {
        if (name == null) {
            try {
                name = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            } catch (IOException | RuntimeException e) {
                name = "pipe:[" + (100 + fd) + "]";
            }
        }
        return name;
    }

    @Override
    public PathRef location() { return LOCATIONS[fd]; }

    @Override
    public Inode inode() { return LOCATIONS[fd].inode(); }

    @Override
    public Stat stat() { return LOCATIONS[fd].inode().stat(); }

    @Override
    public long read(MemorySegment dst) throws ErrnoException {
        if (!readable()) throw new ErrnoException(Errno.EBADF);
        if (fd != 0) return 0;
        try {
            int n = channel.read(dst.asByteBuffer());
            return Math.max(n, 0);
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO, path());
        }
    }

    @Override
    public long write(MemorySegment src) throws ErrnoException {
        if (!writable()) throw new ErrnoException(Errno.EBADF);
        if (fd == 0) throw new ErrnoException(Errno.EBADF);
        try {
            var buf = src.asByteBuffer();
            long total = 0;
            while (buf.hasRemaining()) total += channel.write(buf);
            return total;
        } catch (IOException e) {
            // The reader went away (nexa ... | head): as a pipe would, say EPIPE.
            throw new ErrnoException(Errno.EPIPE, path());
        }
    }

    /**
     * Whether the host descriptor is a regular file (nexa run prog < file): then it seeks and
     * reads at offsets like one, sharing the host's file offset as a dup'd descriptor would.
     * Pipes and terminals answer ESPIPE, as Linux's no_llseek does.
     */
    private boolean seekable() {
        if (seekable == null) seekable = stat().isRegular();
        return seekable;
    }

    private Boolean seekable;

    @Override
    public long seek(long offset, int whence) throws ErrnoException {
        if (!seekable()) throw new ErrnoException(Errno.ESPIPE);
        try {
            long size = channel.size();
            long base = switch (whence) {
                case SEEK_SET -> 0;
                case SEEK_CUR -> channel.position();
                case SEEK_END -> size;
                case SEEK_DATA -> {
                    if (offset < 0 || offset >= size) throw new ErrnoException(Errno.ENXIO);
                    yield 0;
                }
                case SEEK_HOLE -> {
                    if (offset < 0 || offset >= size) throw new ErrnoException(Errno.ENXIO);
                    yield size - offset;
                }
                default -> throw new ErrnoException(Errno.EINVAL);
            };
            long pos = base + offset;
            if (pos < 0) throw new ErrnoException(Errno.EINVAL);
            channel.position(pos);
            return pos;
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO, path());
        }
    }

    @Override
    public long pread(MemorySegment dst, long pos) throws ErrnoException {
        if (!seekable()) throw new ErrnoException(Errno.ESPIPE);
        if (fd != 0) throw new ErrnoException(Errno.EBADF);
        try {
            return Math.max(0, channel.read(dst.asByteBuffer(), pos));
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO, path());
        }
    }

    @Override
    public long pwrite(MemorySegment src, long pos) throws ErrnoException {
        if (!seekable()) throw new ErrnoException(Errno.ESPIPE);
        if (fd == 0) throw new ErrnoException(Errno.EBADF);
        try {
            var buf = src.asByteBuffer();
            long total = 0;
            while (buf.hasRemaining()) total += channel.write(buf, pos + total);
            return total;
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO, path());
        }
    }

    @Override
    protected void release() {
        // Never close Nexa's own standard streams.
    }
}
