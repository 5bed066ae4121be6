package dev.nexa.cpu.decode;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * The implemented instruction forms, read off the opcode maps: one {@link Row} per path through
 * the tables to a {@link Entry.Leaf} (map, mandatory prefix, opcode, ModRM.reg group, mod, rm,
 * REX.W), written in the SDM's opcode-column notation ({@code 66 0F 38 00 /r},
 * {@code 0F AE /2 (mem)}, {@code D9 E8}, {@code D8 C0+i}). Neighbouring opcodes that lead to
 * equal leaves are one row ({@code 50+r}, {@code 70+cc}, {@code 0F 19-1F}). Nothing here is on
 * the decoding path: this is documentation generated from the very tables the decoder uses.
 */
public final class IsaRows {
    private IsaRows() {}

    /**
     * One instruction form.
     *
     * @param encoding the opcode column, unique per row (also the row's key)
     * @param leaf     the table entry (one of them when neighbouring opcodes were merged)
     * @param map      the opcode map ({@link OpcodeMaps#ONE_BYTE} ...)
     * @param opcode   the (first) opcode byte
     * @param note     what the row does instead of an operation, or "" (#UD, #GP at CPL 3)
     */
    public record Row(String encoding, Entry.Leaf leaf, int map, int opcode, String mnemonic, String operands,
                      String flags, Extension ext, String note) {
        /** Whether the form has a ModRM r/m operand that can be a register or memory. */
        public boolean hasRm() {
            return leaf.operands().stream().anyMatch(o -> switch (o.kind) {
                case E, M, R, W, U, Q, N -> true;
                default -> false;
            });
        }
    }

    private static volatile Index standard;

    private record Index(List<Row> rows, Map<Entry.Leaf, Row> byLeaf) {}

    private static Index index() {
        Index i = standard;
        if (i == null) {
            synchronized (IsaRows.class) {
                i = standard;
                if (i == null) standard = i = build(OpcodeMaps.standard());
            }
        }
        return i;
    }

    /** Every row of the standard tables, in map and opcode order. */
    public static List<Row> all() {
        return index().rows();
    }

    /** The row a leaf of the standard tables belongs to (the decoder's {@link Decoder#leafOf}). */
    public static Row of(Entry.Leaf leaf) {
        return index().byLeaf().get(leaf);
    }

    /** A path through the tables: which choice each level made (-1: none at that level). */
    private record Path(int prefix, int w, int reg, int mod, int rm) {
        static final Path ROOT = new Path(-1, -1, -1, -1, -1);

        Path prefix(int p) { return new Path(p, w, reg, mod, rm); }

        Path w(int v) { return new Path(prefix, v, reg, mod, rm); }

        Path reg(int r) { return new Path(prefix, w, r, mod, rm); }

        Path mod(int m) { return new Path(prefix, w, reg, m, rm); }

        Path rm(int r) { return new Path(prefix, w, reg, 1, r); }
    }

    private record Found(Path path, Entry.Leaf leaf) {}

    private static void walk(Entry e, Path p, List<Found> out) {
        switch (e) {
            case null -> { }
            case Entry.Leaf l -> out.add(new Found(p, l));
            case Entry.ByReg g -> {
                for (int r = 0; r < 8; r++) walk(g.byReg()[r], p.reg(r), out);
            }
            case Entry.ByMod m -> {
                walk(m.mem(), p.mod(0), out);
                walk(m.reg(), p.mod(1), out);
            }
            case Entry.ByRm r -> {
                for (int k = 0; k < 8; k++) walk(r.byRm()[k], p.rm(k), out);
            }
            case Entry.ByPrefix x -> {
                walk(x.none(), p.prefix(0), out);
                walk(x.p66(), p.prefix(1), out);
                walk(x.pF3(), p.prefix(2), out);
                walk(x.pF2(), p.prefix(3), out);
            }
            case Entry.ByW w -> {
                walk(w.w0(), p.w(0), out);
                walk(w.w1(), p.w(1), out);
            }
        }
    }

