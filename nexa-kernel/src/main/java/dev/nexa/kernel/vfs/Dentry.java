package dev.nexa.kernel.vfs;

/**
 * A name bound to an inode inside its parent directory (Linux's struct dentry). Directories have
 * exactly one dentry, so the parent chain gives ".." and a path's name; a file with hard links has
 * one per name. Renames move the dentry (its name and parent change in place), so open files and
 * working directories keep following the object. The root of a file system is its own parent.
 */
public final class Dentry {
    private String name;
    private Dentry parent;
    private final Inode inode;
    private boolean unlinked;

    public Dentry(String name, Dentry parent, Inode inode) {
        this.name = name;
        this.parent = parent == null ? this : parent;
        this.inode = inode;
    }

    /** The root dentry of a file system. */
    public static Dentry root(Inode inode) { return new Dentry("/", null, inode); }

    public String name() { return name; }

    public Dentry parent() { return parent; }

    public Inode inode() { return inode; }

    public boolean isRoot() { return parent == this; }

    /** Unlinked (or replaced by a rename): paths of open files show " (deleted)". */
    public boolean unlinked() { return unlinked; }

    public void markUnlinked() { unlinked = true; }

    /** d_move: the dentry now lives under another name and/or directory. */
    public void moveTo(Dentry newParent, String newName) {
        this.parent = newParent;
        this.name = newName;
    }

    /** Whether {@code this} is {@code other} or one of its ancestors (within one file system). */
    public boolean isAncestorOf(Dentry other) {
        for (Dentry d = other; ; d = d.parent) {
            if (d == this) return true;
            if (d.isRoot()) return false;
        }
    }

    @Override
    public String toString() { return "Dentry[" + name + " -> " + inode + "]"; }
}
