package dev.nexa.elf.internal;

import static dev.nexa.elf.Elf.hex;

import dev.nexa.elf.Elf;
import dev.nexa.elf.ElfFormatException;
import dev.nexa.elf.ElfHeader;
import dev.nexa.elf.SectionHeader;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the section header table leniently. Linux's loader never looks at sections, so a damaged
 * table must not make a loadable file unparseable: problems become {@link Warnings} and the result
 * is an empty list (table unusable) or sections with empty names (name table unusable).
 *
 * <p>Supports the extended numbering of the gABI: {@code e_shnum == 0} with a non-zero
 * {@code e_shoff} takes the count from section 0's {@code sh_size}, and
 * {@code e_shstrndx == SHN_XINDEX} takes the index from section 0's {@code sh_link}.
 */
public final class SectionParser {
    private static final int OFF_NAME = 0;
    private static final int OFF_TYPE = 4;
    private static final int OFF_FLAGS = 8;
    private static final int OFF_ADDR = 16;
    private static final int OFF_OFFSET = 24;
    private static final int OFF_SIZE = 32;
    private static final int OFF_LINK = 40;
    private static final int OFF_INFO = 44;
    private static final int OFF_ADDRALIGN = 48;
    private static final int OFF_ENTSIZE = 56;

    private SectionParser() {}

    public static List<SectionHeader> sections(Image img, ElfHeader h, Warnings warn) {
        try {
            return read(img, h, warn);
        } catch (ElfFormatException e) {
            // Only reachable through a bounds check that the explicit checks below already cover.
            warn.add(e.field(), e.offset(), e.detail());
            return List.of();
        }
    }

    private static List<SectionHeader> read(Image img, ElfHeader h, Warnings warn) throws ElfFormatException {
        if (h.shoff() == 0) {
            if (h.shnum() != 0) {
                warn.add("e_shnum", ElfHeader.OFF_SHNUM, h.shnum() + " sections but e_shoff is 0");
            }
            return List.of();
        }
        if (h.shentsize() != Elf.SHDR_SIZE) {
            warn.add("e_shentsize", ElfHeader.OFF_SHENTSIZE,
                    "section header size " + h.shentsize() + " is not sizeof(Elf64_Shdr) = 64; sections ignored");
            return List.of();
        }
        long count = h.shnum();
        if (count == 0) {
            if (!img.contains(h.shoff(), Elf.SHDR_SIZE)) {
                warn.add("e_shoff", ElfHeader.OFF_SHOFF,
                        img.pastEnd("section 0 (extended section count)", h.shoff(), Elf.SHDR_SIZE));
                return List.of();
            }
            count = img.u64(h.shoff() + OFF_SIZE, "shdr[0].sh_size");
            if (count == 0) {
                return List.of();
            }
        }
        // Bound the count by the file size before multiplying or allocating anything.
        if (Unsigned.gt(count, img.size() / Elf.SHDR_SIZE)
                || !img.contains(h.shoff(), count * Elf.SHDR_SIZE)) {
            long shown = Unsigned.gt(count, img.size()) ? img.size() : count * Elf.SHDR_SIZE;
            warn.add("e_shoff", ElfHeader.OFF_SHOFF, "section header table of " + Long.toUnsignedString(count)
                    + " entries " + Unsigned.range(h.shoff(), shown) + " does not fit in the file (size "
                    + hex(img.size()) + "); sections ignored");
            return List.of();
        }
        int n = (int) count;
        var raw = new ArrayList<SectionHeader>(n);
        for (int i = 0; i < n; i++) {
            raw.add(readOne(img, h.shoff() + (long) i * Elf.SHDR_SIZE, i));
        }
        return named(img, h, raw, warn);
    }

    private static SectionHeader readOne(Image img, long at, int i) throws ElfFormatException {
        String f = "shdr[" + i + "]";
        return new SectionHeader("",
                img.u32(at + OFF_NAME, f + ".sh_name"),
                img.i32(at + OFF_TYPE, f + ".sh_type"),
                img.u64(at + OFF_FLAGS, f + ".sh_flags"),
                img.u64(at + OFF_ADDR, f + ".sh_addr"),
                img.u64(at + OFF_OFFSET, f + ".sh_offset"),
                img.u64(at + OFF_SIZE, f + ".sh_size"),
                img.u32(at + OFF_LINK, f + ".sh_link"),
                img.u32(at + OFF_INFO, f + ".sh_info"),
                img.u64(at + OFF_ADDRALIGN, f + ".sh_addralign"),
                img.u64(at + OFF_ENTSIZE, f + ".sh_entsize"));
    }

    private static List<SectionHeader> named(Image img, ElfHeader h, List<SectionHeader> raw, Warnings warn) {
        long strndx = h.shstrndx() == Elf.SHN_XINDEX ? raw.get(0).link() : h.shstrndx();
        if (strndx == Elf.SHN_UNDEF) {
            return raw;
        }
        if (strndx >= raw.size()) {
            warn.add("e_shstrndx", ElfHeader.OFF_SHSTRNDX,
                    "section name table index " + strndx + " is not below the section count " + raw.size());
            return raw;
        }
        var strtab = raw.get((int) strndx);
        long tableAt = h.shoff() + strndx * Elf.SHDR_SIZE;
        if (strtab.noBits() || !img.contains(strtab.offset(), strtab.size())) {
            warn.add("shdr[" + strndx + "].sh_offset", tableAt + OFF_OFFSET,
                    img.pastEnd("section name table", strtab.offset(), strtab.size()));
            return raw;
        }
        var names = new StringTable(img, strtab.offset(), strtab.size());
        var out = new ArrayList<SectionHeader>(raw.size());
        for (int i = 0; i < raw.size(); i++) {
            var s = raw.get(i);
            var found = names.lookup(s.nameIndex());
            if (found.failure() != null) {
                warn.add("shdr[" + i + "].sh_name", h.shoff() + (long) i * Elf.SHDR_SIZE,
                        describe(found.failure(), s.nameIndex(), names.size(), "section name table"));
            }
            String name = found.value() == null ? "" : found.value();
            out.add(new SectionHeader(name, s.nameIndex(), s.type(), s.flags(), s.addr(), s.offset(), s.size(),
                    s.link(), s.info(), s.addralign(), s.entsize()));
        }
        return out;
    }

    /** Wording shared with the dynamic string lookups. */
    static String describe(StringTable.Failure failure, long index, long tableSize, String table) {
        return switch (failure) {
            case OUT_OF_RANGE -> "string offset " + hex(index) + " is outside the " + table + " (size "
                    + hex(tableSize) + ")";
            case UNTERMINATED -> "string at " + hex(index) + " is not NUL-terminated inside the " + table;
            case BUDGET -> "string at " + hex(index) + " skipped: the strings of the " + table
                    + " exceed four times its size";
        };
    }
}
