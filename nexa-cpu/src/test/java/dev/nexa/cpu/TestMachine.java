package dev.nexa.cpu;

import dev.nexa.mem.FrameAllocator;
import dev.nexa.mem.Mmu;
import dev.nexa.mem.PageTable;
import dev.nexa.mem.Paging;
import dev.nexa.mem.PhysicalMemory;

/**
 * A bare machine for CPU tests: code at {@link #CODE} (read/execute), data at {@link #DATA}
 * (read/write, 64 KiB), a stack below {@link #STACK_TOP}. No kernel: SYSCALL just stops.
 */
public final class TestMachine implements AutoCloseable {
    public static final long CODE = 0x40_0000L, DATA = 0x60_0000L, STACK_TOP = 0x80_0000L;

    public final PhysicalMemory ram = PhysicalMemory.reserve(64L << 20);
    public final FrameAllocator frames = new FrameAllocator(ram);
    public final PageTable table;
    public final Mmu mmu = new Mmu(ram);
    public final CodeCache cache = new CodeCache(ram);
    public final Cpu cpu = new Cpu(mmu, cache);

    public TestMachine() {
        try {
            table = PageTable.create(frames);
            mmu.switchTo(table);
            map(CODE, 4, Paging.US);
            map(DATA, 16, Paging.US | Paging.RW | Paging.NX);
            map(STACK_TOP - 16 * 4096, 16, Paging.US | Paging.RW | Paging.NX);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        cpu.setReg(Reg.RSP, STACK_TOP - 64);
    }

    public void map(long va, int pages, long flags) throws Exception {
        for (int k = 0; k < pages; k++) table.map(va + k * 4096L, frames.allocate(), flags);
    }

    /**
     * Writes code bytes (bypassing page protection, as a loader would) and points RIP at them.
     * Blocks decoded from the old bytes are dropped, as a kernel's write would drop them.
     */
    public TestMachine load(long va, int... bytes) {
        for (int k = 0; k < bytes.length; k++) {
            long pte = table.lookup(Paging.pageDown(va + k));
            ram.segment().set(java.lang.foreign.ValueLayout.JAVA_BYTE,
                    (pte & Paging.ADDR) + ((va + k) & Paging.PAGE_MASK), (byte) bytes[k]);
            if (k == 0 || ((va + k) & Paging.PAGE_MASK) == 0) cache.codeFrameWritten((pte & Paging.ADDR) >>> 12);
        }
        cpu.setRip(va);
        return this;
    }

    public TestMachine code(int... bytes) { return load(CODE, bytes); }

    public StopReason run() { return cpu.run(1_000_000); }

    @Override
    public void close() {
        mmu.close();
        ram.close();
    }
}
