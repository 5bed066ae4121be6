package dev.nexa.kernel.initramfs;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One member of a cpio archive, as its newc/crc header describes it (buffer-format.rst). The numeric
 * fields are the header's unsigned 32-bit values. The data section is an extent of {@link #image()}:
 * {@code dataSize} bytes at {@code dataOffset}; for a symlink it is the target.
 *
 * @param name       the path, normalized relative to the root ("." is the root itself); see the
 *                   package documentation for the rules
 * @param format     which header format the entry used
 * @param mode       the full st_mode: file type bits and permissions (c_mode)
 * @param uid        c_uid
 * @param gid        c_gid
 * @param nlink      c_nlink; entries with nlink &gt;= 2 may form a {@link HardLinkGroup}
 * @param mtime      c_mtime, seconds since the epoch
 * @param ino        c_ino
 * @param devMajor   c_maj: major of the device the file was archived from
 * @param devMinor   c_min
 * @param rdevMajor  c_rmaj: major of a character or block device node
 * @param rdevMinor  c_rmin
 * @param checksum   c_chksum (meaningful in the "crc" format only, where the reader checked it)
 * @param headerOffset offset of the entry's header in the image
 * @param dataOffset offset of the data section in the image
 * @param dataSize   c_filesize
 * @param image      the image the extent refers to
 */
public record CpioEntry(String name, CpioFormat format, int mode, long uid, long gid, long nlink, long mtime,
                        long ino, long devMajor, long devMinor, long rdevMajor, long rdevMinor, long checksum,
                        long headerOffset, long dataOffset, long dataSize, Image image) {

    public CpioEntry {
        Objects.requireNonNull(name);
        Objects.requireNonNull(format);
        Objects.requireNonNull(image);
        FileType.of(mode).orElseThrow(() -> new IllegalArgumentException("mode 0" + Integer.toOctalString(mode)
                + " has no file type"));
        if (dataOffset < 0 || dataSize < 0 || dataOffset > image.size() - dataSize) {
            throw new IllegalArgumentException("data extent 0x" + Long.toHexString(dataOffset) + "+0x"
                    + Long.toHexString(dataSize) + " outside " + image);
        }
    }

    /** The file type from the S_IFMT bits of {@link #mode()}. */
    public FileType type() {
        return FileType.of(mode).orElseThrow();
    }

    /** The permission bits (07777: rwx for user/group/other, setuid, setgid, sticky). */
    public int permissions() {
        return mode & 07777;
    }

    /** Whether this entry is the root directory (named "/" or "." in the archive). */
    public boolean isRoot() {
        return name.equals(".");
    }

    public boolean isRegular() {
        return type() == FileType.REGULAR;
    }

    public boolean isDirectory() {
        return type() == FileType.DIRECTORY;
    }

    public boolean isSymlink() {
        return type() == FileType.SYMLINK;
    }

    public boolean isCharDevice() {
        return type() == FileType.CHAR_DEVICE;
    }

    public boolean isBlockDevice() {
        return type() == FileType.BLOCK_DEVICE;
    }

    public boolean isFifo() {
        return type() == FileType.FIFO;
    }

    public boolean isSocket() {
        return type() == FileType.SOCKET;
    }

    /** The data section as a read-only slice of the image. */
    public MemorySegment data() {
        return image.slice(dataOffset, dataSize);
    }

    /**
     * A copy of the data section.
     *
     * @throws IllegalStateException when it is too large for a Java array; use {@link #data()}
     */
    public byte[] readData() {
        if (dataSize > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(name + ": 0x" + Long.toHexString(dataSize)
                    + " bytes do not fit a byte[]; use data()");
        }
        return image.read(dataOffset, (int) dataSize);
    }

    /**
     * The target of a symlink: its data up to the first NUL, as Linux's {@code do_symlink()} reads it
     * (gen_init_cpio stores the NUL, GNU cpio does not). The reader checked it is non-empty UTF-8.
     *
     * @throws IllegalStateException when this is not a symlink
     */
    public String symlinkTarget() {
        if (!isSymlink()) {
            throw new IllegalStateException(name + " is not a symlink");
        }
        var bytes = readData();
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "CpioEntry[" + type().lsChar() + "0" + Integer.toOctalString(permissions()) + " " + name
                + " size=0x" + Long.toHexString(dataSize) + " at 0x" + Long.toHexString(dataOffset) + "]";
    }
}
