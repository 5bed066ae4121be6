package dev.nexa.cpu;

import dev.nexa.mem.CodeWatch;
import dev.nexa.mem.PhysicalMemory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Decoded blocks of one machine's physical memory, shared by all its CPUs. A frame that holds
 * decoded code is watched ({@link CodeWatch}); the first guest store into it (or its release)
 * invalidates every block in it. If the store comes from the very block that is executing,
 * the CPU abandons the block before the store and re-executes that instruction on its own, so
 * self-modifying code sees its own writes at the next instruction, as on hardware.
 */
public final class CodeCache implements CodeWatch.Listener {
    private final PhysicalMemory memory;
    private final Map<Long, Block> byAddress = new HashMap<>();
    private final Map<Long, List<Block>> byFrame = new HashMap<>();
    private final CpuStats stats = new CpuStats();
    private Block executing;
    private long invalidations;

    public CodeCache(PhysicalMemory memory) {
        this.memory = memory;
        memory.codeWatch().setListener(this);
    }

    Block get(long pa) { return byAddress.get(pa); }

    void put(Block b) {
        byAddress.put(b.pa, b);
        watch(b, b.pa >>> 12);
        if (b.pa2 >= 0) watch(b, b.pa2 >>> 12);
    }

    private void watch(Block b, long frame) {
        byFrame.computeIfAbsent(frame, f -> new ArrayList<>()).add(b);
        memory.codeWatch().watch(frame);
    }

    void executing(Block b) { executing = b; }

    /** Execution counts of every CPU using this cache (for --stats). */
    public CpuStats stats() { return stats; }

    /** Number of frames whose code was invalidated by a write (for --stats). */
    public long invalidations() { return invalidations; }

    public int blockCount() { return byAddress.size(); }

    @Override
    public void codeFrameWritten(long frame) {
        List<Block> blocks = byFrame.remove(frame);
        if (blocks == null) return;
        invalidations++;
        boolean hitsRunning = false;
        for (Block b : blocks) {
            b.valid = false;
            b.compiled = null;
            if (byAddress.get(b.pa) == b) byAddress.remove(b.pa);
            hitsRunning |= b == executing;
        }
        if (hitsRunning) {
            executing = null;
            throw CodeModified.INSTANCE;
        }
    }

    /** The executing block's own code is being overwritten: unwind to the run loop. */
    static final class CodeModified extends RuntimeException {
        static final CodeModified INSTANCE = new CodeModified();

        private CodeModified() { super(null, null, false, false); }
    }
}
