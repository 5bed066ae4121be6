package dev.nexa.kernel.mm;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.mem.FrameAllocator;
import dev.nexa.mem.FramesExhaustedException;
import dev.nexa.mem.PageTable;
import dev.nexa.mem.Paging;
import dev.nexa.mem.PhysicalMemory;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A process's address space (Linux's mm_struct): the list of {@link Vma}s, which is the single
 * source of truth, and the page tables that cache it. Pages are supplied on first touch by
 * {@link #handleFault}: anonymous pages as zeroed frames, private file pages by copying the
 * file's bytes into a fresh frame, and writes to copy-on-write pages (after fork) by copying.
 */
public final class AddressSpace {
    /** mmap_min_addr: the lowest address mmap hands out. */
    public static final long MMAP_MIN = 0x10000L;
    /** Where the interpreter goes; top-down mmap allocations start just below it. */
    public static final long INTERP_BASE = 0x7f00_0000_0000L;
    public static final long PIE_BASE = 0x5555_5555_4000L;
    public static final long STACK_TOP = 0x7fff_ffff_f000L;
    public static final long STACK_SIZE = 8L << 20;

    private final FrameAllocator frames;
    private final PhysicalMemory memory;
    private final PageTable table;
    private final TreeMap<Long, Vma> vmas = new TreeMap<>();
    private long brkStart, brk;
    private long mmapBase = INTERP_BASE;
    /** How the last resolved fault was served (for trace events). */
    private FaultPath lastFaultPath = FaultPath.REFRESH;

    private AddressSpace(FrameAllocator frames, PageTable table) {
        this.frames = frames;
        this.memory = frames.memory();
        this.table = table;
    }

    public static AddressSpace create(FrameAllocator frames) throws ErrnoException {
        try {
            return new AddressSpace(frames, PageTable.create(frames));
        } catch (FramesExhaustedException e) {
            throw new ErrnoException(Errno.ENOMEM, "no frame for a page table");
        }
    }

    public PageTable pageTable() { return table; }

    public FrameAllocator frames() { return frames; }

    public List<Vma> vmas() { return List.copyOf(vmas.values()); }

    public Vma find(long va) {
        Map.Entry<Long, Vma> e = vmas.floorEntry(va);
        return e != null && e.getValue().contains(va) ? e.getValue() : null;
    }

    // ---- page faults ---------------------------------------------------------------------------

    /** How the most recent {@link #handleFault} that returned RESOLVED supplied the page. */
    public FaultPath lastFaultPath() { return lastFaultPath; }

    /** Resolves a fault at {@code va} for a write or an instruction fetch (else a read). */
    public FaultResult handleFault(long va, boolean write, boolean fetch) {
        Vma v = find(va);
        if (v == null) return FaultResult.SEGV_MAPERR;
        if (write && !v.writable() || fetch && !v.executable() || !write && !fetch && !v.readable()) {
            return FaultResult.SEGV_ACCERR;
        }
        long page = Paging.pageDown(va);
        long pte = table.lookup(page);
        try {
            if ((pte & Paging.P) != 0) {
                if (write && (pte & Paging.COW) != 0) return breakCow(v, page, pte);
                // Present and permitted: the TLB or an older permission was stale; re-install.
                table.map(page, pte & Paging.ADDR, leafFlags(v, false));
                lastFaultPath = FaultPath.REFRESH;
                return FaultResult.RESOLVED;
            }
            return populate(v, page);
        } catch (FramesExhaustedException e) {
            return FaultResult.OOM;
        }
    }

    private FaultResult populate(Vma v, long page) throws FramesExhaustedException {
        long offsetInVma = page - v.start();
        if (v.file() != null && offsetInVma < v.fileLimit()) {
            long fileOff = v.offset() + offsetInVma;
            long size;
            try {
                size = v.file().size();
            } catch (ErrnoException e) {
                return FaultResult.SIGBUS;
            }
            if (fileOff >= size && v.fileLimit() == Long.MAX_VALUE) return FaultResult.SIGBUS;
            long pa = frames.allocate();
            long n = Math.min(Paging.PAGE_SIZE, Math.min(size - fileOff, v.fileLimit() - offsetInVma));
            if (n > 0) {
                try {
                    v.file().readAt(fileOff, memory.segment().asSlice(pa, n));
                } catch (ErrnoException e) {
                    frames.release(pa);
                    return FaultResult.SIGBUS;
                }
            }
            table.map(page, pa, leafFlags(v, false));
            lastFaultPath = FaultPath.FILE_COPY;
            return FaultResult.RESOLVED;
        }
        long pa = frames.allocate();
        table.map(page, pa, leafFlags(v, false));
        lastFaultPath = FaultPath.ZERO_FILL;
        return FaultResult.RESOLVED;
    }

    /** Copy-on-write: the last sharer takes the frame as it is; others get a copy. */
    private FaultResult breakCow(Vma v, long page, long pte) throws FramesExhaustedException {
        long old = pte & Paging.ADDR;
        if (frames.refCount(old) == 1) {
            table.map(page, old, leafFlags(v, false));
            lastFaultPath = FaultPath.COW_REUSE;
            return FaultResult.RESOLVED;
        }
        long pa = frames.allocate();
        memory.copyFrame(old, pa);
        table.map(page, pa, leafFlags(v, false));
        frames.release(old);
        lastFaultPath = FaultPath.COW_COPY;
        return FaultResult.RESOLVED;
    }

    /**
     * Leaf bits for a page of {@code v}. PROT_NONE keeps the frame present but supervisor-only,
     * so user accesses fault while the contents survive a later mprotect.
     */
    private static long leafFlags(Vma v, boolean cow) {
        long f = Paging.P;
        if (v.prot() != Vma.PROT_NONE) f |= Paging.US;
        if (v.writable() && !cow) f |= Paging.RW;
        if (cow) f |= Paging.COW;
        if (!v.executable()) f |= Paging.NX;
        return f;
    }

    // ---- mapping ---------------------------------------------------------------------------------

    /**
     * Creates a mapping (the core of mmap(2)); {@code addr} and {@code len} are page aligned.
     * Without MAP_FIXED, {@code addr} is a hint; the area goes top-down below the interpreter.
     */
    public long map(long addr, long len, int prot, int flags, dev.nexa.kernel.vfs.MappableFile file, long offset,
                    long fileLimit, String name) throws ErrnoException {
        if (len <= 0 || (len & Paging.PAGE_MASK) != 0) throw new ErrnoException(Errno.EINVAL);
        boolean fixed = (flags & (Vma.MAP_FIXED | Vma.MAP_FIXED_NOREPLACE)) != 0;
        if (accountable(prot, flags, file)) checkCommit(len);
        long start;
        if (fixed) {
            if ((addr & Paging.PAGE_MASK) != 0) throw new ErrnoException(Errno.EINVAL);
            if (addr < MMAP_MIN || addr + len > Paging.USER_END || addr + len < addr) {
                throw new ErrnoException(Errno.ENOMEM, "fixed mapping outside the user range");
            }
            if ((flags & Vma.MAP_FIXED_NOREPLACE) != 0 && overlaps(addr, addr + len)) {
                throw new ErrnoException(Errno.EEXIST);
            }
            unmap(addr, len);
            start = addr;
        } else {
            start = addr != 0 && isFree(Paging.pageDown(addr), len) ? Paging.pageDown(addr) : findFree(len, mmapBase);
        }
        insert(new Vma(start, start + len, prot, flags & ~(Vma.MAP_FIXED | Vma.MAP_FIXED_NOREPLACE), file, offset,
                fileLimit, name));
        return start;
    }

    /**
     * Whether a mapping is charged against guest memory, as Linux's accountable_mapping() and
     * shmem decide: private writable mappings (anonymous or file copies) and shared anonymous
     * memory, unless MAP_NORESERVE. The stack (MAP_GROWSDOWN) grows on demand and is not charged
     * at its full reservation.
     */
    private static boolean accountable(int prot, int flags, dev.nexa.kernel.vfs.MappableFile file) {
        if ((flags & (Vma.MAP_NORESERVE | Vma.MAP_GROWSDOWN)) != 0) return false;
        boolean shared = (flags & Vma.MAP_TYPE) == Vma.MAP_SHARED || (flags & Vma.MAP_TYPE) == Vma.MAP_SHARED_VALIDATE;
        if (shared) return file == null;
        return (prot & Vma.PROT_WRITE) != 0 || file == null && prot != Vma.PROT_NONE;
    }

    /**
     * Overcommit, as Linux's default heuristic (OVERCOMMIT_GUESS, mm/util.c __vm_enough_memory):
     * each request is checked on its own, and only one that could never be backed (more pages
     * than guest RAM has frames, less what the page tables and the kernel's own use need) is
     * refused with ENOMEM. Everything smaller is promised; if the frames really run out later, the
     * page fault that cannot get one kills the guest ("out of guest memory", SIGKILL), which is
     * what the OOM killer would do.
     */
    private void checkCommit(long len) throws ErrnoException {
        long pages = len >>> Paging.PAGE_SHIFT;
        if (pages > frames.totalFrames()) {
            throw new ErrnoException(Errno.ENOMEM, "a mapping of " + (len >> 10) + " KiB is more than the guest's "
                    + (frames.totalFrames() * Paging.PAGE_SIZE >> 10) + " KiB of memory (--mem)");
        }
    }

    private void insert(Vma v) {
        vmas.put(v.start(), v);
        mergeAround(v.start());
    }

    /** Joins neighbours that continue each other, as Linux's vma_merge does. */
    private void mergeAround(long start) {
        Vma v = vmas.get(start);
        if (v == null) return;
        Map.Entry<Long, Vma> prev = vmas.lowerEntry(start);
        if (prev != null && prev.getValue().mergeableWith(v)) {
            vmas.remove(start);
            v = prev.getValue().mergedWith(v);
            vmas.put(v.start(), v);
        }
        Vma next = vmas.get(v.end());
        if (next != null && v.mergeableWith(next)) {
            vmas.remove(next.start());
            v = v.mergedWith(next);
            vmas.put(v.start(), v);
        }
    }

    public boolean overlaps(long start, long end) {
        Map.Entry<Long, Vma> e = vmas.lowerEntry(end);
        return e != null && e.getValue().end() > start;
    }

    private boolean isFree(long start, long len) {
        return start >= MMAP_MIN && start + len <= Paging.USER_END && start + len > start && !overlaps(start, start + len);
    }

    /** Highest free gap of {@code len} bytes that ends at or below {@code below}. */
    public long findFree(long len, long below) throws ErrnoException {
        long top = below;
        for (Vma v : vmas.descendingMap().values()) {
            if (v.start() >= top) continue;
            if (v.end() <= top - len && top - len >= MMAP_MIN) return top - len;
            top = Math.min(top, v.start());
        }
        if (top - len >= MMAP_MIN) return top - len;
        throw new ErrnoException(Errno.ENOMEM, "no free address range of " + len + " bytes");
    }

    /** munmap: removes [addr, addr+len), releasing frames; areas are split at the edges. */
    public void unmap(long addr, long len) {
        long end = addr + len;
        for (Vma v : covering(addr, end)) {
            vmas.remove(v.start());
            if (v.start() < addr) vmas.put(v.start(), v.slice(v.start(), addr));
            if (v.end() > end) vmas.put(end, v.slice(end, v.end()));
        }
        releasePages(addr, end);
    }

    private void releasePages(long from, long to) {
        List<long[]> leaves = new ArrayList<>();
        table.forEachLeaf(from, to, (va, pte) -> leaves.add(new long[] {va, pte}));
        for (long[] l : leaves) {
            table.unmap(l[0]);
            frames.release(l[1] & Paging.ADDR);
        }
    }

    private List<Vma> covering(long start, long end) {
        List<Vma> out = new ArrayList<>();
        if (start < 0 || end <= start) return out;    // no area lies there (callers check ranges; this keeps the map sane)
        Map.Entry<Long, Vma> first = vmas.lowerEntry(start + 1);
        Long from = first != null && first.getValue().end() > start ? first.getKey() : start;
        for (Vma v : vmas.subMap(from, true, end, false).values()) if (v.end() > start) out.add(v);
        return out;
    }

    /** mprotect: every page in the range must be mapped (ENOMEM otherwise), as Linux requires. */
    public void protect(long addr, long len, int prot) throws ErrnoException {
        long end = addr + len;
        long cursor = addr;
        List<Vma> areas = covering(addr, end);
        for (Vma v : areas) {
            if (v.start() > cursor) throw new ErrnoException(Errno.ENOMEM, "mprotect over unmapped range");
            cursor = v.end();
        }
        if (cursor < end) throw new ErrnoException(Errno.ENOMEM, "mprotect over unmapped range");
        for (Vma v : areas) {
            vmas.remove(v.start());
            if (v.start() < addr) vmas.put(v.start(), v.slice(v.start(), addr));
            if (v.end() > end) vmas.put(end, v.slice(end, v.end()));
            Vma mid = v.slice(addr, end).withProt(prot);
            vmas.put(mid.start(), mid);
            reprotect(mid);
        }
        for (Vma v : areas) mergeAround(Math.max(v.start(), addr));
    }

    private void reprotect(Vma v) {
        List<long[]> leaves = new ArrayList<>();
        table.forEachLeaf(v.start(), v.end(), (va, pte) -> leaves.add(new long[] {va, pte}));
        for (long[] l : leaves) {
            boolean cow = (l[1] & Paging.COW) != 0;
            table.protect(l[0], leafFlags(v, cow) | (l[1] & (Paging.A | Paging.D)));
        }
    }

    /** madvise(MADV_DONTNEED): private pages are dropped and read back as zero (or file) bytes. */
    public void discard(long addr, long len) throws ErrnoException {
        long end = addr + len;
        for (Vma v : covering(addr, end)) {
            if (v.shared()) continue;
            releasePages(Math.max(addr, v.start()), Math.min(end, v.end()));
        }
    }

    /**
     * mremap(2): shrink in place, grow in place when the pages after the area are free, or move
     * (MREMAP_MAYMOVE) by re-pointing the page-table entries, without copying.
     */
    public long remap(long old, long oldLen, long newLen, boolean mayMove, long fixedAt) throws ErrnoException {
        Vma v = find(old);
        if (v == null || old + oldLen > v.end()) throw new ErrnoException(Errno.EFAULT);
        if (fixedAt < 0 && newLen <= oldLen) {
            if (newLen < oldLen) unmap(old + newLen, oldLen - newLen);
            return old;
        }
        if (newLen > oldLen && !v.shared() && v.writable() && (v.flags() & Vma.MAP_NORESERVE) == 0) {
            checkCommit(newLen - oldLen);        // vma_to_resize charges the growth (mm/mremap.c)
        }
        if (fixedAt < 0 && old + oldLen == v.end() && isFree(v.end(), newLen - oldLen)) {
            vmas.put(v.start(), new Vma(v.start(), old + newLen, v.prot(), v.flags(), v.file(), v.offset(),
                    v.fileLimit(), v.name()));
            mergeAround(v.start());
            return old;
        }
        if (!mayMove) throw new ErrnoException(Errno.ENOMEM);
        long target;
        if (fixedAt >= 0) {
            unmap(fixedAt, newLen);
            target = fixedAt;
        } else {
            target = findFree(newLen, mmapBase);
        }
        Vma src = v.slice(old, old + oldLen);
        List<long[]> leaves = new ArrayList<>();
        table.forEachLeaf(old, old + oldLen, (va, pte) -> leaves.add(new long[] {va, pte}));
        // Detach the old area without releasing frames: they move.
        for (long[] l : leaves) table.unmap(l[0]);
        vmas.remove(v.start());
        if (v.start() < old) vmas.put(v.start(), v.slice(v.start(), old));
        if (v.end() > old + oldLen) vmas.put(old + oldLen, v.slice(old + oldLen, v.end()));
        Vma moved = new Vma(target, target + newLen, src.prot(), src.flags(), src.file(), src.offset(),
                src.fileLimit(), src.name());
        vmas.put(target, moved);
        try {
            for (long[] l : leaves) table.map(target + (l[0] - old), l[1] & Paging.ADDR, l[1] & ~Paging.ADDR);
        } catch (FramesExhaustedException e) {
            throw new ErrnoException(Errno.ENOMEM);
        }
        return target;
    }

    // ---- brk ---------------------------------------------------------------------------------------

    public void initBrk(long start) {
        brkStart = Paging.pageUp(start);
        brk = brkStart;
    }

    public long brk() { return brk; }

    public long brkStart() { return brkStart; }

    /** brk(2): moves the program break; returns the new break, or the old one on failure. */
    public long setBrk(long requested) {
        if (requested < brkStart || requested > Paging.USER_END) return brk;
        long oldTop = Paging.pageUp(brk), newTop = Paging.pageUp(requested);
        if (newTop > oldTop) {
            if (overlaps(oldTop, newTop)) return brk;
            // do_brk_flags charges the growth (security_vm_enough_memory_mm); failure keeps the old break.
            if (newTop - oldTop >>> Paging.PAGE_SHIFT > frames.totalFrames()) return brk;
            insert(new Vma(oldTop, newTop, Vma.PROT_READ | Vma.PROT_WRITE, Vma.MAP_PRIVATE | Vma.MAP_ANONYMOUS,
                    null, 0, 0, "[heap]"));
        } else if (newTop < oldTop) {
            unmap(newTop, oldTop - newTop);
        }
        brk = requested;
        return brk;
    }

    // ---- lifetime ----------------------------------------------------------------------------------

    /** fork: a copy whose private pages are shared copy-on-write with this one. */
    public AddressSpace fork() throws ErrnoException {
        // Shared anonymous memory (MAP_SHARED|MAP_ANONYMOUS) is one object for every process
        // that inherits it (Linux backs it with shmem): its pages must exist before the copy,
        // or parent and child would each fault in a private page of their own later.
        try {
            for (Vma v : vmas.values()) {
                if (!v.shared() || v.file() != null) continue;
                for (long va = v.start(); va < v.end(); va += Paging.PAGE_SIZE) {
                    if ((table.lookup(va) & Paging.P) == 0) populate(v, va);
                }
            }
        } catch (FramesExhaustedException e) {
            throw new ErrnoException(Errno.ENOMEM, "fork: no frames for shared anonymous memory");
        }
        AddressSpace child = create(frames);
        child.vmas.putAll(vmas);
        child.brkStart = brkStart;
        child.brk = brk;
        child.mmapBase = mmapBase;
        List<long[]> leaves = new ArrayList<>();
        table.forEachLeaf(0, Paging.USER_END, (va, pte) -> leaves.add(new long[] {va, pte}));
        try {
            for (long[] l : leaves) {
                long va = l[0], pte = l[1], pa = pte & Paging.ADDR;
                Vma v = find(va);
                long flags = pte & ~Paging.ADDR;
                if (v != null && !v.shared()) {
                    // Both sides lose write access; the first writer copies (breakCow).
                    flags = (flags & ~Paging.RW) | Paging.COW;
                    table.protect(va, flags);
                }
                frames.retain(pa);
                child.table.map(va, pa, flags);
            }
        } catch (FramesExhaustedException e) {
            child.destroy();
            throw new ErrnoException(Errno.ENOMEM, "fork: no frames for page tables");
        }
        return child;
    }

    /** Releases every page and the page tables (exit, exec). */
    public void destroy() {
        releasePages(0, Paging.USER_END);
        vmas.clear();
        table.destroy();
    }

    /** Resident pages (for /proc/PID/status and statistics). */
    public long residentPages() {
        long[] n = {0};
        table.forEachLeaf(0, Paging.USER_END, (va, pte) -> n[0]++);
        return n[0];
    }

    /** /proc/PID/maps, in Linux's format (fs/proc/task_mmu.c show_map_vma). */
    public String maps() {
        StringBuilder sb = new StringBuilder();
        for (Vma v : vmas.values()) {
            int before = sb.length();
            sb.append(String.format("%08x-%08x %c%c%c%c %08x %02x:%02x %d", v.start(), v.end(),
                    v.readable() ? 'r' : '-', v.writable() ? 'w' : '-', v.executable() ? 'x' : '-',
                    v.shared() ? 's' : 'p', v.file() == null ? 0 : v.offset(),
                    v.file() == null ? 0 : (v.file().dev() >>> 8) & 0xfff, v.file() == null ? 0 : v.file().dev() & 0xff,
                    v.file() == null ? 0 : v.file().ino()));
            String name = v.file() != null ? v.file().name() : v.name();
            if (name != null) {
                int width = 25 + 8 * 6 - 1;    // seq_setwidth(m, 25 + sizeof(void *) * 6 - 1)
                while (sb.length() - before < width) sb.append(' ');
                sb.append(' ').append(name);
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /** A read-only view of guest RAM, for copying file bytes in and out. */
    MemorySegment ram() { return memory.segment(); }
}
