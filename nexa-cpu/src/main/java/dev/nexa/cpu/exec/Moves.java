package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/**
 * Data movement that changes no flags: MOV, MOVZX, MOVSX(D), LEA, XCHG, CMOVcc, SETcc, CBW, CWD,
 * XLAT, MOV from a segment register; and LAHF/SAHF.
 */
final class Moves {
    private Moves() {}

    static void mov(CpuCore c, Insn i) {
        c.write(i, i.o0(), i.size(), c.read(i, i.o1(), i.size()));
    }

    static void movzx(CpuCore c, Insn i) {
        c.setReg(i.o0(), i.size(), c.read(i, i.o1(), i.ssize()));
    }

    static void movsx(CpuCore c, Insn i) {
        int shift = 64 - 8 * i.ssize();
        c.setReg(i.o0(), i.size(), c.read(i, i.o1(), i.ssize()) << shift >> shift);
    }

    static void lea(CpuCore c, Insn i) {
        c.setReg(i.o0(), i.size(), c.ea(i) - segmentBase(c, i));
    }

    /** LEA computes the offset only: a segment prefix does not add its base. */
    private static long segmentBase(CpuCore c, Insn i) {
        return switch (i.seg()) {
            case Insn.SEG_FS -> c.fsBase;
            case Insn.SEG_GS -> c.gsBase;
            default -> 0;
        };
    }

    /**
     * CMOVcc: the source is read (and may fault) whatever the condition; a 32-bit CMOV
     * zero-extends the destination even when the condition is false (SDM Vol. 2A CMOVcc).
     */
    static void cmov(CpuCore c, Insn i) {
        long v = c.read(i, i.o1(), i.size());
        if (Flags.cond(c, i.cond())) c.setReg(i.o0(), i.size(), v);
        else if (i.size() == 4) c.setReg(i.o0(), 4, c.reg(i.o0(), 4));
    }

    static void setcc(CpuCore c, Insn i) {
        c.write(i, i.o0(), 1, Flags.cond(c, i.cond()) ? 1 : 0);
    }

    /** CBW/CWDE/CDQE: sign-extend the low half of rAX into rAX. */
    static void cbw(CpuCore c, Insn i) {
        int size = i.size();
        int shift = 64 - 4 * size;
        c.setReg(0, size, c.r[0] << shift >> shift);
    }

    /** CWD/CDQ/CQO: rDX = the sign of rAX, replicated. */
    static void cwd(CpuCore c, Insn i) {
        int size = i.size();
        int shift = 64 - 8 * size;
        c.setReg(2, size, (c.r[0] << shift >> shift) >> 63);
    }

    /** XCHG (with memory, implicitly locked). The store goes first so a fault changes nothing. */
    static void xchg(CpuCore c, Insn i) {
        int size = i.size();
        long a = c.read(i, i.o0(), size);
        long b = c.read(i, i.o1(), size);
        c.write(i, i.o0(), size, b);
        c.write(i, i.o1(), size, a);
    }

    /**
     * NOP: 90 (with REX.B a real XCHG r8, rAX: the only NOP row with rAX as second operand)
     * and the hint NOPs 0F 19-1F, whose r/m operand is never accessed.
     */
    static void nop(CpuCore c, Insn i) {
        if (i.o1() == 0 && i.o0() != 0) xchg(c, i);
    }

    /** LAHF: AH = SF:ZF:0:AF:0:PF:1:CF. */
    static void lahf(CpuCore c) {
        long f = c.rflags() & 0xFF;
        c.setReg(Insn.AH, 1, (f & 0xD5) | 2);
    }

    /** SAHF: SF ZF AF PF CF from AH; OF unchanged. */
    static void sahf(CpuCore c) {
        long f = c.rflags();
        long ah = (c.r[0] >>> 8) & 0xD5;
        c.setRflags((f & ~0xD5L) | ah);
    }

    /** XLAT: AL = [seg:rBX + AL] (the address size picks RBX or EBX; FS/GS overrides apply). */
    static void xlat(CpuCore c, Insn i) {
        long a = c.r[3] + (c.r[0] & 0xFF);
        if (i.asize() == 4) a &= 0xFFFF_FFFFL;
        if (i.seg() != Insn.SEG_NONE) a += i.seg() == Insn.SEG_FS ? c.fsBase : c.gsBase;
        c.setReg(0, 1, c.load(a, 1));
    }

    /**
     * The selectors a 64-bit Linux process sees, in ModRM.reg order ES CS SS DS FS GS
     * (arch/x86/include/asm/segment.h: __USER_CS = 0x33, __USER_DS = 0x2b; the data segment
     * registers hold the null selector; FS/GS bases are set through their MSRs, not selectors).
     */
    private static final int[] SELECTORS = {0, 0x33, 0x2B, 0, 0, 0};

    /**
     * MOV r/m, Sreg (8C): a register destination gets the selector zero-extended to the
     * operand size; a memory destination always receives 16 bits (SDM Vol. 2B MOV). Reg
     * fields 6 and 7 name no segment register: #UD.
     */
    static void movFromSegment(CpuCore c, Insn i) {
        int sreg = i.o1() & 7;                   // REX.R does not extend Sreg
        if (sreg > 5) throw GuestFault.invalidOpcode();
        long v = SELECTORS[sreg];
        if (i.o0() == Insn.MEM) c.store(c.ea(i), 2, v);
        else c.setReg(i.o0(), i.size() == 2 ? 2 : 8, v);
    }
}
