package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.initramfs.Rootfs;
import dev.nexa.kernel.initramfs.RootfsNode;
import dev.nexa.kernel.vfs.tmpfs.TmpFs;

import java.util.HashMap;
import java.util.Map;

/**
 * Fills a tmpfs with an unpacked initramfs ({@link Rootfs}), as Linux's rootfs ends up after
 * unpack_to_rootfs: every node with its owner, mode, device number and mtime (atime too, as
 * do_utime sets both), hard links sharing one inode. Regular files keep referring to the image's
 * bytes until they are first written, so nothing is copied at boot.
 */
final class InitramfsRoot {
    private InitramfsRoot() {}

    static void populate(TmpFs fs, Rootfs rootfs, long nowNs) throws ErrnoException {
        Map<String, Dentry> dirs = new HashMap<>();
        dirs.put(".", fs.root());
        Map<Integer, Inode> byInode = new HashMap<>();
        Map<Inode, RootfsNode> attrs = new HashMap<>();
        for (RootfsNode n : rootfs.nodes()) {
            if (n.path().equals(".")) {
                attrs.put(fs.root().inode(), n);
                continue;
            }
            int slash = n.path().lastIndexOf('/');
            String parent = slash < 0 ? "." : n.path().substring(0, slash), name = n.path().substring(slash + 1);
            Dentry dir = dirs.get(parent);
            if (dir == null) continue;                          // the unpack model already drops orphans
            Inode shared = byInode.get(n.inode());
            Dentry d;
            if (shared != null) {
                d = ((DirInode) dir.inode()).link(dir, name, shared, nowNs);
            } else if (n.type() == dev.nexa.kernel.initramfs.FileType.REGULAR) {
                d = fs.addFile(dir, name, n.permissions(), (int) n.uid(), (int) n.gid(), n.data(), nowNs);
            } else {
                long rdev = Stat.makedev((int) n.rdevMajor(), (int) n.rdevMinor());
                d = fs.addNode(dir, name, n.mode(), rdev, n.symlinkTarget(), (int) n.uid(), (int) n.gid(), nowNs);
            }
            byInode.put(n.inode(), d.inode());
            attrs.put(d.inode(), n);
            if (d.inode().isDirectory()) dirs.put(n.path(), d);
        }
        // Modes and times last, as dir_utime does once everything is in place.
        for (Map.Entry<Inode, RootfsNode> e : attrs.entrySet()) {
            Inode in = e.getKey();
            RootfsNode n = e.getValue();
            if (!in.isSymlink()) in.setMode(n.permissions(), nowNs);
            in.setOwner((int) n.uid(), (int) n.gid(), nowNs);
            in.setTimes(n.mtime() * 1_000_000_000L, n.mtime() * 1_000_000_000L, nowNs);
        }
    }
}
