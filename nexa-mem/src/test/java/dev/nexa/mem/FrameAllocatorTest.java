package dev.nexa.mem;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.*;

class FrameAllocatorTest {
    @Test
    void framesAreZeroedAndReferenceCounted() throws Exception {
        try (PhysicalMemory ram = PhysicalMemory.reserve(1L << 20)) {
            FrameAllocator frames = new FrameAllocator(ram);
            long a = frames.allocate();
            assertNotEquals(0, a, "physical address 0 is never handed out");
            ram.setLong(a + 8, 42);
            frames.retain(a);
            assertEquals(2, frames.refCount(a));
            assertFalse(frames.release(a));
            assertTrue(frames.release(a));
            long b = frames.allocate();
            assertEquals(a, b, "a freed frame is reused");
            assertEquals(0, ram.getLong(b + 8), "and zeroed again");
        }
    }

    @Test
    void bookkeepingGrowsPastItsFirstSizeWithoutLosingCounts() throws Exception {
        try (PhysicalMemory ram = PhysicalMemory.reserve(64L << 20)) {      // 16384 frames
            FrameAllocator fa = new FrameAllocator(ram);
            assertEquals(16383, fa.totalFrames());
            long[] pa = new long[5000];
            for (int i = 0; i < pa.length; i++) pa[i] = fa.allocate();
            for (int i = 0; i < pa.length; i += 2) fa.retain(pa[i]);
            for (int i = 1; i < pa.length; i += 2) assertTrue(fa.release(pa[i]));   // 2500 on the free list
            for (int i = 0; i < pa.length; i++) assertEquals(i % 2 == 0 ? 2 : 0, fa.refCount(pa[i]), "frame " + i);
            var reused = new java.util.HashSet<Long>();
            for (int i = 0; i < 2500; i++) reused.add(fa.allocate());
            for (int i = 1; i < pa.length; i += 2) assertTrue(reused.contains(pa[i]));
            assertEquals(5000, fa.framesInUse());
            while (fa.freeFrames() > 0) fa.allocate();
            assertThrows(FramesExhaustedException.class, fa::allocate);
        }
    }

    @Test
    void exhaustionIsAnExceptionNotAnError() throws Exception {
        try (PhysicalMemory ram = PhysicalMemory.reserve(64 * 4096)) {
            FrameAllocator frames = new FrameAllocator(ram);
            for (int i = 0; i < 63; i++) frames.allocate();
            assertEquals(0, frames.freeFrames());
            assertThrows(FramesExhaustedException.class, frames::allocate);
        }
    }

    @Test
    void releasingAFreeFrameIsAKernelBug() throws Exception {
        try (PhysicalMemory ram = PhysicalMemory.reserve(1L << 20)) {
            FrameAllocator frames = new FrameAllocator(ram);
            long a = frames.allocate();
            frames.release(a);
            assertThrows(IllegalStateException.class, () -> frames.release(a));
        }
    }
}
