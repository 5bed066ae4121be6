package dev.nexa.cpu.decode;

import java.util.List;

/**
 * Decodes one x86-64 instruction (64-bit mode) into an {@link Insn}: legacy prefixes, REX,
 * VEX (C4/C5), the opcode maps, ModRM/SIB/displacement, RIP-relative addressing and immediates
 * (Intel SDM Vol. 2A chapter 2). Undefined encodings decode to {@link Op#UD}, which raises #UD
 * only if executed; over-long instructions (more than 15 bytes) decode to
 * {@link Op#PRIVILEGED}, which raises #GP(0). The decoder itself never throws except when a
 * byte cannot be fetched.
 */
public final class Decoder {
    public static final int MAX_LENGTH = 15;

    /** Where instruction bytes come from; may throw the MMU's fault for an unmapped byte. */
    @FunctionalInterface
    public interface Bytes {
        int at(long address);
    }

    private final OpcodeMaps maps;

    public Decoder(OpcodeMaps maps) { this.maps = maps; }

    public Decoder() { this(OpcodeMaps.standard()); }

    public OpcodeMaps maps() { return maps; }

    /** Decodes the instruction at {@code address}; {@code blockOffset} is its offset in its block. */
    public Insn decode(Bytes code, long address, int blockOffset) {
        return new Cursor(code, address, blockOffset).decode();
    }

    /**
     * The table row the instruction at {@code address} decodes through, or null when it is
     * undefined (an empty cell, or a row whose constraints the encoding breaks: LOCK, VEX.L ...).
     * For tools (the ISA table's oracle coverage); execution never needs it.
     */
    public Entry.Leaf leafOf(Bytes code, long address) {
        var cursor = new Cursor(code, address, 0);
        Insn i = cursor.decode();
        return cursor.reached != null && cursor.reached.op() == i.op() ? cursor.reached : null;
    }

    private static final class TooLong extends RuntimeException {
        TooLong() { super(null, null, false, false); }
    }

    private static final TooLong TOO_LONG = new TooLong();

    /** The per-instruction decoding state. */
    private final class Cursor {
        private final Bytes code;
        private final long start;
        private final int blockOffset;
        private int pos;
        private int prefixes, seg, rep, rex;
        private boolean vex;
        private int vexW, vexL, vexPp, vvvv = -1;
        private int modrm = -1, sib;
        private int base = Insn.NONE, index = Insn.NONE, scale;
        private long disp;
        private int immCount;
        private long imm, imm2;
        /** The leaf the tables led to (see {@link #leafOf}). */
        private Entry.Leaf reached;

        Cursor(Bytes code, long start, int blockOffset) {
            this.code = code;
            this.start = start;
            this.blockOffset = blockOffset;
        }

        private int next() {
            if (pos >= MAX_LENGTH) throw TOO_LONG;
            return code.at(start + pos++) & 0xFF;
        }

        private long nextSigned(int bytes) {
            long v = 0;
            for (int i = 0; i < bytes; i++) v |= (long) next() << (8 * i);
            int shift = 64 - 8 * bytes;
            return v << shift >> shift;
        }

        Insn decode() {
            try {
                return decodeUnchecked();
            } catch (TooLong e) {
                return simple(Op.PRIVILEGED, MAX_LENGTH);
            }
        }

        private Insn simple(Op op, int len) {
            return new Insn(op, len, blockOffset + len, 8, 8, 8, Insn.NONE, Insn.NONE, Insn.NONE,
                    Insn.NONE, Insn.NONE, 0, 0, Insn.SEG_NONE, 0, 0, prefixes, 0, Insn.NONE);
        }

        private Insn undefined() { return simple(Op.UD, pos); }

