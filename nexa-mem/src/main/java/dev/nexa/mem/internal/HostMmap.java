package dev.nexa.mem.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Downcalls to the host's mmap(2)/munmap(2)/madvise(2). Guest RAM is reserved with
 * MAP_NORESERVE so the host commits pages only when the guest first touches them.
 */
public final class HostMmap {
    public static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public static final int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_NORESERVE = 0x4000;
    public static final int MADV_DONTNEED = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MMAP = downcall("mmap", FunctionDescriptor.of(ValueLayout.ADDRESS,
            ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
            ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));

    // Each downcall handle costs the JVM a generated stub (tens of milliseconds at start-up, not
    // kept by the AOT cache): the ones a short run never calls are made on first use.
    private static final class Munmap {
        static final MethodHandle MUNMAP = downcall("munmap", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG));
    }

    private static final class Madvise {
        static final MethodHandle MADVISE = downcall("madvise", FunctionDescriptor.of(ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
    }

    private HostMmap() {}

    private static MethodHandle downcall(String name, FunctionDescriptor fd) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new IllegalStateException("libc has no " + name));
        return LINKER.downcallHandle(symbol, fd);
    }

    /** Anonymous private mapping of {@code size} bytes; the returned segment has global scope. */
    public static MemorySegment mapAnonymous(long size, int prot, boolean noReserve) {
        int flags = MAP_PRIVATE | MAP_ANONYMOUS | (noReserve ? MAP_NORESERVE : 0);
        MemorySegment p;
        try {
            p = (MemorySegment) MMAP.invokeExact(MemorySegment.NULL, size, prot, flags, -1, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
        if (p.address() == -1L) {
            throw new IllegalStateException("host mmap of " + size + " bytes failed");
        }
        return p.reinterpret(size);
    }

    public static void unmap(MemorySegment segment) {
        try {
            int rc = (int) Munmap.MUNMAP.invokeExact(segment, segment.byteSize());
            if (rc != 0) throw new IllegalStateException("host munmap failed");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("munmap downcall failed", t);
        }
    }

    /** MADV_DONTNEED: the host drops the pages; they read as zero on next touch. */
    public static void discard(MemorySegment range) {
        try {
            int rc = (int) Madvise.MADVISE.invokeExact(range, range.byteSize(), MADV_DONTNEED);
            if (rc != 0) throw new IllegalStateException("host madvise failed");
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("madvise downcall failed", t);
        }
    }
}