    static Index build(OpcodeMaps maps) {
        var rows = new ArrayList<Row>();
        var byLeaf = new IdentityHashMap<Entry.Leaf, Row>();
        for (int map = 0; map < maps.mapCount(); map++) {
            List<List<Found>> cells = new ArrayList<>();
            for (int op = 0; op < 256; op++) {
                var found = new ArrayList<Found>();
                walk(maps.get(map, op), Path.ROOT, found);
                cells.add(found);
            }
            for (int op = 0; op < 256; ) {
                int end = op + 1;
                while (end < 256 && !cells.get(op).isEmpty() && same(cells.get(op), cells.get(end))) end++;
                for (int k = 0; k < cells.get(op).size(); k++) {
                    Found f = cells.get(op).get(k);
                    Row row = row(map, op, end - 1, f);
                    rows.add(row);
                    for (int o = op; o < end; o++) {
                        Entry.Leaf leaf = cells.get(o).get(k).leaf();
                        if (byLeaf.put(leaf, row) != null) {
                            throw new IllegalStateException("one leaf object in two rows: " + row.encoding());
                        }
                    }
                }
                op = end;
            }
        }
        return new Index(Collections.unmodifiableList(rows), byLeaf);
    }

    private static boolean same(List<Found> a, List<Found> b) {
        if (a.size() != b.size()) return false;
        for (int k = 0; k < a.size(); k++) {
            if (!a.get(k).path().equals(b.get(k).path()) || !a.get(k).leaf().equals(b.get(k).leaf())) return false;
        }
        return true;
    }

    private static final String[] MAPS = {"", "0F", "0F 38", "0F 3A", "0F", "0F38", "0F3A"};
    private static final String[] PREFIXES = {"NP", "66", "F3", "F2"};

    private static Row row(int map, int first, int last, Found f) {
        Entry.Leaf leaf = f.leaf();
        Path p = f.path();
        var enc = new StringJoiner(" ");
        boolean vex = map >= OpcodeMaps.VEX_0F;
        if (vex) {
            String pp = p.prefix() < 0 ? "NP" : PREFIXES[p.prefix()];
            enc.add("VEX" + (leaf.has(Entry.Flag.L0) ? ".LZ" : "") + "." + pp + "." + MAPS[map]
                    + (p.w() < 0 ? "" : ".W" + p.w()));
        } else {
            if (p.prefix() > 0 || p.prefix() == 0 && leaf.op().family() == Op.Family.SSE) enc.add(PREFIXES[p.prefix()]);
            if (p.w() == 1) enc.add("REX.W");
            if (!MAPS[map].isEmpty()) enc.add(MAPS[map]);
        }
        enc.add(opcodeLabel(first, last, leaf));
        String modrm = modrm(p, leaf);
        if (!modrm.isEmpty()) enc.add(modrm);
        for (Operand o : leaf.operands()) {
            String imm = switch (o) {
                case I_b -> "ib";
                case I_w -> "iw";
                case I_d -> "id";
                case I_z -> "iz";
                case I_v -> "iv";
                case J_b -> "cb";
                case J_z -> "cd";
                case L_x -> "/is4";
                default -> "";
            };
            if (!imm.isEmpty()) enc.add(imm);
        }
        return new Row(enc.toString(), leaf, map, first, mnemonic(leaf, map, first, p), operands(leaf), flags(leaf),
                leaf.ext(), note(leaf));
    }

    private static String opcodeLabel(int first, int last, Entry.Leaf leaf) {
        if (first == last) return hex(first);
        boolean byRegister = leaf.operands().stream().anyMatch(o -> o.kind == Operand.Kind.Z);
        if (byRegister && last - first == 7 && first % 8 == 0) return hex(first) + "+r";
        boolean byCondition = switch (leaf.op()) {
            case JCC, SETCC, CMOVCC -> true;
            default -> false;
        };
        if (byCondition && last - first == 15) return hex(first) + "+cc";
        return hex(first) + "-" + hex(last);
    }

    private static String modrm(Path p, Entry.Leaf leaf) {
        if (p.rm() >= 0) return hex(0xC0 | p.reg() << 3 | p.rm());
        boolean sti = leaf.operands().contains(Operand.STi);
        if (p.reg() >= 0) {
            if (p.mod() == 1 && sti) return hex(0xC0 | p.reg() << 3) + "+i";
            return "/" + p.reg() + (p.mod() == 0 ? " (mem)" : p.mod() == 1 ? " (reg)" : "");
        }
        boolean modrm = leaf.has(Entry.Flag.MODRM) || leaf.operands().stream().anyMatch(Operand::needsModrm);
        if (!modrm) return "";
        return "/r" + (p.mod() == 0 ? " (mem)" : p.mod() == 1 ? " (reg)" : "");
    }

