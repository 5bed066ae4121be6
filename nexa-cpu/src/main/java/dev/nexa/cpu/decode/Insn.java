package dev.nexa.cpu.decode;

/**
 * One decoded instruction, decoded once and cached in its block. Operands are resolved to
 * descriptors so handlers never look at encoding details:
 * <ul>
 * <li>{@code 0..15}: general register (RAX..R15), sized by the handler; for byte operands
 *     {@code 16..19} are AH, CH, DH, BH (legacy high-byte registers, only without REX);</li>
 * <li>{@link #MEM}: the memory operand ({@code base}, {@code index}, {@code scale}, {@code disp},
 *     {@code seg}); {@code base == RIP} means RIP-relative (the next instruction's address);</li>
 * <li>{@link #IMM}: the immediate {@code imm} (sign-extended to 64 bits at decode time);
 *     {@link #IMM2}: a second immediate {@code imm2} (ENTER, EXTRQ);</li>
 * <li>{@code XMM + n}: XMM register n; {@code MMX + n}: MMX register n; {@code ST + i}: x87 ST(i);</li>
 * <li>{@link #NONE}: no operand.</li>
 * </ul>
 * Operand 0 is the destination when the instruction has one (the SDM's operand order).
 *
 * @param op       the operation
 * @param len      instruction length in bytes (1..15)
 * @param end      offset of the next instruction from the start of its block
 * @param size     operand size in bytes of operand 0 (1, 2, 4, 8; 16 for vectors)
 * @param ssize    operand size of operand 1 where it differs (MOVZX, MOVSX, CRC32, ...), else size
 * @param asize    address size in bytes (8, or 4 with the 67 prefix)
 * @param prefixes {@code Prefix} bits (LOCK, REP, REPNE, OPSIZE, REX.W, VEX.L, ...)
 * @param cond     condition code 0..15 for Jcc/SETcc/CMOVcc/FCMOVcc, else 0
 * @param vreg     VEX.vvvv register (NONE when not VEX-encoded)
 */
public record Insn(Op op, int len, int end, int size, int ssize, int asize,
                   int o0, int o1, int o2,
                   int base, int index, int scale, long disp, int seg,
                   long imm, long imm2, int prefixes, int cond, int vreg) {
    public static final int NONE = -1;
    public static final int AH = 16;
    public static final int MEM = 32;
    public static final int IMM = 33;
    public static final int IMM2 = 34;
    public static final int XMM = 64;
    public static final int ST = 96;
    public static final int MMX = 112;
    /** {@code base} value for RIP-relative addressing. */
    public static final int RIP = 16;
    /** {@code seg} values: only FS and GS have a base in 64-bit mode. */
    public static final int SEG_NONE = 0, SEG_FS = 4, SEG_GS = 5;

    public int start() { return end - len; }

    public boolean has(int prefixBit) { return (prefixes & prefixBit) != 0; }

    public boolean isMem(int operand) { return operand == MEM; }

    /** Returns a copy placed at another offset in its block. */
    public Insn at(int newEnd) {
        return new Insn(op, len, newEnd, size, ssize, asize, o0, o1, o2, base, index, scale, disp, seg,
                imm, imm2, prefixes, cond, vreg);
    }
}
