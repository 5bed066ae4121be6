package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/**
 * BMI1 (ANDN, BEXTR, BLSI, BLSMSK, BLSR), BMI2 (BZHI, PDEP, PEXT, RORX, SARX, SHLX, SHRX,
 * MULX), ADX (ADCX, ADOX) and SSE4.2's CRC32 (SDM Vol. 2 per mnemonic). The BMI operations
 * are 32 or 64 bits wide (VEX.W); operand descriptors follow the decoder rows in
 * {@code GpRows}, in SDM order.
 */
final class Bmi {
    private Bmi() {}

    /** ANDN r, vvvv, r/m: ~vvvv & r/m. SF ZF from the result, CF = OF = 0. */
    static void andn(CpuCore c, Insn i) {
        int size = i.size();
        long res = ~c.reg(i.o1(), size) & c.read(i, i.o2(), size);
        c.setReg(i.o0(), size, res);
        c.setCc(Flags.BMILG, size, res, 0);
    }

    /**
     * BEXTR r, r/m, vvvv: extracts {@code len = vvvv[15:8]} bits starting at
     * {@code start = vvvv[7:0]}; bits past the operand read as 0. ZF from the result, CF = OF = 0.
     */
    static void bextr(CpuCore c, Insn i) {
        int size = i.size();
        int bits = 8 * size;
        long src = c.read(i, i.o1(), size);
        long ctl = c.reg(i.o2(), size);
        int start = (int) ctl & 0xFF, len = (int) (ctl >>> 8) & 0xFF;
        long res = start >= bits ? 0 : src >>> start;
        if (len < 64) res &= (1L << len) - 1;
        c.setReg(i.o0(), size, res);
        c.setCc(Flags.BMILG, size, res, 0);
    }

    static final int BLSI = 0, BLSMSK = 1, BLSR = 2;

    /**
     * BLSI (lowest set bit), BLSMSK (mask up to it), BLSR (reset it); the destination is
     * VEX.vvvv. CF = (source != 0) for BLSI, (source == 0) for the others; ZF SF from the result;
     * OF = 0.
     */
    static void blsx(CpuCore c, Insn i, int kind) {
        int size = i.size();
        long src = c.read(i, i.o1(), size);
        long res = switch (kind) {
            case BLSI -> -src & src;
            case BLSMSK -> (src - 1) ^ src;
            default -> (src - 1) & src;
        } & Flags.mask(size);
        c.setReg(i.o0(), size, res);
        long cf = (kind == BLSI) == (src != 0) ? 1 : 0;
        c.setCc(Flags.BMILG, size, res, cf);
    }

    /** BZHI r, r/m, vvvv: clears the bits from index vvvv[7:0] up; CF = (index > width - 1). */
    static void bzhi(CpuCore c, Insn i) {
        int size = i.size();
        int bits = 8 * size;
        long src = c.read(i, i.o1(), size);
        int n = (int) c.reg(i.o2(), size) & 0xFF;
        long res = n < bits ? src & ((1L << n) - 1) : src;
        c.setReg(i.o0(), size, res);
        c.setCc(Flags.BMILG, size, res, n > bits - 1 ? 1 : 0);
    }

    /** PDEP r, vvvv, r/m: deposits the low bits of vvvv at the set bits of r/m. No flags. */
    static void pdep(CpuCore c, Insn i) {
        int size = i.size();
        long v = Long.expand(c.reg(i.o1(), size), c.read(i, i.o2(), size));
        c.setReg(i.o0(), size, v);
    }

    /** PEXT r, vvvv, r/m: gathers the bits of vvvv selected by r/m into the low bits. No flags. */
    static void pext(CpuCore c, Insn i) {
        int size = i.size();
        long v = Long.compress(c.reg(i.o1(), size), c.read(i, i.o2(), size));
        c.setReg(i.o0(), size, v);
    }

