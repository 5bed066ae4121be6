package dev.nexa.kernel.initramfs;

import java.util.Optional;

/** The file type encoded in the S_IFMT bits of st_mode ({@code <sys/stat.h>}, inode(7)). */
public enum FileType {
    FIFO(0010000, 'p'),
    CHAR_DEVICE(0020000, 'c'),
    DIRECTORY(0040000, 'd'),
    BLOCK_DEVICE(0060000, 'b'),
    REGULAR(0100000, '-'),
    SYMLINK(0120000, 'l'),
    SOCKET(0140000, 's');

    /** Mask of the file type bits in st_mode. */
    public static final int S_IFMT = 0170000;

    private final int bits;
    private final char lsChar;

    FileType(int bits, char lsChar) {
        this.bits = bits;
        this.lsChar = lsChar;
    }

    /** The S_IFxxx bits of this type. */
    public int bits() {
        return bits;
    }

    /** The type letter {@code ls -l} prints. */
    public char lsChar() {
        return lsChar;
    }

    /** The type of a full st_mode, or empty when its S_IFMT bits name no type. */
    public static Optional<FileType> of(int mode) {
        int fmt = mode & S_IFMT;
        for (var t : values()) {
            if (t.bits == fmt) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Whether Linux's initramfs unpacker hard-links entries of this type ({@code maybe_link()}). */
    public boolean canBeHardLinked() {
        return this != DIRECTORY && this != SYMLINK;
    }
}
