package dev.nexa.elf;

import dev.nexa.elf.internal.LoadPlanner;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Where an executable's PT_LOAD segments go, page by page, computed with the rules of Linux's
 * {@code load_elf_binary()} (fs/binfmt_elf.c, 6.x) but without choosing addresses: the kernel
 * picks the load base, this record says everything relative to it.
 *
 * <h2>Addresses</h2>
 * Every address in the plan (segments, {@link #entry()}, {@link #phdrVaddr()}, {@link #minVaddr()},
 * {@link #maxVaddr()}) is relative to the <em>load base</em>:
 * <ul>
 *   <li>ET_EXEC: the load base is 0 and addresses are the absolute link-time ones.</li>
 *   <li>ET_DYN: the image's lowest page ({@link #linkBase()}, the page of the lowest PT_LOAD
 *       {@code p_vaddr}) is at 0; the kernel picks a page-aligned base (aligned to
 *       {@link #alignment()}) and adds it. The {@link #loadBias(long) load bias} (what the dynamic
 *       loader calls {@code l_addr}, and AT_BASE for an interpreter) is {@code base - linkBase}.</li>
 * </ul>
 *
 * <h2>Rules applied (each violation throws {@link ElfFormatException})</h2>
 * <ul>
 *   <li>{@code e_type} must be ET_EXEC or ET_DYN; {@code e_phnum} must be 1..1170 (a table of at
 *       most 64 KiB, {@code load_elf_phdrs()}).</li>
 *   <li>Per PT_LOAD: {@code p_filesz <= p_memsz}; {@code p_vaddr < TASK_SIZE}; {@code p_memsz <= TASK_SIZE}
 *       and {@code p_vaddr + p_memsz <= TASK_SIZE} (so nothing wraps). These are checked on the
 *       link-time {@code p_vaddr}, even for ET_DYN, exactly as Linux does.</li>
 *   <li>When {@code p_filesz > 0}: {@code p_offset} congruent to {@code p_vaddr} modulo the page
 *       size (else {@code mmap} fails in {@code elf_map()}), and the file range inside the file.
 *       (Linux maps a range past the end of file and the program dies of SIGBUS when touching it;
 *       refusing it up front is a deliberate difference.)</li>
 *   <li>At least one PT_LOAD ({@code total_mapping_size()} is 0 otherwise).</li>
 *   <li>Without PT_INTERP, the entry point must be below TASK_SIZE ({@code BAD_ADDR(elf_entry)}).
 *       It need not lie inside a segment: a wild entry faults at its first fetch, as on Linux.</li>
 * </ul>
 *
 * <h2>Accepted as Linux accepts them</h2>
 * PT_LOADs out of address order or overlapping each other are mapped in program header order, each
 * replacing what earlier ones put on the same pages ({@code MAP_FIXED}); the segment list keeps
 * that order and the kernel must apply it in order. The image extent is the minimum and maximum
 * over all PT_LOADs ({@code total_mapping_size()} since Linux 5.18). (Linux places the
 * <em>first</em> PT_LOAD at the chosen base; this plan places the lowest one there. For the usual,
 * sorted files the two are the same.) {@code p_align} is not checked beyond the page congruence.
 *
 * @param type       {@code e_type}: {@link Elf#ET_EXEC} or {@link Elf#ET_DYN}
 * @param segments   the PT_LOAD segments in program header order
 * @param linkBase   link-time address that maps to the load base: {@code ELF_PAGESTART(min p_vaddr)} for ET_DYN, 0 for ET_EXEC
 * @param minVaddr   lowest page of the image (0 for ET_DYN)
 * @param maxVaddr   {@code ELF_PAGEALIGN(max(p_vaddr + p_memsz))}: end of the image and where brk starts
 * @param entry      the entry point {@code e_entry}
 * @param phdrVaddr  where the program header table is in memory (AT_PHDR minus the base), see {@link #phdrVaddr()}
 * @param alignment  alignment for an ET_DYN base: the largest power-of-two PT_LOAD {@code p_align},
 *                   at least a page ({@code maximum_alignment()}); unsigned
 */
public record LoadPlan(int type, List<LoadSegment> segments, long linkBase, long minVaddr, long maxVaddr,
                       long entry, OptionalLong phdrVaddr, long alignment) {

    public LoadPlan {
        segments = List.copyOf(segments);
        Objects.requireNonNull(phdrVaddr, "phdrVaddr");
    }

    /**
     * Computes the plan for an executable, a PIE, a shared object or a dynamic loader.
     *
     * @throws ElfFormatException naming the program header ({@code phdr[3].p_filesz}) or header
     *                            field and its file offset, when Linux would refuse to load the file
     */
    public static LoadPlan of(ElfFile elf) throws ElfFormatException {
        return LoadPlanner.plan(elf);
    }

    /** True for ET_DYN: the kernel chooses the load base. */
    public boolean relocatable() {
        return type == Elf.ET_DYN;
    }

    /** Bytes of address space the image needs: {@code maxVaddr - minVaddr}. */
    public long span() {
        return maxVaddr - minVaddr;
    }

    /**
     * The amount added to link-time addresses when the image is placed at {@code loadBase}
     * (page aligned; must be 0 for ET_EXEC): {@code loadBase - linkBase}. This is AT_BASE for an
     * interpreter and {@code l_addr} in the dynamic loader.
     */
    public long loadBias(long loadBase) {
        if (!relocatable() && loadBase != 0) {
            throw new IllegalArgumentException("an ET_EXEC image is loaded at its link-time addresses (base 0)");
        }
        if (Elf.pageOffset(loadBase) != 0) {
            throw new IllegalArgumentException("load base " + Elf.hex(loadBase) + " is not page aligned");
        }
        return loadBase - linkBase;
    }

    /** Start of the heap before any randomization: the page after the highest segment ({@code mm->start_brk}). */
    public long brkStart() {
        return maxVaddr;
    }

    /**
     * Where the program header table lies in memory, relative to the load base; AT_PHDR is this
     * plus the base. Computed as Linux 5.18+ does ({@code load_elf_binary()}): from the PT_LOAD
     * whose file range {@code [p_offset, p_offset + p_filesz)} contains {@code e_phoff} (the last
     * such one), as {@code p_vaddr + (e_phoff - p_offset)}; PT_PHDR is not consulted (it is
     * available as {@link ElfFile#phdrSegment()}). Empty when no PT_LOAD maps the table; Linux then
     * passes AT_PHDR = load bias + 0, which a kernel wanting bit-for-bit behaviour can reproduce.
     */
    @Override
    public OptionalLong phdrVaddr() {
        return phdrVaddr;
    }
}
