package dev.nexa.mem;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class MmuTest {
    private PhysicalMemory ram;
    private FrameAllocator frames;
    private PageTable table;
    private Mmu mmu;

    @BeforeEach
    void setUp() throws Exception {
        ram = PhysicalMemory.reserve(16L << 20);
        frames = new FrameAllocator(ram);
        table = PageTable.create(frames);
        mmu = new Mmu(ram);
        mmu.switchTo(table);
    }

    @AfterEach
    void tearDown() {
        mmu.close();
        ram.close();
    }

    private long mapNew(long va, long flags) throws Exception {
        long pa = frames.allocate();
        table.map(va, pa, flags);
        return pa;
    }

    @Test
    void readsAndWritesGoThroughTheMapping() throws Exception {
        long pa = mapNew(0x400000, Paging.US | Paging.RW);
        mmu.write64(0x400010, 0x1122334455667788L);
        assertEquals(0x1122334455667788L, ram.getLong(pa + 0x10));
        assertEquals(0x55667788, mmu.read32(0x400010));
        assertEquals((short) 0x3344, mmu.read16(0x400014));
        assertEquals((byte) 0x11, mmu.read8(0x400017));
    }

    @Test
    void notPresentFaultsCarryTheArchitecturalErrorCode() {
        MemoryFault r = assertThrows(MemoryFault.class, () -> mmu.read8(0x1234));
        assertEquals(14, r.vector());
        assertEquals(Paging.PF_USER, r.errorCode());
        assertEquals(0x1234, r.address());
        MemoryFault w = assertThrows(MemoryFault.class, () -> mmu.write32(0x5678, 1));
        assertEquals(Paging.PF_USER | Paging.PF_WRITE, w.errorCode());
        MemoryFault x = assertThrows(MemoryFault.class, () -> mmu.fetch8(0x9000));
        assertEquals(Paging.PF_USER | Paging.PF_FETCH, x.errorCode());
    }

    @Test
    void protectionFaults() throws Exception {
        mapNew(0x400000, Paging.US | Paging.NX);            // read-only, no-exec
        mapNew(0x401000, Paging.RW);                        // supervisor only
        assertEquals(0, mmu.read8(0x400000));
        MemoryFault w = assertThrows(MemoryFault.class, () -> mmu.write8(0x400000, (byte) 1));
        assertEquals(Paging.PF_USER | Paging.PF_WRITE | Paging.PF_PRESENT, w.errorCode());
        MemoryFault x = assertThrows(MemoryFault.class, () -> mmu.fetch8(0x400001));
        assertEquals(Paging.PF_USER | Paging.PF_FETCH | Paging.PF_PRESENT, x.errorCode());
        MemoryFault s = assertThrows(MemoryFault.class, () -> mmu.read8(0x401000));
        assertEquals(Paging.PF_USER | Paging.PF_PRESENT, s.errorCode());
    }

    @Test
    void nonCanonicalAddressesRaiseGeneralProtection() {
        MemoryFault f = assertThrows(MemoryFault.class, () -> mmu.read64(0x0000_8000_0000_0000L));
        assertEquals(13, f.vector());
    }

    @Test
    void walkSetsAccessedThenDirty() throws Exception {
        mapNew(0x400000, Paging.US | Paging.RW);
        assertEquals(0, table.lookup(0x400000) & (Paging.A | Paging.D));
        mmu.read8(0x400000);
        assertEquals(Paging.A, table.lookup(0x400000) & (Paging.A | Paging.D));
        mmu.write8(0x400000, (byte) 1);                      // read entry cached; write must walk
        assertEquals(Paging.A | Paging.D, table.lookup(0x400000) & (Paging.A | Paging.D));
    }

    @Test
    void pageCrossingAccessesSpanTwoFrames() throws Exception {
        long a = mapNew(0x400000, Paging.US | Paging.RW);
        long b = mapNew(0x401000, Paging.US | Paging.RW);
        mmu.write64(0x400ffd, 0x0807060504030201L);
        assertEquals(0x01, ram.getByte(a + 0xffd));
        assertEquals(0x03, ram.getByte(a + 0xfff));
        assertEquals(0x04, ram.getByte(b));
        assertEquals(0x08, ram.getByte(b + 4));
        assertEquals(0x0807060504030201L, mmu.read64(0x400ffd));
        assertEquals(0x05040302, mmu.read32(0x400ffe));
    }

    @Test
    void crossingStoreThatFaultsOnTheSecondPageStoresNothing() throws Exception {
        long a = mapNew(0x400000, Paging.US | Paging.RW);
        MemoryFault f = assertThrows(MemoryFault.class, () -> mmu.write64(0x400ffc, -1L));
        assertEquals(0x401000, f.address());
        assertEquals(0, ram.getLong(a + 0xff8));
    }

    @Test
    void unmapAndProtectInvalidateCachedTranslations() throws Exception {
        mapNew(0x400000, Paging.US | Paging.RW);
        mmu.write8(0x400000, (byte) 7);
        table.protect(0x400000, Paging.US);
        assertThrows(MemoryFault.class, () -> mmu.write8(0x400000, (byte) 8));
        assertEquals(7, mmu.read8(0x400000));
        table.unmap(0x400000);
        assertThrows(MemoryFault.class, () -> mmu.read8(0x400000));
    }

    @Test
    void remappingToAnotherFrameIsSeenImmediately() throws Exception {
        long a = mapNew(0x400000, Paging.US | Paging.RW);
        ram.setLong(a, 1);
        assertEquals(1, mmu.read64(0x400000));
        long b = frames.allocate();
        ram.setLong(b, 2);
        table.map(0x400000, b, Paging.US | Paging.RW);
        assertEquals(2, mmu.read64(0x400000));
    }

    @Test
    void storesToWatchedCodeFramesAreReported() throws Exception {
        long pa = mapNew(0x400000, Paging.US | Paging.RW);
        long[] reported = {-1};
        ram.codeWatch().setListener(frame -> reported[0] = frame);
        mmu.write8(0x400000, (byte) 1);                      // write translation now cached
        ram.codeWatch().watch(pa >>> 12);                    // decoder caches code in the frame
        mmu.write8(0x400001, (byte) 2);
        assertEquals(pa >>> 12, reported[0]);
        assertFalse(ram.codeWatch().isWatched(pa >>> 12));
        reported[0] = -1;
        mmu.write8(0x400002, (byte) 3);
        assertEquals(-1, reported[0], "an unwatched frame is not reported again");
    }

    @Test
    void bulkCopiesCrossPages() throws Exception {
        mapNew(0x400000, Paging.US | Paging.RW);
        mapNew(0x401000, Paging.US | Paging.RW);
        byte[] data = new byte[5000];
        for (int i = 0; i < data.length; i++) data[i] = (byte) (i * 7);
        mmu.write(0x400100, data, 0, data.length);
        byte[] back = new byte[data.length];
        mmu.read(0x400100, back, 0, back.length);
        assertArrayEquals(data, back);
        assertEquals((byte) (4000 * 7), mmu.read8(0x400100 + 4000));
    }

    @Test
    void destroyReturnsTableFrames() throws Exception {
        long before = frames.framesInUse();
        PageTable t = PageTable.create(frames);
        long pa = frames.allocate();
        t.map(0x7fff_0000_0000L, pa, Paging.US);
        assertEquals(4, t.tableFrameCount());
        frames.release(pa);
        t.destroy();
        assertEquals(before, frames.framesInUse());
    }
}
