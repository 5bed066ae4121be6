package dev.nexa.kernel.trace;

import dev.nexa.elf.Elf;
import dev.nexa.kernel.mm.Vma;
import dev.nexa.kernel.vfs.OpenFile;

import java.util.ArrayList;
import java.util.List;

/** Linux constants by name, as strace prints them (include/uapi/asm-generic/*.h, linux/mman.h, ...). */
public final class FlagNames {
    private FlagNames() {}

    private static final int[] OPEN_BITS = {OpenFile.O_CREAT, OpenFile.O_EXCL, OpenFile.O_NOCTTY, OpenFile.O_TRUNC,
            OpenFile.O_APPEND, OpenFile.O_NONBLOCK, OpenFile.O_DSYNC, OpenFile.O_ASYNC, OpenFile.O_DIRECT,
            OpenFile.O_LARGEFILE, OpenFile.O_DIRECTORY, OpenFile.O_NOFOLLOW, OpenFile.O_NOATIME, OpenFile.O_CLOEXEC,
            OpenFile.O_PATH};
    private static final String[] OPEN_NAMES = {"O_CREAT", "O_EXCL", "O_NOCTTY", "O_TRUNC", "O_APPEND", "O_NONBLOCK",
            "O_DSYNC", "O_ASYNC", "O_DIRECT", "O_LARGEFILE", "O_DIRECTORY", "O_NOFOLLOW", "O_NOATIME", "O_CLOEXEC",
            "O_PATH"};

    /** open(2) flags: the access mode, then the other bits, then an octal residue (strace's style). */
    public static List<String> open(int flags) {
        List<String> out = new ArrayList<>();
        out.add(switch (flags & OpenFile.O_ACCMODE) {
            case OpenFile.O_RDONLY -> "O_RDONLY";
            case OpenFile.O_WRONLY -> "O_WRONLY";
            case OpenFile.O_RDWR -> "O_RDWR";
            default -> "O_ACCMODE";
        });
        int rest = flags & ~OpenFile.O_ACCMODE;
        for (int k = 0; k < OPEN_BITS.length; k++) {
            if (OPEN_BITS[k] != 0 && (rest & OPEN_BITS[k]) == OPEN_BITS[k]) {
                out.add(OPEN_NAMES[k]);
                rest &= ~OPEN_BITS[k];
            }
        }
        if (rest != 0) out.add("0" + Integer.toOctalString(rest));
        return out;
    }

    /** PROT_* bits; PROT_NONE for 0. */
    public static List<String> prot(int prot) {
        List<String> out = new ArrayList<>();
        if (prot == 0) return List.of("PROT_NONE");
        if ((prot & Vma.PROT_READ) != 0) out.add("PROT_READ");
        if ((prot & Vma.PROT_WRITE) != 0) out.add("PROT_WRITE");
        if ((prot & Vma.PROT_EXEC) != 0) out.add("PROT_EXEC");
        if ((prot & 0x0100_0000) != 0) out.add("PROT_GROWSDOWN");
        if ((prot & 0x0200_0000) != 0) out.add("PROT_GROWSUP");
        int rest = prot & ~0x0300_0007;
        if (rest != 0) out.add("0x" + Integer.toHexString(rest));
        return out;
    }

    /** "rwx" with dashes, as /proc/PID/maps shows a protection. */
    public static String permissions(int prot) {
        return ((prot & Vma.PROT_READ) != 0 ? "r" : "-") + ((prot & Vma.PROT_WRITE) != 0 ? "w" : "-")
                + ((prot & Vma.PROT_EXEC) != 0 ? "x" : "-");
    }

    private static final int[] MAP_BITS = {Vma.MAP_FIXED, Vma.MAP_ANONYMOUS, 0x40, Vma.MAP_GROWSDOWN,
            Vma.MAP_DENYWRITE, Vma.MAP_EXECUTABLE, Vma.MAP_LOCKED, Vma.MAP_NORESERVE, Vma.MAP_POPULATE,
            Vma.MAP_NONBLOCK, Vma.MAP_STACK, Vma.MAP_HUGETLB, Vma.MAP_SYNC, Vma.MAP_FIXED_NOREPLACE};
    private static final String[] MAP_NAMES = {"MAP_FIXED", "MAP_ANONYMOUS", "MAP_32BIT", "MAP_GROWSDOWN",
            "MAP_DENYWRITE", "MAP_EXECUTABLE", "MAP_LOCKED", "MAP_NORESERVE", "MAP_POPULATE", "MAP_NONBLOCK",
            "MAP_STACK", "MAP_HUGETLB", "MAP_SYNC", "MAP_FIXED_NOREPLACE"};

