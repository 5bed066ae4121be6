package dev.nexa.kernel.signal;

import dev.nexa.cpu.Cpu;
import dev.nexa.cpu.Reg;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.mm.UserMemory;
import dev.nexa.kernel.proc.SignalAction;
import dev.nexa.kernel.proc.Task;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The x86-64 rt_sigframe, built and taken apart exactly as arch/x86/kernel/signal.c
 * (get_sigframe) and signal_64.c (x64_setup_rt_frame, rt_sigreturn) do it:
 * <pre>
 *   frame+0    pretcode      sa_restorer: the handler's return address
 *   frame+8    struct ucontext (304 bytes)
 *                +0   uc_flags    UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS (no XSAVE: no UC_FP_XSTATE)
 *                +8   uc_link     0
 *                +16  uc_stack    ss_sp, ss_flags (int + pad), ss_size
 *                +40  uc_mcontext struct sigcontext: r8..r15, rdi, rsi, rbp, rbx, rdx, rax, rcx,
 *                                 rsp, rip, eflags, cs/gs/fs/ss (u16 each), err, trapno, oldmask,
 *                                 cr2, fpstate pointer, 8 reserved words (256 bytes)
 *                +296 uc_sigmask  the mask to restore
 *   frame+312  siginfo (128 bytes; written only with SA_SIGINFO)
 *   ...        padding
 *   fpstate    512-byte FXSAVE image, 64-byte aligned, just below the red zone or the top of
 *              the alternate stack
 * </pre>
 * The frame starts 8 bytes below a 16-byte boundary, so the handler is entered as if called:
 * RSP+8 is 16-byte aligned. RDI = signal, RSI = &info, RDX = &uc, RAX = 0.
 */
public final class SigFrame {
    static final int UC = 8, UC_STACK = UC + 16, MCONTEXT = UC + 40, SIGMASK = UC + 296, INFO = UC + 304;
    public static final int FRAME_SIZE = INFO + SigInfo.SIZE;     // sizeof(struct rt_sigframe) = 440
    static final int RED_ZONE = 128;
    static final long UC_FP_XSTATE = 1, UC_SIGCONTEXT_SS = 2, UC_STRICT_RESTORE_SS = 4;
    static final int USER_CS = 0x33, USER_DS = 0x2b;
    /** The flags sigreturn may change (arch/x86/include/asm/sighandling.h FIX_EFLAGS). */
    static final long FIX_EFLAGS = 0x40000 | 0x800 | 0x400 | 0x100 | 0x80 | 0x40 | 0x10 | 0x4 | 0x1 | 0x10000;
    static final long EFLAGS_DF = 0x400, EFLAGS_TF = 0x100, EFLAGS_RF = 0x10000;
    /** Order of the general registers in struct sigcontext_64, as Reg numbers. */
    static final int[] GREGS = {Reg.R8, Reg.R9, Reg.R10, Reg.R11, Reg.R12, Reg.R13, Reg.R14, Reg.R15, Reg.RDI,
            Reg.RSI, Reg.RBP, Reg.RBX, Reg.RDX, Reg.RAX, Reg.RCX, Reg.RSP};
    static final int SC_RIP = 16 * 8, SC_EFLAGS = SC_RIP + 8, SC_CS = SC_EFLAGS + 8, SC_ERR = SC_CS + 8,
            SC_TRAPNO = SC_ERR + 8, SC_OLDMASK = SC_TRAPNO + 8, SC_CR2 = SC_OLDMASK + 8, SC_FPSTATE = SC_CR2 + 8;

    private SigFrame() {}

    /** sigaltstack's sas_ss_flags(sp): SS_DISABLE, SS_ONSTACK or 0 (include/linux/sched/signal.h). */
    public static int sasSsFlags(Task t, long sp) {
        if (t.altStackSize == 0) return Task.SS_DISABLE;
        return onSigStack(t, sp) ? Task.SS_ONSTACK : 0;
    }

    /** on_sig_stack: with SS_AUTODISARM a task is never considered on its alternate stack. */
    public static boolean onSigStack(Task t, long sp) {
        if ((t.altStackFlags & Task.SS_AUTODISARM) != 0) return false;
        return rawOnSigStack(t, sp);
    }

    private static boolean rawOnSigStack(Task t, long sp) {
        return Long.compareUnsigned(sp, t.altStackSp) > 0 && Long.compareUnsigned(sp - t.altStackSp, t.altStackSize) <= 0;
    }

