package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.ErrnoException;

/**
 * An open file description for something in the tree: it remembers where it was opened (for
 * fchdir, the *at() calls and /proc/PID/fd) and reports its inode's attributes.
 */
public abstract class InodeFile extends OpenFile {
    protected final PathRef location;

    protected InodeFile(PathRef location, int flags) {
        super(flags);
        this.location = location;
    }

    @Override
    public PathRef location() { return location; }

    @Override
    public Inode inode() { return location.inode(); }

    @Override
    public Stat stat() throws ErrnoException { return location.inode().stat(); }

    /** The path as /proc/PID/fd shows it, from the namespace root. */
    @Override
    public String path() { return location.mount().namespace().pathName(location, null); }

    protected Vfs vfs() { return location.mount().namespace(); }
}
