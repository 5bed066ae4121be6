package dev.nexa.kernel.initramfs.internal;

import dev.nexa.kernel.initramfs.Compression;
import dev.nexa.kernel.initramfs.CpioArchive;
import dev.nexa.kernel.initramfs.CpioEntry;
import dev.nexa.kernel.initramfs.CpioFormat;
import dev.nexa.kernel.initramfs.CpioFormatException;
import dev.nexa.kernel.initramfs.FileType;
import dev.nexa.kernel.initramfs.HardLinkGroup;
import dev.nexa.kernel.initramfs.Image;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * The reader's state machine, after {@code unpack_to_rootfs()} in Linux's init/initramfs.c: the input
 * is a sequence of zero bytes, uncompressed cpio archives (a header starts with '0' at a 4-aligned
 * offset) and compressed members (anything else: the two-byte magic picks the decompressor). Inside a
 * decompressed member the same rules hold, except that another compressed member is junk.
 */
public final class ArchiveParser {
    /** Size of a newc/crc header: c_magic and 13 eight-digit hex fields. */
    public static final int HEADER_SIZE = 110;
    /** Linux's PATH_MAX: the largest c_namesize (and symlink target) do_header() accepts. */
    public static final int PATH_MAX = 4096;

    private static final String[] FIELDS = {
        "c_ino", "c_mode", "c_uid", "c_gid", "c_nlink", "c_mtime", "c_filesize",
        "c_maj", "c_min", "c_rmaj", "c_rmin", "c_namesize", "c_chksum",
    };
    private static final int INO = 0, MODE = 1, UID = 2, GID = 3, NLINK = 4, MTIME = 5, FILESIZE = 6,
            MAJ = 7, MIN = 8, RMAJ = 9, RMIN = 10, NAMESIZE = 11, CHKSUM = 12;
    private static final String TRAILER = "TRAILER!!!";

    private final String source;
    private final MemorySegment input;
    private final long maxImageSize;

    /** Entries so far; offsets are input offsets until {@link #builder} exists, image offsets after. */
    private final List<Raw> raws = new ArrayList<>();
    private final List<PendingMember> members = new ArrayList<>();
    /** Created at the first compressed member; null while the image can be the input itself. */
    private ImageBuilder builder;
    private int trailers;

    /** An entry before its image exists. */
    private record Raw(String name, CpioFormat format, long[] f, long headerOffset, long dataOffset, int trailers) {
        Raw shifted(long by) {
            return new Raw(name, format, f, headerOffset + by, dataOffset + by, trailers);
        }

        CpioEntry toEntry(Image image) {
            return new CpioEntry(name, format, (int) f[MODE], f[UID], f[GID], f[NLINK], f[MTIME], f[INO], f[MAJ],
                    f[MIN], f[RMAJ], f[RMIN], f[CHKSUM], headerOffset, dataOffset, f[FILESIZE], image);
        }
    }

    private static final class PendingMember {
        final Compression compression;
        final long inputOffset;
        final long inputLength;
        long imageOffset;
        final long imageLength;
        /** Indices into raws of this member's entries (uncompressed runs are rebased later). */
        final int firstRaw;
        final int endRaw;

        PendingMember(Compression compression, long inputOffset, long inputLength, long imageOffset,
                      long imageLength, int firstRaw, int endRaw) {
            this.compression = compression;
            this.inputOffset = inputOffset;
            this.inputLength = inputLength;
            this.imageOffset = imageOffset;
            this.imageLength = imageLength;
            this.firstRaw = firstRaw;
            this.endRaw = endRaw;
        }
    }

    /** Where offsets in error messages point: the input, or a decompressed member. */
    private record Context(String source, int member, String description, long size) {
        CpioFormatException error(long offset, String field, String detail) {
            return new CpioFormatException(source, member, description, offset, field, detail);
        }

        String end() {
            return member < 0 ? "end of archive (0x" + Long.toHexString(size) + " bytes)"
                    : "end of the decompressed member (0x" + Long.toHexString(size) + " bytes)";
        }
    }

    private ArchiveParser(String source, MemorySegment input, long maxImageSize) {
        this.source = source;
        this.input = input;
        this.maxImageSize = maxImageSize;
    }

    /** Reads a whole image; see {@link dev.nexa.kernel.initramfs.CpioReader}. */
    public static CpioArchive parse(String source, MemorySegment input, long maxImageSize) throws CpioFormatException {
        return new ArchiveParser(source, input, maxImageSize).run();
    }

