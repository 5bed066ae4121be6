package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Extended attributes of host objects, read through the host's lgetxattr(2)/llistxattr(2) (FFM
 * downcalls, never following a final symlink): the guest sees what the host file system answers
 * for the same file (ENODATA on ext4 for a missing attribute, a file's real ACL or capability).
 * Names and values are passed through as bytes.
 */
final class HostXattr {
    private HostXattr() {}

    /** XATTR_SIZE_MAX and XATTR_LIST_MAX (include/uapi/linux/limits.h). */
    static final int SIZE_MAX = 65536;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET = CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle LGETXATTR, LLISTXATTR;

    static {
        Linker linker = Linker.nativeLinker();
        var lookup = linker.defaultLookup();
        var errno = Linker.Option.captureCallState("errno");
        LGETXATTR = linker.downcallHandle(lookup.find("lgetxattr").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG), errno);
        LLISTXATTR = linker.downcallHandle(lookup.find("llistxattr").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG), errno);
    }

    /** The value of {@code name} on the host object at {@code p}; a stand-in directory (null) has none. */
    static byte[] get(Path p, String name) throws ErrnoException {
        if (p == null) throw new ErrnoException(Errno.ENODATA);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(p.toString(), StandardCharsets.UTF_8);
            MemorySegment key = arena.allocateFrom(name, StandardCharsets.UTF_8);
            MemorySegment buf = arena.allocate(SIZE_MAX);
            MemorySegment state = arena.allocate(CAPTURE);
            long n = (long) LGETXATTR.invokeExact(state, path, key, buf, (long) SIZE_MAX);
            if (n < 0) throw hostErrno(state, p);
            return buf.asSlice(0, n).toArray(JAVA_BYTE);
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new ErrnoException(Errno.EIO, "host lgetxattr of " + p + ": " + t);
        }
    }

    /** The attribute names of the host object at {@code p}. */
    static List<String> list(Path p) throws ErrnoException {
        if (p == null) return List.of();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(p.toString(), StandardCharsets.UTF_8);
            MemorySegment buf = arena.allocate(SIZE_MAX);
            MemorySegment state = arena.allocate(CAPTURE);
            long n = (long) LLISTXATTR.invokeExact(state, path, buf, (long) SIZE_MAX);
            if (n < 0) throw hostErrno(state, p);
            byte[] raw = buf.asSlice(0, n).toArray(JAVA_BYTE);
            List<String> names = new ArrayList<>();
            for (int start = 0, i = 0; i < raw.length; i++) {
                if (raw[i] == 0) {
                    names.add(new String(raw, start, i - start, StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return names;
        } catch (ErrnoException e) {
            throw e;
        } catch (Throwable t) {
            throw new ErrnoException(Errno.EIO, "host llistxattr of " + p + ": " + t);
        }
    }

    private static ErrnoException hostErrno(MemorySegment state, Path p) {
        Errno e = Errno.of(state.get(JAVA_INT, ERRNO_OFFSET));
        return new ErrnoException(e == null ? Errno.EIO : e, "host " + p);
    }
}
