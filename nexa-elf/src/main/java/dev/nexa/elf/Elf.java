package dev.nexa.elf;

/**
 * Numeric constants of the ELF64 format as used on x86-64 Linux, with the values of
 * {@code <elf.h>} / {@code include/uapi/linux/elf.h} and {@code include/uapi/linux/auxvec.h}.
 *
 * <p>Also holds the page arithmetic Linux's {@code fs/binfmt_elf.c} uses ({@code ELF_PAGESTART},
 * {@code ELF_PAGEOFFSET}, {@code ELF_PAGEALIGN}) and the user address-space limit.
 */
public final class Elf {
    private Elf() {}

    // ---- e_ident -------------------------------------------------------------------------
    /** Size of {@code e_ident}. */
    public static final int EI_NIDENT = 16;
    /** Index of the file class byte in {@code e_ident}. */
    public static final int EI_CLASS = 4;
    /** Index of the data encoding byte. */
    public static final int EI_DATA = 5;
    /** Index of the identification version byte. */
    public static final int EI_VERSION = 6;
    /** Index of the OS ABI byte. */
    public static final int EI_OSABI = 7;
    /** Index of the ABI version byte. */
    public static final int EI_ABIVERSION = 8;

    public static final int ELFCLASSNONE = 0;
    public static final int ELFCLASS32 = 1;
    public static final int ELFCLASS64 = 2;
    public static final int ELFDATANONE = 0;
    public static final int ELFDATA2LSB = 1;
    public static final int ELFDATA2MSB = 2;
    /** The only defined ELF version, in {@code e_ident[EI_VERSION]} and {@code e_version}. */
    public static final int EV_CURRENT = 1;

    public static final int ELFOSABI_SYSV = 0;
    public static final int ELFOSABI_HPUX = 1;
    public static final int ELFOSABI_NETBSD = 2;
    /** Also known as ELFOSABI_LINUX. */
    public static final int ELFOSABI_GNU = 3;
    public static final int ELFOSABI_SOLARIS = 6;
    public static final int ELFOSABI_AIX = 7;
    public static final int ELFOSABI_IRIX = 8;
    public static final int ELFOSABI_FREEBSD = 9;
    public static final int ELFOSABI_TRU64 = 10;
    public static final int ELFOSABI_MODESTO = 11;
    public static final int ELFOSABI_OPENBSD = 12;
    public static final int ELFOSABI_ARM_AEABI = 64;
    public static final int ELFOSABI_ARM = 97;
    public static final int ELFOSABI_STANDALONE = 255;

    // ---- e_type / e_machine --------------------------------------------------------------
    public static final int ET_NONE = 0;
    public static final int ET_REL = 1;
    public static final int ET_EXEC = 2;
    public static final int ET_DYN = 3;
    public static final int ET_CORE = 4;

    /** AMD x86-64 architecture. */
    public static final int EM_X86_64 = 62;

    // ---- sizes of the ELF64 structures ---------------------------------------------------
    /** {@code sizeof(Elf64_Ehdr)}. */
    public static final int EHDR_SIZE = 64;
    /** {@code sizeof(Elf64_Phdr)}; Linux refuses any other {@code e_phentsize}. */
    public static final int PHDR_SIZE = 56;
    /** {@code sizeof(Elf64_Shdr)}. */
    public static final int SHDR_SIZE = 64;
    /** {@code sizeof(Elf64_Dyn)}. */
    public static final int DYN_SIZE = 16;

    // ---- program header types and flags --------------------------------------------------
    public static final int PT_NULL = 0;
    public static final int PT_LOAD = 1;
    public static final int PT_DYNAMIC = 2;
    public static final int PT_INTERP = 3;
    public static final int PT_NOTE = 4;
    public static final int PT_SHLIB = 5;
    public static final int PT_PHDR = 6;
    public static final int PT_TLS = 7;
    public static final int PT_LOOS = 0x6000_0000;
    public static final int PT_GNU_EH_FRAME = 0x6474_e550;
    public static final int PT_GNU_STACK = 0x6474_e551;
    public static final int PT_GNU_RELRO = 0x6474_e552;
    public static final int PT_GNU_PROPERTY = 0x6474_e553;
    public static final int PT_GNU_SFRAME = 0x6474_e554;
    public static final int PT_HIOS = 0x6fff_ffff;
    public static final int PT_LOPROC = 0x7000_0000;
    public static final int PT_HIPROC = 0x7fff_ffff;

    public static final int PF_X = 1;
    public static final int PF_W = 2;
    public static final int PF_R = 4;

    /** {@code mmap} protection bits (as in {@code <sys/mman.h>}), used by {@link LoadSegment#prot()}. */
    public static final int PROT_NONE = 0;
    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int PROT_EXEC = 4;

    /** {@code e_phnum} value meaning "more than 0xfffe headers" (count in section 0's sh_info). */
    public static final int PN_XNUM = 0xffff;

