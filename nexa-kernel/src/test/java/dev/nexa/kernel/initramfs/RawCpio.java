package dev.nexa.kernel.initramfs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;

/** Builds cpio bytes field by field, so tests can write what no well-behaved writer would. */
final class RawCpio {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private String magic = "070701";
    private long nextIno = 100;

    RawCpio magic(String m) {
        this.magic = m;
        return this;
    }

    /** An entry with explicit header fields; name gets its NUL, name and data get 4-byte padding. */
    RawCpio entry(String name, int mode, long nlink, long ino, byte[] data, long checksum) {
        var nameBytes = (name + "\0").getBytes(StandardCharsets.UTF_8);
        var h = new StringBuilder(magic);
        for (long f : new long[] {ino, mode, 0, 0, nlink, 1_700_000_000L, data.length, 0, 0, 0, 0,
                nameBytes.length, checksum}) {
            h.append(String.format("%08X", f));
        }
        write(h.toString().getBytes(StandardCharsets.US_ASCII));
        write(nameBytes);
        pad();
        write(data);
        pad();
        return this;
    }

    RawCpio file(String name, String content) {
        var data = content.getBytes(StandardCharsets.UTF_8);
        long sum = 0;
        for (byte b : data) {
            sum += b & 0xff;
        }
        return entry(name, 0100644, 1, nextIno++, data, magic.equals("070702") ? sum : 0);
    }

    RawCpio dir(String name) {
        return entry(name, 040755, 2, nextIno++, new byte[0], 0);
    }

    RawCpio symlink(String name, String target) {
        return entry(name, 0120777, 1, nextIno++, target.getBytes(StandardCharsets.UTF_8), 0);
    }

    RawCpio trailer() {
        return entry("TRAILER!!!", 0, 1, 0, new byte[0], 0);
    }

    RawCpio zeros(int n) {
        write(new byte[n]);
        return this;
    }

    RawCpio raw(byte[] bytes) {
        write(bytes);
        return this;
    }

    RawCpio pad() {
        while (out.size() % 4 != 0) {
            out.write(0);
        }
        return this;
    }

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    static byte[] gzip(byte[] bytes) {
        var b = new ByteArrayOutputStream();
        try (var g = new GZIPOutputStream(b)) {
            g.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return b.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        var b = new ByteArrayOutputStream();
        for (var p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private void write(byte[] bytes) {
        out.writeBytes(bytes);
    }
}
