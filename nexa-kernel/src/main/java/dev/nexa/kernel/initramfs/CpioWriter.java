package dev.nexa.kernel.initramfs;

import dev.nexa.kernel.initramfs.internal.CpioNames;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Objects;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a cpio archive in the "newc" (or "crc") format as GNU {@code cpio -o -H newc} and the
 * kernel's usr/gen_init_cpio.c do: 110-byte headers with upper-case hex fields, names and data padded
 * to 4 bytes, a TRAILER!!! entry, the whole padded to 512-byte blocks, optionally gzip-compressed.
 * Inode numbers are assigned in order from 1, so the same calls produce the same bytes.
 *
 * <p>Hard links are written the GNU way: every name of the file gets an entry with the same c_ino
 * and c_nlink, c_filesize 0 on all of them but the last, which carries the data. Linux links the later
 * names to the first and takes the data from whichever entry has it ({@link HardLinkGroup}).
 *
 * <p>Names are normalized like the reader's; names with ".." components, NUL bytes, names longer
 * than PATH_MAX, and data larger than newc's 4 GiB - 1 are refused with IllegalArgumentException.
 * {@link #close()} writes the trailer and closes the stream; {@link #finish()} leaves it open.
 */
public final class CpioWriter implements Closeable {
    private static final int BLOCK = 512;
    private static final String TRAILER = "TRAILER!!!";
    private static final long MAX_U32 = 0xffff_ffffL;

    /**
     * Owner, permissions and time of an entry.
     *
     * @param permissions the 07777 bits of st_mode (the type bits come from the method called)
     * @param uid         owner
     * @param gid         group
     * @param mtime       seconds since the epoch, 0 to 0xffffffff (newc's range)
     * @param nlink       c_nlink to write, or 0 for the writer's choice (2 for directories as
     *                    gen_init_cpio writes, the number of names for files, 1 otherwise)
     */
    public record Attributes(int permissions, long uid, long gid, long mtime, long nlink) {
        public Attributes {
            if ((permissions & ~07777) != 0) {
                throw new IllegalArgumentException("permissions 0" + Integer.toOctalString(permissions)
                        + " have bits outside 07777");
            }
            checkU32("uid", uid);
            checkU32("gid", gid);
            checkU32("mtime", mtime);
            checkU32("nlink", nlink);
        }

        /** Root-owned, mtime 0. */
        public static Attributes of(int permissions) {
            return new Attributes(permissions, 0, 0, 0, 0);
        }

        public Attributes withOwner(long newUid, long newGid) {
            return new Attributes(permissions, newUid, newGid, mtime, nlink);
        }

        public Attributes withMtime(long newMtime) {
            return new Attributes(permissions, uid, gid, newMtime, nlink);
        }

        public Attributes withNlink(long newNlink) {
            return new Attributes(permissions, uid, gid, mtime, newNlink);
        }
    }

    /** Where a regular file's data comes from. */
    private sealed interface Content {
        long size() throws IOException;

        InputStream open() throws IOException;
    }

    private record BytesContent(byte[] bytes) implements Content {
        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public InputStream open() {
            return new java.io.ByteArrayInputStream(bytes);
        }
    }

    private record PathContent(Path path) implements Content {
        @Override
        public long size() throws IOException {
            return Files.size(path);
        }

        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(path);
        }
    }

    private final OutputStream sink;
    private final OutputStream out;
    private final GZIPOutputStream gzip;
    private final CpioFormat format;
    private long offset;
    private long nextIno = 1;
    private boolean finished;

    /**
     * @param out         where the archive goes
     * @param format      NEWC or CRC
     * @param compression NONE or GZIP
     */
    public CpioWriter(OutputStream out, CpioFormat format, Compression compression) throws IOException {
        this.sink = Objects.requireNonNull(out);
        this.format = Objects.requireNonNull(format);
        switch (compression) {
            case NONE -> {
                this.gzip = null;
                this.out = new BufferedOutputStream(out, 64 * 1024);
            }
            case GZIP -> {
                this.gzip = new GZIPOutputStream(out, 64 * 1024);
                this.out = new BufferedOutputStream(gzip, 64 * 1024);
            }
            default -> throw new IllegalArgumentException("cannot write " + compression.displayName());
        }
    }

    /** An uncompressed "newc" writer. */
    public static CpioWriter newc(OutputStream out) throws IOException {
        return new CpioWriter(out, CpioFormat.NEWC, Compression.NONE);
    }

    /** A directory. The root is named "." (or "/"). */
    public CpioWriter directory(String name, Attributes a) throws IOException {
        var n = checkName(name, true);
        header(n, FileType.DIRECTORY.bits() | a.permissions(), a, nextIno++, a.nlink() == 0 ? 2 : a.nlink(), 0, 0, 0, 0);
        return this;
    }

    /** A regular file with {@code data}; {@code hardLinks} are further names of the same file. */
    public CpioWriter file(String name, byte[] data, Attributes a, String... hardLinks) throws IOException {
        return file(name, new BytesContent(data.clone()), a, hardLinks);
    }

    /** A regular file with the content of {@code source} on the host; see {@link #file(String, byte[], Attributes, String...)}. */
    public CpioWriter file(String name, Path source, Attributes a, String... hardLinks) throws IOException {
        return file(name, new PathContent(source), a, hardLinks);
    }

    private CpioWriter file(String name, Content content, Attributes a, String... hardLinks) throws IOException {
        var names = new ArrayList<String>();
        names.add(checkName(name, false));
        for (var link : hardLinks) {
            names.add(checkName(link, false));
        }
        long size = content.size();
        if (size > MAX_U32) {
            throw new IllegalArgumentException(name + ": 0x" + Long.toHexString(size)
                    + " bytes exceed newc's c_filesize (4 GiB - 1)");
        }
        long sum = format == CpioFormat.CRC ? sum(content) : 0;
        long ino = nextIno++;
        long nlink = a.nlink() == 0 ? names.size() : a.nlink();
        int mode = FileType.REGULAR.bits() | a.permissions();
        for (int i = 0; i < names.size(); i++) {
            boolean last = i == names.size() - 1;
            header(names.get(i), mode, a, ino, nlink, last ? size : 0, last ? sum : 0, 0, 0);
        }
        if (size > 0) {
            long copied;
            try (var in = content.open()) {
                copied = copy(in, size);
            }
            if (copied != size) {
                throw new IOException(name + ": source changed size while being archived");
            }
            pad(4);
        }
        return this;
    }

    /** A symlink to {@code target} (stored without a NUL, as GNU cpio stores it). */
    public CpioWriter symlink(String name, String target, Attributes a) throws IOException {
        var n = checkName(name, false);
        var t = target.getBytes(StandardCharsets.UTF_8);
        if (t.length == 0 || t.length > CpioReader.PATH_MAX || target.indexOf('\0') >= 0) {
            throw new IllegalArgumentException(name + ": symlink target must be 1 to PATH_MAX bytes without NUL");
        }
        header(n, FileType.SYMLINK.bits() | a.permissions(), a, nextIno++, a.nlink() == 0 ? 1 : a.nlink(),
                t.length, 0, 0, 0);
        out.write(t);
        offset += t.length;
        pad(4);
        return this;
    }

    /** A character device node. */
    public CpioWriter characterDevice(String name, long major, long minor, Attributes a) throws IOException {
        return node(name, FileType.CHAR_DEVICE, major, minor, a);
    }

    /** A block device node. */
    public CpioWriter blockDevice(String name, long major, long minor, Attributes a) throws IOException {
        return node(name, FileType.BLOCK_DEVICE, major, minor, a);
    }

    /** A named pipe. */
    public CpioWriter fifo(String name, Attributes a) throws IOException {
        return node(name, FileType.FIFO, 0, 0, a);
    }

    /** A Unix domain socket. */
    public CpioWriter socket(String name, Attributes a) throws IOException {
        return node(name, FileType.SOCKET, 0, 0, a);
    }

    /** A data-less node of any type but regular file and symlink. */
    public CpioWriter node(String name, FileType type, long rdevMajor, long rdevMinor, Attributes a) throws IOException {
        switch (type) {
            case DIRECTORY -> {
                if (rdevMajor != 0 || rdevMinor != 0) {
                    throw new IllegalArgumentException("a directory has no device number");
                }
                return directory(name, a);
            }
            case REGULAR, SYMLINK -> throw new IllegalArgumentException(type + " entries carry data: use file()/symlink()");
            default -> { }
        }
        checkU32("rdev major", rdevMajor);
        checkU32("rdev minor", rdevMinor);
        var n = checkName(name, false);
        header(n, type.bits() | a.permissions(), a, nextIno++, a.nlink() == 0 ? 1 : a.nlink(), 0, 0, rdevMajor, rdevMinor);
        return this;
    }

    /** Writes the TRAILER!!! entry, pads to a 512-byte block and finishes compression; keeps the stream open. */
    public void finish() throws IOException {
        if (finished) {
            return;
        }
        header(TRAILER, 0, Attributes.of(0), 0, 1, 0, 0, 0, 0);
        pad(BLOCK);
        finished = true;
        out.flush();
        if (gzip != null) {
            gzip.finish();
        }
        sink.flush();
    }

    /** {@link #finish()}, then closes the stream. */
    @Override
    public void close() throws IOException {
        try {
            finish();
        } finally {
            sink.close();
        }
    }

    private void header(String name, int mode, Attributes a, long ino, long nlink, long fileSize, long checksum,
                        long rdevMajor, long rdevMinor) throws IOException {
        if (finished) {
            throw new IllegalStateException("archive already finished");
        }
        var nameBytes = name.getBytes(StandardCharsets.UTF_8);
        var sb = new StringBuilder(110);
        sb.append(format.magic());
        for (long field : new long[] {ino, mode, a.uid(), a.gid(), nlink, a.mtime(), fileSize, 0, 0,
                rdevMajor, rdevMinor, nameBytes.length + 1, checksum}) {
            sb.append(String.format("%08X", field));
        }
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(nameBytes);
        out.write(0);
        offset += 110 + nameBytes.length + 1;
        pad(4);
    }

    private long copy(InputStream in, long size) throws IOException {
        var buf = new byte[64 * 1024];
        long done = 0;
        while (done < size) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, size - done));
            if (n < 0) {
                break;
            }
            out.write(buf, 0, n);
            done += n;
        }
        offset += done;
        if (done == size && in.read() >= 0) {
            done++;  // the source grew
        }
        return done;
    }

    private static long sum(Content content) throws IOException {
        long s = 0;
        var buf = new byte[64 * 1024];
        try (var in = content.open()) {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    s += buf[i] & 0xff;
                }
            }
        }
        return s & MAX_U32;
    }

    private void pad(int alignment) throws IOException {
        while (offset % alignment != 0) {
            out.write(0);
            offset++;
        }
    }

    private static String checkName(String name, boolean rootAllowed) {
        if (name.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("name contains NUL: " + name.replace('\0', '@'));
        }
        for (var part : name.split("/")) {
            if (part.equals("..")) {
                throw new IllegalArgumentException(name + ": \"..\" components are not written");
            }
        }
        var n = CpioNames.normalize(name);
        if (n.equals(".") && !rootAllowed) {
            throw new IllegalArgumentException("\"" + name + "\" names the root, which can only be a directory");
        }
        if (n.equals(TRAILER)) {
            throw new IllegalArgumentException("TRAILER!!! would end the archive");
        }
        if (n.getBytes(StandardCharsets.UTF_8).length + 1 > CpioReader.PATH_MAX) {
            throw new IllegalArgumentException(name + ": longer than PATH_MAX (" + CpioReader.PATH_MAX + ")");
        }
        return n;
    }

    private static void checkU32(String what, long value) {
        if (value < 0 || value > MAX_U32) {
            throw new IllegalArgumentException(what + " " + value + " does not fit newc's 32-bit field");
        }
    }
}