    /** RORX r, r/m, imm8: rotate right by imm8 modulo the width. No flags. */
    static void rorx(CpuCore c, Insn i) {
        int size = i.size();
        long v = c.read(i, i.o1(), size);
        int n = (int) i.imm() & (size == 8 ? 63 : 31);
        long res = size == 8 ? Long.rotateRight(v, n) : Integer.rotateRight((int) v, n) & 0xFFFF_FFFFL;
        c.setReg(i.o0(), size, res);
    }

    static final int SHLX = 0, SHRX = 1, SARX = 2;

    /** SHLX/SHRX/SARX r, r/m, vvvv: shift by vvvv modulo the width. No flags. */
    static void shiftx(CpuCore c, Insn i, int kind) {
        int size = i.size();
        long v = c.read(i, i.o1(), size);
        int n = (int) c.reg(i.o2(), size) & (size == 8 ? 63 : 31);
        long res = switch (kind) {
            case SHLX -> v << n;
            case SHRX -> v >>> n;
            default -> MulDiv.signed(v, size) >> n;
        };
        c.setReg(i.o0(), size, res & Flags.mask(size));
    }

    /**
     * MULX hi, lo, r/m: unsigned rDX * r/m; the high half to ModRM.reg, the low half to vvvv.
     * When both name the same register it receives the high half (written last). No flags.
     */
    static void mulx(CpuCore c, Insn i) {
        int size = i.size();
        long src = c.read(i, i.o2(), size);
        long a = c.reg(2, size);
        long lo, hi;
        if (size == 8) {
            lo = a * src;
            hi = Math.unsignedMultiplyHigh(a, src);
        } else {
            long p = a * src;
            lo = p & 0xFFFF_FFFFL;
            hi = p >>> 32;
        }
        c.setReg(i.o1(), size, lo);
        c.setReg(i.o0(), size, hi);
    }

    /**
     * ADCX (CF) / ADOX (OF): r = r + r/m + flag, unsigned; the carry out goes to that flag
     * alone, every other flag unchanged, so two carry chains can interleave.
     */
    static void adcox(CpuCore c, Insn i, boolean overflowFlag) {
        int size = i.size();
        long src = c.read(i, i.o1(), size);
        long dst = c.reg(i.o0(), size);
        long flag = overflowFlag ? Flags.OF : Flags.CF;
        long in = (overflowFlag ? Flags.overflow(c) : Flags.carry(c)) ? 1 : 0;
        long res, out;
        if (size == 8) {
            res = dst + src + in;
            out = Long.compareUnsigned(res, dst) < 0 || in != 0 && res == dst ? 1 : 0;
        } else {
            long sum = dst + src + in;
            res = sum & 0xFFFF_FFFFL;
            out = sum >>> 32;
        }
        c.setReg(i.o0(), size, res);
        Flags.update(c, flag, out != 0 ? flag : 0);
    }

    /** CRC-32C (Castagnoli), reflected polynomial 0x82F63B78, without pre- or post-inversion. */
    private static final int[] CRC32C = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int crc = n;
            for (int k = 0; k < 8; k++) crc = (crc >>> 1) ^ ((crc & 1) != 0 ? 0x82F6_3B78 : 0);
            CRC32C[n] = crc;
        }
    }

    /**
     * CRC32 r32/r64, r/m8/16/32/64: accumulates the source's bytes (lowest first) into the
     * low 32 bits of the destination; the result is zero-extended. No flags (SDM Vol. 2A CRC32).
     */
    static void crc32(CpuCore c, Insn i) {
        int ssize = i.ssize();
        long src = c.read(i, i.o1(), ssize);
        int crc = (int) c.r[i.o0()];
        for (int k = 0; k < ssize; k++) {
            crc = (crc >>> 8) ^ CRC32C[(crc ^ (int) (src >>> (8 * k))) & 0xFF];
        }
        c.r[i.o0()] = crc & 0xFFFF_FFFFL;
    }
}
