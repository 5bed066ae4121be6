package dev.nexa.kernel.mm;

import dev.nexa.kernel.vfs.MappableFile;

/**
 * One virtual memory area: a page-aligned range [start, end) with one protection and one
 * backing (anonymous zero pages, or a file whose bytes are copied into fresh frames on first
 * touch). Immutable: splitting or re-protecting makes new areas.
 *
 * @param fileLimit how many bytes from {@code offset} come from the file; past it pages are
 *                  zero (an ELF segment's bss shares its last file page). {@code Long.MAX_VALUE}
 *                  for ordinary mmap, where the file's size decides (and pages wholly past the
 *                  end of file raise SIGBUS).
 * @param name      what /proc/PID/maps shows when there is no file: "[heap]", "[stack]", or null
 */
public record Vma(long start, long end, int prot, int flags, MappableFile file, long offset, long fileLimit,
                  String name) {
    public static final int PROT_NONE = 0, PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    public static final int MAP_SHARED = 0x01, MAP_PRIVATE = 0x02, MAP_SHARED_VALIDATE = 0x03, MAP_TYPE = 0x0f,
            MAP_FIXED = 0x10, MAP_ANONYMOUS = 0x20, MAP_GROWSDOWN = 0x100, MAP_DENYWRITE = 0x800,
            MAP_EXECUTABLE = 0x1000, MAP_LOCKED = 0x2000, MAP_NORESERVE = 0x4000, MAP_POPULATE = 0x8000,
            MAP_NONBLOCK = 0x10000, MAP_STACK = 0x20000, MAP_HUGETLB = 0x40000, MAP_SYNC = 0x80000,
            MAP_FIXED_NOREPLACE = 0x100000;

    public long length() { return end - start; }

    public boolean contains(long va) { return va >= start && va < end; }

    public boolean shared() { return (flags & MAP_TYPE) == MAP_SHARED || (flags & MAP_TYPE) == MAP_SHARED_VALIDATE; }

    public boolean anonymous() { return file == null; }

    public boolean readable() { return (prot & PROT_READ) != 0; }

    public boolean writable() { return (prot & PROT_WRITE) != 0; }

    public boolean executable() { return (prot & PROT_EXEC) != 0; }

    /** The part of this area in [from, to), which must overlap it. */
    public Vma slice(long from, long to) {
        long s = Math.max(start, from), e = Math.min(end, to);
        long skip = s - start;
        long limit = fileLimit == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, fileLimit - skip);
        return new Vma(s, e, prot, flags, file, file == null ? 0 : offset + skip, limit, name);
    }

    public Vma withProt(int newProt) { return new Vma(start, end, newProt, flags, file, offset, fileLimit, name); }

    /** Whether {@code next} continues this area seamlessly (so /proc/PID/maps shows one line). */
    public boolean mergeableWith(Vma next) {
        if (next.start != end || next.prot != prot || next.flags != flags || next.file != file) return false;
        if (!java.util.Objects.equals(name, next.name)) return false;
        if (file == null) return true;
        return fileLimit == Long.MAX_VALUE && next.fileLimit == Long.MAX_VALUE && next.offset == offset + length();
    }

    public Vma mergedWith(Vma next) { return new Vma(start, next.end, prot, flags, file, offset, fileLimit, name); }
}
