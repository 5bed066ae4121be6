package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.X87State.*;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.decode.Prefix;
import dev.nexa.mem.Mmu;

/**
 * x87 control instructions (SDM Vol. 2A): FNINIT, FNCLEX, FLDCW/FNSTCW, FNSTSW, FNSTENV/FLDENV,
 * FNSAVE/FRSTOR, FINCSTP/FDECSTP, FNOP and FWAIT. The FN... forms do not check for a pending
 * exception; FLDCW, FLDENV, FRSTOR and FWAIT do. None of the control instructions updates the
 * last instruction/data pointers except FINCSTP, FDECSTP and FNOP, which are not control
 * instructions (SDM Vol. 1 §8.1.8, checked against the host).
 */
final class X87Control {
    private X87Control() {}

    /** Bits of FCW that exist; bit 6 reads as 1 (SDM Vol. 1 Figure 8-6: reserved). */
    static int controlWord(int v) { return v & 0x1F3F | 0x40; }

    static void fninit(CpuCore c) { init(c); }

    /** FNCLEX: clears the exception flags, SF, ES and B; C0-C3 and TOP stay. */
    static void fnclex(CpuCore c) { c.fsw &= ~STICKY; }

    /**
     * FLDCW m16. Unmasking an exception whose flag is set makes it pending: the next waiting
     * instruction raises #MF (SDM Vol. 2A FLDCW), although FSW.ES is not set here (host).
     */
    static void fldcw(CpuCore c, Insn i) {
        checkPending(c);
        c.fcw = controlWord((int) c.load(c.ea(i), 2));
    }

    static void fnstcw(CpuCore c, Insn i) { c.store(c.ea(i), 2, c.fcw); }

    static void fnstsw(CpuCore c, Insn i) { c.store(c.ea(i), 2, c.fpuStatus()); }

    static void fnstswAx(CpuCore c) { c.setReg(0, 2, c.fpuStatus()); }

    /** 66 selects the 14/94-byte 16-bit formats; REX.W does not (it overrides 66). */
    private static boolean small(Insn i) { return i.has(Prefix.OPSIZE) && !i.has(Prefix.REX_W); }

    /** FNSTENV: stores the environment, then masks all exceptions (SDM Vol. 2A FSTENV). */
    static void fnstenv(CpuCore c, Insn i) {
        long ea = c.ea(i);
        boolean small = small(i);
        probeWrite(c, ea, small ? 14 : 28);
        storeEnvironment(c, ea, small);
        c.fcw |= 0x3F;
    }

    /** FNSAVE: environment and ST(0)..ST(7), then FNINIT. */
    static void fnsave(CpuCore c, Insn i) {
        long ea = c.ea(i);
        boolean small = small(i);
        int env = small ? 14 : 28;
        probeWrite(c, ea, env + 80);
        storeEnvironment(c, ea, small);
        for (int k = 0; k < 8; k++) {
            var r = st(c, k);
            c.store(ea + env + 10L * k, 8, r.significand());
            c.store(ea + env + 10L * k + 8, 2, r.signExp());
        }
        init(c);
    }

    static void fldenv(CpuCore c, Insn i) {
        checkPending(c);
        long ea = c.ea(i);
        boolean small = small(i);
        probeRead(c, ea, small ? 14 : 28);
        loadEnvironment(c, ea, small);
    }

    static void frstor(CpuCore c, Insn i) {
        checkPending(c);
        long ea = c.ea(i);
        boolean small = small(i);
        int env = small ? 14 : 28;
        probeRead(c, ea, env + 80);
        loadEnvironment(c, ea, small);
        for (int k = 0; k < 8; k++) {
            long m = c.load(ea + env + 10L * k, 8);
            int se = (int) c.load(ea + env + 10L * k + 8, 2);
            st(c, k).set(se, m);
        }
    }

    private static void probeRead(CpuCore c, long ea, int len) {
        c.mmu.translate(ea, Mmu.READ);
        c.mmu.translate(ea + len - 1, Mmu.READ);
    }

    /**
     * The protected-mode environment (SDM Vol. 1 Figures 8-9, 8-10): 32-bit operand size = 28
     * bytes, each 16-bit field padded with 0xFFFF as the host stores it; FIP/FDP as 32-bit
     * offsets, FCS with FOP in bits 16-26, FDS (0 in 64-bit Linux). 16-bit = 14 bytes, no FOP.
     */
    static void storeEnvironment(CpuCore c, long ea, boolean small) {
        int tags = fullTagWord(c);
        if (small) {
            c.store(ea, 2, c.fcw);
            c.store(ea + 2, 2, c.fpuStatus());
            c.store(ea + 4, 2, tags);
            c.store(ea + 6, 2, c.fpuIp);
            c.store(ea + 8, 2, c.fpuCs);
            c.store(ea + 10, 2, c.fpuDp);
            c.store(ea + 12, 2, c.fpuDs);
            return;
        }
        c.store(ea, 4, 0xFFFF_0000L | c.fcw);
        c.store(ea + 4, 4, 0xFFFF_0000L | c.fpuStatus());
        c.store(ea + 8, 4, 0xFFFF_0000L | tags);
        c.store(ea + 12, 4, c.fpuIp);
        c.store(ea + 16, 4, c.fpuCs | (long) fop(c) << 16);
        c.store(ea + 20, 4, c.fpuDp);
        c.store(ea + 24, 4, 0xFFFF_0000L | c.fpuDs);
    }

    /** Loads an environment (after the whole range was proved readable). */
    static void loadEnvironment(CpuCore c, long ea, boolean small) {
        int step = small ? 2 : 4;
        c.fcw = controlWord((int) c.load(ea, 2));
        int status = (int) c.load(ea + step, 2);
        setFullTagWord(c, (int) c.load(ea + 2L * step, 2));
        if (small) {
            c.fpuIp = c.load(ea + 6, 2);
            c.fpuCs = (int) c.load(ea + 8, 2);
            c.fpuDp = c.load(ea + 10, 2);
            c.fpuDs = (int) c.load(ea + 12, 2);
            c.fpuOp = 0;
        } else {
            c.fpuIp = c.load(ea + 12, 4);
            c.fpuCs = (int) c.load(ea + 16, 2);
            c.fpuOp = (int) c.load(ea + 18, 2) & 0x7FF;
            c.fpuDp = c.load(ea + 20, 4);
            c.fpuDs = (int) c.load(ea + 24, 2);
        }
        setStatus(c, status);
    }

    /** FINCSTP/FDECSTP: TOP ± 1, tags unchanged, C1 = 0. */
    static void incdec(CpuCore c, Insn i, int delta) {
        begin(c, i);
        c.fpuTop = (c.fpuTop + delta) & 7;
        record(c, 0, C1);
    }

    static void fnop(CpuCore c, Insn i) { begin(c, i); }

    /** FWAIT: #MF if an unmasked exception is pending (SDM Vol. 2A WAIT/FWAIT). */
    static void fwait(CpuCore c) { checkPending(c); }
}
