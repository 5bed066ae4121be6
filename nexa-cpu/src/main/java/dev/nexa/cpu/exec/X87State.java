package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.fpu.Ext80;
import dev.nexa.mem.MemoryFault;
import dev.nexa.mem.Mmu;

/**
 * The x87 register stack and status bookkeeping every x87 handler shares (SDM Vol. 1 §8.1-8.5):
 * ST(i) addressing, push/pop and the abridged tags, stack faults, merging an operation's flags
 * into FSW, the pending-#MF check, the last instruction/data pointers, the full tag word and
 * FNINIT.
 *
 * <p>Reference: the host CPU (AMD Zen), through the oracle properties in the x87 test package,
 * which compare every x87 row bit for bit, unmasked exceptions included. Where the SDM is silent,
 * says "undefined" or differs, the host's behaviour is the one implemented:
 * <ul>
 *   <li>condition codes the SDM calls undefined are left unchanged; FCOMI/FUCOMI and FCMOVcc
 *       leave C1 unchanged (the SDM: cleared/undefined), FFREE clears it;</li>
 *   <li>ES and B are not stored but derived from the flags and the masks whenever FSW is read,
 *       so FLDCW can make an exception pending and FNSTENV (which masks all) clears ES;</li>
 *   <li>FLD ST(i) reports an empty source before a full stack; FXTRACT/FPTAN/FSINCOS report an
 *       empty ST(0) as underflow; FPREM/FPREM1/FSIN/FCOS clear C2 on a stack fault;</li>
 *   <li>FSTP1 (D9 D8+i) with an empty ST(0) just pops; the other FSTP aliases underflow;</li>
 *   <li>FLD m32fp/m64fp pushes a denormal even with DE unmasked; a memory operand's DE gives way
 *       to the operation's IE or ZE and to a NaN in the register operand;</li>
 *   <li>FCOMI sets RFLAGS even when IE or DE is unmasked; a store suppressed by an unmasked
 *       overflow or underflow reports neither PE nor C1;</li>
 *   <li>FNSTENV stores FCS (0x33 once an x87 instruction ran, 0 after FNINIT or FXRSTOR64) and
 *       FDS (0), with 0xFFFF in the padding; EMMS also sets TOP to 0.</li>
 * </ul>
 * Known deviation: FIP/FOP/FDP are updated before an instruction's memory access, so an
 * instruction that takes a page fault has already become the "last x87 instruction".
 */
final class X87State {
    private X87State() {}

    static final int IE = 0x0001, DE = 0x0002, ZE = 0x0004, OE = 0x0008, UE = 0x0010, PE = 0x0020;
    static final int SF = 0x0040, ES = 0x0080, C0 = 0x0100, C1 = 0x0200, C2 = 0x0400, C3 = 0x4000, B = 0x8000;
    /** Sticky bits: the six exception flags and SF. */
    static final int STICKY = 0x7F;
    static final int CC = C0 | C1 | C2 | C3;
    /** fpuOp value meaning "read the opcode from the instruction bytes at fpuIp when needed". */
    static final int FOP_FROM_CODE = -1;
    /** CS of 64-bit user code under Linux (__USER_CS), what FSTENV stores as FCS. */
    static final int USER_CS = 0x33;

    // ---- stack ---------------------------------------------------------------------------------

    static Ext80 st(CpuCore c, int i) { return c.fpr[(c.fpuTop + i) & 7]; }

    static boolean empty(CpuCore c, int i) { return (c.fpuValid >>> ((c.fpuTop + i) & 7) & 1) == 0; }

    /** i of an ST(i) operand descriptor. */
    static int sti(int descriptor) { return descriptor - Insn.ST; }

    static void push(CpuCore c) {
        int top = (c.fpuTop - 1) & 7;
        c.fpuTop = top;
        c.fpuValid |= 1 << top;
    }

    static void pop(CpuCore c) {
        c.fpuValid &= ~(1 << c.fpuTop);
        c.fpuTop = (c.fpuTop + 1) & 7;
    }

    static void setValid(CpuCore c, int i) { c.fpuValid |= 1 << ((c.fpuTop + i) & 7); }

    /** The masked response to a stack fault: ST(i) = the real indefinite, tagged valid. */
    static void indefinite(CpuCore c, int i) {
        st(c, i).setIndefinite();
        setValid(c, i);
    }

    static void setEmpty(CpuCore c, int i) { c.fpuValid &= ~(1 << ((c.fpuTop + i) & 7)); }

    /** Whether a push would overwrite a non-empty register (ST(7) before the push). */
    static boolean full(CpuCore c) { return !empty(c, 7); }

    // ---- instruction prologue ----------------------------------------------------------------

    /**
     * Start of a waiting, non-control x87 instruction: #MF if an unmasked exception is pending
     * (SDM Vol. 1 §8.6), then record it as the last x87 instruction (FIP, FCS, FOP; §8.1.8).
     */
    static void begin(CpuCore c, Insn i) {
        if (pending(c)) throw GuestFault.x87Error();
        c.fpuIp = c.rip - i.len();
        c.fpuCs = USER_CS;
        c.fpuOp = FOP_FROM_CODE;
    }

    /** A waiting control instruction (FLDCW, FLDENV, FRSTOR, FWAIT): checks, updates no pointer. */
    static void checkPending(CpuCore c) {
        if (pending(c)) throw GuestFault.x87Error();
    }

