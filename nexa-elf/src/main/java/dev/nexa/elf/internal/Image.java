package dev.nexa.elf.internal;

import dev.nexa.elf.Elf;
import dev.nexa.elf.ElfFormatException;
import dev.nexa.elf.ElfFormatException.Kind;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A bounds-checked little-endian view of a whole ELF file. Every read is checked against the file
 * size with unsigned, overflow-free comparisons first, so a hostile offset or length can only ever
 * produce an {@link ElfFormatException}, never an index error or a huge allocation.
 */
public final class Image {
    private final ByteBuffer buf;
    private final long size;

    /** Views the bytes between the buffer's position and limit; the caller's buffer is not modified. */
    public Image(ByteBuffer file) {
        this.buf = file.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.size = buf.remaining();
    }

    /** The file size in bytes. */
    public long size() {
        return size;
    }

    /** True when {@code [off, off + len)} (unsigned) lies within the file; never overflows. */
    public boolean contains(long off, long len) {
        return Unsigned.fits(off, len, size);
    }

    /** The standard wording for a range that does not fit: {@code what [a, b) runs past end of file (size s)}. */
    public String pastEnd(String what, long off, long len) {
        return what + " " + Unsigned.range(off, len) + " runs past end of file (size " + Elf.hex(size) + ")";
    }

    public int u8(long off, String field) throws ElfFormatException {
        check(off, 1, field);
        return Byte.toUnsignedInt(buf.get((int) off));
    }

    public int u16(long off, String field) throws ElfFormatException {
        check(off, 2, field);
        return Short.toUnsignedInt(buf.getShort((int) off));
    }

    public long u32(long off, String field) throws ElfFormatException {
        check(off, 4, field);
        return Integer.toUnsignedLong(buf.getInt((int) off));
    }

    /** A raw 32-bit word (for {@code p_type}/{@code p_flags}/{@code sh_type}, compared with int constants). */
    public int i32(long off, String field) throws ElfFormatException {
        check(off, 4, field);
        return buf.getInt((int) off);
    }

    public long u64(long off, String field) throws ElfFormatException {
        check(off, 8, field);
        return buf.getLong((int) off);
    }

    /** Offset of the first NUL in {@code [from, limit)}, or -1. Both bounds must lie within the file. */
    public long indexOfNul(long from, long limit) {
        for (long i = from; i < limit; i++) {
            if (buf.get((int) i) == 0) {
                return i;
            }
        }
        return -1;
    }

    /** Decodes {@code [from, to)} as UTF-8 (malformed sequences replaced); both bounds lie within the file. */
    public String utf8(long from, long to) {
        byte[] out = new byte[(int) (to - from)];
        buf.get((int) from, out);
        return new String(out, StandardCharsets.UTF_8);
    }

    private void check(long off, long len, String field) throws ElfFormatException {
        if (!contains(off, len)) {
            throw new ElfFormatException(Kind.MALFORMED, field, off, pastEnd("field", off, len));
        }
    }
}
