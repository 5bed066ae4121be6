package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.mem.Mmu;

/**
 * The architectural state the interpreter works on, and the operand accessors every handler
 * uses. Internal to nexa-cpu (the kernel sees {@link dev.nexa.cpu.Cpu}); fields are public so
 * that handler classes in this package and the JIT can reach them without ceremony.
 * <p>
 * Handler rule (x86 instructions are restartable): perform every access that can fault before
 * changing any register or flag, so that a #PF leaves the state as it was before the
 * instruction (the run loop then restores RIP).
 */
public final class CpuCore {
    public static final int STOP_NONE = 0, STOP_SYSCALL = 1;

    /** RAX..R15, in encoding order. */
    public final long[] r = new long[16];
    /** During execution: the address of the next instruction (what RIP-relative operands use). */
    public long rip;
    /** RFLAGS except the six arithmetic flags, which live in the lazy state below. */
    public long flags = 0x202;
    public int ccOp = Flags.EFLAGS;
    public long ccDst, ccSrc, ccSrc2;
    public long fsBase, gsBase;
    /** XMM0..15 as (low, high) quadword pairs: xmm[2n] = bits 63:0, xmm[2n+1] = bits 127:64. */
    public final long[] xmm = new long[32];
    public int mxcsr = 0x1F80;
    /**
     * MMX registers. They alias the x87 register file (SDM Vol. 1 §9.5): until the x87 state
     * exists this is a stand-in ({@link MmxFile}); the x87 work must replace it with a view of
     * its own physical registers, tag word and TOP.
     */
    public final MmxRegisters mmx = new MmxFile();
    /**
     * SIMD floating-point exception flags (MXCSR bits 0-5) raised so far by the executing SSE
     * instruction; {@link Mxcsr#commit} merges them into {@link #mxcsr} or raises #XM.
     */
    public int simdFlags;
    public final Mmu mmu;
    /** Set by instructions that must return to the kernel (SYSCALL); checked after each block. */
    public int stop;
    /** Instructions retired. */
    public long retired;

    public CpuCore(Mmu mmu) { this.mmu = mmu; }

    // ---- flags -------------------------------------------------------------------------------

    public long rflags() { return (flags & ~Flags.ARITH) | Flags.compute(this) | 2; }

    public void setRflags(long v) {
        flags = (v & ~Flags.ARITH) | 2;
        ccOp = Flags.EFLAGS;
        ccSrc = v & Flags.ARITH;
    }

    /** Records a flag-setting result: {@code kind} is a Flags constant, size in bytes. */
    public void setCc(int kind, int size, long dst, long src) {
        ccOp = kind + Integer.numberOfTrailingZeros(size);
        ccDst = dst;
        ccSrc = src;
    }

    // ---- addressing --------------------------------------------------------------------------

    /** The effective (linear) address of the instruction's memory operand. */
    public long ea(Insn i) {
        long a = i.disp();
        int b = i.base();
        if (b >= 0) a += b == Insn.RIP ? rip : r[b];
        int x = i.index();
        if (x >= 0) a += r[x] << i.scale();
        if (i.asize() == 4) a &= 0xFFFF_FFFFL;
        int s = i.seg();
        if (s != Insn.SEG_NONE) a += s == Insn.SEG_FS ? fsBase : gsBase;
        return a;
    }

    // ---- registers ---------------------------------------------------------------------------

    /** A general register operand (0..15, or 16..19 = AH..BH), zero-extended from {@code size}. */
    public long reg(int d, int size) {
        return switch (size) {
            case 8 -> r[d];
            case 4 -> r[d] & 0xFFFF_FFFFL;
            case 2 -> r[d] & 0xFFFF;
            default -> d < Insn.AH ? r[d] & 0xFF : (r[d - Insn.AH] >>> 8) & 0xFF;
        };
    }

    /** Writes a general register: 32-bit writes zero-extend, 8/16-bit writes merge (SDM Vol. 1 §3.4.1.1). */
    public void setReg(int d, int size, long v) {
        switch (size) {
            case 8 -> r[d] = v;
            case 4 -> r[d] = v & 0xFFFF_FFFFL;
            case 2 -> r[d] = (r[d] & ~0xFFFFL) | (v & 0xFFFF);
            default -> {
                if (d < Insn.AH) r[d] = (r[d] & ~0xFFL) | (v & 0xFF);
                else r[d - Insn.AH] = (r[d - Insn.AH] & ~0xFF00L) | ((v & 0xFF) << 8);
            }
        }
    }

    // ---- memory ------------------------------------------------------------------------------

    /** Loads {@code size} bytes (1, 2, 4, 8), zero-extended. */
    public long load(long va, int size) {
        return switch (size) {
            case 8 -> mmu.read64(va);
            case 4 -> mmu.read32(va) & 0xFFFF_FFFFL;
            case 2 -> mmu.read16(va) & 0xFFFF;
            default -> mmu.read8(va) & 0xFF;
        };
    }

    public void store(long va, int size, long v) {
        switch (size) {
            case 8 -> mmu.write64(va, v);
            case 4 -> mmu.write32(va, (int) v);
            case 2 -> mmu.write16(va, (short) v);
            default -> mmu.write8(va, (byte) v);
        }
    }

    // ---- generic operands --------------------------------------------------------------------

    /** Reads operand descriptor {@code d} (register, memory or immediate), zero-extended. */
    public long read(Insn i, int d, int size) {
        if (d < Insn.MEM) return reg(d, size);
        if (d == Insn.MEM) return load(ea(i), size);
        long v = d == Insn.IMM ? i.imm() : i.imm2();
        return size == 8 ? v : v & ((1L << (size * 8)) - 1);
    }

    /** Writes a register or memory operand. */
    public void write(Insn i, int d, int size, long v) {
        if (d < Insn.MEM) setReg(d, size, v);
        else store(ea(i), size, v);
    }

    // ---- stack -------------------------------------------------------------------------------

    /** Pushes with the store first, so a faulting push leaves RSP unchanged. */
    public void push(long v, int size) {
        long sp = r[4] - size;
        store(sp, size, v);
        r[4] = sp;
    }

    public long pop(int size) {
        long v = load(r[4], size);
        r[4] += size;
        return v;
    }
}