    // ---- section headers -----------------------------------------------------------------
    public static final int SHN_UNDEF = 0;
    public static final int SHN_LORESERVE = 0xff00;
    /** {@code e_shstrndx} escape: the real index is in section 0's {@code sh_link}. */
    public static final int SHN_XINDEX = 0xffff;

    public static final int SHT_NULL = 0;
    public static final int SHT_PROGBITS = 1;
    public static final int SHT_SYMTAB = 2;
    public static final int SHT_STRTAB = 3;
    public static final int SHT_RELA = 4;
    public static final int SHT_HASH = 5;
    public static final int SHT_DYNAMIC = 6;
    public static final int SHT_NOTE = 7;
    public static final int SHT_NOBITS = 8;
    public static final int SHT_REL = 9;
    public static final int SHT_SHLIB = 10;
    public static final int SHT_DYNSYM = 11;
    public static final int SHT_INIT_ARRAY = 14;
    public static final int SHT_FINI_ARRAY = 15;
    public static final int SHT_PREINIT_ARRAY = 16;
    public static final int SHT_GROUP = 17;
    public static final int SHT_SYMTAB_SHNDX = 18;
    public static final int SHT_RELR = 19;
    public static final int SHT_GNU_HASH = 0x6fff_fff6;
    public static final int SHT_GNU_VERDEF = 0x6fff_fffd;
    public static final int SHT_GNU_VERNEED = 0x6fff_fffe;
    public static final int SHT_GNU_VERSYM = 0x6fff_ffff;

    public static final long SHF_WRITE = 0x1;
    public static final long SHF_ALLOC = 0x2;
    public static final long SHF_EXECINSTR = 0x4;

    // ---- dynamic section tags ------------------------------------------------------------
    public static final long DT_NULL = 0;
    public static final long DT_NEEDED = 1;
    public static final long DT_PLTRELSZ = 2;
    public static final long DT_PLTGOT = 3;
    public static final long DT_HASH = 4;
    public static final long DT_STRTAB = 5;
    public static final long DT_SYMTAB = 6;
    public static final long DT_RELA = 7;
    public static final long DT_RELASZ = 8;
    public static final long DT_RELAENT = 9;
    public static final long DT_STRSZ = 10;
    public static final long DT_SYMENT = 11;
    public static final long DT_INIT = 12;
    public static final long DT_FINI = 13;
    public static final long DT_SONAME = 14;
    public static final long DT_RPATH = 15;
    public static final long DT_SYMBOLIC = 16;
    public static final long DT_REL = 17;
    public static final long DT_RELSZ = 18;
    public static final long DT_RELENT = 19;
    public static final long DT_PLTREL = 20;
    public static final long DT_DEBUG = 21;
    public static final long DT_TEXTREL = 22;
    public static final long DT_JMPREL = 23;
    public static final long DT_BIND_NOW = 24;
    public static final long DT_INIT_ARRAY = 25;
    public static final long DT_FINI_ARRAY = 26;
    public static final long DT_INIT_ARRAYSZ = 27;
    public static final long DT_FINI_ARRAYSZ = 28;
    public static final long DT_RUNPATH = 29;
    public static final long DT_FLAGS = 30;
    public static final long DT_PREINIT_ARRAY = 32;
    public static final long DT_PREINIT_ARRAYSZ = 33;
    public static final long DT_SYMTAB_SHNDX = 34;
    public static final long DT_RELRSZ = 35;
    public static final long DT_RELR = 36;
    public static final long DT_RELRENT = 37;
    public static final long DT_GNU_HASH = 0x6fff_fef5L;
    public static final long DT_VERSYM = 0x6fff_fff0L;
    public static final long DT_RELACOUNT = 0x6fff_fff9L;
    public static final long DT_RELCOUNT = 0x6fff_fffaL;
    public static final long DT_FLAGS_1 = 0x6fff_fffbL;
    public static final long DT_VERDEF = 0x6fff_fffcL;
    public static final long DT_VERDEFNUM = 0x6fff_fffdL;
    public static final long DT_VERNEED = 0x6fff_fffeL;
    public static final long DT_VERNEEDNUM = 0x6fff_ffffL;

    /** {@code DT_FLAGS} bits. */
    public static final long DF_ORIGIN = 0x1;
    public static final long DF_SYMBOLIC = 0x2;
    public static final long DF_TEXTREL = 0x4;
    public static final long DF_BIND_NOW = 0x8;
    public static final long DF_STATIC_TLS = 0x10;
    /** {@code DT_FLAGS_1} bits. */
    public static final long DF_1_NOW = 0x1;
    public static final long DF_1_PIE = 0x0800_0000L;

