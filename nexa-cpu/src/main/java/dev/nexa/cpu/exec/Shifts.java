package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/**
 * Shifts and rotates: SHL/SAL, SHR, SAR, ROL, ROR, RCL, RCR (group 2) and SHLD, SHRD (SDM
 * Vol. 2B "SAL/SAR/SHL/SHR", "RCL/RCR/ROL/ROR", "SHLD", "SHRD"). The count is masked to 5 bits
 * (6 with REX.W); a masked count of 0 changes no flag and no value (a 32-bit register is still
 * zero-extended). OF is defined for a count of 1 only and AF never; for the undefined cases
 * Nexa does what the host CPU does where that costs nothing (checked with the oracle's
 * undefined-flags tally): shifts set AF, OF follows the count-1 formulas for every count
 * (SHRD: the two top result bits differ), and RCL/RCR by a multiple of 9 or 17 keep CF but
 * still write OF.
 */
final class Shifts {
    private Shifts() {}

    static final int ROL = 0, ROR = 1, RCL = 2, RCR = 3, SHL = 4, SHR = 5, SAR = 7;

    /** Group 2: {@code kind} is the ModRM.reg row (SAL /6 arrives as SHL). */
    static void shift(CpuCore c, Insn i, int kind) {
        int size = i.size();
        int count = (int) c.read(i, i.o1(), 1) & (size == 8 ? 63 : 31);
        boolean mem = i.o0() == Insn.MEM;
        long addr = mem ? c.ea(i) : 0;
        long dst = mem ? c.load(addr, size) : c.reg(i.o0(), size);
        if (count == 0) {
            zeroCount(c, i, mem, size, dst);
            return;
        }
        long cf = kind == RCL || kind == RCR ? (Flags.carry(c) ? 1 : 0) : 0;
        long res = result(kind, dst, count, size, cf);
        // Store first: a write fault must leave the flags as they were.
        if (mem) c.store(addr, size, res);
        else c.setReg(i.o0(), size, res);
        flags(c, kind, dst, res, count, size);
    }

    private static long result(int kind, long dst, int count, int size, long cf) {
        int bits = 8 * size;
        long m = Flags.mask(size);
        switch (kind) {
            case SHL: return (dst << count) & m;
            case SHR: return dst >>> count;
            case SAR: return (MulDiv.signed(dst, size) >> count) & m;
            case ROL: {
                int t = count & (bits - 1);
                return t == 0 ? dst : ((dst << t) | (dst >>> (bits - t))) & m;
            }
            case ROR: {
                int t = count & (bits - 1);
                return t == 0 ? dst : ((dst >>> t) | (dst << (bits - t))) & m;
            }
            case RCL: {
                int t = carryCount(count, size);
                return t == 0 ? dst : ((dst << t) | (cf << (t - 1)) | ushr(dst, bits - t + 1)) & m;
            }
            default: {
                int t = carryCount(count, size);
                return t == 0 ? dst : ((dst >>> t) | (cf << (bits - t)) | shl(dst, bits - t + 1)) & m;
            }
        }
    }

    /**
     * SHL/SHR/SAR: CF = the last bit shifted out, SF ZF PF from the result (lazily).
     * ROL/ROR/RCL/RCR: only CF and OF change. ROL: CF = bit 0 of the result, OF = MSB xor CF.
     * ROR: CF = MSB, OF = xor of the two top bits. RCL/RCR: CF = the last bit rotated out of
     * the operand, OF as for ROL/ROR; a count that is 0 modulo 9 (bytes) or 17 (words) moves
     * nothing and leaves the flags alone (SDM RCL operation: the loop does not run).
     */
    private static void flags(CpuCore c, int kind, long dst, long res, int count, int size) {
        int bits = 8 * size;
        long m = Flags.mask(size);
        long msb = res >>> (bits - 1) & 1;
        long next = res >>> (bits - 2) & 1;
        switch (kind) {
            case SHL -> c.setCc(Flags.SHL, size, res, (dst << (count - 1)) & m);
            case SHR -> c.setCc(Flags.SAR, size, res, dst >>> (count - 1));
            case SAR -> c.setCc(Flags.SAR, size, res, (MulDiv.signed(dst, size) >> (count - 1)) & m);
            case ROL -> {
                long cf = res & 1;
                Flags.update(c, Flags.CF | Flags.OF, cf | ((msb ^ cf) != 0 ? Flags.OF : 0));
            }
            case ROR -> Flags.update(c, Flags.CF | Flags.OF, msb | ((msb ^ next) != 0 ? Flags.OF : 0));
            case RCL -> {
                int t = carryCount(count, size);
                long cf = t == 0 ? (Flags.carry(c) ? 1 : 0) : (dst >>> (bits - t)) & 1;
                Flags.update(c, Flags.CF | Flags.OF, cf | ((msb ^ cf) != 0 ? Flags.OF : 0));
            }
            default -> {
                int t = carryCount(count, size);
                long cf = t == 0 ? (Flags.carry(c) ? 1 : 0) : (dst >>> (t - 1)) & 1;
                Flags.update(c, Flags.CF | Flags.OF, cf | ((msb ^ next) != 0 ? Flags.OF : 0));
            }
        }
    }

