package dev.nexa.cpu.exec;

/**
 * Stand-in MMX/x87 register file: the physical registers' significands and sign/exponent
 * fields, TOP and the abridged tag byte, which is all the MMX instructions touch. The x87
 * work replaces it with its real register file (see {@link MmxRegisters}).
 */
public final class MmxFile implements MmxRegisters {
    /** Significands of physical registers R0-R7. */
    public final long[] significand = new long[8];
    /** Sign and exponent fields (16 bits) of R0-R7. */
    public final int[] signExp = new int[8];
    /** x87 TOP (FSW bits 13:11). */
    public int top;
    /** Abridged tag byte as FXSAVE stores it: bit r set when R<i>r</i> is not empty. */
    public int tags;

    @Override
    public long get(int i) { return significand[i]; }

    @Override
    public void set(int i, long value) {
        significand[i] = value;
        signExp[i] = 0xFFFF;
    }

    @Override
    public void enter() {
        top = 0;
        tags = 0xFF;
    }

    @Override
    public void emms() {
        top = 0;
        tags = 0;
    }
}
