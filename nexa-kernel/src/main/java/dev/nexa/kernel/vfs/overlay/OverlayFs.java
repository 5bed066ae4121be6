package dev.nexa.kernel.vfs.overlay;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.FileSystem;
import dev.nexa.kernel.vfs.StatFs;
import dev.nexa.kernel.vfs.Vfs;
import dev.nexa.kernel.vfs.tmpfs.TmpFs;

/**
 * A writable tmpfs over a read-only directory, as Linux's overlayfs layers them: names in the
 * upper (memory) layer hide those below; a lower file, directory, symlink or node is copied up
 * into memory the first time it is changed (its parents first); removing a lower name leaves a
 * whiteout; a listing merges both layers. The lower layer is never written. Renaming a
 * directory that has lower contents is EXDEV, as overlayfs answers without redirect_dir, and
 * tools fall back to copying.
 * <p>
 * {@code nexa run} mounts one on /tmp with the host's /tmp below, so a program can read what
 * the host put there while everything it writes stays in the guest's memory.
 */
public final class OverlayFs extends FileSystem {
    private final TmpFs upper;
    private final Dentry root;
    private final String lowerName;

    /** @param lowerName how /proc/mounts names the lower directory */
    public OverlayFs(TmpFs upper, Dentry lowerRoot, String lowerName) {
        super("overlay", FileSystem.anonymousDev());
        this.upper = upper;
        this.lowerName = lowerName;
        this.root = Dentry.root(new OverlayDir(this, upper.root(), lowerRoot, null, "/"));
    }

    TmpFs upper() { return upper; }

    @Override
    public Dentry root() { return root; }

    @Override
    public String options() { return "lowerdir=" + lowerName + ",upperdir=tmpfs"; }

    /** The upper layer's figures: that is where space is used. */
    @Override
    public StatFs statfs() {
        StatFs s = upper.statfs();
        return new StatFs(0x794c7630L, s.bsize(), s.blocks(), s.bfree(), s.bavail(), s.files(), s.ffree(), dev(),
                s.namelen());
    }

    /**
     * Both entries are brought up (a directory with lower contents cannot move: EXDEV), the
     * upper layer renames, and a lower name left behind is whited out.
     */
    @Override
    public void rename(Dentry oldDirD, Dentry old, Dentry newDirD, String newName, Dentry target, int flags, long nowNs)
            throws ErrnoException {
        OverlayDir from = (OverlayDir) oldDirD.inode(), to = (OverlayDir) newDirD.inode();
        if (old.inode() instanceof OverlayDir d && d.hasLowerContents()
                || (flags & Vfs.RENAME_EXCHANGE) != 0 && target.inode() instanceof OverlayDir t && t.hasLowerContents()) {
            throw new ErrnoException(Errno.EXDEV, "overlay: moving a directory with lower contents");
        }
        String oldName = old.name();
        from.copyUp(nowNs);
        to.copyUp(nowNs);
        boolean exchange = (flags & Vfs.RENAME_EXCHANGE) != 0;
        OverlayDir.copyUp(old.inode(), nowNs);
        if (exchange) OverlayDir.copyUp(target.inode(), nowNs);
        Dentry upperOld = from.upperOnly(oldName);
        Dentry upperTarget = to.upperOnly(newName);
        boolean oldHadLower = from.lowerHas(oldName);
        upper.rename(from.upperDentry(), upperOld, to.upperDentry(), newName, upperTarget, flags, nowNs);
        from.forget(oldName);
        to.forget(newName);
        if (oldHadLower && !exchange) from.whiteout(oldName);
        to.unwhiteout(newName);
        if (to.lowerHas(newName) && old.inode() instanceof OverlayDir moved) moved.makeOpaque();
        if (!exchange && target != null) target.markUnlinked();
        old.moveTo(newDirD, newName);
        to.remember(old);
        if (old.inode() instanceof OverlayDir moved) moved.movedTo(to, newName);
        if (exchange) {
            target.moveTo(oldDirD, oldName);
            from.remember(target);
            if (target.inode() instanceof OverlayDir moved) moved.movedTo(from, oldName);
        }
    }
}
