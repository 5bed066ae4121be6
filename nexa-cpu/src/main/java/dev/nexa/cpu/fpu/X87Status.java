package dev.nexa.cpu.fpu;

/**
 * Bits of the x87 status word (Intel SDM Vol. 1 §8.1.3, Figure 8-4) as the operations of this package
 * return them, and helpers for the control word (§8.1.5, Figure 8-6).
 *
 * <p>Every operation returns an {@code int} holding the exception flags it raised (IE, DE, ZE, OE,
 * UE, PE, in their FSW positions) and, where the instruction defines them, the condition codes: C1
 * set when the result was rounded up (away from zero) on an inexact result, C0/C2/C3 for compares,
 * FXAM, FPREM and the range check of FSIN/FCOS/FSINCOS/FPTAN. The handler ORs the exception bits
 * into the sticky FSW bits, replaces C0-C3 as the instruction specifies, and deals with stack faults
 * (SF, C1 for overflow/underflow), the ES summary bit and delivering #MF itself.
 */
public final class X87Status {
    private X87Status() {}

    public static final int IE = 0x0001;
    public static final int DE = 0x0002;
    public static final int ZE = 0x0004;
    public static final int OE = 0x0008;
    public static final int UE = 0x0010;
    public static final int PE = 0x0020;
    public static final int SF = 0x0040;
    public static final int ES = 0x0080;
    public static final int C0 = 0x0100;
    public static final int C1 = 0x0200;
    public static final int C2 = 0x0400;
    public static final int C3 = 0x4000;
    /** The six exception flags. */
    public static final int EXCEPTIONS = 0x3F;
    /** The four condition codes. */
    public static final int CONDITION_CODES = C0 | C1 | C2 | C3;

    /** Control word after FNINIT: all exceptions masked, 64-bit precision, round to nearest. */
    public static final int DEFAULT_CONTROL = 0x037F;
    /** Precision control values (FCW bits 8-9). */
    public static final int PC_24 = 0, PC_RESERVED = 1, PC_53 = 2, PC_64 = 3;
    /** Rounding control values (FCW bits 10-11). */
    public static final int RC_NEAREST = 0, RC_DOWN = 1, RC_UP = 2, RC_ZERO = 3;

    /** RFLAGS bits set by FCOMI/FUCOMI (SDM Vol. 2A FCOMI: ZF, PF, CF from C3, C2, C0). */
    public static final int EFLAGS_CF = 0x01, EFLAGS_PF = 0x04, EFLAGS_ZF = 0x40;

    public static int precisionControl(int controlWord) {
        return controlWord >> 8 & 3;
    }

    public static int roundingControl(int controlWord) {
        return controlWord >> 10 & 3;
    }

    /** A control word with the given precision and rounding control, all exceptions masked. */
    public static int controlWord(int precision, int rounding) {
        return 0x037F & ~0x0F00 | precision << 8 | rounding << 10;
    }

    /** Exception flags in {@code flags} that {@code controlWord} leaves unmasked. */
    public static int unmasked(int flags, int controlWord) {
        return flags & ~controlWord & EXCEPTIONS;
    }

    /** ZF/PF/CF for FCOMI/FUCOMI from the C3/C2/C0 a compare returned (SDM Vol. 2A Table 3-31). */
    public static int toEflags(int compareResult) {
        int f = 0;
        if ((compareResult & C3) != 0) {
            f |= EFLAGS_ZF;
        }
        if ((compareResult & C2) != 0) {
            f |= EFLAGS_PF;
        }
        if ((compareResult & C0) != 0) {
            f |= EFLAGS_CF;
        }
        return f;
    }
}
