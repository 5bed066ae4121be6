package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/** SYSCALL, CPUID, time stamps, flag bits, hints and the instructions that trap at CPL 3. */
final class SystemOps {
    private SystemOps() {}

    /** TSC ticks per nanosecond of host time: Nexa's TSC runs at a nominal 3 GHz. */
    private static final long TSC_PER_NS = 3;

    /**
     * SYSCALL (SDM Vol. 2B): RCX = next RIP, R11 = RFLAGS; control goes to the kernel, which
     * returns as SYSRET would (restoring RFLAGS from R11 and RIP from RCX).
     */
    static void syscall(CpuCore c) {
        c.r[1] = c.rip;
        c.r[11] = c.rflags() & ~0x10000L;
        c.stop = CpuCore.STOP_SYSCALL;
    }

    static void rdtsc(CpuCore c) {
        long tsc = System.nanoTime() * TSC_PER_NS;
        c.r[0] = tsc & 0xFFFF_FFFFL;
        c.r[2] = tsc >>> 32;
    }

    /** RDTSCP: RDTSC plus ECX = IA32_TSC_AUX (Linux stores the CPU number there: 0). */
    static void rdtscp(CpuCore c) {
        rdtsc(c);
        c.r[1] = 0;
    }

    static void setCarry(CpuCore c, int how) {
        long f = c.rflags();
        f = switch (how) {
            case 0 -> f & ~Flags.CF;
            case 1 -> f | Flags.CF;
            default -> f ^ Flags.CF;
        };
        c.setRflags(f);
    }

    static void setDirection(CpuCore c, boolean down) {
        if (down) c.flags |= Flags.DF;
        else c.flags &= ~Flags.DF;
    }

    /** RDFSBASE/RDGSBASE/WRFSBASE/WRGSBASE (CR4.FSGSBASE is on, as Linux 5.9+ sets it). */
    static void fsgsbase(CpuCore c, Insn i, boolean gs, boolean write) {
        int size = i.size();
        if (write) {
            long v = c.reg(i.o0(), size);
            if (size == 8 && (v << 16 >> 16) != v) throw GuestFault.generalProtection();
            if (gs) c.gsBase = v;
            else c.fsBase = v;
        } else {
            c.setReg(i.o0(), size, gs ? c.gsBase : c.fsBase);
        }
    }
}
