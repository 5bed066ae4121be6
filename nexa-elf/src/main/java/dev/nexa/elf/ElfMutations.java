package dev.nexa.elf;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Targeted mutations of ELF files, for fuzzing loaders: hostile values in named header fields,
 * truncation at structure boundaries, bit flips, a rewritten PT_INTERP, duplicated or shifted
 * segments. Each {@link Mutation} is a small record that prints as what it did, so a failing
 * sample can be described in one line and replayed.
 *
 * <p>Mutations read the file raw (no {@link ElfFile#parse}), so they also apply to files that
 * earlier mutations already broke; a mutation whose target is not in the file leaves it as it
 * is. Nothing here allocates more than the file's size plus what a mutation appends.
 */
public final class ElfMutations {
    private ElfMutations() {}

    /** One change to an ELF file; {@link #apply} returns a new array and never throws. */
    public sealed interface Mutation permits SetField, Truncate, FlipBits, SetInterpreter, CopyHeader {
        byte[] apply(byte[] file);
    }

    /** Writes {@code value} (little-endian, {@code width} bytes) into the field at {@code offset}. */
    public record SetField(String field, long offset, int width, long value) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            if (offset < 0 || offset + width > file.length) return file;
            byte[] out = file.clone();
            for (int i = 0; i < width; i++) out[(int) offset + i] = (byte) (value >>> (8 * i));
            return out;
        }

        @Override
        public String toString() { return field + "=" + Elf.hex(value); }
    }

    /** Keeps the first {@code length} bytes. */
    public record Truncate(long length) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            return Arrays.copyOf(file, (int) Math.max(0, Math.min(file.length, length)));
        }

        @Override
        public String toString() { return "truncate to " + Elf.hex(length); }
    }

    /** XORs the byte at {@code offset} with {@code mask}. */
    public record FlipBits(long offset, int mask) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            if (offset < 0 || offset >= file.length) return file;
            byte[] out = file.clone();
            out[(int) offset] ^= (byte) mask;
            return out;
        }

        @Override
        public String toString() { return String.format("flip 0x%02x at %s", mask & 0xff, Elf.hex(offset)); }
    }

    /**
     * Points the first PT_INTERP at {@code path}, appended to the file, with or without its
     * terminating NUL; a file without PT_INTERP has its first PT_NOTE, PT_GNU_STACK or PT_PHDR
     * turned into one (so static programs get an interpreter too).
     */
    public record SetInterpreter(byte[] path, boolean terminated) implements Mutation {
        public SetInterpreter {
            path = path.clone();
        }

        public static SetInterpreter of(String path) {
            return new SetInterpreter(path.getBytes(StandardCharsets.UTF_8), true);
        }

        @Override
        public byte[] path() { return path.clone(); }

        @Override
        public byte[] apply(byte[] file) {
            long at = -1;
            for (long ph : programHeaders(file)) {
                if (u32(file, ph) == Elf.PT_INTERP) {
                    at = ph;
                    break;
                }
            }
            if (at < 0) {
                for (long ph : programHeaders(file)) {
                    long type = u32(file, ph);
                    if (type == Elf.PT_NOTE || type == Elf.PT_GNU_STACK || type == Elf.PT_PHDR) {
                        at = ph;
                        break;
                    }
                }
            }
            if (at < 0) return file;
            int n = path.length + (terminated ? 1 : 0);
            byte[] out = Arrays.copyOf(file, file.length + n);
            System.arraycopy(path, 0, out, file.length, path.length);
            put(out, at + ProgramHeader.OFF_TYPE, 4, Elf.PT_INTERP);
            put(out, at + ProgramHeader.OFF_OFFSET, 8, file.length);
            put(out, at + ProgramHeader.OFF_FILESZ, 8, n);
            put(out, at + ProgramHeader.OFF_MEMSZ, 8, n);
            return out;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof SetInterpreter s && terminated == s.terminated && Arrays.equals(path, s.path);
        }

        @Override
        public int hashCode() { return Arrays.hashCode(path) * 2 + (terminated ? 1 : 0); }

        @Override
        public String toString() {
            String p = new String(path, StandardCharsets.UTF_8);
            return "PT_INTERP=\"" + p + "\"" + (terminated ? "" : " without NUL");
        }
    }

    /**
     * Copies program header {@code from} over header {@code to}, then adds {@code vaddrDelta}
     * to the copy's p_vaddr: overlapping, duplicated, misaligned or wrapping segments.
     */
    public record CopyHeader(int from, int to, long vaddrDelta) implements Mutation {
        @Override
        public byte[] apply(byte[] file) {
            List<Long> phs = programHeaders(file);
            if (phs.isEmpty()) return file;
            long src = phs.get(Math.floorMod(from, phs.size())), dst = phs.get(Math.floorMod(to, phs.size()));
            byte[] out = file.clone();
            System.arraycopy(file, (int) src, out, (int) dst, Elf.PHDR_SIZE);
            put(out, dst + ProgramHeader.OFF_VADDR, 8, u64(out, dst + ProgramHeader.OFF_VADDR) + vaddrDelta);
            return out;
        }

        @Override
        public String toString() {
            return "phdr[" + from + "] copied over phdr[" + to + "], p_vaddr " + (vaddrDelta < 0 ? "-" : "+")
                    + Elf.hex(Math.abs(vaddrDelta));
        }
    }

    /** Applies the mutations in order. */
    public static byte[] apply(byte[] file, List<? extends Mutation> mutations) {
        byte[] out = file;
        for (Mutation m : mutations) out = m.apply(out);
        return out;
    }

    // ---- what can be mutated -------------------------------------------------------------------

    /** A field of the file that {@link SetField} can overwrite. */
    public record Field(String name, long offset, int width) {
        public SetField set(long value) { return new SetField(name, offset, width, value); }
    }

    /** The header fields, every program header's fields and the dynamic entries' tags and values. */
    public static List<Field> fields(byte[] file) {
        List<Field> out = new ArrayList<>(List.of(
                new Field("e_type", ElfHeader.OFF_TYPE, 2), new Field("e_machine", ElfHeader.OFF_MACHINE, 2),
                new Field("e_entry", ElfHeader.OFF_ENTRY, 8), new Field("e_phoff", ElfHeader.OFF_PHOFF, 8),
                new Field("e_shoff", ElfHeader.OFF_SHOFF, 8), new Field("e_phentsize", ElfHeader.OFF_PHENTSIZE, 2),
                new Field("e_phnum", ElfHeader.OFF_PHNUM, 2), new Field("e_shentsize", ElfHeader.OFF_SHENTSIZE, 2),
                new Field("e_shnum", ElfHeader.OFF_SHNUM, 2), new Field("e_shstrndx", ElfHeader.OFF_SHSTRNDX, 2)));
        List<Long> phs = programHeaders(file);
        for (int i = 0; i < phs.size(); i++) {
            long at = phs.get(i);
            String p = "phdr[" + i + "].";
            out.add(new Field(p + "p_type", at + ProgramHeader.OFF_TYPE, 4));
            out.add(new Field(p + "p_flags", at + ProgramHeader.OFF_FLAGS, 4));
            out.add(new Field(p + "p_offset", at + ProgramHeader.OFF_OFFSET, 8));
            out.add(new Field(p + "p_vaddr", at + ProgramHeader.OFF_VADDR, 8));
            out.add(new Field(p + "p_filesz", at + ProgramHeader.OFF_FILESZ, 8));
            out.add(new Field(p + "p_memsz", at + ProgramHeader.OFF_MEMSZ, 8));
            out.add(new Field(p + "p_align", at + ProgramHeader.OFF_ALIGN, 8));
            if (u32(file, at) == Elf.PT_DYNAMIC) {
                long off = u64(file, at + ProgramHeader.OFF_OFFSET), size = u64(file, at + ProgramHeader.OFF_FILESZ);
                for (long k = 0; k < Math.min(size / 16, 64) && off >= 0 && off + 16 * (k + 1) <= file.length; k++) {
                    out.add(new Field("dyn[" + k + "].d_tag", off + 16 * k, 8));
                    out.add(new Field("dyn[" + k + "].d_val", off + 16 * k + 8, 8));
                }
            }
        }
        return out;
    }

    /** Offsets where a structure starts or ends: every header byte, table entries, segment ranges. */
    public static List<Long> boundaries(byte[] file) {
        List<Long> out = new ArrayList<>();
        for (long i = 0; i <= Elf.EHDR_SIZE; i++) out.add(i);
        long phoff = file.length >= 0x28 ? u64(file, ElfHeader.OFF_PHOFF) : 0;
        List<Long> phs = programHeaders(file);
        for (int i = 0; i <= phs.size(); i++) out.add(phoff + (long) i * Elf.PHDR_SIZE);
        for (long ph : phs) {
            long off = u64(file, ph + ProgramHeader.OFF_OFFSET), size = u64(file, ph + ProgramHeader.OFF_FILESZ);
            out.add(off);
            out.add(off + size);
        }
        out.removeIf(b -> b < 0 || b > file.length);
        return out;
    }

    /** File offsets of the program headers that lie inside the file (at most 64, 56 bytes each). */
    public static List<Long> programHeaders(byte[] file) {
        List<Long> out = new ArrayList<>();
        if (file.length < Elf.EHDR_SIZE) return out;
        long phoff = u64(file, ElfHeader.OFF_PHOFF);
        int phnum = (int) u16(file, ElfHeader.OFF_PHNUM);
        for (int i = 0; i < Math.min(phnum, 64); i++) {
            long at = phoff + (long) i * Elf.PHDR_SIZE;
            if (at < 0 || at + Elf.PHDR_SIZE > file.length || at + Elf.PHDR_SIZE < at) break;
            out.add(at);
        }
        return out;
    }

    /**
     * A hostile 64-bit value, chosen by {@code choice}: 0, 1, -1, the edges of the integer types,
     * of the file ({@code fileSize} plus or minus a little), of TASK_SIZE and of a page; or {@code random}.
     */
    public static long interesting(long choice, long random, long fileSize) {
        long[] values = {0, 1, 2, -1, 0x7fff_ffffL, 0xffff_ffffL, 0x1_0000_0000L, Long.MAX_VALUE, Long.MIN_VALUE,
                fileSize, fileSize - 1, fileSize + 1, fileSize - Elf.PHDR_SIZE, Elf.TASK_SIZE, Elf.TASK_SIZE - 1,
                Elf.TASK_SIZE + 1, -Elf.PAGE_SIZE, 0xffff, 0x10000, Elf.PAGE_SIZE, Elf.PAGE_SIZE - 1,
                Elf.PATH_MAX + 1, 56, 64, 1L << 40, 3L << 30, random};
        return values[(int) Math.floorMod(choice, values.length)];
    }

    /**
     * One random mutation of {@code file} (for campaigns outside jqwik): a hostile field value,
     * a truncation at a boundary, a few bit flips, a copied header or a rewritten interpreter
     * from {@code interpreters}.
     */
    public static Mutation random(RandomGenerator rnd, byte[] file, List<String> interpreters) {
        switch (rnd.nextInt(6)) {
            case 0, 1 -> {
                List<Field> fs = fields(file);
                Field f = fs.get(rnd.nextInt(fs.size()));
                return f.set(interesting(rnd.nextInt(64), rnd.nextLong(), file.length));
            }
            case 2 -> {
                List<Long> bs = boundaries(file);
                return new Truncate(bs.get(rnd.nextInt(bs.size())) + rnd.nextInt(5) - 2);
            }
            case 3 -> {
                long bound = rnd.nextInt(4) < 3 ? Math.min(file.length, 4096) : file.length;
                return new FlipBits(bound == 0 ? 0 : rnd.nextLong(bound), 1 + rnd.nextInt(255));
            }
            case 4 -> {
                long[] deltas = {0, 1, Elf.PAGE_SIZE, -Elf.PAGE_SIZE, 0x800, Long.MIN_VALUE, -1, Elf.TASK_SIZE};
                return new CopyHeader(rnd.nextInt(16), rnd.nextInt(16), deltas[rnd.nextInt(deltas.length)]);
            }
            default -> {
                String p = interpreters.isEmpty() ? "/nonexistent" : interpreters.get(rnd.nextInt(interpreters.size()));
                return new SetInterpreter(p.getBytes(StandardCharsets.UTF_8), rnd.nextInt(8) != 0);
            }
        }
    }

    /** A short hex dump of a byte string (for notes about samples). */
    public static String hex(byte[] b) { return HexFormat.of().formatHex(b); }

    // ---- raw little-endian access --------------------------------------------------------------

    private static long u16(byte[] f, long at) { return (f[(int) at] & 0xffL) | (f[(int) at + 1] & 0xffL) << 8; }

    private static long u32(byte[] f, long at) {
        long v = 0;
        for (int i = 3; i >= 0; i--) v = v << 8 | (f[(int) at + i] & 0xffL);
        return v;
    }

    private static long u64(byte[] f, long at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = v << 8 | (f[(int) at + i] & 0xffL);
        return v;
    }

    private static void put(byte[] f, long at, int width, long value) {
        for (int i = 0; i < width; i++) f[(int) at + i] = (byte) (value >>> (8 * i));
    }
}
