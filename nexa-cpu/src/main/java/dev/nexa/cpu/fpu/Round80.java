package dev.nexa.cpu.fpu;

import static dev.nexa.cpu.fpu.X87Status.C1;
import static dev.nexa.cpu.fpu.X87Status.OE;
import static dev.nexa.cpu.fpu.X87Status.PE;
import static dev.nexa.cpu.fpu.X87Status.RC_DOWN;
import static dev.nexa.cpu.fpu.X87Status.RC_NEAREST;
import static dev.nexa.cpu.fpu.X87Status.RC_UP;
import static dev.nexa.cpu.fpu.X87Status.UE;

/**
 * Rounding of an exact (or exactly jammed) result to the double-extended register format, and the
 * 128-bit helpers the operations need. The structure follows Berkeley SoftFloat 3e's
 * {@code softfloat_roundPackToExtF80}, whose x86 specialization matches the x87: tininess is detected
 * after rounding, underflow is flagged (masked) only when the denormalized result is inexact, and
 * precision control rounds inside the 64-bit significand while the exponent keeps its full 15-bit
 * range (SDM Vol. 1 §8.1.5.2). Added for the x87: the C1 round-up indication and the unmasked
 * overflow/underflow responses, which deliver the rounded significand with the exponent biased by
 * ∓24576 (SDM Vol. 1 §8.5.4, §8.5.5).
 */
final class Round80 {
    private Round80() {}

    /** Exponent adjustment of the unmasked overflow/underflow responses (3 × 2^13). */
    static final int UNMASKED_BIAS_ADJUST = 0x6000;

    /** Significand bits kept by a precision-control setting (the reserved value acts as 64 bits). */
    static int precisionBits(int controlWord) {
        return switch (X87Status.precisionControl(controlWord)) {
            case X87Status.PC_24 -> 24;
            case X87Status.PC_53 -> 53;
            default -> 64;
        };
    }

    /**
     * Rounds {@code sig:extra} × 2^(exp - BIAS - 63) to {@code precision} bits under the rounding and
     * exception masks of {@code controlWord}, writes the register result to {@code dst} and returns PE,
     * UE, OE and C1. {@code sig} must be normalized (bit 63 set); {@code exp} may lie outside
     * 1..0x7FFE.
     */
    static int roundPack(Ext80 dst, boolean neg, int exp, long sig, long extra, int controlWord, int precision) {
        int rc = X87Status.roundingControl(controlWord);
        int sign = neg ? 0x8000 : 0;
        if (precision == 64) {
            return roundPack64(dst, sign, exp, sig, extra, controlWord, rc);
        }
        long roundMask = precision == 24 ? 0xFF_FFFF_FFFFL : 0x7FFL;
        sig |= extra != 0 ? 1 : 0;
        long increment = roundIncrement(rc, neg, roundMask);
        int flags = 0;
        if (exp <= 0 || exp >= 0x7FFF || exp == 0x7FFE && Long.compareUnsigned(sig + increment, sig) < 0) {
            if (exp <= 0) {
                // After-rounding tininess: rounding at full exponent range would not reach 2^-16382.
                boolean tiny = exp < 0 || Long.compareUnsigned(sig + increment, sig) >= 0;
                if (!tiny) {
                    return roundNormal(dst, sign, exp, sig, roundMask, increment, rc); // carries to 2^-16382
                }
                if ((controlWord & UE) == 0) {
                    if (exp + UNMASKED_BIAS_ADJUST < 1) {
                        return stillTooSmall(dst, sign);
                    }
                    return UE | roundNormal(dst, sign, exp + UNMASKED_BIAS_ADJUST, sig, roundMask, increment, rc);
                }
                sig = shiftRightJam(sig, 1 - exp);
                long roundBits = sig & roundMask;
                if (roundBits != 0) {
                    flags |= PE | UE;
                }
                long truncated = sig & ~roundMask;
                sig += increment;
                if (rc == RC_NEAREST && roundBits << 1 == roundMask + 1) {
                    sig &= ~(roundMask + 1); // tie: to even
                }
                sig &= ~roundMask;
                if (Long.compareUnsigned(sig, truncated) > 0) {
                    flags |= C1;
                }
                dst.set(sign | (sig < 0 ? 1 : 0), sig);
                return flags;
            }
            // overflow
            if ((controlWord & OE) == 0) {
                if (exp - UNMASKED_BIAS_ADJUST >= 0x7FFF) {
                    return stillTooLarge(dst, sign);
                }
                return OE | roundNormal(dst, sign, exp - UNMASKED_BIAS_ADJUST, sig, roundMask, increment, rc);
            }
            return overflow(dst, sign, rc, neg, ~roundMask);
        }
        return roundNormal(dst, sign, exp, sig, roundMask, increment, rc);
    }