        private Insn decodeUnchecked() {
            while (true) {
                int b = next();
                switch (b) {
                    case 0xF0 -> prefixes |= Prefix.LOCK;
                    case 0xF2 -> rep = 3;
                    case 0xF3 -> rep = 2;
                    case 0x2E, 0x36, 0x3E, 0x26 -> { } // ES/CS/SS/DS overrides: no effect in 64-bit mode
                    case 0x64 -> seg = Insn.SEG_FS;
                    case 0x65 -> seg = Insn.SEG_GS;
                    case 0x66 -> prefixes |= Prefix.OPSIZE;
                    case 0x67 -> prefixes |= Prefix.ADDRSIZE;
                    default -> {
                        if ((b & 0xF0) != 0x40) return opcode(b);
                        // REX counts only if the opcode follows directly: a legacy prefix (or
                        // another REX) after it cancels it (SDM Vol. 2A §2.2.1).
                        int after = next();
                        if ((after & 0xF0) == 0x40 || isLegacyPrefix(after)) {
                            pos--;
                            continue;
                        }
                        rex = b;
                        return opcode(after);
                    }
                }
            }
        }

        private static boolean isLegacyPrefix(int b) {
            return switch (b) {
                case 0xF0, 0xF2, 0xF3, 0x2E, 0x36, 0x3E, 0x26, 0x64, 0x65, 0x66, 0x67 -> true;
                default -> false;
            };
        }

        private Insn opcode(int b) {
            if (rex != 0) {
                prefixes |= Prefix.REX;
                if ((rex & 8) != 0) prefixes |= Prefix.REX_W;
            }
            if (rep == 2) prefixes |= Prefix.REP;
            if (rep == 3) prefixes |= Prefix.REPNE;
            int map = OpcodeMaps.ONE_BYTE;
            if (b == 0x0F) {
                b = next();
                if (b == 0x38) { map = OpcodeMaps.MAP_0F38; b = next(); }
                else if (b == 0x3A) { map = OpcodeMaps.MAP_0F3A; b = next(); }
                else map = OpcodeMaps.TWO_BYTE;
            } else if (b == 0xC4 || b == 0xC5) {
                // VEX: in 64-bit mode C4/C5 are always VEX (LES/LDS do not exist).
                if (rex != 0 || rep != 0 || (prefixes & (Prefix.OPSIZE | Prefix.LOCK)) != 0) return undefined();
                vex = true;
                prefixes |= Prefix.VEX;
                int b1 = next();
                int mmmmm, b2;
                if (b == 0xC5) {
                    rex = 0x40 | ((~b1 >> 5) & 4);            // R
                    mmmmm = 1;
                    b2 = b1;
                } else {
                    rex = 0x40 | ((~b1 >> 5) & 7);            // R X B
                    mmmmm = b1 & 0x1F;
                    b2 = next();
                    vexW = b2 >>> 7;
                    if (vexW != 0) prefixes |= Prefix.REX_W;
                }
                vvvv = (~b2 >>> 3) & 15;
                vexL = (b2 >>> 2) & 1;
                if (vexL != 0) prefixes |= Prefix.VEX_L;
                vexPp = b2 & 3;
                if (mmmmm < 1 || mmmmm > 3) return undefined();
                map = OpcodeMaps.VEX_0F + mmmmm - 1;
                b = next();
            }
            return resolve(map, b);
        }

        private int modrm() {
            if (modrm < 0) modrm = next();
            return modrm;
        }

        private Insn resolve(int map, int opcode) {
            Entry e = maps.get(map, opcode);
            while (true) {
                switch (e) {
                    case null -> { return undefined(); }
                    case Entry.Leaf leaf -> { return leaf(leaf, opcode); }
                    case Entry.ByReg g -> e = g.byReg()[(modrm() >> 3) & 7];
                    case Entry.ByMod m -> e = (modrm() >> 6) == 3 ? m.reg() : m.mem();
                    case Entry.ByRm r -> e = r.byRm()[modrm() & 7];
                    case Entry.ByW w -> e = (prefixes & Prefix.REX_W) != 0 ? w.w1() : w.w0();
                    case Entry.ByPrefix p -> e = byPrefix(p);
                }
            }
        }

