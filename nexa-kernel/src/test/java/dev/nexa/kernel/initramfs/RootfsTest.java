package dev.nexa.kernel.initramfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CpioArchive.unpack(): the tree Linux's unpack_to_rootfs() builds, rule by rule. */
class RootfsTest {
    private static Rootfs unpack(RawCpio raw) throws CpioFormatException {
        return new CpioReader().read("t", raw.bytes()).unpack();
    }

    private static String content(Rootfs fs, String path) {
        return new String(fs.lookup(path).orElseThrow().readData(), StandardCharsets.UTF_8);
    }

    @Test
    void rootComesFirstAndPathsAreSorted() throws Exception {
        var fs = unpack(new RawCpio().dir("b").dir("a").file("a/x", "1").trailer());
        assertEquals(List.of(".", "a", "a/x", "b"), fs.nodes().stream().map(RootfsNode::path).toList());
        assertEquals(FileType.DIRECTORY, fs.root().type());
        assertEquals(0755, fs.root().permissions());
    }

    @Test
    void dotEntryChangesTheRoot() throws Exception {
        var fs = unpack(new RawCpio().entry(".", 040700, 2, 1, new byte[0], 0).trailer());
        assertEquals(0700, fs.root().permissions());
        assertEquals(1_700_000_000L, fs.root().mtime());
    }

    @Test
    void laterFileReplacesEarlierContent() throws Exception {
        var fs = unpack(new RawCpio().file("f", "old content").trailer().file("f", "new").trailer());
        assertEquals("new", content(fs, "f"));
    }

    @Test
    void laterEmptyFileTruncates() throws Exception {
        var fs = unpack(new RawCpio().file("f", "old").file("f", ""));
        assertEquals(0, fs.lookup("f").orElseThrow().dataSize());
    }

    @Test
    void typeChangeRemovesTheOldFileButNotANonEmptyDirectory() throws Exception {
        var fs = unpack(new RawCpio()
                .file("a", "file").dir("a")                 // file -> dir: unlinked, then mkdir
                .dir("b").file("b", "x")                    // empty dir -> file: rmdir, then create
                .dir("c").file("c/inner", "1").file("c", "x")  // non-empty dir -> file: rmdir fails, open fails
                .symlink("d", "a").file("d", "real")        // symlink -> file: unlinked, not followed
                .trailer());
        assertEquals(FileType.DIRECTORY, fs.lookup("a").orElseThrow().type());
        assertEquals("x", content(fs, "b"));
        assertEquals(FileType.DIRECTORY, fs.lookup("c").orElseThrow().type());
        assertEquals("1", content(fs, "c/inner"));
        assertEquals("real", content(fs, "d"));
    }

    @Test
    void entryWithoutParentIsDroppedAsLinuxDropsIt() throws Exception {
        var fs = unpack(new RawCpio().file("missing/f", "x").dir("f").file("f/ok", "y").file("f/ok/under-file", "z")
                .trailer());
        assertTrue(fs.lookup("missing/f").isEmpty());
        assertTrue(fs.lookup("f/ok/under-file").isEmpty());
        assertEquals("y", content(fs, "f/ok"));
    }

    @Test
    void symlinksInTheParentPathAreFollowed() throws Exception {
        var fs = unpack(new RawCpio().dir("usr").dir("usr/lib").symlink("lib", "usr/lib")
                .symlink("abs", "/usr").file("lib/libc.so", "elf").file("abs/lib/two", "2")
                .symlink("loop", "loop").file("loop/x", "never").trailer());
        assertEquals("elf", content(fs, "usr/lib/libc.so"));
        assertEquals("2", content(fs, "usr/lib/two"));
        assertTrue(fs.lookup("lib/libc.so").isEmpty());
        assertEquals("usr/lib", fs.lookup("lib").orElseThrow().symlinkTarget());
        assertEquals(List.of(".", "abs", "lib", "loop", "usr", "usr/lib", "usr/lib/libc.so", "usr/lib/two"),
                fs.nodes().stream().map(RootfsNode::path).toList());
    }