    private CpioArchive run() throws CpioFormatException {
        long len = input.byteSize();
        var top = new Context(source, -1, "", len);
        if (len > maxImageSize) {
            throw top.error(0, "image", "of 0x" + Long.toHexString(len) + " bytes exceeds the limit of 0x"
                    + Long.toHexString(maxImageSize) + " bytes");
        }
        var inputView = ByteView.of(input);
        long pos = 0;
        while (pos < len) {
            int b = input.get(ValueLayout.JAVA_BYTE, pos) & 0xff;
            if (b == 0) {
                pos++;
            } else if (b == '0' && (pos & 3) == 0) {
                pos = uncompressedRun(inputView, pos, top);
            } else if (b == '0') {
                throw top.error(pos, "c_magic", "at an unaligned offset: cpio headers start on 4-byte boundaries");
            } else {
                pos = compressedMember(pos, top);
            }
        }
        return finish();
    }

    private long uncompressedRun(ByteView view, long start, Context top) throws CpioFormatException {
        int first = raws.size();
        long end = start;
        long p = start;
        while (p < view.size()) {
            int b = view.get(p) & 0xff;
            if (b == 0) {
                p++;
                continue;
            }
            if ((p & 3) != 0) {
                // do_reset(): after the zeros that follow an entry, the next thing must be aligned.
                throw top.error(p, "padding", "broken: byte 0x" + Integer.toHexString(b)
                        + " at an unaligned offset after the previous entry");
            }
            if (b != '0') {
                break;  // a compressed member follows
            }
            p = entry(view, p, top);
            end = p;
        }
        long imageOffset = start;
        var shift = 0L;
        if (builder != null) {
            builder.padTo4();
            imageOffset = builder.size();
            checkRoom(end - start, top, start);  // after the padding, so the image never exceeds the limit
            builder.append(input, start, end - start);
            shift = imageOffset - start;
            for (int i = first; i < raws.size(); i++) {
                raws.set(i, raws.get(i).shifted(shift));
            }
        }
        members.add(new PendingMember(Compression.NONE, start, end - start, imageOffset, end - start, first,
                raws.size()));
        return p;
    }

    private long compressedMember(long pos, Context top) throws CpioFormatException {
        long len = input.byteSize();
        int b0 = input.get(ValueLayout.JAVA_BYTE, pos);
        int b1 = pos + 1 < len ? input.get(ValueLayout.JAVA_BYTE, pos + 1) : -1;
        var compression = Compression.detect(b0, b1);
        if (compression == Compression.NONE) {
            throw top.error(pos, "c_magic", "missing: byte 0x" + Integer.toHexString(b0 & 0xff)
                    + " starts neither a cpio header (070701/070702), zero padding, nor a compressed member");
        }
        if (!compression.supported()) {
            throw top.error(pos, "compression", "unsupported: " + compression.displayName()
                    + " (Nexa decompresses gzip only; recompress the image with gzip)");
        }
        if (builder == null) {
            materialize();
        }
        builder.padTo4();
        long base = builder.size();
        int index = members.size();
        if (base > maxImageSize) {
            throw top.error(pos, "image", "grows past the limit of 0x" + Long.toHexString(maxImageSize) + " bytes");
        }
        long consumed;
        try {
            consumed = Gunzip.inflate(input, pos, builder, Math.max(0, maxImageSize - base));
        } catch (Gunzip.GzipException e) {
            throw new CpioFormatException(source, -1, "", e.offset(), "gzip",
                    "member " + index + " (at 0x" + Long.toHexString(pos) + "): " + e.getMessage());
        }
        var view = builder.view(base);
        var context = new Context(source, index, "member " + index + " (gzip at 0x" + Long.toHexString(pos) + ")",
                view.size());
        int first = raws.size();
        long p = 0;
        while (p < view.size()) {
            int b = view.get(p) & 0xff;
            if (b == 0) {
                p++;
            } else if (b != '0') {
                throw context.error(p, "c_magic", "missing: junk within compressed archive (byte 0x"
                        + Integer.toHexString(b) + ")");
            } else if ((p & 3) != 0) {
                throw context.error(p, "padding", "broken: cpio header at an unaligned offset");
            } else {
                p = entry(view, p, context);
            }
        }
        for (int i = first; i < raws.size(); i++) {
            raws.set(i, raws.get(i).shifted(base));
        }
        members.add(new PendingMember(Compression.GZIP, pos, consumed, base, view.size(), first, raws.size()));
        return pos + consumed;
    }