    private static long roundIncrement(int rc, boolean neg, long roundMask) {
        return switch (rc) {
            case RC_NEAREST -> (roundMask + 1) >>> 1;
            case RC_DOWN -> neg ? roundMask : 0;
            case RC_UP -> neg ? 0 : roundMask;
            default -> 0;
        };
    }

    /** Rounding inside the significand for a result whose exponent is in range (or adjusted). */
    private static int roundNormal(Ext80 dst, int sign, int exp, long sig, long roundMask, long increment, int rc) {
        int flags = 0;
        long roundBits = sig & roundMask;
        if (roundBits != 0) {
            flags = PE;
        }
        long s = sig + increment;
        if (Long.compareUnsigned(s, sig) < 0) {
            exp++;
            s = Ext80.INTEGER_BIT;
            flags |= C1;
        } else {
            if (rc == RC_NEAREST && roundBits << 1 == roundMask + 1) {
                s &= ~(roundMask + 1);
            }
            s &= ~roundMask;
            if (Long.compareUnsigned(s, sig & ~roundMask) > 0) {
                flags |= C1;
            }
        }
        dst.set(sign | exp & 0x7FFF, s);
        return flags;
    }

    /**
     * Unmasked overflow whose adjusted exponent still overflows (only FSCALE gets there): the host
     * delivers ∞ whatever the rounding mode, with OE, PE and C1.
     */
    private static int stillTooLarge(Ext80 dst, int sign) {
        dst.set(sign | 0x7FFF, Ext80.INTEGER_BIT);
        return OE | PE | C1;
    }

    /** Unmasked underflow whose adjusted exponent is still too small: a signed zero, UE and PE. */
    private static int stillTooSmall(Ext80 dst, int sign) {
        dst.set(sign, 0);
        return UE | PE;
    }

    /** The masked overflow response (SDM Vol. 1 Table 4-10): infinity or the largest finite value. */
    private static int overflow(Ext80 dst, int sign, int rc, boolean neg, long maxSig) {
        boolean toInfinity = rc == RC_NEAREST || rc == (neg ? RC_DOWN : RC_UP);
        if (toInfinity) {
            dst.set(sign | 0x7FFF, Ext80.INTEGER_BIT);
            return OE | PE | C1;
        }
        dst.set(sign | 0x7FFE, maxSig);
        return OE | PE;
    }

