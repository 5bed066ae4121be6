package dev.nexa.cpu.oracle;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * The user-visible state of an x86-64 CPU plus two small memory areas, as exchanged with the
 * {@link NativeExecutor}.
 *
 * <p><b>Mutable</b>, with fluent setters that return {@code this}; {@link #copy()} gives an independent
 * copy. A state is not thread-safe. {@link NativeExecutor#run} never modifies its input and returns a
 * fresh state.
 *
 * <p>Contents:
 * <ul>
 *   <li>the 16 GPRs in architectural order (0 = RAX .. 15 = R15, see {@link Gpr});</li>
 *   <li>RFLAGS: only the status flags and DF ({@link #FLAGS_MASK}) travel in and out; the harness keeps
 *       the host's IF/TF/IOPL/AC/ID bits (a guest {@code pushfq} still sees them, e.g. IF = 1);</li>
 *   <li>the x87, MMX and SSE state as a 512-byte FXSAVE image in the 64-bit layout of the Intel SDM
 *       Vol. 1 §10.5.1, Table 10-2 (FCW, FSW, abridged FTW, FOP, FIP, FDP, MXCSR, MXCSR_MASK, ST0-ST7 in
 *       <em>stack</em> order, XMM0-XMM15). Typed accessors read and write it in place;</li>
 *   <li>{@link #SCRATCH_SIZE} bytes of scratch memory mapped at {@link NativeExecutor#SCRATCH_ADDRESS},
 *       and {@link #STACK_SIZE} bytes of stack mapped at {@link NativeExecutor#STACK_ADDRESS}. RSP starts
 *       at {@link NativeExecutor#DEFAULT_RSP}, the middle of the stack area.</li>
 * </ul>
 * Not included: RIP (the code under test always starts at {@link NativeExecutor#CODE_ADDRESS}), segment
 * registers and FS/GS bases (the host's), AVX upper halves.
 */
public final class MachineState {
    /** Bytes of scratch memory the code under test may read and write. */
    public static final int SCRATCH_SIZE = 4096;
    /** Bytes of stack memory around the default RSP. */
    public static final int STACK_SIZE = 4096;
    /** Size of the FXSAVE image. */
    public static final int FXSAVE_SIZE = 512;

    /** RFLAGS bits that are loaded and reported: CF, PF, AF, ZF, SF, DF, OF. */
    public static final long FLAGS_MASK = 0x0CD5;
    public static final long CF = 1L, PF = 1L << 2, AF = 1L << 4, ZF = 1L << 6, SF = 1L << 7,
            DF = 1L << 10, OF = 1L << 11;

    // FXSAVE image offsets, SDM Vol. 1 Table 10-2 (64-bit format).
    static final int FX_FCW = 0, FX_FSW = 2, FX_FTW = 4, FX_FOP = 6, FX_FIP = 8, FX_FDP = 16,
            FX_MXCSR = 24, FX_MXCSR_MASK = 28, FX_ST0 = 32, FX_XMM0 = 160;

    /** Architectural GPR numbers, in encoding order. */
    public enum Gpr {
        RAX, RCX, RDX, RBX, RSP, RBP, RSI, RDI, R8, R9, R10, R11, R12, R13, R14, R15
    }

    private final long[] gpr = new long[16];
    private long rflags;
    private final ByteBuffer fx = ByteBuffer.allocate(FXSAVE_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer scratch = ByteBuffer.allocate(SCRATCH_SIZE).order(ByteOrder.LITTLE_ENDIAN);
    private final ByteBuffer stack = ByteBuffer.allocate(STACK_SIZE).order(ByteOrder.LITTLE_ENDIAN);

    private MachineState() {}

    /**
     * The state after FNINIT and a reset MXCSR (SDM Vol. 1 §8.1.5, §10.2.3.1): FCW 0x037F (all x87
     * exceptions masked, 64-bit precision, round to nearest), empty x87 stack, MXCSR 0x1F80; all GPRs
     * zero except RSP = {@link NativeExecutor#DEFAULT_RSP}; flags clear; memory zero.
     */
    public static MachineState initial() {
        var s = new MachineState();
        s.gpr[Gpr.RSP.ordinal()] = NativeExecutor.DEFAULT_RSP;
        s.fpuControl(0x037F).mxcsr(0x1F80);
        return s;
    }

    /** An independent copy. */
    public MachineState copy() {
        var s = new MachineState();
        System.arraycopy(gpr, 0, s.gpr, 0, 16);
        s.rflags = rflags;
        s.fx.put(0, fx, 0, FXSAVE_SIZE);
        s.scratch.put(0, scratch, 0, SCRATCH_SIZE);
        s.stack.put(0, stack, 0, STACK_SIZE);
        return s;
    }

    // ---- GPRs and flags ----

    public long gpr(int number) {
        return gpr[number];
    }

    public long gpr(Gpr r) {
        return gpr[r.ordinal()];
    }

    public MachineState gpr(int number, long value) {
        gpr[number] = value;
        return this;
    }

    public MachineState gpr(Gpr r, long value) {
        gpr[r.ordinal()] = value;
        return this;
    }

    /** RFLAGS restricted to {@link #FLAGS_MASK}. */
    public long rflags() {
        return rflags;
    }

    /** Sets RFLAGS; bits outside {@link #FLAGS_MASK} are dropped. */
    public MachineState rflags(long value) {
        rflags = value & FLAGS_MASK;
        return this;
    }

    // ---- SSE ----

    public long xmmLow(int i) {
        return fx.getLong(FX_XMM0 + 16 * checkIndex(i, 16));
    }

    public long xmmHigh(int i) {
        return fx.getLong(FX_XMM0 + 16 * checkIndex(i, 16) + 8);
    }

    public MachineState xmm(int i, long low, long high) {
        fx.putLong(FX_XMM0 + 16 * checkIndex(i, 16), low);
        fx.putLong(FX_XMM0 + 16 * i + 8, high);
        return this;
    }

    public int mxcsr() {
        return fx.getInt(FX_MXCSR);
    }

    public MachineState mxcsr(int value) {
        fx.putInt(FX_MXCSR, value);
        return this;
    }

    /** MXCSR_MASK as the host's FXSAVE wrote it (ignored by FXRSTOR). */
    public int mxcsrMask() {
        return fx.getInt(FX_MXCSR_MASK);
    }

    // ---- x87 ----

    public int fpuControl() {
        return fx.getShort(FX_FCW) & 0xFFFF;
    }

    public MachineState fpuControl(int value) {
        fx.putShort(FX_FCW, (short) value);
        return this;
    }

    /** The full status word, TOP in bits 11-13. */
    public int fpuStatus() {
        return fx.getShort(FX_FSW) & 0xFFFF;
    }

    public MachineState fpuStatus(int value) {
        fx.putShort(FX_FSW, (short) value);
        return this;
    }

    public int fpuTop() {
        return fpuStatus() >> 11 & 7;
    }

    public MachineState fpuTop(int top) {
        return fpuStatus(fpuStatus() & ~0x3800 | (top & 7) << 11);
    }

    /** FXSAVE's abridged tag byte: bit r = 1 when physical register R<i>r</i> is not empty. */
    public int fpuTagAbridged() {
        return fx.get(FX_FTW) & 0xFF;
    }

    public MachineState fpuTagAbridged(int value) {
        fx.put(FX_FTW, (byte) value);
        return this;
    }

    /**
     * The full 16-bit tag word (2 bits per physical register: 00 valid, 01 zero, 10 special, 11 empty)
     * as FSTENV would store it, derived from the abridged tags and register contents (SDM Vol. 1
     * §10.5.1.1).
     */
    public int fpuTagWord() {
        int tags = 0;
        for (int r = 0; r < 8; r++) {
            int tag;
            if ((fpuTagAbridged() >> r & 1) == 0) {
                tag = 3;
            } else {
                int i = (r - fpuTop()) & 7;
                int exp = stSignExp(i) & 0x7FFF;
                long m = stMantissa(i);
                if (exp == 0x7FFF || exp == 0 && m != 0 || exp != 0 && m >= 0) {
                    tag = 2; // NaN, infinity, denormal, unnormal, unsupported
                } else if (exp == 0) {
                    tag = 1;
                } else {
                    tag = 0;
                }
            }
            tags |= tag << 2 * r;
        }
        return tags;
    }

    /** Significand (with explicit integer bit) of ST(i), i.e. FXSAVE slot i. */
    public long stMantissa(int i) {
        return fx.getLong(FX_ST0 + 16 * checkIndex(i, 8));
    }

    /** Sign (bit 15) and biased exponent of ST(i). */
    public int stSignExp(int i) {
        return fx.getShort(FX_ST0 + 16 * checkIndex(i, 8) + 8) & 0xFFFF;
    }

    /** Writes ST(i)'s 80 bits; does not change the tags. */
    public MachineState st(int i, int signExp, long mantissa) {
        fx.putLong(FX_ST0 + 16 * checkIndex(i, 8), mantissa);
        fx.putShort(FX_ST0 + 16 * i + 8, (short) signExp);
        return this;
    }

    /** Significand of physical register R<i>r</i> (ST(i) with i = (r - TOP) mod 8). */
    public long physicalMantissa(int r) {
        return stMantissa((checkIndex(r, 8) - fpuTop()) & 7);
    }

    public int physicalSignExp(int r) {
        return stSignExp((checkIndex(r, 8) - fpuTop()) & 7);
    }

    /**
     * Pushes a value as FLD would: TOP decrements, the new ST(0) holds the value and is tagged valid.
     * The remaining slots are renumbered, as in hardware.
     */
    public MachineState push(int signExp, long mantissa) {
        for (int i = 7; i > 0; i--) {
            st(i, stSignExp(i - 1), stMantissa(i - 1));
        }
        int top = (fpuTop() - 1) & 7;
        fpuTop(top);
        fpuTagAbridged(fpuTagAbridged() | 1 << top);
        return st(0, signExp, mantissa);
    }

    /** FOP, FIP and FDP (the last x87 instruction's opcode and pointers). */
    public MachineState clearFpuPointers() {
        fx.putShort(FX_FOP, (short) 0);
        fx.putLong(FX_FIP, 0);
        fx.putLong(FX_FDP, 0);
        return this;
    }

    public long fpuInstructionPointer() {
        return fx.getLong(FX_FIP);
    }

    /** A copy of the FXSAVE image. */
    public byte[] fxsaveImage() {
        var b = new byte[FXSAVE_SIZE];
        fx.get(0, b);
        return b;
    }

    /** Replaces the whole FXSAVE image. */
    public MachineState fxsaveImage(byte[] image) {
        if (image.length != FXSAVE_SIZE) {
            throw new IllegalArgumentException("FXSAVE image must be 512 bytes, got " + image.length);
        }
        fx.put(0, image);
        return this;
    }

    // ---- memory ----

    /** The scratch area, little-endian, indexed from {@link NativeExecutor#SCRATCH_ADDRESS}; live view. */
    public ByteBuffer scratch() {
        return scratch;
    }

    /** The stack area, little-endian, indexed from {@link NativeExecutor#STACK_ADDRESS}; live view. */
    public ByteBuffer stack() {
        return stack;
    }

    /** Copies bytes into the scratch area at an offset. */
    public MachineState scratch(int offset, byte[] bytes) {
        scratch.put(offset, bytes);
        return this;
    }

    /** Copies bytes out of the scratch area. */
    public byte[] scratch(int offset, int length) {
        var b = new byte[length];
        scratch.get(offset, b);
        return b;
    }

    ByteBuffer fx() {
        return fx;
    }

    void rawFlags(long value) {
        rflags = value & FLAGS_MASK;
    }

    private static int checkIndex(int i, int n) {
        if (i < 0 || i >= n) {
            throw new IndexOutOfBoundsException(i);
        }
        return i;
    }

    // ---- comparison ----

    /**
     * Human-readable differences to another state, one line per differing item (empty when equal):
     * GPRs, flags, FXSAVE image bytes (by field), scratch and stack bytes.
     */
    public List<String> differences(MachineState other) {
        var d = new ArrayList<String>();
        for (int i = 0; i < 16; i++) {
            if (gpr[i] != other.gpr[i]) {
                d.add("%s: %016x != %016x".formatted(Gpr.values()[i], gpr[i], other.gpr[i]));
            }
        }
        if (rflags != other.rflags) {
            d.add("rflags: %04x != %04x".formatted(rflags, other.rflags));
        }
        for (int off = 0; off < FXSAVE_SIZE; off += 16) {
            var a = new byte[16];
            var b = new byte[16];
            fx.get(off, a);
            other.fx.get(off, b);
            if (off == 16) {
                Arrays.fill(a, 12, 16, (byte) 0); // MXCSR_MASK: informative, ignored by FXRSTOR
                Arrays.fill(b, 12, 16, (byte) 0);
            }
            if (!Arrays.equals(a, b)) {
                d.add("fxsave[%s]: %s != %s".formatted(fxField(off),
                        HexFormat.of().formatHex(a), HexFormat.of().formatHex(b)));
            }
        }
        memDiff(d, "scratch", scratch, other.scratch);
        memDiff(d, "stack", stack, other.stack);
        return d;
    }

    private static String fxField(int off) {
        if (off == 0) {
            return "FCW/FSW/FTW/FOP/FIP";
        } else if (off == 16) {
            return "FDP/MXCSR/MASK";
        } else if (off < FX_XMM0) {
            return "ST" + (off - FX_ST0) / 16;
        } else if (off < 416) {
            return "XMM" + (off - FX_XMM0) / 16;
        }
        return "reserved+" + off;
    }

    private static void memDiff(List<String> d, String name, ByteBuffer a, ByteBuffer b) {
        for (int off = 0; off < a.capacity(); off += 8) {
            if (a.getLong(off) != b.getLong(off)) {
                d.add("%s+%d: %016x != %016x".formatted(name, off, a.getLong(off), b.getLong(off)));
            }
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MachineState s && differences(s).isEmpty();
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(gpr) * 31 + Long.hashCode(rflags) + fx.hashCode();
    }

    @Override
    public String toString() {
        var sb = new StringBuilder();
        for (int i = 0; i < 16; i++) {
            sb.append("%-3s=%016x%s".formatted(Gpr.values()[i], gpr[i], i % 4 == 3 ? "\n" : " "));
        }
        sb.append("rflags=%04x fcw=%04x fsw=%04x ftw=%02x mxcsr=%08x\n"
                .formatted(rflags, fpuControl(), fpuStatus(), fpuTagAbridged(), mxcsr()));
        for (int i = 0; i < 8; i++) {
            sb.append("st%d=%04x:%016x%s".formatted(i, stSignExp(i), stMantissa(i), i % 4 == 3 ? "\n" : " "));
        }
        for (int i = 0; i < 16; i++) {
            sb.append("xmm%-2d=%016x%016x%s".formatted(i, xmmHigh(i), xmmLow(i), i % 2 == 1 ? "\n" : " "));
        }
        return sb.toString();
    }
}
