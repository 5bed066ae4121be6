package dev.nexa.cpu.gp;

import dev.nexa.cpu.oracle.MachineState;
import dev.nexa.cpu.oracle.NativeExecutor;

import java.util.SplittableRandom;

/**
 * The input state of one oracle run, built from a generated {@link Env}: sixteen registers,
 * flags, scratch and stack memory, and a memory operand placed inside the scratch area by
 * choosing base and index register values. Registers that must keep a value (address
 * registers, RSP for stack instructions, implicit operands) are pinned so later choices avoid
 * them.
 */
final class Setup {
    static final long SCRATCH = NativeExecutor.SCRATCH_ADDRESS;
    /** Scratch and stack are adjacent: offsets run over both (8 KiB). */
    static final int AREA = MachineState.SCRATCH_SIZE + MachineState.STACK_SIZE;

    /** Everything random about a run, as jqwik generates it. */
    record Env(long[] regs, long flags, long seed, long memValue, MemForm mem, int offset) {
        @Override
        public String toString() {
            var sb = new StringBuilder("Env[regs=");
            for (long r : regs) sb.append(Long.toHexString(r)).append(' ');
            return sb.append("flags=").append(Long.toHexString(flags)).append(" seed=").append(seed)
                    .append(" memValue=").append(Long.toHexString(memValue)).append(' ').append(mem)
                    .append(" offset=").append(offset).append(']').toString();
        }
    }

    /**
     * How a memory operand is addressed: base and index registers (-1: none; index 4 is not
     * encodable and is treated as none), scale, displacement size and value, the index
     * register's value, or RIP-relative.
     */
    record MemForm(int base, int index, int scale, int dispBytes, int disp, long indexValue, boolean rip) {}

    final long[] regs;
    final boolean[] pinned = new boolean[16];
    long flags;
    final byte[] area = new byte[AREA];
    final Env env;

    Setup(Env e) {
        env = e;
        regs = e.regs().clone();
        regs[4] = NativeExecutor.DEFAULT_RSP;
        flags = e.flags();
        var rnd = new SplittableRandom(e.seed());
        switch ((int) Math.floorMod(e.seed(), 8L)) {
            case 0 -> { }                                          // all zero
            case 1 -> java.util.Arrays.fill(area, (byte) 0xFF);
            default -> rnd.nextBytes(area);
        }
    }

    /** Gives register {@code r} a fixed value that later choices leave alone. */
    Setup pin(int r, long v) {
        regs[r] = v;
        pinned[r] = true;
        return this;
    }

    Setup pin(int r) {
        pinned[r] = true;
        return this;
    }

    /** {@code preferred} if it is free, else the next free register (never RSP). */
    int free(int preferred) {
        for (int k = 0; k < 16; k++) {
            int r = (preferred + k) & 15;
            if (!pinned[r] && r != 4) return r;
        }
        throw new IllegalStateException("no free register");
    }

    long address(int offset) { return SCRATCH + offset; }

    /** Stores {@code size} bytes of {@code v} at {@code offset} of the scratch/stack area. */
    Setup poke(int offset, long v, int size) {
        for (int k = 0; k < size; k++) area[offset + k] = (byte) (v >>> (8 * k));
        return this;
    }

    long peek(int offset, int size) {
        long v = 0;
        for (int k = size - 1; k >= 0; k--) v = v << 8 | (area[offset + k] & 0xFF);
        return v;
    }

    /**
     * A memory operand addressing the env's offset (clamped so {@code size} bytes fit), with
     * the env's memory value stored there; pins the address registers.
     */
    Enc.Rm mem(int size) {
        int offset = Math.min(env.offset(), AREA - Math.max(size, 16));
        poke(offset, env.memValue(), Math.min(size, 8));
        return mem(env.mem(), address(offset));
    }

    /** A memory operand addressing {@code target} in the form {@code f}; pins its registers. */
    Enc.Rm mem(MemForm f, long target) {
        if (f.rip()) return new Enc.Rip(target);
        int base = f.base(), index = f.index() == 4 ? -1 : f.index();
        int scale = f.scale();
        if (base >= 0 && pinned[base]) base = free(base);
        if (index >= 0 && (pinned[index] || index == 4)) index = free(index);
        if (index == 4) index = -1;
        if (base < 0 && index < 0) base = free(0);
        int dispBytes = f.dispBytes();
        long disp = dispBytes == 0 ? 0 : dispBytes == 1 ? (byte) f.disp() : f.disp();
        if (base < 0) {
            // [index * scale + disp32]: solve for the index, keep the displacement near disp.
            long k = 1L << scale;
            long v = Math.floorDiv(target - disp, k);
            disp = target - v * k;
            regs[index] = v;
            pinned[index] = true;
            return new Enc.Mem(-1, index, scale, (int) disp, 4);
        }
        if (index == base) {
            long k = 1 + (1L << scale);
            if (dispBytes == 0) dispBytes = 1;
            if (dispBytes == 1) disp = Math.min(disp, 127 - k);
            long v = Math.floorDiv(target - disp, k);
            disp = target - v * k;
            regs[base] = v;
            pinned[base] = true;
            return new Enc.Mem(base, index, scale, (int) disp, dispBytes);
        }
        if (index >= 0) {
            regs[index] = f.indexValue();
            pinned[index] = true;
            regs[base] = target - disp - (f.indexValue() << scale);
        } else {
            regs[base] = target - disp;
        }
        pinned[base] = true;
        return new Enc.Mem(base, index, scale, (int) disp, dispBytes);
    }

    MachineState state() {
        var s = MachineState.initial();
        for (int r = 0; r < 16; r++) s.gpr(r, regs[r]);
        s.rflags(flags);
        s.scratch(0, java.util.Arrays.copyOfRange(area, 0, MachineState.SCRATCH_SIZE));
        s.stack().put(0, area, MachineState.SCRATCH_SIZE, MachineState.STACK_SIZE);
        return s;
    }
}
