package dev.nexa.cpu.fpu;

/**
 * Up to 80 raw bits of an x87 memory operand, as the store conversions of {@link X87Convert}
 * produce them: {@link #low()} holds the first 8 bytes (the whole value for m16int/m32int/m64int and
 * m32fp/m64fp, zero-extended), {@link #high()} bytes 8-9 (packed BCD sign/digits byte pair and
 * the m80fp sign/exponent). Mutable and reusable, so storing allocates nothing.
 */
public final class MemoryValue {
    long low;
    int high;

    public long low() {
        return low;
    }

    /** Bytes 8 and 9, little-endian, 0..0xFFFF. */
    public int high() {
        return high;
    }

    MemoryValue set(long low, int high) {
        this.low = low;
        this.high = high & 0xFFFF;
        return this;
    }

    @Override
    public String toString() {
        return "%04x:%016x".formatted(high, low);
    }
}
