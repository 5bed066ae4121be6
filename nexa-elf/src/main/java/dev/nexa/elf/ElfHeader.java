package dev.nexa.elf;

/**
 * The ELF64 file header ({@code Elf64_Ehdr}). 64-bit fields ({@code e_entry}, {@code e_phoff},
 * {@code e_shoff}) are unsigned and held in a {@code long}; compare them with
 * {@link Long#compareUnsigned}. 16-bit fields are held in an {@code int} (0..65535) and 32-bit ones
 * in a {@code long} (0..2^32-1), so none of these is ever negative.
 *
 * @param elfClass     {@code e_ident[EI_CLASS]} ({@link Elf#ELFCLASS64})
 * @param dataEncoding {@code e_ident[EI_DATA]} ({@link Elf#ELFDATA2LSB})
 * @param identVersion {@code e_ident[EI_VERSION]} ({@link Elf#EV_CURRENT})
 * @param osAbi        {@code e_ident[EI_OSABI]}, an {@code ELFOSABI_*} value
 * @param abiVersion   {@code e_ident[EI_ABIVERSION]}
 * @param type         {@code e_type}, an {@code ET_*} value
 * @param machine      {@code e_machine} ({@link Elf#EM_X86_64})
 * @param version      {@code e_version}
 * @param entry        {@code e_entry}, the link-time entry point address
 * @param phoff        {@code e_phoff}, file offset of the program header table
 * @param shoff        {@code e_shoff}, file offset of the section header table (0: none)
 * @param flags        {@code e_flags}
 * @param ehsize       {@code e_ehsize}
 * @param phentsize    {@code e_phentsize}
 * @param phnum        {@code e_phnum}
 * @param shentsize    {@code e_shentsize}
 * @param shnum        {@code e_shnum} as stored (0 when the count is in section 0, see {@link Elf#SHN_LORESERVE})
 * @param shstrndx     {@code e_shstrndx} as stored (may be {@link Elf#SHN_XINDEX})
 */
public record ElfHeader(
        int elfClass,
        int dataEncoding,
        int identVersion,
        int osAbi,
        int abiVersion,
        int type,
        int machine,
        long version,
        long entry,
        long phoff,
        long shoff,
        long flags,
        int ehsize,
        int phentsize,
        int phnum,
        int shentsize,
        int shnum,
        int shstrndx) {

    /** File offsets of the header fields, used to name the offset in error messages. */
    public static final int OFF_TYPE = 0x10;
    public static final int OFF_MACHINE = 0x12;
    public static final int OFF_VERSION = 0x14;
    public static final int OFF_ENTRY = 0x18;
    public static final int OFF_PHOFF = 0x20;
    public static final int OFF_SHOFF = 0x28;
    public static final int OFF_FLAGS = 0x30;
    public static final int OFF_EHSIZE = 0x34;
    public static final int OFF_PHENTSIZE = 0x36;
    public static final int OFF_PHNUM = 0x38;
    public static final int OFF_SHENTSIZE = 0x3a;
    public static final int OFF_SHNUM = 0x3c;
    public static final int OFF_SHSTRNDX = 0x3e;

    /** True for {@link Elf#ET_DYN}: PIE executables, shared objects and dynamic loaders. */
    public boolean isPositionIndependent() {
        return type == Elf.ET_DYN;
    }

    /** File offset of program header {@code index} ({@code e_phoff + index * e_phentsize}), wrapping like C. */
    public long programHeaderOffset(int index) {
        return phoff + (long) index * phentsize;
    }
}
