package dev.nexa.kernel.vfs.overlay;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.Cred;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.DirInode;
import dev.nexa.kernel.vfs.DirectoryReader;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.Stat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A merged directory: its upper directory (once it exists) and the lower one below. Attributes
 * are the upper directory's once copied up, the lower one's before. Children found only below
 * come back wrapped ({@link LowerFile}, {@link LowerObject}) so they can be copied up when changed;
 * children in the upper layer are its own inodes.
 */
final class OverlayDir extends DirInode {
    private final OverlayFs ofs;
    private Dentry upper;
    private final Dentry lower;
    private OverlayDir parent;
    private String name;
    private boolean opaque;
    private final Set<String> whiteouts = new HashSet<>();
    private final Map<String, Dentry> children = new HashMap<>();

    OverlayDir(OverlayFs ofs, Dentry upper, Dentry lower, OverlayDir parent, String name) {
        super(ofs, ofs.nextIno(), 0, 0, 0, 0);
        this.ofs = ofs;
        this.upper = upper;
        this.lower = lower;
        this.parent = parent;
        this.name = name;
    }

    private Inode current() { return upper != null ? upper.inode() : lower.inode(); }

    Dentry upperDentry() { return upper; }

    private DirInode upperDir() { return (DirInode) upper.inode(); }

    /** Whether the lower layer contributes entries (then the directory cannot be renamed). */
    boolean hasLowerContents() throws ErrnoException {
        if (lower == null || opaque) return false;
        DirectoryReader r = ((DirInode) lower.inode()).reader(lower, null);
        for (DirectoryReader.Entry e = r.at(2); e != null; e = r.at(e.nextCookie())) {
            if (!whiteouts.contains(e.name())) return true;
        }
        return false;
    }

    void makeOpaque() { opaque = true; }

    void movedTo(OverlayDir newParent, String newName) {
        parent = newParent;
        name = newName;
    }

    // ---- attributes: the current layer's ---------------------------------------------------------

    @Override public int mode() { return current().mode(); }
    @Override public int uid() { return current().uid(); }
    @Override public int gid() { return current().gid(); }
    @Override public long nlink() { return current().nlink(); }
    @Override public long size() { return current().size(); }
    @Override public long blocks() { return current().blocks(); }
    @Override public long atimeNs() { return current().atimeNs(); }
    @Override public long mtimeNs() { return current().mtimeNs(); }
    @Override public long ctimeNs() { return current().ctimeNs(); }

    @Override
    public void setMode(int permissions, long nowNs) {
        upOrFail(nowNs);
        upper.inode().setMode(permissions, nowNs);
    }

    @Override
    public void setOwner(int uid, int gid, long nowNs) {
        upOrFail(nowNs);
        upper.inode().setOwner(uid, gid, nowNs);
    }

    @Override
    public void setTimes(long atime, long mtime, long nowNs) {
        upOrFail(nowNs);
        upper.inode().setTimes(atime, mtime, nowNs);
    }

    @Override
    public void touchAtime(long nowNs) {
        if (upper != null) upper.inode().touchAtime(nowNs);
    }

    @Override
    public void touchModified(long nowNs) {
        if (upper != null) upper.inode().touchModified(nowNs);
    }

    @Override
    public void touchChanged(long nowNs) {
        if (upper != null) upper.inode().touchChanged(nowNs);
    }

    @Override
    public void setNlink(long n) {
        if (upper != null) upper.inode().setNlink(n);
    }

    // Extended attributes: the current layer's; a change copies the directory up first.
    @Override public byte[] getxattr(String n) throws ErrnoException { return current().getxattr(n); }
    @Override public java.util.List<String> listxattr() throws ErrnoException { return current().listxattr(); }

    @Override
    public void setxattr(String n, byte[] value, int flags, long nowNs) throws ErrnoException {
        copyUp(nowNs);
        upper.inode().setxattr(n, value, flags, nowNs);
    }

