package dev.nexa.elf;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds ELF64 x86-64 little-endian files from segments: synthetic programs for loader tests.
 *
 * <pre>{@code
 * byte[] exit42 = {(byte) 0xb8, 60, 0, 0, 0, (byte) 0xbf, 42, 0, 0, 0, 0x0f, 0x05}; // exit(42)
 * byte[] file = ElfWriter.executable()
 *         .headersAt(0x400000)                                    // ELF header + phdrs mapped, PT_PHDR
 *         .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, 0x401000, exit42))
 *         .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, 0x402000, new byte[] {1, 2, 3})
 *                 .withMemsz(0x3000))                             // 3 data bytes, then bss
 *         .entry(0x401000)
 *         .build();
 * }</pre>
 *
 * <h2>File layout</h2>
 * <ol>
 *   <li>ELF header at 0, program header table at 64 ({@code e_phoff}).</li>
 *   <li>Metadata right after the table: the PT_INTERP path, the dynamic string table and the
 *       PT_DYNAMIC array (8-aligned). With {@link #headersAt(long)} the range from offset 0 to
 *       the end of this metadata is mapped read-only by a first PT_LOAD at that address, and a
 *       PT_PHDR describes the table, as real linkers do; dynamic entries need this, because
 *       {@code DT_STRTAB} is an address.</li>
 *   <li>The segments' bytes, in the order added, each at the next offset congruent to its
 *       {@code p_vaddr} modulo the page size (PT_LOAD) or modulo {@code min(p_align, page)} (others,
 *       when {@code p_align} is a power of two), unless {@link Segment#atOffset(long)} fixes it.</li>
 *   <li>With {@link #sectionHeaders(boolean)} (the default) a small section table naming each
 *       part ({@code .interp}, {@code .dynstr}, {@code .dynamic}, {@code .load<i>}, {@code .bss<i>},
 *       ...) and {@code .shstrtab}, so that tools like {@code readelf} show something familiar.</li>
 * </ol>
 * Program headers come in this order: PT_PHDR, PT_INTERP, the headers' PT_LOAD, the added
 * segments and raw headers in the order added, PT_DYNAMIC, PT_GNU_STACK.
 *
 * <h2>No validation</h2>
 * The writer does not check the layout: overlapping, unsorted, non-congruent or otherwise
 * malformed segments are written as asked, which is what loader tests want. Only what would make
 * the file impossible to produce (over 2 GiB, dynamic entries without mapped headers) is refused
 * with an {@link IllegalArgumentException} or {@link IllegalStateException}.
 */
public final class ElfWriter {
    /** Offset value meaning "choose the file offset automatically". */
    public static final long AUTO = -1;

    /**
     * One program header and the bytes it covers in the file: {@code p_filesz} is
     * {@code bytes.length}, {@code p_paddr} equals {@code p_vaddr}.
     *
     * @param type       {@code p_type}
     * @param flags      {@code p_flags}
     * @param vaddr      {@code p_vaddr}
     * @param bytes      the file contents ({@code p_filesz} bytes)
     * @param memsz      {@code p_memsz} (unsigned; may be smaller than {@code bytes.length} on purpose)
     * @param align      {@code p_align}
     * @param fileOffset {@code p_offset}, or {@link #AUTO}
     */
    public record Segment(int type, int flags, long vaddr, byte[] bytes, long memsz, long align, long fileOffset) {
        public Segment {
            bytes = bytes.clone();
        }

        /** A PT_LOAD of {@code bytes} at {@code vaddr}, {@code p_memsz = bytes.length}, page aligned. */
        public static Segment load(int flags, long vaddr, byte[] bytes) {
            return new Segment(Elf.PT_LOAD, flags, vaddr, bytes, bytes.length, Elf.PAGE_SIZE, AUTO);
        }

        /** Any segment type, {@code p_memsz = bytes.length}, {@code p_align = 8}. */
        public static Segment of(int type, int flags, long vaddr, byte[] bytes) {
            return new Segment(type, flags, vaddr, bytes, bytes.length, 8, AUTO);
        }

        /** Copy with another {@code p_memsz}; larger than the bytes means bss. */
        public Segment withMemsz(long newMemsz) {
            return new Segment(type, flags, vaddr, bytes, newMemsz, align, fileOffset);
        }

        /** Copy with another {@code p_align}. */
        public Segment withAlign(long newAlign) {
            return new Segment(type, flags, vaddr, bytes, memsz, newAlign, fileOffset);
        }

        /** Copy placed at a fixed file offset (which may break congruence, on purpose). */
        public Segment atOffset(long offset) {
            if (offset < 0) {
                throw new IllegalArgumentException("file offset " + offset + " is negative");
            }
            return new Segment(type, flags, vaddr, bytes, memsz, align, offset);
        }

        @Override
        public byte[] bytes() {
            return bytes.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Segment s && type == s.type && flags == s.flags && vaddr == s.vaddr
                    && memsz == s.memsz && align == s.align && fileOffset == s.fileOffset
                    && Arrays.equals(bytes, s.bytes);
        }

        @Override
        public int hashCode() {
            return Objects.hash(type, flags, vaddr, memsz, align, fileOffset) * 31 + Arrays.hashCode(bytes);
        }

        @Override
        public String toString() {
            return Elf.segmentTypeName(type) + " vaddr=" + Elf.hex(vaddr) + " filesz=" + Elf.hex(bytes.length)
                    + " memsz=" + Elf.hex(memsz) + " flags=" + flags;
        }
    }

    private int type;
    private int osAbi = Elf.ELFOSABI_SYSV;
    private Long entry;
    private Long headersVaddr;
    private byte[] interpreter;
    private final List<String> needed = new ArrayList<>();
    private String soname;
    private String rpath;
    private String runpath;
    private final List<DynamicEntry> extraDynamic = new ArrayList<>();
    /** Segments and raw program headers, in the order added. */
    private final List<Object> items = new ArrayList<>();
    private Integer gnuStackFlags = Elf.PF_R | Elf.PF_W;
    private boolean sections = true;

    private ElfWriter(int type) {
        this.type = type;
    }

    /** An ET_EXEC (fixed-address executable) writer. */
    public static ElfWriter executable() {
        return new ElfWriter(Elf.ET_EXEC);
    }

    /** An ET_DYN (PIE executable, shared object or dynamic loader) writer. */
    public static ElfWriter sharedObject() {
        return new ElfWriter(Elf.ET_DYN);
    }

    /** Sets {@code e_type} to any value. */
    public ElfWriter type(int eType) {
        this.type = eType;
        return this;
    }

    /** Sets {@code e_ident[EI_OSABI]} (default {@link Elf#ELFOSABI_SYSV}). */
    public ElfWriter osAbi(int abi) {
        this.osAbi = abi;
        return this;
    }

    /** Sets {@code e_entry}. Default: the first executable PT_LOAD's address, else 0. */
    public ElfWriter entry(long address) {
        this.entry = address;
        return this;
    }

    /**
     * Maps the ELF header, the program header table and the metadata (interpreter path, dynamic
     * table and strings) with a read-only PT_LOAD at {@code vaddr} (page aligned), and adds a
     * PT_PHDR for the table.
     */
    public ElfWriter headersAt(long vaddr) {
        if (Elf.pageOffset(vaddr) != 0) {
            throw new IllegalArgumentException("headers address " + Elf.hex(vaddr) + " is not page aligned");
        }
        this.headersVaddr = vaddr;
        return this;
    }

    /** Adds a PT_INTERP naming {@code path} (written UTF-8 with the terminating NUL). */
    public ElfWriter interpreter(String path) {
        byte[] b = path.getBytes(StandardCharsets.UTF_8);
        this.interpreter = Arrays.copyOf(b, b.length + 1);
        return this;
    }

    /** Adds a PT_INTERP with exactly these bytes (no NUL added): for malformed-interpreter tests. */
    public ElfWriter interpreterBytes(byte[] raw) {
        this.interpreter = raw.clone();
        return this;
    }

    /** Adds a {@code DT_NEEDED} entry. */
    public ElfWriter needed(String library) {
        needed.add(Objects.requireNonNull(library));
        return this;
    }

    /** Sets {@code DT_SONAME}. */
    public ElfWriter soname(String name) {
        this.soname = Objects.requireNonNull(name);
        return this;
    }

    /** Sets {@code DT_RPATH}. */
    public ElfWriter rpath(String path) {
        this.rpath = Objects.requireNonNull(path);
        return this;
    }

    /** Sets {@code DT_RUNPATH}. */
    public ElfWriter runpath(String path) {
        this.runpath = Objects.requireNonNull(path);
        return this;
    }

    /** Adds a raw dynamic entry (written after the string entries, before DT_STRTAB/DT_STRSZ/DT_NULL). */
    public ElfWriter dynamicEntry(long tag, long value) {
        extraDynamic.add(new DynamicEntry(tag, value));
        return this;
    }

    /** Adds a segment with contents. */
    public ElfWriter segment(Segment segment) {
        items.add(Objects.requireNonNull(segment));
        return this;
    }

    /** Adds a program header written verbatim, covering whatever its fields say (e.g. PT_TLS, PT_GNU_RELRO). */
    public ElfWriter programHeader(ProgramHeader header) {
        items.add(Objects.requireNonNull(header));
        return this;
    }

    /** Sets the PT_GNU_STACK flags (default {@code PF_R | PF_W}: non-executable stack). */
    public ElfWriter gnuStack(int flags) {
        this.gnuStackFlags = flags;
        return this;
    }

    /** Writes no PT_GNU_STACK. */
    public ElfWriter omitGnuStack() {
        this.gnuStackFlags = null;
        return this;
    }

    /** Whether to write a section header table (default true). */
    public ElfWriter sectionHeaders(boolean write) {
        this.sections = write;
        return this;
    }

    /** Produces the file. */
    public byte[] build() {
        return new ElfLayout(this).write();
    }

    // ---- package-private views for ElfLayout ----------------------------------------------
    int type() {
        return type;
    }

    int osAbi() {
        return osAbi;
    }

    Long entryOrNull() {
        return entry;
    }

    Long headersVaddr() {
        return headersVaddr;
    }

    byte[] interpreterOrNull() {
        return interpreter;
    }

    List<String> needed() {
        return needed;
    }

    String soname() {
        return soname;
    }

    String rpath() {
        return rpath;
    }

    String runpath() {
        return runpath;
    }

    List<DynamicEntry> extraDynamic() {
        return extraDynamic;
    }

    List<Object> items() {
        return items;
    }

    Integer gnuStackFlags() {
        return gnuStackFlags;
    }

    boolean writeSections() {
        return sections;
    }
}
