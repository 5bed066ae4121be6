package dev.nexa.kernel.initramfs.internal;

import dev.nexa.kernel.initramfs.CpioArchive;
import dev.nexa.kernel.initramfs.CpioEntry;
import dev.nexa.kernel.initramfs.FileType;
import dev.nexa.kernel.initramfs.HardLinkGroup;
import dev.nexa.kernel.initramfs.Image;
import dev.nexa.kernel.initramfs.Rootfs;
import dev.nexa.kernel.initramfs.RootfsNode;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays an archive's entries on a small model of the rootfs, following init/initramfs.c's
 * {@code do_name()}, {@code do_copy()}, {@code do_symlink()}, {@code clean_path()} and
 * {@code maybe_link()}, so the result is the tree Linux would build. The syscalls those functions
 * make fail silently in Linux (their results are ignored); here the same failures drop the entry.
 */
public final class RootfsBuilder {
    /** Linux's MAXSYMLINKS: symlinks followed while resolving one parent path. */
    private static final int MAX_SYMLINKS = 40;
    /** Mode of the rootfs root before any "." entry changes it. */
    private static final int ROOT_MODE = FileType.DIRECTORY.bits() | 0755;

    private static final class Inode {
        final int number;
        final FileType type;
        int mode;
        long uid;
        long gid;
        long mtime;
        long rdevMajor;
        long rdevMinor;
        String target = "";
        long dataOffset;
        long dataSize;
        int links;

        Inode(int number, FileType type) {
            this.number = number;
            this.type = type;
            this.mode = type.bits();
        }

        void chown(CpioEntry e) {
            uid = e.uid();
            gid = e.gid();
        }

        void chmod(CpioEntry e) {
            mode = type.bits() | e.permissions();
        }
    }

    private record DirTime(String path, long mtime) {}

    private final Image image;
    private final Map<CpioEntry, HardLinkGroup> links;
    private final Map<String, Inode> paths = new HashMap<>();
    private final Map<String, Integer> childCounts = new HashMap<>();
    private final List<DirTime> dirTimes = new ArrayList<>();
    private int nextInode = 1;

    private RootfsBuilder(CpioArchive archive) {
        this.image = archive.image();
        this.links = archive.hardLinkIndex();
        var root = new Inode(nextInode++, FileType.DIRECTORY);
        root.mode = ROOT_MODE;
        root.links = 1;
        paths.put(".", root);
    }

    /** The tree Linux unpacks {@code archive} to. */
    public static Rootfs unpack(CpioArchive archive) {
        var builder = new RootfsBuilder(archive);
        for (var e : archive.entries()) {
            builder.apply(e);
        }
        return builder.result();
    }

    private void apply(CpioEntry e) {
        if (e.isRoot()) {
            // mkdir(".") fails with EEXIST; the chown and chmod that follow change the root.
            var root = paths.get(".");
            root.chown(e);
            root.chmod(e);
            dirTimes.add(new DirTime(".", e.mtime()));
            return;
        }
        var parent = resolveDirectory(CpioNames.parent(e.name()));
        if (parent == null) {
            return;  // ENOENT/ENOTDIR/ELOOP on the parent: Linux ignores the failed syscall
        }
        var path = CpioNames.child(parent, CpioNames.baseName(e.name()));
        switch (e.type()) {
            case REGULAR -> regular(e, path);
            case DIRECTORY -> directory(e, path);
            case SYMLINK -> symlink(e, path);
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO, SOCKET -> special(e, path);
        }
    }

    private void regular(CpioEntry e, String path) {
        cleanPath(path, FileType.REGULAR);
        int linked = maybeLink(e, path);
        if (linked < 0) {
            return;
        }
        var inode = paths.get(path);
        if (inode == null) {
            inode = add(path, new Inode(nextInode++, FileType.REGULAR));
        } else if (inode.type != FileType.REGULAR) {
            return;  // a non-empty directory clean_path() could not remove: open() fails with EISDIR
        }
        if (linked == 0) {
            inode.dataOffset = 0;  // O_TRUNC
            inode.dataSize = 0;
        }
        inode.chown(e);
        inode.chmod(e);
        if (e.dataSize() > 0) {
            // vfs_truncate() to c_filesize, then the whole data section is written from offset 0.
            inode.dataOffset = e.dataOffset();
            inode.dataSize = e.dataSize();
        }
        inode.mtime = e.mtime();
    }

    private void directory(CpioEntry e, String path) {
        cleanPath(path, FileType.DIRECTORY);
        var inode = paths.get(path);
        if (inode == null) {
            inode = add(path, new Inode(nextInode++, FileType.DIRECTORY));
        }
        if (inode.type != FileType.DIRECTORY) {
            return;
        }
        inode.chown(e);
        inode.chmod(e);
        dirTimes.add(new DirTime(path, e.mtime()));
    }

