package dev.nexa.kernel.initramfs.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The image under construction when some member is compressed: bytes appended in 1 MiB chunks, so
 * memory grows only with data actually produced (never with what a header claims), then copied once
 * into one native segment.
 */
public final class ImageBuilder {
    private static final int CHUNK_BITS = 20;
    private static final int CHUNK = 1 << CHUNK_BITS;

    private final List<byte[]> chunks = new ArrayList<>();
    private long size;

    public long size() {
        return size;
    }

    /** Appends zero bytes until the size is a multiple of 4. */
    public void padTo4() {
        while ((size & 3) != 0) {
            append(new byte[1], 0, 1);
        }
    }

    public void append(byte[] bytes, int offset, int length) {
        while (length > 0) {
            int within = (int) (size & (CHUNK - 1));
            if (within == 0 && chunks.size() <= (size >>> CHUNK_BITS)) {
                chunks.add(new byte[CHUNK]);
            }
            int n = Math.min(length, CHUNK - within);
            System.arraycopy(bytes, offset, chunks.get((int) (size >>> CHUNK_BITS)), within, n);
            size += n;
            offset += n;
            length -= n;
        }
    }

    public void append(MemorySegment src, long offset, long length) {
        var buf = new byte[(int) Math.min(CHUNK, Math.max(length, 1))];
        for (long done = 0; done < length; ) {
            int n = (int) Math.min(buf.length, length - done);
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, offset + done, buf, 0, n);
            append(buf, 0, n);
            done += n;
        }
    }

    /** The bytes from {@code base} to the current end, as the parser reads them. */
    public ByteView view(long base) {
        long end = size;
        return new ByteView() {
            @Override
            public long size() {
                return end - base;
            }

            @Override
            public byte get(long offset) {
                long at = base + offset;
                return chunks.get((int) (at >>> CHUNK_BITS))[(int) (at & (CHUNK - 1))];
            }

            @Override
            public byte[] read(long offset, int length) {
                var out = new byte[length];
                for (int i = 0; i < length; ) {
                    long at = base + offset + i;
                    int within = (int) (at & (CHUNK - 1));
                    int n = Math.min(length - i, CHUNK - within);
                    System.arraycopy(chunks.get((int) (at >>> CHUNK_BITS)), within, out, i, n);
                    i += n;
                }
                return out;
            }

            @Override
            public long sum(long offset, long length) {
                long s = 0;
                for (long i = 0; i < length; ) {
                    long at = base + offset + i;
                    int within = (int) (at & (CHUNK - 1));
                    int n = (int) Math.min(length - i, CHUNK - within);
                    var chunk = chunks.get((int) (at >>> CHUNK_BITS));
                    for (int k = 0; k < n; k++) {
                        s += chunk[within + k] & 0xff;
                    }
                    i += n;
                }
                return s & 0xffff_ffffL;
            }
        };
    }

    /** Copies everything into one native segment, freed by the GC when the image is unreachable. */
    public MemorySegment build() {
        var segment = Arena.ofAuto().allocate(Math.max(size, 1), 16).asSlice(0, size);
        for (int i = 0; i < chunks.size(); i++) {
            long at = (long) i << CHUNK_BITS;
            int n = (int) Math.min(CHUNK, size - at);
            if (n > 0) {
                MemorySegment.copy(chunks.get(i), 0, segment, ValueLayout.JAVA_BYTE, at, n);
            }
        }
        chunks.clear();
        return segment;
    }
}
