package dev.nexa.kernel.initramfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpioReaderTest {
    private static final CpioReader READER = new CpioReader();

    private static List<String> names(CpioArchive a) {
        return a.entries().stream().map(CpioEntry::name).toList();
    }

    private static String text(CpioEntry e) {
        return new String(e.readData(), StandardCharsets.UTF_8);
    }

    @Test
    void readsNewcEntriesWithTheirFieldsAndData() throws Exception {
        var bytes = new RawCpio().dir(".").dir("etc").file("etc/hostname", "nexa\n").symlink("sh", "busybox")
                .trailer().bytes();
        var a = READER.read("t.cpio", bytes);
        assertEquals(List.of(".", "etc", "etc/hostname", "sh"), names(a));
        var host = a.entries().get(2);
        assertTrue(host.isRegular());
        assertEquals(0100644, host.mode());
        assertEquals(0644, host.permissions());
        assertEquals(1_700_000_000L, host.mtime());
        assertEquals(CpioFormat.NEWC, host.format());
        assertEquals("nexa\n", text(host));
        assertEquals(0, host.dataOffset() % 4, "data is 4-byte aligned");
        assertEquals("busybox", a.entries().get(3).symlinkTarget());
        assertTrue(a.entries().get(0).isRoot());
        // All uncompressed: the image is the input itself, not a copy.
        assertEquals(bytes.length, a.image().size());
        assertEquals(1, a.members().size());
        assertEquals(Compression.NONE, a.members().getFirst().compression());
    }

    @Test
    void typePredicatesFollowTheModeBits() throws Exception {
        var bytes = new RawCpio()
                .entry("c", 020600, 1, 1, new byte[0], 0)
                .entry("b", 060600, 1, 2, new byte[0], 0)
                .entry("p", 010644, 1, 3, new byte[0], 0)
                .entry("s", 0140755, 1, 4, new byte[0], 0)
                .trailer().bytes();
        var e = READER.read("t", bytes).entries();
        assertTrue(e.get(0).isCharDevice() && !e.get(0).isBlockDevice());
        assertTrue(e.get(1).isBlockDevice());
        assertTrue(e.get(2).isFifo());
        assertTrue(e.get(3).isSocket());
        assertFalse(e.get(3).isRegular() || e.get(3).isDirectory() || e.get(3).isSymlink());
    }

    @Test
    void crcFormatChecksTheDataSum() throws Exception {
        var good = new RawCpio().magic("070702").file("a", "hello").trailer().bytes();
        var a = READER.read("c.cpio", good);
        assertEquals(CpioFormat.CRC, a.entries().getFirst().format());
        assertEquals('h' + 'e' + 'l' + 'l' + 'o', a.entries().getFirst().checksum());

        var bad = new RawCpio().magic("070702").entry("a", 0100644, 1, 1, "hello".getBytes(), 0x1234).trailer().bytes();
        var e = assertThrows(CpioFormatException.class, () -> READER.read("c.cpio", bad));
        assertEquals("c_chksum", e.field());
        assertEquals(6 + 8 * 12, e.offset());
        assertEquals("c.cpio: offset 0x66: c_chksum 0x1234 does not match the data's sum 0x214 (bad data checksum)",
                e.getMessage());
    }

    @Test
    void oldPortableFormatIsRefusedAsLinuxRefusesIt() {
        var odc = "070707".getBytes(StandardCharsets.US_ASCII);
        var bytes = RawCpio.concat(odc, new byte[200]);
        var e = assertThrows(CpioFormatException.class, () -> READER.read("o.cpio", bytes));
        assertEquals("c_magic", e.field());
        assertTrue(e.getMessage().contains("cpio -H newc"), e.getMessage());
    }

    @Test
    void errorNamesOffsetFieldAndArchiveSize() {
        var bytes = new RawCpio().file("a", "x").bytes();
        // c_filesize claims 4 GiB - 1 in a 0x74-byte archive.
        var s = new String(bytes, StandardCharsets.ISO_8859_1);
        var patched = (s.substring(0, 6 + 8 * 6) + "FFFFFFFF" + s.substring(6 + 8 * 7)).getBytes(StandardCharsets.ISO_8859_1);
        var e = assertThrows(CpioFormatException.class, () -> READER.read("initramfs.cpio", patched));
        assertEquals("initramfs.cpio: offset 0x36: c_filesize 0xffffffff runs past end of archive (0x74 bytes)",
                e.getMessage());
        assertEquals(-1, e.member());
    }

    @Test
    void nonHexDigitsAreAnErrorNamingTheField() {
        var s = new String(new RawCpio().file("a", "x").trailer().bytes(), StandardCharsets.ISO_8859_1);
        var patched = (s.substring(0, 14) + "0000z1A4" + s.substring(22)).getBytes(StandardCharsets.ISO_8859_1);
        var e = assertThrows(CpioFormatException.class, () -> READER.read("t", patched));
        assertEquals("c_mode", e.field());
        assertEquals(14, e.offset());
    }

    @Test
    void namesAreNormalizedAndConfinedToTheRoot() throws Exception {
        var bytes = new RawCpio()
                .file("../../etc/passwd", "1")
                .file("/abs/file", "2")
                .file("./dot//slashes/./x/", "3")
                .file("a/../../../b", "4")
                .dir("/")
                .dir("..")
                .trailer().bytes();
        assertEquals(List.of("etc/passwd", "abs/file", "dot/slashes/x", "b", ".", "."), names(READER.read("t", bytes)));
    }

    @Test
    void nameEndsAtTheFirstNulAsInLinux() throws Exception {
        var bytes = new RawCpio().entry("ab\0../../cd", 0100644, 1, 1, new byte[0], 0).trailer().bytes();
        assertEquals(List.of("ab"), names(READER.read("t", bytes)));
    }

    @Test
    void theRootCanOnlyBeADirectory() {
        var bytes = new RawCpio().file("/", "x").trailer().bytes();
        var e = assertThrows(CpioFormatException.class, () -> READER.read("t", bytes));
        assertEquals("name", e.field());
    }

    @Test
    void dataOnADirectoryIsAnError() {
        var bytes = new RawCpio().entry("d", 040755, 2, 1, "junk".getBytes(), 0).trailer().bytes();
        var e = assertThrows(CpioFormatException.class, () -> READER.read("t", bytes));
        assertEquals("c_filesize", e.field());
    }

    @Test
    void nameLongerThanPathMaxIsAnError() {
        var bytes = new RawCpio().file("x".repeat(5000), "").trailer().bytes();
        var e = assertThrows(CpioFormatException.class, () -> READER.read("t", bytes));
        assertEquals("c_namesize", e.field());
        assertTrue(e.getMessage().contains("PATH_MAX"), e.getMessage());
    }

    @Test
    void symlinkTargetStopsAtNulAsGenInitCpioWritesIt() throws Exception {
        var bytes = new RawCpio().symlink("l", "target\0").trailer().bytes();
        assertEquals("target", READER.read("t", bytes).entries().getFirst().symlinkTarget());
    }

    @Test
    void concatenatedArchivesWithZeroPaddingAndNoTrailer() throws Exception {
        var a = new RawCpio().file("a", "1").trailer().zeros(512).bytes();
        var b = new RawCpio().file("b", "2").bytes();  // no TRAILER!!!: Linux accepts that too
        var c = new RawCpio().file("c", "3").trailer().bytes();
        var all = RawCpio.concat(new byte[8], a, b, new byte[4], c);
        var archive = READER.read("t", all);
        assertEquals(List.of("a", "b", "c"), names(archive));
        assertEquals(List.of(0, 1, 1), archive.trailers(), "TRAILER!!! markers before each entry");
        assertEquals("3", text(archive.entries().get(2)));
    }

    @Test
    void misalignedHeaderAfterAnEntryIsBrokenPadding() {
        var all = RawCpio.concat(new RawCpio().file("a", "1").trailer().bytes(), new byte[2],
                new RawCpio().file("b", "2").bytes());
        var e = assertThrows(CpioFormatException.class, () -> READER.read("t", all));
        assertEquals("padding", e.field());
    }

    @Test
    void gzipMembersAndPlainMembersConcatenate() throws Exception {
        var plain = new RawCpio().dir("etc").file("etc/a", "plain").trailer().bytes();
        var compressed = RawCpio.gzip(new RawCpio().file("etc/b", "compressed").trailer().bytes());
        var plain2 = new RawCpio().file("etc/c", "again").trailer().bytes();
        var image = RawCpio.concat(plain, compressed, new byte[3], RawCpio.gzip(new byte[0]), new byte[1],
                // plain data after a gzip member must start 4-aligned in the input
                new byte[(4 - (plain.length + compressed.length + 3 + 20 + 1) % 4) % 4], plain2);
        var archive = READER.read("t", image);
        assertEquals(List.of("etc", "etc/a", "etc/b", "etc/c"), names(archive));
        assertEquals("plain", text(archive.entries().get(1)));
        assertEquals("compressed", text(archive.entries().get(2)));
        assertEquals("again", text(archive.entries().get(3)));
        var kinds = archive.members().stream().map(CpioArchive.Member::compression).toList();
        assertEquals(List.of(Compression.NONE, Compression.GZIP, Compression.GZIP, Compression.NONE), kinds);
        for (var e : archive.entries()) {
            assertTrue(e.dataOffset() + e.dataSize() <= archive.image().size());
        }
    }

    @Test
    void errorsInsideAGzipMemberNameTheMemberAndTheDecompressedOffset() {
        var image = RawCpio.concat(new RawCpio().file("p", "1").trailer().bytes(),
                RawCpio.gzip(RawCpio.concat(new RawCpio().file("a", "x").bytes(), "junk".getBytes())));
        var e = assertThrows(CpioFormatException.class, () -> READER.read("boot.img", image));
        assertEquals(1, e.member());
        assertEquals(0x74, e.offset());
        assertTrue(e.getMessage().startsWith("boot.img: member 1 (gzip at 0xf0), offset 0x74: c_magic"), e.getMessage());
    }

    @Test
    void otherCompressionsAreNamedAsUnsupported() {
        var xz = new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
        var e = assertThrows(CpioFormatException.class, () -> READER.read("t.xz", xz));
        assertEquals("t.xz: offset 0x0: compression unsupported: xz (Nexa decompresses gzip only; recompress the "
                + "image with gzip)", e.getMessage());
        var zstd = new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
        assertTrue(assertThrows(CpioFormatException.class, () -> READER.read("t", zstd)).getMessage()
                .contains("unsupported: zstd"));
    }

    @Test
    void gzipBombHitsTheLimit() {
        var bomb = RawCpio.gzip(new byte[4 << 20]);
        var e = assertThrows(CpioFormatException.class,
                () -> READER.withMaxImageSize(1 << 20).read("bomb.gz", bomb));
        assertEquals("gzip", e.field());
        assertTrue(e.getMessage().contains("limit of 0x100000 bytes"), e.getMessage());
    }

    @Test
    void corruptGzipTrailerIsDetected() {
        var gz = RawCpio.gzip(new RawCpio().file("a", "hello").trailer().bytes());
        gz[gz.length - 8] ^= 1;  // CRC-32
        var e = assertThrows(CpioFormatException.class, () -> READER.read("t.gz", gz));
        assertEquals("gzip", e.field());
        assertTrue(e.getMessage().contains("CRC-32"), e.getMessage());
        var truncated = java.util.Arrays.copyOf(gz, gz.length - 12);
        assertEquals("gzip", assertThrows(CpioFormatException.class, () -> READER.read("t.gz", truncated)).field());
    }

    @Test
    void truncatedEntryIsAnErrorEvenWithoutCompression() {
        var bytes = new RawCpio().file("a", "hello world").bytes();
        for (int cut = 1; cut < 0x70 + 11; cut++) {
            var part = java.util.Arrays.copyOf(bytes, cut);
            var e = assertThrows(CpioFormatException.class, () -> READER.read("t", part), "cut at " + cut);
            assertTrue(List.of("header", "c_namesize", "c_filesize").contains(e.field()), e.getMessage());
        }
    }

    @Test
    void hardLinkGroupsFollowLinuxKeysAndResetAtTrailer() throws Exception {
        var bytes = new RawCpio()
                .entry("x", 0100644, 2, 7, new byte[0], 0)
                .entry("y", 0100644, 2, 7, "data".getBytes(), 0)
                .entry("z", 0100644, 1, 7, new byte[0], 0)     // nlink 1: not a link
                .entry("d", 020644, 2, 7, new byte[0], 0)      // other type: other key
                .trailer()
                .entry("w", 0100644, 2, 7, new byte[0], 0)     // after TRAILER!!!: a new table
                .trailer().bytes();
        var a = READER.read("t", bytes);
        assertEquals(1, a.hardLinks().size());
        var g = a.hardLinks().getFirst();
        assertEquals(List.of("x", "y"), g.members().stream().map(CpioEntry::name).toList());
        assertEquals("y", g.dataEntry().name());
        assertEquals("x", g.first().name());
        assertTrue(a.hardLinkGroupOf(a.entries().get(0)).isPresent());
        assertTrue(a.hardLinkGroupOf(a.entries().get(2)).isEmpty());
    }

    @Test
    void emptyAndZeroOnlyImagesHaveNoEntries() throws Exception {
        assertEquals(0, READER.read("t", new byte[0]).entries().size());
        assertEquals(0, READER.read("t", new byte[4096]).entries().size());
    }

    @Test
    void readsFromAFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        var f = dir.resolve("init.cpio");
        java.nio.file.Files.write(f, new RawCpio().file("a", "x").trailer().bytes());
        var a = READER.read(f);
        assertEquals("init.cpio", a.image().sourceName());
        assertArrayEquals("x".getBytes(), a.entries().getFirst().readData());
        assertThrows(CpioFormatException.class, () -> READER.withMaxImageSize(16).read(f));
    }
}
