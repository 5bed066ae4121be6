package dev.nexa.cpu.fpu;

import static dev.nexa.cpu.fpu.X87Status.C1;
import static dev.nexa.cpu.fpu.X87Status.DE;
import static dev.nexa.cpu.fpu.X87Status.IE;
import static dev.nexa.cpu.fpu.X87Status.OE;
import static dev.nexa.cpu.fpu.X87Status.PE;
import static dev.nexa.cpu.fpu.X87Status.RC_DOWN;
import static dev.nexa.cpu.fpu.X87Status.RC_NEAREST;
import static dev.nexa.cpu.fpu.X87Status.RC_UP;
import static dev.nexa.cpu.fpu.X87Status.UE;

/**
 * Conversions between {@link Ext80} and the x87 memory formats: FLD/FST m32fp and m64fp, FILD/FIST
 * m16int/m32int/m64int, FISTTP, FBLD/FBSTP m80bcd, FLD/FSTP m80fp. Same conventions as
 * {@link X87Arith}; loads write {@code dst} and return flags, stores write a {@link MemoryValue} and
 * return flags. Stores round per RC (never per PC) using the destination's exponent range. With an
 * unmasked exception the hardware stores nothing (SDM Vol. 1 §8.5): the returned flags then tell the
 * handler not to write memory, and the {@link MemoryValue} contents are unspecified.
 */
public final class X87Convert {
    private X87Convert() {}

    // ---------------------------------------------------------------- loads

    /** FLD m32fp: exact; an SNaN raises IE and is quieted, a denormal raises DE. */
    public static int fromFloat32(int bits, Ext80 dst, int controlWord) {
        return fromIeee(bits & 0xFFFF_FFFFL, 23, 8, dst, controlWord);
    }

    /** FLD m64fp: exact; an SNaN raises IE and is quieted, a denormal raises DE. */
    public static int fromFloat64(long bits, Ext80 dst, int controlWord) {
        return fromIeee(bits, 52, 11, dst, controlWord);
    }

    private static int fromIeee(long bits, int fracBits, int expBits, Ext80 dst, int cw) {
        int sign = (bits >>> (fracBits + expBits)) != 0 ? 0x8000 : 0;
        int maxExp = (1 << expBits) - 1;
        int bias = maxExp >> 1;
        int exp = (int) (bits >>> fracBits) & maxExp;
        long frac = bits & ((1L << fracBits) - 1);
        if (exp == maxExp) {
            long sig = Ext80.INTEGER_BIT | frac << (63 - fracBits);
            if (frac != 0 && (sig & Ext80.QUIET_BIT) == 0) {
                if ((cw & IE) == 0) {
                    return IE;
                }
                dst.set(sign | 0x7FFF, sig | Ext80.QUIET_BIT);
                return IE;
            }
            dst.set(sign | 0x7FFF, sig);
            return 0;
        }
        if (exp == 0) {
            if (frac == 0) {
                dst.set(sign, 0);
                return 0;
            }
            if ((cw & DE) == 0) {
                return DE;
            }
            int s = Long.numberOfLeadingZeros(frac);
            // frac × 2^(1 - bias - fracBits)
            dst.set(sign | Ext80.BIAS + 1 - bias - fracBits + 63 - s, frac << s);
            return DE;
        }
        dst.set(sign | exp - bias + Ext80.BIAS, (Ext80.INTEGER_BIT | frac << (63 - fracBits)));
        return 0;
    }

    /** FILD: any 64-bit (or sign-extended 16/32-bit) integer, exactly. */
    public static int fromInt(long value, Ext80 dst) {
        X87Arith.setInteger(dst, value < 0, value < 0 ? -value : value); // -MIN_VALUE is 2^63 unsigned
        return 0;
    }

    /**
     * FBLD: 18 packed BCD digits, bytes 0-8 ({@code low} = bytes 0-7, {@code high} bits 0-7 = byte 8),
     * sign in bit 7 of byte 9 ({@code high} bit 15; bits 0-6 are ignored). -0 stays -0. Invalid digits
     * (A-F) are undefined in the SDM; weighting them like valid ones (10-15) reproduces the host.
     */
    public static int fromBcd(long low, int high, Ext80 dst) {
        long v = 0;
        for (int i = 1; i >= 0; i--) {
            v = v * 10 + (high >> (4 * i) & 0xF);
        }
        for (int i = 15; i >= 0; i--) {
            v = v * 10 + (low >>> (4 * i) & 0xF);
        }
        X87Arith.setInteger(dst, (high & 0x8000) != 0, v);
        return 0;
    }

    /** FLD m80fp: the bits as they are (no exception, even for SNaN or unsupported encodings). */
    public static int fromMemory80(long low, int high, Ext80 dst) {
        dst.set(high, low);
        return 0;
    }

    // ---------------------------------------------------------------- stores

