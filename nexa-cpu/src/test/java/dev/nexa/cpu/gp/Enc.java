package dev.nexa.cpu.gp;

import java.io.ByteArrayOutputStream;

/**
 * A small x86-64 instruction encoder for the oracle tests (SDM Vol. 2A chapter 2): legacy
 * prefixes, REX, VEX, opcode bytes, ModRM/SIB/displacement for any {@link Rm}, immediates.
 * Written independently of the decoder under test so a decoder bug cannot hide behind a
 * matching encoder bug; the host CPU decides which is right.
 */
final class Enc {
    /** The r/m operand of a ModRM instruction. */
    sealed interface Rm permits Reg, Mem, Rip {}

    /** A register r/m operand (mod = 3). */
    record Reg(int n) implements Rm {}

    /**
     * A memory operand {@code [base + index << scale + disp]}; {@code base} or {@code index}
     * -1 for none; {@code dispBytes} 0, 1 or 4 (0 with base RBP/R13 is encoded as disp8 0).
     */
    record Mem(int base, int index, int scale, int disp, int dispBytes) implements Rm {}

    /** A RIP-relative operand aimed at an absolute {@code target}. */
    record Rip(long target) implements Rm {}

    private final ByteArrayOutputStream prefixes = new ByteArrayOutputStream();
    private int[] opcode = {};
    private int opcodeReg = -1;
    private int size = 4;
    private boolean forceRex;
    private int reg = -1;
    private Rm rm;
    private long imm;
    private int immBytes;
    private long imm2;
    private int imm2Bytes;
    // VEX
    private boolean vex;
    private int vexMap, vexPp, vexL, vexVvvv;
    private boolean vexW, vexLong;

    static Enc insn() { return new Enc(); }

    /** Legacy prefixes, in the order given (66 for 16-bit comes from {@link #size}). */
    Enc prefix(int... p) {
        for (int b : p) prefixes.write(b);
        return this;
    }

    /** Operand size: 2 adds 66, 8 adds REX.W; 1 and 4 add nothing. */
    Enc size(int s) {
        size = s;
        return this;
    }

    /** Emits a REX prefix even when no bit is set (byte registers SPL..DIL instead of AH..BH). */
    Enc rex(boolean force) {
        forceRex = force;
        return this;
    }

    Enc op(int... bytes) {
        opcode = bytes;
        return this;
    }

    /**
     * An opcode with a register in its low three bits (50+r, B8+r, 0F C8+r, ...): the last
     * byte gets {@code reg & 7}, REX.B the fourth bit; no ModRM.
     */
    Enc opReg(int reg, int... bytes) {
        opcode = bytes.clone();
        opcode[opcode.length - 1] += reg & 7;
        opcodeReg = reg;
        return this;
    }

    /** ModRM.reg: a register number (0..15) or a /digit. */
    Enc reg(int r) {
        reg = r;
        return this;
    }

    Enc rm(Rm r) {
        rm = r;
        if (reg < 0) reg = 0;
        return this;
    }

    Enc imm(long v, int bytes) {
        if (immBytes == 0) {
            imm = v;
            immBytes = bytes;
        } else {
            imm2 = v;
            imm2Bytes = bytes;
        }
        return this;
    }

    /**
     * VEX-encodes the instruction: {@code map} 1 = 0F, 2 = 0F38, 3 = 0F3A; {@code pp} 0 none,
     * 1 66, 2 F3, 3 F2; {@code vvvv} the extra register (0..15). The two-byte form C5 is used
     * when possible unless {@code longForm}.
     */
    Enc vex(int map, int pp, boolean w, int l, int vvvv, boolean longForm) {
        vex = true;
        vexMap = map;
        vexPp = pp;
        vexW = w;
        vexL = l;
        vexVvvv = vvvv;
        vexLong = longForm;
        return this;
    }

    /** The bytes of the instruction placed at address {@code at} (RIP-relative operands need it). */
    byte[] bytes(long at) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(prefixes.toByteArray());
        if (size == 2 && !vex) out.write(0x66);
        int r = reg < 0 ? 0 : reg;
        int x = 0, b = 0;
        if (rm instanceof Mem m) {
            x = m.index() >= 0 ? m.index() >> 3 & 1 : 0;
            b = m.base() >= 0 ? m.base() >> 3 & 1 : 0;
        } else if (rm instanceof Reg g) {
            b = g.n() >> 3 & 1;
        } else if (opcodeReg >= 0) {
            b = opcodeReg >> 3 & 1;
        }
        int w = size == 8 ? 1 : 0;
        int rexR = r >> 3 & 1;
        if (vex) {
            boolean wBit = vexW;
            if (!vexLong && vexMap == 1 && !wBit && x == 0 && b == 0) {
                out.write(0xC5);
                out.write((rexR ^ 1) << 7 | (~vexVvvv & 15) << 3 | vexL << 2 | vexPp);
            } else {
                out.write(0xC4);
                out.write((rexR ^ 1) << 7 | (x ^ 1) << 6 | (b ^ 1) << 5 | vexMap);
                out.write((wBit ? 1 : 0) << 7 | (~vexVvvv & 15) << 3 | vexL << 2 | vexPp);
            }
        } else if (w != 0 || rexR != 0 || x != 0 || b != 0 || forceRex) {
            out.write(0x40 | w << 3 | rexR << 2 | x << 1 | b);
        }
        for (int o : opcode) out.write(o);
        int dispBytes = 0;
        long disp = 0;
        boolean ripRelative = false;
        if (rm instanceof Reg g) {
            out.write(0xC0 | (r & 7) << 3 | (g.n() & 7));
        } else if (rm instanceof Rip) {
            out.write((r & 7) << 3 | 5);
            dispBytes = 4;
            ripRelative = true;
        } else if (rm instanceof Mem m) {
            dispBytes = m.dispBytes();
            disp = m.disp();
            boolean sib = m.index() >= 0 || m.base() < 0 || (m.base() & 7) == 4;
            if (m.base() < 0) dispBytes = 4;
            else if (dispBytes == 0 && (m.base() & 7) == 5) dispBytes = 1;
            int mod = m.base() < 0 ? 0 : dispBytes == 0 ? 0 : dispBytes == 1 ? 1 : 2;
            out.write(mod << 6 | (r & 7) << 3 | (sib ? 4 : m.base() & 7));
            if (sib) {
                int idx = m.index() >= 0 ? m.index() & 7 : 4;
                int base = m.base() >= 0 ? m.base() & 7 : 5;
                out.write(m.scale() << 6 | idx << 3 | base);
            }
        }
        int dispAt = out.size();
        for (int k = 0; k < dispBytes; k++) out.write((int) (disp >>> (8 * k)));
        for (int k = 0; k < immBytes; k++) out.write((int) (imm >>> (8 * k)));
        for (int k = 0; k < imm2Bytes; k++) out.write((int) (imm2 >>> (8 * k)));
        byte[] bytes = out.toByteArray();
        if (ripRelative) {
            long rel = ((Rip) rm).target() - (at + bytes.length);
            if (rel != (int) rel) throw new IllegalArgumentException("RIP-relative target out of reach");
            for (int k = 0; k < 4; k++) bytes[dispAt + k] = (byte) (rel >>> (8 * k));
        }
        return bytes;
    }

    /** Concatenates instructions. */
    static byte[] concat(byte[]... parts) {
        var out = new ByteArrayOutputStream();
        for (byte[] p : parts) out.writeBytes(p);
        return out.toByteArray();
    }
}
