package dev.nexa.kernel;

/** Placeholder so the module compiles until its real code lands. */
final class KernelPlaceholder {
    private KernelPlaceholder() {}
}
