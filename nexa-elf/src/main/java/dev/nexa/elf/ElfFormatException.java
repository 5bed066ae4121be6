package dev.nexa.elf;

import java.util.Objects;

/**
 * An ELF image that cannot be parsed or loaded. Names the offending field (ELF spelling, e.g.
 * {@code e_phoff} or {@code phdr[3].p_filesz}) and the file offset of that field or structure, so
 * the message reads like {@code e_phoff: program header table [0x40, 0x2a0) runs past end of file
 * (size 0x100) at offset 0x20}.
 *
 * <p>{@link #kind()} classifies the problem; {@link #linuxErrno()} names the errno Linux's
 * {@code execve} returns for the same file (see {@link Kind} for the defaults), so the kernel can
 * answer exactly as Linux would.
 */
public final class ElfFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What is wrong, coarsely; each kind names the errno Linux's {@code execve} answers by default. */
    public enum Kind {
        /** No ELF magic: not an ELF file at all ({@code ENOEXEC}; Linux tries the next binfmt). */
        NOT_ELF("ENOEXEC", false),
        /** ELF, but not x86-64 ELF64 little-endian version 1, or a type that cannot be executed ({@code ENOEXEC}). */
        UNSUPPORTED("ENOEXEC", false),
        /** A structure lies outside the file or has an impossible size ({@code ENOEXEC}). */
        MALFORMED("ENOEXEC", false),
        /**
         * The PT_INTERP segment is unusable. Linux answers {@code ENOEXEC} when {@code p_filesz} is
         * outside [2, PATH_MAX] or the path lacks its terminating NUL, {@code EIO} when the segment
         * lies past the end of the file, and {@code EACCES} for an empty path (the lookup of ""
         * finds the working directory, not a regular file); {@link #linuxErrno()} says which.
         * ({@code ELIBBAD} is what Linux answers when the interpreter <em>file</em> is not a usable
         * ELF: the kernel reports that for any exception raised while parsing the interpreter.)
         */
        BAD_INTERPRETER("ENOEXEC", false),
        /**
         * Segments that {@code load_elf_binary()} refuses to map: {@code p_filesz > p_memsz},
         * addresses at or beyond TASK_SIZE, file offsets not congruent to the address modulo the
         * page size, no PT_LOAD at all, a bad entry point ({@code EINVAL}). Linux finds these only
         * after {@code begin_new_exec()}, past the point of no return: execve does not return the
         * errno, the process is killed with SIGSEGV instead ({@code bprm_execve()} in fs/exec.c).
         */
        BAD_LAYOUT("EINVAL", true);

        private final String errno;
        private final boolean pastPointOfNoReturn;

        Kind(String errno, boolean pastPointOfNoReturn) {
            this.errno = errno;
            this.pastPointOfNoReturn = pastPointOfNoReturn;
        }

        /**
         * True when Linux detects this kind of problem after the old program is already gone, so
         * the exec'ing process dies of SIGSEGV rather than seeing an error from execve.
         */
        public boolean pastPointOfNoReturn() {
            return pastPointOfNoReturn;
        }

        /** The errno name Linux returns for most problems of this kind. */
        public String defaultErrno() {
            return errno;
        }
    }

    private final Kind kind;
    private final String field;
    private final long offset;
    private final String detail;
    private final String linuxErrno;

    /**
     * @param kind   classification
     * @param field  ELF name of the offending field, e.g. {@code "e_phoff"}, {@code "phdr[3].p_filesz"}
     * @param offset file offset of that field (or of the structure it belongs to)
     * @param detail what is wrong, without the field name or offset
     */
    public ElfFormatException(Kind kind, String field, long offset, String detail) {
        this(kind, field, offset, detail, kind.defaultErrno());
    }

    /** As {@link #ElfFormatException(Kind, String, long, String)}, with an explicit Linux errno name. */
    public ElfFormatException(Kind kind, String field, long offset, String detail, String linuxErrno) {
        super(field + ": " + detail + " at offset " + Elf.hex(offset));
        this.kind = Objects.requireNonNull(kind, "kind");
        this.field = Objects.requireNonNull(field, "field");
        this.offset = offset;
        this.detail = Objects.requireNonNull(detail, "detail");
        this.linuxErrno = Objects.requireNonNull(linuxErrno, "linuxErrno");
    }

    /** The classification of the problem. */
    public Kind kind() {
        return kind;
    }

    /** The ELF name of the offending field, e.g. {@code e_phnum} or {@code phdr[2].p_offset}. */
    public String field() {
        return field;
    }

    /** File offset of the offending field or structure. */
    public long offset() {
        return offset;
    }

    /** The description of the problem without field name and offset. */
    public String detail() {
        return detail;
    }

    /** The errno name ({@code "ENOEXEC"}, {@code "EINVAL"}, {@code "EIO"}, ...) Linux's execve answers for this file. */
    public String linuxErrno() {
        return linuxErrno;
    }
}
