package dev.nexa.cpu;

/** Placeholder so the module compiles until its real code lands. */
final class CpuPlaceholder {
    private CpuPlaceholder() {}
}
