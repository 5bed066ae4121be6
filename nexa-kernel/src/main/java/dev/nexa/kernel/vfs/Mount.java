package dev.nexa.kernel.vfs;

/**
 * A file system attached to the tree (Linux's struct vfsmount/mount): which file system, its root
 * dentry, and where it sits (the parent mount and the dentry it covers). The namespace root has no
 * parent.
 */
public final class Mount {
    public static final int MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_RELATIME = 1 << 21;

    private final Vfs namespace;
    private final int id;
    private final FileSystem fs;
    private final Dentry root;
    private final Mount parent;
    private final Dentry mountpoint;
    private final String source;
    private final int flags;

    Mount(Vfs namespace, int id, FileSystem fs, Mount parent, Dentry mountpoint, String source, int flags) {
        this.namespace = namespace;
        this.id = id;
        this.fs = fs;
        this.root = fs.root();
        this.parent = parent;
        this.mountpoint = mountpoint;
        this.source = source;
        this.flags = flags | (fs.readOnly() ? MS_RDONLY : 0);
    }

    public Vfs namespace() { return namespace; }

    public int id() { return id; }

    public FileSystem fs() { return fs; }

    public Dentry root() { return root; }

    public PathRef rootRef() { return new PathRef(this, root); }

    /** The mount this one is attached to, or null for the namespace root. */
    public Mount parent() { return parent; }

    public Dentry mountpoint() { return mountpoint; }

    public String source() { return source; }

    public int flags() { return flags; }

    public boolean readOnly() { return (flags & MS_RDONLY) != 0; }

    public boolean noDev() { return (flags & MS_NODEV) != 0; }

    public boolean noExec() { return (flags & MS_NOEXEC) != 0; }

    public boolean noSuid() { return (flags & MS_NOSUID) != 0; }

    /** The per-mount options: rw/ro, nosuid, nodev, noexec, relatime (mountinfo's sixth field). */
    public String mountOptions() {
        StringBuilder sb = new StringBuilder(readOnly() ? "ro" : "rw");
        if (noSuid()) sb.append(",nosuid");
        if (noDev()) sb.append(",nodev");
        if (noExec()) sb.append(",noexec");
        return sb.append(",relatime").toString();
    }

    /** The file system's own options after rw/ro (mountinfo's super options). */
    public String superOptions() {
        String extra = fs.options();
        return (readOnly() ? "ro" : "rw") + (extra.isEmpty() ? "" : "," + extra);
    }

    /** The options column of /proc/mounts: the mount's, then the file system's. */
    public String options() {
        String extra = fs.options();
        return mountOptions() + (extra.isEmpty() ? "" : "," + extra);
    }

    @Override
    public String toString() { return "Mount[" + id + " " + fs.type() + " " + source + "]"; }
}