    /** An unmasked exception is pending: a set exception flag whose mask bit is clear (FSW.ES). */
    static boolean pending(CpuCore c) {
        return (c.fsw & ~c.fcw & 0x3F) != 0;
    }

    /** The memory operand's address, recorded as the last data pointer (FDP). */
    static long operand(CpuCore c, Insn i) {
        long ea = c.ea(i);
        c.fpuDp = ea;
        c.fpuDs = 0;                        // DS of 64-bit Linux user code
        return ea;
    }

    /** Size in bytes of the instruction's memory operand (operand 0 or 1). */
    static int memSize(Insn i) { return i.o0() == Insn.MEM ? i.size() : i.ssize(); }

    /** Proves a multi-store range writable before anything is stored (handler rule 1). */
    static void probeWrite(CpuCore c, long ea, int len) {
        c.mmu.translate(ea, Mmu.WRITE);
        c.mmu.translate(ea + len - 1, Mmu.WRITE);
    }

    // ---- status ------------------------------------------------------------------------------

    /**
     * Merges an operation's result: the exception bits (and SF) are sticky, the condition codes
     * in {@code ccMask} are replaced by those in {@code flags}. An exception the control word
     * leaves unmasked is then pending (ES, #MF at the next waiting instruction). Returns true
     * when an unmasked pre-computation exception (IE, DE, ZE) means the destination and the
     * stack must stay as they are (SDM Vol. 1 §8.5).
     */
    static boolean record(CpuCore c, int flags, int ccMask) {
        c.fsw = (c.fsw | (flags & STICKY)) & ~ccMask | (flags & ccMask);
        return (flags & ~c.fcw & (IE | DE | ZE)) != 0;
    }

    /**
     * For a store to memory: any unmasked exception but PE stores nothing and does not pop
     * (SDM Vol. 1 §4.9.2, §8.5.4-5).
     */
    static boolean recordStore(CpuCore c, int flags) {
        record(c, flags, C1);
        return (flags & ~c.fcw & (IE | DE | ZE | OE | UE)) != 0;
    }

    /**
     * Stack underflow (SDM Vol. 1 §8.5.1.1): IE and SF with C1 = 0. Returns true when IE is
     * masked, i.e. the caller delivers the real indefinite as the result.
     */
    static boolean underflow(CpuCore c) { return !record(c, IE | SF, C1); }

    /** Stack overflow: IE, SF and C1 = 1; true when masked (push the real indefinite). */
    static boolean overflow(CpuCore c) { return !record(c, IE | SF | C1, C1); }

    /** Loads a status word: TOP apart; ES and B are derived from the flags and FCW. */
    static void setStatus(CpuCore c, int status) {
        c.fsw = status & ~(0x3800 | ES | B);
        c.fpuTop = status >> 11 & 7;
    }

    // ---- whole-state helpers -----------------------------------------------------------------

    static void init(CpuCore c) {
        c.fcw = 0x037F;
        c.fsw = 0;
        c.fpuTop = 0;
        c.fpuValid = 0;
        c.fpuIp = 0;
        c.fpuDp = 0;
        c.fpuCs = 0;
        c.fpuDs = 0;
        c.fpuOp = 0;
    }

    /**
     * The 2-bit tag of every physical register as FSTENV/FSAVE store it (SDM Vol. 1 §8.1.7):
     * 00 valid, 01 zero, 10 special (NaN, infinity, denormal, pseudo-denormal, unsupported),
     * 11 empty; computed from the contents as the hardware does.
     */
    static int fullTagWord(CpuCore c) {
        int tags = 0;
        for (int r = 0; r < 8; r++) {
            int tag;
            if ((c.fpuValid >>> r & 1) == 0) {
                tag = 3;
            } else {
                int e = c.fpr[r].exponent();
                long m = c.fpr[r].significand();
                if (e == 0 && m == 0) tag = 1;
                else if (e == 0x7FFF || e == 0 || m >= 0) tag = 2;
                else tag = 0;
            }
            tags |= tag << 2 * r;
        }
        return tags;
    }

    /** Loads a full tag word: only empty (11) versus not empty counts (FLDENV, FRSTOR). */
    static void setFullTagWord(CpuCore c, int tags) {
        int valid = 0;
        for (int r = 0; r < 8; r++) if ((tags >>> 2 * r & 3) != 3) valid |= 1 << r;
        c.fpuValid = valid;
    }

    /**
     * FOP (SDM Vol. 1 §8.1.9): the low 3 bits of the escape byte and the ModRM byte of the last
     * non-control instruction. Read back from the instruction bytes at FIP only when a state save
     * needs it; 0 if they are no longer mapped.
     */
    static int fop(CpuCore c) {
        if (c.fpuOp != FOP_FROM_CODE) return c.fpuOp;
        long a = c.fpuIp;
        try {
            for (int k = 0; k < 14; k++) {
                int b = c.mmu.fetch8(a + k) & 0xFF;
                if (b >= 0xD8 && b <= 0xDF) return (b & 7) << 8 | (c.mmu.fetch8(a + k + 1) & 0xFF);
            }
        } catch (MemoryFault unmapped) {
            // the code is gone: report 0 as after FNINIT
        }
        return 0;
    }
}
