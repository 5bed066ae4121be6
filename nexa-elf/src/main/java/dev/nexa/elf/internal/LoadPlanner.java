package dev.nexa.elf.internal;

import static dev.nexa.elf.Elf.hex;

import dev.nexa.elf.Elf;
import dev.nexa.elf.ElfFile;
import dev.nexa.elf.ElfFormatException;
import dev.nexa.elf.ElfFormatException.Kind;
import dev.nexa.elf.ElfHeader;
import dev.nexa.elf.LoadPlan;
import dev.nexa.elf.LoadSegment;
import dev.nexa.elf.ProgramHeader;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/** Computes a {@link LoadPlan}; see there for the rules, which follow fs/binfmt_elf.c. */
public final class LoadPlanner {
    private static final long MAX_PHDR_TABLE = 65536;

    private LoadPlanner() {}

    public static LoadPlan plan(ElfFile elf) throws ElfFormatException {
        var h = elf.header();
        checkHeader(h);
        var phdrs = elf.programHeaders();
        var loads = new ArrayList<Integer>();
        for (int i = 0; i < phdrs.size(); i++) {
            if (phdrs.get(i).type() == Elf.PT_LOAD) {
                check(h, i, phdrs.get(i), elf.fileSize());
                loads.add(i);
            }
        }
        if (loads.isEmpty()) {
            throw new ElfFormatException(Kind.BAD_LAYOUT, "e_phnum", ElfHeader.OFF_PHNUM,
                    "none of the " + h.phnum() + " program headers is PT_LOAD");
        }
        long min = -1;
        long max = 0;
        long align = 0;
        for (int i : loads) {
            var ph = phdrs.get(i);
            min = Unsigned.min(min, Elf.pageStart(ph.vaddr()));
            max = Unsigned.max(max, ph.vaddr() + ph.memsz());
            if (Long.bitCount(ph.align()) == 1) {
                align = Unsigned.max(align, ph.align());
            }
        }
        // All values were checked to lie below TASK_SIZE, so plain arithmetic is exact from here.
        long linkBase = h.type() == Elf.ET_DYN ? min : 0;
        var segments = new ArrayList<LoadSegment>(loads.size());
        for (int i : loads) {
            segments.add(segment(i, phdrs.get(i), linkBase));
        }
        long entry = h.entry() - linkBase;
        if (elf.interpreter().isEmpty() && !Unsigned.lt(entry, Elf.TASK_SIZE)) {
            throw new ElfFormatException(Kind.BAD_LAYOUT, "e_entry", ElfHeader.OFF_ENTRY,
                    "entry point " + hex(h.entry()) + (linkBase == 0 ? "" : " (image base " + hex(linkBase) + ")")
                            + " is not below TASK_SIZE " + hex(Elf.TASK_SIZE));
        }
        return new LoadPlan(h.type(), segments, linkBase, min - linkBase, Elf.pageAlign(max) - linkBase, entry,
                phdrVaddr(h, phdrs, loads, linkBase), Unsigned.max(Elf.PAGE_SIZE, Elf.pageAlign(align)));
    }

    private static void checkHeader(ElfHeader h) throws ElfFormatException {
        if (h.type() != Elf.ET_EXEC && h.type() != Elf.ET_DYN) {
            throw new ElfFormatException(Kind.UNSUPPORTED, "e_type", ElfHeader.OFF_TYPE,
                    "type " + Elf.fileTypeName(h.type()) + " is neither ET_EXEC nor ET_DYN");
        }
        // load_elf_phdrs(): the table must be 1 to 64 KiB (1170 entries). Kernels before 6.x also
        // required it to fit one page; 6.18 loads 1170 headers (checked by HostKernelAgreementTest).
        if (h.phnum() == 0 || (long) h.phnum() * Elf.PHDR_SIZE > MAX_PHDR_TABLE) {
            throw new ElfFormatException(Kind.MALFORMED, "e_phnum", ElfHeader.OFF_PHNUM,
                    h.phnum() + " program headers; Linux's load_elf_phdrs() accepts 1 to "
                            + MAX_PHDR_TABLE / Elf.PHDR_SIZE + " (64 KiB)");
        }
    }

