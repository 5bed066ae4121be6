package dev.nexa.cpu.fpu;

/**
 * A mutable x87 double-extended-precision value (Intel SDM Vol. 1 §4.2.2, Figure 4-3): a 64-bit
 * significand with an explicit integer bit (bit 63, "J") and 16 bits of sign (bit 15) and biased
 * exponent (bits 0-14, bias 16383). The same 80 bits are the FLD/FSTP m80fp memory image.
 *
 * <p>A holder rather than a value object so that the x87 handlers can keep one per physical
 * register and the operations in {@link X87Arith} / {@link X87Convert} can write into it without
 * allocating. Not thread-safe.
 *
 * <p>Encodings (SDM Vol. 1 Table 8-3): exponent 0 with J = 0 is zero or a denormal, exponent 0 with
 * J = 1 a pseudo-denormal (accepted, treated as exponent 1); exponent 0x7FFF with J = 1 is an infinity
 * (fraction 0) or NaN (quiet when fraction bit 62 is set); the "unsupported" encodings are J = 0 with
 * exponent 0x7FFF (pseudo-infinity, pseudo-NaN) or with exponent 1..0x7FFE (unnormal), and every
 * arithmetic operation rejects them with an invalid-operation exception.
 */
public final class Ext80 {
    /** Exponent bias. */
    public static final int BIAS = 0x3FFF;
    /** Biased exponent of infinities and NaNs. */
    public static final int MAX_EXP = 0x7FFF;
    /** The integer bit J. */
    public static final long INTEGER_BIT = 0x8000_0000_0000_0000L;
    /** The quiet bit of a NaN. */
    public static final long QUIET_BIT = 0x4000_0000_0000_0000L;
    /** Sign/exponent of the real indefinite QNaN (SDM Vol. 1 Table 4-3): negative, 0x7FFF. */
    public static final int INDEFINITE_SIGN_EXP = 0xFFFF;
    /** Significand of the real indefinite QNaN: 1.1000...0. */
    public static final long INDEFINITE_SIGNIFICAND = 0xC000_0000_0000_0000L;

    /** Classes as FXAM distinguishes them, plus the ones FXAM folds together. */
    public enum Kind { ZERO, DENORMAL, PSEUDO_DENORMAL, NORMAL, INFINITY, QNAN, SNAN, UNSUPPORTED }

    long significand;
    int signExp;

    public Ext80() {}

    public Ext80(int signExp, long significand) {
        set(signExp, significand);
    }

    public static Ext80 of(int signExp, long significand) {
        return new Ext80(signExp, significand);
    }

    /** The 64-bit significand, integer bit included. */
    public long significand() {
        return significand;
    }

    /** Sign (bit 15) and biased exponent (bits 0-14). */
    public int signExp() {
        return signExp;
    }

    public Ext80 set(int signExp, long significand) {
        this.signExp = signExp & 0xFFFF;
        this.significand = significand;
        return this;
    }

    public Ext80 set(Ext80 other) {
        this.signExp = other.signExp;
        this.significand = other.significand;
        return this;
    }

    public boolean sign() {
        return (signExp & 0x8000) != 0;
    }

    /** Biased exponent, 0..0x7FFF. */
    public int exponent() {
        return signExp & 0x7FFF;
    }

    public Ext80 negate() {
        signExp ^= 0x8000;
        return this;
    }

    public Ext80 abs() {
        signExp &= 0x7FFF;
        return this;
    }

    public Kind kind() {
        return kindOf(signExp, significand);
    }

    static Kind kindOf(int signExp, long sig) {
        int e = signExp & 0x7FFF;
        if (e == 0) {
            return sig == 0 ? Kind.ZERO : sig < 0 ? Kind.PSEUDO_DENORMAL : Kind.DENORMAL;
        }
        if (sig >= 0) {
            return Kind.UNSUPPORTED; // J = 0: unnormal, pseudo-infinity, pseudo-NaN
        }
        if (e == MAX_EXP) {
            if (sig << 1 == 0) {
                return Kind.INFINITY;
            }
            return (sig & QUIET_BIT) != 0 ? Kind.QNAN : Kind.SNAN;
        }
        return Kind.NORMAL;
    }

    public boolean isNaN() {
        return exponent() == MAX_EXP && significand < 0 && significand << 1 != 0;
    }

    public boolean isZero() {
        return exponent() == 0 && significand == 0;
    }

    public boolean isInfinite() {
        return exponent() == MAX_EXP && significand == INTEGER_BIT;
    }

    /** Writes the real indefinite QNaN. */
    public Ext80 setIndefinite() {
        return set(INDEFINITE_SIGN_EXP, INDEFINITE_SIGNIFICAND);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Ext80 x && x.signExp == signExp && x.significand == significand;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(significand) * 31 + signExp;
    }

    /** {@code ssss:mmmmmmmmmmmmmmmm} in hex, the way debuggers show 80-bit registers. */
    @Override
    public String toString() {
        return "%04x:%016x".formatted(signExp, significand);
    }
}
