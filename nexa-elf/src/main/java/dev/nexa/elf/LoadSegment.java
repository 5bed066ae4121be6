package dev.nexa.elf;

/**
 * One PT_LOAD segment as whole 4 KiB pages, ready to map. Addresses are relative to the plan's
 * load base (see {@link LoadPlan}): add the base the kernel picked for an ET_DYN image, or 0 for
 * ET_EXEC.
 *
 * <p>How Linux 6.7+ maps a segment ({@code elf_load()} in fs/binfmt_elf.c), and how a loader
 * reproduces it from these fields:
 * <ol>
 *   <li>Pages {@code [pageVaddr, filePageEnd())} are a private file mapping with {@link #prot()},
 *       starting at file offset {@code fileOffset}: the first {@code fileBytes} bytes are the
 *       segment's page-offset prefix and its {@code p_filesz} bytes. Linux maps the file up to the
 *       end of that last page, so the bytes after {@link #fileEnd()} in it are whatever follows in
 *       the file (zero past end of file) ...</li>
 *   <li>... unless the segment has bss ({@code p_memsz > p_filesz}) <em>and</em> is writable:
 *       then {@code padzero()} clears {@code [fileEnd(), filePageEnd())} ({@link #zeroesPartialPage()}).
 *       For a read-only segment the clearing faults and Linux ignores that, leaving file bytes.</li>
 *   <li>Pages {@code [filePageEnd(), pageEnd)} are anonymous zero pages mapped like brk memory:
 *       {@link #anonProt()}, i.e. read-write, plus exec when the segment is executable.</li>
 * </ol>
 * A loader that prefers the ELF specification's view ("everything past p_filesz is zero") may
 * zero everything from {@link #fileEnd()}; the two differ only in bytes outside the segment's
 * {@code [p_vaddr, p_vaddr + p_memsz)} or, for read-only bss, inside it.
 *
 * @param index      index of the PT_LOAD in the program header table
 * @param vaddr      {@code p_vaddr}, relative to the load base
 * @param pageVaddr  {@code ELF_PAGESTART(p_vaddr)}, relative to the load base
 * @param pageEnd    {@code ELF_PAGEALIGN(p_vaddr + p_memsz)}, exclusive, relative to the load base
 *                   ({@code pageVaddr} for an empty segment, which maps nothing)
 * @param fileOffset {@code p_offset - ELF_PAGEOFFSET(p_vaddr)}, page aligned (0 when {@code fileBytes == 0})
 * @param fileBytes  bytes of the file that belong at {@code pageVaddr}: {@code ELF_PAGEOFFSET(p_vaddr) + p_filesz},
 *                   or 0 when {@code p_filesz == 0} (Linux then maps no file page at all)
 * @param memEnd     {@code p_vaddr + p_memsz}, exclusive, relative to the load base
 * @param prot       {@code PROT_READ|PROT_WRITE|PROT_EXEC} from {@code PF_R|PF_W|PF_X}
 */
public record LoadSegment(int index, long vaddr, long pageVaddr, long pageEnd, long fileOffset, long fileBytes,
                          long memEnd, int prot) {

    /** {@code pageVaddr + fileBytes}: where the segment's file contents end in memory. */
    public long fileEnd() {
        return pageVaddr + fileBytes;
    }

    /** End of the file-backed pages: {@code ELF_PAGEALIGN(fileEnd())}; equals {@code pageVaddr} when nothing is file-backed. */
    public long filePageEnd() {
        return Elf.pageAlign(fileEnd());
    }

    /** True when Linux clears the tail of the last file page (bss present and the segment writable). */
    public boolean zeroesPartialPage() {
        return memEnd > fileEnd() && (prot & Elf.PROT_WRITE) != 0 && Elf.pageOffset(fileEnd()) != 0;
    }

    /** Protection of the anonymous pages after the file pages: {@code vm_brk_flags()} maps them RW, plus X if executable. */
    public int anonProt() {
        return Elf.PROT_READ | Elf.PROT_WRITE | (prot & Elf.PROT_EXEC);
    }

    /** Number of pages the segment occupies. */
    public long pageCount() {
        return (pageEnd - pageVaddr) / Elf.PAGE_SIZE;
    }
}
