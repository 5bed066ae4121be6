/** The x86-64 CPU: decoder, interpreter, x87/SSE, CPU exceptions. Knows nothing of Linux. */
module dev.nexa.cpu {
    requires transitive dev.nexa.mem;
    exports dev.nexa.cpu;
    exports dev.nexa.cpu.fpu;
}
