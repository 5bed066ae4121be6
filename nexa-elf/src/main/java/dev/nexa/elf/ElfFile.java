package dev.nexa.elf;

import dev.nexa.elf.internal.DynamicParser;
import dev.nexa.elf.internal.HeaderParser;
import dev.nexa.elf.internal.Image;
import dev.nexa.elf.internal.InterpreterParser;
import dev.nexa.elf.internal.SectionParser;
import dev.nexa.elf.internal.Warnings;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed ELF64 x86-64 file: header, program headers, sections, PT_INTERP path and PT_DYNAMIC
 * contents, all immutable. Nothing of the file is retained; {@link LoadPlan#of} turns this into a
 * memory layout, the caller copies bytes from its own copy of the file.
 *
 * <h2>Strict and lenient parts</h2>
 * What Linux's {@code load_elf_binary()} reads is checked strictly and a problem throws
 * {@link ElfFormatException}: the ELF header, the program header table and the PT_INTERP path.
 * What only other tools read is parsed leniently, so that a damaged section table or dynamic
 * section never makes a loadable file unparseable (Linux ignores sections): problems there are
 * described in {@link #warnings()}, the section list is then empty (or has empty names) and
 * unresolvable dynamic strings are left out.
 *
 * @param header         the ELF header
 * @param programHeaders the program header table in file order
 * @param sections       the section headers with resolved names, empty when absent or unusable
 * @param interpreter    the PT_INTERP path (first PT_INTERP; text before its first NUL, UTF-8)
 * @param dynamic        the first PT_DYNAMIC's entries and resolved strings
 * @param warnings       problems found in the lenient parts, phrased like exception messages
 * @param fileSize       size of the parsed file in bytes
 */
public record ElfFile(ElfHeader header, List<ProgramHeader> programHeaders, List<SectionHeader> sections,
                      Optional<String> interpreter, Optional<DynamicInfo> dynamic, List<String> warnings,
                      long fileSize) {

    public ElfFile {
        Objects.requireNonNull(header, "header");
        programHeaders = List.copyOf(programHeaders);
        sections = List.copyOf(sections);
        Objects.requireNonNull(interpreter, "interpreter");
        Objects.requireNonNull(dynamic, "dynamic");
        warnings = List.copyOf(warnings);
    }

    /**
     * Parses the whole file held in {@code image} between its position and limit (normally the
     * whole buffer, position 0). The buffer's position, limit and byte order are not changed.
     *
     * @throws ElfFormatException when the header, the program header table or PT_INTERP is unusable
     */
    public static ElfFile parse(ByteBuffer image) throws ElfFormatException {
        var img = new Image(image);
        var header = HeaderParser.header(img);
        var phdrs = HeaderParser.programHeaders(img, header);
        var interpreter = InterpreterParser.interpreter(img, header, phdrs);
        var warn = new Warnings();
        var sections = SectionParser.sections(img, header, warn);
        var dynamic = DynamicParser.dynamic(img, header, phdrs, warn);
        return new ElfFile(header, phdrs, sections, interpreter, dynamic, warn.toList(), img.size());
    }

    /** Parses a file held in a byte array. */
    public static ElfFile parse(byte[] image) throws ElfFormatException {
        return parse(ByteBuffer.wrap(image));
    }

    /**
     * Parses a file by mapping it read-only. The file must not shrink while it is parsed (reading
     * a truncated mapping faults); a kernel parsing guest files should pass the bytes it holds.
     *
     * @throws IOException        when the file cannot be read
     * @throws ElfFormatException when it is not a usable ELF file, or larger than 2 GiB
     */
    public static ElfFile parse(Path path) throws IOException, ElfFormatException {
        try (var ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new ElfFormatException(ElfFormatException.Kind.UNSUPPORTED, "file", 0,
                        "size " + Elf.hex(size) + " exceeds the 2 GiB this parser maps");
            }
            return parse(ch.map(FileChannel.MapMode.READ_ONLY, 0, size));
        }
    }

    /** True for {@link Elf#ET_DYN} (PIE executables, shared objects, dynamic loaders). */
    public boolean isPositionIndependent() {
        return header.isPositionIndependent();
    }

    /** All program headers of one type, in file order. */
    public List<ProgramHeader> segmentsOfType(int type) {
        return programHeaders.stream().filter(ph -> ph.type() == type).toList();
    }

    /** The first program header of one type. */
    public Optional<ProgramHeader> firstOfType(int type) {
        return programHeaders.stream().filter(ph -> ph.type() == type).findFirst();
    }

    /** The PT_LOAD segments in file order. */
    public List<ProgramHeader> loadSegments() {
        return segmentsOfType(Elf.PT_LOAD);
    }

    /**
     * The PT_GNU_STACK header that decides the stack's permissions: the <em>last</em> one, because
     * {@code load_elf_binary()} walks them all and each overrides the previous.
     */
    public Optional<ProgramHeader> gnuStack() {
        var all = segmentsOfType(Elf.PT_GNU_STACK);
        return all.isEmpty() ? Optional.empty() : Optional.of(all.getLast());
    }

    /** The first PT_TLS header (the thread-local storage template). */
    public Optional<ProgramHeader> tls() {
        return firstOfType(Elf.PT_TLS);
    }

    /** The first PT_GNU_RELRO header (what the dynamic loader makes read-only after relocation). */
    public Optional<ProgramHeader> gnuRelro() {
        return firstOfType(Elf.PT_GNU_RELRO);
    }

    /** The first PT_PHDR header (where the program header table says it is mapped). */
    public Optional<ProgramHeader> phdrSegment() {
        return firstOfType(Elf.PT_PHDR);
    }

    /**
     * Whether Linux maps this program's stack executable. On x86-64 only a PT_GNU_STACK with PF_X
     * does that: without PT_GNU_STACK a 64-bit task gets no READ_IMPLIES_EXEC
     * ({@code elf_read_implies_exec()} in arch/x86/include/asm/elf.h), so the stack is not executable.
     */
    public boolean executableStack() {
        return gnuStack().map(ProgramHeader::executable).orElse(false);
    }
}
