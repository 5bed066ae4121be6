package dev.nexa.cpu.decode;

/** x87 rows: the escape opcodes D8-DF (SDM Vol. 2D Tables A-7..A-22) and 9B FWAIT. */
final class X87Rows {
    private X87Rows() {}

    static void register(OpcodeMaps m) {
        // Filled in by the x87 work; FXSAVE/FXRSTOR live in GpRows' group 15.
    }
}
