package dev.nexa.kernel.vfs.overlay;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.FileInode;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.Vfs;

import java.lang.foreign.MemorySegment;

/**
 * A regular file found in the lower layer: reads go to it; the first write, truncate, allocation
 * or attribute change copies it into an upper tmpfs file (contents, owner, mode, times), which
 * takes every operation from then on, so descriptors opened before the copy see it too.
 */
final class LowerFile extends FileInode {
    private static final int CHUNK = 1 << 16;

    private final FileInode lower;
    private final OverlayDir parent;
    private final String name;
    private FileInode upper;
    private boolean removed;

    LowerFile(OverlayFs ofs, FileInode lower, OverlayDir parent, String name) {
        super(ofs, ofs.nextIno(), lower.mode(), lower.uid(), lower.gid(), 0);
        this.lower = lower;
        this.parent = parent;
        this.name = name;
    }

    private FileInode cur() { return upper != null ? upper : lower; }

    void removed() { removed = true; }

    FileInode copyUp(long nowNs) throws ErrnoException {
        if (upper != null) return upper;
        parent.copyUp(nowNs);
        Dentry d = ((OverlayFs) fs()).upper().addFile(parent.upperDentry(), name, lower.mode() & 07777, lower.uid(),
                lower.gid(), MemorySegment.ofArray(new byte[0]), nowNs);
        FileInode up = (FileInode) d.inode();
        MemorySegment buf = MemorySegment.ofArray(new byte[CHUNK]);
        for (long pos = 0; pos < lower.size(); ) {
            long n = lower.read(pos, buf);
            if (n <= 0) break;
            up.write(pos, buf.asSlice(0, n));
            pos += n;
        }
        up.setTimes(lower.atimeNs(), lower.mtimeNs(), nowNs);
        upper = up;
        return upper;
    }

    private FileInode up() {
        try {
            return copyUp(Vfs.currentTimeNs());
        } catch (ErrnoException e) {
            throw new IllegalStateException("overlay copy-up failed: " + e.getMessage(), e);
        }
    }

    @Override public int mode() { return cur().mode(); }
    @Override public int uid() { return cur().uid(); }
    @Override public int gid() { return cur().gid(); }
    @Override public long nlink() { return removed && upper == null ? 0 : cur().nlink(); }
    @Override public long size() { return cur().size(); }
    @Override public long blocks() { return cur().blocks(); }
    @Override public long dev() { return cur().dev(); }
    @Override public long atimeNs() { return cur().atimeNs(); }
    @Override public long mtimeNs() { return cur().mtimeNs(); }
    @Override public long ctimeNs() { return cur().ctimeNs(); }

    @Override
    public Stat stat() {
        Stat s = cur().stat();
        return new Stat(s.dev(), s.ino(), s.mode(), nlink(), s.uid(), s.gid(), s.rdev(), s.size(), s.blksize(), s.blocks(),
                s.atimeNs(), s.mtimeNs(), s.ctimeNs());
    }

    @Override
    public long read(long pos, MemorySegment dst) throws ErrnoException { return cur().read(pos, dst); }

    @Override
    public long write(long pos, MemorySegment src) throws ErrnoException { return copyUp(Vfs.currentTimeNs()).write(pos, src); }

    @Override
    public void truncate(long newSize) throws ErrnoException { copyUp(Vfs.currentTimeNs()).truncate(newSize); }

    @Override
    public void allocate(long off, long len, boolean keepSize) throws ErrnoException { copyUp(Vfs.currentTimeNs()).allocate(off, len, keepSize); }

    @Override
    public void punchHole(long off, long len) throws ErrnoException { copyUp(Vfs.currentTimeNs()).punchHole(off, len); }

    @Override
    public long seekData(long off) throws ErrnoException { return cur().seekData(off); }

    @Override
    public long seekHole(long off) throws ErrnoException { return cur().seekHole(off); }

    @Override
    public void setMode(int permissions, long nowNs) { up().setMode(permissions, nowNs); }

    @Override
    public void setOwner(int uid, int gid, long nowNs) { up().setOwner(uid, gid, nowNs); }

    @Override
    public void setTimes(long atime, long mtime, long nowNs) { up().setTimes(atime, mtime, nowNs); }

    @Override public void touchAtime(long nowNs) { cur().touchAtime(nowNs); }

    @Override
    public void touchModified(long nowNs) { up().touchModified(nowNs); }

    @Override
    public void touchChanged(long nowNs) {
        if (upper != null) upper.touchChanged(nowNs);
    }

    @Override
    public void setNlink(long n) {
        if (upper != null) upper.setNlink(n);
    }

    // Extended attributes: the current layer's; a change copies the file up first.
    @Override public byte[] getxattr(String n) throws ErrnoException { return cur().getxattr(n); }
    @Override public java.util.List<String> listxattr() throws ErrnoException { return cur().listxattr(); }

    @Override
    public void setxattr(String n, byte[] value, int flags, long nowNs) throws ErrnoException {
        copyUp(nowNs).setxattr(n, value, flags, nowNs);
    }

    @Override
    public void removexattr(String n, long nowNs) throws ErrnoException { copyUp(nowNs).removexattr(n, nowNs); }
}
