package dev.nexa.cpu.decode;

import java.util.List;

/**
 * The little language decoder rows are written in:
 * {@code one(0x01, op(ADD, E_v, G_v).lock())} reads like the SDM's Table A-2 cell "ADD Ev, Gv".
 */
public final class Rows {
    private Rows() {}

    public static Row op(Op op, Operand... operands) {
        return new Row(new Entry.Leaf(op, List.of(operands), 0));
    }

    /** A ModRM.reg group (SDM Table A-6); {@code null} rows are #UD. */
    public static Entry group(Entry r0, Entry r1, Entry r2, Entry r3, Entry r4, Entry r5, Entry r6, Entry r7) {
        return new Entry.ByReg(new Entry[] {r0, r1, r2, r3, r4, r5, r6, r7});
    }

    /** Memory form vs register form (ModRM.mod != 3 / == 3). */
    public static Entry mod(Entry mem, Entry reg) {
        return new Entry.ByMod(mem, reg);
    }

    /** By mandatory prefix: none, 66, F3, F2. */
    public static Entry prefix(Entry none, Entry p66, Entry pF3, Entry pF2) {
        return new Entry.ByPrefix(none, p66, pF3, pF2);
    }

    /** By ModRM.rm, register forms only. */
    public static Entry rm(Entry... eight) {
        if (eight.length != 8) throw new IllegalArgumentException("8 rm rows");
        return new Entry.ByRm(eight.clone());
    }

    public static Entry w(Entry w0, Entry w1) {
        return new Entry.ByW(w0, w1);
    }

    /** A leaf under construction: {@code op(...).lock().d64()}. Usable wherever an Entry is. */
    public record Row(Entry.Leaf leaf) {
        public Row flag(int f) { return new Row(new Entry.Leaf(leaf.op(), leaf.operands(), leaf.flags() | f, leaf.ext())); }

        /** The extension, where the operation's usual one ({@link Extension#of}) is not it. */
        public Row ext(Extension x) { return new Row(new Entry.Leaf(leaf.op(), leaf.operands(), leaf.flags(), x)); }

        /** LOCK allowed with a memory destination. */
        public Row lock() { return flag(Entry.Flag.LOCK); }

        /** Default operand size 64 (PUSH, POP, ...). */
        public Row d64() { return flag(Entry.Flag.D64); }

        /** Operand size forced to 64 (near branches). */
        public Row f64() { return flag(Entry.Flag.F64); }

        /** Has a ModRM byte although no operand names it. */
        public Row modrm() { return flag(Entry.Flag.MODRM); }

        public Row vex() { return flag(Entry.Flag.VEX); }

        public Row noVex() { return flag(Entry.Flag.NO_VEX); }

        public Row l0() { return flag(Entry.Flag.L0); }
    }
}
