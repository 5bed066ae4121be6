package dev.nexa.mem;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * One CPU's view of guest memory: CR3, the 4-level walk, and a software TLB.
 * <p>
 * The TLB is direct-mapped and separate for reads, writes and instruction fetches. An entry is
 * a pair {@code [tag, addend]} in one array: tag = the virtual page, addend = physical page minus
 * virtual page, so a hit costs one compare and one segment access at {@code va + addend}.
 * Indexing by {@code va}'s page but comparing the tag against the page of the access's LAST
 * byte makes page-crossing accesses miss too (an entry at index i only ever holds a page whose
 * index is i), so they take the slow path without a second test.
 * <p>
 * Write entries exist only for pages whose leaf is already Dirty and whose frame holds no
 * decoded code ({@link CodeWatch}), so the first store to a page sets D and stores to code
 * pages are seen by the decode cache. The walk sets Accessed at every level, enforces U/S
 * (the guest always runs at CPL 3), R/W and NX, and raises #PF with the architectural error
 * code (SDM Vol. 3A §4.7). Confined to one thread, like everything that touches guest RAM.
 */
public final class Mmu {
    public static final int READ = 0, WRITE = 1, FETCH = 2;

    private static final int TLB_BITS = 12;
    private static final int TLB_MASK = (1 << TLB_BITS) - 1;
    private static final long EMPTY = -1L;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfByte BYTE = ValueLayout.JAVA_BYTE;

    private final PhysicalMemory memory;
    private final MemorySegment ram;
    private final long ramSize;
    private final long[] rtlb = new long[2 << TLB_BITS];
    private final long[] wtlb = new long[2 << TLB_BITS];
    private final long[] xtlb = new long[2 << TLB_BITS];
    private PageTable space;
    private long cr3;
    private long misses;

    public Mmu(PhysicalMemory memory) {
        this.memory = memory;
        this.ram = memory.segment();
        this.ramSize = memory.size();
        flush();
        memory.codeWatch().attach(this);
    }

    public PhysicalMemory memory() { return memory; }

    /** Loads CR3 with the given address space; like a MOV to CR3, this flushes the TLB. */
    public void switchTo(PageTable table) {
        if (space != null) space.detachUser(this);
        space = table;
        cr3 = table == null ? 0 : table.root();
        if (table != null) table.attach(this);
        flush();
    }

    public PageTable pageTable() { return space; }

    public long cr3() { return cr3; }

    /** TLB misses so far (walks, including page-crossing accesses). */
    public long tlbMisses() { return misses; }

    /** Stops using this MMU: leaves its address space and the code watch. */
    public void close() {
        switchTo(null);
        memory.codeWatch().detach(this);
    }

    // ---- fast paths --------------------------------------------------------------------------

    public byte read8(long va) {
        int i = slot(va);
        if (rtlb[i] == (va & ~Paging.PAGE_MASK)) return ram.get(BYTE, va + rtlb[i + 1]);
        return ram.get(BYTE, translateSlow(va, READ));
    }

    public short read16(long va) {
        int i = slot(va);
        if (rtlb[i] == ((va + 1) & ~Paging.PAGE_MASK)) return ram.get(SHORT, va + rtlb[i + 1]);
        return (short) readCrossing(va, 2);
    }

    public int read32(long va) {
        int i = slot(va);
        if (rtlb[i] == ((va + 3) & ~Paging.PAGE_MASK)) return ram.get(INT, va + rtlb[i + 1]);
        return (int) readCrossing(va, 4);
    }

    public long read64(long va) {
        int i = slot(va);
        if (rtlb[i] == ((va + 7) & ~Paging.PAGE_MASK)) return ram.get(LONG, va + rtlb[i + 1]);
        return readCrossing(va, 8);
    }

    public void write8(long va, byte v) {
        int i = slot(va);
        if (wtlb[i] == (va & ~Paging.PAGE_MASK)) ram.set(BYTE, va + wtlb[i + 1], v);
        else ram.set(BYTE, translateSlow(va, WRITE), v);
    }

    public void write16(long va, short v) {
        int i = slot(va);
        if (wtlb[i] == ((va + 1) & ~Paging.PAGE_MASK)) ram.set(SHORT, va + wtlb[i + 1], v);
        else writeCrossing(va, v, 2);
    }

    public void write32(long va, int v) {
        int i = slot(va);
        if (wtlb[i] == ((va + 3) & ~Paging.PAGE_MASK)) ram.set(INT, va + wtlb[i + 1], v);
        else writeCrossing(va, v, 4);
    }