        /**
         * The mandatory prefix picks the column (VEX.pp when VEX-encoded). A legacy prefix that
         * selects nothing is an ordinary prefix again: 66 F3 0F B8 is POPCNT r16, and F2 0F BC
         * is BSF (the F2 ignored).
         */
        private Entry byPrefix(Entry.ByPrefix p) {
            if (vex) {
                return switch (vexPp) { case 0 -> p.none(); case 1 -> p.p66(); case 2 -> p.pF3(); default -> p.pF2(); };
            }
            if (rep == 2 && p.pF3() != null) { prefixes &= ~Prefix.REP; return p.pF3(); }
            if (rep == 3 && p.pF2() != null) { prefixes &= ~Prefix.REPNE; return p.pF2(); }
            if (rep == 0 && (prefixes & Prefix.OPSIZE) != 0 && p.p66() != null) {
                prefixes &= ~Prefix.OPSIZE;
                return p.p66();
            }
            if (rep != 0 && (prefixes & Prefix.OPSIZE) != 0 && p.p66() != null && p.none() == null) {
                prefixes &= ~Prefix.OPSIZE;
                return p.p66();
            }
            return p.none();
        }

        private Insn leaf(Entry.Leaf leaf, int opcode) {
            reached = leaf;
            if (leaf.has(Entry.Flag.VEX) && !vex || leaf.has(Entry.Flag.NO_VEX) && vex) return undefined();
            if (leaf.has(Entry.Flag.L0) && vexL != 0) return undefined();
            List<Operand> ops = leaf.operands();
            boolean needsModrm = leaf.has(Entry.Flag.MODRM) || modrm >= 0;
            for (Operand o : ops) needsModrm |= o.needsModrm();
            if (needsModrm) {
                // Fetched by a group or named by an operand: either way its SIB and displacement
                // belong to this instruction.
                int m = modrm();
                if ((m >> 6) != 3) memoryOperand(m);
            }
            boolean w = (prefixes & Prefix.REX_W) != 0;
            int opsize = w ? 8 : (prefixes & Prefix.OPSIZE) != 0 ? 2 : 4;
            if (leaf.has(Entry.Flag.D64)) opsize = (prefixes & Prefix.OPSIZE) != 0 ? 2 : 8;
            if (leaf.has(Entry.Flag.F64)) opsize = 8;
            int asize = (prefixes & Prefix.ADDRSIZE) != 0 ? 4 : 8;

            int[] desc = {Insn.NONE, Insn.NONE, Insn.NONE};
            int[] sizes = {opsize, opsize, opsize};
            for (int k = 0; k < ops.size() && k < 4; k++) {
                Operand o = ops.get(k);
                int size = resolveSize(o, opsize, w);
                int d = operand(o, size, opcode, asize);
                if (d == UNDEFINED) return undefined();
                if (k < 3) {
                    desc[k] = d;
                    sizes[k] = size;
                }
            }
            if ((prefixes & Prefix.LOCK) != 0 && (!leaf.has(Entry.Flag.LOCK) || desc[0] != Insn.MEM)) {
                return undefined();
            }
            // An immediate first operand (PUSH imm, ENTER, RET imm16, INT n, Jcc) has the
            // immediate's width; the instruction itself works at the operand size.
            Operand.Kind first = ops.isEmpty() ? null : ops.get(0).kind;
            int size = first == null || first == Operand.Kind.I || first == Operand.Kind.J ? opsize : sizes[0];
            int ssize = ops.size() > 1 ? sizes[1] : size;
            int vreg = vex ? vvvv : Insn.NONE;
            return new Insn(leaf.op(), pos, blockOffset + pos, size, ssize, asize, desc[0], desc[1], desc[2],
                    base, index, scale, disp, seg, imm, imm2, prefixes | (vexL != 0 ? Prefix.VEX_L : 0),
                    opcode & 0xF, vreg);
        }

