package dev.nexa.elf.internal;

import static dev.nexa.elf.Elf.hex;

import dev.nexa.elf.Elf;
import dev.nexa.elf.ElfFormatException;
import dev.nexa.elf.ElfFormatException.Kind;
import dev.nexa.elf.ElfHeader;
import dev.nexa.elf.ProgramHeader;
import java.util.List;
import java.util.Optional;

/**
 * Reads the PT_INTERP path with the checks of Linux's {@code load_elf_binary()}: only the first
 * PT_INTERP counts; {@code p_filesz} must lie in [2, PATH_MAX]; the bytes must be in the file; the
 * last byte must be NUL. The path is what precedes the first NUL (that is what {@code open_exec()}
 * sees), decoded as UTF-8.
 */
public final class InterpreterParser {
    private InterpreterParser() {}

    public static Optional<String> interpreter(Image img, ElfHeader h, List<ProgramHeader> phdrs)
            throws ElfFormatException {
        for (int i = 0; i < phdrs.size(); i++) {
            var ph = phdrs.get(i);
            if (ph.type() == Elf.PT_INTERP) {
                return Optional.of(read(img, h, i, ph));
            }
        }
        return Optional.empty();
    }

    private static String read(Image img, ElfHeader h, int i, ProgramHeader ph) throws ElfFormatException {
        long at = h.programHeaderOffset(i);
        String f = "phdr[" + i + "]";
        if (Unsigned.lt(ph.filesz(), 2) || Unsigned.gt(ph.filesz(), Elf.PATH_MAX)) {
            throw new ElfFormatException(Kind.BAD_INTERPRETER, f + ".p_filesz", at + ProgramHeader.OFF_FILESZ,
                    "PT_INTERP size " + hex(ph.filesz()) + " is outside [2, PATH_MAX]", "ENOEXEC");
        }
        if (!img.contains(ph.offset(), ph.filesz())) {
            // A short read in elf_read() makes execve fail with EIO.
            throw new ElfFormatException(Kind.BAD_INTERPRETER, f + ".p_offset", at + ProgramHeader.OFF_OFFSET,
                    img.pastEnd("PT_INTERP", ph.offset(), ph.filesz()), "EIO");
        }
        long end = ph.offset() + ph.filesz();
        if (img.u8(end - 1, "PT_INTERP") != 0) {
            throw new ElfFormatException(Kind.BAD_INTERPRETER, "PT_INTERP", end - 1,
                    "interpreter path is not NUL-terminated within p_filesz " + hex(ph.filesz()), "ENOEXEC");
        }
        long nul = img.indexOfNul(ph.offset(), end);
        if (nul == ph.offset()) {
            // Linux passes "" to open_exec(); a kernel-internal lookup of "" yields the working
            // directory, which is not a regular file: execve fails with EACCES (checked on 6.18).
            throw new ElfFormatException(Kind.BAD_INTERPRETER, "PT_INTERP", ph.offset(),
                    "interpreter path is empty", "EACCES");
        }
        return img.utf8(ph.offset(), nul);
    }
}
