package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.DirInode;
import dev.nexa.kernel.vfs.DirectoryReader;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.Stat;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A host directory. Children are looked up on the host on first use and remembered (including
 * names that do not exist); the listing is read once, in the host's readdir order, so getdents
 * cookies (positions in that list) stay valid for the whole run.
 */
final class HostDir extends DirInode {
    private final Path hostPath;
    private final long hostDev, size, blocks;
    private final boolean isRoot;
    private final Map<String, Dentry> children = new HashMap<>();
    private final Set<String> missing = new HashSet<>();
    private List<String> listing;

    HostDir(HostFs fs, Path hostPath, HostStat.Attrs attrs, boolean isRoot) {
        super(fs, attrs.ino(), attrs.mode(), attrs.uid(), attrs.gid(), 0);
        this.hostPath = hostPath;
        this.hostDev = attrs.dev();
        this.size = attrs.size();
        this.blocks = attrs.blocks();
        this.isRoot = isRoot;
        HostAttrs.apply(this, attrs);
    }

    /** An empty directory standing in for a missing mount point at the root. */
    private HostDir(HostFs fs, HostDir parent, String name) {
        super(fs, 0x7fff_0000L + name.hashCode() & 0x7fff_ffffL, 0755, 0, 0, parent.mtimeNs());
        this.hostPath = null;
        this.hostDev = parent.hostDev;
        this.size = 0;
        this.blocks = 0;
        this.isRoot = false;
        this.listing = List.of();
        this.setTimes(parent.atimeNs(), parent.mtimeNs(), parent.ctimeNs());
    }

    private HostFs hostfs() { return (HostFs) fs(); }

    @Override
    public long dev() { return hostDev; }

    @Override
    public long size() { return size; }

    @Override
    public long blocks() { return blocks; }

    @Override
    public Dentry lookup(Process caller, Dentry self, String name) throws ErrnoException {
        Dentry d = children.get(name);
        if (d != null || hostPath == null) return d;
        if (missing.contains(name)) return null;
        Path child = hostPath.resolve(name);
        Inode in;
        try {
            in = hostfs().make(child, HostStat.lstat(child));
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENOENT) throw e;
            if (isRoot && hostfs().synthetic(name)) {
                in = new HostDir(hostfs(), this, name);
            } else {
                missing.add(name);
                return null;
            }
        }
        d = new Dentry(name, self, in);
        children.put(name, d);
        return d;
    }

    private List<String> listing() throws ErrnoException {
        if (listing != null) return listing;
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(hostPath)) {
            for (Path p : s) names.add(p.getFileName().toString());
        } catch (IOException e) {
            throw HostFs.errno(e, hostPath);
        }
        if (isRoot) {
            for (String n : hostfs().syntheticNames()) if (!names.contains(n)) names.add(n);
        }
        listing = List.copyOf(names);
        return listing;
    }

    @Override
    public boolean isEmpty() throws ErrnoException { return listing().isEmpty(); }

    @Override
    public DirectoryReader reader(Dentry self, Process caller) throws ErrnoException {
        List<String> names = listing();
        return cookie -> {
            if (cookie == 0) return new DirectoryReader.Entry(ino(), DirectoryReader.DT_DIR, ".", 1);
            if (cookie == 1) return new DirectoryReader.Entry(self.parent().inode().ino(), DirectoryReader.DT_DIR, "..", 2);
            for (long k = cookie; k - 2 < names.size(); k++) {
                String name = names.get((int) (k - 2));
                Dentry d = lookup(caller, self, name);
                if (d == null) continue;                              // vanished on the host meanwhile
                return new DirectoryReader.Entry(d.inode().ino(), Stat.dtype(d.inode().mode()), name, k + 1);
            }
            return null;
        };
    }

    // Extended attributes are the host's (the mount is read-only, so nothing sets them).
    @Override public byte[] getxattr(String name) throws ErrnoException { return HostXattr.get(hostPath, name); }
    @Override public java.util.List<String> listxattr() throws ErrnoException { return HostXattr.list(hostPath); }
}
