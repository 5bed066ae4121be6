package dev.nexa.elf.internal;

import dev.nexa.elf.Elf;

/** Overflow-free arithmetic on unsigned 64-bit ELF quantities held in {@code long}s. */
public final class Unsigned {
    private Unsigned() {}

    /** {@code [off, off + len)} lies within {@code [0, size)}: {@code off <= size && len <= size - off}, unsigned. */
    public static boolean fits(long off, long len, long size) {
        return Long.compareUnsigned(off, size) <= 0 && Long.compareUnsigned(len, size - off) <= 0;
    }

    /** {@code a + b} overflows 64 unsigned bits. */
    public static boolean addOverflows(long a, long b) {
        return Long.compareUnsigned(a + b, a) < 0;
    }

    /** {@code a < b}, unsigned. */
    public static boolean lt(long a, long b) {
        return Long.compareUnsigned(a, b) < 0;
    }

    /** {@code a > b}, unsigned. */
    public static boolean gt(long a, long b) {
        return Long.compareUnsigned(a, b) > 0;
    }

    /** {@code max(a, b)}, unsigned. */
    public static long max(long a, long b) {
        return gt(a, b) ? a : b;
    }

    /** {@code min(a, b)}, unsigned. */
    public static long min(long a, long b) {
        return lt(a, b) ? a : b;
    }

    /** {@code "[0x40, 0x2a0)"}; an end past 2^64 is shown as {@code 0x40+0xffff...}. */
    public static String range(long off, long len) {
        if (addOverflows(off, len)) {
            return "[" + Elf.hex(off) + ", " + Elf.hex(off) + "+" + Elf.hex(len) + ")";
        }
        return "[" + Elf.hex(off) + ", " + Elf.hex(off + len) + ")";
    }
}
