package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Bring-up file system: read-only host files by absolute or cwd-relative path. Replaced by the
 * full VFS (mounts, tmpfs, /proc, /dev, confinement).
 */
public final class BootstrapHostVfs implements Vfs {
    private final Path root;

    public BootstrapHostVfs(Path root) { this.root = root; }

    @Override
    public OpenFile open(Process process, int dirfd, String path, int flags, int mode) throws ErrnoException {
        if ((flags & OpenFile.O_ACCMODE) != OpenFile.O_RDONLY) throw new ErrnoException(Errno.EROFS, path);
        String abs = path.startsWith("/") ? path : process.cwd + "/" + path;
        Path host = root.resolve("." + Path.of(abs).normalize());
        try {
            PosixFileAttributes attrs = Files.readAttributes(host, PosixFileAttributes.class);
            if (!attrs.isRegularFile()) throw new ErrnoException(Errno.EACCES, path);
            FileChannel ch = FileChannel.open(host, StandardOpenOption.READ);
            int perms = 0;
            for (var p : attrs.permissions()) perms |= 1 << (8 - p.ordinal());
            long ino = ((Number) Files.getAttribute(host, "unix:ino", LinkOption.NOFOLLOW_LINKS)).longValue();
            return new HostRegularFile(abs, ch, Stat.S_IFREG | perms, ino, flags);
        } catch (NoSuchFileException e) {
            throw new ErrnoException(Errno.ENOENT, path);
        } catch (AccessDeniedException e) {
            throw new ErrnoException(Errno.EACCES, path);
        } catch (IOException e) {
            throw new ErrnoException(Errno.EIO, path);
        }
    }

    private static final class HostRegularFile extends OpenFile implements MappableFile {
        private final String path;
        private final FileChannel ch;
        private final int mode;
        private final long ino;
        private long pos;

        HostRegularFile(String path, FileChannel ch, int mode, long ino, int flags) {
            super(flags);
            this.path = path;
            this.ch = ch;
            this.mode = mode;
            this.ino = ino;
        }

        @Override public String path() { return path; }

        @Override public String name() { return path; }

        @Override public long dev() { return 0x801; }

        @Override public long ino() { return ino; }

        @Override
        public Stat stat() throws ErrnoException {
            return new Stat(0x801, ino, mode, 1, 0, 0, 0, size(), 4096, (size() + 511) / 512, 0, 0, 0);
        }

        @Override
        public long size() throws ErrnoException {
            try {
                return ch.size();
            } catch (IOException e) {
                throw new ErrnoException(Errno.EIO, path);
            }
        }

        @Override
        public long readAt(long offset, MemorySegment dst) throws ErrnoException {
            try {
                var buf = dst.asByteBuffer();
                long total = 0;
                while (buf.hasRemaining()) {
                    int n = ch.read(buf, offset + total);
                    if (n <= 0) break;
                    total += n;
                }
                return total;
            } catch (IOException e) {
                throw new ErrnoException(Errno.EIO, path);
            }
        }

        @Override
        public long read(MemorySegment dst) throws ErrnoException {
            long n = readAt(pos, dst);
            pos += n;
            return n;
        }

        @Override
        public long pread(MemorySegment dst, long at) throws ErrnoException { return readAt(at, dst); }

        @Override
        public long seek(long offset, int whence) throws ErrnoException {
            long base = switch (whence) {
                case SEEK_SET -> 0;
                case SEEK_CUR -> pos;
                case SEEK_END -> size();
                default -> throw new ErrnoException(Errno.EINVAL);
            };
            long np = base + offset;
            if (np < 0) throw new ErrnoException(Errno.EINVAL);
            return pos = np;
        }

        @Override
        public MappableFile mappable() { return this; }

        /**
         * Mappings keep the file after its descriptors are closed, so the channel stays open for
         * as long as anything references this object (the JDK's cleaner closes it after that).
         */
        @Override
        protected void release() {}
    }
}