    private static int roundPack64(Ext80 dst, int sign, int exp, long sig, long extra, int cw, int rc) {
        boolean neg = sign != 0;
        boolean inc = increment64(rc, neg, sig, extra);
        int flags = 0;
        if (exp <= 0 || exp >= 0x7FFF || exp == 0x7FFE && sig == -1L && inc) {
            if (exp <= 0) {
                boolean tiny = exp < 0 || !inc || sig != -1L;
                if (!tiny) {
                    return roundNormal64(dst, sign, exp, sig, extra, inc, rc); // carries to 2^-16382
                }
                if ((cw & UE) == 0) {
                    if (exp + UNMASKED_BIAS_ADJUST < 1) {
                        return stillTooSmall(dst, sign);
                    }
                    return UE | roundNormal64(dst, sign, exp + UNMASKED_BIAS_ADJUST, sig, extra, inc, rc);
                }
                int dist = 1 - exp;
                long e2;
                if (dist < 64) {
                    e2 = sig << (64 - dist) | (extra != 0 ? 1 : 0);
                    sig >>>= dist;
                } else if (dist == 64) {
                    e2 = sig | (extra != 0 ? 1 : 0);
                    sig = 0;
                } else {
                    e2 = (sig | extra) != 0 ? 1 : 0;
                    sig = 0;
                }
                extra = e2;
                if (extra != 0) {
                    flags |= PE | UE;
                }
                if (increment64(rc, neg, sig, extra)) {
                    sig++;
                    flags |= C1;
                }
                dst.set(sign | (sig < 0 ? 1 : 0), sig);
                return flags;
            }
            if ((cw & OE) == 0) {
                if (exp - UNMASKED_BIAS_ADJUST >= 0x7FFF) {
                    return stillTooLarge(dst, sign);
                }
                return OE | roundNormal64(dst, sign, exp - UNMASKED_BIAS_ADJUST, sig, extra, inc, rc);
            }
            return overflow(dst, sign, rc, neg, -1L);
        }
        return roundNormal64(dst, sign, exp, sig, extra, inc, rc);
    }

    /** Whether rounding {@code sig:extra} at the word boundary increments {@code sig} (ties to even). */
    private static boolean increment64(int rc, boolean neg, long sig, long extra) {
        return switch (rc) {
            case RC_NEAREST -> extra < 0 && (extra << 1 != 0 || (sig & 1) != 0);
            case RC_DOWN -> neg && extra != 0;
            case RC_UP -> !neg && extra != 0;
            default -> false;
        };
    }

    private static int roundNormal64(Ext80 dst, int sign, int exp, long sig, long extra, boolean inc, int rc) {
        int flags = extra != 0 ? PE : 0;
        if (inc) {
            flags |= C1;
            sig++;
            if (sig == 0) {
                exp++;
                sig = Ext80.INTEGER_BIT;
            }
        }
        dst.set(sign | exp & 0x7FFF, sig);
        return flags;
    }

    /** Shifts right by {@code dist} ≥ 1, ORing every bit shifted out into bit 0 ("jamming"). */
    static long shiftRightJam(long x, int dist) {
        if (dist >= 64) {
            return x != 0 ? 1 : 0;
        }
        return x >>> dist | (x << (64 - dist) != 0 ? 1 : 0);
    }

    /**
     * Quotient of the 128-bit {@code u1:u0} by {@code v}, for {@code u1 < v} and {@code v} normalized
     * (bit 63 set): Hacker's Delight {@code divlu}, two 32-bit quotient digits. The remainder is
     * {@code u0 - q * v} (mod 2^64).
     */
    static long div128(long u1, long u0, long v) {
        final long b = 1L << 32;
        long vn1 = v >>> 32;
        long vn0 = v & 0xFFFF_FFFFL;
        long un1 = u0 >>> 32;
        long un0 = u0 & 0xFFFF_FFFFL;
        long q1 = Long.divideUnsigned(u1, vn1);
        long rhat = u1 - q1 * vn1;
        while (q1 >= b || Long.compareUnsigned(q1 * vn0, rhat << 32 | un1) > 0) {
            q1--;
            rhat += vn1;
            if (rhat >= b) {
                break;
            }
        }
        long un21 = (u1 << 32 | un1) - q1 * v;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (q0 >= b || Long.compareUnsigned(q0 * vn0, rhat << 32 | un0) > 0) {
            q0--;
            rhat += vn1;
            if (rhat >= b) {
                break;
            }
        }
        return q1 << 32 | q0;
    }
}
