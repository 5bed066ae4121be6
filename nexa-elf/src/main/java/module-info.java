/** ELF64 parsing and validation into immutable records. */
module dev.nexa.elf {
    exports dev.nexa.elf;
}