    @Override
    public void removexattr(String n, long nowNs) throws ErrnoException {
        copyUp(nowNs);
        upper.inode().removexattr(n, nowNs);
    }

    /** Attribute setters cannot throw; a copy-up that fails (a full tmpfs) is an emulator-level error. */
    private void upOrFail(long nowNs) {
        try {
            copyUp(nowNs);
        } catch (ErrnoException e) {
            throw new IllegalStateException("overlay copy-up of a directory failed: " + e.getMessage(), e);
        }
    }

    /** Makes the upper directory exist (parents first), with the lower one's owner, mode and times. */
    void copyUp(long nowNs) throws ErrnoException {
        if (upper != null) return;
        parent.copyUp(nowNs);
        Dentry existing = parent.upperOnly(name);
        if (existing == null) {
            Inode l = lower.inode();
            existing = ofs.upper().addNode(parent.upper, name, Stat.S_IFDIR | (l.mode() & 07777), 0, null, l.uid(), l.gid(), nowNs);
            existing.inode().setMode(l.mode() & 07777, nowNs);
            existing.inode().setTimes(l.atimeNs(), l.mtimeNs(), nowNs);
        }
        upper = existing;
    }

    // ---- names -----------------------------------------------------------------------------------------

    /** The upper layer's entry for {@code n}, or null. */
    Dentry upperOnly(String n) throws ErrnoException {
        return upper == null ? null : upperDir().lookup(null, upper, n);
    }

    /** Brings a merged entry's object into the upper layer. */
    static void copyUp(Inode in, long nowNs) throws ErrnoException {
        switch (in) {
            case LowerObject lo -> lo.copyUp(nowNs);
            case LowerFile lf -> lf.copyUp(nowNs);
            case OverlayDir od -> od.copyUp(nowNs);
            default -> { }
        }
    }

    boolean lowerHas(String n) throws ErrnoException {
        if (lower == null || opaque) return false;
        return ((DirInode) lower.inode()).lookup(null, lower, n) != null;
    }

    void forget(String n) { children.remove(n); }

    void remember(Dentry d) { children.put(d.name(), d); }

    void whiteout(String n) { whiteouts.add(n); }

    void unwhiteout(String n) { whiteouts.remove(n); }

    @Override
    public Dentry lookup(Process caller, Dentry self, String n) throws ErrnoException {
        Dentry d = children.get(n);
        if (d != null) return d;
        Dentry u = upperOnly(n);
        Dentry l = whiteouts.contains(n) || lower == null || opaque ? null : ((DirInode) lower.inode()).lookup(caller, lower, n);
        if (u == null && l == null) return null;
        Inode in;
        if (u != null) {
            in = u.inode().isDirectory()
                    ? new OverlayDir(ofs, u, l != null && l.inode().isDirectory() ? l : null, this, n)
                    : u.inode();
        } else if (l.inode().isDirectory()) {
            in = new OverlayDir(ofs, null, l, this, n);
        } else if (l.inode().isRegular()) {
            in = new LowerFile(ofs, (dev.nexa.kernel.vfs.FileInode) l.inode(), this, n);
        } else {
            in = new LowerObject(ofs, l.inode(), this, n);
        }
        d = new Dentry(n, self, in);
        children.put(n, d);
        return d;
    }

    /** Every visible name: the upper layer's, then the lower layer's not hidden by them or by whiteouts. */
    private List<String> names() throws ErrnoException {
        Set<String> names = new LinkedHashSet<>();
        if (upper != null) {
            DirectoryReader r = upperDir().reader(upper, null);
            for (DirectoryReader.Entry e = r.at(2); e != null; e = r.at(e.nextCookie())) names.add(e.name());
        }
        if (lower != null && !opaque) {
            DirectoryReader r = ((DirInode) lower.inode()).reader(lower, null);
            for (DirectoryReader.Entry e = r.at(2); e != null; e = r.at(e.nextCookie())) {
                if (!whiteouts.contains(e.name())) names.add(e.name());
            }
        }
        return new ArrayList<>(names);
    }

