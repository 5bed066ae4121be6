package dev.nexa.mem;

/**
 * x86-64 4-level paging constants (Intel SDM Vol. 3A §4.5, Table 4-19/4-20).
 * Page-table entries are plain {@code long}s with these bits.
 */
public final class Paging {
    public static final int PAGE_SHIFT = 12;
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;
    public static final long PAGE_MASK = PAGE_SIZE - 1;

    /** Present. */
    public static final long P = 1L;
    /** Read/write: writes allowed when set (at every level). */
    public static final long RW = 1L << 1;
    /** User/supervisor: CPL 3 access allowed when set (at every level). */
    public static final long US = 1L << 2;
    public static final long PWT = 1L << 3;
    public static final long PCD = 1L << 4;
    /** Accessed: set by the walk. */
    public static final long A = 1L << 5;
    /** Dirty: set by the walk on the first write through a leaf entry. */
    public static final long D = 1L << 6;
    /** Page size: a 1 GiB (PDPTE) or 2 MiB (PDE) leaf. */
    public static final long PS = 1L << 7;
    public static final long G = 1L << 8;
    /** Software-available bit 9: the kernel marks copy-on-write leaves with it. */
    public static final long COW = 1L << 9;
    /** Software-available bit 10: free for kernel use. */
    public static final long SW1 = 1L << 10;
    /** Execute-disable (EFER.NXE is always on in Nexa). */
    public static final long NX = 1L << 63;
    /** Physical address bits 51:12 of an entry. */
    public static final long ADDR = 0x000F_FFFF_FFFF_F000L;

    /** #PF error code bits (SDM Vol. 3A §4.7, Figure 4-12). */
    public static final int PF_PRESENT = 1, PF_WRITE = 2, PF_USER = 4, PF_RSVD = 8, PF_FETCH = 16;

    /** Highest user address + 1 on Linux x86-64 with 4-level paging (TASK_SIZE_MAX). */
    public static final long USER_END = 0x0000_7FFF_FFFF_F000L;

    private Paging() {}

    public static long pageDown(long va) { return va & ~PAGE_MASK; }

    public static long pageUp(long va) { return (va + PAGE_MASK) & ~PAGE_MASK; }

    /** Bits 63:47 all equal (SDM Vol. 1 §3.3.7.1): otherwise an access raises #GP, not #PF. */
    public static boolean isCanonical(long va) { return (va << 16 >> 16) == va; }
}
