package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.pipe.Pipe;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A file system object (Linux's struct inode): its type and permission bits, owner, link count,
 * timestamps and device number, plus what its kind does (see {@link DirInode}, {@link FileInode};
 * symlinks override {@link #readlink}). Names live in {@link Dentry}s, so one inode can have
 * several (hard links). The VFS checks permissions and read-only mounts before it calls the
 * mutating methods here; file systems only keep their data consistent.
 */
public abstract class Inode {
    private final FileSystem fs;
    private final long ino;
    protected int mode;
    protected int uid, gid;
    protected long nlink = 1;
    protected long rdev;
    protected long atimeNs, mtimeNs, ctimeNs;
    /** The pipe behind a FIFO while anyone has it open (fs/fifo semantics: it goes away with the last opener). */
    private Pipe fifo;
    /** An O_TMPFILE file without O_EXCL may get a name with linkat (I_LINKABLE). */
    private boolean linkable;
    /** Extended attributes of in-memory file systems (Linux's simple_xattrs), created on the first set. */
    private Map<String, byte[]> xattrs;

    protected Inode(FileSystem fs, long ino, int mode, int uid, int gid, long nowNs) {
        this.fs = fs;
        this.ino = ino;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.atimeNs = this.mtimeNs = this.ctimeNs = nowNs;
    }

    public final FileSystem fs() { return fs; }

    public final long ino() { return ino; }

    public int mode() { return mode; }

    public final int type() { return mode() & Stat.S_IFMT; }

    public final boolean isDirectory() { return type() == Stat.S_IFDIR; }

    public final boolean isRegular() { return type() == Stat.S_IFREG; }

    public final boolean isSymlink() { return type() == Stat.S_IFLNK; }

    public final boolean isFifo() { return type() == Stat.S_IFIFO; }

    public int uid() { return uid; }

    public int gid() { return gid; }

    public long nlink() { return nlink; }

    public long rdev() { return rdev; }

    /** st_size: bytes for files, the target's length for symlinks. */
    public long size() { return 0; }

    /** st_blocks, in 512-byte units. */
    public long blocks() { return 0; }

    public long atimeNs() { return atimeNs; }

    public long mtimeNs() { return mtimeNs; }

    public long ctimeNs() { return ctimeNs; }

    /** st_dev: the file system's device (host files report their own). */
    public long dev() { return fs.dev(); }

    public Stat stat() {
        return new Stat(dev(), ino, mode(), nlink(), uid(), gid(), rdev(), size(), 4096, blocks(), atimeNs(),
                mtimeNs(), ctimeNs());
    }

    // ---- kind-specific behaviour --------------------------------------------------------------------

    /** A symlink's target (readlink(2)); EINVAL for anything else. */
    public String readlink() throws ErrnoException { throw new ErrnoException(Errno.EINVAL); }

    /** The target as {@code caller} sees it (procfs's "self" names the caller). */
    public String readlink(Process caller) throws ErrnoException { return readlink(); }

    /**
     * A "magic" link (/proc/PID/exe, cwd, root, fd/N) jumps straight to a location instead of
     * resolving its text (Linux's nd_jump_link); null for ordinary symlinks.
     */
    public PathRef jump(Process caller) throws ErrnoException { return null; }

    /**
     * Opens this inode when the file system does it itself (procfs snapshots); null lets the VFS
     * open it by type (regular file, directory, device, FIFO).
     */
    public OpenFile open(Vfs vfs, PathRef where, int flags, Process caller) throws ErrnoException { return null; }

    // ---- attribute changes (permission checks are the caller's) -------------------------------------

    public void setMode(int permissions, long nowNs) {
        mode = (mode & Stat.S_IFMT) | (permissions & 07777);
        ctimeNs = nowNs;
    }

    public void setOwner(int newUid, int newGid, long nowNs) {
        uid = newUid;
        gid = newGid;
        ctimeNs = nowNs;
    }

    /** A {@link #setTimes} argument that leaves the time alone (UTIME_OMIT). */
    public static final long KEEP = Long.MIN_VALUE;

    /** utimensat: {@link #KEEP} leaves a time alone; ctime becomes now. */
    public void setTimes(long atime, long mtime, long nowNs) {
        if (atime != KEEP) atimeNs = atime;
        if (mtime != KEEP) mtimeNs = mtime;
        ctimeNs = nowNs;
    }

    /**
     * Access-time update under "relatime", the default mount option: only when atime is not
     * newer than mtime or ctime, or is a day old (fs/inode.c relatime_need_update).
     */
    public void touchAtime(long nowNs) {
        if (fs.readOnly()) return;
        if (atimeNs <= mtimeNs || atimeNs <= ctimeNs || nowNs - atimeNs >= 24L * 3600 * 1_000_000_000L) {
            atimeNs = nowNs;
        }
    }

    /** Content changed: mtime and ctime become now (file_update_time). */
    public void touchModified(long nowNs) {
        mtimeNs = nowNs;
        ctimeNs = nowNs;
    }

    public void touchChanged(long nowNs) { ctimeNs = nowNs; }

    public void setNlink(long n) { nlink = n; }

    // ---- extended attributes (fs/xattr.c; the VFS has checked the name, the mount and permissions) ----

    /** setxattr flags: fail if the attribute exists / does not exist. */
    public static final int XATTR_CREATE = 1, XATTR_REPLACE = 2;

    /**
     * The value of attribute {@code name}: ENODATA when this inode has none by that name,
     * EOPNOTSUPP when its file system keeps no attributes of that namespace (no handler, as
     * procfs and pipes answer). File systems that keep attributes in memory say so through
     * {@link FileSystem#keepsXattr}; host files override this to ask the host.
     */
    public byte[] getxattr(String name) throws ErrnoException {
        if (!fs.keepsXattr(name)) throw new ErrnoException(Errno.EOPNOTSUPP);
        byte[] v = xattrs == null ? null : xattrs.get(name);
        if (v == null) throw new ErrnoException(Errno.ENODATA);
        return v;
    }

    /** The names of this inode's attributes (an empty list where none are kept, as listxattr answers). */
    public List<String> listxattr() throws ErrnoException {
        return xattrs == null ? List.of() : List.copyOf(xattrs.keySet());
    }

    /**
     * Sets attribute {@code name}. POSIX ACLs (system.posix_acl_*) are not modelled: none is ever
     * present and setting one is EOPNOTSUPP.
     */
    public void setxattr(String name, byte[] value, int flags, long nowNs) throws ErrnoException {
        if (!fs.keepsXattr(name) || name.startsWith("system.")) throw new ErrnoException(Errno.EOPNOTSUPP);
        boolean present = xattrs != null && xattrs.containsKey(name);
        if ((flags & XATTR_CREATE) != 0 && present) throw new ErrnoException(Errno.EEXIST);
        if ((flags & XATTR_REPLACE) != 0 && !present) throw new ErrnoException(Errno.ENODATA);
        if (xattrs == null) xattrs = new LinkedHashMap<>();
        xattrs.put(name, value.clone());
        touchChanged(nowNs);
    }

    public void removexattr(String name, long nowNs) throws ErrnoException {
        if (!fs.keepsXattr(name) || name.startsWith("system.")) throw new ErrnoException(Errno.EOPNOTSUPP);
        if (xattrs == null || xattrs.remove(name) == null) throw new ErrnoException(Errno.ENODATA);
        touchChanged(nowNs);
    }

    public boolean linkable() { return linkable; }

    public void setLinkable(boolean on) { linkable = on; }

    public Pipe fifo() { return fifo; }

    public void setFifo(Pipe p) { fifo = p; }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + fs.type() + " ino " + ino + " 0" + Integer.toOctalString(mode()) + "]";
    }
}