    public void write64(long va, long v) {
        int i = slot(va);
        if (wtlb[i] == ((va + 7) & ~Paging.PAGE_MASK)) ram.set(LONG, va + wtlb[i + 1], v);
        else writeCrossing(va, v, 8);
    }

    /** One instruction byte (the decoder's view: checks NX). */
    public byte fetch8(long va) {
        int i = slot(va);
        if (xtlb[i] == (va & ~Paging.PAGE_MASK)) return ram.get(BYTE, va + xtlb[i + 1]);
        return ram.get(BYTE, translateSlow(va, FETCH));
    }

    /** The physical address an instruction fetch at {@code va} reads (decode-cache key). */
    public long fetchPhysical(long va) {
        int i = slot(va);
        if (xtlb[i] == (va & ~Paging.PAGE_MASK)) return va + xtlb[i + 1];
        return translateSlow(va, FETCH);
    }

    /**
     * Translates as an access of the given kind would (setting A/D, checking permissions,
     * filling the TLB) and returns the physical address, or throws {@link MemoryFault}.
     */
    public long translate(long va, int access) {
        long[] tlb = access == READ ? rtlb : access == WRITE ? wtlb : xtlb;
        int i = slot(va);
        if (tlb[i] == (va & ~Paging.PAGE_MASK)) return va + tlb[i + 1];
        return translateSlow(va, access);
    }

    private static int slot(long va) {
        return ((int) (va >>> Paging.PAGE_SHIFT) & TLB_MASK) << 1;
    }

    // ---- bulk copies (the kernel's user-memory access) ---------------------------------------

    /** Copies guest bytes at {@code va} into {@code dst}, page by page, as guest reads would. */
    public void read(long va, byte[] dst, int off, int len) {
        while (len > 0) {
            int n = (int) Math.min(len, Paging.PAGE_SIZE - (va & Paging.PAGE_MASK));
            MemorySegment.copy(ram, BYTE, translate(va, READ), dst, off, n);
            va += n;
            off += n;
            len -= n;
        }
    }

    /** Stores {@code src} at guest address {@code va}, page by page, as guest writes would. */
    public void write(long va, byte[] src, int off, int len) {
        while (len > 0) {
            int n = (int) Math.min(len, Paging.PAGE_SIZE - (va & Paging.PAGE_MASK));
            MemorySegment.copy(src, off, ram, BYTE, translate(va, WRITE), n);
            va += n;
            off += n;
            len -= n;
        }
    }

    /** Copies {@code len} bytes between a host segment and guest memory at {@code va}. */
    public void copy(long va, MemorySegment host, long hostOff, long len, boolean toGuest) {
        while (len > 0) {
            long n = Math.min(len, Paging.PAGE_SIZE - (va & Paging.PAGE_MASK));
            if (toGuest) MemorySegment.copy(host, hostOff, ram, translate(va, WRITE), n);
            else MemorySegment.copy(ram, translate(va, READ), host, hostOff, n);
            va += n;
            hostOff += n;
            len -= n;
        }
    }

    // ---- slow paths --------------------------------------------------------------------------

    private long readCrossing(long va, int size) {
        if (((va ^ (va + size - 1)) & ~Paging.PAGE_MASK) == 0) {
            return switch (size) {
                case 2 -> ram.get(SHORT, translateSlow(va, READ));
                case 4 -> ram.get(INT, translateSlow(va, READ));
                default -> ram.get(LONG, translateSlow(va, READ));
            };
        }
        long v = 0;
        for (int k = size - 1; k >= 0; k--) v = (v << 8) | (read8(va + k) & 0xFF);
        return v;
    }

    private void writeCrossing(long va, long v, int size) {
        if (((va ^ (va + size - 1)) & ~Paging.PAGE_MASK) == 0) {
            long pa = translateSlow(va, WRITE);
            switch (size) {
                case 2 -> ram.set(SHORT, pa, (short) v);
                case 4 -> ram.set(INT, pa, (int) v);
                default -> ram.set(LONG, pa, v);
            }
            return;
        }
        // Both pages must be writable before any byte is stored: x86 stores are all-or-nothing
        // with respect to faults, so a fault on the second page leaves the first untouched.
        long second = (va + size - 1) & ~Paging.PAGE_MASK;
        translate(va, WRITE);
        translate(second, WRITE);
        for (int k = 0; k < size; k++) write8(va + k, (byte) (v >>> (8 * k)));
    }

