package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/**
 * MUL, IMUL (one, two and three operands), DIV, IDIV (SDM Vol. 2A/2B). The one-operand forms
 * use rDX:rAX (AX for bytes). Multiplications set CF = OF = "the high half is significant";
 * SF, ZF, AF, PF are undefined (Nexa derives SF/ZF/PF from the low half). Divisions raise #DE
 * on a zero divisor and on a quotient that does not fit, before changing anything; their
 * flags are undefined and Nexa leaves them unchanged.
 */
final class MulDiv {
    private MulDiv() {}

    /** MUL r/m: unsigned rDX:rAX = rAX * r/m. */
    static void mul(CpuCore c, Insn i) {
        int size = i.size();
        long src = c.read(i, i.o0(), size);
        long a = c.reg(0, size);
        long lo, hi;
        switch (size) {
            case 1 -> {
                long p = a * src;
                c.setReg(0, 2, p);
                lo = p & 0xFF;
                hi = p >>> 8;
            }
            case 2 -> {
                long p = a * src;
                lo = p & 0xFFFF;
                hi = p >>> 16;
                c.setReg(0, 2, lo);
                c.setReg(2, 2, hi);
            }
            case 4 -> {
                long p = a * src;
                lo = p & 0xFFFF_FFFFL;
                hi = p >>> 32;
                c.r[0] = lo;
                c.r[2] = hi;
            }
            default -> {
                lo = a * src;
                hi = Math.unsignedMultiplyHigh(a, src);
                c.r[0] = lo;
                c.r[2] = hi;
            }
        }
        c.setCc(Flags.MUL, size, lo, hi != 0 ? 1 : 0);
    }

    /** IMUL r/m (one operand): signed rDX:rAX = rAX * r/m. */
    static void imul1(CpuCore c, Insn i) {
        int size = i.size();
        long src = signed(c.read(i, i.o0(), size), size);
        long a = signed(c.reg(0, size), size);
        long lo, hi;
        boolean overflow;
        switch (size) {
            case 1 -> {
                long p = a * src;
                c.setReg(0, 2, p);
                lo = p & 0xFF;
                overflow = p != (byte) p;
            }
            case 2 -> {
                long p = a * src;
                lo = p & 0xFFFF;
                c.setReg(0, 2, p);
                c.setReg(2, 2, p >> 16);
                overflow = p != (short) p;
            }
            case 4 -> {
                long p = a * src;
                lo = p & 0xFFFF_FFFFL;
                c.r[0] = lo;
                c.r[2] = (p >>> 32) & 0xFFFF_FFFFL;
                overflow = p != (int) p;
            }
            default -> {
                lo = a * src;
                hi = Math.multiplyHigh(a, src);
                c.r[0] = lo;
                c.r[2] = hi;
                overflow = hi != lo >> 63;
            }
        }
        c.setCc(Flags.MUL, size, lo, overflow ? 1 : 0);
    }

    /** IMUL r, r/m and IMUL r, r/m, imm: the product truncated to the operand size. */
    static void imul(CpuCore c, Insn i) {
        int size = i.size();
        long a, b;
        if (i.o2() == Insn.NONE) {
            a = c.reg(i.o0(), size);
            b = c.read(i, i.o1(), size);
        } else {
            a = c.read(i, i.o1(), size);
            b = i.imm();
        }
        a = signed(a, size);
        b = signed(b, size);
        long p = a * b;
        boolean overflow = switch (size) {
            case 2 -> p != (short) p;
            case 4 -> p != (int) p;
            default -> Math.multiplyHigh(a, b) != p >> 63;
        };
        long lo = p & Flags.mask(size);
        c.setReg(i.o0(), size, lo);
        c.setCc(Flags.MUL, size, lo, overflow ? 1 : 0);
    }

    /** DIV r/m: unsigned rDX:rAX / r/m; quotient to rAX, remainder to rDX (AL/AH for bytes). */
    static void div(CpuCore c, Insn i) {
        int size = i.size();
        long d = c.read(i, i.o0(), size);
        if (d == 0) throw GuestFault.divideError();
        switch (size) {
            case 1 -> {
                long n = c.r[0] & 0xFFFF;
                long q = n / d;
                if (q > 0xFF) throw GuestFault.divideError();
                c.setReg(0, 2, (n % d) << 8 | q);
            }
            case 2 -> {
                long n = (c.r[2] & 0xFFFF) << 16 | (c.r[0] & 0xFFFF);
                long q = n / d;
                if (q > 0xFFFF) throw GuestFault.divideError();
                c.setReg(0, 2, q);
                c.setReg(2, 2, n % d);
            }
            case 4 -> {
                long n = (c.r[2] << 32) | (c.r[0] & 0xFFFF_FFFFL);
                long q = Long.divideUnsigned(n, d);
                if ((q >>> 32) != 0) throw GuestFault.divideError();
                c.r[0] = q;
                c.r[2] = Long.remainderUnsigned(n, d);
            }
            default -> div64(c, c.r[2], c.r[0], d);
        }
    }

