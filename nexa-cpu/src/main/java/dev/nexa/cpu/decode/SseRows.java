package dev.nexa.cpu.decode;

/** SSE..SSE4.2 and MMX rows (0F, 0F38, 0F3A maps, mandatory-prefix columns). */
final class SseRows {
    private SseRows() {}

    static void register(OpcodeMaps m) {
        // Filled in by the SSE work; 0F AE's LDMXCSR/STMXCSR live in GpRows' group 15.
    }
}
