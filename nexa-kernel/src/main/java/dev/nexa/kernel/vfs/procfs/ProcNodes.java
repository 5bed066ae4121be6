package dev.nexa.kernel.vfs.procfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.DirInode;
import dev.nexa.kernel.vfs.DirectoryReader;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.PathRef;
import dev.nexa.kernel.vfs.SnapshotFile;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.Vfs;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The three kinds of /proc entries: generated files, computed links, and computed directories. */
final class ProcNodes {
    private ProcNodes() {}

    /** Contents made when the file is opened; the caller is the process opening it. */
    @FunctionalInterface
    interface Content {
        byte[] make(Process caller) throws ErrnoException;

        static Content text(TextContent t) {
            return caller -> t.make(caller).getBytes(StandardCharsets.UTF_8);
        }
    }

    @FunctionalInterface
    interface TextContent {
        String make(Process caller) throws ErrnoException;
    }

    @FunctionalInterface
    interface LinkText {
        String make(Process caller) throws ErrnoException;
    }

    @FunctionalInterface
    interface LinkJump {
        PathRef make(Process caller) throws ErrnoException;
    }

    /** Names of a directory's entries now, in listing order. */
    @FunctionalInterface
    interface Names {
        List<String> list() throws ErrnoException;
    }

    /** The inode for a name, or null when there is none. */
    @FunctionalInterface
    interface Child {
        Inode make(String name, Process caller) throws ErrnoException;
    }

    /** A regular file of size 0 whose contents are generated at open (a snapshot, like seq_file). */
    static final class ProcFile extends Inode {
        private final Content content;

        ProcFile(ProcFs fs, String key, int perm, int uid, int gid, Content content) {
            super(fs, fs.inoFor(key), Stat.S_IFREG | perm, uid, gid, fs.bootTimeNs());
            this.content = content;
        }

        @Override
        public OpenFile open(Vfs vfs, PathRef where, int flags, Process caller) throws ErrnoException {
            return new SnapshotFile(where, flags, content.make(caller));
        }
    }

    /**
     * A link: its text for readlink, and optionally a jump (the magic links exe, cwd, root and
     * fd/N, which lead to the object itself rather than to what their text names now).
     */
    static final class ProcLink extends Inode {
        private final LinkText text;
        private final LinkJump jump;

        ProcLink(ProcFs fs, String key, int uid, int gid, LinkText text, LinkJump jump) {
            super(fs, fs.inoFor(key), Stat.S_IFLNK | 0777, uid, gid, fs.bootTimeNs());
            this.text = text;
            this.jump = jump;
        }

        @Override
        public String readlink() throws ErrnoException { return text.make(null); }

        @Override
        public String readlink(Process caller) throws ErrnoException { return text.make(caller); }

        @Override
        public PathRef jump(Process caller) throws ErrnoException { return jump == null ? null : jump.make(caller); }

        @Override
        public long size() { return 0; }
    }

    /** A directory whose entries are computed on each lookup and listing. */
    static final class ProcDir extends DirInode {
        private final Names names;
        private final Child child;
        private final Map<String, Dentry> stable = new HashMap<>();
        private final boolean cache;

        /** @param cache whether children never change (their dentries are then kept) */
        ProcDir(ProcFs fs, String key, int perm, int uid, int gid, Names names, Child child, boolean cache) {
            super(fs, fs.inoFor(key), perm, uid, gid, fs.bootTimeNs());
            this.names = names;
            this.child = child;
            this.cache = cache;
        }

        @Override
        public Dentry lookup(Process caller, Dentry self, String name) throws ErrnoException {
            Dentry d = cache ? stable.get(name) : null;
            if (d != null) return d;
            Inode in = child.make(name, caller);
            if (in == null) return null;
            d = new Dentry(name, self, in);
            if (cache) stable.put(name, d);
            return d;
        }

        @Override
        public boolean isEmpty() throws ErrnoException { return names.list().isEmpty(); }

        /** A snapshot of the names taken now; the cookie is a position in it. */
        @Override
        public DirectoryReader reader(Dentry self, Process caller) throws ErrnoException {
            List<String> list = names.list();
            return cookie -> {
                if (cookie == 0) return new DirectoryReader.Entry(ino(), DirectoryReader.DT_DIR, ".", 1);
                if (cookie == 1) return new DirectoryReader.Entry(self.parent().inode().ino(), DirectoryReader.DT_DIR, "..", 2);
                for (long k = cookie; k - 2 < list.size(); k++) {
                    String name = list.get((int) (k - 2));
                    Dentry d = lookup(caller, self, name);
                    if (d == null) continue;                            // gone since the snapshot
                    return new DirectoryReader.Entry(d.inode().ino(), Stat.dtype(d.inode().mode()), name, k + 1);
                }
                return null;
            };
        }

        /** /proc entries cannot be created or removed by anyone. */
        @Override
        public Dentry create(Dentry self, String name, int mode, long rdev, dev.nexa.kernel.vfs.Cred cred, long nowNs)
                throws ErrnoException {
            throw new ErrnoException(Errno.EACCES);
        }
    }
}
