package dev.nexa.kernel.vfs.devfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.Devices;
import dev.nexa.kernel.vfs.InodeFile;
import dev.nexa.kernel.vfs.MappableFile;
import dev.nexa.kernel.vfs.PathRef;

import java.lang.foreign.MemorySegment;
import java.util.random.RandomGenerator;

/**
 * The memory devices of major 1 (drivers/char/mem.c, random.c): /dev/null (1:3), /dev/zero (1:5),
 * /dev/full (1:7), /dev/random (1:8) and /dev/urandom (1:9). Reads of random come from the
 * kernel's generator, so --seed makes them reproducible too.
 */
public final class MemDevices {
    private MemDevices() {}

    public static void register(Devices devices, RandomGenerator random) {
        devices.register(1, 3, (t, p, node, flags) -> new NullFile(node, flags));
        devices.register(1, 5, (t, p, node, flags) -> new ZeroFile(node, flags, false));
        devices.register(1, 7, (t, p, node, flags) -> new ZeroFile(node, flags, true));
        devices.register(1, 8, (t, p, node, flags) -> new RandomFile(node, flags, random));
        devices.register(1, 9, (t, p, node, flags) -> new RandomFile(node, flags, random));
    }

    /** Seeks on these devices succeed and change nothing (noop_llseek / null_lseek). */
    private abstract static class MemFile extends InodeFile {
        MemFile(PathRef where, int flags) { super(where, flags); }

        @Override
        public long seek(long offset, int whence) { return 0; }

        @Override
        public long pread(MemorySegment dst, long pos) throws ErrnoException { return read(dst); }

        @Override
        public long pwrite(MemorySegment src, long pos) throws ErrnoException { return write(src); }
    }

    /** /dev/null: reads end at once, writes vanish. */
    static final class NullFile extends MemFile {
        NullFile(PathRef where, int flags) { super(where, flags); }

        @Override
        public long read(MemorySegment dst) { return 0; }

        @Override
        public long write(MemorySegment src) { return src.byteSize(); }
    }

    /** /dev/zero (writes vanish) and /dev/full (writes fail with ENOSPC); both read zeros. */
    static final class ZeroFile extends MemFile {
        private final boolean full;

        ZeroFile(PathRef where, int flags, boolean full) {
            super(where, flags);
            this.full = full;
        }

        @Override
        public long read(MemorySegment dst) {
            dst.fill((byte) 0);
            return dst.byteSize();
        }

        @Override
        public long write(MemorySegment src) throws ErrnoException {
            if (full) throw new ErrnoException(Errno.ENOSPC);
            return src.byteSize();
        }

        /** A private mapping of /dev/zero is anonymous memory: fresh frames are already zero. */
        @Override
        public MappableFile mappable() {
            return new MappableFile() {
                @Override
                public long size() { return Long.MAX_VALUE; }

                @Override
                public long readAt(long offset, MemorySegment dst) { return dst.byteSize(); }

                @Override
                public String name() { return path(); }

                @Override
                public long dev() { return location.inode().dev(); }

                @Override
                public long ino() { return location.inode().ino(); }
            };
        }
    }

    /** /dev/random and /dev/urandom; writes are accepted (they would only stir the pool). */
    static final class RandomFile extends MemFile {
        private final RandomGenerator random;

        RandomFile(PathRef where, int flags, RandomGenerator random) {
            super(where, flags);
            this.random = random;
        }

        @Override
        public long read(MemorySegment dst) {
            byte[] b = new byte[(int) dst.byteSize()];
            random.nextBytes(b);
            MemorySegment.copy(MemorySegment.ofArray(b), 0, dst, 0, b.length);
            return b.length;
        }

        @Override
        public long write(MemorySegment src) { return src.byteSize(); }
    }
}
