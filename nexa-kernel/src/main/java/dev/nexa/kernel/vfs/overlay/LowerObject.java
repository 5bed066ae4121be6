package dev.nexa.kernel.vfs.overlay;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.Vfs;

/**
 * A symlink, device node, FIFO or socket found in the lower layer: read as it is there, copied
 * into the upper layer (same type, target, device number, owner, mode and times) on its first change.
 */
final class LowerObject extends Inode {
    private final Inode lower;
    private final OverlayDir parent;
    private final String name;
    private Inode upper;
    private boolean removed;

    LowerObject(OverlayFs ofs, Inode lower, OverlayDir parent, String name) {
        super(ofs, ofs.nextIno(), lower.mode(), lower.uid(), lower.gid(), 0);
        this.lower = lower;
        this.parent = parent;
        this.name = name;
    }

    private Inode cur() { return upper != null ? upper : lower; }

    void removed() { removed = true; }

    Inode copyUp(long nowNs) throws ErrnoException {
        if (upper != null) return upper;
        parent.copyUp(nowNs);
        String target = lower.isSymlink() ? lower.readlink() : null;
        Dentry d = ((OverlayFs) fs()).upper().addNode(parent.upperDentry(), name, lower.mode(), lower.rdev(), target,
                lower.uid(), lower.gid(), nowNs);
        d.inode().setMode(lower.mode() & 07777, nowNs);
        d.inode().setTimes(lower.atimeNs(), lower.mtimeNs(), nowNs);
        upper = d.inode();
        return upper;
    }

    private void up() {
        try {
            copyUp(Vfs.currentTimeNs());
        } catch (ErrnoException e) {
            throw new IllegalStateException("overlay copy-up failed: " + e.getMessage(), e);
        }
    }

    @Override public int mode() { return cur().mode(); }
    @Override public int uid() { return cur().uid(); }
    @Override public int gid() { return cur().gid(); }
    @Override public long nlink() { return removed && upper == null ? 0 : cur().nlink(); }
    @Override public long rdev() { return cur().rdev(); }
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

    @Override public String readlink() throws ErrnoException { return cur().readlink(); }
    @Override public String readlink(Process caller) throws ErrnoException { return cur().readlink(caller); }

    @Override
    public void setMode(int permissions, long nowNs) {
        up();
        upper.setMode(permissions, nowNs);
    }

    @Override
    public void setOwner(int uid, int gid, long nowNs) {
        up();
        upper.setOwner(uid, gid, nowNs);
    }

    @Override
    public void setTimes(long atime, long mtime, long nowNs) {
        up();
        upper.setTimes(atime, mtime, nowNs);
    }

    @Override public void touchAtime(long nowNs) { cur().touchAtime(nowNs); }

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
