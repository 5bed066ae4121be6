package dev.nexa.kernel.initramfs;

import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * One path of an unpacked {@link Rootfs}. Paths that are hard links of each other share
 * {@link #inode()} and all the inode's attributes (mode, owner, mtime, data).
 *
 * @param path          normalized path; "." is the root
 * @param inode         inode number, unique within the rootfs (1 is the root)
 * @param mode          full st_mode
 * @param uid           owner
 * @param gid           group
 * @param mtime         modification time, seconds since the epoch
 * @param rdevMajor     device major (character and block devices)
 * @param rdevMinor     device minor
 * @param symlinkTarget the target of a symlink, "" for other types
 * @param dataOffset    offset of a regular file's content in the image
 * @param dataSize      size of a regular file's content (0 for other types)
 * @param linkCount     number of paths sharing the inode
 * @param image         the image the extent refers to
 */
public record RootfsNode(String path, int inode, int mode, long uid, long gid, long mtime, long rdevMajor,
                         long rdevMinor, String symlinkTarget, long dataOffset, long dataSize, int linkCount,
                         Image image) {

    public RootfsNode {
        Objects.requireNonNull(path);
        Objects.requireNonNull(symlinkTarget);
        Objects.requireNonNull(image);
        FileType.of(mode).orElseThrow(() -> new IllegalArgumentException("mode has no file type"));
        if (dataOffset < 0 || dataSize < 0 || dataOffset > image.size() - dataSize) {
            throw new IllegalArgumentException("data extent outside " + image);
        }
    }

    public FileType type() {
        return FileType.of(mode).orElseThrow();
    }

    public int permissions() {
        return mode & 07777;
    }

    /** The content of a regular file as a read-only slice of the image. */
    public MemorySegment data() {
        return image.slice(dataOffset, dataSize);
    }

    /**
     * A copy of a regular file's content.
     *
     * @throws IllegalStateException when it is too large for a Java array; use {@link #data()}
     */
    public byte[] readData() {
        if (dataSize > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException(path + " is too large for a byte[]; use data()");
        }
        return image.read(dataOffset, (int) dataSize);
    }
}
