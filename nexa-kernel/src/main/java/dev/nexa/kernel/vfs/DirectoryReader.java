package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.ErrnoException;

/** Iteration over a directory's entries for getdents64, resumable at a cookie (d_off). */
public interface DirectoryReader {
    /** One entry: inode number, d_type (DT_*), name, and the cookie of the entry after it. */
    record Entry(long ino, int type, String name, long nextCookie) {}

    int DT_UNKNOWN = 0, DT_FIFO = 1, DT_CHR = 2, DT_DIR = 4, DT_BLK = 6, DT_REG = 8, DT_LNK = 10, DT_SOCK = 12;

    /** The entry at {@code cookie} (0 = first, including "." and ".."), or null at the end. */
    Entry at(long cookie) throws ErrnoException;
}
