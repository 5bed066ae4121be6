package dev.nexa.cpu.gp;

import dev.nexa.cpu.Fault;
import dev.nexa.cpu.StopReason;
import dev.nexa.cpu.TestMachine;
import dev.nexa.cpu.oracle.MachineState;
import dev.nexa.cpu.oracle.NativeExecutor;
import dev.nexa.mem.Paging;

/**
 * The emulator-side counterpart of {@link NativeExecutor}: runs instruction bytes on Nexa's
 * CPU from a {@link MachineState}, with the code, scratch and stack pages mapped at the very
 * addresses the native harness uses, and returns the state afterwards (or the fault).
 * <p>
 * One machine serves every run (building one per try would dominate the test time). Code is
 * stored through the MMU, as a guest store, so the decode cache drops the previous run's
 * blocks; a UD2 after the code marks its end.
 */
final class Emulated {
    /** The outcome of a run: the final state, and the fault that stopped it early (else null). */
    record Result(MachineState state, Fault fault) {}

    private static final byte[] UD2 = {0x0F, 0x0B};
    private static final long BASE = NativeExecutor.BASE;
    private static TestMachine machine;

    private Emulated() {}

    private static TestMachine machine() throws Exception {
        if (machine == null) {
            var m = new TestMachine();
            // Only the oracle's pages exist, as in the native harness: an access anywhere else
            // faults here, which is how Oracle.check knows not to run the code natively.
            for (int k = 0; k < 4; k++) m.table.unmap(TestMachine.CODE + 4096L * k);
            for (int k = 0; k < 16; k++) m.table.unmap(TestMachine.DATA + 4096L * k);
            for (int k = 0; k < 16; k++) m.table.unmap(TestMachine.STACK_TOP - 4096L * (k + 1));
            m.mmu.flush();
            // Code page writable too, so code can be replaced by guest-style stores.
            m.map(BASE, 1, Paging.US | Paging.RW);
            m.map(NativeExecutor.SCRATCH_ADDRESS, 1, Paging.US | Paging.RW | Paging.NX);
            m.map(NativeExecutor.STACK_ADDRESS, 1, Paging.US | Paging.RW | Paging.NX);
            machine = m;
        }
        return machine;
    }

    /** The machine (for tests that map or unmap extra pages around a run). */
    static synchronized TestMachine sharedMachine() {
        try {
            return machine();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static synchronized Result run(byte[] code, MachineState in) {
        TestMachine m = sharedMachine();
        var cpu = m.cpu;
        m.mmu.write(NativeExecutor.CODE_ADDRESS, Enc.concat(code, UD2), 0, code.length + 2);
        m.mmu.write(NativeExecutor.SCRATCH_ADDRESS, in.scratch(0, MachineState.SCRATCH_SIZE), 0,
                MachineState.SCRATCH_SIZE);
        m.mmu.write(NativeExecutor.STACK_ADDRESS, stackOf(in), 0, MachineState.STACK_SIZE);
        for (int r = 0; r < 16; r++) cpu.setReg(r, in.gpr(r));
        for (int x = 0; x < 16; x++) cpu.setXmm(x, in.xmmLow(x), in.xmmHigh(x));
        cpu.setRflags(in.rflags() | 0x202);
        cpu.setRip(NativeExecutor.CODE_ADDRESS);
        StopReason why = cpu.run(100_000);
        if (why != StopReason.FAULT) throw new AssertionError("emulated code did not end at its UD2: " + why);
        Fault f = cpu.fault();
        boolean ended = f.vector() == Fault.UD && f.rip() == NativeExecutor.CODE_ADDRESS + code.length;
        var out = in.copy();
        for (int r = 0; r < 16; r++) out.gpr(r, cpu.reg(r));
        for (int x = 0; x < 16; x++) out.xmm(x, cpu.xmmLow(x), cpu.xmmHigh(x));
        out.rflags(cpu.rflags());
        var scratch = new byte[MachineState.SCRATCH_SIZE];
        m.mmu.read(NativeExecutor.SCRATCH_ADDRESS, scratch, 0, scratch.length);
        out.scratch(0, scratch);
        var stack = new byte[MachineState.STACK_SIZE];
        m.mmu.read(NativeExecutor.STACK_ADDRESS, stack, 0, stack.length);
        out.stack().put(0, stack);
        return new Result(out, ended ? null : f);
    }

    private static byte[] stackOf(MachineState s) {
        var b = new byte[MachineState.STACK_SIZE];
        s.stack().get(0, b);
        return b;
    }
}
