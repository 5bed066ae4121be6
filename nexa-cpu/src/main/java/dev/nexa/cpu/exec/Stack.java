package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/** PUSH, POP, PUSHF, POPF, ENTER, LEAVE (64-bit stack; 66 selects 16-bit pushes). */
final class Stack {
    private Stack() {}

    static void push(CpuCore c, Insn i) {
        // The operand is read before RSP moves: PUSH RSP pushes the old value (SDM Vol. 2B PUSH).
        c.push(c.read(i, i.o0(), i.size()), i.size());
    }

    /**
     * POP to memory computes the address after incrementing RSP (SDM Vol. 2B POP: "If the
     * destination operand uses RSP as a base, the increment is applied before the address is
     * computed"); the load and store both happen before RSP changes, for restartability.
     */
    static void pop(CpuCore c, Insn i) {
        int size = i.size();
        long v = c.load(c.r[4], size);
        if (i.o0() == Insn.MEM) {
            long sp = c.r[4];
            c.r[4] = sp + size;
            long addr = c.ea(i);
            c.r[4] = sp;
            c.store(addr, size, v);
            c.r[4] = sp + size;
        } else {
            c.r[4] += size;
            c.setReg(i.o0(), size, v);     // POP RSP: the popped value wins
        }
    }

    /** PUSHF: RF and VM read as zero in the pushed image. */
    static void pushf(CpuCore c, Insn i) {
        c.push(c.rflags() & ~0x30000L, i.size());
    }

    /** POPF at CPL 3 with IOPL 0: IF, IOPL, VM, VIF, VIP are not changed (SDM Vol. 2B POPF). */
    static void popf(CpuCore c, Insn i) {
        int size = i.size();
        long v = c.pop(size);
        long writable = Flags.USER_WRITABLE & ~0x10000L;   // RF is cleared
        if (size == 2) writable &= 0xFFFF;
        c.setRflags((c.rflags() & ~writable) | (v & writable));
    }

    static void leave(CpuCore c, Insn i) {
        int size = i.size();
        long v = c.load(c.r[5], size);
        c.r[4] = c.r[5] + size;
        c.setReg(5, size, v);
    }

    /** ENTER imm16, imm8 (SDM Vol. 2A ENTER): nesting level taken modulo 32. */
    static void enter(CpuCore c, Insn i) {
        int size = i.size();
        long frameSize = i.imm() & 0xFFFF;
        int level = (int) (i.imm2() & 31);
        long rsp = c.r[4], rbp = c.r[5];
        // Probe first so a fault leaves everything unchanged: the slots ENTER writes, and the
        // final RSP, which hardware checks for writability too (the host faults on ENTER when
        // the byte at the new RSP is not writable, although it stores nothing there).
        long low = rsp - size * (level == 0 ? 1L : level + 1L);
        c.mmu.translate(rsp - size, dev.nexa.mem.Mmu.WRITE);
        c.mmu.translate(low, dev.nexa.mem.Mmu.WRITE);
        c.mmu.translate(low - frameSize, dev.nexa.mem.Mmu.WRITE);
        long sp = rsp - size;
        c.store(sp, size, rbp);
        long frameTemp = sp;
        for (int k = 1; k < level; k++) {
            long v = c.load(rbp - (long) k * size, size);
            sp -= size;
            c.store(sp, size, v);
        }
        if (level > 0) {
            sp -= size;
            c.store(sp, size, frameTemp);
        }
        c.setReg(5, size, frameTemp);
        c.r[4] = sp - frameSize;
    }
}