    /**
     * A masked count of 0 changes no flag, but a 32-bit register destination is still
     * written, so its upper half is cleared (as the host CPU does).
     */
    private static void zeroCount(CpuCore c, Insn i, boolean mem, int size, long dst) {
        if (!mem && size == 4) c.setReg(i.o0(), 4, dst);
    }

    /** The rotate-through-carry count: modulo 9 and 17 for bytes and words. */
    private static int carryCount(int count, int size) {
        return size == 1 ? count % 9 : size == 2 ? count % 17 : count;
    }

    /** Logical shifts that yield 0 for distances of 64 and more (Java masks the distance). */
    private static long ushr(long v, int n) { return n >= 64 ? 0 : v >>> n; }

    private static long shl(long v, int n) { return n >= 64 ? 0 : v << n; }

    /**
     * SHLD/SHRD r/m, r, imm8/CL: shifts the destination, filling from the source. For 16-bit
     * operands a count above 16 is undefined; see {@link #doubleShift16}.
     */
    static void doubleShift(CpuCore c, Insn i, boolean left) {
        int size = i.size();
        int count = (int) c.read(i, i.o2(), 1) & (size == 8 ? 63 : 31);
        long src = c.reg(i.o1(), size);
        boolean mem = i.o0() == Insn.MEM;
        long addr = mem ? c.ea(i) : 0;
        long dst = mem ? c.load(addr, size) : c.reg(i.o0(), size);
        if (count == 0) {
            zeroCount(c, i, mem, size, dst);
            return;
        }
        int bits = 8 * size;
        long res, cf;
        if (size == 2) {
            long v = doubleShift16(dst, src, count, left);
            res = v & 0xFFFF;
            cf = (v >>> 16) & 1;
        } else if (left) {
            res = ((dst << count) | (src >>> (bits - count))) & Flags.mask(size);
            cf = (dst >>> (bits - count)) & 1;
        } else {
            res = ((dst >>> count) | (src << (bits - count))) & Flags.mask(size);
            cf = (dst >>> (count - 1)) & 1;
        }
        if (mem) c.store(addr, size, res);
        else c.setReg(i.o0(), size, res);
        long sign = 1L << (bits - 1);
        // Synthetic ccSrc for the SHL/SAR kinds: CF from its top/low bit, OF = sign change.
        if (left) c.setCc(Flags.SHL, size, res, cf != 0 ? sign : 0);
        else c.setCc(Flags.SAR, size, res, ((res << 1) & sign) | cf);
    }

    /**
     * 16-bit SHLD/SHRD: returns the result in bits 15:0 and CF in bit 16. Counts up to 16 are
     * defined; for larger ones (undefined) Nexa does what the host (AMD) does, checked over
     * random operands: SHLD shifts the 48-bit pattern dst:src:src left, SHRD shifts src:src:dst
     * right, and CF is 0.
     */
    private static long doubleShift16(long dst, long src, int count, boolean left) {
        if (left) {
            long v = (dst << 32) | (src << 16) | src;
            long r = (v << count) >>> 32 & 0xFFFF;
            long cf = count > 16 ? 0 : (v >>> (48 - count)) & 1;
            return r | cf << 16;
        }
        long v = (src << 32) | (src << 16) | dst;
        long r = (v >>> count) & 0xFFFF;
        long cf = count > 16 ? 0 : (v >>> (count - 1)) & 1;
        return r | cf << 16;
    }
}
