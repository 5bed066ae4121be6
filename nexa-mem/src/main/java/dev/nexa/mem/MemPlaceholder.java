package dev.nexa.mem;

/** Placeholder so the module compiles until its real code lands. */
final class MemPlaceholder {
    private MemPlaceholder() {}
}
