package dev.nexa.kernel.initramfs;

import dev.nexa.kernel.initramfs.internal.ArchiveParser;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an initramfs image the way Linux's {@code unpack_to_rootfs()} (init/initramfs.c) does:
 * <ul>
 * <li>"newc" (070701) and "crc" (070702) headers; in crc archives the data of each regular file must
 *     sum to c_chksum ("bad data checksum" in Linux); "odc" (070707) is refused as Linux refuses it;</li>
 * <li>names and data aligned to 4 bytes, names NUL-terminated, at most PATH_MAX (4096) bytes;</li>
 * <li>TRAILER!!! ends an archive (and Linux's hard-link table); several archives may follow each
 *     other, with zero bytes between them;</li>
 * <li>each archive may be gzip-compressed (magic 1f 8b); compressed and uncompressed members may be
 *     concatenated in any order, as {@code cat a.cpio b.cpio.gz} makes them; other compression magics
 *     (bzip2, lzma, xz, lzo, lz4, zstd) are reported as unsupported.</li>
 * </ul>
 * Every size a header claims is checked against the bytes present before anything is allocated, and
 * the decompressed image may not grow past {@link #maxImageSize()} (default 2 GiB), so a hostile
 * image ends in a {@link CpioFormatException}, never in an OutOfMemoryError.
 */
public final class CpioReader {
    /** Default bound on the (decompressed) image: 2 GiB. */
    public static final long DEFAULT_MAX_IMAGE_SIZE = 2L << 30;
    /** Linux's PATH_MAX, the longest name (with its NUL) and symlink target an entry may have. */
    public static final int PATH_MAX = ArchiveParser.PATH_MAX;

    private final long maxImageSize;

    /** A reader with the default limits. */
    public CpioReader() {
        this(DEFAULT_MAX_IMAGE_SIZE);
    }

    private CpioReader(long maxImageSize) {
        if (maxImageSize < 0) {
            throw new IllegalArgumentException("maxImageSize < 0");
        }
        this.maxImageSize = maxImageSize;
    }

    /** This reader with another bound on the size of the decompressed image, in bytes. */
    public CpioReader withMaxImageSize(long bytes) {
        return new CpioReader(bytes);
    }

    /** The bound on the size of the decompressed image, in bytes. */
    public long maxImageSize() {
        return maxImageSize;
    }

    /** Reads the image in {@code file}; errors name the file by its file name. */
    public CpioArchive read(Path file) throws IOException, CpioFormatException {
        var name = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        try (var channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > maxImageSize) {
                throw new CpioFormatException(name, -1, "", 0, "image", "of 0x" + Long.toHexString(size)
                        + " bytes exceeds the limit of 0x" + Long.toHexString(maxImageSize) + " bytes");
            }
            // Copied, not mapped: the host file may change while the guest runs.
            var segment = Arena.ofAuto().allocate(Math.max(size, 1)).asSlice(0, size);
            long done = 0;
            while (done < size) {
                var window = segment.asSlice(done, Math.min(1L << 30, size - done)).asByteBuffer();
                while (window.hasRemaining()) {
                    if (channel.read(window, done + window.position()) < 0) {
                        throw new IOException(file + ": shrank while being read");
                    }
                }
                done += window.capacity();
            }
            return read(name, segment);
        }
    }

    /** Reads an image held in {@code bytes} (not copied when it is all uncompressed). */
    public CpioArchive read(String sourceName, byte[] bytes) throws CpioFormatException {
        return read(sourceName, MemorySegment.ofArray(bytes));
    }

    /** Reads an image held in {@code bytes} (not copied when it is all uncompressed). */
    public CpioArchive read(String sourceName, MemorySegment bytes) throws CpioFormatException {
        return ArchiveParser.parse(sourceName, bytes.asReadOnly(), maxImageSize);
    }
}
