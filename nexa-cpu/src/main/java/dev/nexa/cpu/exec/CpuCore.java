package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.fpu.Ext80;
import dev.nexa.cpu.fpu.MemoryValue;
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

    /**
     * RAX..R15, in encoding order, then {@link #ZERO}: a slot that is always 0, which specialized
     * uops use for an absent base or index register (see {@link Uop}).
     */
    public final long[] r = new long[17];
    /** The index of the always-zero slot of {@link #r}. */
    public static final int ZERO = 16;
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

    // ---- x87 FPU state (SDM Vol. 1 §8.1); handlers: X87*, FxSave ---------------------------
    /** The physical registers R0..R7 (ST(i) is R[(fpuTop + i) & 7]); also MM0..MM7's significands. */
    public final Ext80[] fpr = new Ext80[8];
    /** FSW.TOP, kept apart from {@link #fsw} so that push and pop are one masked add. */
    public int fpuTop;
    /**
     * The status word except TOP, ES and B (bits 7, 11-13, 15 are always 0 here): the flags, SF,
     * C0-C3. ES and B are derived (see {@link #fpuStatus()}).
     */
    public int fsw;
    /** The control word (FNINIT value 0x037F: all exceptions masked, 64-bit precision, nearest). */
    public int fcw = 0x037F;
    /**
     * The abridged tag word (bit r set = physical register r is not empty). Like the hardware
     * since the Pentium Pro, only empty/non-empty is kept; FSTENV/FSAVE derive the 2-bit tags
     * from the register contents (see {@link X87State#fullTagWord}).
     */
    public int fpuValid;
    /** Last non-control x87 instruction: its RIP, its memory operand's address, CS (0 after FNINIT). */
    public long fpuIp, fpuDp;
    /** The selectors stored with FIP and FDP (FSTENV/FSAVE, 32-bit FXSAVE); 0 after FNINIT. */
    public int fpuCs, fpuDs;
    /** FOP, or {@link X87State#FOP_FROM_CODE}: derive it from the instruction bytes at fpuIp when saved. */
    public int fpuOp;
    /** Scratch values for the x87 handlers, so that they allocate nothing. */
    public final Ext80 ft0 = new Ext80(), ft1 = new Ext80(), ft2 = new Ext80();
    public final MemoryValue fmem = new MemoryValue();
    /** FXSAVE/FXRSTOR staging area (the 512-byte image). */
    public final byte[] fxImage = new byte[512];
    /**
     * MMX registers as the SSE handlers see them: a view of the x87 register file they alias
     * (SDM Vol. 1 §9.5), see {@link #mmx(int)}.
     */
    public final MmxRegisters mmx = new X87Aliased();
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
    /**
     * Set when an instruction of a block throws: its index in the block's uops (see
     * {@link Engine#run}); the run loop turns it into the retired count and the faulting RIP.
     */
    public int faultIndex;

    public CpuCore(Mmu mmu) {
        this.mmu = mmu;
        for (int k = 0; k < 8; k++) fpr[k] = new Ext80();
    }

    // ---- x87 and MMX -------------------------------------------------------------------------

    /**
     * The status word as FNSTSW reports it: TOP included, and ES and B set while an exception
     * flag is unmasked. The host computes ES this way whenever the word is read: FLDCW unmasking
     * a raised flag sets it, FNSTENV (which masks everything) clears it (SDM Vol. 1 §8.1.3.1).
     */
    public int fpuStatus() {
        int s = fsw | fpuTop << 11;
        return (fsw & ~fcw & 0x3F) != 0 ? s | X87State.ES | X87State.B : s;
    }

    /** FNINIT (SDM Vol. 2A FINIT): FCW 0x037F, FSW 0, all tags empty, pointers and FOP 0. */
    public void fninit() { X87State.init(this); }

    /**
     * MMi (SDM Vol. 1 §9.5): the significand of physical register Ri. Every MMX instruction
     * (except EMMS) sets TOP to 0 and all tags valid (§9.5.1), so this read does too. An MMX
     * handler calls {@link #checkFpuPending()} first and reads its memory operand before calling
     * this or {@link #setMmx} (handler rule 1: a page fault must leave TOP and the tags alone).
     */
    public long mmx(int i) {
        fpuTop = 0;
        fpuValid = 0xFF;
        return fpr[i].significand();
    }

    /**
     * Writes MMi (SDM Vol. 1 §9.5.1): the significand of Ri gets {@code v}, its sign/exponent
     * 0xFFFF; TOP becomes 0 and all tags valid.
     */
    public void setMmx(int i, long v) {
        fpr[i].set(0xFFFF, v);
        fpuTop = 0;
        fpuValid = 0xFF;
    }

    /**
     * EMMS (SDM Vol. 2A): all x87 registers empty. TOP also becomes 0: the SDM does not say so,
     * but the reference host (AMD Zen) does it and it is what FNSTENV then reports.
     */
    public void emms() {
        fpuValid = 0;
        fpuTop = 0;
    }

    /**
     * #MF when an unmasked x87 exception is pending (FSW.ES): checked first by every waiting x87
     * instruction, FWAIT, and MMX instructions (SDM Vol. 1 §8.6, §9.5.1).
     */
    public void checkFpuPending() {
        if ((fsw & ~fcw & 0x3F) != 0) throw GuestFault.x87Error();
    }

    /**
     * MMX access for the SSE handlers, on the x87 registers. {@code enter()} is the x87-to-MMX
     * transition every MMX instruction makes before writing (a pending unmasked x87 exception
     * raises #MF first, SDM Vol. 1 §9.5.1); {@code get}/{@code set} then only touch the
     * significands (and the all-ones exponent on a write).
     */
    private final class X87Aliased implements MmxRegisters {
        @Override
        public long get(int i) { return fpr[i].significand(); }

        @Override
        public void set(int i, long value) { fpr[i].set(0xFFFF, value); }

        @Override
        public void enter() {
            checkFpuPending();
            fpuTop = 0;
            fpuValid = 0xFF;
        }

        @Override
        public void emms() {
            checkFpuPending();
            CpuCore.this.emms();
        }
    }

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
