package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/**
 * Bit tests and scans: BT, BTS, BTR, BTC, BSF, BSR, POPCNT, LZCNT, TZCNT, BSWAP (SDM Vol. 2A
 * and 2B per mnemonic).
 */
final class Bits {
    private Bits() {}

    static final int BT = 0, BTS = 1, BTR = 2, BTC = 3;

    /**
     * BT/BTS/BTR/BTC: CF = the selected bit, which BTS/BTR/BTC then set, clear or flip. ZF is
     * unchanged; OF SF AF PF are undefined (Nexa leaves them unchanged).
     * <p>
     * The offset is taken modulo the operand width for a register bit base and for an
     * immediate offset. A register offset with a memory bit base is a signed integer of the
     * operand size that may reach outside the operand: the operand-sized unit at
     * {@code EA + size * floor(offset / width)} is accessed (SDM Vol. 2A BT, "Bit(BitBase,
     * BitOffset)" and the note on operand-sized accesses).
     */
    static void bt(CpuCore c, Insn i, int kind) {
        int size = i.size();
        int bits = 8 * size;
        long offset = c.read(i, i.o1(), size);
        boolean mem = i.o0() == Insn.MEM;
        long addr = 0;
        if (mem) {
            addr = c.ea(i);
            if (i.o1() != Insn.IMM) {
                long unit = MulDiv.signed(offset, size) >> Integer.numberOfTrailingZeros(bits);
                addr += unit * size;
                if (i.asize() == 4) addr &= 0xFFFF_FFFFL;
            }
        }
        long dst = mem ? c.load(addr, size) : c.reg(i.o0(), size);
        long bit = 1L << (offset & (bits - 1));
        long cf = (dst & bit) != 0 ? Flags.CF : 0;
        if (kind != BT) {
            long res = switch (kind) {
                case BTS -> dst | bit;
                case BTR -> dst & ~bit;
                default -> dst ^ bit;
            };
            if (mem) c.store(addr, size, res);
            else c.setReg(i.o0(), size, res);
        }
        Flags.update(c, Flags.CF, cf);
    }

    /**
     * BSF/BSR: the index of the lowest/highest set bit. A zero source sets ZF and leaves the
     * destination unchanged, upper half included (AMD documents this; Intel hardware does the
     * same). CF OF SF AF PF are undefined (Nexa clears them, as POPCNT does).
     */
    static void bitScan(CpuCore c, Insn i, boolean reverse) {
        int size = i.size();
        long src = c.read(i, i.o1(), size);
        if (src != 0) {
            long index = reverse ? 63 - Long.numberOfLeadingZeros(src) : Long.numberOfTrailingZeros(src);
            c.setReg(i.o0(), size, index);
        }
        c.setCc(Flags.POPCNT, size, src == 0 ? 0 : 1, src);
    }

    /** POPCNT: ZF = (source == 0); CF OF SF AF PF cleared. */
    static void popcnt(CpuCore c, Insn i) {
        int size = i.size();
        long src = c.read(i, i.o1(), size);
        long res = Long.bitCount(src);
        c.setReg(i.o0(), size, res);
        c.setCc(Flags.POPCNT, size, res, src);
    }

    /** LZCNT/TZCNT: the count of leading/trailing zeros (the width for 0); CF = (source == 0), ZF = (result == 0). */
    static void zeroCount(CpuCore c, Insn i, boolean leading) {
        int size = i.size();
        int bits = 8 * size;
        long src = c.read(i, i.o1(), size);
        long res;
        if (src == 0) res = bits;
        else if (leading) res = Long.numberOfLeadingZeros(src) - (64 - bits);
        else res = Long.numberOfTrailingZeros(src);
        c.setReg(i.o0(), size, res);
        c.setCc(Flags.BMILG, size, res, src == 0 ? 1 : 0);
    }

    /** BSWAP r32/r64 (the 16-bit form is undefined and decodes as the 32-bit one). */
    static void bswap(CpuCore c, Insn i) {
        int d = i.o0();
        if (i.size() == 8) c.r[d] = Long.reverseBytes(c.r[d]);
        else c.r[d] = Integer.reverseBytes((int) c.r[d]) & 0xFFFF_FFFFL;
    }

    /** MOVBE: a load or a store with the bytes reversed (16, 32, 64 bits; no flags). */
    static void movbe(CpuCore c, Insn i) {
        int size = i.size();
        long v = c.read(i, i.o1(), size);
        long r = switch (size) {
            case 2 -> Short.reverseBytes((short) v) & 0xFFFF;
            case 4 -> Integer.reverseBytes((int) v) & 0xFFFF_FFFFL;
            default -> Long.reverseBytes(v);
        };
        c.write(i, i.o0(), size, r);
    }
}