    private static String hex(int b) {
        return "%02X".formatted(b);
    }

    /** The assembler mnemonic, where the operation's name is not it. */
    private static String mnemonic(Entry.Leaf leaf, int map, int opcode, Path p) {
        Op op = leaf.op();
        return switch (op) {
            case IMUL1 -> "imul";
            case CALL_IND -> "call";
            case JMP_IND -> "jmp";
            case MOV_SREG -> "mov";
            case CMPXCHG8B -> p.w() == 1 ? "cmpxchg16b" : "cmpxchg8b";
            case CBW -> "cbw/cwde/cdqe";
            case CWD -> "cwd/cdq/cqo";
            case MOVD -> "movd/movq";
            case INT3 -> opcode == 0xF1 ? "int1" : "int3";
            case UD -> map == OpcodeMaps.TWO_BYTE ? switch (opcode) {
                case 0x0B -> "ud2";
                case 0xB9 -> "ud1";
                case 0xFF -> "ud0";
                default -> "ud";
            } : "ud";
            case FENCE -> switch (p.reg()) {
                case 5 -> "lfence";
                case 6 -> "mfence";
                default -> "sfence";
            };
            case PREFETCH -> opcode == 0x0D ? "prefetchw" : "prefetchh";
            case FNOP_LEGACY -> switch (p.rm()) {
                case 0 -> "feni";
                case 1 -> "fdisi";
                default -> "fsetpm";
            };
            case FNSTSW_AX -> "fnstsw";
            case PRIVILEGED -> "(privileged)";
            default -> op.mnemonic();
        };
    }

    private static String operands(Entry.Leaf leaf) {
        var j = new StringJoiner(", ");
        boolean x87 = leaf.op().family() == Op.Family.X87 && leaf.op() != Op.FXSAVE && leaf.op() != Op.FXRSTOR;
        for (Operand o : leaf.operands()) j.add(x87 && o.kind == Operand.Kind.M ? x87Memory(leaf.op(), o) : notation(o));
        return j.toString();
    }

    /** The SDM's notation: Ev, Gv, Ib, rAX, Vx, Wss, ST(0), ST(i) ... */
    static String notation(Operand o) {
        return switch (o) {
            case ST0 -> "ST(0)";
            case STi -> "ST(i)";
            case ONE -> "1";
            case AL, CL, DX, rAX -> o.name();
            default -> o.name().replace("_", "");
        };
    }

    /** x87 memory operands as the SDM names them: m32fp, m16int, m80bcd, m2byte, m14/28byte ... */
    private static String x87Memory(Op op, Operand o) {
        String bits = switch (o) {
            case M_w -> "16";
            case M_d -> "32";
            case M_q -> "64";
            case M_t -> "80";
            default -> "";
        };
        return switch (op) {
            case FLDCW, FNSTCW, FNSTSW -> "m2byte";
            case FLDENV, FNSTENV -> "m14/28byte";
            case FNSAVE, FRSTOR -> "m94/108byte";
            case FBLD, FBSTP -> "m80bcd";
            case FILD, FIST, FISTP, FISTTP, FIADD, FIMUL, FISUB, FISUBR, FIDIV, FIDIVR, FICOM, FICOMP -> "m" + bits + "int";
            default -> "m" + bits + "fp";
        };
    }

    private static String flags(Entry.Leaf leaf) {
        var j = new StringJoiner(" ");
        if (leaf.has(Entry.Flag.LOCK)) j.add("lock");
        if (leaf.has(Entry.Flag.D64)) j.add("d64");
        if (leaf.has(Entry.Flag.F64)) j.add("f64");
        if (leaf.has(Entry.Flag.NO_VEX)) j.add("no-vex");
        return j.toString();
    }

    private static String note(Entry.Leaf leaf) {
        return switch (leaf.op()) {
            case UD -> "#UD";
            case PRIVILEGED -> "#GP(0) at CPL 3 (HLT, CLI, STI, IN, OUT, INS, OUTS)";
            case XGETBV -> "#UD: CR4.OSXSAVE is clear (CPUID reports no OSXSAVE)";
            case INT3 -> "#BP";
            case INT -> "#GP (no IDT gate for user mode)";
            default -> "";
        };
    }
}
