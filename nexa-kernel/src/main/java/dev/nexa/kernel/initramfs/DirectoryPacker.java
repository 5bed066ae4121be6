package dev.nexa.kernel.initramfs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Packs a host directory tree into a {@link CpioWriter}, like {@code find . | cpio -o -H newc} but
 * deterministic: depth-first, each directory's entries sorted by name, so a directory always precedes
 * its contents (Linux creates each entry in a directory that must already exist). Modes (with the
 * setuid/setgid/sticky bits), symlinks, device nodes, FIFOs and sockets are kept; symlinks are never
 * followed. Regular files with several names in the tree become one hard-link group, written as
 * GNU cpio writes it: at the position of the last name, the earlier names latest first with
 * c_filesize 0, then the last name with the data ({@link CpioWriter}). The root directory is written as "." as {@code find .} lists it.
 *
 * <p>By default entries are owned by root (uid and gid 0), as an initramfs usually must be; the
 * host's owners and c_nlink can be kept instead. Times are the host's mtimes (clipped to newc's
 * 0..0xffffffff) unless a fixed time is set.
 */
public final class DirectoryPacker {
    private static final String ATTRIBUTES = "unix:mode,ino,dev,nlink,uid,gid,rdev,lastModifiedTime";

    private final boolean hostOwnership;
    private final OptionalLong fixedMtime;

    /** Root-owned entries, host mtimes. */
    public DirectoryPacker() {
        this(false, OptionalLong.empty());
    }

    private DirectoryPacker(boolean hostOwnership, OptionalLong fixedMtime) {
        this.hostOwnership = hostOwnership;
        this.fixedMtime = fixedMtime;
    }

    /** Keep the host's uid, gid and link counts (as GNU cpio does) instead of root ownership. */
    public DirectoryPacker withHostOwnership() {
        return new DirectoryPacker(true, fixedMtime);
    }

    /** Give every entry this mtime (seconds since the epoch), for reproducible archives. */
    public DirectoryPacker withMtime(long mtime) {
        if (mtime < 0 || mtime > 0xffff_ffffL) {
            throw new IllegalArgumentException("mtime " + mtime + " does not fit newc's 32 bits");
        }
        return new DirectoryPacker(hostOwnership, OptionalLong.of(mtime));
    }

    private record Item(String name, Path path, int mode, long ino, long dev, long nlink, long uid, long gid,
                        long rdev, long mtime) {
        FileType type() {
            return FileType.of(mode).orElseThrow();
        }
    }

    private record FileKey(long dev, long ino) {}

    /** Writes {@code root} and everything under it; does not finish the writer. */
    public void pack(Path root, CpioWriter writer) throws IOException {
        var items = new ArrayList<Item>();
        walk(root, ".", items);
        // Regular files with several names in the tree: group by (st_dev, st_ino).
        var groups = new HashMap<FileKey, List<Item>>();
        for (var item : items) {
            if (item.type() == FileType.REGULAR && item.nlink() > 1) {
                groups.computeIfAbsent(new FileKey(item.dev(), item.ino()), k -> new ArrayList<>()).add(item);
            }
        }
        for (var item : items) {
            write(item, writer, groups);
        }
    }

    private void write(Item item, CpioWriter writer, Map<FileKey, List<Item>> groups) throws IOException {
        var attributes = new CpioWriter.Attributes(item.mode() & 07777, hostOwnership ? item.uid() : 0,
                hostOwnership ? item.gid() : 0, fixedMtime.orElse(item.mtime()), 0);
        if (hostOwnership) {
            attributes = attributes.withNlink(item.nlink());
        }
        switch (item.type()) {
            case DIRECTORY -> writer.directory(item.name(), attributes);
            case REGULAR -> {
                var group = groups.get(new FileKey(item.dev(), item.ino()));
                if (group == null || group.size() == 1) {
                    writer.file(item.name(), item.path(), hostOwnership ? attributes : attributes.withNlink(1));
                } else if (group.getLast() == item) {
                    // GNU cpio's order: the deferred names last-seen first, then the one with the data.
                    var order = new ArrayList<>(group.subList(0, group.size() - 1).reversed());
                    order.add(item);
                    var others = order.subList(1, order.size()).stream().map(Item::name).toArray(String[]::new);
                    writer.file(order.getFirst().name(), item.path(),
                            hostOwnership ? attributes : attributes.withNlink(group.size()), others);
                }
                // earlier names of a group are written with the last one
            }
            case SYMLINK -> writer.symlink(item.name(), Files.readSymbolicLink(item.path()).toString(), attributes);
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO, SOCKET ->
                    // Special files with several names are written as separate nodes (same device number).
                    writer.node(item.name(), item.type(), major(item.rdev()), minor(item.rdev()),
                            attributes.withNlink(1));
        }
    }

    private static void walk(Path path, String name, List<Item> out) throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(path, ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException e) {
            throw new IOException(path + ": the host file system has no unix attributes", e);
        }
        long mtime = Math.clamp(((FileTime) a.get("lastModifiedTime")).toMillis() / 1000, 0L, 0xffff_ffffL);
        var item = new Item(name, path, (Integer) a.get("mode"), (Long) a.get("ino"), (Long) a.get("dev"),
                ((Integer) a.get("nlink")).longValue(), ((Integer) a.get("uid")).longValue() & 0xffff_ffffL,
                ((Integer) a.get("gid")).longValue() & 0xffff_ffffL, (Long) a.get("rdev"), mtime);
        if (FileType.of(item.mode()).isEmpty()) {
            throw new IOException(path + ": unknown file type, mode 0" + Integer.toOctalString(item.mode()));
        }
        out.add(item);
        if (item.type() == FileType.DIRECTORY) {
            List<Path> children;
            try (var stream = Files.list(path)) {
                children = stream.sorted((x, y) -> x.getFileName().toString().compareTo(y.getFileName().toString()))
                        .toList();
            }
            for (var child : children) {
                var childName = child.getFileName().toString();
                walk(child, name.equals(".") ? childName : name + "/" + childName, out);
            }
        }
    }

    /** gnu_dev_major() of glibc's sys/sysmacros.h. */
    private static long major(long rdev) {
        return ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
    }

    /** gnu_dev_minor(). */
    private static long minor(long rdev) {
        return (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
    }
}
