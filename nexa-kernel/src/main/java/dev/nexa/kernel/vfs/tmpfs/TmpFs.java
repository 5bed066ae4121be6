package dev.nexa.kernel.vfs.tmpfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.Cred;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.FileSystem;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.StatFs;
import dev.nexa.kernel.vfs.Vfs;

import java.lang.foreign.MemorySegment;

/**
 * An in-memory file system (mm/shmem.c's tmpfs): directories, regular files in 4 KiB pages
 * (sparse: missing pages read as zeros), symlinks, hard links, device nodes, FIFOs and sockets.
 * File data lives on the Java heap, so the size limit ({@code size=}) is enforced: writes past it
 * fail with ENOSPC. Files can also start out as a read-only extent of some other memory (an
 * initramfs image), copied into private pages on the first change.
 * <p>
 * The same class serves /tmp, /dev (devtmpfs), /dev/shm and an initramfs root.
 */
public final class TmpFs extends FileSystem {
    static final int PAGE = 4096;

    private final Dentry root;
    private final long maxPages;
    private long usedPages;

    /**
     * @param type     what /proc/mounts shows ("tmpfs", "devtmpfs", "rootfs")
     * @param rootMode permission bits of the root directory (1777 for /tmp)
     * @param maxBytes size limit of the file data
     */
    public TmpFs(String type, int rootMode, long maxBytes, long nowNs) {
        super(type, FileSystem.anonymousDev());
        this.maxPages = Math.max(1, maxBytes / PAGE);
        TmpDir dir = new TmpDir(this, nextIno(), rootMode, 0, 0, nowNs);
        this.root = Dentry.root(dir);
    }

    /** A tmpfs with a root of mode 1777 and a limit of half the JVM's heap (tmpfs's default is half of RAM). */
    public static TmpFs create(long nowNs) { return new TmpFs("tmpfs", 01777, defaultLimit(), nowNs); }

    public static long defaultLimit() { return Runtime.getRuntime().maxMemory() / 2; }

    @Override
    public Dentry root() { return root; }

    @Override
    public String options() { return "size=" + maxPages * (PAGE / 1024) + "k,mode=" + Integer.toOctalString(root.inode().mode() & 07777); }

    @Override
    public StatFs statfs() {
        return new StatFs(StatFs.TMPFS_MAGIC, PAGE, maxPages, maxPages - usedPages, maxPages - usedPages,
                1L << 20, (1L << 20) - 1, dev(), 255);
    }

    /**
     * shmem_xattr_handlers (Linux 6.1): security.* and trusted.*, and the POSIX ACL names
     * (CONFIG_TMPFS_POSIX_ACL), which read as absent; user.* came to tmpfs only in 6.6.
     */
    @Override
    public boolean keepsXattr(String name) {
        return name.startsWith("security.") || name.startsWith("trusted.")
                || name.equals("system.posix_acl_access") || name.equals("system.posix_acl_default");
    }

    /** Pages of file data in use. */
    public long usedPages() { return usedPages; }

    void reserve(long pages) throws ErrnoException {
        if (usedPages + pages > maxPages) throw new ErrnoException(Errno.ENOSPC);
        usedPages += pages;
    }

    void release(long pages) { usedPages -= pages; }

    @Override
    public void rename(Dentry oldDirD, Dentry old, Dentry newDirD, String newName, Dentry target, int flags, long now) {
        TmpDir oldDir = (TmpDir) oldDirD.inode(), newDir = (TmpDir) newDirD.inode();
        boolean oldIsDir = old.inode().isDirectory();
        if ((flags & Vfs.RENAME_EXCHANGE) != 0) {
            String oldName = old.name();
            oldDir.removeEntry(oldName);
            newDir.removeEntry(newName);
            old.moveTo(newDirD, newName);
            target.moveTo(oldDirD, oldName);
            newDir.insert(old);
            oldDir.insert(target);
            boolean targetIsDir = target.inode().isDirectory();
            if (oldDir != newDir && oldIsDir != targetIsDir) {
                TmpDir gains = oldIsDir ? newDir : oldDir, loses = oldIsDir ? oldDir : newDir;
                gains.setNlink(gains.nlink() + 1);
                loses.setNlink(loses.nlink() - 1);
            }
            target.inode().touchChanged(now);
        } else {
            if (target != null) {
                newDir.removeEntry(newName);
                target.markUnlinked();
                Inode ti = target.inode();
                if (ti.isDirectory()) {
                    ti.setNlink(0);
                    newDir.setNlink(newDir.nlink() - 1);
                } else {
                    dropLink(ti);
                }
                ti.touchChanged(now);
            }
            oldDir.removeEntry(old.name());
            old.moveTo(newDirD, newName);
            newDir.insert(old);
            if (oldIsDir && oldDir != newDir) {
                oldDir.setNlink(oldDir.nlink() - 1);
                newDir.setNlink(newDir.nlink() + 1);
            }
        }
        old.inode().touchChanged(now);
        oldDir.touchModified(now);
        newDir.touchModified(now);
    }

    /** One name less; the last one gives the file's pages back to the size limit. */
    static void dropLink(Inode in) {
        in.setNlink(in.nlink() - 1);
        if (in.nlink() == 0 && in instanceof TmpFile f) f.detach();
    }

    // ---- populating (devtmpfs, initramfs) ------------------------------------------------------------

    /** The directory at {@code path} below the root, created (0755, root) where missing. */
    public Dentry mkdirs(String path, long nowNs) throws ErrnoException {
        Dentry cur = root;
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            TmpDir dir = (TmpDir) cur.inode();
            Dentry next = dir.lookup(null, cur, part);
            if (next == null) next = dir.mkdir(cur, part, 0755, Cred.ROOT, nowNs);
            if (!next.inode().isDirectory()) throw new ErrnoException(Errno.ENOTDIR, path);
            cur = next;
        }
        return cur;
    }

    /** Adds a regular file whose contents are (for now) the read-only {@code extent}; no copy is made. */
    public Dentry addFile(Dentry dir, String name, int perm, int uid, int gid, MemorySegment extent, long nowNs)
            throws ErrnoException {
        TmpDir d = (TmpDir) dir.inode();
        TmpFile f = new TmpFile(this, nextIno(), perm, uid, gid, nowNs);
        f.setExtent(extent);
        return d.add(dir, name, f, nowNs);
    }

    /** Adds a directory, symlink, device node, FIFO or socket with the given owner. */
    public Dentry addNode(Dentry dir, String name, int mode, long rdev, String linkTarget, int uid, int gid, long nowNs)
            throws ErrnoException {
        TmpDir d = (TmpDir) dir.inode();
        Cred owner = new Cred(uid, gid);
        Dentry made = switch (mode & Stat.S_IFMT) {
            case Stat.S_IFDIR -> d.mkdir(dir, name, mode, owner, nowNs);
            case Stat.S_IFLNK -> d.symlink(dir, name, linkTarget, owner, nowNs);
            default -> d.create(dir, name, mode, rdev, owner, nowNs);
        };
        made.inode().setOwner(uid, gid, nowNs);
        return made;
    }
}
