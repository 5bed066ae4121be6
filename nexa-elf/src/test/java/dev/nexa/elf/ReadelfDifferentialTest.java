package dev.nexa.elf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Parses host binaries and compares every header field, program header, the interpreter and the
 * dynamic entries with what the host's {@code readelf -lhdW} prints.
 */
class ReadelfDifferentialTest {

    static Stream<Path> hostBinaries() {
        return Stream.of("/bin/ls", "/bin/true", "/usr/bin/sort", "/lib/x86_64-linux-gnu/libc.so.6",
                        "/lib64/ld-linux-x86-64.so.2", "/bin/busybox", "/lib/ld-musl-x86_64.so.1")
                .map(Path::of)
                .filter(Files::isRegularFile);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostBinaries")
    void hostBinaryMatchesReadelf(Path file) throws Exception {
        Readelf.assumeAvailable();
        compare(file.toRealPath());
    }

    @Test
    void theRequiredHostBinariesExist() {
        // The list above filters missing files; this keeps the differential test from passing vacuously.
        assertTrue(hostBinaries().count() >= 6, "expected the standard host binaries, found " + hostBinaries().toList());
    }

    @Test
    void gccBuiltRpathAndRunpathMatchReadelf(@TempDir Path dir) throws Exception {
        Readelf.assumeAvailable();
        assumeTrue(HostTools.has("gcc"), "gcc not found: install gcc to build the RPATH/RUNPATH samples");
        Path src = dir.resolve("main.c");
        Files.writeString(src, "int main(void) { return 0; }\n");
        var built = new ArrayList<Path>();
        for (var variant : List.of(Map.entry("runpath", "--enable-new-dtags"), Map.entry("rpath", "--disable-new-dtags"))) {
            Path out = dir.resolve(variant.getKey());
            var run = Readelf.run("gcc", "-o", out.toString(), src.toString(),
                    "-Wl," + variant.getValue() + ",-rpath,/opt/nexa/" + variant.getKey() + ":$ORIGIN/../lib");
            assertEquals(0, run.exit(), run.stderr());
            built.add(out);
        }
        for (Path p : built) {
            compare(p);
        }
        var runpath = ElfFile.parse(built.get(0)).dynamic().orElseThrow();
        assertEquals("/opt/nexa/runpath:$ORIGIN/../lib", runpath.runpath().orElseThrow());
        var rpath = ElfFile.parse(built.get(1)).dynamic().orElseThrow();
        assertEquals("/opt/nexa/rpath:$ORIGIN/../lib", rpath.rpath().orElseThrow());
    }

    /** Asserts that {@link ElfFile#parse(Path)} and readelf agree on {@code file}. */
    static void compare(Path file) throws Exception {
        var r = Readelf.of(file);
        var elf = ElfFile.parse(file);
        var h = elf.header();
        String where = file + ": ";
        assertEquals("ELF64", r.field("Class"), where + "class");
        assertEquals(Elf.ELFCLASS64, h.elfClass());
        assertEquals("2's complement, little endian", r.field("Data"));
        assertEquals(Elf.ELFDATA2LSB, h.dataEncoding());
        assertEquals(r.number("Version"), h.identVersion(), where + "EI_VERSION");
        assertEquals(osAbiName(h.osAbi()), r.field("OS/ABI"), where + "EI_OSABI");
        assertEquals(r.number("ABI Version"), h.abiVersion(), where + "EI_ABIVERSION");
        assertEquals(r.field("Type").split(" ")[0], Elf.fileTypeName(h.type()), where + "e_type");
        assertEquals("Advanced Micro Devices X86-64", r.field("Machine"));
        assertEquals(Elf.EM_X86_64, h.machine());
        assertEquals(r.number("Version#2"), h.version(), where + "e_version");
        assertEquals(r.number("Entry point address"), h.entry(), where + "e_entry");
        assertEquals(r.number("Start of program headers"), h.phoff(), where + "e_phoff");
        assertEquals(r.number("Start of section headers"), h.shoff(), where + "e_shoff");
        assertEquals(r.number("Flags"), h.flags(), where + "e_flags");
        assertEquals(r.number("Size of this header"), h.ehsize(), where + "e_ehsize");
        assertEquals(r.number("Size of program headers"), h.phentsize(), where + "e_phentsize");
        assertEquals(r.number("Number of program headers"), h.phnum(), where + "e_phnum");
        assertEquals(r.number("Size of section headers"), h.shentsize(), where + "e_shentsize");
        assertEquals(r.number("Number of section headers"), h.shnum(), where + "e_shnum");
        assertEquals(r.number("Section header string table index"), h.shstrndx(), where + "e_shstrndx");

        assertEquals(r.phdrs(), elf.programHeaders(), where + "program headers");
        assertEquals(r.interpreter(), elf.interpreter(), where + "interpreter");

        if (r.dynamicCount() < 0) {
            assertTrue(elf.dynamic().isEmpty(), where + "readelf sees no dynamic section");
        } else {
            var d = elf.dynamic().orElseThrow();
            var tags = new ArrayList<>(d.entries().stream().map(DynamicEntry::tag).toList());
            tags.add(Elf.DT_NULL);
            assertEquals(r.dynamicCount(), tags.size(), where + "dynamic entry count (with DT_NULL)");
            assertEquals(r.dynamicTags(), tags, where + "dynamic tags");
            assertEquals(r.needed(), d.needed(), where + "DT_NEEDED");
            assertEquals(r.soname(), d.soname(), where + "DT_SONAME");
            assertEquals(r.runpath(), d.runpath(), where + "DT_RUNPATH");
            assertEquals(r.rpath(), d.rpath(), where + "DT_RPATH");
        }

        var sections = Readelf.sections(file);
        // readelf does not list the null section 0.
        assertEquals(elf.sections().isEmpty() ? 0 : elf.sections().size() - 1, sections.size(), where + "section count");
        for (var s : sections) {
            var mine = elf.sections().get(s.index());
            assertEquals(new Readelf.Section(s.index(), mine.name(), mine.addr(), mine.offset(), mine.size()), s,
                    where + "section " + s.index());
        }
        assertEquals(List.of(), elf.warnings(), where + "warnings");
    }

    private static String osAbiName(int abi) {
        return switch (abi) {
            case Elf.ELFOSABI_SYSV -> "UNIX - System V";
            case Elf.ELFOSABI_GNU -> "UNIX - GNU";
            default -> "abi " + abi;
        };
    }
}
