/**
 * ELF64 x86-64 files as immutable records, and the load layout Linux's exec derives from them.
 *
 * <ul>
 *   <li>{@link dev.nexa.elf.ElfFile#parse(java.nio.ByteBuffer)} reads a whole file into an
 *       {@link dev.nexa.elf.ElfFile}: {@link dev.nexa.elf.ElfHeader},
 *       {@link dev.nexa.elf.ProgramHeader}s, {@link dev.nexa.elf.SectionHeader}s, the PT_INTERP path
 *       and {@link dev.nexa.elf.DynamicInfo}. Every read is bounds-checked against the file size
 *       with unsigned, overflow-free arithmetic; malformed input raises the checked
 *       {@link dev.nexa.elf.ElfFormatException}, which names the field and its file offset and
 *       tells which errno Linux's execve gives for the same file.</li>
 *   <li>{@link dev.nexa.elf.LoadPlan#of(dev.nexa.elf.ElfFile)} applies the rules of
 *       {@code load_elf_binary()} (fs/binfmt_elf.c) and yields page-granular
 *       {@link dev.nexa.elf.LoadSegment}s relative to a load base the kernel chooses.</li>
 *   <li>{@link dev.nexa.elf.ElfWriter} builds synthetic ELF files for tests.</li>
 *   <li>{@link dev.nexa.elf.Elf} holds the format's constants (ET_, PT_, PF_, SHT_, DT_, AT_, ...).</li>
 * </ul>
 *
 * <p>How exec uses it (a sketch of the kernel side):
 * <pre>{@code
 * ElfFile elf = ElfFile.parse(fileBytes);                // ENOEXEC & co. via e.linuxErrno()
 * LoadPlan plan = LoadPlan.of(elf);                      // e.kind().pastPointOfNoReturn(): SIGSEGV
 * long base = plan.relocatable() ? pickBase(plan.span(), plan.alignment()) : 0;
 * for (LoadSegment s : plan.segments()) {                // in order: later ones replace earlier pages
 *     map(base + s.pageVaddr(), base + s.filePageEnd(), s.prot(), file, s.fileOffset());
 *     if (s.zeroesPartialPage()) zero(base + s.fileEnd(), base + s.filePageEnd());
 *     mapAnonymous(base + s.filePageEnd(), base + s.pageEnd(), s.anonProt());
 * }
 * // AT_PHDR = base + plan.phdrVaddr().orElse(-plan.linkBase()), AT_PHENT = 56,
 * // AT_PHNUM = elf.header().phnum(), AT_ENTRY = base + plan.entry(), brk at base + plan.brkStart();
 * // for an interpreter: AT_BASE = interpPlan.loadBias(interpBase), start at interpBase + interpPlan.entry().
 * }</pre>
 */
package dev.nexa.elf;