    private static void div64(CpuCore c, long hi, long lo, long d) {
        if (hi == 0) {
            c.r[0] = Long.divideUnsigned(lo, d);
            c.r[2] = Long.remainderUnsigned(lo, d);
            return;
        }
        if (Long.compareUnsigned(hi, d) >= 0) throw GuestFault.divideError();
        long q = divide128(hi, lo, d);
        c.r[0] = q;
        c.r[2] = lo - q * d;
    }

    /** IDIV r/m: signed rDX:rAX / r/m, quotient truncated toward zero, remainder with the dividend's sign. */
    static void idiv(CpuCore c, Insn i) {
        int size = i.size();
        long d = signed(c.read(i, i.o0(), size), size);
        if (d == 0) throw GuestFault.divideError();
        switch (size) {
            case 1 -> {
                long n = (short) c.r[0];
                long q = n / d;
                if (q != (byte) q) throw GuestFault.divideError();
                c.setReg(0, 2, ((n % d) & 0xFF) << 8 | (q & 0xFF));
            }
            case 2 -> {
                long n = (int) ((c.r[2] & 0xFFFF) << 16 | (c.r[0] & 0xFFFF));
                long q = n / d;
                if (q != (short) q) throw GuestFault.divideError();
                c.setReg(0, 2, q);
                c.setReg(2, 2, n % d);
            }
            case 4 -> {
                long n = (c.r[2] << 32) | (c.r[0] & 0xFFFF_FFFFL);
                // Long.MIN_VALUE / -1 wraps in Java; the range check below rejects it as #DE.
                long q = n / d;
                if (q != (int) q) throw GuestFault.divideError();
                c.r[0] = q & 0xFFFF_FFFFL;
                c.r[2] = (n % d) & 0xFFFF_FFFFL;
            }
            default -> idiv64(c, c.r[2], c.r[0], d);
        }
    }

    private static void idiv64(CpuCore c, long hi, long lo, long d) {
        if (hi == lo >> 63) {
            // The dividend fits in 64 bits; only MIN / -1 overflows.
            if (lo == Long.MIN_VALUE && d == -1) throw GuestFault.divideError();
            c.r[0] = lo / d;
            c.r[2] = lo % d;
            return;
        }
        boolean negN = hi < 0, negD = d < 0;
        if (negN) {
            // 128-bit two's complement negation.
            lo = -lo;
            hi = ~hi + (lo == 0 ? 1 : 0);
        }
        long ad = negD ? -d : d;                        // |MIN| reads as 2^63 unsigned
        if (Long.compareUnsigned(hi, ad) >= 0) throw GuestFault.divideError();
        long q = divide128(hi, lo, ad);
        long r = lo - q * ad;
        boolean negQ = negN != negD;
        // |q| may be 2^63 only for a negative quotient.
        if (negQ ? Long.compareUnsigned(q, Long.MIN_VALUE) > 0 : q < 0) throw GuestFault.divideError();
        c.r[0] = negQ ? -q : q;
        c.r[2] = negN ? -r : r;
    }

    /**
     * Unsigned (hi:lo) / d for hi < d (so the quotient fits in 64 bits): long division in
     * base 2^32 (Hacker's Delight, divlu).
     */
    static long divide128(long hi, long lo, long d) {
        int s = Long.numberOfLeadingZeros(d);
        d <<= s;
        long un32 = s == 0 ? hi : (hi << s) | (lo >>> (64 - s));
        long un10 = lo << s;
        long vn1 = d >>> 32, vn0 = d & 0xFFFF_FFFFL;
        long un1 = un10 >>> 32, un0 = un10 & 0xFFFF_FFFFL;

        long q1 = Long.divideUnsigned(un32, vn1);
        long rhat = un32 - q1 * vn1;
        while (Long.compareUnsigned(q1, 0xFFFF_FFFFL) > 0
                || Long.compareUnsigned(q1 * vn0, (rhat << 32) | un1) > 0) {
            q1--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, 0xFFFF_FFFFL) > 0) break;
        }
        long un21 = (un32 << 32) + un1 - q1 * d;
        long q0 = Long.divideUnsigned(un21, vn1);
        rhat = un21 - q0 * vn1;
        while (Long.compareUnsigned(q0, 0xFFFF_FFFFL) > 0
                || Long.compareUnsigned(q0 * vn0, (rhat << 32) | un0) > 0) {
            q0--;
            rhat += vn1;
            if (Long.compareUnsigned(rhat, 0xFFFF_FFFFL) > 0) break;
        }
        return (q1 << 32) | q0;
    }

    static long signed(long v, int size) {
        int shift = 64 - 8 * size;
        return v << shift >> shift;
    }
}
