package dev.nexa.kernel.vfs.tmpfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.Cred;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.DirInode;
import dev.nexa.kernel.vfs.DirectoryReader;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.Stat;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tmpfs directory. Every entry gets a sequence number when it is added; getdents cookies are
 * those numbers, so a listing in progress keeps its place while entries come and go (new ones
 * appear at the end). st_size is 20 bytes per entry plus two, like shmem's BOGO_DIRENT_SIZE.
 */
final class TmpDir extends DirInode {
    private static final int BOGO_DIRENT_SIZE = 20;

    private record Entry(Dentry dentry, long seq) {}

    private final Map<String, Entry> byName = new HashMap<>();
    private final TreeMap<Long, Entry> bySeq = new TreeMap<>();
    private long nextSeq = 2;

    TmpDir(TmpFs fs, long ino, int mode, int uid, int gid, long nowNs) {
        super(fs, ino, mode, uid, gid, nowNs);
    }

    private TmpFs tmpfs() { return (TmpFs) fs(); }

    @Override
    public long size() { return (byName.size() + 2L) * BOGO_DIRENT_SIZE; }

    @Override
    public Dentry lookup(Process caller, Dentry self, String name) {
        Entry e = byName.get(name);
        return e == null ? null : e.dentry;
    }

    @Override
    public boolean isEmpty() { return byName.isEmpty(); }

    @Override
    public DirectoryReader reader(Dentry self, Process caller) {
        return cookie -> {
            if (cookie == 0) return new DirectoryReader.Entry(ino(), DirectoryReader.DT_DIR, ".", 1);
            if (cookie == 1) return new DirectoryReader.Entry(self.parent().inode().ino(), DirectoryReader.DT_DIR, "..", 2);
            Map.Entry<Long, Entry> e = bySeq.ceilingEntry(cookie);
            if (e == null) return null;
            Inode in = e.getValue().dentry.inode();
            return new DirectoryReader.Entry(in.ino(), Stat.dtype(in.mode()), e.getValue().dentry.name(), e.getKey() + 1);
        };
    }

    void insert(Dentry d) {
        Entry e = new Entry(d, nextSeq++);
        byName.put(d.name(), e);
        bySeq.put(e.seq, e);
    }

    void removeEntry(String name) {
        Entry e = byName.remove(name);
        if (e != null) bySeq.remove(e.seq);
    }

    Dentry add(Dentry self, String name, Inode in, long nowNs) throws ErrnoException {
        if (byName.containsKey(name)) throw new ErrnoException(Errno.EEXIST);
        Dentry d = new Dentry(name, self, in);
        insert(d);
        touchModified(nowNs);
        return d;
    }

    /** inode_init_owner: in a setgid directory new entries take its group, and subdirectories its setgid bit. */
    private int initMode(int mode) {
        if ((this.mode & Stat.S_ISGID) != 0 && (mode & Stat.S_IFMT) == Stat.S_IFDIR) mode |= Stat.S_ISGID;
        return mode;
    }

    @Override
    public Dentry create(Dentry self, String name, int mode, long rdev, Cred cred, long nowNs) throws ErrnoException {
        int gid = groupForNew(cred);
        Inode in = (mode & Stat.S_IFMT) == Stat.S_IFREG
                ? new TmpFile(tmpfs(), tmpfs().nextIno(), mode, cred.uid(), gid, nowNs)
                : new TmpNode(tmpfs(), tmpfs().nextIno(), mode, rdev, cred.uid(), gid, nowNs);
        return add(self, name, in, nowNs);
    }

    @Override
    public Dentry mkdir(Dentry self, String name, int mode, Cred cred, long nowNs) throws ErrnoException {
        TmpDir dir = new TmpDir(tmpfs(), tmpfs().nextIno(), initMode(Stat.S_IFDIR | mode) & 07777, cred.uid(),
                groupForNew(cred), nowNs);
        Dentry d = add(self, name, dir, nowNs);
        nlink++;
        return d;
    }

    @Override
    public Dentry symlink(Dentry self, String name, String target, Cred cred, long nowNs) throws ErrnoException {
        return add(self, name, new TmpSymlink(tmpfs(), tmpfs().nextIno(), target, cred.uid(), groupForNew(cred), nowNs), nowNs);
    }

    @Override
    public Dentry link(Dentry self, String name, Inode target, long nowNs) throws ErrnoException {
        Dentry d = add(self, name, target, nowNs);
        target.setNlink(target.nlink() + 1);
        target.touchChanged(nowNs);
        return d;
    }

    @Override
    public void unlink(Dentry self, Dentry child, long nowNs) {
        removeEntry(child.name());
        child.markUnlinked();
        TmpFs.dropLink(child.inode());
        child.inode().touchChanged(nowNs);
        touchModified(nowNs);
    }

    @Override
    public void rmdir(Dentry self, Dentry child, long nowNs) throws ErrnoException {
        if (!((TmpDir) child.inode()).isEmpty()) throw new ErrnoException(Errno.ENOTEMPTY);
        removeEntry(child.name());
        child.markUnlinked();
        child.inode().setNlink(0);
        child.inode().touchChanged(nowNs);
        nlink--;
        touchModified(nowNs);
    }

    @Override
    public Dentry tmpfile(Dentry self, int mode, Cred cred, long nowNs) {
        TmpFile f = new TmpFile(tmpfs(), tmpfs().nextIno(), mode, cred.uid(), groupForNew(cred), nowNs);
        f.setNlink(0);
        f.detach();
        // Linux names these "#<ino>" in the directory they were made in; they are never in it.
        Dentry d = new Dentry("#" + f.ino(), self, f);
        d.markUnlinked();
        return d;
    }
}