    private static void check(ElfHeader h, int i, ProgramHeader ph, long fileSize) throws ElfFormatException {
        long at = h.programHeaderOffset(i);
        String f = "phdr[" + i + "].";
        if (Unsigned.gt(ph.filesz(), ph.memsz())) {
            throw new ElfFormatException(Kind.BAD_LAYOUT, f + "p_filesz", at + ProgramHeader.OFF_FILESZ,
                    "p_filesz " + hex(ph.filesz()) + " exceeds p_memsz " + hex(ph.memsz()));
        }
        if (!Unsigned.lt(ph.vaddr(), Elf.TASK_SIZE)) {
            throw new ElfFormatException(Kind.BAD_LAYOUT, f + "p_vaddr", at + ProgramHeader.OFF_VADDR,
                    "address " + hex(ph.vaddr()) + " is not below TASK_SIZE " + hex(Elf.TASK_SIZE));
        }
        if (Unsigned.gt(ph.memsz(), Elf.TASK_SIZE - ph.vaddr())) {
            throw new ElfFormatException(Kind.BAD_LAYOUT, f + "p_memsz", at + ProgramHeader.OFF_MEMSZ,
                    "segment " + Unsigned.range(ph.vaddr(), ph.memsz()) + " runs past TASK_SIZE "
                            + hex(Elf.TASK_SIZE));
        }
        if (ph.filesz() == 0) {
            return; // Linux 6.7+ maps no file page for it (elf_load()), so offset and file size do not matter.
        }
        if (Elf.pageOffset(ph.offset()) != Elf.pageOffset(ph.vaddr())) {
            throw new ElfFormatException(Kind.BAD_LAYOUT, f + "p_offset", at + ProgramHeader.OFF_OFFSET,
                    "p_offset " + hex(ph.offset()) + " and p_vaddr " + hex(ph.vaddr())
                            + " differ modulo the page size, so the segment cannot be mmapped");
        }
        if (!Unsigned.fits(ph.offset(), ph.filesz(), fileSize)) {
            throw new ElfFormatException(Kind.MALFORMED, f + "p_filesz", at + ProgramHeader.OFF_FILESZ,
                    "segment file range " + Unsigned.range(ph.offset(), ph.filesz())
                            + " runs past end of file (size " + hex(fileSize) + ")");
        }
    }

    private static LoadSegment segment(int i, ProgramHeader ph, long linkBase) {
        long vaddr = ph.vaddr() - linkBase;
        long pageOffset = Elf.pageOffset(ph.vaddr());
        boolean hasFile = ph.filesz() != 0;
        // An empty segment maps nothing at all (elf_load() with p_filesz == p_memsz == 0).
        long pageEnd = ph.memsz() == 0 ? Elf.pageStart(vaddr) : Elf.pageAlign(vaddr + ph.memsz());
        return new LoadSegment(i, vaddr, Elf.pageStart(vaddr), pageEnd,
                hasFile ? ph.offset() - pageOffset : 0, hasFile ? pageOffset + ph.filesz() : 0,
                vaddr + ph.memsz(), ph.prot());
    }

    private static OptionalLong phdrVaddr(ElfHeader h, List<ProgramHeader> phdrs, List<Integer> loads,
                                          long linkBase) {
        OptionalLong found = OptionalLong.empty();
        for (int i : loads) {
            var ph = phdrs.get(i);
            long delta = h.phoff() - ph.offset();
            if (!Unsigned.lt(h.phoff(), ph.offset()) && Unsigned.lt(delta, ph.filesz())) {
                found = OptionalLong.of(ph.vaddr() + delta - linkBase);
            }
        }
        return found;
    }
}
