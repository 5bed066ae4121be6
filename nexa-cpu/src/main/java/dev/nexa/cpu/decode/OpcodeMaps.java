package dev.nexa.cpu.decode;

import java.util.function.Consumer;

/**
 * The opcode maps the decoder consults: legacy one-byte, 0F, 0F38, 0F3A, and the VEX maps
 * (VEX.mmmmm = 1, 2, 3 select 0F, 0F38, 0F3A). Filled once by the family row classes
 * ({@link GpRows}, SSE and x87 rows), each of which owns its cells.
 */
public final class OpcodeMaps {
    public static final int ONE_BYTE = 0, TWO_BYTE = 1, MAP_0F38 = 2, MAP_0F3A = 3;
    public static final int VEX_0F = 4, VEX_0F38 = 5, VEX_0F3A = 6;
    private static final int MAPS = 7;
    static final String[] NAMES = {"", "0F ", "0F 38 ", "0F 3A ", "VEX.0F ", "VEX.0F38 ", "VEX.0F3A "};

    private final Entry[][] maps = new Entry[MAPS][256];

    private static volatile OpcodeMaps standard;

    /** The maps of every implemented family, built on first use. */
    public static OpcodeMaps standard() {
        OpcodeMaps m = standard;
        if (m == null) {
            synchronized (OpcodeMaps.class) {
                m = standard;
                if (m == null) standard = m = build(GpRows::register, SseRows::register, X87Rows::register);
            }
        }
        return m;
    }

    @SafeVarargs
    static OpcodeMaps build(Consumer<OpcodeMaps>... families) {
        OpcodeMaps m = new OpcodeMaps();
        for (Consumer<OpcodeMaps> f : families) f.accept(m);
        return m;
    }

    public Entry get(int map, int opcode) { return maps[map][opcode]; }

    /** Sets a cell; a cell is set once (two families claiming one cell is a table bug). */
    public void set(int map, int opcode, Entry e) {
        if (maps[map][opcode] != null) {
            throw new IllegalStateException("opcode " + NAMES[map] + Integer.toHexString(opcode) + " set twice");
        }
        maps[map][opcode] = e;
    }

    public void set(int map, int opcode, Rows.Row row) { set(map, opcode, row.leaf()); }

    /**
     * Adds one mandatory-prefix column (0 none, 1 66, 2 F3, 3 F2) to a cell, so families can
     * share a cell split by prefix (0F B8: JMPE / POPCNT; 0F 38 F0: MOVBE / CRC32).
     */
    public void setPrefixed(int map, int opcode, int column, Entry e) {
        Entry[] cols = new Entry[4];
        Entry cur = maps[map][opcode];
        if (cur instanceof Entry.ByPrefix(Entry n, Entry p66, Entry f3, Entry f2)) {
            cols = new Entry[] {n, p66, f3, f2};
        } else if (cur != null) {
            throw new IllegalStateException("opcode " + NAMES[map] + Integer.toHexString(opcode) + " is not prefix-split");
        }
        if (cols[column] != null) throw new IllegalStateException("prefix column set twice");
        cols[column] = e;
        maps[map][opcode] = new Entry.ByPrefix(cols[0], cols[1], cols[2], cols[3]);
    }

    public void setPrefixed(int map, int opcode, int column, Rows.Row row) { setPrefixed(map, opcode, column, row.leaf()); }

    public int mapCount() { return MAPS; }
}
