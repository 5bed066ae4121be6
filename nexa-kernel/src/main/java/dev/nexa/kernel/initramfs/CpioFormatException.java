package dev.nexa.kernel.initramfs;

import java.util.Objects;

/**
 * A malformed initramfs image: names the image, the byte offset (in the input, or in the
 * decompressed stream of a compressed member), the member where relevant, and the header field.
 * The message is one line, e.g.
 * {@code initramfs.cpio: offset 0x1a4: c_filesize 0xffffffff runs past end of archive (0x3000 bytes)}.
 */
public final class CpioFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String sourceName;
    private final int member;
    private final long offset;
    private final String field;

    /**
     * @param sourceName the image's name (usually its file name)
     * @param member     index of the compressed member the offset is in, or -1 when the offset is
     *                   in the input itself
     * @param memberDescription how the message names that member, e.g. "member 1 (gzip at 0x200)";
     *                   ignored when {@code member < 0}
     * @param offset     byte offset of the offending field
     * @param field      the field: "c_magic", "c_namesize", "c_filesize", "c_chksum", "name", "gzip"...
     * @param detail     what is wrong, starting with the value where there is one
     */
    public CpioFormatException(String sourceName, int member, String memberDescription, long offset,
                               String field, String detail) {
        super(format(sourceName, member, memberDescription, offset, field, detail), null, false, false);
        this.sourceName = Objects.requireNonNull(sourceName);
        this.member = member;
        this.offset = offset;
        this.field = Objects.requireNonNull(field);
    }

    private static String format(String source, int member, String memberDescription, long offset,
                                 String field, String detail) {
        var where = member >= 0 ? memberDescription + ", offset 0x" : "offset 0x";
        return source + ": " + where + Long.toHexString(offset) + ": " + field + " " + detail;
    }

    /** The image's name. */
    public String sourceName() {
        return sourceName;
    }

    /** Index of the compressed member the offset lies in, or -1 if it is an offset in the input. */
    public int member() {
        return member;
    }

    /** Byte offset of the offending field, in the input or in the member's decompressed stream. */
    public long offset() {
        return offset;
    }

    /** The offending field: "c_magic", "c_mode", "c_namesize", "c_filesize", "name", "gzip", ... */
    public String field() {
        return field;
    }
}