    @Test
    void hardLinksShareAnInodeAndTakeTheDataOfTheLastMemberWithData() throws Exception {
        // GNU layout: data on the last member.
        var fs = unpack(new RawCpio()
                .entry("a", 0100600, 3, 9, new byte[0], 0)
                .entry("b", 0100644, 3, 9, new byte[0], 0)
                .entry("c", 0100640, 3, 9, "shared".getBytes(), 0)
                .trailer());
        var a = fs.lookup("a").orElseThrow();
        var c = fs.lookup("c").orElseThrow();
        assertEquals(a.inode(), c.inode());
        assertEquals(3, a.linkCount());
        assertEquals("shared", content(fs, "a"));
        assertEquals(0640, a.permissions(), "chmod through the last link changed the shared inode");

        // Data on the first member, later members empty: data stays (no O_TRUNC on a link).
        var fs2 = unpack(new RawCpio()
                .entry("a", 0100644, 2, 9, "first".getBytes(), 0)
                .entry("b", 0100644, 2, 9, new byte[0], 0)
                .trailer());
        assertEquals("first", content(fs2, "b"));
    }

    @Test
    void hardLinkTableIsForgottenAtTrailer() throws Exception {
        var fs = unpack(new RawCpio()
                .entry("a", 0100644, 2, 9, "one".getBytes(), 0).trailer()
                .entry("b", 0100644, 2, 9, "two".getBytes(), 0).trailer());
        assertNotEquals(fs.lookup("a").orElseThrow().inode(), fs.lookup("b").orElseThrow().inode());
        assertEquals("one", content(fs, "a"));
    }

    @Test
    void rewritingAHardLinkedFileChangesAllItsNames() throws Exception {
        var fs = unpack(new RawCpio()
                .entry("a", 0100644, 2, 9, new byte[0], 0)
                .entry("b", 0100644, 2, 9, "v1".getBytes(), 0)
                .trailer()
                .file("a", "v2")        // O_TRUNC on the shared inode
                .trailer());
        assertEquals("v2", content(fs, "b"));
    }

    @Test
    void devicesKeepTheirNumberWhenOverwrittenBySameType() throws Exception {
        var raw = new RawCpio();
        var fs = unpack(raw.raw(devEntry("console", 5, 1, 0600)).raw(devEntry("console", 4, 4, 0620)).trailer());
        var node = fs.lookup("console").orElseThrow();
        assertEquals(5, node.rdevMajor());
        assertEquals(1, node.rdevMinor());
        assertEquals(0620, node.permissions());
    }

    @Test
    void directoryMtimeComesFromItsEarliestEntry() throws Exception {
        var raw = new RawCpio();
        var first = new RawCpio().dir("d").bytes();
        var second = new String(new RawCpio().dir("d").bytes(), StandardCharsets.ISO_8859_1);
        // same entry with mtime 0x11 and mode 0700
        second = second.substring(0, 14) + "000041C0" + second.substring(22, 46) + "00000011" + second.substring(54);
        var fs = unpack(raw.raw(first).raw(second.getBytes(StandardCharsets.ISO_8859_1)).trailer());
        var d = fs.lookup("d").orElseThrow();
        assertEquals(1_700_000_000L, d.mtime(), "dir_utime() applies the oldest entry last");
        assertEquals(0700, d.permissions(), "chmod applies in order");
    }

    @Test
    void symlinkModeIsAlwaysRwx() throws Exception {
        var fs = unpack(new RawCpio().entry("l", 0120600, 1, 1, "t".getBytes(), 0).trailer());
        assertEquals(0777, fs.lookup("l").orElseThrow().permissions());
        assertFalse(fs.lookup("t").isPresent());
    }

    private static byte[] devEntry(String name, int major, int minor, int perm) {
        var h = new StringBuilder("070701");
        var nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        for (long f : new long[] {50, 020000 | perm, 0, 0, 1, 0, 0, 0, 0, major, minor, nameBytes.length, 0}) {
            h.append(String.format("%08X", f));
        }
        return new RawCpio().raw(h.toString().getBytes(StandardCharsets.US_ASCII)).raw(nameBytes).pad().bytes();
    }
}
