package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/**
 * The two-operand ALU family (ADD OR ADC SBB AND SUB XOR CMP TEST) and the one-operand
 * INC DEC NEG NOT, with exact flags through {@link Flags}' lazy state (SDM Vol. 2 per mnemonic).
 */
final class Alu {
    private Alu() {}

    static final int ADD = 0, OR = 1, ADC = 2, SBB = 3, AND = 4, SUB = 5, XOR = 6, CMP = 7, TEST = 8;

    /** dst = dst (op) src, for register or memory dst; CMP and TEST only set flags. */
    static void binary(CpuCore c, Insn i, int kind) {
        int size = i.size();
        long m = Flags.mask(size);
        long src = c.read(i, i.o1(), size);
        boolean mem = i.o0() == Insn.MEM;
        long addr = mem ? c.ea(i) : 0;
        long dst = mem ? c.load(addr, size) : c.reg(i.o0(), size);
        long carry = 0;
        if (kind == ADC || kind == SBB) carry = Flags.carry(c) ? 1 : 0;
        long res = switch (kind) {
            case ADD -> dst + src;
            case OR -> dst | src;
            case ADC -> dst + src + carry;
            case SBB -> dst - src - carry;
            case AND, TEST -> dst & src;
            case SUB, CMP -> dst - src;
            default -> dst ^ src;
        } & m;
        if (kind != CMP && kind != TEST) {
            if (mem) c.store(addr, size, res);
            else c.setReg(i.o0(), size, res);
        }
        switch (kind) {
            case ADD -> c.setCc(Flags.ADD, size, res, src);
            case ADC -> { c.setCc(Flags.ADC, size, res, src); c.ccSrc2 = carry; }
            case SUB, CMP -> c.setCc(Flags.SUB, size, res, src);
            case SBB -> { c.setCc(Flags.SBB, size, res, src); c.ccSrc2 = carry; }
            default -> c.setCc(Flags.LOGIC, size, res, 0);
        }
    }

    /** INC/DEC keep CF (SDM Vol. 2A INC): the old CF rides along in ccSrc. */
    static void incDec(CpuCore c, Insn i, boolean inc) {
        int size = i.size();
        boolean mem = i.o0() == Insn.MEM;
        long addr = mem ? c.ea(i) : 0;
        long dst = mem ? c.load(addr, size) : c.reg(i.o0(), size);
        long res = (inc ? dst + 1 : dst - 1) & Flags.mask(size);
        long cf = Flags.carry(c) ? Flags.CF : 0;
        if (mem) c.store(addr, size, res);
        else c.setReg(i.o0(), size, res);
        c.setCc(inc ? Flags.INC : Flags.DEC, size, res, cf);
    }

    /** NEG: 0 - dst, flags as SUB with CF = (dst != 0). */
    static void neg(CpuCore c, Insn i) {
        int size = i.size();
        boolean mem = i.o0() == Insn.MEM;
        long addr = mem ? c.ea(i) : 0;
        long dst = mem ? c.load(addr, size) : c.reg(i.o0(), size);
        long res = -dst & Flags.mask(size);
        if (mem) c.store(addr, size, res);
        else c.setReg(i.o0(), size, res);
        // As SUB with src1 = 0, src2 = dst.
        c.setCc(Flags.SUB, size, res, dst);
    }

    /** NOT changes no flags. */
    static void not(CpuCore c, Insn i) {
        int size = i.size();
        boolean mem = i.o0() == Insn.MEM;
        long addr = mem ? c.ea(i) : 0;
        long dst = mem ? c.load(addr, size) : c.reg(i.o0(), size);
        long res = ~dst & Flags.mask(size);
        if (mem) c.store(addr, size, res);
        else c.setReg(i.o0(), size, res);
    }
}
