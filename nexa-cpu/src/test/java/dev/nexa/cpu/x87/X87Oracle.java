package dev.nexa.cpu.x87;

import dev.nexa.cpu.Reg;
import dev.nexa.cpu.StopReason;
import dev.nexa.cpu.TestMachine;
import dev.nexa.cpu.exec.GuestFault;
import dev.nexa.cpu.oracle.MachineState;
import dev.nexa.cpu.oracle.NativeExecutor;
import dev.nexa.mem.Paging;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * Runs the same instruction bytes on the emulator and on the host ({@link NativeExecutor}) from
 * one {@link MachineState} and compares the whole resulting state: GPRs, status flags, the FXSAVE
 * image (FCW, FSW, tags, ST0-7, MXCSR, XMM), scratch memory and stack.
 * <p>
 * The emulator runs at the oracle's own addresses (code at {@link NativeExecutor#CODE_ADDRESS},
 * scratch and stack pages at theirs), so FIP and FDP agree. Every sequence gets an FNSTENV to
 * {@link #ENV} appended, which stores the 32-bit FIP/FOP/FDP and the full tag word where the
 * comparison sees them: the AMD host's FXSAVE stores FIP/FDP/FOP only while an exception is
 * pending, so in the FXSAVE image they are compared only when ES is set. Its FXRSTOR64 also
 * leaves stale FIP/FDP (from whatever ran before), so every sequence starts with FNOP, which sets
 * FIP, FCS and FOP; FDP is compared only when the instruction under test sets or loads it.
 */
final class X87Oracle {
    private X87Oracle() {}

    static final long SCRATCH = NativeExecutor.SCRATCH_ADDRESS;
    /** Scratch offset where the appended FNSTENV stores the environment. */
    static final int ENV = 0xF00;
    /** fnstenv [rsi+0xF00] */
    private static final byte[] FNSTENV = {(byte) 0xD9, (byte) 0xB6, 0x00, 0x0F, 0x00, 0x00};

    private static TestMachine machine;

    private static synchronized TestMachine machine() {
        if (machine == null) {
            var m = new TestMachine();
            try {
                m.map(Paging.pageDown(NativeExecutor.CODE_ADDRESS), 1, Paging.US);
                m.map(NativeExecutor.SCRATCH_ADDRESS, 1, Paging.US | Paging.RW | Paging.NX);
                m.map(NativeExecutor.STACK_ADDRESS, 1, Paging.US | Paging.RW | Paging.NX);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            machine = m;
        }
        return machine;
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    /** FNOP, the code, FNSTENV [rsi+ENV]. */
    static byte[] withEnv(byte[] code) {
        byte[] b = new byte[2 + code.length + FNSTENV.length];
        b[0] = (byte) 0xD9;
        b[1] = (byte) 0xD0;
        System.arraycopy(code, 0, b, 2, code.length);
        System.arraycopy(FNSTENV, 0, b, 2 + code.length, FNSTENV.length);
        return b;
    }

    /**
     * The host's result. FCW may unmask exceptions: only the instruction under test can raise one
     * (the input has none pending, the FNOP before it raises nothing, the FNSTENV after it does
     * not wait), which {@link NativeExecutor#runAllowingUnmaskedX87} requires.
     */
    static MachineState host(byte[] code, MachineState in) {
        if ((in.fpuStatus() & ~in.fpuControl() & 0x3F) != 0) {
            throw new IllegalArgumentException("input has a pending x87 exception");
        }
        return NativeExecutor.instance().runAllowingUnmaskedX87(code, in);
    }

    /** The emulator's result, or null when it stopped on a fault (its vector in {@link #lastFault}). */
    static synchronized MachineState emulate(byte[] code, MachineState in) {
        var m = machine();
        var cpu = m.cpu;
        byte[] bytes = Arrays.copyOf(code, code.length + 1);
        bytes[code.length] = (byte) 0xCC;                       // INT3 ends the run
        int[] ints = new int[bytes.length];
        for (int k = 0; k < bytes.length; k++) ints[k] = bytes[k] & 0xFF;
        m.load(NativeExecutor.CODE_ADDRESS, ints);
        m.cache.codeFrameWritten(m.table.lookup(Paging.pageDown(NativeExecutor.CODE_ADDRESS)) >>> Paging.PAGE_SHIFT);
        cpu.flushBlockLookup();
        for (int r = 0; r < 16; r++) cpu.setReg(r, in.gpr(r));
        cpu.setRflags(in.rflags() | 0x202);
        cpu.restoreFxState(in.fxsaveImage());
        byte[] scratch = in.scratch(0, MachineState.SCRATCH_SIZE);
        m.mmu.write(NativeExecutor.SCRATCH_ADDRESS, scratch, 0, scratch.length);
        byte[] stack = new byte[MachineState.STACK_SIZE];
        in.stack().get(0, stack);
        m.mmu.write(NativeExecutor.STACK_ADDRESS, stack, 0, stack.length);
        cpu.setRip(NativeExecutor.CODE_ADDRESS);
        StopReason why = cpu.run(10_000);
        if (why != StopReason.FAULT || cpu.fault().vector() != GuestFault.BP) {
            lastFault = why == StopReason.FAULT ? cpu.fault().vector() : -1;
            return null;
        }
        var out = in.copy();
        for (int r = 0; r < 16; r++) out.gpr(r, cpu.reg(r));
        out.rflags(cpu.rflags());
        byte[] fx = in.fxsaveImage();
        cpu.saveFxState(fx);
        out.fxsaveImage(fx);
        m.mmu.read(NativeExecutor.SCRATCH_ADDRESS, scratch, 0, scratch.length);
        out.scratch(0, scratch);
        m.mmu.read(NativeExecutor.STACK_ADDRESS, stack, 0, stack.length);
        out.stack().put(0, stack);
        return out;
    }

    static int lastFault;

    /**
     * Runs {@code code} (plus the FNSTENV) on both and returns the differences after masking:
     * {@code fswIgnore} are FSW bits the SDM leaves undefined for the instruction; {@code
     * ulpTolerance} lets register values differ in the last significand bit (transcendentals).
     */
    static List<String> compare(byte[] code, MachineState in, int fswIgnore, boolean ulpTolerance, boolean fdpKnown) {
        return compare(code, in, fswIgnore, ulpTolerance, fdpKnown, (host, s) -> { });
    }

    /** Extra masking of both results, given the host's result (which decides what is comparable). */
    interface Mask {
        void apply(MachineState host, MachineState s);
    }

    static List<String> compare(byte[] code, MachineState in, int fswIgnore, boolean ulpTolerance, boolean fdpKnown,
            Mask mask) {
        byte[] full = withEnv(code);
        var emulated = emulate(full, in);
        if (emulated == null) return List.of("emulator stopped with vector " + lastFault);
        dev.nexa.cpu.oracle.OracleCoverage.record(full);
        List<String> d = null;
        // A context switch between the guest instructions makes the kernel's XRSTOR drop the AMD
        // host's FIP/FDP/FOP (it restores them only with ES set): run the host again on a mismatch.
        for (int attempt = 0; attempt < 3 && (d == null || !d.isEmpty()); attempt++) {
            var want = host(full, in);
            var got = emulated.copy();
            normalize(want, got, fswIgnore, ulpTolerance, fdpKnown);
            normalize(got, want, fswIgnore, ulpTolerance, fdpKnown);
            mask.apply(want, got);
            mask.apply(want, want);
            d = want.differences(got);
        }
        return d;
    }

    static void check(String what, byte[] code, MachineState in, int fswIgnore, boolean ulpTolerance, boolean fdpKnown) {
        var d = compare(code, in, fswIgnore, ulpTolerance, fdpKnown);
        if (!d.isEmpty()) {
            throw new AssertionError(what + " [" + HexFormat.of().formatHex(code) + "]: " + d + "\ninput:\n" + in);
        }
    }

    /** Masks what may legitimately differ in {@code s} (compared against {@code other}). */
    private static void normalize(MachineState s, MachineState other, int fswIgnore, boolean ulp, boolean fdpKnown) {
        byte[] fx = s.fxsaveImage();
        boolean pending = (other.fpuStatus() & 0x80) != 0 && (s.fpuStatus() & 0x80) != 0;
        if (!pending) Arrays.fill(fx, 6, 24, (byte) 0);          // FOP, FIP, FDP: see the class comment
        if (!fdpKnown) Arrays.fill(fx, 16, 24, (byte) 0);
        int fsw = (fx[2] & 0xFF | (fx[3] & 0xFF) << 8) & ~fswIgnore;
        fx[2] = (byte) fsw;
        fx[3] = (byte) (fsw >> 8);
        if (ulp) {
            for (int k = 0; k < 8; k++) {
                int off = 32 + 16 * k;
                if (close(s.stSignExp(k), getLong(fx, off), other.stSignExp(k), other.stMantissa(k))) {
                    putLong(fx, off, other.stMantissa(k));
                    fx[off + 8] = (byte) other.stSignExp(k);
                    fx[off + 9] = (byte) (other.stSignExp(k) >> 8);
                }
            }
        }
        s.fxsaveImage(fx);
        // the FNSTENV image: FSW at +4 carries the same undefined bits
        var sc = s.scratch();
        sc.putShort(ENV + 4, (short) (sc.getShort(ENV + 4) & ~fswIgnore));
        if (!fdpKnown) sc.putInt(ENV + 20, 0);
    }

    /** At most one unit in the last place apart (within a binade or across its upper end). */
    private static boolean close(int ea, long a, int eb, long b) {
        if (ea == eb) return Math.abs(a - b) <= 1;
        if (ea == eb + 1) return a == Long.MIN_VALUE && b == -1L;
        if (eb == ea + 1) return b == Long.MIN_VALUE && a == -1L;
        return false;
    }

    private static long getLong(byte[] a, int off) {
        long v = 0;
        for (int k = 7; k >= 0; k--) v = v << 8 | (a[off + k] & 0xFF);
        return v;
    }

    private static void putLong(byte[] a, int off, long v) {
        for (int k = 0; k < 8; k++) a[off + k] = (byte) (v >>> 8 * k);
    }

    static void setRsi(MachineState s) {
        s.gpr(Reg.RSI, SCRATCH);
    }
}
