package dev.nexa.kernel.initramfs;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

/**
 * The decompressed bytes of an initramfs image as one read-only {@link MemorySegment}. Entry data are
 * extents of it: the kernel's mmap copies them straight into guest frames, so file contents are never
 * held twice. An image whose members were all uncompressed is the input itself.
 */
public final class Image {
    private final String sourceName;
    private final MemorySegment segment;

    private Image(String sourceName, MemorySegment segment) {
        this.sourceName = Objects.requireNonNull(sourceName);
        this.segment = segment.asReadOnly();
    }

    /** An image over {@code segment} (made read-only; not copied). */
    public static Image of(String sourceName, MemorySegment segment) {
        return new Image(sourceName, segment);
    }

    /** An image over {@code bytes} (not copied: do not change the array afterwards). */
    public static Image of(String sourceName, byte[] bytes) {
        return new Image(sourceName, MemorySegment.ofArray(bytes));
    }

    /** The name errors and listings use for this image, usually its file name. */
    public String sourceName() {
        return sourceName;
    }

    /** The whole image, read-only. */
    public MemorySegment segment() {
        return segment;
    }

    /** Size in bytes. */
    public long size() {
        return segment.byteSize();
    }

    /** A read-only view of {@code length} bytes at {@code offset}. */
    public MemorySegment slice(long offset, long length) {
        return segment.asSlice(offset, length);
    }

    /** The byte at {@code offset}. */
    public byte get(long offset) {
        return segment.get(ValueLayout.JAVA_BYTE, offset);
    }

    /** A copy of {@code length} bytes at {@code offset}. */
    public byte[] read(long offset, int length) {
        var out = new byte[length];
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, out, 0, length);
        return out;
    }

    /** Copies {@code length} bytes at {@code offset} into {@code dst} at {@code dstOffset}. */
    public void copyTo(long offset, MemorySegment dst, long dstOffset, long length) {
        MemorySegment.copy(segment, offset, dst, dstOffset, length);
    }

    @Override
    public String toString() {
        return "Image[" + sourceName + ", 0x" + Long.toHexString(size()) + " bytes]";
    }
}
