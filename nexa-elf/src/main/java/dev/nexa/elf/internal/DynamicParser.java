package dev.nexa.elf.internal;

import static dev.nexa.elf.Elf.hex;

import dev.nexa.elf.DynamicEntry;
import dev.nexa.elf.DynamicInfo;
import dev.nexa.elf.Elf;
import dev.nexa.elf.ElfFormatException;
import dev.nexa.elf.ElfHeader;
import dev.nexa.elf.ProgramHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Reads the first PT_DYNAMIC segment leniently (the kernel never reads it; the dynamic loader does,
 * from memory). The entries run until the first {@code DT_NULL} or the end of {@code p_filesz}.
 * Strings are looked up in the table at {@code DT_STRTAB}, an address translated to a file offset
 * through the PT_LOAD segments, bounded by {@code DT_STRSZ}. Where a single-valued tag repeats, the
 * last entry wins, as in glibc's {@code elf_get_dynamic_info()}.
 */
public final class DynamicParser {
    private DynamicParser() {}

    public static Optional<DynamicInfo> dynamic(Image img, ElfHeader h, List<ProgramHeader> phdrs, Warnings warn) {
        for (int i = 0; i < phdrs.size(); i++) {
            var ph = phdrs.get(i);
            if (ph.type() == Elf.PT_DYNAMIC) {
                return read(img, h, phdrs, i, ph, warn);
            }
        }
        return Optional.empty();
    }

    private static Optional<DynamicInfo> read(Image img, ElfHeader h, List<ProgramHeader> phdrs, int i,
                                              ProgramHeader ph, Warnings warn) {
        long at = h.programHeaderOffset(i);
        if (!img.contains(ph.offset(), ph.filesz())) {
            warn.add("phdr[" + i + "].p_offset", at + ProgramHeader.OFF_OFFSET,
                    img.pastEnd("PT_DYNAMIC", ph.offset(), ph.filesz()) + "; dynamic section ignored");
            return Optional.empty();
        }
        var entries = new ArrayList<DynamicEntry>();
        long count = ph.filesz() / Elf.DYN_SIZE;
        try {
            for (long k = 0; k < count; k++) {
                long p = ph.offset() + k * Elf.DYN_SIZE;
                long tag = img.u64(p, "d_tag");
                if (tag == Elf.DT_NULL) {
                    break;
                }
                entries.add(new DynamicEntry(tag, img.u64(p + 8, "d_val")));
            }
        } catch (ElfFormatException e) {
            throw new IllegalStateException("PT_DYNAMIC was bounds-checked", e);
        }
        return Optional.of(resolve(img, phdrs, ph.offset(), entries, warn));
    }

    private static DynamicInfo resolve(Image img, List<ProgramHeader> phdrs, long dynOffset,
                                       List<DynamicEntry> entries, Warnings warn) {
        var strings = stringTable(img, phdrs, dynOffset, entries, warn);
        var needed = new ArrayList<String>();
        String soname = null;
        String runpath = null;
        String rpath = null;
        long flags = 0;
        long flags1 = 0;
        for (int k = 0; k < entries.size(); k++) {
            var e = entries.get(k);
            long entryAt = dynOffset + (long) k * Elf.DYN_SIZE;
            // Single-valued tags: the last one wins, as in glibc's elf_get_dynamic_info().
            if (e.tag() == Elf.DT_FLAGS) {
                flags = e.value();
            } else if (e.tag() == Elf.DT_FLAGS_1) {
                flags1 = e.value();
            } else if (isStringTag(e.tag())) {
                String s = string(strings, e, entryAt, warn);
                if (s == null) {
                    continue;
                }
                if (e.tag() == Elf.DT_NEEDED) {
                    needed.add(s);
                } else if (e.tag() == Elf.DT_SONAME) {
                    soname = s;
                } else if (e.tag() == Elf.DT_RUNPATH) {
                    runpath = s;
                } else if (e.tag() == Elf.DT_RPATH) {
                    rpath = s;
                }
            }
        }
        return new DynamicInfo(entries, needed, Optional.ofNullable(soname), Optional.ofNullable(runpath),
                Optional.ofNullable(rpath), flags, flags1);
    }

