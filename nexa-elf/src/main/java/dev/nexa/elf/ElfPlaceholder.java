package dev.nexa.elf;

/** Placeholder so the module compiles until its real code lands. */
final class ElfPlaceholder {
    private ElfPlaceholder() {}
}