    private void symlink(CpioEntry e, String path) {
        cleanPath(path, null);
        if (paths.containsKey(path)) {
            return;  // a non-empty directory: symlink() fails with EEXIST
        }
        var inode = add(path, new Inode(nextInode++, FileType.SYMLINK));
        inode.mode = FileType.SYMLINK.bits() | 0777;  // symlinks are always rwxrwxrwx
        inode.target = e.symlinkTarget();
        inode.chown(e);
        inode.mtime = e.mtime();
    }

    private void special(CpioEntry e, String path) {
        cleanPath(path, e.type());
        if (maybeLink(e, path) != 0) {
            return;
        }
        var inode = paths.get(path);
        if (inode == null) {
            inode = add(path, new Inode(nextInode++, e.type()));
            inode.rdevMajor = e.rdevMajor();
            inode.rdevMinor = e.rdevMinor();
        } else if (inode.type != e.type()) {
            return;
        }
        // mknod() failed with EEXIST on a node of the same type; chown/chmod/utime still apply.
        inode.chown(e);
        inode.chmod(e);
        inode.mtime = e.mtime();
    }

    /**
     * maybe_link(): 0 when {@code e} is not a later member of a hard-link group (Linux then creates
     * the file itself), 1 when it was linked to the group's first member, -1 when link() failed.
     */
    private int maybeLink(CpioEntry e, String path) {
        var group = links.get(e);
        if (group == null || group.first() == e) {
            return 0;
        }
        var first = group.first().name();
        var firstParent = resolveDirectory(CpioNames.parent(first));
        var old = firstParent == null ? null : paths.get(CpioNames.child(firstParent, CpioNames.baseName(first)));
        cleanPath(path, null);
        // link() fails when the old name is gone, is a directory, or the new name still exists.
        // Nexa also refuses an old name whose type changed since (Linux would link that file instead).
        if (old == null || old.type != e.type() || paths.containsKey(path)) {
            return -1;
        }
        add(path, old);
        return 1;
    }

    /** clean_path(): removes what is at {@code path} unless it has the type {@code keep}. */
    private void cleanPath(String path, FileType keep) {
        var inode = paths.get(path);
        if (inode == null || inode.type == keep) {
            return;
        }
        if (inode.type == FileType.DIRECTORY && childCounts.getOrDefault(path, 0) > 0) {
            return;  // rmdir() of a non-empty directory fails with ENOTEMPTY
        }
        paths.remove(path);
        inode.links--;
        childCounts.merge(CpioNames.parent(path), -1, Integer::sum);
        childCounts.remove(path);
    }

    private Inode add(String path, Inode inode) {
        paths.put(path, inode);
        inode.links++;
        childCounts.merge(CpioNames.parent(path), 1, Integer::sum);
        return inode;
    }

    /** Resolves a normalized directory path, following symlinks; null if it is not a directory. */
    private String resolveDirectory(String path) {
        var todo = new ArrayDeque<String>();
        if (!path.equals(".")) {
            todo.addAll(Arrays.asList(path.split("/")));
        }
        var current = ".";
        int symlinks = 0;
        while (!todo.isEmpty()) {
            var component = todo.pollFirst();
            if (component.isEmpty() || component.equals(".")) {
                continue;
            }
            if (component.equals("..")) {
                current = CpioNames.parent(current);
                continue;
            }
            var next = CpioNames.child(current, component);
            var inode = paths.get(next);
            if (inode == null) {
                return null;
            }
            if (inode.type == FileType.SYMLINK) {
                if (++symlinks > MAX_SYMLINKS) {
                    return null;
                }
                var target = inode.target;
                var parts = target.split("/");
                for (int i = parts.length - 1; i >= 0; i--) {
                    todo.addFirst(parts[i]);
                }
                if (target.startsWith("/")) {
                    current = ".";
                }
                continue;
            }
            if (inode.type != FileType.DIRECTORY) {
                return null;
            }
            current = next;
        }
        return current;
    }

    private Rootfs result() {
        // dir_utime() walks its list newest first, so the earliest entry for a path sets the mtime.
        for (var t : dirTimes.reversed()) {
            var inode = paths.get(t.path());
            if (inode != null) {
                inode.mtime = t.mtime();
            }
        }
        var names = new ArrayList<>(paths.keySet());
        names.remove(".");
        names.sort(null);
        names.addFirst(".");
        var nodes = new ArrayList<RootfsNode>(names.size());
        for (var name : names) {
            var i = paths.get(name);
            nodes.add(new RootfsNode(name, i.number, i.mode, i.uid, i.gid, i.mtime, i.rdevMajor, i.rdevMinor,
                    i.target, i.dataOffset, i.dataSize, i.links, image));
        }
        return new Rootfs(image, nodes);
    }
}
