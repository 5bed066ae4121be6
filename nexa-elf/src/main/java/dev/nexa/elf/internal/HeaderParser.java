package dev.nexa.elf.internal;

import static dev.nexa.elf.Elf.hex;

import dev.nexa.elf.Elf;
import dev.nexa.elf.ElfFormatException;
import dev.nexa.elf.ElfFormatException.Kind;
import dev.nexa.elf.ElfHeader;
import dev.nexa.elf.ProgramHeader;
import java.util.ArrayList;
import java.util.List;

/** Reads and validates the ELF header and the program header table: the parts every use needs. */
public final class HeaderParser {
    private HeaderParser() {}

    /**
     * Reads {@code Elf64_Ehdr}. Accepts only ELF64 little-endian x86-64 version 1 files (any
     * {@code e_type}: deciding what can be executed is {@link LoadPlanner}'s job).
     *
     * <p>This is stricter than Linux, whose binfmt_elf checks only the magic, {@code e_type} and
     * {@code e_machine} and runs an x86-64 program whatever its class, data and version bytes say.
     * The extra checks keep, for instance, an x32 binary (ELFCLASS32 with EM_X86_64) from being
     * misread as ELF64; glibc's loader checks the same bytes for the libraries it opens.
     */
    public static ElfHeader header(Image img) throws ElfFormatException {
        if (img.size() < 4 || img.u8(0, "e_ident") != 0x7f || img.u8(1, "e_ident") != 'E'
                || img.u8(2, "e_ident") != 'L' || img.u8(3, "e_ident") != 'F') {
            throw new ElfFormatException(Kind.NOT_ELF, "e_ident", 0, "no ELF magic 7f 45 4c 46");
        }
        if (img.size() < Elf.EI_NIDENT) {
            throw new ElfFormatException(Kind.MALFORMED, "e_ident", 0,
                    "file of " + hex(img.size()) + " bytes ends inside e_ident");
        }
        int elfClass = img.u8(Elf.EI_CLASS, "e_ident[EI_CLASS]");
        if (elfClass != Elf.ELFCLASS64) {
            throw new ElfFormatException(Kind.UNSUPPORTED, "e_ident[EI_CLASS]", Elf.EI_CLASS,
                    "class " + elfClass + " is not ELFCLASS64");
        }
        int data = img.u8(Elf.EI_DATA, "e_ident[EI_DATA]");
        if (data != Elf.ELFDATA2LSB) {
            throw new ElfFormatException(Kind.UNSUPPORTED, "e_ident[EI_DATA]", Elf.EI_DATA,
                    "data encoding " + data + " is not ELFDATA2LSB (little-endian)");
        }
        int identVersion = img.u8(Elf.EI_VERSION, "e_ident[EI_VERSION]");
        if (identVersion != Elf.EV_CURRENT) {
            throw new ElfFormatException(Kind.UNSUPPORTED, "e_ident[EI_VERSION]", Elf.EI_VERSION,
                    "version " + identVersion + " is not EV_CURRENT");
        }
        if (img.size() < Elf.EHDR_SIZE) {
            throw new ElfFormatException(Kind.MALFORMED, "Elf64_Ehdr", 0,
                    "file of " + hex(img.size()) + " bytes is shorter than the 64-byte ELF header");
        }
        int machine = img.u16(ElfHeader.OFF_MACHINE, "e_machine");
        if (machine != Elf.EM_X86_64) {
            throw new ElfFormatException(Kind.UNSUPPORTED, "e_machine", ElfHeader.OFF_MACHINE,
                    "machine " + machine + " is not EM_X86_64 (62)");
        }
        long version = img.u32(ElfHeader.OFF_VERSION, "e_version");
        if (version != Elf.EV_CURRENT) {
            throw new ElfFormatException(Kind.UNSUPPORTED, "e_version", ElfHeader.OFF_VERSION,
                    "version " + version + " is not EV_CURRENT");
        }
        return new ElfHeader(elfClass, data, identVersion,
                img.u8(Elf.EI_OSABI, "e_ident[EI_OSABI]"),
                img.u8(Elf.EI_ABIVERSION, "e_ident[EI_ABIVERSION]"),
                img.u16(ElfHeader.OFF_TYPE, "e_type"),
                machine,
                version,
                img.u64(ElfHeader.OFF_ENTRY, "e_entry"),
                img.u64(ElfHeader.OFF_PHOFF, "e_phoff"),
                img.u64(ElfHeader.OFF_SHOFF, "e_shoff"),
                img.u32(ElfHeader.OFF_FLAGS, "e_flags"),
                img.u16(ElfHeader.OFF_EHSIZE, "e_ehsize"),
                img.u16(ElfHeader.OFF_PHENTSIZE, "e_phentsize"),
                img.u16(ElfHeader.OFF_PHNUM, "e_phnum"),
                img.u16(ElfHeader.OFF_SHENTSIZE, "e_shentsize"),
                img.u16(ElfHeader.OFF_SHNUM, "e_shnum"),
                img.u16(ElfHeader.OFF_SHSTRNDX, "e_shstrndx"));
    }

    /**
     * Reads the program header table. An empty table ({@code e_phnum == 0}, as in object files) is
     * allowed here; otherwise {@code e_phentsize} must be {@code sizeof(Elf64_Phdr)} (Linux's
     * {@code load_elf_phdrs()} refuses anything else) and the whole table must lie in the file.
     * {@code e_phnum == PN_XNUM} is taken literally, as Linux does.
     */
    public static List<ProgramHeader> programHeaders(Image img, ElfHeader h) throws ElfFormatException {
        if (h.phnum() == 0) {
            return List.of();
        }
        if (h.phentsize() != Elf.PHDR_SIZE) {
            throw new ElfFormatException(Kind.MALFORMED, "e_phentsize", ElfHeader.OFF_PHENTSIZE,
                    "program header size " + h.phentsize() + " is not sizeof(Elf64_Phdr) = 56");
        }
        long tableSize = (long) h.phnum() * Elf.PHDR_SIZE;
        if (!img.contains(h.phoff(), tableSize)) {
            throw new ElfFormatException(Kind.MALFORMED, "e_phoff", ElfHeader.OFF_PHOFF,
                    img.pastEnd("program header table", h.phoff(), tableSize));
        }
        var out = new ArrayList<ProgramHeader>(h.phnum());
        for (int i = 0; i < h.phnum(); i++) {
            long at = h.phoff() + (long) i * Elf.PHDR_SIZE;
            String f = "phdr[" + i + "]";
            out.add(new ProgramHeader(
                    img.i32(at + ProgramHeader.OFF_TYPE, f + ".p_type"),
                    img.i32(at + ProgramHeader.OFF_FLAGS, f + ".p_flags"),
                    img.u64(at + ProgramHeader.OFF_OFFSET, f + ".p_offset"),
                    img.u64(at + ProgramHeader.OFF_VADDR, f + ".p_vaddr"),
                    img.u64(at + ProgramHeader.OFF_PADDR, f + ".p_paddr"),
                    img.u64(at + ProgramHeader.OFF_FILESZ, f + ".p_filesz"),
                    img.u64(at + ProgramHeader.OFF_MEMSZ, f + ".p_memsz"),
                    img.u64(at + ProgramHeader.OFF_ALIGN, f + ".p_align")));
        }
        return out;
    }
}
