package dev.nexa.cpu.fpu;

/**
 * The constants of FLD1, FLDL2T, FLDL2E, FLDPI, FLDLG2, FLDLN2 and FLDZ (SDM Vol. 2A "FLD1/FLDL2T/
 * FLDL2E/FLDPI/FLDLG2/FLDLN2/FLDZ"). Since the 387 the irrational ones are rounded per RC from an
 * internal value with more bits; the SDM notes that in round-to-nearest they equal the 8087's. The
 * table holds the significand truncated to 64 bits and whether the exact value lies above it;
 * rounding the exact value per RC gives what the host returns in all four modes (checked in
 * X87ConstantsTest). Precision control does not apply, and no exception or C1 is raised.
 */
public enum X87Constants {
    ONE(0x3FFF, 0x8000_0000_0000_0000L, false, false),
    /** log2(10) = 0x4000:D49A784BCD1B8AFE 492B..., just below the halfway point. */
    L2T(0x4000, 0xD49A_784B_CD1B_8AFEL, true, false),
    /** log2(e) = 0x3FFF:B8AA3B295C17F0BB BE87..., above the halfway point. */
    L2E(0x3FFF, 0xB8AA_3B29_5C17_F0BBL, true, true),
    /** pi = 0x4000:C90FDAA22168C234 C4C6... */
    PI(0x4000, 0xC90F_DAA2_2168_C234L, true, true),
    /** log10(2) = 0x3FFD:9A209A84FBCFF798 8F89... */
    LG2(0x3FFD, 0x9A20_9A84_FBCF_F798L, true, true),
    /** ln(2) = 0x3FFE:B17217F7D1CF79AB C9E3... */
    LN2(0x3FFE, 0xB172_17F7_D1CF_79ABL, true, true),
    ZERO(0, 0, false, false);

    private final int signExp;
    private final long truncated;
    private final boolean inexact;
    private final boolean aboveHalf;

    X87Constants(int signExp, long truncated, boolean inexact, boolean aboveHalf) {
        this.signExp = signExp;
        this.truncated = truncated;
        this.inexact = inexact;
        this.aboveHalf = aboveHalf;
    }

    /** Loads the constant rounded per the RC field of {@code controlWord}; returns 0 (no flags). */
    public int load(int controlWord, Ext80 dst) {
        long sig = truncated;
        if (inexact) {
            boolean up = switch (X87Status.roundingControl(controlWord)) {
                case X87Status.RC_NEAREST -> aboveHalf;
                case X87Status.RC_UP -> true;
                default -> false; // all constants are positive: down and toward zero truncate
            };
            if (up) {
                sig++;
            }
        }
        dst.set(signExp, sig);
        return 0;
    }
}
