package dev.nexa.kernel.initramfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitramfsSpecTest {
    @TempDir
    Path tmp;

    private static final String SPEC = """
            # A simple initramfs (the example of gen_init_cpio's usage text, and more)
            dir /dev 0755 0 0
            nod /dev/console 0600 0 0 c 5 1
            nod /dev/sda 0660 0 6 b 8 0
            dir /root 0700 0 0
            dir /sbin 0755 0 0
            \t
            file /sbin/kinit ${BUILD}/kinit 0755 0 0 /init /sbin/init
            file /etc-less-file ${UNSET}data.txt 0644 1000 -1
            slink /bin /sbin 0777 0 0
            pipe /run.fifo 0644 0 0
            sock /run.sock 0755 0 0
              dir   /indented\t0755   0 0
            """;

    @Test
    void parsesEveryEntryType() throws Exception {
        var spec = InitramfsSpec.parse("initramfs.list", SPEC, Map.of("BUILD", "out/bin"));
        var lines = spec.lines();
        assertEquals(11, lines.size());
        assertEquals(new InitramfsSpec.DirLine(2, "/dev", 0755, 0, 0), lines.get(0));
        assertEquals(new InitramfsSpec.NodLine(3, "/dev/console", 0600, 0, 0, FileType.CHAR_DEVICE, 5, 1), lines.get(1));
        assertEquals(FileType.BLOCK_DEVICE, ((InitramfsSpec.NodLine) lines.get(2)).type());
        assertEquals(new InitramfsSpec.FileLine(8, "/sbin/kinit", "out/bin/kinit", 0755, 0, 0,
                List.of("/init", "/sbin/init")), lines.get(5));
        var file = (InitramfsSpec.FileLine) lines.get(6);
        assertEquals("data.txt", file.location(), "an unset variable expands to nothing");
        assertEquals(0xffff_ffffL, file.gid(), "-1 wraps as %d into gid_t does");
        assertEquals(new InitramfsSpec.SlinkLine(10, "/bin", "/sbin", 0777, 0, 0), lines.get(7));
        assertEquals(new InitramfsSpec.DirLine(13, "/indented", 0755, 0, 0), lines.get(10));
    }

    @Test
    void expandsVariablesAsCpioReplaceEnvDoes() {
        var env = Map.of("A", "x", "B", "${A}");
        assertEquals("x/x-y", InitramfsSpec.expand("${A}/${A}-y", env));
        assertEquals("${A}", InitramfsSpec.expand("${B}", env), "substituted text is not re-expanded");
        assertEquals("pre${open", InitramfsSpec.expand("pre${open", env));
        assertEquals("/", InitramfsSpec.expand("${}/", env));
    }

    @Test
    void errorsNameTheFileAndLine() {
        record Case(String text, int line, String fragment) {}
        for (var c : List.of(
                new Case("dir /a 0755 0 0\nfrob /x 0 0 0\n", 2, "unknown entry type \"frob\""),
                new Case("# c\n\ndir /a 0755 0\n", 3, "expected \"dir <name> <mode> <uid> <gid>\", got 3 fields"),
                new Case("dir /a 0755 0 0 extra\n", 1, "got 5 fields"),
                new Case("dir /a 0855 0 0\n", 1, "mode \"0855\" is not octal"),
                new Case("dir /a 17777 0 0\n", 1, "not an octal permission mode"),
                new Case("nod /n 0600 0 0 x 1 1\n", 1, "dev_type \"x\" is neither b (block) nor c (character)"),
                new Case("nod /n 0600 0 0 c -1 1\n", 1, "maj -1 is not an unsigned 32-bit number"),
                new Case("file /f\n", 1, "expected \"file <name> <location>"),
                new Case("slink /s t 0777 root 0\n", 1, "uid \"root\" is not a decimal number"))) {
            var e = assertThrows(InitramfsSpecException.class, () -> InitramfsSpec.parse("x.list", c.text(), Map.of()));
            assertEquals(c.line(), e.line(), c.text());
            assertTrue(e.getMessage().startsWith("x.list:" + c.line() + ": "), e.getMessage());
            assertTrue(e.getMessage().contains(c.fragment()), e.getMessage());
        }
    }

    @Test
    void specToArchiveAndBackRoundTrip() throws Exception {
        var build = Files.createDirectories(tmp.resolve("out/bin"));
        var kinit = new byte[1025];
        for (int i = 0; i < kinit.length; i++) {
            kinit[i] = (byte) (i * 7);
        }
        Files.write(build.resolve("kinit"), kinit);
        Files.setLastModifiedTime(build.resolve("kinit"), FileTime.fromMillis(1_234_567_000L));
        Files.writeString(tmp.resolve("data.txt"), "data");
        var specFile = tmp.resolve("initramfs.list");
        Files.writeString(specFile, SPEC);
        var spec = InitramfsSpec.parse(specFile, Map.of("BUILD", "out/bin"));
        var out = new ByteArrayOutputStream();
        try (var w = new CpioWriter(out, CpioFormat.NEWC, Compression.GZIP)) {
            spec.writeTo(w, tmp, 1_700_000_000L);
        }
        var archive = new CpioReader().read("initramfs.cpio.gz", out.toByteArray());
        var names = archive.entries().stream().map(CpioEntry::name).toList();
        assertEquals(List.of("dev", "dev/console", "dev/sda", "root", "sbin", "sbin/kinit", "init", "sbin/init",
                "etc-less-file", "bin", "run.fifo", "run.sock", "indented"), names);
        var e = archive.entries();
        assertEquals(040755, e.get(0).mode());
        assertEquals(2, e.get(0).nlink(), "gen_init_cpio writes nlink 2 for directories");
        assertEquals(1_700_000_000L, e.get(0).mtime());
        assertEquals(020600, e.get(1).mode());
        assertEquals(5, e.get(1).rdevMajor());
        assertEquals(1, e.get(1).rdevMinor());
        assertEquals(060660, e.get(2).mode());
        assertEquals(6, e.get(2).gid());
        assertEquals(040700, e.get(3).mode());
        assertEquals(1_234_567L, e.get(5).mtime(), "files keep their host mtime as in gen_init_cpio");
        assertEquals(3, e.get(7).nlink());
        assertEquals(0, e.get(5).dataSize(), "the data goes on the last link");
        assertEquals(1025, e.get(7).dataSize());
        assertEquals(1000, e.get(8).uid());
        assertEquals(0xffff_ffffL, e.get(8).gid());
        assertEquals("/sbin", e.get(9).symlinkTarget());
        assertEquals(0120777, e.get(9).mode());
        assertEquals(010644, e.get(10).mode());
        assertEquals(2, e.get(10).nlink());
        assertEquals(0140755, e.get(11).mode());
        var fs = archive.unpack();
        assertArrayEquals(kinit, fs.lookup("init").orElseThrow().readData());
        assertEquals(fs.lookup("init").orElseThrow().inode(), fs.lookup("sbin/kinit").orElseThrow().inode());
        assertEquals("data", new String(fs.lookup("etc-less-file").orElseThrow().readData()));
    }

    @Test
    void missingFileLocationIsALineError() throws Exception {
        var spec = InitramfsSpec.parse("s.list", "dir /a 0755 0 0\nfile /a/f nowhere/f 0644 0 0\n", Map.of());
        var e = assertThrows(InitramfsSpecException.class,
                () -> spec.writeTo(CpioWriter.newc(new ByteArrayOutputStream()), tmp, 0));
        assertEquals(2, e.line());
        assertTrue(e.getMessage().contains("\"nowhere/f\""), e.getMessage());
    }

    @Test
    void namesTheWriterRefusesBecomeLineErrors() throws Exception {
        var spec = InitramfsSpec.parse("s.list", "dir /a 0755 0 0\ndir ../escape 0755 0 0\n", Map.of());
        var e = assertThrows(InitramfsSpecException.class,
                () -> spec.writeTo(CpioWriter.newc(new ByteArrayOutputStream()), tmp, 0));
        assertEquals("s.list:2: ../escape: \"..\" components are not written", e.getMessage());
    }
}
