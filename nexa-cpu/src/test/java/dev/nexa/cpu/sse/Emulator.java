package dev.nexa.cpu.sse;

import dev.nexa.cpu.TestMachine;
import dev.nexa.cpu.decode.Decoder;
import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.exec.CpuCore;
import dev.nexa.cpu.exec.GuestFault;
import dev.nexa.cpu.exec.Interpreter;
import dev.nexa.cpu.exec.MmxFile;
import dev.nexa.cpu.oracle.MachineState;
import dev.nexa.cpu.oracle.NativeExecutor;
import dev.nexa.mem.MemoryFault;
import dev.nexa.mem.Paging;

/**
 * Runs instruction bytes in the emulator from a {@link MachineState}, with the memory layout of
 * the {@link NativeExecutor} (scratch and stack at the same addresses, code at its RIP), so the
 * two results can be compared field by field. Instructions are decoded from the byte array and
 * executed one at a time by the interpreter.
 */
final class Emulator implements AutoCloseable {
    private final TestMachine machine = new TestMachine();
    private final Decoder decoder = new Decoder();
    final CpuCore core = machine.cpu.core();

    /** The emulator's outcome: the state afterwards, or the fault that stopped it. */
    record Outcome(MachineState state, int fault) {
        static final int NONE = -1;
    }

    Emulator() {
        try {
            machine.map(NativeExecutor.SCRATCH_ADDRESS, 1, Paging.US | Paging.RW | Paging.NX);
            machine.map(NativeExecutor.STACK_ADDRESS, 1, Paging.US | Paging.RW | Paging.NX);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    Outcome run(byte[] code, MachineState in) {
        load(in);
        int fault = Outcome.NONE;
        long rip = NativeExecutor.CODE_ADDRESS, end = rip + code.length;
        Decoder.Bytes bytes = a -> {
            long off = a - NativeExecutor.CODE_ADDRESS;
            if (off < 0 || off >= code.length) throw new IllegalStateException("instruction runs past the code");
            return code[(int) off] & 0xFF;
        };
        try {
            while (rip < end) {
                Insn i = decoder.decode(bytes, rip, 0);
                core.rip = rip + i.len();
                Interpreter.exec(core, i);
                rip = core.rip;
            }
        } catch (GuestFault f) {
            fault = f.vector();
        } catch (MemoryFault f) {
            fault = f.vector();
        }
        return new Outcome(save(in), fault);
    }

    private MmxFile mmx() { return (MmxFile) core.mmx; }

    private void load(MachineState in) {
        for (int r = 0; r < 16; r++) core.r[r] = in.gpr(r);
        core.setRflags(0x202 | in.rflags());
        for (int x = 0; x < 16; x++) {
            core.xmm[2 * x] = in.xmmLow(x);
            core.xmm[2 * x + 1] = in.xmmHigh(x);
        }
        core.mxcsr = in.mxcsr();
        core.simdFlags = 0;
        MmxFile m = mmx();
        m.top = in.fpuTop();
        m.tags = in.fpuTagAbridged();
        for (int r = 0; r < 8; r++) {
            m.significand[r] = in.physicalMantissa(r);
            m.signExp[r] = in.physicalSignExp(r);
        }
        core.mmu.write(NativeExecutor.SCRATCH_ADDRESS, in.scratch().array(), 0, MachineState.SCRATCH_SIZE);
        core.mmu.write(NativeExecutor.STACK_ADDRESS, in.stack().array(), 0, MachineState.STACK_SIZE);
    }

    private MachineState save(MachineState in) {
        MachineState out = in.copy();
        for (int r = 0; r < 16; r++) out.gpr(r, core.r[r]);
        out.rflags(core.rflags());
        for (int x = 0; x < 16; x++) out.xmm(x, core.xmm[2 * x], core.xmm[2 * x + 1]);
        out.mxcsr(core.mxcsr);
        MmxFile m = mmx();
        out.fpuTop(m.top);
        out.fpuTagAbridged(m.tags);
        for (int i = 0; i < 8; i++) {
            int r = (i + m.top) & 7;
            out.st(i, m.signExp[r], m.significand[r]);
        }
        byte[] buf = new byte[MachineState.SCRATCH_SIZE];
        core.mmu.read(NativeExecutor.SCRATCH_ADDRESS, buf, 0, buf.length);
        out.scratch(0, buf);
        buf = new byte[MachineState.STACK_SIZE];
        core.mmu.read(NativeExecutor.STACK_ADDRESS, buf, 0, buf.length);
        out.stack().put(0, buf);
        return out;
    }

    @Override
    public void close() { machine.close(); }
}