    /** mmap(2) flags: the mapping type, then the other bits, then a hex residue. */
    public static List<String> map(int flags) {
        List<String> out = new ArrayList<>();
        int type = flags & Vma.MAP_TYPE;
        out.add(switch (type) {
            case Vma.MAP_SHARED -> "MAP_SHARED";
            case Vma.MAP_PRIVATE -> "MAP_PRIVATE";
            case Vma.MAP_SHARED_VALIDATE -> "MAP_SHARED_VALIDATE";
            default -> "0x" + Integer.toHexString(type);
        });
        int rest = flags & ~Vma.MAP_TYPE;
        for (int k = 0; k < MAP_BITS.length; k++) {
            if ((rest & MAP_BITS[k]) != 0) {
                out.add(MAP_NAMES[k]);
                rest &= ~MAP_BITS[k];
            }
        }
        if (rest != 0) out.add("0x" + Integer.toHexString(rest));
        return out;
    }

    /** mremap(2) flags; "0" when none. */
    public static List<String> mremap(int flags) {
        List<String> out = new ArrayList<>();
        if ((flags & 1) != 0) out.add("MREMAP_MAYMOVE");
        if ((flags & 2) != 0) out.add("MREMAP_FIXED");
        if ((flags & 4) != 0) out.add("MREMAP_DONTUNMAP");
        int rest = flags & ~7;
        if (rest != 0 || out.isEmpty()) out.add(rest == 0 ? "0" : "0x" + Integer.toHexString(rest));
        return out;
    }

    private static final String[] CLOCKS = {"CLOCK_REALTIME", "CLOCK_MONOTONIC", "CLOCK_PROCESS_CPUTIME_ID",
            "CLOCK_THREAD_CPUTIME_ID", "CLOCK_MONOTONIC_RAW", "CLOCK_REALTIME_COARSE", "CLOCK_MONOTONIC_COARSE",
            "CLOCK_BOOTTIME", "CLOCK_REALTIME_ALARM", "CLOCK_BOOTTIME_ALARM", null, "CLOCK_TAI"};

    /** A clock id's name (include/uapi/linux/time.h), or null for others (dynamic CPU clocks). */
    public static String clock(int id) { return id >= 0 && id < CLOCKS.length ? CLOCKS[id] : null; }

    /** The AT_* name of an auxiliary-vector type (include/uapi/linux/auxvec.h). */
    public static String aux(long type) {
        return switch ((int) type) {
            case Elf.AT_NULL -> "AT_NULL";
            case Elf.AT_IGNORE -> "AT_IGNORE";
            case Elf.AT_EXECFD -> "AT_EXECFD";
            case Elf.AT_PHDR -> "AT_PHDR";
            case Elf.AT_PHENT -> "AT_PHENT";
            case Elf.AT_PHNUM -> "AT_PHNUM";
            case Elf.AT_PAGESZ -> "AT_PAGESZ";
            case Elf.AT_BASE -> "AT_BASE";
            case Elf.AT_FLAGS -> "AT_FLAGS";
            case Elf.AT_ENTRY -> "AT_ENTRY";
            case Elf.AT_NOTELF -> "AT_NOTELF";
            case Elf.AT_UID -> "AT_UID";
            case Elf.AT_EUID -> "AT_EUID";
            case Elf.AT_GID -> "AT_GID";
            case Elf.AT_EGID -> "AT_EGID";
            case Elf.AT_PLATFORM -> "AT_PLATFORM";
            case Elf.AT_HWCAP -> "AT_HWCAP";
            case Elf.AT_CLKTCK -> "AT_CLKTCK";
            case Elf.AT_SECURE -> "AT_SECURE";
            case Elf.AT_BASE_PLATFORM -> "AT_BASE_PLATFORM";
            case Elf.AT_RANDOM -> "AT_RANDOM";
            case Elf.AT_HWCAP2 -> "AT_HWCAP2";
            case 27 -> "AT_RSEQ_FEATURE_SIZE";
            case 28 -> "AT_RSEQ_ALIGN";
            case Elf.AT_EXECFN -> "AT_EXECFN";
            case Elf.AT_SYSINFO -> "AT_SYSINFO";
            case Elf.AT_SYSINFO_EHDR -> "AT_SYSINFO_EHDR";
            case Elf.AT_MINSIGSTKSZ -> "AT_MINSIGSTKSZ";
            default -> "AT_" + type;
        };
    }

    /** A st_mode as strace shows it: {@code S_IFREG|0644}. */
    public static String fileMode(int mode) {
        String type = switch (mode & 0170000) {
            case 0140000 -> "S_IFSOCK";
            case 0120000 -> "S_IFLNK";
            case 0100000 -> "S_IFREG";
            case 0060000 -> "S_IFBLK";
            case 0040000 -> "S_IFDIR";
            case 0020000 -> "S_IFCHR";
            case 0010000 -> "S_IFIFO";
            default -> null;
        };
        String perms = String.format("%04o", mode & 07777);
        return type == null ? "0" + Integer.toOctalString(mode) : type + "|" + perms;
    }
}
