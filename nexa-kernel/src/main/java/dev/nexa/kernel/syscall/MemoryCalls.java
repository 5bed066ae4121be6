package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.mm.AddressSpace;
import dev.nexa.kernel.mm.Vma;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.MappableFile;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.mem.Paging;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/**
 * brk, mmap, munmap, mprotect, mremap, madvise (mm/mmap.c, mm/mprotect.c, mm/mremap.c,
 * mm/madvise.c). Private file mappings copy the file's bytes into fresh frames when first
 * touched; the VMA list is the truth and /proc/PID/maps prints it.
 */
final class MemoryCalls {
    private MemoryCalls() {}

    static final int MREMAP_MAYMOVE = 1, MREMAP_FIXED = 2, MREMAP_DONTUNMAP = 4;
    static final int MADV_DONTNEED = 4, MADV_FREE = 8, MADV_REMOVE = 9;

    static void register(SyscallTable t) {
        t.add(BRK, MemoryCalls::brk, PTR);
        t.add(MMAP, MemoryCalls::mmap, PTR, SIZE, PROT, MAP_FLAGS, FD, PTR);
        t.add(MUNMAP, MemoryCalls::munmap, PTR, SIZE);
        t.add(MPROTECT, MemoryCalls::mprotect, PTR, SIZE, PROT);
        t.add(MREMAP, MemoryCalls::mremap, PTR, SIZE, SIZE, MREMAP_FLAGS, PTR);
        t.add(MADVISE, MemoryCalls::madvise, PTR, SIZE, INT);
        t.add(MSYNC, (task, a) -> msync(a.l(0), a.l(1)), PTR, SIZE, CODE);
        t.add(MLOCK, (task, a) -> 0, PTR, SIZE);
        t.add(MUNLOCK, (task, a) -> 0, PTR, SIZE);
        t.add(MLOCKALL, (task, a) -> 0, CODE);
        t.add(MUNLOCKALL, (task, a) -> 0);
    }

    static long brk(Task t, Args a) {
        return t.process().addressSpace().setBrk(a.l(0));
    }

    static long mmap(Task t, Args a) throws ErrnoException {
        long addr = a.l(0), len = a.l(1), off = a.l(5);
        int prot = a.i(2), flags = a.i(3), fd = a.i(4);
        int type = flags & Vma.MAP_TYPE;
        if (type != Vma.MAP_PRIVATE && type != Vma.MAP_SHARED && type != Vma.MAP_SHARED_VALIDATE) {
            throw new ErrnoException(Errno.EINVAL, "mmap: neither MAP_PRIVATE nor MAP_SHARED");
        }
        if (len == 0) throw new ErrnoException(Errno.EINVAL);
        long size = Paging.pageUp(len);
        if (size == 0 || size > Paging.USER_END) throw new ErrnoException(Errno.ENOMEM);
        if ((off & Paging.PAGE_MASK) != 0) throw new ErrnoException(Errno.EINVAL, "mmap: offset not page aligned");
        if ((prot & ~(Vma.PROT_READ | Vma.PROT_WRITE | Vma.PROT_EXEC)) != 0) throw new ErrnoException(Errno.EINVAL);
        AddressSpace mm = t.process().addressSpace();
        if ((flags & Vma.MAP_ANONYMOUS) != 0) {
            return mm.map(addr, size, prot, flags, null, 0, 0, null);
        }
        OpenFile f = t.process().files().get(fd);
        if (!f.readable()) throw new ErrnoException(Errno.EACCES, "mmap of a file not open for reading");
        boolean shared = type != Vma.MAP_PRIVATE;
        if (shared && (prot & Vma.PROT_WRITE) != 0 && !f.writable()) throw new ErrnoException(Errno.EACCES);
        MappableFile file = f.mappable();
        if (off < 0 || off + size < off) throw new ErrnoException(Errno.EOVERFLOW);
        return mm.map(addr, size, prot, flags, file, off, Long.MAX_VALUE, null);
    }

