package dev.nexa.kernel.initramfs.internal;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes exactly one gzip member (RFC 1952) at a given input offset, as Linux's {@code gunzip()}
 * (lib/decompress_inflate.c) does for an initramfs: it reports how many input bytes the member took,
 * so the next member or cpio archive can follow it. Unlike Linux it also honours FEXTRA/FCOMMENT/
 * FHCRC and checks the CRC-32 and ISIZE trailer.
 */
public final class Gunzip {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;
    private static final int WINDOW = 64 * 1024;

    private Gunzip() {}

    /** A malformed member; {@code offset} is in the input. */
    public static final class GzipException extends Exception {
        private static final long serialVersionUID = 1L;
        private final long offset;

        GzipException(long offset, String message) {
            super(message, null, false, false);
            this.offset = offset;
        }

        public long offset() {
            return offset;
        }
    }

    /**
     * Inflates the member at {@code start} into {@code out}, producing at most {@code maxOutput} bytes.
     *
     * @return the number of input bytes the member occupies, header and trailer included
     */
    public static long inflate(MemorySegment in, long start, ImageBuilder out, long maxOutput) throws GzipException {
        long len = in.byteSize();
        long p = start;
        if (len - p < 10) {
            throw new GzipException(p, "header truncated: 10 bytes needed, 0x" + Long.toHexString(len - p) + " left");
        }
        int cm = u8(in, p + 2);
        int flg = u8(in, p + 3);
        if (cm != 8) {
            throw new GzipException(p + 2, "compression method " + cm + " is not deflate (8)");
        }
        if ((flg & 0xe0) != 0) {
            throw new GzipException(p + 3, "reserved flag bits 0x" + Integer.toHexString(flg & 0xe0) + " set");
        }
        p += 10;
        if ((flg & FEXTRA) != 0) {
            if (len - p < 2) {
                throw new GzipException(p, "FEXTRA length truncated");
            }
            int xlen = u8(in, p) | u8(in, p + 1) << 8;
            p += 2;
            if (len - p < xlen) {
                throw new GzipException(p, "FEXTRA field of " + xlen + " bytes runs past end of input");
            }
            p += xlen;
        }
        for (int flag : new int[] {FNAME, FCOMMENT}) {
            if ((flg & flag) != 0) {
                long z = p;
                while (z < len && in.get(ValueLayout.JAVA_BYTE, z) != 0) {
                    z++;
                }
                if (z == len) {
                    throw new GzipException(p, (flag == FNAME ? "FNAME" : "FCOMMENT") + " not NUL-terminated");
                }
                p = z + 1;
            }
        }
        if ((flg & FHCRC) != 0) {
            if (len - p < 2) {
                throw new GzipException(p, "FHCRC truncated");
            }
            p += 2;
        }

        var inflater = new Inflater(true);
        try {
            var window = new byte[WINDOW];
            var output = new byte[WINDOW];
            var crc = new CRC32();
            long produced = 0;
            long fed = p;
            int windowLength = 0;
            while (!inflater.finished()) {
                if (inflater.needsInput()) {
                    if (fed == len) {
                        throw new GzipException(len, "deflate stream truncated after 0x"
                                + Long.toHexString(produced) + " output bytes");
                    }
                    windowLength = (int) Math.min(WINDOW, len - fed);
                    MemorySegment.copy(in, ValueLayout.JAVA_BYTE, fed, window, 0, windowLength);
                    inflater.setInput(window, 0, windowLength);
                    fed += windowLength;
                }
                if (inflater.needsDictionary()) {
                    throw new GzipException(fed - windowLength, "deflate stream needs a preset dictionary");
                }
                int want = (int) Math.min(output.length, maxOutput - produced + 1);
                int n;
                try {
                    n = inflater.inflate(output, 0, want);
                } catch (DataFormatException e) {
                    throw new GzipException(fed - windowLength + (windowLength - inflater.getRemaining()),
                            "corrupt deflate data: " + e.getMessage());
                }
                if (n > maxOutput - produced) {
                    throw new GzipException(start, "decompresses to more than the limit of 0x"
                            + Long.toHexString(maxOutput) + " bytes (raise CpioReader's maxImageSize if it is "
                            + "not a decompression bomb)");
                }
                crc.update(output, 0, n);
                out.append(output, 0, n);
                produced += n;
            }
            long end = fed - inflater.getRemaining();
            if (len - end < 8) {
                throw new GzipException(end, "trailer truncated: 8 bytes (CRC-32, ISIZE) needed, 0x"
                        + Long.toHexString(len - end) + " left");
            }
            long storedCrc = u32le(in, end);
            long storedSize = u32le(in, end + 4);
            if (storedCrc != crc.getValue()) {
                throw new GzipException(end, "CRC-32 0x" + Long.toHexString(storedCrc)
                        + " does not match the data's 0x" + Long.toHexString(crc.getValue()));
            }
            if (storedSize != (produced & 0xffff_ffffL)) {
                throw new GzipException(end + 4, "ISIZE 0x" + Long.toHexString(storedSize)
                        + " does not match the 0x" + Long.toHexString(produced) + " bytes decompressed");
            }
            return end + 8 - start;
        } finally {
            inflater.end();
        }
    }

    private static int u8(MemorySegment in, long at) {
        return in.get(ValueLayout.JAVA_BYTE, at) & 0xff;
    }

    private static long u32le(MemorySegment in, long at) {
        return u8(in, at) | (long) u8(in, at + 1) << 8 | (long) u8(in, at + 2) << 16 | (long) u8(in, at + 3) << 24;
    }
}
