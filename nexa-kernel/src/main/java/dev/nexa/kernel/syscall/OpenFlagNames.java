package dev.nexa.kernel.syscall;

import dev.nexa.kernel.vfs.OpenFile;

/** open(2) flags by name, as strace prints them. */
final class OpenFlagNames {
    private OpenFlagNames() {}

    private static final int[] BITS = {OpenFile.O_CREAT, OpenFile.O_EXCL, OpenFile.O_NOCTTY, OpenFile.O_TRUNC,
            OpenFile.O_APPEND, OpenFile.O_NONBLOCK, OpenFile.O_DSYNC, OpenFile.O_ASYNC, OpenFile.O_DIRECT,
            OpenFile.O_LARGEFILE, OpenFile.O_DIRECTORY, OpenFile.O_NOFOLLOW, OpenFile.O_NOATIME, OpenFile.O_CLOEXEC,
            OpenFile.O_PATH};
    private static final String[] NAMES = {"O_CREAT", "O_EXCL", "O_NOCTTY", "O_TRUNC", "O_APPEND", "O_NONBLOCK",
            "O_DSYNC", "O_ASYNC", "O_DIRECT", "O_LARGEFILE", "O_DIRECTORY", "O_NOFOLLOW", "O_NOATIME", "O_CLOEXEC",
            "O_PATH"};

    static String describe(int flags) {
        StringBuilder sb = new StringBuilder(switch (flags & OpenFile.O_ACCMODE) {
            case OpenFile.O_RDONLY -> "O_RDONLY";
            case OpenFile.O_WRONLY -> "O_WRONLY";
            case OpenFile.O_RDWR -> "O_RDWR";
            default -> "O_ACCMODE";
        });
        int rest = flags & ~OpenFile.O_ACCMODE;
        for (int k = 0; k < BITS.length; k++) {
            if ((rest & BITS[k]) == BITS[k] && BITS[k] != 0) {
                sb.append('|').append(NAMES[k]);
                rest &= ~BITS[k];
            }
        }
        if (rest != 0) sb.append("|0").append(Integer.toOctalString(rest));
        return sb.toString();
    }
}