    /** FSTP m80fp: the bits as they are. */
    public static int toMemory80(Ext80 src, MemoryValue dst) {
        dst.set(src.significand, src.signExp);
        return 0;
    }

    /** FST m32fp. */
    public static int toFloat32(Ext80 src, int controlWord, MemoryValue dst) {
        return toIeee(src, 23, 8, controlWord, dst);
    }

    /** FST m64fp. */
    public static int toFloat64(Ext80 src, int controlWord, MemoryValue dst) {
        return toIeee(src, 52, 11, controlWord, dst);
    }

    private static int toIeee(Ext80 src, int fracBits, int expBits, int cw, MemoryValue dst) {
        long signBit = (src.signExp & 0x8000) != 0 ? 1L << (fracBits + expBits) : 0;
        long expField = ((1L << expBits) - 1) << fracBits;
        long quiet = 1L << (fracBits - 1);
        int flags = 0;
        switch (src.kind()) {
            case UNSUPPORTED -> {
                // the default QNaN of the destination format (SDM Vol. 1 Table 4-3)
                dst.set(1L << (fracBits + expBits) | expField | quiet, 0);
                return IE;
            }
            case QNAN, SNAN -> {
                flags = (src.significand & Ext80.QUIET_BIT) == 0 ? IE : 0;
                long frac = src.significand << 1 >>> (64 - fracBits);
                dst.set(signBit | expField | frac | quiet, 0);
                return flags;
            }
            case INFINITY -> {
                dst.set(signBit | expField, 0);
                return 0;
            }
            case ZERO -> {
                dst.set(signBit, 0);
                return 0;
            }
            case DENORMAL, PSEUDO_DENORMAL, NORMAL -> {
                // No DE for a denormal source: the host (AMD Zen) raises none on stores, although the
                // SDM's FST page lists #D.
            }
        }
        int e = src.signExp & 0x7FFF;
        long sig = X87Arith.normSig(e, src.significand);
        int unbiased = X87Arith.normExp(e, src.significand) - Ext80.BIAS;
        return flags | roundToIeee(signBit != 0, unbiased, sig, fracBits, expBits, cw, dst);
    }

    /**
     * Rounds {@code sig} × 2^(unbiased - 63) (sig normalized) to an IEEE binary format with
     * {@code fracBits} fraction bits, tininess detected after rounding (as the x87 does).
     */
    static int roundToIeee(boolean neg, int unbiased, long sig, int fracBits, int expBits, int cw, MemoryValue dst) {
        int rc = X87Status.roundingControl(cw);
        int maxBiased = (1 << expBits) - 1;
        int bias = maxBiased >> 1;
        long signBit = neg ? 1L << (fracBits + expBits) : 0;
        int biased = unbiased + bias;
        int precision = fracBits + 1;
        int shift = 64 - precision;
        if (biased <= 0) {
            shift += 1 - biased;
        }
        long kept;
        boolean half;
        boolean rest;
        if (shift > 64) {
            kept = 0;
            half = false;
            rest = true;
        } else if (shift == 64) {
            kept = 0;
            half = sig < 0;
            rest = sig << 1 != 0;
        } else {
            kept = sig >>> shift;
            long dropped = sig << (64 - shift);
            half = dropped < 0;
            rest = dropped << 1 != 0;
        }
        boolean inexact = half || rest;
        boolean up = roundsUp(rc, neg, half, rest, (kept & 1) != 0);
        int flags = 0;
        if (inexact) {
            flags |= PE;
        }
        if (up) {
            kept++;
            flags |= C1;
        }
        if (biased <= 0) {
            // after-rounding tininess: would rounding at full precision reach the smallest normal?
            boolean tiny = true;
            if (biased == 0) {
                long full = sig >>> (64 - precision);
                long d = sig << precision;
                boolean u = roundsUp(rc, neg, d < 0, d << 1 != 0, (full & 1) != 0);
                tiny = !(u && full + 1 == 1L << precision);
            }
            if (tiny && ((cw & UE) == 0 || inexact)) {
                flags |= UE;
            }
            // kept may have carried into the exponent field: that is the smallest normal, correctly
            dst.set(signBit | kept, 0);
            return flags;
        }
        if (kept == 1L << precision) {
            kept >>>= 1;
            biased++;
        }
        if (biased >= maxBiased) {
            flags = OE | PE;
            boolean toInf = rc == RC_NEAREST || rc == (neg ? RC_DOWN : RC_UP);
            if (toInf) {
                dst.set(signBit | (long) maxBiased << fracBits, 0);
                return flags | C1;
            }
            dst.set(signBit | ((long) maxBiased << fracBits) - 1, 0);
            return flags;
        }
        dst.set(signBit | (long) biased << fracBits | kept & ((1L << fracBits) - 1), 0);
        return flags;
    }

    private static boolean roundsUp(int rc, boolean neg, boolean half, boolean rest, boolean odd) {
        return switch (rc) {
            case RC_NEAREST -> half && (rest || odd);
            case RC_DOWN -> neg && (half || rest);
            case RC_UP -> !neg && (half || rest);
            default -> false;
        };
    }

