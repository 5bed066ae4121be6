package dev.nexa.elf;

/**
 * One ELF64 section header ({@code Elf64_Shdr}) with its name resolved through the section name
 * string table. Sections play no part in loading; they are parsed leniently (see
 * {@link ElfFile#warnings()}).
 *
 * @param name      the name from {@code e_shstrndx}'s table, or {@code ""} when it cannot be resolved
 * @param nameIndex {@code sh_name}, offset of the name in the string table
 * @param type      {@code sh_type}, an {@code SHT_*} value
 * @param flags     {@code sh_flags}
 * @param addr      {@code sh_addr}
 * @param offset    {@code sh_offset}
 * @param size      {@code sh_size}
 * @param link      {@code sh_link}
 * @param info      {@code sh_info}
 * @param addralign {@code sh_addralign}
 * @param entsize   {@code sh_entsize}
 */
public record SectionHeader(String name, long nameIndex, int type, long flags, long addr, long offset, long size,
                            long link, long info, long addralign, long entsize) {

    /** True when the section occupies no file space ({@link Elf#SHT_NOBITS}, e.g. {@code .bss}). */
    public boolean noBits() {
        return type == Elf.SHT_NOBITS;
    }
}
