package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.Stat;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * lstat of a host path through the host's statx(2) (an FFM downcall): every struct stat field,
 * including st_blocks and nanosecond times, which java.nio's attribute views do not all give, and
 * the host's own errno on failure.
 */
final class HostStat {
    private HostStat() {}

    private static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, STATX_BASIC_STATS = 0x7ff;
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CAPTURE.byteOffset(MemoryLayoutPath.ERRNO);
    private static final MethodHandle STATX;

    /** The path element for "errno" in the capture-state layout. */
    private static final class MemoryLayoutPath {
        static final java.lang.foreign.MemoryLayout.PathElement ERRNO =
                java.lang.foreign.MemoryLayout.PathElement.groupElement("errno");
    }

    static {
        Linker linker = Linker.nativeLinker();
        STATX = linker.downcallHandle(linker.defaultLookup().find("statx").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS),
                Linker.Option.captureCallState("errno"));
    }

    /** A host object's attributes; dev and rdev in glibc's dev_t encoding. */
    record Attrs(int mode, long ino, long dev, long nlink, int uid, int gid, long rdev, long size, long blocks,
                 long atimeNs, long mtimeNs, long ctimeNs) {
        int type() { return mode & Stat.S_IFMT; }
    }

    static Attrs lstat(Path p) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(p.toString(), StandardCharsets.UTF_8);
            MemorySegment buf = arena.allocate(256, 8);
            MemorySegment state = arena.allocate(CAPTURE);
            int r = (int) STATX.invokeExact(state, AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, buf);
            if (r != 0) {
                int errno = state.get(JAVA_INT, ERRNO_OFFSET);
                Errno e = Errno.of(errno);
                throw new ErrnoException(e == null ? Errno.EIO : e, "host " + p);
            }
            return new Attrs(Short.toUnsignedInt(buf.get(JAVA_SHORT, 28)), buf.get(JAVA_LONG, 32),
                    Stat.makedev(buf.get(JAVA_INT, 136), buf.get(JAVA_INT, 140)), Integer.toUnsignedLong(buf.get(JAVA_INT, 16)),
                    buf.get(JAVA_INT, 20), buf.get(JAVA_INT, 24),
                    Stat.makedev(buf.get(JAVA_INT, 128), buf.get(JAVA_INT, 132)), buf.get(JAVA_LONG, 40),
                    buf.get(JAVA_LONG, 48), time(buf, 64), time(buf, 112), time(buf, 96));
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new ErrnoException(Errno.EIO, "host statx of " + p + ": " + t);
        }
    }

    private static long time(MemorySegment buf, long at) {
        return buf.get(JAVA_LONG, at) * 1_000_000_000L + Integer.toUnsignedLong(buf.get(JAVA_INT, at + 8));
    }
}
