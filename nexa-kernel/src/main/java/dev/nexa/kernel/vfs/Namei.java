package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Iterator;

/**
 * Path resolution for one system call (fs/namei.c link_path_walk and friends): components are
 * walked from the caller's root (absolute paths and absolute symlink targets) or a start directory;
 * every directory passed needs search permission; "." stays, ".." goes to the parent but never
 * above the caller's root, and crosses mounts in both directions; symlinks in the middle are always
 * followed, the last one when asked (or when a trailing slash demands a directory); 40 symlinks per
 * resolution at most (MAXSYMLINKS), then ELOOP. One instance counts the links of one call, so an
 * O_CREAT open that follows a dangling final link continues with the same budget.
 */
final class Namei {
    static final int PATH_MAX = 4096, NAME_MAX = 255, MAXSYMLINKS = 40;

    enum LastType { NORM, DOT, DOTDOT, ROOT }

    /** The directory a path's last component lives in, and that component (not looked up). */
    record Parent(PathRef dir, String name, LastType type, boolean trailingSlash) {}

    private record Comp(String name, boolean slash) {}

    private final Vfs vfs;
    private final Process caller;
    private final Cred cred;
    private final PathRef root;
    private int links;

    Namei(Vfs vfs, Process caller, Cred cred) {
        this.vfs = vfs;
        this.caller = caller;
        this.cred = cred;
        this.root = vfs.rootOf(caller);
    }

    PathRef root() { return root; }

    /** One more symlink followed: ELOOP past MAXSYMLINKS. */
    void countLink() throws ErrnoException {
        if (++links > MAXSYMLINKS) throw new ErrnoException(Errno.ELOOP);
    }

    /** Resolves {@code path} completely; the last component must exist. */
    PathRef walk(PathRef start, String path, boolean followLast, boolean dirLast) throws ErrnoException {
        return (PathRef) run(start, path, false, followLast, dirLast);
    }

    /** Resolves all but the last component (LOOKUP_PARENT). */
    Parent walkParent(PathRef start, String path) throws ErrnoException {
        return (Parent) run(start, path, true, false, false);
    }

    static void checkPathLength(String path) throws ErrnoException {
        if (path.length() >= PATH_MAX / 3 && path.getBytes(StandardCharsets.UTF_8).length >= PATH_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
    }

    static void checkNameLength(String name) throws ErrnoException {
        if (name.length() > NAME_MAX / 3 && name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            throw new ErrnoException(Errno.ENAMETOOLONG);
        }
    }

    private Object run(PathRef start, String path, boolean parentMode, boolean followLast, boolean dirLast)
            throws ErrnoException {
        checkPathLength(path);
        if (path.isEmpty()) throw new ErrnoException(Errno.ENOENT);
        ArrayDeque<Comp> comps = new ArrayDeque<>();
        split(path, comps, false);
        PathRef cur = path.charAt(0) == '/' ? root : start;
        if (comps.isEmpty()) {                                     // "/", "//", ...
            return parentMode ? new Parent(cur, "/", LastType.ROOT, true) : cur;
        }
        while (true) {
            // may_lookup, after the previous component proved to be a directory (d_can_lookup)
            Inode dirInode = cur.inode();
            if (!dirInode.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
            Permission.check(cred, dirInode, Permission.MAY_EXEC);
            Comp c = comps.pollFirst();
            boolean last = comps.isEmpty();
            LastType type = c.name.equals(".") ? LastType.DOT : c.name.equals("..") ? LastType.DOTDOT : LastType.NORM;
            if (last && parentMode) return new Parent(cur, c.name, type, c.slash);
            PathRef next = switch (type) {
                case DOT -> cur;
                case DOTDOT -> dotdot(cur);
                default -> {
                    Dentry d = vfs.lookupChild(caller, cur, c.name);
                    if (d == null) throw new ErrnoException(Errno.ENOENT);
                    yield vfs.followMounts(new PathRef(cur.mount(), d));
                }
            };
            Inode in = next.inode();
            if (in.isSymlink() && (!last || followLast || c.slash)) {
                countLink();
                PathRef jumped = in.jump(caller);
                if (jumped != null) {
                    checkJump(jumped);
                    next = jumped;
                    in = next.inode();
                } else {
                    String target = in.readlink(caller);
                    in.touchAtime(vfs.now());
                    if (target.isEmpty()) throw new ErrnoException(Errno.ENOENT);
                    ArrayDeque<Comp> body = new ArrayDeque<>();
                    split(target, body, c.slash);
                    for (Iterator<Comp> it = body.descendingIterator(); it.hasNext(); ) comps.addFirst(it.next());
                    if (target.charAt(0) == '/') cur = root;
                    if (!body.isEmpty()) continue;
                    next = root;                                 // the link points at "/"
                    in = next.inode();
                }
            }
            if ((c.slash || last && dirLast) && !in.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
            cur = next;
            if (last) return cur;
        }
    }

    /**
     * follow_dotdot: the caller's root is its own parent; at the root of a mount, go to the
     * dentry it is mounted on (repeatedly) before taking the parent; mounts on the result are
     * entered again.
     */
    PathRef dotdot(PathRef cur) {
        while (true) {
            if (cur.equals(root)) return cur;
            if (!cur.isMountRoot()) return vfs.followMounts(new PathRef(cur.mount(), cur.dentry().parent()));
            Mount m = cur.mount();
            if (m.parent() == null) return cur;
            cur = new PathRef(m.parent(), m.mountpoint());
        }
    }

    /**
     * Magic links may not lead a confined process to a directory outside its root (Linux would
     * allow /proc/1/cwd given ptrace rights; Nexa keeps every guest inside its root).
     */
    private void checkJump(PathRef target) throws ErrnoException {
        if (!target.inode().isDirectory() || vfs.isUnder(target, root)) return;
        throw new ErrnoException(Errno.EACCES, "magic link leads outside the root");
    }

    /** Appends the components of {@code path}; {@code slashAfter} marks the last one as followed by "/". */
    private static void split(String path, ArrayDeque<Comp> out, boolean slashAfter) {
        int n = path.length(), i = 0;
        while (i < n) {
            while (i < n && path.charAt(i) == '/') i++;
            if (i >= n) break;
            int s = i;
            while (i < n && path.charAt(i) != '/') i++;
            out.addLast(new Comp(path.substring(s, i), i < n));
        }
        if (slashAfter && !out.isEmpty() && !out.peekLast().slash) {
            Comp l = out.pollLast();
            out.addLast(new Comp(l.name, true));
        }
    }
}
