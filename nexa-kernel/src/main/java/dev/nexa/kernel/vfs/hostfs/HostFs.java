package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.FileSystem;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.StatFs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileStore;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A read-only view of a host directory. Names are looked up on the host one component at a time,
 * lazily, with lstat semantics: a host symlink becomes a link inode whose target the VFS resolves
 * inside the guest's root (an absolute target such as /lib/x86_64-linux-gnu/... means the guest's
 * /lib, never the host's). Inode and device numbers, modes, owners and times are the host's;
 * lookups (positive and negative) are cached per directory, so a path is stat'ed on the host once.
 * Contents are read with positional FileChannel reads; channels are kept in a small LRU so mapped
 * libraries do not reopen their file on every page fault while the host's descriptor count stays
 * bounded. Every change is EROFS.
 */
public final class HostFs extends FileSystem {
    private static final int MAX_CHANNELS = 64;

    private final Path hostRoot;
    private final Dentry root;
    private final Set<String> syntheticRootDirs;
    private final String storeType;
    private final Map<HostFile, FileChannel> channels = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<HostFile, FileChannel> eldest) {
            if (size() <= MAX_CHANNELS) return false;
            closeQuietly(eldest.getValue());
            return true;
        }
    };

    /**
     * @param hostRoot          the host directory the guest sees as this file system's root
     * @param syntheticRootDirs names that appear as empty directories at the root when the host
     *                          directory lacks them (mount points such as proc, dev, tmp)
     */
    public HostFs(Path hostRoot, Set<String> syntheticRootDirs) throws ErrnoException {
        super(storeType(hostRoot), 0);
        this.hostRoot = hostRoot.toAbsolutePath().normalize();
        this.syntheticRootDirs = Set.copyOf(syntheticRootDirs);
        this.storeType = type();
        HostStat.Attrs attrs = HostStat.lstat(this.hostRoot);
        if (attrs.type() != Stat.S_IFDIR) {
            throw new ErrnoException(Errno.ENOTDIR, hostRoot + " is not a directory");
        }
        this.root = Dentry.root(new HostDir(this, this.hostRoot, attrs, true));
    }

    private static String storeType(Path p) {
        try {
            return Files.getFileStore(p).type();
        } catch (IOException e) {
            return "hostfs";
        }
    }

    public Path hostRoot() { return hostRoot; }

    /**
     * What /proc/mounts names as the source of this mount: the host's own source when the
     * directory is a host mount point (so df shows "/dev/vda" for the host's root, as natively),
     * else the directory itself.
     */
    public String source() {
        String found = hostRoot.toString();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mounts"))) {
                String[] f = line.split(" ");
                if (f.length >= 2 && unescape(f[1]).equals(hostRoot.toString())) found = unescape(f[0]);
            }
        } catch (IOException | RuntimeException e) {
            // no host mount table: keep the directory's name
        }
        return found;
    }

    /** /proc/mounts writes space, tab, newline and backslash as octal escapes (seq_escape). */
    private static String unescape(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 3 < s.length() && s.substring(i + 1, i + 4).matches("[0-7]{3}")) {
                b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public Dentry root() { return root; }

    @Override
    public boolean readOnly() { return true; }

    boolean synthetic(String name) { return syntheticRootDirs.contains(name); }

    Set<String> syntheticNames() { return syntheticRootDirs; }

    @Override
    public StatFs statfs() {
        long total = 0, free = 0, avail = 0;
        try {
            FileStore s = Files.getFileStore(hostRoot);
            total = s.getTotalSpace();
            free = s.getUnallocatedSpace();
            avail = s.getUsableSpace();
        } catch (IOException ignored) {
            // report zeros, as a file system without block accounting does
        }
        return new StatFs(magic(storeType), 4096, total / 4096, free / 4096, avail / 4096, 0, 0,
                root.inode().dev(), 255);
    }

    /** f_type for the host's file system type (linux/magic.h). */
    static long magic(String type) {
        return switch (type) {
            case "ext2", "ext3", "ext4" -> StatFs.EXT4_SUPER_MAGIC;
            case "xfs" -> 0x58465342L;
            case "btrfs" -> 0x9123683EL;
            case "tmpfs" -> StatFs.TMPFS_MAGIC;
            case "overlay" -> 0x794c7630L;
            case "zfs" -> 0x2fc12fc1L;
            case "nfs", "nfs4" -> 0x6969L;
            case "vfat" -> 0x4d44L;
            case "9p" -> 0x01021997L;
            default -> StatFs.EXT4_SUPER_MAGIC;
        };
    }

    // ---- host access -----------------------------------------------------------------------------------

    /** The inode for a host object from its lstat attributes. */
    Inode make(Path p, HostStat.Attrs attrs) {
        return switch (attrs.type()) {
            case Stat.S_IFDIR -> new HostDir(this, p, attrs, false);
            case Stat.S_IFREG -> new HostFile(this, p, attrs);
            case Stat.S_IFLNK -> new HostSymlink(this, p, attrs);
            default -> new HostNode(this, p, attrs);
        };
    }

    FileChannel channel(HostFile f) throws ErrnoException {
        FileChannel ch = channels.get(f);
        if (ch != null && ch.isOpen()) return ch;
        try {
            ch = FileChannel.open(f.hostPath(), StandardOpenOption.READ);
        } catch (IOException e) {
            throw errno(e, f.hostPath());
        }
        channels.put(f, ch);
        return ch;
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // nothing to report: it was only read
        }
    }

    static ErrnoException errno(IOException e, Path p) {
        Errno err = switch (e) {
            case NoSuchFileException x -> Errno.ENOENT;
            case AccessDeniedException x -> Errno.EACCES;
            case NotDirectoryException x -> Errno.ENOTDIR;
            case FileSystemLoopException x -> Errno.ELOOP;
            case FileSystemException x when x.getReason() != null && x.getReason().contains("symbolic links") -> Errno.ELOOP;
            default -> Errno.EIO;
        };
        return new ErrnoException(err, "host " + p + ": " + e.getMessage());
    }
}