    // ---- auxiliary vector tags (include/uapi/linux/auxvec.h, arch/x86/include/uapi/asm/auxvec.h)
    public static final int AT_NULL = 0;
    public static final int AT_IGNORE = 1;
    public static final int AT_EXECFD = 2;
    public static final int AT_PHDR = 3;
    public static final int AT_PHENT = 4;
    public static final int AT_PHNUM = 5;
    public static final int AT_PAGESZ = 6;
    public static final int AT_BASE = 7;
    public static final int AT_FLAGS = 8;
    public static final int AT_ENTRY = 9;
    public static final int AT_NOTELF = 10;
    public static final int AT_UID = 11;
    public static final int AT_EUID = 12;
    public static final int AT_GID = 13;
    public static final int AT_EGID = 14;
    public static final int AT_PLATFORM = 15;
    public static final int AT_HWCAP = 16;
    public static final int AT_CLKTCK = 17;
    public static final int AT_SECURE = 23;
    public static final int AT_BASE_PLATFORM = 24;
    public static final int AT_RANDOM = 25;
    public static final int AT_HWCAP2 = 26;
    public static final int AT_RSEQ_FEATURE_SIZE = 27;
    public static final int AT_RSEQ_ALIGN = 28;
    public static final int AT_HWCAP3 = 29;
    public static final int AT_HWCAP4 = 30;
    public static final int AT_EXECFN = 31;
    /** i386 only (vsyscall entry); never passed to x86-64 processes. */
    public static final int AT_SYSINFO = 32;
    public static final int AT_SYSINFO_EHDR = 33;
    public static final int AT_MINSIGSTKSZ = 51;

    // ---- Linux loader limits and page arithmetic (fs/binfmt_elf.c) -------------------------
    /** {@code ELF_MIN_ALIGN} on x86-64: the 4 KiB page. */
    public static final long PAGE_SIZE = 4096;
    /**
     * {@code TASK_SIZE} for a 64-bit task with 4-level paging: {@code (1 << 47) - PAGE_SIZE}.
     * The loader's {@code BAD_ADDR(x)} is {@code x >= TASK_SIZE}.
     */
    public static final long TASK_SIZE = 0x7fff_ffff_f000L;
    /** {@code PATH_MAX}: the largest PT_INTERP {@code p_filesz} Linux accepts. */
    public static final int PATH_MAX = 4096;

    /** {@code ELF_PAGESTART(v)}: {@code v} rounded down to its page. */
    public static long pageStart(long v) {
        return v & -PAGE_SIZE;
    }

    /** {@code ELF_PAGEOFFSET(v)}: the offset of {@code v} within its page. */
    public static long pageOffset(long v) {
        return v & (PAGE_SIZE - 1);
    }

    /** {@code ELF_PAGEALIGN(v)}: {@code v} rounded up to a page (wraps like the C macro near 2^64). */
    public static long pageAlign(long v) {
        return (v + PAGE_SIZE - 1) & -PAGE_SIZE;
    }

    // ---- names -----------------------------------------------------------------------------
    /** The name {@code readelf -l} prints for a program header type, e.g. {@code "LOAD"}, {@code "GNU_STACK"}. */
    public static String segmentTypeName(int type) {
        return switch (type) {
            case PT_NULL -> "NULL";
            case PT_LOAD -> "LOAD";
            case PT_DYNAMIC -> "DYNAMIC";
            case PT_INTERP -> "INTERP";
            case PT_NOTE -> "NOTE";
            case PT_SHLIB -> "SHLIB";
            case PT_PHDR -> "PHDR";
            case PT_TLS -> "TLS";
            case PT_GNU_EH_FRAME -> "GNU_EH_FRAME";
            case PT_GNU_STACK -> "GNU_STACK";
            case PT_GNU_RELRO -> "GNU_RELRO";
            case PT_GNU_PROPERTY -> "GNU_PROPERTY";
            case PT_GNU_SFRAME -> "GNU_SFRAME";
            default -> {
                if (type >= PT_LOPROC && type <= PT_HIPROC) {
                    yield "LOPROC+0x" + Integer.toHexString(type - PT_LOPROC);
                }
                if (type >= PT_LOOS && type <= PT_HIOS) {
                    yield "LOOS+0x" + Integer.toHexString(type - PT_LOOS);
                }
                yield "<unknown>: 0x" + Integer.toHexString(type);
            }
        };
    }

    /** A short name for an {@code e_type} value, as the first word {@code readelf -h} prints. */
    public static String fileTypeName(int type) {
        return switch (type) {
            case ET_NONE -> "NONE";
            case ET_REL -> "REL";
            case ET_EXEC -> "EXEC";
            case ET_DYN -> "DYN";
            case ET_CORE -> "CORE";
            default -> "0x" + Integer.toHexString(type);
        };
    }

    /** Converts ELF segment flags ({@code PF_R|PF_W|PF_X}) to {@code mmap} protection bits, as {@code make_prot()}. */
    public static int protOf(int pFlags) {
        int prot = PROT_NONE;
        if ((pFlags & PF_R) != 0) {
            prot |= PROT_READ;
        }
        if ((pFlags & PF_W) != 0) {
            prot |= PROT_WRITE;
        }
        if ((pFlags & PF_X) != 0) {
            prot |= PROT_EXEC;
        }
        return prot;
    }

    /** Unsigned hexadecimal with a {@code 0x} prefix, the notation of every message in this module. */
    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }
}
