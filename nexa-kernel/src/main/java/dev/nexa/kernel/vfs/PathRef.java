package dev.nexa.kernel.vfs;

/**
 * A resolved location (Linux's struct path): a dentry as seen through one mount. Working
 * directories, roots, open files and /proc links hold these; equality is identity of both parts.
 */
public record PathRef(Mount mount, Dentry dentry) {
    public Inode inode() { return dentry.inode(); }

    public boolean isMountRoot() { return dentry == mount.root(); }
}