    private static boolean isStringTag(long tag) {
        return tag == Elf.DT_NEEDED || tag == Elf.DT_SONAME || tag == Elf.DT_RUNPATH || tag == Elf.DT_RPATH;
    }

    private static String string(Optional<StringTable> strings, DynamicEntry e, long entryAt, Warnings warn) {
        if (strings.isEmpty()) {
            return null;
        }
        var found = strings.get().lookup(e.value());
        if (found.failure() != null) {
            warn.add(tagName(e.tag()), entryAt,
                    SectionParser.describe(found.failure(), e.value(), strings.get().size(), "DT_STRTAB"));
        }
        return found.value();
    }

    private static Optional<StringTable> stringTable(Image img, List<ProgramHeader> phdrs, long dynOffset,
                                                     List<DynamicEntry> entries, Warnings warn) {
        if (entries.stream().noneMatch(e -> isStringTag(e.tag()))) {
            return Optional.empty();
        }
        int strtabIndex = indexOf(entries, Elf.DT_STRTAB);
        if (strtabIndex < 0) {
            warn.add("DT_STRTAB", dynOffset, "missing, so DT_NEEDED/DT_SONAME/DT_RUNPATH/DT_RPATH cannot be read");
            return Optional.empty();
        }
        long strtabAt = dynOffset + (long) strtabIndex * Elf.DYN_SIZE;
        long vaddr = entries.get(strtabIndex).value();
        var mapped = fileOffsetOf(vaddr, phdrs);
        if (mapped.isEmpty()) {
            warn.add("DT_STRTAB", strtabAt, "address " + hex(vaddr) + " is not in the file part of any PT_LOAD");
            return Optional.empty();
        }
        long off = mapped.getAsLong();
        int strszIndex = indexOf(entries, Elf.DT_STRSZ);
        long size;
        if (strszIndex < 0) {
            warn.add("DT_STRSZ", dynOffset, "missing; the string table is taken to run to the end of the file");
            size = img.size() - off;
        } else {
            size = entries.get(strszIndex).value();
        }
        if (!img.contains(off, size)) {
            warn.add("DT_STRSZ", strszIndex < 0 ? dynOffset : dynOffset + (long) strszIndex * Elf.DYN_SIZE,
                    img.pastEnd("string table", off, size));
            return Optional.empty();
        }
        return Optional.of(new StringTable(img, off, size));
    }

    /**
     * Translates a link-time address to the file offset the PT_LOAD segments map it from: the first
     * PT_LOAD whose {@code [p_vaddr, p_vaddr + p_filesz)} holds it. Empty when no file byte backs it.
     */
    public static OptionalLong fileOffsetOf(long vaddr, List<ProgramHeader> phdrs) {
        for (var ph : phdrs) {
            if (ph.type() != Elf.PT_LOAD) {
                continue;
            }
            long delta = vaddr - ph.vaddr();
            if (!Unsigned.lt(vaddr, ph.vaddr()) && Unsigned.lt(delta, ph.filesz())
                    && !Unsigned.addOverflows(ph.offset(), delta)) {
                return OptionalLong.of(ph.offset() + delta);
            }
        }
        return OptionalLong.empty();
    }

    private static int indexOf(List<DynamicEntry> entries, long tag) {
        for (int k = entries.size() - 1; k >= 0; k--) {
            if (entries.get(k).tag() == tag) {
                return k;
            }
        }
        return -1;
    }

    private static String tagName(long tag) {
        if (tag == Elf.DT_NEEDED) {
            return "DT_NEEDED";
        } else if (tag == Elf.DT_SONAME) {
            return "DT_SONAME";
        } else if (tag == Elf.DT_RUNPATH) {
            return "DT_RUNPATH";
        }
        return "DT_RPATH";
    }
}