    /** FIST/FISTP m16int: rounds per RC; out of range, NaN or ∞ give IE and 0x8000. */
    public static int toInt16(Ext80 src, int controlWord, MemoryValue dst) {
        return toInt(src, controlWord, 16, false, dst);
    }

    /** FIST/FISTP m32int. */
    public static int toInt32(Ext80 src, int controlWord, MemoryValue dst) {
        return toInt(src, controlWord, 32, false, dst);
    }

    /** FISTP m64int. */
    public static int toInt64(Ext80 src, int controlWord, MemoryValue dst) {
        return toInt(src, controlWord, 64, false, dst);
    }

    /**
     * FIST(P)/FISTTP to a {@code bits}-wide integer (16, 32, 64): rounds per RC, or truncates when
     * {@code truncate} (FISTTP, SDM Vol. 2A). Out of range, NaN, ∞ or unsupported: IE and the integer
     * indefinite (only the sign bit set), stored when IE is masked. The value is zero-extended in
     * {@link MemoryValue#low()}.
     */
    public static int toInt(Ext80 src, int controlWord, int bits, boolean truncate, MemoryValue dst) {
        long indefinite = 1L << (bits - 1);
        long widthMask = bits == 64 ? -1L : (1L << bits) - 1;
        int flags = 0;
        switch (src.kind()) {
            case UNSUPPORTED, QNAN, SNAN, INFINITY -> {
                dst.set(indefinite, 0);
                return IE;
            }
            case ZERO -> {
                dst.set(0, 0);
                return 0;
            }
            case DENORMAL, PSEUDO_DENORMAL, NORMAL -> {
                // no DE for denormal sources (host measurement), like the floating-point stores
            }
        }
        int rc = truncate ? X87Status.RC_ZERO : X87Status.roundingControl(controlWord);
        boolean neg = (src.signExp & 0x8000) != 0;
        int e = src.signExp & 0x7FFF;
        long sig = X87Arith.normSig(e, src.significand);
        int unbiased = X87Arith.normExp(e, src.significand) - Ext80.BIAS;
        if (unbiased >= 64) {
            dst.set(indefinite, 0);
            return flags | IE;
        }
        long intPart;
        boolean half;
        boolean rest;
        if (unbiased < 0) {
            intPart = 0;
            half = unbiased == -1;
            rest = unbiased != -1 || sig << 1 != 0;
        } else {
            intPart = sig >>> (63 - unbiased);
            long frac = unbiased == 63 ? 0 : sig << (unbiased + 1);
            half = frac < 0;
            rest = frac << 1 != 0;
        }
        boolean up = roundsUp(rc, neg, half, rest, (intPart & 1) != 0);
        if (up) {
            intPart++;
            if (intPart == 0) {
                dst.set(indefinite, 0);
                return flags | IE; // carried past 2^64
            }
        }
        long limit = neg ? indefinite : indefinite - 1;
        if (Long.compareUnsigned(intPart, limit) > 0) {
            dst.set(indefinite, 0);
            return flags | IE;
        }
        if (half || rest) {
            flags |= PE;
            if (up) {
                flags |= C1;
            }
        }
        dst.set((neg ? -intPart : intPart) & widthMask, 0);
        return flags;
    }

    /** 10^18, the first value FBSTP cannot store. */
    private static final long BCD_LIMIT = 1_000_000_000_000_000_000L;

    /**
     * FBSTP: rounds per RC to an integer and stores 18 BCD digits with the sign in byte 9. Out of
     * range, NaN, ∞ or unsupported: IE and the packed BCD indefinite (bytes 9, 8 = FF FF, byte 7 = C0,
     * SDM Vol. 1 Table 4-4).
     */
    public static int toBcd(Ext80 src, int controlWord, MemoryValue dst) {
        int flags;
        switch (src.kind()) {
            case UNSUPPORTED, QNAN, SNAN, INFINITY -> {
                dst.set(0xC000_0000_0000_0000L, 0xFFFF);
                return IE;
            }
            default -> flags = toInt(src, controlWord, 64, false, dst);
        }
        long v = dst.low;
        boolean neg = (src.signExp & 0x8000) != 0;
        if ((flags & IE) != 0 || (neg ? -v : v) >= BCD_LIMIT || (neg ? -v : v) < 0) {
            dst.set(0xC000_0000_0000_0000L, 0xFFFF);
            return flags & ~(PE | C1) | IE;
        }
        long mag = neg ? -v : v;
        long low = 0;
        for (int i = 0; i < 16; i++) {
            low |= (mag % 10) << (4 * i);
            mag /= 10;
        }
        int high = (int) (mag % 10) | (int) (mag / 10 % 10) << 4 | (neg ? 0x8000 : 0);
        dst.set(low, high);
        return flags;
    }
}
