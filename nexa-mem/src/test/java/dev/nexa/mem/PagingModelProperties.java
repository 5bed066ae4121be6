package dev.nexa.mem;

import net.jqwik.api.*;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.*;

/**
 * After any random sequence of map/unmap/protect, translation through the MMU agrees with a plain
 * {@link Map} model, and the TLB never serves a stale entry (each step reads through the MMU, so
 * the TLB is warm when the next edit happens). Long campaign: -Djqwik.tries.default=100000.
 */
class PagingModelProperties {
    record Entry(long frame, boolean writable, boolean executable) {}

    sealed interface Op permits MapOp, UnmapOp, ProtectOp, Touch {}
    record MapOp(int page, boolean writable, boolean executable) implements Op {}
    record UnmapOp(int page) implements Op {}
    record ProtectOp(int page, boolean writable, boolean executable) implements Op {}
    record Touch(int page, int offset) implements Op {}

    /** Pages spread across PML4/PDPT/PD boundaries and sharing TLB slots (same low index bits). */
    private static final long[] BASES = {
            0x400000L, 0x400000L + (4096L << 12), 0x7fff_ffff_0000L, 0x7f00_0000_0000L,
            0x5555_5555_4000L, 0x20_0000_0000L - 0x1000L};

    private PhysicalMemory ram;
    private FrameAllocator frames;

    @BeforeProperty
    void reserve() { ram = PhysicalMemory.reserve(64L << 20); frames = new FrameAllocator(ram); }

    @AfterProperty
    void release() { ram.close(); }

    static long va(int page) {
        return BASES[page % BASES.length] + (long) (page / BASES.length) * 4096;
    }

    @Provide
    Arbitrary<List<Op>> ops() {
        Arbitrary<Integer> page = Arbitraries.integers().between(0, 23);
        Arbitrary<Boolean> bool = Arbitraries.of(true, false);
        Arbitrary<Op> op = Arbitraries.oneOf(
                Combinators.combine(page, bool, bool).as(MapOp::new),
                page.map(UnmapOp::new),
                Combinators.combine(page, bool, bool).as(ProtectOp::new),
                Combinators.combine(page, Arbitraries.integers().between(0, 4095)).as(Touch::new));
        return op.list().ofMinSize(1).ofMaxSize(60);
    }

    @Property
    void translationAgreesWithModel(@ForAll("ops") List<Op> ops) throws Exception {
        PageTable table = PageTable.create(frames);
        Mmu mmu = new Mmu(ram);
        mmu.switchTo(table);
        Map<Long, Entry> model = new HashMap<>();
        try {
            for (Op op : ops) {
                switch (op) {
                    case MapOp m -> {
                        long pa = frames.allocate();
                        ram.setLong(pa, pa);                          // each frame names itself
                        Entry old = model.put(va(m.page()), new Entry(pa, m.writable(), m.executable()));
                        if (old != null) frames.release(old.frame());
                        table.map(va(m.page()), pa, flags(m.writable(), m.executable()));
                    }
                    case UnmapOp u -> {
                        Entry old = model.remove(va(u.page()));
                        long pte = table.unmap(va(u.page()));
                        assertEquals(old == null ? 0 : old.frame(), pte & Paging.ADDR);
                        if (old != null) frames.release(old.frame());
                    }
                    case ProtectOp p -> {
                        Entry old = model.get(va(p.page()));
                        if (old != null) model.put(va(p.page()), new Entry(old.frame(), p.writable(), p.executable()));
                        table.protect(va(p.page()), flags(p.writable(), p.executable()));
                    }
                    case Touch t -> { }
                }
                for (int page = 0; page < 24; page++) checkPage(mmu, model, va(page));
            }
        } finally {
            table.forEachLeaf(0, Paging.USER_END, (v, pte) -> frames.release(pte & Paging.ADDR));
            mmu.close();
            table.destroy();
        }
        assertEquals(0, frames.framesInUse(), "no frame leaked");
    }

    private static long flags(boolean writable, boolean executable) {
        return Paging.US | (writable ? Paging.RW : 0) | (executable ? 0 : Paging.NX);
    }

    private static void checkPage(Mmu mmu, Map<Long, Entry> model, long va) {
        Entry e = model.get(va);
        if (e == null) {
            MemoryFault f = assertThrows(MemoryFault.class, () -> mmu.read64(va));
            assertFalse(f.wasProtection());
            return;
        }
        assertEquals(e.frame(), mmu.read64(va), "read sees the mapped frame");
        assertEquals(e.frame(), mmu.translate(va, Mmu.READ) & ~Paging.PAGE_MASK);
        if (e.executable()) assertEquals((byte) e.frame(), mmu.fetch8(va));
        else assertTrue(assertThrows(MemoryFault.class, () -> mmu.fetch8(va)).wasFetch());
        if (e.writable()) {
            mmu.write64(va, e.frame());                                // same value: model unchanged
        } else {
            MemoryFault f = assertThrows(MemoryFault.class, () -> mmu.write64(va, 0));
            assertTrue(f.wasProtection() && f.wasWrite());
        }
    }
}
