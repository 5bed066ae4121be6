package dev.nexa.kernel.syscall;

/**
 * The six syscall arguments (RDI, RSI, RDX, R10, R8, R9: the x86-64 syscall ABI), reused per
 * task so dispatching allocates nothing. Accessors say how the handler reads each one.
 */
public final class Args {
    private final long[] a = new long[6];

    public void set(long a0, long a1, long a2, long a3, long a4, long a5) {
        a[0] = a0; a[1] = a1; a[2] = a2; a[3] = a3; a[4] = a4; a[5] = a5;
    }

    /** Argument k as the full 64-bit value (pointers, sizes, offsets). */
    public long l(int k) { return a[k]; }

    /** Argument k as a C int (the kernel truncates int parameters to 32 bits). */
    public int i(int k) { return (int) a[k]; }

    /** Argument k as an unsigned int. */
    public long u(int k) { return a[k] & 0xFFFF_FFFFL; }

    /**
     * Argument k as a size_t count, capped at {@code max} the way Linux caps read/write counts at
     * MAX_RW_COUNT: compared unsigned, so a "negative" count is a huge one and gets the cap.
     */
    public long size(int k, long max) { return Long.compareUnsigned(a[k], max) < 0 ? a[k] : max; }

    public long[] raw() { return a.clone(); }
}