        private static final int UNDEFINED = Integer.MIN_VALUE;

        private int resolveSize(Operand o, int opsize, boolean w) {
            return switch (o.size) {
                case Operand.Size.V -> opsize;
                case Operand.Size.Y -> w ? 8 : 4;
                case Operand.Size.Z -> Math.min(opsize, 4);
                case Operand.Size.X -> vexL != 0 ? 32 : 16;
                default -> o.size;
            };
        }

        private void memoryOperand(int m) {
            int mod = m >> 6, rm = m & 7;
            int rexB = (rex & 1) << 3, rexX = (rex & 2) << 2;
            if (rm == 4) {
                sib = next();
                scale = sib >> 6;
                int idx = ((sib >> 3) & 7) | rexX;
                index = idx == 4 ? Insn.NONE : idx;
                int b = sib & 7;
                if (b == 5 && mod == 0) {
                    base = Insn.NONE;
                    disp = nextSigned(4);
                } else {
                    base = b | rexB;
                }
            } else if (rm == 5 && mod == 0) {
                base = Insn.RIP;
                disp = nextSigned(4);
            } else {
                base = rm | rexB;
            }
            if (mod == 1) disp = nextSigned(1);
            else if (mod == 2) disp = nextSigned(4);
        }

        private int gpr(int n, int size) {
            if (size == 1 && rex == 0 && n >= 4 && n < 8) return Insn.AH + n - 4;
            return n;
        }

        private int immediate(long value) {
            if (immCount++ == 0) {
                imm = value;
                return Insn.IMM;
            }
            imm2 = value;
            return Insn.IMM2;
        }

        private int operand(Operand o, int size, int opcode, int asize) {
            int m = modrm;
            boolean regForm = m >= 0 && (m >> 6) == 3;
            int reg = m < 0 ? 0 : ((m >> 3) & 7) | ((rex & 4) << 1);
            int rm = m < 0 ? 0 : (m & 7) | ((rex & 1) << 3);
            return switch (o.kind) {
                case E -> regForm ? gpr(rm, size) : Insn.MEM;
                case R -> regForm ? gpr(rm, size) : UNDEFINED;
                case M -> regForm ? UNDEFINED : Insn.MEM;
                case G -> gpr(reg, size);
                case V -> Insn.XMM + reg;
                case W -> regForm ? Insn.XMM + rm : Insn.MEM;
                case U -> regForm ? Insn.XMM + rm : UNDEFINED;
                case H -> Insn.XMM + vvvv;
                case B -> vvvv;
                case P -> Insn.MMX + (reg & 7);
                case Q -> regForm ? Insn.MMX + (m & 7) : Insn.MEM;
                case N -> regForm ? Insn.MMX + (m & 7) : UNDEFINED;
                case I -> immediate(nextSigned(o.size == Operand.Size.V ? size : Math.min(size, 4)));
                case J -> immediate(nextSigned(o.size));
                case O -> {
                    base = Insn.NONE;
                    index = Insn.NONE;
                    disp = asize == 8 ? nextSigned(8) : nextSigned(4) & 0xFFFF_FFFFL;
                    yield Insn.MEM;
                }
                case Z -> gpr((opcode & 7) | ((rex & 1) << 3), size);
                case FIXED -> switch (o) {
                    case AL, rAX -> 0;
                    case CL -> 1;
                    case DX -> 2;
                    default -> immediate(1);                       // ONE
                };
                case L -> {
                    long is4 = nextSigned(1);
                    immediate(is4);
                    yield Insn.XMM + (int) ((is4 >>> 4) & 15);
                }
                case ST -> o == Operand.ST0 ? Insn.ST : Insn.ST + (m & 7);
                case STRING -> Insn.NONE;
            };
        }
    }
}
