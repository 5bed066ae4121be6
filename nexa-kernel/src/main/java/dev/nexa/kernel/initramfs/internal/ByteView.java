package dev.nexa.kernel.initramfs.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** Random access to the bytes the parser reads: the input, or a member decompressed so far. */
public interface ByteView {
    long size();

    byte get(long offset);

    /** Copies {@code length} bytes at {@code offset}. */
    byte[] read(long offset, int length);

    /** The 32-bit unsigned sum of {@code length} bytes at {@code offset} (the crc format's c_chksum). */
    long sum(long offset, long length);

    /** A view of a memory segment. */
    static ByteView of(MemorySegment segment) {
        return new ByteView() {
            @Override
            public long size() {
                return segment.byteSize();
            }

            @Override
            public byte get(long offset) {
                return segment.get(ValueLayout.JAVA_BYTE, offset);
            }

            @Override
            public byte[] read(long offset, int length) {
                var out = new byte[length];
                MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset, out, 0, length);
                return out;
            }

            @Override
            public long sum(long offset, long length) {
                long s = 0;
                var buf = new byte[64 * 1024];
                for (long done = 0; done < length; ) {
                    int n = (int) Math.min(buf.length, length - done);
                    MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset + done, buf, 0, n);
                    for (int i = 0; i < n; i++) {
                        s += buf[i] & 0xff;
                    }
                    done += n;
                }
                return s & 0xffff_ffffL;
            }
        };
    }
}