    /** Walks the tables for {@code va}, fills the TLB entry, returns the physical address. */
    private long translateSlow(long va, int access) {
        misses++;
        if (!Paging.isCanonical(va)) throw MemoryFault.nonCanonical(va);
        long page = va & ~Paging.PAGE_MASK;
        long pte = walk(va, access);
        long framePa = pte & Paging.ADDR;
        long pa = framePa | (va & Paging.PAGE_MASK);
        if (access == WRITE) {
            CodeWatch watch = memory.codeWatch();
            watch.written(framePa >>> Paging.PAGE_SHIFT);
        }
        long[] tlb = access == READ ? rtlb : access == WRITE ? wtlb : xtlb;
        int i = slot(va);
        tlb[i] = page;
        tlb[i + 1] = framePa - page;
        return pa;
    }

    /**
     * The 4-level walk from CR3 (SDM Vol. 3A §4.5.4). Returns the effective leaf entry for the
     * 4 KiB page containing {@code va} (large pages are split into their 4 KiB part).
     */
    private long walk(long va, int access) {
        if (space == null) throw MemoryFault.pageFault(va, errorCode(access, false));
        long table = cr3;
        boolean writable = true, executable = true;
        for (int level = 3; level >= 0; level--) {
            long slot = table + (((va >>> (Paging.PAGE_SHIFT + 9 * level)) & 511) << 3);
            long e = ram.get(LONG, slot);
            if ((e & Paging.P) == 0) throw MemoryFault.pageFault(va, errorCode(access, false));
            if ((e & Paging.US) == 0) throw MemoryFault.pageFault(va, errorCode(access, true));
            writable &= (e & Paging.RW) != 0;
            executable &= (e & Paging.NX) == 0;
            boolean leaf = level == 0 || (e & Paging.PS) != 0;
            if (leaf && level == 3) {
                throw MemoryFault.pageFault(va, errorCode(access, true) | Paging.PF_RSVD);
            }
            if (leaf) {
                if (access == WRITE && !writable || access == FETCH && !executable) {
                    throw MemoryFault.pageFault(va, errorCode(access, true));
                }
                long set = Paging.A | (access == WRITE ? Paging.D : 0);
                if ((e & set) != set) ram.set(LONG, slot, e | set);
                long frame = (e & Paging.ADDR) & ~((1L << (Paging.PAGE_SHIFT + 9 * level)) - 1);
                long pa = frame | (va & ((1L << (Paging.PAGE_SHIFT + 9 * level)) - 1) & ~Paging.PAGE_MASK);
                if (pa <= 0 || pa >= ramSize) {
                    throw new IllegalStateException("page table maps 0x" + Long.toHexString(va)
                            + " outside guest RAM: 0x" + Long.toHexString(pa));
                }
                // A read walk may cache a page that is not yet dirty; only write fills need D.
                return pa | (e & ~Paging.ADDR);
            }
            if ((e & Paging.A) == 0) ram.set(LONG, slot, e | Paging.A);
            table = e & Paging.ADDR;
        }
        throw new AssertionError("unreachable");
    }

    private static int errorCode(int access, boolean present) {
        int code = Paging.PF_USER | (present ? Paging.PF_PRESENT : 0);
        if (access == WRITE) code |= Paging.PF_WRITE;
        if (access == FETCH) code |= Paging.PF_FETCH;
        return code;
    }

    // ---- invalidation ------------------------------------------------------------------------

    /** INVLPG: drops every cached translation of the page containing {@code va}. */
    public void invalidatePage(long va) {
        int i = slot(va);
        long page = va & ~Paging.PAGE_MASK;
        if (rtlb[i] == page) rtlb[i] = EMPTY;
        if (wtlb[i] == page) wtlb[i] = EMPTY;
        if (xtlb[i] == page) xtlb[i] = EMPTY;
    }

    /** Drops the whole TLB (as a CR3 load does). */
    public void flush() {
        for (int i = 0; i < rtlb.length; i += 2) {
            rtlb[i] = EMPTY;
            wtlb[i] = EMPTY;
            xtlb[i] = EMPTY;
        }
    }

    /** Drops any write translation that points into {@code frame} (it now holds code). */
    void dropWriteTranslations(long frame) {
        long framePa = frame << Paging.PAGE_SHIFT;
        for (int i = 0; i < wtlb.length; i += 2) {
            if (wtlb[i] != EMPTY && wtlb[i] + wtlb[i + 1] == framePa) wtlb[i] = EMPTY;
        }
    }

    void detach(PageTable table) {
        if (space == table) switchTo(null);
    }
}
