package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/**
 * Operand access shared by the SSE and MMX handlers. An XMM operand descriptor {@code XMM + n}
 * names {@code c.xmm[2n]} (bits 63:0) and {@code c.xmm[2n+1]} (bits 127:64); an MMX descriptor
 * {@code MMX + n} names {@code c.mmx.get(n)}.
 * <p>
 * 128-bit sources are read as {@code a = addr(c, i, aligned)} then {@code lo(c, i, a)} and
 * {@code hi(c, i, a)}: both halves are loaded before anything is written, so a fault leaves the
 * state untouched. Legacy SSE instructions with a 16-byte memory operand raise #GP(0) when it is
 * not 16-byte aligned, unless the SDM says otherwise (MOVUPS, MOVDQU, LDDQU, PCMPxSTRx, ...; SDM
 * Vol. 1 §11.4.1 and Vol. 2 per instruction).
 */
final class Sse {
    private Sse() {}

    /** Index in {@code c.xmm} of the low quadword of XMM operand {@code d}. */
    static int x(int d) { return (d - Insn.XMM) << 1; }

    /** MMX register number of MMX operand {@code d}. */
    static int mm(int d) { return d - Insn.MMX; }

    static boolean isMmx(int d) { return d >= Insn.MMX; }

    static boolean isXmm(int d) { return d >= Insn.XMM && d < Insn.XMM + 16; }

    /** The effective address of a 16-byte memory operand, checking alignment when required. */
    static long ea(CpuCore c, Insn i, boolean aligned) {
        long a = c.ea(i);
        if (aligned && (a & 15) != 0) throw GuestFault.generalProtection();
        return a;
    }

    /** The address of operand 1 if it is memory (alignment checked), else 0. */
    static long addr(CpuCore c, Insn i, boolean aligned) {
        return i.o1() == Insn.MEM ? ea(c, i, aligned) : 0;
    }

    /** Bits 63:0 of the 128-bit operand 1 ({@code a} from {@link #addr}). */
    static long lo(CpuCore c, Insn i, long a) {
        int s = i.o1();
        return s == Insn.MEM ? c.mmu.read64(a) : c.xmm[x(s)];
    }

    /** Bits 127:64 of the 128-bit operand 1. */
    static long hi(CpuCore c, Insn i, long a) {
        int s = i.o1();
        return s == Insn.MEM ? c.mmu.read64(a + 8) : c.xmm[x(s) + 1];
    }

    /** Operand 1 as a 64-bit MMX source (mm or m64). */
    static long mmxSrc(CpuCore c, Insn i) {
        int s = i.o1();
        return s == Insn.MEM ? c.mmu.read64(c.ea(i)) : c.mmx.get(mm(s));
    }

    /** The low {@code size} bytes of operand {@code d} (XMM register or memory), zero-extended. */
    static long low(CpuCore c, Insn i, int d, int size) {
        if (d == Insn.MEM) return c.load(c.ea(i), size);
        long v = c.xmm[x(d)];
        return size == 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    /** Writes a whole XMM register. */
    static void set(CpuCore c, int d, long lo, long hi) {
        int k = x(d);
        c.xmm[k] = lo;
        c.xmm[k + 1] = hi;
    }

    /** Writes an MMX register, after the x87-to-MMX transition. */
    static void setMmx(CpuCore c, int d, long v) {
        MmxRegisters m = c.mmx;
        m.enter();
        m.set(mm(d), v);
    }

    /** The immediate byte, zero-extended. */
    static int imm8(Insn i) { return (int) i.imm() & 0xFF; }
}