    /** Switches from "the image is the input" to a built image: copies the runs read so far. */
    private void materialize() throws CpioFormatException {
        builder = new ImageBuilder();
        for (var m : members) {
            builder.padTo4();
            long shift = builder.size() - m.inputOffset;
            builder.append(input, m.inputOffset, m.inputLength);
            m.imageOffset = m.inputOffset + shift;
            for (int i = m.firstRaw; i < m.endRaw; i++) {
                raws.set(i, raws.get(i).shifted(shift));
            }
        }
    }

    private void checkRoom(long more, Context top, long at) throws CpioFormatException {
        if (builder.size() + more > maxImageSize) {
            throw top.error(at, "image", "grows past the limit of 0x" + Long.toHexString(maxImageSize) + " bytes");
        }
    }

    /** Parses the entry whose header is at {@code p}; returns where the next one may start. */
    private long entry(ByteView v, long p, Context c) throws CpioFormatException {
        long size = v.size();
        if (size - p < HEADER_SIZE) {
            throw c.error(p, "header", "truncated: " + HEADER_SIZE + " bytes needed, 0x"
                    + Long.toHexString(size - p) + " left before " + c.end());
        }
        var magic = v.read(p, 6);
        var magicText = new String(magic, StandardCharsets.ISO_8859_1);
        CpioFormat format;
        switch (magicText) {
            case "070701" -> format = CpioFormat.NEWC;
            case "070702" -> format = CpioFormat.CRC;
            case "070707" -> throw c.error(p, "c_magic", "\"070707\" is the old portable (odc) format: "
                    + "Linux reads newc (070701) or crc (070702); create the archive with cpio -H newc");
            default -> throw c.error(p, "c_magic", printable(magic) + " is not a cpio magic (070701 newc, 070702 crc)");
        }
        var f = new long[FIELDS.length];
        for (int i = 0; i < FIELDS.length; i++) {
            f[i] = hex8(v, p + 6 + 8L * i, FIELDS[i], c);
        }
        long nameSizeAt = p + 6 + 8L * NAMESIZE;
        long fileSizeAt = p + 6 + 8L * FILESIZE;
        long nameSize = f[NAMESIZE];
        long fileSize = f[FILESIZE];
        if (nameSize == 0) {
            throw c.error(nameSizeAt, "c_namesize", "0: a name needs at least its terminating NUL");
        }
        if (nameSize > PATH_MAX) {
            throw c.error(nameSizeAt, "c_namesize", "0x" + Long.toHexString(nameSize)
                    + " exceeds PATH_MAX (" + PATH_MAX + ")");
        }
        long nameAt = p + HEADER_SIZE;
        if (nameSize > size - nameAt) {
            throw c.error(nameSizeAt, "c_namesize", "0x" + Long.toHexString(nameSize) + " runs past " + c.end());
        }
        // N_ALIGN(): the data starts at the next 4-byte boundary after header and name.
        long dataAt = align4(nameAt + nameSize);
        if (dataAt > size || fileSize > size - dataAt) {
            throw c.error(fileSizeAt, "c_filesize", "0x" + Long.toHexString(fileSize) + " runs past " + c.end());
        }
        var nameBytes = v.read(nameAt, (int) nameSize);
        if (nameBytes[nameBytes.length - 1] != 0) {
            throw c.error(nameAt, "name", "not NUL-terminated within c_namesize (0x" + Long.toHexString(nameSize) + ")");
        }
        int nameLength = 0;
        while (nameBytes[nameLength] != 0) {
            nameLength++;  // Linux uses the name as a C string: it ends at the first NUL
        }
        if (nameLength == 0) {
            throw c.error(nameAt, "name", "is empty");
        }
        var rawName = utf8(nameBytes, nameLength, nameAt, "name", c);
        long next = Math.min(align4(dataAt + fileSize), size);
        if (rawName.equals(TRAILER)) {
            if (fileSize != 0) {
                throw c.error(fileSizeAt, "c_filesize", "0x" + Long.toHexString(fileSize)
                        + " on TRAILER!!!: the end-of-archive marker has no data");
            }
            trailers++;
            return next;
        }
        long mode = f[MODE];
        if (mode > 0xffff) {
            throw c.error(p + 6 + 8L * MODE, "c_mode", "0x" + Long.toHexString(mode) + " has bits above st_mode's 16");
        }
        var type = FileType.of((int) mode).orElse(null);
        if (type == null) {
            throw c.error(p + 6 + 8L * MODE, "c_mode", "0" + Long.toOctalString(mode) + " has no valid file type (S_IFMT 0"
                    + Long.toOctalString(mode & FileType.S_IFMT) + ")");
        }
        if (fileSize != 0 && type != FileType.REGULAR && type != FileType.SYMLINK) {
            throw c.error(fileSizeAt, "c_filesize", "0x" + Long.toHexString(fileSize) + " on a "
                    + type.name().toLowerCase().replace('_', ' ') + ": only regular files and symlinks carry data");
        }
        var name = CpioNames.normalize(rawName);
        if (name.equals(".") && type != FileType.DIRECTORY) {
            throw c.error(nameAt, "name", "\"" + rawName + "\" names the root, which can only be a directory");
        }
        if (type == FileType.SYMLINK) {
            if (fileSize == 0 || fileSize > PATH_MAX) {
                throw c.error(fileSizeAt, "c_filesize", "0x" + Long.toHexString(fileSize)
                        + " for a symlink target: must be 1 to PATH_MAX (" + PATH_MAX + ") bytes");
            }
            var target = v.read(dataAt, (int) fileSize);
            int targetLength = 0;
            while (targetLength < target.length && target[targetLength] != 0) {
                targetLength++;
            }
            if (targetLength == 0) {
                throw c.error(dataAt, "symlink target", "is empty");
            }
            utf8(target, targetLength, dataAt, "symlink target", c);
        }
        if (format == CpioFormat.CRC && type == FileType.REGULAR) {
            // do_copy(): Linux sums the bytes it writes and compares with c_chksum ("bad data checksum").
            long sum = v.sum(dataAt, fileSize);
            if (sum != f[CHKSUM]) {
                throw c.error(p + 6 + 8L * CHKSUM, "c_chksum", "0x" + Long.toHexString(f[CHKSUM])
                        + " does not match the data's sum 0x" + Long.toHexString(sum) + " (bad data checksum)");
            }
        }
        raws.add(new Raw(name, format, f, p, dataAt, trailers));
        return next;
    }

