package dev.nexa.cpu.sse;

import java.util.HexFormat;

/**
 * One decoder row under test, described by its encoding: mandatory prefix, opcode bytes, what
 * the ModRM.reg field names, what the ModRM.rm field may name (register class, memory size,
 * alignment), the immediate, REX.W, and the kind of values to fill registers and memory with.
 */
record Row(String name, int prefix, int[] opcode, Kind reg, int fixedReg, Kind rm, int mem, int flags, Type type) {
    /** Register classes. */
    enum Kind { XMM, MMX, GPR, NONE }

    /** What to fill vector registers and memory with. */
    enum Type { F32, F64, INT }

    static final int REG_ONLY = 1, MEM_ONLY = 2, ALIGNED = 4, IMM = 8, W_ANY = 16, W_SIZED_MEM = 32, NO_MODRM = 64;

    boolean has(int f) { return (flags & f) != 0; }

    Row plus(int f) { return new Row(name, prefix, opcode, reg, fixedReg, rm, mem, flags | f, type); }

    /** Parses "66 0F 38 00" into the prefix (0 when none) and the opcode bytes. */
    static Row of(String name, String bytes, Kind reg, int fixedReg, Kind rm, int mem, int flags, Type type) {
        byte[] b = HexFormat.of().parseHex(bytes.replace(" ", ""));
        int prefix = 0, start = 0;
        if ((b[0] & 0xFF) == 0x66 || (b[0] & 0xFF) == 0xF2 || (b[0] & 0xFF) == 0xF3) {
            prefix = b[0] & 0xFF;
            start = 1;
        }
        int[] op = new int[b.length - start];
        for (int k = 0; k < op.length; k++) op[k] = b[start + k] & 0xFF;
        return new Row(name, prefix, op, reg, fixedReg, rm, mem, flags, type);
    }

    /**
     * Encodes the instruction: reg field {@code regNum} (or the row's fixed group number), rm
     * field {@code rmNum} or, when {@code rmNum < 0}, memory at [rsi].
     */
    byte[] encode(int regNum, int rmNum, boolean w, int imm) {
        var out = new java.io.ByteArrayOutputStream();
        if (prefix != 0) out.write(prefix);
        int r = fixedReg >= 0 ? fixedReg : regNum;
        int rex = (w ? 8 : 0) | (r >= 8 ? 4 : 0) | (rmNum >= 8 ? 1 : 0);
        if (rex != 0) out.write(0x40 | rex);
        for (int o : opcode) out.write(o);
        if (!has(NO_MODRM)) out.write(rmNum < 0 ? (r & 7) << 3 | 6 : 0xC0 | (r & 7) << 3 | (rmNum & 7));
        if (has(IMM)) out.write(imm);
        return out.toByteArray();
    }

    @Override
    public String toString() { return name; }
}
