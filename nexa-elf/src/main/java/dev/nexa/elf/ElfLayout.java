package dev.nexa.elf;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Lays out and serializes what an {@link ElfWriter} describes; see there for the layout. */
final class ElfLayout {
    private static final long MAX_FILE = Integer.MAX_VALUE - 8;

    /** A blob of file contents at a fixed offset. */
    private record Blob(long offset, byte[] bytes) {}

    /** A section header to write; {@code name} is resolved into .shstrtab at the end. */
    private record Section(String name, int type, long flags, long addr, long offset, long size, long link,
                           long entsize) {}

    private final ElfWriter w;
    private final List<ProgramHeader> phdrs = new ArrayList<>();
    private final List<Blob> blobs = new ArrayList<>();
    private final List<Section> sections = new ArrayList<>();

    ElfLayout(ElfWriter writer) {
        this.w = writer;
    }

    byte[] write() {
        boolean mapped = w.headersVaddr() != null;
        long base = mapped ? w.headersVaddr() : 0;
        byte[] interp = w.interpreterOrNull();
        byte[] dynstr = dynstr();
        boolean hasDynamic = dynstr.length > 1 || !w.extraDynamic().isEmpty();
        if (hasDynamic && !mapped) {
            throw new IllegalStateException("dynamic entries need headersAt(...): DT_STRTAB is an address");
        }
        int count = (mapped ? 2 : 0) + (interp != null ? 1 : 0) + w.items().size() + (hasDynamic ? 1 : 0)
                + (w.gnuStackFlags() != null ? 1 : 0);
        long tableSize = (long) count * Elf.PHDR_SIZE;
        long cursor = Elf.EHDR_SIZE + tableSize;
        long interpOff = cursor;
        cursor += interp == null ? 0 : interp.length;
        long dynstrOff = cursor;
        cursor += hasDynamic ? dynstr.length : 0;
        long dynOff = align(cursor, 8);
        byte[] dynamic = hasDynamic ? dynamicArray(base + dynstrOff, dynstr.length) : new byte[0];
        long metaEnd = hasDynamic ? dynOff + dynamic.length : cursor;

        if (mapped) {
            phdrs.add(new ProgramHeader(Elf.PT_PHDR, Elf.PF_R, Elf.EHDR_SIZE, base + Elf.EHDR_SIZE,
                    base + Elf.EHDR_SIZE, tableSize, tableSize, 8));
        }
        if (interp != null) {
            phdrs.add(new ProgramHeader(Elf.PT_INTERP, Elf.PF_R, interpOff, base + interpOff, base + interpOff,
                    interp.length, interp.length, 1));
            blobs.add(new Blob(interpOff, interp));
            sections.add(new Section(".interp", Elf.SHT_PROGBITS, Elf.SHF_ALLOC, base + interpOff, interpOff,
                    interp.length, 0, 0));
        }
        if (mapped) {
            phdrs.add(new ProgramHeader(Elf.PT_LOAD, Elf.PF_R, 0, base, base, metaEnd, metaEnd, Elf.PAGE_SIZE));
        }
        if (hasDynamic) {
            blobs.add(new Blob(dynstrOff, dynstr));
            blobs.add(new Blob(dynOff, dynamic));
            int dynstrIndex = sections.size() + 1;
            sections.add(new Section(".dynstr", Elf.SHT_STRTAB, Elf.SHF_ALLOC, base + dynstrOff, dynstrOff,
                    dynstr.length, 0, 0));
            sections.add(new Section(".dynamic", Elf.SHT_DYNAMIC, Elf.SHF_ALLOC | Elf.SHF_WRITE, base + dynOff,
                    dynOff, dynamic.length, dynstrIndex, Elf.DYN_SIZE));
        }
        cursor = metaEnd;
        for (int k = 0; k < w.items().size(); k++) {
            cursor = place(k, w.items().get(k), cursor);
        }
        if (hasDynamic) {
            phdrs.add(new ProgramHeader(Elf.PT_DYNAMIC, Elf.PF_R | Elf.PF_W, dynOff, base + dynOff, base + dynOff,
                    dynamic.length, dynamic.length, 8));
        }
        if (w.gnuStackFlags() != null) {
            phdrs.add(new ProgramHeader(Elf.PT_GNU_STACK, w.gnuStackFlags(), 0, 0, 0, 0, 0, 16));
        }
        return serialize(cursor, tableSize);
    }

