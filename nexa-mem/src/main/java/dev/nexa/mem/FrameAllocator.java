package dev.nexa.mem;

import java.util.Arrays;

/**
 * Hands out 4 KiB physical frames, zeroed, with reference counts so fork can share frames
 * copy-on-write. Frame 0 is never handed out: physical address 0 means "no frame".
 * Never-used frames come from a bump pointer (already zero: the host's MAP_NORESERVE pages);
 * released frames go to a free stack and are zeroed again when reused.
 */
public final class FrameAllocator {
    private final PhysicalMemory memory;
    private final long frames;
    // Both arrays grow with use (8 bytes of heap per 4 KiB frame at full size): a short run of a
    // 1 GiB guest touches a few hundred frames, not 2 MB of bookkeeping (docs/performance.md).
    private int[] refs = new int[1024];
    private int[] freeStack = new int[64];
    private int freeTop;
    private long bump = 1;
    private long inUse;

    public FrameAllocator(PhysicalMemory memory) {
        this.memory = memory;
        this.frames = memory.frameCount();
        if (frames > Integer.MAX_VALUE) throw new IllegalArgumentException("guest memory too large");
    }

    public PhysicalMemory memory() { return memory; }

    /** A zeroed frame with reference count 1; returns its physical address. */
    public long allocate() throws FramesExhaustedException {
        long frame;
        if (freeTop > 0) {
            frame = freeStack[--freeTop];
            memory.zero(frame << Paging.PAGE_SHIFT, Paging.PAGE_SIZE);
        } else if (bump < frames) {
            frame = bump++;
            if (frame >= refs.length) refs = Arrays.copyOf(refs, (int) Math.min(frames, 2L * refs.length));
        } else {
            throw new FramesExhaustedException(frames);
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
        if (freeTop == freeStack.length) freeStack = Arrays.copyOf(freeStack, 2 * freeStack.length);
        freeStack[freeTop++] = f;
        inUse--;
        return true;
    }

    public int refCount(long pa) {
        int f = frameOf(pa);
        return f < refs.length ? refs[f] : 0;
    }

    public long framesInUse() { return inUse; }

    public long totalFrames() { return frames - 1L; }

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
