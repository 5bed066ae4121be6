package dev.nexa.kernel.initramfs;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The file tree an initramfs unpacks to, as {@link CpioArchive#unpack()} computes it by replaying
 * Linux's {@code do_name()/do_copy()/do_symlink()} on a model of the rootfs.
 *
 * <p>The rules it follows (init/initramfs.c): an existing path of another file type is removed first
 * ({@code clean_path()}: unlink, or rmdir, which fails on a non-empty directory); a regular file over
 * a regular file is truncated and rewritten in place (hard links to it see the new data); a directory
 * over a directory only changes its owner and mode; a device node, FIFO or socket over one of the same
 * type keeps its device number but takes the new owner and mode; a hard link is {@code link()}ed to
 * the first member of its group; an entry whose parent is missing is dropped, as the failing syscall
 * drops it in Linux; symlinks in the parent path are followed. Directory mtimes are applied at the
 * end, the earliest entry for a path last ({@code dir_utime()} walks its list newest first).
 *
 * @param image the image all extents refer to
 * @param nodes every path: the root "." first, then the others sorted by {@link String#compareTo}
 */
public record Rootfs(Image image, List<RootfsNode> nodes) {

    public Rootfs {
        nodes = List.copyOf(nodes);
    }

    /** The nodes by path, in path order. */
    public Map<String, RootfsNode> byPath() {
        var map = new LinkedHashMap<String, RootfsNode>();
        for (var n : nodes) {
            map.put(n.path(), n);
        }
        return Collections.unmodifiableMap(map);
    }

    /** The node at a normalized path ("." for the root). */
    public Optional<RootfsNode> lookup(String path) {
        if (path.equals(".")) {
            return Optional.of(root());
        }
        int lo = 1;
        int hi = nodes.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = nodes.get(mid).path().compareTo(path);
            if (c == 0) {
                return Optional.of(nodes.get(mid));
            } else if (c < 0) {
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return Optional.empty();
    }

    /** The root directory. */
    public RootfsNode root() {
        return nodes.getFirst();
    }
}
