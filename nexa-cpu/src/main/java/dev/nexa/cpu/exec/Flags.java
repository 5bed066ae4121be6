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
            TF = 1 << 8, IF = 1 << 9, DF = 1 << 10, OF = 1 << 11, AC = 1 << 18, ID = 1 << 21;
    /** The six status flags the lazy machinery owns. */
    public static final long ARITH = CF | PF | AF | ZF | SF | OF;
    /** RFLAGS bits a user-mode POPF may change (SDM Vol. 2B POPF, CPL 3, IOPL 0). */
    public static final long USER_WRITABLE = ARITH | TF | DF | OF | AC | ID | (1 << 16) /*RF*/;

    // Operation kinds; the size index (0..3 for 1,2,4,8 bytes) is added: ccOp = kind + sizeIndex.
    /** Flags already materialized in ccSrc. */
    public static final int EFLAGS = 0;
    public static final int ADD = 4, ADC = 8, SUB = 12, SBB = 16, LOGIC = 20, INC = 24, DEC = 28,
            SHL = 32, SAR = 36, MUL = 40, BMILG = 44, BLSI = 48, POPCNT = 52;
    /** ADCX/ADOX: ccDst = result CF(bit0)/OF(bit 11) over materialized flags in ccSrc. */
    public static final int ADCOX = 56;

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
                long cf = (src & sign) != 0 ? CF : 0;
                long of = ((src ^ dst) & sign) != 0 ? OF : 0;
                return cf | pf | zf | sf | of;
            }
            case SAR: {
                // ccSrc = operand shifted right by count-1: its low bit is the last bit out.
                long cf = src & CF;
                long of = ((src ^ dst) & sign) != 0 ? OF : 0;
                return cf | pf | zf | sf | of;
            }
            case MUL: {
                // ccSrc != 0 when the high half is significant.
                long cof = src != 0 ? CF | OF : 0;
                return cof | pf | zf | sf;
            }
            case BMILG: {
                // ANDN/BEXTR/BZHI-style: ZF/SF from result, CF from ccSrc (0 or 1), OF=0.
                return (src & CF) | zf | sf;
            }
            case BLSI: {
                // BLSI/BLSMSK/BLSR: CF from ccSrc (source != 0 for BLSI), ZF/SF from result.
                return (src & CF) | zf | sf;
            }
            case POPCNT:
                return src == 0 ? ZF : 0;
            case ADCOX:
                return src & ARITH;
            default:
                throw new IllegalStateException("bad ccOp " + op);
        }
    }

    public static long compute(CpuCore c) {
        return compute(c.ccOp, c.ccDst, c.ccSrc, c.ccSrc2);
    }

    /** CF alone, cheaply (ADC/SBB/RCL/RCR read it constantly). */
    public static boolean carry(CpuCore c) {
        int op = c.ccOp;
        long m = maskIdx(op & 3);
        return switch (op & ~3) {
            case ADD -> Long.compareUnsigned(c.ccDst, c.ccSrc) < 0;
            case SUB -> Long.compareUnsigned((c.ccDst + c.ccSrc) & m, c.ccSrc) < 0;
            case LOGIC, POPCNT -> false;
            case INC, DEC, SAR, BMILG, BLSI, EFLAGS, ADCOX -> (c.ccSrc & CF) != 0;
            default -> (compute(c) & CF) != 0;
        };
    }

    /**
     * Evaluates condition code {@code cc} (the low nibble of Jcc/SETcc/CMOVcc, SDM Vol. 1
     * Appendix B): O NO B AE E NE BE A S NS P NP L GE LE G.
     */
    public static boolean cond(CpuCore c, int cc) {
        int op = c.ccOp;
        int kind = op & ~3;
        if (kind == SUB) {
            int sz = op & 3;
            long m = maskIdx(sz);
            long src2 = c.ccSrc, src1 = (c.ccDst + src2) & m;
            int shift = 64 - (8 << sz);
            switch (cc >>> 1) {
                case 1: return (Long.compareUnsigned(src1, src2) < 0) ^ ((cc & 1) != 0);       // B / AE
                case 2: return (c.ccDst == 0) ^ ((cc & 1) != 0);                              // E / NE
                case 3: return (Long.compareUnsigned(src1, src2) <= 0) ^ ((cc & 1) != 0);      // BE / A
                case 6: return ((src1 << shift >> shift) < (src2 << shift >> shift)) ^ ((cc & 1) != 0);   // L / GE
                case 7: return ((src1 << shift >> shift) <= (src2 << shift >> shift)) ^ ((cc & 1) != 0);  // LE / G
                default: break;
            }
        } else if (kind == LOGIC) {
            int sz = op & 3;
            long sign = signBit(sz);
            boolean zero = c.ccDst == 0, neg = (c.ccDst & sign) != 0;
            switch (cc >>> 1) {
                case 0: return (cc & 1) != 0;                       // O=0
                case 1: return (cc & 1) != 0;                       // CF=0
                case 2: return zero ^ ((cc & 1) != 0);
                case 3: return zero ^ ((cc & 1) != 0);              // BE == ZF when CF=0
                case 4: return neg ^ ((cc & 1) != 0);
                case 6: return neg ^ ((cc & 1) != 0);               // L == SF when OF=0
                case 7: return (zero || neg) ^ ((cc & 1) != 0);
                default: break;
            }
        }
        return condFromFlags(compute(c), cc);
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
