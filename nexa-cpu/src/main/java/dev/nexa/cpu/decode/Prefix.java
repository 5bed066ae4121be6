package dev.nexa.cpu.decode;

/** Bits of {@link Insn#prefixes}: the prefixes and encoding facts a handler may need. */
public final class Prefix {
    public static final int LOCK = 1;
    /** F3: REP / REPE, or a mandatory prefix already consumed by the table. */
    public static final int REP = 1 << 1;
    /** F2: REPNE. */
    public static final int REPNE = 1 << 2;
    /** 66: operand-size override. */
    public static final int OPSIZE = 1 << 3;
    /** 67: address-size override. */
    public static final int ADDRSIZE = 1 << 4;
    public static final int REX = 1 << 5;
    public static final int REX_W = 1 << 6;
    public static final int VEX = 1 << 7;
    /** VEX.L: 256-bit vector length. */
    public static final int VEX_L = 1 << 8;

    private Prefix() {}
}
