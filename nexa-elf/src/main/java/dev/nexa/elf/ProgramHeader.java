package dev.nexa.elf;

/**
 * One ELF64 program header ({@code Elf64_Phdr}), exactly as stored in the file. The 64-bit fields
 * are unsigned (held in {@code long}; compare with {@link Long#compareUnsigned}); {@code type} and
 * {@code flags} are the raw 32-bit words.
 *
 * @param type   {@code p_type}, a {@code PT_*} value
 * @param flags  {@code p_flags}, {@code PF_R | PF_W | PF_X} and possibly OS/processor bits
 * @param offset {@code p_offset}, file offset of the segment's first byte
 * @param vaddr  {@code p_vaddr}, link-time virtual address
 * @param paddr  {@code p_paddr}, physical address (ignored on Linux)
 * @param filesz {@code p_filesz}, bytes of the segment present in the file
 * @param memsz  {@code p_memsz}, bytes of the segment in memory (the rest is zero)
 * @param align  {@code p_align}
 */
public record ProgramHeader(int type, int flags, long offset, long vaddr, long paddr, long filesz, long memsz,
                            long align) {

    /** Offsets of the fields within one program header. */
    public static final int OFF_TYPE = 0;
    public static final int OFF_FLAGS = 4;
    public static final int OFF_OFFSET = 8;
    public static final int OFF_VADDR = 16;
    public static final int OFF_PADDR = 24;
    public static final int OFF_FILESZ = 32;
    public static final int OFF_MEMSZ = 40;
    public static final int OFF_ALIGN = 48;

    /** A program header of the given type with all other fields zero; convenient with the withers. */
    public static ProgramHeader of(int type) {
        return new ProgramHeader(type, 0, 0, 0, 0, 0, 0, 0);
    }

    /** PF_R is set. */
    public boolean readable() {
        return (flags & Elf.PF_R) != 0;
    }

    /** PF_W is set. */
    public boolean writable() {
        return (flags & Elf.PF_W) != 0;
    }

    /** PF_X is set. */
    public boolean executable() {
        return (flags & Elf.PF_X) != 0;
    }

    /** {@code readelf}'s name for the type, e.g. {@code "LOAD"}; see {@link Elf#segmentTypeName}. */
    public String typeName() {
        return Elf.segmentTypeName(type);
    }

    /** The {@code mmap} protection for this segment ({@code PROT_READ|PROT_WRITE|PROT_EXEC}), as Linux's {@code make_prot()}. */
    public int prot() {
        return Elf.protOf(flags);
    }

    /** Copy with another {@code p_type}. */
    public ProgramHeader withType(int newType) {
        return new ProgramHeader(newType, flags, offset, vaddr, paddr, filesz, memsz, align);
    }

    /** Copy with other {@code p_flags}. */
    public ProgramHeader withFlags(int newFlags) {
        return new ProgramHeader(type, newFlags, offset, vaddr, paddr, filesz, memsz, align);
    }

    /** Copy with another {@code p_offset}. */
    public ProgramHeader withOffset(long newOffset) {
        return new ProgramHeader(type, flags, newOffset, vaddr, paddr, filesz, memsz, align);
    }

    /** Copy with another {@code p_vaddr} (and the same {@code p_paddr}). */
    public ProgramHeader withVaddr(long newVaddr) {
        return new ProgramHeader(type, flags, offset, newVaddr, newVaddr, filesz, memsz, align);
    }

    /** Copy with another {@code p_filesz}. */
    public ProgramHeader withFilesz(long newFilesz) {
        return new ProgramHeader(type, flags, offset, vaddr, paddr, newFilesz, memsz, align);
    }

    /** Copy with another {@code p_memsz}. */
    public ProgramHeader withMemsz(long newMemsz) {
        return new ProgramHeader(type, flags, offset, vaddr, paddr, filesz, newMemsz, align);
    }

    /** Copy with another {@code p_align}. */
    public ProgramHeader withAlign(long newAlign) {
        return new ProgramHeader(type, flags, offset, vaddr, paddr, filesz, memsz, newAlign);
    }

    @Override
    public String toString() {
        return typeName() + " off=" + Elf.hex(offset) + " vaddr=" + Elf.hex(vaddr) + " filesz=" + Elf.hex(filesz)
                + " memsz=" + Elf.hex(memsz) + " flags=" + flagString() + " align=" + Elf.hex(align);
    }

    /** The flags as {@code readelf} prints them: {@code "R E"}, {@code "RW "}, ... */
    public String flagString() {
        return (readable() ? "R" : " ") + (writable() ? "W" : " ") + (executable() ? "E" : " ");
    }
}