    static long munmap(Task t, Args a) throws ErrnoException {
        long addr = a.l(0), len = a.l(1);
        // __do_munmap: an aligned start inside the user address space, a length that stays inside it, not zero.
        if ((addr & Paging.PAGE_MASK) != 0 || !userRange(addr, len) || len == 0) throw new ErrnoException(Errno.EINVAL);
        t.process().addressSpace().unmap(addr, Paging.pageUp(len));
        return 0;
    }

    static long mprotect(Task t, Args a) throws ErrnoException {
        long addr = a.l(0);
        if ((addr & Paging.PAGE_MASK) != 0) throw new ErrnoException(Errno.EINVAL);
        int prot = a.i(2) & ~0x0300_0000;              // PROT_GROWSDOWN/UP: the area is already whole
        if ((prot & ~7) != 0) throw new ErrnoException(Errno.EINVAL);
        // do_mprotect_pkey: a zero length is a no-op; a range that wraps (after rounding up) is
        // ENOMEM, as is one past the user address space, where nothing can be mapped.
        if (a.l(1) == 0) return 0;
        long len = Paging.pageUp(a.l(1));
        long end = addr + len;
        if (Long.compareUnsigned(end, addr) <= 0 || Long.compareUnsigned(end, Paging.USER_END) > 0) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        t.process().addressSpace().protect(addr, len, prot);
        return 0;
    }

    static long mremap(Task t, Args a) throws ErrnoException {
        long old = a.l(0), oldLen = Paging.pageUp(a.l(1)), newLen = Paging.pageUp(a.l(2));
        int flags = a.i(3);
        if ((old & Paging.PAGE_MASK) != 0 || newLen == 0) throw new ErrnoException(Errno.EINVAL);
        if ((flags & ~(MREMAP_MAYMOVE | MREMAP_FIXED | MREMAP_DONTUNMAP)) != 0) throw new ErrnoException(Errno.EINVAL);
        if ((flags & MREMAP_FIXED) != 0 && (flags & MREMAP_MAYMOVE) == 0) throw new ErrnoException(Errno.EINVAL);
        if ((flags & MREMAP_DONTUNMAP) != 0) throw new ErrnoException(Errno.EINVAL);
        long fixedAt = (flags & MREMAP_FIXED) != 0 ? a.l(4) : -1;
        return t.process().addressSpace().remap(old, oldLen, newLen, (flags & MREMAP_MAYMOVE) != 0, fixedAt);
    }

    static long madvise(Task t, Args a) throws ErrnoException {
        long addr = a.l(0), len = a.l(1);
        // do_madvise: an unaligned start or a wrapping range is EINVAL, a zero length a no-op,
        // and a range outside the user address space cannot be mapped (ENOMEM).
        if ((addr & Paging.PAGE_MASK) != 0 || Long.compareUnsigned(len, -Paging.PAGE_SIZE) > 0
                || Long.compareUnsigned(addr + Paging.pageUp(len), addr) < 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if (len == 0) return 0;
        if (!userRange(addr, Paging.pageUp(len))) throw new ErrnoException(Errno.ENOMEM);
        int advice = a.i(2);
        if (advice == MADV_DONTNEED || advice == MADV_FREE || advice == MADV_REMOVE) {
            t.process().addressSpace().discard(a.l(0), Paging.pageUp(a.l(1)));
        }
        return 0;                                     // the other advice is only advice
    }

    /** msync: an aligned start (EINVAL), and a range that neither wraps nor leaves the user address space (ENOMEM). */
    private static long msync(long addr, long len) throws ErrnoException {
        if ((addr & Paging.PAGE_MASK) != 0) throw new ErrnoException(Errno.EINVAL);
        if (Long.compareUnsigned(len, -Paging.PAGE_SIZE) > 0 || !userRange(addr, Paging.pageUp(len))) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        return 0;
    }

    /** [addr, addr+len) lies inside the user address space (compared unsigned, so nothing wraps). */
    private static boolean userRange(long addr, long len) {
        return Long.compareUnsigned(addr, Paging.USER_END) <= 0 && Long.compareUnsigned(len, Paging.USER_END - addr) <= 0;
    }
}
