package dev.nexa.kernel.initramfs;

/**
 * Compression of one member of an initramfs image. The magic numbers are those of Linux's
 * {@code lib/decompress.c}; Nexa decompresses gzip only and names the others in its error.
 */
public enum Compression {
    NONE("none", -1, -1),
    GZIP("gzip", 0x1f, 0x8b),
    BZIP2("bzip2", 0x42, 0x5a),
    LZMA("lzma", 0x5d, 0x00),
    XZ("xz", 0xfd, 0x37),
    LZO("lzo", 0x89, 0x4c),
    LZ4("lz4", 0x02, 0x21),
    ZSTD("zstd", 0x28, 0xb5);

    private final String displayName;
    private final int magic0;
    private final int magic1;

    Compression(String displayName, int magic0, int magic1) {
        this.displayName = displayName;
        this.magic0 = magic0;
        this.magic1 = magic1;
    }

    /** The name Linux prints for this method ("gzip", "xz", ...). */
    public String displayName() {
        return displayName;
    }

    /** Whether Nexa can decompress it. */
    public boolean supported() {
        return this == NONE || this == GZIP;
    }

    /** The method whose two-byte magic starts a member, as {@code decompress_method()} detects it. */
    public static Compression detect(int b0, int b1) {
        for (var c : values()) {
            if (c.magic0 == (b0 & 0xff) && c.magic1 == (b1 & 0xff)) {
                return c;
            }
        }
        return NONE;
    }
}
