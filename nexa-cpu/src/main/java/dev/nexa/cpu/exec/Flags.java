package dev.nexa.cpu.exec;

/**
 * Lazy arithmetic flags, after QEMU's cc_op model: an instruction records what it did
 * ({@link CpuCore#ccOp}) and its operands/result ({@code ccDst}, {@code ccSrc}, {@code ccSrc2});
 * CF/PF/AF/ZF/SF/OF are computed only when something reads them. Operand values are stored
 * masked to the operation size. Flag definitions: Intel SDM Vol. 1 §3.4.3 and Vol. 2 per
 * instruction.
 */
public final class Flags {
    public static final long CF = 1, PF = 1 << 2, AF = 1 << 4, ZF = 1 << 6, SF = 1 << 7,
            TF = 1 << 8, IF = 1 << 9, DF = 1 << 10, OF = 1 << 11, NT = 1 << 14, AC = 1 << 18, ID = 1 << 21;
    /** The six status flags the lazy machinery owns. */
    public static final long ARITH = CF | PF | AF | ZF | SF | OF;
    /**
     * RFLAGS bits a user-mode POPF may change (SDM Vol. 2B POPF, CPL 3, IOPL 0: every
     * non-reserved bit except IF, IOPL, VIP, VIF, VM and RF; NT included, as the host shows).
     */
    public static final long USER_WRITABLE = ARITH | TF | DF | NT | AC | ID | (1 << 16) /*RF*/;

    // Operation kinds; the size index (0..3 for 1,2,4,8 bytes) is added: ccOp = kind + sizeIndex.
    /** Flags already materialized in ccSrc (after SAHF, POPF, rotates, BT, ADCX/ADOX, CMPXCHG8B). */
    public static final int EFLAGS = 0;
    /** ADD/ADC/SUB/SBB: ccDst = result, ccSrc = second operand, ccSrc2 = carry in (ADC/SBB). */
    public static final int ADD = 4, ADC = 8, SUB = 12, SBB = 16;
    /** AND/OR/XOR/TEST: CF = OF = 0; SF, ZF, PF from ccDst (AF undefined: 0, as Intel). */
    public static final int LOGIC = 20;
    /** INC/DEC: as ADD/SUB of 1, with the old CF carried in ccSrc. */
    public static final int INC = 24, DEC = 28;
    /**
     * SHL/SAL and SHLD (count != 0): ccSrc = a value whose top bit is the last bit shifted out
     * (CF) and whose sign differs from the result's exactly when OF is set.
     */
    public static final int SHL = 32;
    /**
     * SHR/SAR and SHRD (count != 0): ccSrc = a value whose bit 0 is the last bit shifted out (CF)
     * and whose sign differs from the result's exactly when OF is set.
     */
    public static final int SAR = 36;
    /** MUL/IMUL: CF = OF = (ccSrc != 0), the high half being significant; SF ZF PF from ccDst. */
    public static final int MUL = 40;
    /**
     * The BMI and bit-count group (ANDN, BEXTR, BLSI, BLSMSK, BLSR, BZHI, LZCNT, TZCNT):
     * CF = ccSrc bit 0, ZF and SF from ccDst, OF = 0 (SDM Vol. 2A per instruction).
     */
    public static final int BMILG = 44;
    /** POPCNT, BSF, BSR: ZF = (source == 0) with the source in ccSrc; the others 0. */
    public static final int POPCNT = 48;

    private static final byte[] PARITY = new byte[256];

    static {
        for (int i = 0; i < 256; i++) PARITY[i] = (byte) ((Integer.bitCount(i) & 1) == 0 ? PF : 0);
    }

    private Flags() {}

    /** 0,1,2,3 for operand sizes 1,2,4,8. */
    public static int sizeIndex(int size) {
        return size == 8 ? 3 : size == 4 ? 2 : size == 2 ? 1 : 0;
    }

    public static long mask(int size) { return size == 8 ? -1L : (1L << (size * 8)) - 1; }

    static long signBit(int sizeIndex) { return 1L << ((8 << sizeIndex) - 1); }

    static long maskIdx(int sizeIndex) { return sizeIndex == 3 ? -1L : (1L << (8 << sizeIndex)) - 1; }