    /** Places item {@code k} at or after {@code cursor}; returns the new cursor. */
    private long place(int k, Object item, long cursor) {
        switch (item) {
            case ElfWriter.Segment s -> {
                long off = s.fileOffset() != ElfWriter.AUTO ? s.fileOffset() : congruent(cursor, s);
                byte[] bytes = s.bytes();
                checkSize(off, bytes.length);
                phdrs.add(new ProgramHeader(s.type(), s.flags(), off, s.vaddr(), s.vaddr(), bytes.length, s.memsz(),
                        s.align()));
                blobs.add(new Blob(off, bytes));
                addSections(k, s, off, bytes.length);
                return Math.max(cursor, off + bytes.length);
            }
            case ProgramHeader ph -> {
                phdrs.add(ph);
                return cursor;
            }
            default -> throw new IllegalStateException("unexpected item " + item);
        }
    }

    private void addSections(int k, ElfWriter.Segment s, long off, int length) {
        long flags = Elf.SHF_ALLOC | ((s.flags() & Elf.PF_W) != 0 ? Elf.SHF_WRITE : 0)
                | ((s.flags() & Elf.PF_X) != 0 ? Elf.SHF_EXECINSTR : 0);
        boolean load = s.type() == Elf.PT_LOAD;
        if (length > 0) {
            String name = load ? ".load" + k : s.type() == Elf.PT_NOTE ? ".note" + k : ".seg" + k;
            int shType = s.type() == Elf.PT_NOTE ? Elf.SHT_NOTE : Elf.SHT_PROGBITS;
            sections.add(new Section(name, shType, load ? flags : Elf.SHF_ALLOC, s.vaddr(), off, length, 0, 0));
        }
        if (load && Long.compareUnsigned(s.memsz(), length) > 0) {
            sections.add(new Section(".bss" + k, Elf.SHT_NOBITS, flags, s.vaddr() + length, off + length,
                    s.memsz() - length, 0, 0));
        }
    }

    /** The first offset at or after {@code cursor} congruent to the segment's address. */
    private static long congruent(long cursor, ElfWriter.Segment s) {
        long modulus;
        if (s.type() == Elf.PT_LOAD) {
            modulus = Elf.PAGE_SIZE;
        } else if (Long.bitCount(s.align()) == 1) {
            modulus = Long.compareUnsigned(s.align(), Elf.PAGE_SIZE) < 0 ? s.align() : Elf.PAGE_SIZE;
        } else {
            modulus = 1;
        }
        return cursor + ((s.vaddr() - cursor) & (modulus - 1));
    }

