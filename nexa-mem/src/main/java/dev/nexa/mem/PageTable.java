package dev.nexa.mem;

import java.util.ArrayList;
import java.util.List;

/**
 * One address space's x86-64 4-level page tables (PML4 -> PDPT -> PD -> PT, 512 eight-byte
 * entries each; SDM Vol. 3A §4.5), living in guest physical frames. The kernel edits them here;
 * the CPU's {@link Mmu} walks them from CR3 = {@link #root()}.
 * <p>
 * The kernel only creates 4 KiB leaves. Intermediate entries are always P|RW|US so that the
 * leaf alone decides permissions. Leaf frames are owned by the caller (the kernel's memory
 * manager keeps their reference counts); this class owns only the table frames.
 * Every change to a present leaf invalidates the translation in each MMU using this table,
 * so no TLB ever serves a stale entry.
 */
public final class PageTable {
    private static final long TABLE_FLAGS = Paging.P | Paging.RW | Paging.US;

    private final FrameAllocator frames;
    private final PhysicalMemory memory;
    private final long root;
    private final List<Mmu> users = new ArrayList<>(1);
    private final List<Long> tableFrames = new ArrayList<>();
    private boolean destroyed;

    private PageTable(FrameAllocator frames) throws FramesExhaustedException {
        this.frames = frames;
        this.memory = frames.memory();
        this.root = frames.allocate();
        tableFrames.add(root);
    }

    public static PageTable create(FrameAllocator frames) throws FramesExhaustedException {
        return new PageTable(frames);
    }

    /** The physical address of the PML4: the CR3 value for this address space. */
    public long root() { return root; }

    public FrameAllocator frames() { return frames; }

    /** Maps the 4 KiB page at {@code va} to frame {@code pa} with leaf flags (P is implied). */
    public void map(long va, long pa, long flags) throws FramesExhaustedException {
        checkUserPage(va);
        if ((pa & ~Paging.ADDR) != 0 || pa <= 0 || pa >= memory.size()) {
            throw new IllegalArgumentException("bad frame address 0x" + Long.toHexString(pa));
        }
        long slot = ensureLeafSlot(va);
        long old = memory.getLong(slot);
        memory.setLong(slot, pa | (flags & ~Paging.ADDR) | Paging.P);
        if ((old & Paging.P) != 0) invalidate(va);
    }

    /** Removes the leaf for {@code va}; returns the old entry (0 if nothing was mapped). */
    public long unmap(long va) {
        checkUserPage(va);
        long slot = leafSlot(va);
        if (slot < 0) return 0;
        long old = memory.getLong(slot);
        if (old == 0) return 0;
        memory.setLong(slot, 0);
        if ((old & Paging.P) != 0) invalidate(va);
        return old;
    }

    /** Replaces the leaf's flag bits, keeping its frame; returns the old entry (0 if none). */
    public long protect(long va, long flags) {
        checkUserPage(va);
        long slot = leafSlot(va);
        if (slot < 0) return 0;
        long old = memory.getLong(slot);
        if ((old & Paging.P) == 0) return old;
        memory.setLong(slot, (old & Paging.ADDR) | (flags & ~Paging.ADDR) | Paging.P);
        invalidate(va);
        return old;
    }

    /** The leaf entry for {@code va}, or 0 if none. Does not set Accessed. */
    public long lookup(long va) {
        if (!Paging.isCanonical(va)) return 0;
        long slot = leafSlot(va);
        return slot < 0 ? 0 : memory.getLong(slot);
    }

    /** Visits every present leaf in [from, to) in address order, skipping empty tables. */
    public void forEachLeaf(long from, long to, LeafVisitor visitor) {
        walkRange(root, 3, from, to, 0, visitor);
    }

    @FunctionalInterface
    public interface LeafVisitor {
        void leaf(long va, long pte);
    }

    /** Frees the table frames. The caller must have released the leaf frames first. */
    public void destroy() {
        if (destroyed) return;
        destroyed = true;
        for (Mmu mmu : List.copyOf(users)) mmu.detach(this);
        for (long f : tableFrames) frames.release(f);
        tableFrames.clear();
    }

    public int tableFrameCount() { return tableFrames.size(); }

    void attach(Mmu mmu) {
        if (destroyed) throw new IllegalStateException("page table destroyed");
        users.add(mmu);
    }

    void detachUser(Mmu mmu) { users.remove(mmu); }

    private void invalidate(long va) {
        for (int i = 0; i < users.size(); i++) users.get(i).invalidatePage(va);
    }

    private void walkRange(long table, int level, long from, long to, long base, LeafVisitor v) {
        int shift = Paging.PAGE_SHIFT + 9 * level;
        long span = 1L << shift;
        for (int i = 0; i < 512; i++) {
            long lo = base + i * span;
            long hi = lo + span;
            if (hi <= from || lo >= to) continue;
            long e = memory.getLong(table + i * 8L);
            if ((e & Paging.P) == 0) continue;
            if (level == 0) v.leaf(lo, e);
            else walkRange(e & Paging.ADDR, level - 1, from, to, lo, v);
        }
    }

    /** Physical address of the leaf slot for va, or -1 when an intermediate table is missing. */
    private long leafSlot(long va) {
        long table = root;
        for (int level = 3; level > 0; level--) {
            long e = memory.getLong(table + index(va, level) * 8L);
            if ((e & Paging.P) == 0) return -1;
            table = e & Paging.ADDR;
        }
        return table + index(va, 0) * 8L;
    }

    /** Like {@link #leafSlot} but allocates the missing intermediate tables. */
    private long ensureLeafSlot(long va) throws FramesExhaustedException {
        long table = root;
        for (int level = 3; level > 0; level--) {
            long slot = table + index(va, level) * 8L;
            long e = memory.getLong(slot);
            if ((e & Paging.P) == 0) {
                long t = frames.allocate();
                tableFrames.add(t);
                memory.setLong(slot, t | TABLE_FLAGS);
                table = t;
            } else {
                table = e & Paging.ADDR;
            }
        }
        return table + index(va, 0) * 8L;
    }

    private static int index(long va, int level) {
        return (int) (va >>> (Paging.PAGE_SHIFT + 9 * level)) & 511;
    }

    private static void checkUserPage(long va) {
        if ((va & Paging.PAGE_MASK) != 0 || va < 0 || va >= Paging.USER_END) {
            throw new IllegalArgumentException("not a user page address: 0x" + Long.toHexString(va));
        }
    }
}