    /**
     * Builds the frame for a handler and points the CPU at it. Returns false (nothing in the
     * registers changed) when the frame cannot be written: no SA_RESTORER, an overflowing
     * alternate stack, or unwritable memory; the caller then forces SIGSEGV.
     */
    public static boolean setup(Task t, int sig, SigInfo info, SignalAction ka, long oldmask) {
        if (!ka.has(SignalAction.SA_RESTORER)) return false;   // x86-64 should always use SA_RESTORER
        Cpu cpu = t.cpu();
        long rsp = cpu.reg(Reg.RSP);
        boolean nested = onSigStack(t, rsp);
        boolean entering = false;
        long sp = rsp - RED_ZONE;
        if (ka.has(SignalAction.SA_ONSTACK) && sasSsFlags(t, sp) == 0) {
            sp = t.altStackSp + t.altStackSize;
            entering = true;
        }
        long fpstate = (sp - Cpu.FXSAVE_SIZE) & -64L;                 // fpu__alloc_mathframe
        long frame = ((fpstate - FRAME_SIZE) & -16L) - 8;
        if ((nested || entering) && !rawOnSigStack(t, frame)) return false;   // overflowed sigaltstack

        byte[] fx = new byte[Cpu.FXSAVE_SIZE];
        cpu.saveFpuState(fx);
        ByteBuffer b = ByteBuffer.allocate(FRAME_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, ka.restorer());
        b.putLong(UC, UC_SIGCONTEXT_SS | UC_STRICT_RESTORE_SS);
        b.putLong(UC + 8, 0);
        b.putLong(UC_STACK, t.altStackSp);
        b.putInt(UC_STACK + 8, t.altStackFlags);
        b.putLong(UC_STACK + 16, t.altStackSize);
        for (int k = 0; k < GREGS.length; k++) b.putLong(MCONTEXT + 8 * k, cpu.reg(GREGS[k]));
        b.putLong(MCONTEXT + SC_RIP, cpu.rip());
        b.putLong(MCONTEXT + SC_EFLAGS, cpu.rflags());
        b.putShort(MCONTEXT + SC_CS, (short) USER_CS);
        b.putShort(MCONTEXT + SC_CS + 2, (short) 0);                  // gs
        b.putShort(MCONTEXT + SC_CS + 4, (short) 0);                  // fs
        b.putShort(MCONTEXT + SC_CS + 6, (short) USER_DS);            // ss
        b.putLong(MCONTEXT + SC_ERR, t.errorCode);
        b.putLong(MCONTEXT + SC_TRAPNO, t.trapNr);
        b.putLong(MCONTEXT + SC_OLDMASK, oldmask);
        b.putLong(MCONTEXT + SC_CR2, t.cr2);
        b.putLong(MCONTEXT + SC_FPSTATE, fpstate);
        b.putLong(SIGMASK, oldmask);
        boolean withInfo = ka.has(SignalAction.SA_SIGINFO);
        if (withInfo) b.put(INFO, info.bytes());
        UserMemory m = t.memory();
        try {
            m.write(fpstate, fx);
            m.write(frame, b.array(), 0, withInfo ? FRAME_SIZE : INFO);
        } catch (ErrnoException e) {
            return false;
        }
        cpu.setReg(Reg.RDI, sig);
        cpu.setReg(Reg.RAX, 0);
        cpu.setReg(Reg.RSI, frame + INFO);
        cpu.setReg(Reg.RDX, frame + UC);
        cpu.setRip(ka.handler());
        cpu.setReg(Reg.RSP, frame);
        return true;
    }

    /**
     * rt_sigreturn: restores the mask, the alternate stack setting, every register and the FPU
     * state from the frame at RSP-8. Returns false on a bad frame: unreadable (nothing changed),
     * or an FPU image FXRSTOR would refuse (the rest restored); the caller forces SIGSEGV.
     */
    public static boolean restore(Task t) {
        Cpu cpu = t.cpu();
        long frame = cpu.reg(Reg.RSP) - 8;
        UserMemory m = t.memory();
        ByteBuffer b;
        byte[] fx = null;
        try {
            b = ByteBuffer.wrap(m.read(frame, INFO)).order(ByteOrder.LITTLE_ENDIAN);
            long fpstate = b.getLong(MCONTEXT + SC_FPSTATE);
            if (fpstate != 0) fx = m.read(fpstate, Cpu.FXSAVE_SIZE);
        } catch (ErrnoException e) {
            return false;
        }
        t.sigmask = b.getLong(SIGMASK) & ~(Signal.bit(Signal.SIGKILL) | Signal.bit(Signal.SIGSTOP));
        // restore_altstack: do_sigaltstack from the saved stack_t, with the current SP (still
        // the frame's) deciding "on the stack" (EPERM, ignored); only EFAULT would matter.
        setAltStack(t, b.getLong(UC_STACK), b.getInt(UC_STACK + 8), b.getLong(UC_STACK + 16), cpu.reg(Reg.RSP));
        for (int k = 0; k < GREGS.length; k++) cpu.setReg(GREGS[k], b.getLong(MCONTEXT + 8 * k));
        cpu.setRip(b.getLong(MCONTEXT + SC_RIP));
        long flags = b.getLong(MCONTEXT + SC_EFLAGS);
        cpu.setRflags((cpu.rflags() & ~FIX_EFLAGS) | (flags & FIX_EFLAGS));
        // fpu__restore_sig comes last, as in restore_sigcontext: a refused image leaves the
        // general registers restored and the FPU state as it was.
        if (fx == null) {
            cpu.resetFpuState();
            return true;
        }
        return cpu.restoreFpuState(fx);
    }

    /** Errors of do_sigaltstack. */
    public enum AltStackResult { OK, EPERM, EINVAL, ENOMEM }

    /** do_sigaltstack (kernel/signal.c) for a new stack_t; {@code sp} is the caller's stack pointer. */
    public static AltStackResult setAltStack(Task t, long ssSp, int ssFlags, long ssSize, long sp) {
        if (onSigStack(t, sp)) return AltStackResult.EPERM;
        int mode = ssFlags & ~Task.SS_AUTODISARM;
        if (mode != Task.SS_DISABLE && mode != Task.SS_ONSTACK && mode != 0) return AltStackResult.EINVAL;
        if (t.altStackSp == ssSp && t.altStackSize == ssSize && t.altStackFlags == ssFlags) return AltStackResult.OK;
        if (mode == Task.SS_DISABLE) {
            ssSize = 0;
            ssSp = 0;
        } else if (Long.compareUnsigned(ssSize, MINSIGSTKSZ) < 0) {
            return AltStackResult.ENOMEM;
        }
        t.altStackSp = ssSp;
        t.altStackSize = ssSize;
        t.altStackFlags = ssFlags;
        return AltStackResult.OK;
    }

    /** MINSIGSTKSZ on x86 (arch/x86/include/uapi/asm/signal.h). */
    public static final long MINSIGSTKSZ = 2048;
}