    @Override
    public boolean isEmpty() throws ErrnoException { return names().isEmpty(); }

    @Override
    public DirectoryReader reader(Dentry self, Process caller) throws ErrnoException {
        List<String> list = names();
        return cookie -> {
            if (cookie == 0) return new DirectoryReader.Entry(ino(), DirectoryReader.DT_DIR, ".", 1);
            if (cookie == 1) return new DirectoryReader.Entry(self.parent().inode().ino(), DirectoryReader.DT_DIR, "..", 2);
            for (long k = cookie; k - 2 < list.size(); k++) {
                Dentry d = lookup(caller, self, list.get((int) (k - 2)));
                if (d == null) continue;
                return new DirectoryReader.Entry(d.inode().stat().ino(), Stat.dtype(d.inode().mode()), d.name(), k + 1);
            }
            return null;
        };
    }

    // ---- changes: in the upper layer ------------------------------------------------------------------------

    private Dentry adopt(Dentry self, Dentry up) {
        Inode in = up.inode().isDirectory() ? opaqueDir(up) : up.inode();
        Dentry d = new Dentry(up.name(), self, in);
        whiteouts.remove(up.name());
        children.put(up.name(), d);
        return d;
    }

    /** A directory made where a lower one was removed must not show the old contents. */
    private OverlayDir opaqueDir(Dentry up) {
        OverlayDir d = new OverlayDir(ofs, up, null, this, up.name());
        d.opaque = true;
        return d;
    }

    @Override
    public Dentry create(Dentry self, String n, int mode, long rdev, Cred cred, long nowNs) throws ErrnoException {
        copyUp(nowNs);
        return adopt(self, upperDir().create(upper, n, mode, rdev, cred, nowNs));
    }

    @Override
    public Dentry mkdir(Dentry self, String n, int mode, Cred cred, long nowNs) throws ErrnoException {
        copyUp(nowNs);
        return adopt(self, upperDir().mkdir(upper, n, mode, cred, nowNs));
    }

    @Override
    public Dentry symlink(Dentry self, String n, String target, Cred cred, long nowNs) throws ErrnoException {
        copyUp(nowNs);
        return adopt(self, upperDir().symlink(upper, n, target, cred, nowNs));
    }

    @Override
    public Dentry link(Dentry self, String n, Inode target, long nowNs) throws ErrnoException {
        copyUp(nowNs);
        Inode real = switch (target) {
            case LowerObject lo -> lo.copyUp(nowNs);
            case LowerFile lf -> lf.copyUp(nowNs);
            default -> target;
        };
        return adopt(self, upperDir().link(upper, n, real, nowNs));
    }

    @Override
    public void unlink(Dentry self, Dentry child, long nowNs) throws ErrnoException {
        remove(child, false, nowNs);
    }

    @Override
    public void rmdir(Dentry self, Dentry child, long nowNs) throws ErrnoException {
        if (!((DirInode) child.inode()).isEmpty()) throw new ErrnoException(Errno.ENOTEMPTY);
        remove(child, true, nowNs);
    }

    private void remove(Dentry child, boolean dir, long nowNs) throws ErrnoException {
        String n = child.name();
        copyUp(nowNs);
        boolean below = lowerHas(n);
        Dentry u = upperOnly(n);
        if (u != null) {
            if (dir) {
                // Whiteouts in the child are only in memory: its upper directory is empty in the tmpfs.
                upperDir().rmdir(upper, u, nowNs);
            } else {
                upperDir().unlink(upper, u, nowNs);
            }
        } else {
            upper.inode().touchModified(nowNs);
        }
        if (below) whiteouts.add(n);
        children.remove(n);
        child.markUnlinked();
        if (child.inode() instanceof LowerObject lo) lo.removed();
        if (child.inode() instanceof LowerFile lf) lf.removed();
    }
}
