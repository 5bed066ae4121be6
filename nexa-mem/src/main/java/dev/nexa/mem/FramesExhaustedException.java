package dev.nexa.mem;

/** The guest's physical memory (--mem) has no free frame left; the kernel answers ENOMEM. */
public final class FramesExhaustedException extends Exception {
    public FramesExhaustedException(long totalFrames) {
        super("guest physical memory exhausted (" + (totalFrames * Paging.PAGE_SIZE >> 20) + " MiB)", null, false, false);
    }
}