    private CpioArchive finish() {
        Image image;
        if (builder == null) {
            image = Image.of(source, input);
        } else {
            image = Image.of(source, builder.build());
        }
        var entries = new ArrayList<CpioEntry>(raws.size());
        var trailerCounts = new ArrayList<Integer>(raws.size());
        for (var r : raws) {
            entries.add(r.toEntry(image));
            trailerCounts.add(r.trailers());
        }
        var outMembers = new ArrayList<CpioArchive.Member>();
        for (var m : members) {
            outMembers.add(new CpioArchive.Member(outMembers.size(), m.compression, m.inputOffset, m.inputLength,
                    m.imageOffset, m.imageLength));
        }
        return new CpioArchive(image, entries, hardLinkGroups(entries, trailerCounts), outMembers, trailerCounts);
    }

    private record LinkKey(int trailers, long ino, long major, long minor, FileType type) {}

    /** find_link(): nlink &gt;= 2, same (ino, maj, min, S_IFMT), no TRAILER!!! in between. */
    private static List<HardLinkGroup> hardLinkGroups(List<CpioEntry> entries, List<Integer> trailers) {
        var byKey = new LinkedHashMap<LinkKey, List<CpioEntry>>();
        for (int i = 0; i < entries.size(); i++) {
            var e = entries.get(i);
            if (e.nlink() >= 2 && e.type().canBeHardLinked()) {
                var key = new LinkKey(trailers.get(i), e.ino(), e.devMajor(), e.devMinor(), e.type());
                byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(e);
            }
        }
        var groups = new ArrayList<HardLinkGroup>();
        for (var members : byKey.values()) {
            if (members.size() >= 2) {
                groups.add(new HardLinkGroup(members));
            }
        }
        return groups;
    }

    private static long hex8(ByteView v, long at, String field, Context c) throws CpioFormatException {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            int ch = v.get(at + i) & 0xff;
            int digit = Character.digit(ch, 16);
            if (digit < 0 || ch > 'f') {
                throw c.error(at, field, printable(v.read(at, 8)) + " is not 8 hexadecimal digits");
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private static String utf8(byte[] bytes, int length, long at, String field, Context c) throws CpioFormatException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw c.error(at, field, printable(java.util.Arrays.copyOf(bytes, Math.min(length, 64))) + " is not valid UTF-8");
        }
    }

    /** Bytes as a quoted string with non-printable bytes escaped, for error messages. */
    static String printable(byte[] bytes) {
        var sb = new StringBuilder("\"");
        for (byte b : bytes) {
            int ch = b & 0xff;
            if (ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\') {
                sb.append((char) ch);
            } else {
                sb.append(String.format("\\x%02x", ch));
            }
        }
        return sb.append('"').toString();
    }

    private static long align4(long x) {
        return (x + 3) & ~3L;
    }
}