    private byte[] dynstr() {
        var out = new ByteArrayOutputStream();
        out.write(0);
        for (String s : stringValues()) {
            out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The strings of the string entries, in the order {@link #dynamicArray} writes them. */
    private List<String> stringValues() {
        var all = new ArrayList<>(w.needed());
        for (String s : new String[] {w.soname(), w.rpath(), w.runpath()}) {
            if (s != null) {
                all.add(s);
            }
        }
        return all;
    }

    private byte[] dynamicArray(long strtabAddr, long strsz) {
        var entries = new ArrayList<DynamicEntry>();
        long index = 1;
        for (String s : w.needed()) {
            entries.add(new DynamicEntry(Elf.DT_NEEDED, index));
            index += s.getBytes(StandardCharsets.UTF_8).length + 1;
        }
        long[] tags = {Elf.DT_SONAME, Elf.DT_RPATH, Elf.DT_RUNPATH};
        String[] values = {w.soname(), w.rpath(), w.runpath()};
        for (int i = 0; i < tags.length; i++) {
            if (values[i] != null) {
                entries.add(new DynamicEntry(tags[i], index));
                index += values[i].getBytes(StandardCharsets.UTF_8).length + 1;
            }
        }
        entries.addAll(w.extraDynamic());
        entries.add(new DynamicEntry(Elf.DT_STRTAB, strtabAddr));
        entries.add(new DynamicEntry(Elf.DT_STRSZ, strsz));
        entries.add(new DynamicEntry(Elf.DT_NULL, 0));
        var buf = ByteBuffer.allocate(entries.size() * Elf.DYN_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (var e : entries) {
            buf.putLong(e.tag()).putLong(e.value());
        }
        return buf.array();
    }

    private byte[] serialize(long contentEnd, long tableSize) {
        if (!w.writeSections()) {
            return assemble(contentEnd, 0, List.of(), List.of(), tableSize);
        }
        var all = new ArrayList<Section>();
        all.add(new Section("", Elf.SHT_NULL, 0, 0, 0, 0, 0, 0));
        all.addAll(sections);
        var names = new ByteArrayOutputStream();
        names.write(0);
        var nameIndex = new ArrayList<Long>();
        for (var s : all) {
            nameIndex.add(addName(names, s.name()));
        }
        nameIndex.add(addName(names, ".shstrtab"));
        byte[] shstrtab = names.toByteArray();
        long shstrOff = contentEnd;
        all.add(new Section(".shstrtab", Elf.SHT_STRTAB, 0, 0, shstrOff, shstrtab.length, 0, 0));
        blobs.add(new Blob(shstrOff, shstrtab));
        long shoff = align(shstrOff + shstrtab.length, 8);
        return assemble(shoff + (long) all.size() * Elf.SHDR_SIZE, shoff, all, nameIndex, tableSize);
    }

    private static long addName(ByteArrayOutputStream names, String name) {
        if (name.isEmpty()) {
            return 0;
        }
        long index = names.size();
        names.writeBytes(name.getBytes(StandardCharsets.UTF_8));
        names.write(0);
        return index;
    }

    private byte[] assemble(long end, long shoff, List<Section> all, List<Long> nameIndex, long tableSize) {
        checkSize(0, end);
        var buf = ByteBuffer.allocate((int) end).order(ByteOrder.LITTLE_ENDIAN);
        header(buf, shoff, all.size());
        buf.position(Elf.EHDR_SIZE);
        for (var ph : phdrs) {
            buf.putInt(ph.type()).putInt(ph.flags()).putLong(ph.offset()).putLong(ph.vaddr()).putLong(ph.paddr())
                    .putLong(ph.filesz()).putLong(ph.memsz()).putLong(ph.align());
        }
        if (buf.position() != Elf.EHDR_SIZE + tableSize) {
            throw new IllegalStateException("program header count changed during layout");
        }
        for (var b : blobs) {
            buf.put((int) b.offset(), b.bytes());
        }
        for (int i = 0; i < all.size(); i++) {
            var s = all.get(i);
            buf.position((int) (shoff + (long) i * Elf.SHDR_SIZE));
            buf.putInt((int) (long) nameIndex.get(i)).putInt(s.type()).putLong(s.flags()).putLong(s.addr())
                    .putLong(s.offset()).putLong(s.size()).putInt((int) s.link()).putInt(0)
                    .putLong(s.type() == Elf.SHT_NULL ? 0 : 1).putLong(s.entsize());
        }
        return buf.array();
    }

    private void header(ByteBuffer buf, long shoff, int shnum) {
        buf.put(new byte[] {0x7f, 'E', 'L', 'F', Elf.ELFCLASS64, Elf.ELFDATA2LSB, Elf.EV_CURRENT,
                (byte) w.osAbi()});
        buf.position(ElfHeader.OFF_TYPE);
        buf.putShort((short) w.type()).putShort((short) Elf.EM_X86_64).putInt(Elf.EV_CURRENT)
                .putLong(entry()).putLong(Elf.EHDR_SIZE).putLong(shoff).putInt(0)
                .putShort((short) Elf.EHDR_SIZE).putShort((short) Elf.PHDR_SIZE).putShort((short) phdrs.size())
                .putShort((short) (shnum == 0 ? 0 : Elf.SHDR_SIZE)).putShort((short) shnum)
                .putShort((short) (shnum == 0 ? 0 : shnum - 1));
    }

    private long entry() {
        if (w.entryOrNull() != null) {
            return w.entryOrNull();
        }
        for (var item : w.items()) {
            if (item instanceof ElfWriter.Segment s && s.type() == Elf.PT_LOAD && (s.flags() & Elf.PF_X) != 0) {
                return s.vaddr();
            }
        }
        return 0;
    }

    private static long align(long v, long a) {
        return (v + a - 1) & -a;
    }

    private static void checkSize(long off, long len) {
        if (off < 0 || len > MAX_FILE - off) {
            throw new IllegalArgumentException("file would exceed 2 GiB (offset " + off + " + " + len + ")");
        }
    }
}
