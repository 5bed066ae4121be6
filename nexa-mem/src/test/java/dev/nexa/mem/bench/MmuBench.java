package dev.nexa.mem.bench;

import dev.nexa.mem.FrameAllocator;
import dev.nexa.mem.Mmu;
import dev.nexa.mem.PageTable;
import dev.nexa.mem.Paging;
import dev.nexa.mem.PhysicalMemory;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The MMU's hot paths: a TLB hit (one compare, one segment access), a store hit, and a full
 * 4-level walk after INVLPG. Run with {@code .ci/jmh MmuBench}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MmuBench {
    static final long BASE = 0x40_0000L;
    static final int PAGES = 256;

    PhysicalMemory ram;
    Mmu mmu;
    long cursor;

    @Setup
    public void setUp() throws Exception {
        ram = PhysicalMemory.reserve(64L << 20);
        FrameAllocator frames = new FrameAllocator(ram);
        PageTable table = PageTable.create(frames);
        for (int k = 0; k < PAGES; k++) table.map(BASE + k * 4096L, frames.allocate(), Paging.US | Paging.RW);
        mmu = new Mmu(ram);
        mmu.switchTo(table);
        for (int k = 0; k < PAGES; k++) mmu.write64(BASE + k * 4096L, k);     // warm the TLB, set D
    }

    @TearDown
    public void tearDown() { ram.close(); }

    /** Reads walking through 256 pages, 8 bytes at a time: all TLB hits. */
    @Benchmark
    public long readHit() {
        cursor = (cursor + 8) & (PAGES * 4096L - 1);
        return mmu.read64(BASE + cursor);
    }

    @Benchmark
    public void writeHit() {
        cursor = (cursor + 8) & (PAGES * 4096L - 1);
        mmu.write64(BASE + cursor, cursor);
    }

    /** INVLPG then read: the cost of a 4-level walk with A/D maintenance. */
    @Benchmark
    public long walk() {
        cursor = (cursor + 4096) & (PAGES * 4096L - 1);
        mmu.invalidatePage(BASE + cursor);
        return mmu.read64(BASE + cursor);
    }
}
