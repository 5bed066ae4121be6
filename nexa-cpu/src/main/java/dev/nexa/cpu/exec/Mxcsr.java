package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/**
 * MXCSR (SDM Vol. 1 §10.2.3): exception flags, masks, rounding control, DAZ and FTZ; and how
 * SSE handlers report SIMD floating-point exceptions (§11.5.2).
 */
public final class Mxcsr {
    /** Exception flags (bits 0-5); the masks are the same bits shifted left by 7. */
    public static final int IE = 1, DE = 2, ZE = 4, OE = 8, UE = 16, PE = 32;
    public static final int FLAGS = 0x3F;
    public static final int DAZ = 1 << 6;
    public static final int IM = IE << 7, DM = DE << 7, ZM = ZE << 7, OM = OE << 7, UM = UE << 7, PM = PE << 7;
    public static final int RC_SHIFT = 13;
    public static final int FTZ = 1 << 15;
    /** Rounding control values (bits 14:13). */
    public static final int RN = 0, RD = 1, RU = 2, RZ = 3;
    /** Bits LDMXCSR and FXRSTOR accept (MXCSR_MASK with DAZ supported); others raise #GP. */
    public static final int MASK = 0xFFFF;
    /** The pre-computation exceptions (§11.5.2): detected on the operands, before any rounding. */
    static final int PRE = IE | DE | ZE;

    private Mxcsr() {}

    static int rc(int mx) { return (mx >>> RC_SHIFT) & 3; }

    /**
     * Ends the floating-point part of an instruction: merges the flags it raised into MXCSR, or,
     * if one of them is unmasked, raises #XM before the destination is written (§11.5.2.2). An
     * unmasked pre-computation exception (invalid, denormal, divide-by-zero) in any element
     * stops the instruction before the post-computation ones (overflow, underflow, precision)
     * are detected, so only the pre-computation flags are recorded then (§11.5.2.3).
     */
    static void commit(CpuCore c) {
        int f = c.simdFlags;
        if (f == 0) return;
        c.simdFlags = 0;
        int mx = c.mxcsr;
        int unmasked = f & ~(mx >>> 7) & FLAGS;
        if (unmasked != 0) {
            if ((unmasked & PRE) != 0) f &= PRE;
            c.mxcsr = mx | f;
            throw GuestFault.simdError();
        }
        c.mxcsr = mx | f;
    }

    /** LDMXCSR m32: reserved bits set raise #GP(0) (SDM Vol. 2A LDMXCSR). */
    static void ldmxcsr(CpuCore c, Insn i) {
        int v = (int) c.load(c.ea(i), 4);
        if ((v & ~MASK) != 0) throw GuestFault.generalProtection();
        c.mxcsr = v;
    }

    static void stmxcsr(CpuCore c, Insn i) {
        c.store(c.ea(i), 4, c.mxcsr & 0xFFFF_FFFFL);
    }
}