    static long parity(long v) { return PARITY[(int) v & 0xFF]; }

    /** The six arithmetic flags for the recorded operation. */
    public static long compute(int op, long dst, long src, long src2) {
        int sz = op & 3;
        long sign = signBit(sz), m = maskIdx(sz);
        long zf = dst == 0 ? ZF : 0, sf = (dst & sign) != 0 ? SF : 0, pf = parity(dst);
        switch (op & ~3) {
            case EFLAGS:
                return src & ARITH;
            case ADD: {
                long src1 = (dst - src) & m;
                long cf = Long.compareUnsigned(dst, src) < 0 ? CF : 0;
                long af = (dst ^ src ^ src1) & AF;
                long of = ((src1 ^ src ^ m) & (src1 ^ dst) & sign) != 0 ? OF : 0;
                return cf | pf | af | zf | sf | of;
            }
            case ADC: {
                long src1 = (dst - src - src2) & m;
                long cf = (src2 != 0 ? Long.compareUnsigned(dst, src1) <= 0 : Long.compareUnsigned(dst, src1) < 0) ? CF : 0;
                long af = (dst ^ src ^ src1) & AF;
                long of = ((src1 ^ src ^ m) & (src1 ^ dst) & sign) != 0 ? OF : 0;
                return cf | pf | af | zf | sf | of;
            }
            case SUB: {
                long src1 = (dst + src) & m;
                long cf = Long.compareUnsigned(src1, src) < 0 ? CF : 0;
                long af = (dst ^ src ^ src1) & AF;
                long of = ((src1 ^ src) & (src1 ^ dst) & sign) != 0 ? OF : 0;
                return cf | pf | af | zf | sf | of;
            }
            case SBB: {
                long src1 = (dst + src + src2) & m;
                long cf = (src2 != 0 ? Long.compareUnsigned(src1, src) <= 0 : Long.compareUnsigned(src1, src) < 0) ? CF : 0;
                long af = (dst ^ src ^ src1) & AF;
                long of = ((src1 ^ src) & (src1 ^ dst) & sign) != 0 ? OF : 0;
                return cf | pf | af | zf | sf | of;
            }
            case LOGIC:
                return pf | zf | sf;
            case INC: {
                long src1 = (dst - 1) & m;
                long af = (dst ^ src1 ^ 1) & AF;
                long of = dst == sign ? OF : 0;
                return (src & CF) | pf | af | zf | sf | of;
            }
            case DEC: {
                long src1 = (dst + 1) & m;
                long af = (dst ^ src1 ^ 1) & AF;
                long of = dst == sign - 1 ? OF : 0;
                return (src & CF) | pf | af | zf | sf | of;
            }
            case SHL: {
                // ccSrc = operand shifted left by count-1: its top bit is the last bit out.
                // AF is undefined; the host (AMD) sets it, and so does Nexa.
                long cf = (src & sign) != 0 ? CF : 0;
                long of = ((src ^ dst) & sign) != 0 ? OF : 0;
                return cf | pf | AF | zf | sf | of;
            }
            case SAR: {
                // ccSrc = operand shifted right by count-1: its low bit is the last bit out.
                long cf = src & CF;
                long of = ((src ^ dst) & sign) != 0 ? OF : 0;
                return cf | pf | AF | zf | sf | of;
            }
            case MUL: {
                // ccSrc != 0 when the high half is significant.
                long cof = src != 0 ? CF | OF : 0;
                return cof | pf | zf | sf;
            }
            case BMILG:
                return (src & CF) | zf | sf;
            case POPCNT:
                return src == 0 ? ZF : 0;
            default:
                throw new IllegalStateException("bad ccOp " + op);
        }
    }

    public static long compute(CpuCore c) {
        return compute(c.ccOp, c.ccDst, c.ccSrc, c.ccSrc2);
    }

    /**
     * Replaces the arithmetic flags selected by {@code which} with those of {@code values} and
     * keeps the rest: for instructions that define only some flags and leave the others
     * unchanged (rotates, BT, ADCX/ADOX, CMPXCHG8B).
     */
    static void update(CpuCore c, long which, long values) {
        long f = compute(c);
        c.ccSrc = (f & ~which) | (values & which);
        c.ccOp = EFLAGS;
    }

