package dev.nexa.mem;

import java.util.ArrayList;
import java.util.List;

/**
 * The set of physical frames that hold decoded guest code. MMUs never cache a write translation
 * for a watched frame, so every guest store into one takes the slow path, which reports it here;
 * the decode cache then drops the frame's blocks (self-modifying and freshly written code work,
 * and ordinary stores pay nothing).
 */
public final class CodeWatch {
    /** Told when a guest store hits a watched frame, before the store happens. */
    @FunctionalInterface
    public interface Listener {
        void codeFrameWritten(long frameNumber);
    }

    private final long[] bits;
    private final List<Mmu> mmus = new ArrayList<>();
    private Listener listener = frame -> {};

    CodeWatch(long frames) {
        this.bits = new long[(int) ((frames + 63) >>> 6)];
    }

    public void setListener(Listener listener) { this.listener = listener; }

    public boolean isWatched(long frame) { return (bits[(int) (frame >>> 6)] & (1L << frame)) != 0; }

    /** Starts watching a frame; MMUs drop any write translation they may hold for it. */
    public void watch(long frame) {
        int w = (int) (frame >>> 6);
        long m = 1L << frame;
        if ((bits[w] & m) != 0) return;
        bits[w] |= m;
        for (Mmu mmu : mmus) mmu.dropWriteTranslations(frame);
    }

    public void unwatch(long frame) { bits[(int) (frame >>> 6)] &= ~(1L << frame); }

    /** Called by the MMU's store slow path. */
    void written(long frame) {
        if (isWatched(frame)) {
            unwatch(frame);
            listener.codeFrameWritten(frame);
        }
    }

    void attach(Mmu mmu) { mmus.add(mmu); }

    void detach(Mmu mmu) { mmus.remove(mmu); }
}
