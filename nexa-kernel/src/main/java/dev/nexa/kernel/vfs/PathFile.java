package dev.nexa.kernel.vfs;

/**
 * An O_PATH descriptor (or the symlink an O_PATH|O_NOFOLLOW open lands on): a location for the
 * *at() calls, fstat and fchdir, with no I/O (OpenFile's readable()/writable() are false).
 */
public final class PathFile extends InodeFile {
    public PathFile(PathRef location, int flags) { super(location, flags); }
}
