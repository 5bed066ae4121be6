package dev.nexa.kernel.initramfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class CpioWriterTest {

    private static byte[] write(CpioFormat format, Compression compression, Body body) throws Exception {
        var out = new ByteArrayOutputStream();
        try (var w = new CpioWriter(out, format, compression)) {
            body.accept(w);
        }
        return out.toByteArray();
    }

    interface Body {
        void accept(CpioWriter w) throws Exception;
    }

    @Test
    void headerBytesAreThoseGenInitCpioWrites() throws Exception {
        var bytes = write(CpioFormat.NEWC, Compression.NONE,
                w -> w.file("/init", "hi".getBytes(), CpioWriter.Attributes.of(0755).withMtime(0x5f5e1000L)));
        var text = new String(bytes, 0, 110 + 6, StandardCharsets.ISO_8859_1);
        // magic, ino 1, mode 0100755, uid, gid, nlink 1, mtime, size 2, maj, min, rmaj, rmin, namesize 5, chksum
        assertEquals("070701" + "00000001" + "000081ED" + "00000000" + "00000000" + "00000001" + "5F5E1000"
                + "00000002" + "00000000" + "00000000" + "00000000" + "00000000" + "00000005" + "00000000"
                + "init\0\0", text);
        assertEquals("hi", new String(bytes, 116, 2, StandardCharsets.ISO_8859_1));
        assertEquals(0, bytes.length % 512, "padded to 512-byte blocks as cpio and gen_init_cpio do");
    }

    @Test
    void roundTripThroughTheReaderInBothFormatsAndCompressed() throws Exception {
        for (var format : CpioFormat.values()) {
            for (var compression : List.of(Compression.NONE, Compression.GZIP)) {
                var bytes = write(format, compression, w -> {
                    var a = CpioWriter.Attributes.of(0755).withOwner(1000, 100).withMtime(12345);
                    w.directory(".", a);
                    w.directory("bin", a);
                    w.file("bin/busybox", "BB".repeat(1000).getBytes(), a, "bin/sh", "bin/ls");
                    w.symlink("init", "bin/busybox", CpioWriter.Attributes.of(0777));
                    w.characterDevice("console", 5, 1, CpioWriter.Attributes.of(0600));
                    w.blockDevice("sda", 8, 0, CpioWriter.Attributes.of(0660));
                    w.fifo("fifo", CpioWriter.Attributes.of(0644));
                    w.socket("sock", CpioWriter.Attributes.of(0755));
                    w.file("empty", new byte[0], CpioWriter.Attributes.of(0600));
                });
                var archive = new CpioReader().read("w", bytes);
                var names = archive.entries().stream().map(CpioEntry::name).toList();
                assertEquals(List.of(".", "bin", "bin/busybox", "bin/sh", "bin/ls", "init", "console", "sda", "fifo",
                        "sock", "empty"), names, format + " " + compression);
                var e = archive.entries();
                assertEquals(format, e.get(2).format());
                assertEquals(0, e.get(2).dataSize(), "data goes on the last link");
                assertEquals(2000, e.get(4).dataSize());
                assertEquals(3, e.get(4).nlink());
                assertEquals(e.get(2).ino(), e.get(4).ino());
                assertEquals(1000, e.get(1).uid());
                assertEquals(12345, e.get(1).mtime());
                assertEquals("bin/busybox", e.get(5).symlinkTarget());
                assertEquals(5, e.get(6).rdevMajor());
                assertEquals(0100600, e.get(10).mode());
                var fs = archive.unpack();
                assertArrayEquals("BB".repeat(1000).getBytes(), fs.lookup("bin/sh").orElseThrow().readData());
                assertEquals(3, fs.lookup("bin/ls").orElseThrow().linkCount());
            }
        }
    }

    @Test
    void inodeNumbersAreDeterministic() throws Exception {
        Body body = w -> {
            w.directory("d", CpioWriter.Attributes.of(0755));
            w.file("d/f", "x".getBytes(), CpioWriter.Attributes.of(0644));
        };
        assertArrayEquals(write(CpioFormat.NEWC, Compression.GZIP, body), write(CpioFormat.NEWC, Compression.GZIP, body));
    }

    @Test
    void refusesNamesThatCouldEscapeOrEndTheArchive() throws Exception {
        var w = CpioWriter.newc(new ByteArrayOutputStream());
        var a = CpioWriter.Attributes.of(0644);
        assertThrows(IllegalArgumentException.class, () -> w.file("../etc/passwd", new byte[0], a));
        assertThrows(IllegalArgumentException.class, () -> w.file("a/../../b", new byte[0], a));
        assertThrows(IllegalArgumentException.class, () -> w.file("TRAILER!!!", new byte[0], a));
        assertThrows(IllegalArgumentException.class, () -> w.file("/", new byte[0], a));
        assertThrows(IllegalArgumentException.class, () -> w.file("a\0b", new byte[0], a));
        assertThrows(IllegalArgumentException.class, () -> w.file("x".repeat(4096), new byte[0], a));
        assertThrows(IllegalArgumentException.class, () -> w.symlink("l", "", a));
        assertThrows(IllegalArgumentException.class, () -> CpioWriter.Attributes.of(0100644));
        assertThrows(IllegalArgumentException.class, () -> a.withMtime(-1));
        w.file("/abs//name/", new byte[0], a);
        w.close();
    }

    @Test
    void finishLeavesTheStreamOpenForConcatenation() throws Exception {
        var out = new ByteArrayOutputStream();
        var first = new CpioWriter(out, CpioFormat.NEWC, Compression.NONE);
        first.file("a", "1".getBytes(), CpioWriter.Attributes.of(0644));
        first.finish();
        var second = new CpioWriter(out, CpioFormat.CRC, Compression.GZIP);
        second.file("b", "2".getBytes(), CpioWriter.Attributes.of(0644));
        second.close();
        var archive = new CpioReader().read("t", out.toByteArray());
        assertEquals(List.of("a", "b"), archive.entries().stream().map(CpioEntry::name).toList());
        assertTrue(archive.members().size() == 2);
    }
}
