package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.X87State.*;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.decode.Prefix;
import dev.nexa.cpu.fpu.Ext80;
import dev.nexa.mem.Mmu;

/**
 * FXSAVE/FXRSTOR (SDM Vol. 2A; image layout Vol. 1 §10.5.1, Tables 10-2/10-3) and the same
 * image for the kernel's signal frames ({@link dev.nexa.cpu.Cpu#saveFxState}). With REX.W
 * (FXSAVE64) FIP and FDP are 64-bit; without it they are 32-bit offsets followed by FCS and
 * FDS. Registers are stored in stack order (ST0 first), the tags abridged (bit r = R<i>r</i>
 * not empty). FIP/FDP/FOP are always stored, as Intel CPUs do (an AMD host stores them only
 * while an exception is pending).
 */
public final class FxSave {
    private FxSave() {}

    /** MXCSR_MASK: every defined MXCSR bit including DAZ (bits 0-15), as Intel CPUs report it. */
    public static final int MXCSR_MASK = 0xFFFF;
    /** Bytes FXSAVE writes: the rest of the 512-byte area is reserved or for software. */
    static final int WRITTEN = 416;

    static void fxsave(CpuCore c, Insn i) {
        long ea = aligned(c, i);
        byte[] a = c.fxImage;
        save(c, a, i.has(Prefix.REX_W));
        c.mmu.translate(ea, Mmu.WRITE);
        c.mmu.translate(ea + WRITTEN - 1, Mmu.WRITE);
        c.mmu.write(ea, a, 0, WRITTEN);
    }

    /** FXRSTOR: #GP for an MXCSR with reserved bits set, before anything changes. */
    static void fxrstor(CpuCore c, Insn i) {
        long ea = aligned(c, i);
        byte[] a = c.fxImage;
        c.mmu.read(ea, a, 0, WRITTEN);
        if (!validMxcsr(get32(a, 24))) throw GuestFault.generalProtection();
        restore(c, a, i.has(Prefix.REX_W));
    }

    /** A 16-byte aligned memory operand, else #GP(0). */
    private static long aligned(CpuCore c, Insn i) {
        long ea = c.ea(i);
        if ((ea & 15) != 0) throw GuestFault.generalProtection();
        return ea;
    }

    public static boolean validMxcsr(int mxcsr) { return (mxcsr & ~MXCSR_MASK) == 0; }

    /** Writes bytes 0-415 of the image; {@code wide}: the FXSAVE64 layout. */
    public static void save(CpuCore c, byte[] a, boolean wide) {
        put16(a, 0, c.fcw);
        put16(a, 2, c.fpuStatus());
        a[4] = (byte) c.fpuValid;
        a[5] = 0;
        put16(a, 6, fop(c));
        if (wide) {
            put64(a, 8, c.fpuIp);
            put64(a, 16, c.fpuDp);
        } else {
            put32(a, 8, (int) c.fpuIp);
            put32(a, 12, c.fpuCs);
            put32(a, 16, (int) c.fpuDp);
            put32(a, 20, c.fpuDs);
        }
        put32(a, 24, c.mxcsr);
        put32(a, 28, MXCSR_MASK);
        for (int k = 0; k < 8; k++) {
            Ext80 r = st(c, k);
            put64(a, 32 + 16 * k, r.significand());
            put16(a, 40 + 16 * k, r.signExp());
            put16(a, 42 + 16 * k, 0);
            put32(a, 44 + 16 * k, 0);
        }
        for (int n = 0; n < 32; n++) put64(a, 160 + 8 * n, c.xmm[n]);
    }

    /** Loads bytes 0-415 of an image whose MXCSR was validated. */
    public static void restore(CpuCore c, byte[] a, boolean wide) {
        c.fcw = X87Control.controlWord(get16(a, 0));
        setStatus(c, get16(a, 2));
        c.fpuValid = a[4] & 0xFF;
        c.fpuOp = get16(a, 6) & 0x7FF;
        if (wide) {
            c.fpuIp = get64(a, 8);
            c.fpuDp = get64(a, 16);
            c.fpuCs = 0;                        // not in the 64-bit image; the host then reports 0
            c.fpuDs = 0;
        } else {
            c.fpuIp = get32(a, 8) & 0xFFFF_FFFFL;
            c.fpuCs = get16(a, 12);
            c.fpuDp = get32(a, 16) & 0xFFFF_FFFFL;
            c.fpuDs = get16(a, 20);
        }
        c.mxcsr = get32(a, 24);
        for (int k = 0; k < 8; k++) st(c, k).set(get16(a, 40 + 16 * k), get64(a, 32 + 16 * k));
        for (int n = 0; n < 32; n++) c.xmm[n] = get64(a, 160 + 8 * n);
    }

    static void put16(byte[] a, int off, int v) {
        a[off] = (byte) v;
        a[off + 1] = (byte) (v >>> 8);
    }

    static void put32(byte[] a, int off, int v) {
        put16(a, off, v);
        put16(a, off + 2, v >>> 16);
    }

    static void put64(byte[] a, int off, long v) {
        put32(a, off, (int) v);
        put32(a, off + 4, (int) (v >>> 32));
    }

    static int get16(byte[] a, int off) { return (a[off] & 0xFF) | (a[off + 1] & 0xFF) << 8; }

    static int get32(byte[] a, int off) { return get16(a, off) | get16(a, off + 2) << 16; }

    static long get64(byte[] a, int off) { return (get32(a, off) & 0xFFFF_FFFFL) | (long) get32(a, off + 4) << 32; }
}
