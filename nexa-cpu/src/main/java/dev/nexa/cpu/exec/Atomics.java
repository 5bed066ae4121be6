package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.mem.Mmu;

/**
 * The read-modify-write exchanges: XADD, CMPXCHG, CMPXCHG8B, CMPXCHG16B (SDM Vol. 2A/2B). One
 * host thread runs every guest CPU, so an instruction is atomic by construction; LOCK needs no
 * work here.
 */
final class Atomics {
    private Atomics() {}

    /** XADD r/m, r: r/m = r/m + r and r = the old r/m; flags as ADD. With one register for both, the sum wins. */
    static void xadd(CpuCore c, Insn i) {
        int size = i.size();
        long src = c.reg(i.o1(), size);
        boolean mem = i.o0() == Insn.MEM;
        long addr = mem ? c.ea(i) : 0;
        long dst = mem ? c.load(addr, size) : c.reg(i.o0(), size);
        long sum = (dst + src) & Flags.mask(size);
        if (mem) {
            c.store(addr, size, sum);
            c.setReg(i.o1(), size, dst);
        } else {
            c.setReg(i.o1(), size, dst);
            c.setReg(i.o0(), size, sum);
        }
        c.setCc(Flags.ADD, size, sum, src);
    }

    /**
     * CMPXCHG r/m, r: compares the accumulator with r/m (flags as CMP). Equal: r/m = r.
     * Different: the accumulator = r/m. A memory destination is written in both cases (with
     * its own value on failure, SDM: "the destination operand is written back if the
     * comparison fails"); a register destination and the accumulator are written only when
     * they receive a value, so a 32-bit form zero-extends just the register that changed.
     */
    static void cmpxchg(CpuCore c, Insn i) {
        int size = i.size();
        long src = c.reg(i.o1(), size);
        boolean mem = i.o0() == Insn.MEM;
        long addr = mem ? c.ea(i) : 0;
        long dst = mem ? c.load(addr, size) : c.reg(i.o0(), size);
        long acc = c.reg(0, size);
        boolean equal = acc == dst;
        if (mem) c.store(addr, size, equal ? src : dst);
        if (equal) {
            if (!mem) c.setReg(i.o0(), size, src);
        } else {
            c.setReg(0, size, dst);
        }
        c.setCc(Flags.SUB, size, (acc - dst) & Flags.mask(size), dst);
    }

    /**
     * CMPXCHG8B m64 / CMPXCHG16B m128 (REX.W): compares rDX:rAX with the memory operand. Equal:
     * ZF = 1 and memory = rCX:rBX. Different: ZF = 0 and rDX:rAX = memory (32-bit halves
     * zero-extend). Memory is written in both cases; only ZF changes. CMPXCHG16B needs a
     * 16-byte-aligned operand, else #GP(0).
     */
    static void cmpxchg8b(CpuCore c, Insn i) {
        long addr = c.ea(i);
        if (i.size() == 16) {
            cmpxchg16b(c, addr);
            return;
        }
        long mem = c.load(addr, 8);
        long expected = (c.r[2] << 32) | (c.r[0] & 0xFFFF_FFFFL);
        boolean equal = mem == expected;
        c.store(addr, 8, equal ? (c.r[1] << 32) | (c.r[3] & 0xFFFF_FFFFL) : mem);
        if (!equal) {
            c.r[0] = mem & 0xFFFF_FFFFL;
            c.r[2] = mem >>> 32;
        }
        Flags.update(c, Flags.ZF, equal ? Flags.ZF : 0);
    }

    private static void cmpxchg16b(CpuCore c, long addr) {
        if ((addr & 15) != 0) throw GuestFault.generalProtection();
        long lo = c.load(addr, 8), hi = c.load(addr + 8, 8);
        boolean equal = lo == c.r[0] && hi == c.r[2];
        // Both halves lie in one page (aligned): probing the first covers the second.
        c.mmu.translate(addr, Mmu.WRITE);
        if (equal) {
            c.store(addr, 8, c.r[3]);
            c.store(addr + 8, 8, c.r[1]);
        } else {
            c.store(addr, 8, lo);
            c.store(addr + 8, 8, hi);
            c.r[0] = lo;
            c.r[2] = hi;
        }
        Flags.update(c, Flags.ZF, equal ? Flags.ZF : 0);
    }
}