    /** OF alone (ADOX reads it). */
    static boolean overflow(CpuCore c) {
        return c.ccOp == EFLAGS ? (c.ccSrc & OF) != 0 : (compute(c) & OF) != 0;
    }

    /** CF alone, cheaply (ADC/SBB/RCL/RCR read it constantly). */
    public static boolean carry(CpuCore c) {
        int op = c.ccOp;
        long m = maskIdx(op & 3);
        return switch (op & ~3) {
            case ADD -> Long.compareUnsigned(c.ccDst, c.ccSrc) < 0;
            case SUB -> Long.compareUnsigned((c.ccDst + c.ccSrc) & m, c.ccSrc) < 0;
            case LOGIC, POPCNT -> false;
            case INC, DEC, SAR, BMILG, EFLAGS -> (c.ccSrc & CF) != 0;
            default -> (compute(c) & CF) != 0;
        };
    }

    /**
     * Evaluates condition code {@code cc} (the low nibble of Jcc/SETcc/CMOVcc, SDM Vol. 1
     * Appendix B): O NO B AE E NE BE A S NS P NP L GE LE G.
     * <p>
     * Kept under HotSpot's inlining limit for hot methods (FreqInlineSize, 325 bytes of
     * bytecode) so that it inlines into every Jcc: E/NE and S/NS read the recorded result
     * directly for every kind that keeps one; after a compare the rest come from the operands
     * ({@link #subCond}); only the others materialize the flags.
     */
    public static boolean cond(CpuCore c, int cc) {
        int op = c.ccOp;
        int kind = op & ~3;
        if (kind != EFLAGS && kind != POPCNT) {
            int h = cc >>> 1;
            if (h == 2) return (c.ccDst == 0) ^ ((cc & 1) != 0);                            // E / NE
            if (h == 4) return ((c.ccDst & signBit(op & 3)) != 0) ^ ((cc & 1) != 0);        // S / NS
            if (kind == SUB) return subCond(c, op, cc);
            if (kind == LOGIC) return logicCond(c, op, cc);
        }
        return condFromFlags(compute(c), cc);
    }

    /** After CMP/SUB/NEG: the unsigned and signed orders of the two operands. */
    private static boolean subCond(CpuCore c, int op, int cc) {
        int sz = op & 3;
        long src2 = c.ccSrc, src1 = (c.ccDst + src2) & maskIdx(sz);
        int shift = 64 - (8 << sz);
        boolean r = switch (cc >>> 1) {
            case 1 -> Long.compareUnsigned(src1, src2) < 0;                                 // B
            case 3 -> Long.compareUnsigned(src1, src2) <= 0;                                // BE
            case 6 -> (src1 << shift >> shift) < (src2 << shift >> shift);                  // L
            case 7 -> (src1 << shift >> shift) <= (src2 << shift >> shift);                 // LE
            default -> condFromFlags(compute(c), cc & ~1);                                  // O, P
        };
        return r ^ ((cc & 1) != 0);
    }

    /** After AND/OR/XOR/TEST: CF = OF = 0. */
    private static boolean logicCond(CpuCore c, int op, int cc) {
        boolean zero = c.ccDst == 0, neg = (c.ccDst & signBit(op & 3)) != 0;
        boolean r = switch (cc >>> 1) {
            case 0, 1 -> false;                     // O, B
            case 3 -> zero;                         // BE == ZF when CF = 0
            case 6 -> neg;                          // L == SF when OF = 0
            case 7 -> zero || neg;                  // LE
            default -> (compute(c) & PF) != 0;      // P
        };
        return r ^ ((cc & 1) != 0);
    }

    public static boolean condFromFlags(long f, int cc) {
        boolean r = switch (cc >>> 1) {
            case 0 -> (f & OF) != 0;
            case 1 -> (f & CF) != 0;
            case 2 -> (f & ZF) != 0;
            case 3 -> (f & (CF | ZF)) != 0;
            case 4 -> (f & SF) != 0;
            case 5 -> (f & PF) != 0;
            case 6 -> ((f & SF) != 0) != ((f & OF) != 0);
            default -> (f & ZF) != 0 || ((f & SF) != 0) != ((f & OF) != 0);
        };
        return r ^ ((cc & 1) != 0);
    }
}
