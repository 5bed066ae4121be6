package dev.nexa.mem;

/**
 * Hands out 4 KiB physical frames, zeroed, with reference counts so fork can share frames
 * copy-on-write. Frame 0 is never handed out: physical address 0 means "no frame".
 * Never-used frames come from a bump pointer (already zero: the host's MAP_NORESERVE pages);
 * released frames go to a free stack and are zeroed again when reused.
 */
public final class FrameAllocator {
    private final PhysicalMemory memory;
    private final int[] refs;
    private final int[] freeStack;
    private int freeTop;
    private long bump = 1;
    private long inUse;

    public FrameAllocator(PhysicalMemory memory) {
        this.memory = memory;
        long frames = memory.frameCount();
        if (frames > Integer.MAX_VALUE) throw new IllegalArgumentException("guest memory too large");
        this.refs = new int[(int) frames];
        this.freeStack = new int[(int) frames];
    }

    public PhysicalMemory memory() { return memory; }

    /** A zeroed frame with reference count 1; returns its physical address. */
    public long allocate() throws FramesExhaustedException {
        long frame;
        if (freeTop > 0) {
            frame = freeStack[--freeTop];
            memory.zero(frame << Paging.PAGE_SHIFT, Paging.PAGE_SIZE);
        } else if (bump < refs.length) {
            frame = bump++;
        } else {
            throw new FramesExhaustedException(refs.length);
        }
        refs[(int) frame] = 1;
        inUse++;
        return frame << Paging.PAGE_SHIFT;
    }

    /** One more owner of the frame at {@code pa} (a copy-on-write sharer). */
    public void retain(long pa) {
        int f = checkedFrame(pa);
        refs[f]++;
    }

    /** Drops one owner; frees the frame when none is left. Returns true if it was freed. */
    public boolean release(long pa) {
        int f = checkedFrame(pa);
        if (--refs[f] > 0) return false;
        memory.codeWatch().written(f);        // decoded code in a freed frame is stale
        freeStack[freeTop++] = f;
        inUse--;
        return true;
    }

    public int refCount(long pa) { return refs[frameOf(pa)]; }

    public long framesInUse() { return inUse; }

    public long totalFrames() { return refs.length - 1L; }

    public long freeFrames() { return totalFrames() - inUse; }

    private static int frameOf(long pa) { return (int) (pa >>> Paging.PAGE_SHIFT); }

    private int checkedFrame(long pa) {
        int f = frameOf(pa);
        if ((pa & Paging.PAGE_MASK) != 0 || f <= 0 || f >= refs.length || refs[f] <= 0) {
            throw new IllegalStateException("frame 0x" + Long.toHexString(pa) + " is not allocated");
        }
        return f;
    }
}
