package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.pipe.Fifo;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The file system as processes see it: one mount namespace (a tree of {@link Mount}s), path
 * resolution relative to each process's root and working directory, and the path-based
 * operations of the file syscalls with Linux's checks in Linux's order (fs/namei.c, fs/open.c,
 * fs/stat.c). A {@code null} process means the kernel itself: root credentials, the namespace's
 * root and initial working directory.
 * <p>
 * Construction: {@link RootFs} builds the standard trees ({@code nexa run}'s host view, an
 * initramfs); tests and tools can start from any {@link FileSystem} and {@link #mount} more.
 */
public final class Vfs {
    /** AT_FDCWD: "relative to the working directory" for the *at() calls. */
    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EACCESS = 0x200,
            AT_SYMLINK_FOLLOW = 0x400, AT_NO_AUTOMOUNT = 0x800, AT_EMPTY_PATH = 0x1000,
            AT_STATX_SYNC_TYPE = 0x6000;
    public static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2, RENAME_WHITEOUT = 4;
    /** __FMODE_EXEC: an open for execve, checked for MAY_EXEC; open(2) strips it from guest flags. */
    public static final int FMODE_EXEC = 040;
    /** utimensat's UTIME_OMIT as a time argument of {@link #setTimes}: leave that time alone. */
    public static final long TIME_OMIT = Long.MIN_VALUE;
    /** utimensat's UTIME_NOW as a time argument of {@link #setTimes}. */
    public static final long TIME_NOW = Long.MIN_VALUE + 1;
    /** Flags open(2) keeps; anything else a guest passes is ignored (build_open_flags). */
    public static final int VALID_OPEN_FLAGS = 03 | OpenFile.O_CREAT | OpenFile.O_EXCL | OpenFile.O_NOCTTY
            | OpenFile.O_TRUNC | OpenFile.O_APPEND | OpenFile.O_NONBLOCK | OpenFile.O_DSYNC | OpenFile.O_ASYNC
            | OpenFile.O_DIRECT | OpenFile.O_LARGEFILE | OpenFile.O_DIRECTORY | OpenFile.O_NOFOLLOW
            | OpenFile.O_NOATIME | OpenFile.O_CLOEXEC | OpenFile.O_SYNC | OpenFile.O_PATH | OpenFile.O_TMPFILE;

    private record MountKey(Mount parent, Dentry where) {}

    private final Map<MountKey, Mount> mountedOn = new HashMap<>();
    private final List<Mount> mounts = new ArrayList<>();
    private final Mount rootMount;
    private final Devices devices = new Devices();
    private int nextMountId = 21;
    private PathRef initialCwd;
    private Mount pipeMount, socketMount;
    private final dev.nexa.kernel.vfs.socket.UnixNames unixNames = new dev.nexa.kernel.vfs.socket.UnixNames();
    private Cred initialCred = Cred.ROOT;

    public Vfs(FileSystem rootFs, String source) {
        this.rootMount = new Mount(this, nextMountId++, rootFs, null, null, source, 0);
        mounts.add(rootMount);
        this.initialCwd = rootMount.rootRef();
    }

    // ---- the namespace ----------------------------------------------------------------------------

    public Mount rootMount() { return rootMount; }

    public PathRef root() { return rootMount.rootRef(); }

    public Devices devices() { return devices; }

    /** Mounts in the order they were made (/proc/mounts order). */
    public List<Mount> mounts() { return Collections.unmodifiableList(mounts); }

    /** Attaches {@code fs} on the directory at the absolute {@code path}, hiding what was there. */
    public Mount mount(String path, FileSystem fs, String source, int flags) throws ErrnoException {
        PathRef at = new Namei(this, null, Cred.ROOT).walk(root(), path, true, true);
        Mount m = new Mount(this, nextMountId++, fs, at.mount(), at.dentry(), source, flags);
        mountedOn.put(new MountKey(at.mount(), at.dentry()), m);
        mounts.add(m);
        return m;
    }

    /** A mount not attached anywhere (pipefs): its files are reachable only through descriptors. */
    public Mount internalMount(FileSystem fs, String source) {
        return new Mount(this, nextMountId++, fs, null, null, source, 0);
    }

    /**
     * The identity the first process runs as: the host user's for a view of the host (so permission
     * checks agree with the host's), root for a root of its own such as an initramfs.
     */
    public Cred initialCred() { return initialCred; }

    public void setInitialCred(Cred c) { initialCred = c; }

    /** pipefs, where pipe(2) makes its inodes. */
    public Mount pipeMount() {
        if (pipeMount == null) pipeMount = internalMount(new dev.nexa.kernel.vfs.pipe.PipeFs(), "pipe:");
        return pipeMount;
    }

    /** sockfs, where socket(2) makes its inodes. */
    public Mount socketMount() {
        if (socketMount == null) socketMount = internalMount(new dev.nexa.kernel.vfs.socket.SockFs(), "socket:");
        return socketMount;
    }

    /** The names AF_UNIX sockets are bound to in this namespace. */
    public dev.nexa.kernel.vfs.socket.UnixNames unixNames() { return unixNames; }

    /** Where processes without a working directory of their own start (the first process). */
    public void setInitialCwd(String path) throws ErrnoException {
        PathRef ref = new Namei(this, null, Cred.ROOT).walk(root(), path, true, true);
        initialCwd = ref;
    }

    /** Where a new first process starts: {@code path} when it names a directory here, else the root. */
    public PathRef startingDirectory(String path) {
        try {
            return new Namei(this, null, Cred.ROOT).walk(root(), path, true, true);
        } catch (ErrnoException e) {
            return root();
        }
    }

    public PathRef rootOf(Process p) { return p == null || p.root == null ? root() : p.root; }

    public PathRef cwdOf(Process p) { return p == null || p.cwd == null ? initialCwd : p.cwd; }

    /** traverse_mounts: the root of whatever is mounted on {@code ref}, repeatedly. */
    PathRef followMounts(PathRef ref) {
        if (mountedOn.isEmpty()) return ref;
        while (true) {
            Mount m = mountedOn.get(new MountKey(ref.mount(), ref.dentry()));
            if (m == null) return ref;
            ref = m.rootRef();
        }
    }

    /** Whether {@code m} is part of this namespace's tree (pipefs and the like are not). */
    public boolean isAttached(Mount m) {
        for (Mount x = m; x != null; x = x.parent()) if (x == rootMount) return true;
        return false;
    }

    boolean isMountpoint(Mount parent, Dentry d) { return mountedOn.containsKey(new MountKey(parent, d)); }

    /** Whether {@code ref} is {@code top} or below it (through mounts). */
    public boolean isUnder(PathRef ref, PathRef top) {
        PathRef cur = ref;
        while (true) {
            if (cur.equals(top)) return true;
            if (cur.isMountRoot()) {
                Mount m = cur.mount();
                if (m.parent() == null) return false;
                cur = new PathRef(m.parent(), m.mountpoint());
            } else {
                cur = new PathRef(cur.mount(), cur.dentry().parent());
            }
        }
    }

    /** A directory's child by name (ENAMETOOLONG past NAME_MAX), or null. */
    Dentry lookupChild(Process caller, PathRef dir, String name) throws ErrnoException {
        Namei.checkNameLength(name);
        return ((DirInode) dir.inode()).lookup(caller, dir.dentry(), name);
    }

    /** The current time in nanoseconds since the epoch, for timestamps. */
    public long now() { return currentTimeNs(); }

    /** The wall clock in nanoseconds since the epoch (CLOCK_REALTIME). */
    public static long currentTimeNs() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    // ---- names --------------------------------------------------------------------------------------

    /** A path as d_path prints it: relative to {@code viewer}'s root, " (deleted)" once unlinked. */
    public String pathName(PathRef ref, Process viewer) {
        return pathName(ref, rootOf(viewer), true);
    }

    String pathName(PathRef ref, PathRef top, boolean markDeleted) {
        List<String> parts = new ArrayList<>();
        PathRef cur = ref;
        while (!cur.equals(top)) {
            if (cur.isMountRoot()) {
                Mount m = cur.mount();
                if (m.parent() == null) break;
                cur = new PathRef(m.parent(), m.mountpoint());
                continue;
            }
            parts.add(cur.dentry().name());
            cur = new PathRef(cur.mount(), cur.dentry().parent());
        }
        StringBuilder sb = new StringBuilder();
        for (int k = parts.size() - 1; k >= 0; k--) sb.append('/').append(parts.get(k));
        if (sb.isEmpty()) sb.append('/');
        if (markDeleted && ref.dentry().unlinked()) sb.append(" (deleted)");
        return sb.toString();
    }

    /** getcwd(2): ENOENT once the directory is removed; "(unreachable)" when outside the root. */
    public String getcwd(Process p) throws ErrnoException {
        PathRef cwd = cwdOf(p);
        if (cwd.dentry().unlinked()) throw new ErrnoException(Errno.ENOENT);
        PathRef top = rootOf(p);
        String path = pathName(cwd, top, false);
        return isUnder(cwd, top) ? path : "(unreachable)" + path;
    }

    // ---- resolution -----------------------------------------------------------------------------------

    /** The directory a relative path starts from: the working directory or dirfd's file. */
    private PathRef start(Process p, int dirfd, String path) throws ErrnoException {
        if (!path.isEmpty() && path.charAt(0) == '/') return null;       // absolute: dirfd is not even looked at
        if (dirfd == AT_FDCWD) return cwdOf(p);
        OpenFile f = p.files().get(dirfd);
        PathRef at = f.location();
        if (at == null) throw new ErrnoException(Errno.ENOTDIR);
        if (!path.isEmpty() && !at.inode().isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
        return at;
    }

    /**
     * The location {@code path} names, relative to {@code dirfd}: the last symlink followed unless
     * AT_SYMLINK_NOFOLLOW; an empty path with AT_EMPTY_PATH is dirfd's own file.
     */
    public PathRef resolve(Process p, int dirfd, String path, int atFlags) throws ErrnoException {
        if (path.isEmpty() && (atFlags & AT_EMPTY_PATH) != 0) {
            if (dirfd == AT_FDCWD) return cwdOf(p);
            PathRef at = p.files().get(dirfd).location();
            if (at == null) throw new ErrnoException(Errno.EBADF, "descriptor has no file system location");
            return at;
        }
        return new Namei(this, p, Cred.of(p)).walk(start(p, dirfd, path), path,
                (atFlags & AT_SYMLINK_NOFOLLOW) == 0, false);
    }

    /** stat/lstat/fstatat on a path. */
    public Stat stat(Process p, int dirfd, String path, int atFlags) throws ErrnoException {
        return resolve(p, dirfd, path, atFlags).inode().stat();
    }

    // ---- open -----------------------------------------------------------------------------------------

    /** openat(2) for the kernel (exec): a FIFO does not wait for a partner. */
    public OpenFile open(Process p, int dirfd, String path, int flags, int mode) throws ErrnoException {
        return open(null, p, dirfd, path, flags, mode);
    }

    /** openat(2) on behalf of a task (a FIFO open may block it). */
    public OpenFile open(Task t, int dirfd, String path, int flags, int mode) throws ErrnoException {
        return open(t, t.process(), dirfd, path, flags, mode);
    }

    private OpenFile open(Task t, Process p, int dirfd, String path, int flags, int mode) throws ErrnoException {
        if ((flags & OpenFile.O_PATH) != 0) {
            flags &= OpenFile.O_PATH | OpenFile.O_DIRECTORY | OpenFile.O_NOFOLLOW | OpenFile.O_CLOEXEC;
        }
        flags |= OpenFile.O_LARGEFILE;                                  // force_o_largefile() on 64-bit
        if ((flags & OpenFile.O_TMPFILE) == OpenFile.O_TMPFILE) return openTmpfile(p, dirfd, path, flags, mode);
        if ((flags & (OpenFile.O_CREAT | OpenFile.O_DIRECTORY)) == (OpenFile.O_CREAT | OpenFile.O_DIRECTORY)) {
            throw new ErrnoException(Errno.EINVAL);                      // Linux 6.4+: never meaningful
        }
        Cred cred = Cred.of(p);
        Namei nd = new Namei(this, p, cred);
        PathRef start = start(p, dirfd, path);
        boolean created = false;
        PathRef ref;
        if ((flags & OpenFile.O_CREAT) != 0) {
            Namei.Parent par = nd.walkParent(start, path);
            while (true) {
                if (par.type() != Namei.LastType.NORM || par.trailingSlash()) throw new ErrnoException(Errno.EISDIR);
                Dentry d = lookupChild(p, par.dir(), par.name());
                if (d == null) {
                    ref = createFile(p, cred, par, mode);
                    created = true;
                    break;
                }
                if ((flags & OpenFile.O_EXCL) != 0) throw new ErrnoException(Errno.EEXIST);
                ref = followMounts(new PathRef(par.dir().mount(), d));
                if (!ref.inode().isSymlink()) break;
                if ((flags & OpenFile.O_NOFOLLOW) != 0) throw new ErrnoException(Errno.ELOOP);
                nd.countLink();
                PathRef jumped = ref.inode().jump(p);
                if (jumped != null) {
                    ref = jumped;
                    break;
                }
                String target = ref.inode().readlink(p);
                if (target.isEmpty()) throw new ErrnoException(Errno.ENOENT);
                par = nd.walkParent(par.dir(), target);                 // a dangling link creates its target
            }
        } else {
            ref = nd.walk(start, path, (flags & OpenFile.O_NOFOLLOW) == 0, (flags & OpenFile.O_DIRECTORY) != 0);
        }
        return openResolved(t, p, cred, ref, flags, created);
    }

    private PathRef createFile(Process p, Cred cred, Namei.Parent par, int mode) throws ErrnoException {
        if (par.dir().mount().readOnly()) throw new ErrnoException(Errno.EROFS);
        mayCreate(cred, par.dir());
        DirInode dir = (DirInode) par.dir().inode();
        int perm = mode & 07777 & ~umask(p);
        Dentry d = dir.create(par.dir().dentry(), par.name(), Stat.S_IFREG | perm, 0, cred, now());
        return new PathRef(par.dir().mount(), d);
    }

    private OpenFile openTmpfile(Process p, int dirfd, String path, int flags, int mode) throws ErrnoException {
        int acc = flags & OpenFile.O_ACCMODE;
        if (acc != OpenFile.O_WRONLY && acc != OpenFile.O_RDWR) throw new ErrnoException(Errno.EINVAL);
        Cred cred = Cred.of(p);
        PathRef dir = new Namei(this, p, cred).walk(start(p, dirfd, path), path, true, true);
        Permission.check(cred, dir, Permission.MAY_WRITE | Permission.MAY_EXEC);
        Dentry d = ((DirInode) dir.inode()).tmpfile(dir.dentry(), mode & 07777 & ~umask(p), cred, now());
        if ((flags & OpenFile.O_EXCL) == 0) d.inode().setLinkable(true);
        return new RegularFile(new PathRef(dir.mount(), d), flags & ~OpenFile.O_TMPFILE | OpenFile.O_LARGEFILE, cred);
    }

    /** do_open/may_open on a resolved location, then the open by file type. */
    OpenFile openResolved(Task t, Process p, Cred cred, PathRef ref, int flags, boolean created) throws ErrnoException {
        Inode in = ref.inode();
        if ((flags & OpenFile.O_PATH) != 0) {
            if ((flags & OpenFile.O_DIRECTORY) != 0 && !in.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
            return new PathFile(ref, flags);
        }
        int acc = flags & OpenFile.O_ACCMODE;
        boolean wantWrite = acc == OpenFile.O_WRONLY || acc == OpenFile.O_RDWR;
        if (in.isDirectory() && ((flags & OpenFile.O_CREAT) != 0 || wantWrite)) throw new ErrnoException(Errno.EISDIR);
        if ((flags & OpenFile.O_DIRECTORY) != 0 && !in.isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
        if (!created) {
            int mask = 0;
            if (acc == OpenFile.O_RDONLY || acc == OpenFile.O_RDWR || acc == 3) mask |= Permission.MAY_READ;
            if (wantWrite || acc == 3 || (flags & OpenFile.O_TRUNC) != 0) mask |= Permission.MAY_WRITE;
            if ((flags & FMODE_EXEC) != 0) mask |= Permission.MAY_EXEC;
            mayOpen(cred, ref, mask);
            if ((flags & OpenFile.O_NOATIME) != 0 && !Permission.ownerOrRoot(cred, in)) {
                throw new ErrnoException(Errno.EPERM);
            }
            if ((flags & OpenFile.O_TRUNC) != 0 && in instanceof FileInode f) {
                f.truncate(0);
                f.touchModified(now());
                killPrivileges(cred, f);
            }
        }
        int keep = flags & ~(OpenFile.O_CREAT | OpenFile.O_EXCL | OpenFile.O_NOCTTY | OpenFile.O_TRUNC | FMODE_EXEC);
        OpenFile own = in.open(this, ref, keep, p);
        if (own != null) return own;
        return switch (in.type()) {
            case Stat.S_IFREG -> new RegularFile(ref, keep, cred);
            case Stat.S_IFDIR -> new DirectoryFile(ref, keep, p);
            case Stat.S_IFCHR -> devices.open(t, p, ref, keep | (flags & OpenFile.O_NOCTTY));   // tty_open looks at it
            case Stat.S_IFIFO -> Fifo.open(t, this, ref, keep, cred);
            case Stat.S_IFLNK -> throw new ErrnoException(Errno.ELOOP);
            default -> throw new ErrnoException(Errno.ENXIO);            // block devices, sockets
        };
    }

    /** may_open: what the file type allows, then the permission bits. */
    private static void mayOpen(Cred cred, PathRef ref, int mask) throws ErrnoException {
        Inode in = ref.inode();
        switch (in.type()) {
            case Stat.S_IFLNK -> throw new ErrnoException(Errno.ELOOP);
            case Stat.S_IFDIR -> {
                if ((mask & Permission.MAY_WRITE) != 0) throw new ErrnoException(Errno.EISDIR);
                if ((mask & Permission.MAY_EXEC) != 0) throw new ErrnoException(Errno.EACCES);
            }
            case Stat.S_IFCHR, Stat.S_IFBLK -> {
                if (ref.mount().noDev()) throw new ErrnoException(Errno.EACCES);
                if ((mask & Permission.MAY_EXEC) != 0) throw new ErrnoException(Errno.EACCES);
            }
            case Stat.S_IFIFO, Stat.S_IFSOCK -> {
                if ((mask & Permission.MAY_EXEC) != 0) throw new ErrnoException(Errno.EACCES);
            }
            case Stat.S_IFREG -> {
                if ((mask & Permission.MAY_EXEC) != 0 && ref.mount().noExec()) throw new ErrnoException(Errno.EACCES);
            }
            default -> { }
        }
        Permission.check(cred, ref, mask);
    }

    /** A write or truncate by a non-root user drops setuid, and setgid when group-executable (file_remove_privs). */
    static void killPrivileges(Cred cred, Inode in) {
        if (cred.isRoot()) return;
        int m = in.mode();
        int kill = 0;
        if ((m & Stat.S_ISUID) != 0) kill |= Stat.S_ISUID;
        if ((m & (Stat.S_ISGID | Stat.S_IXGRP)) == (Stat.S_ISGID | Stat.S_IXGRP)) kill |= Stat.S_ISGID;
        if (kill != 0) in.setMode(m & 07777 & ~kill, in.ctimeNs());
    }

    private static int umask(Process p) { return p == null ? 022 : p.umask; }

    // ---- creation: mkdir, mknod, symlink, link ---------------------------------------------------------

    /**
     * filename_create: "." / ".." / "/" as the last component and existing names are EEXIST,
     * "name/" for something other than a directory is ENOENT, then EROFS, then may_create.
     */
    private Namei.Parent filenameCreate(Namei.Parent par, Process p, Cred cred, boolean wantDir) throws ErrnoException {
        if (par.type() != Namei.LastType.NORM) throw new ErrnoException(Errno.EEXIST);
        if (lookupChild(p, par.dir(), par.name()) != null) throw new ErrnoException(Errno.EEXIST);
        if (par.trailingSlash() && !wantDir) throw new ErrnoException(Errno.ENOENT);
        if (par.dir().mount().readOnly()) throw new ErrnoException(Errno.EROFS);
        mayCreate(cred, par.dir());
        return par;
    }

    /** may_create: a removed directory takes no new entries; then write and search permission. */
    private static void mayCreate(Cred cred, PathRef dir) throws ErrnoException {
        if (dir.dentry().unlinked()) throw new ErrnoException(Errno.ENOENT);
        Permission.check(cred, dir.inode(), Permission.MAY_WRITE | Permission.MAY_EXEC);
    }

    public void mkdir(Process p, int dirfd, String path, int mode) throws ErrnoException {
        Cred cred = Cred.of(p);
        Namei.Parent par = filenameCreate(new Namei(this, p, cred).walkParent(start(p, dirfd, path), path), p, cred, true);
        ((DirInode) par.dir().inode()).mkdir(par.dir().dentry(), par.name(), mode & 01777 & ~umask(p), cred, now());
    }

    /** mknod(2): regular files, FIFOs and sockets for anyone, device nodes for root only. */
    public void mknod(Process p, int dirfd, String path, int mode, long dev) throws ErrnoException {
        int type = mode & Stat.S_IFMT;
        if (type == 0) type = Stat.S_IFREG;
        switch (type) {
            case Stat.S_IFREG, Stat.S_IFCHR, Stat.S_IFBLK, Stat.S_IFIFO, Stat.S_IFSOCK -> { }
            case Stat.S_IFDIR -> throw new ErrnoException(Errno.EPERM);
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        Cred cred = Cred.of(p);
        Namei.Parent par = filenameCreate(new Namei(this, p, cred).walkParent(start(p, dirfd, path), path), p, cred, false);
        if ((type == Stat.S_IFCHR || type == Stat.S_IFBLK) && !cred.isRoot()) throw new ErrnoException(Errno.EPERM);
        int perm = mode & 07777 & ~umask(p);
        ((DirInode) par.dir().inode()).create(par.dir().dentry(), par.name(), type | perm,
                type == Stat.S_IFCHR || type == Stat.S_IFBLK ? dev : 0, cred, now());
    }

    public void symlink(Process p, String target, int dirfd, String path) throws ErrnoException {
        if (target.isEmpty()) throw new ErrnoException(Errno.ENOENT);
        Namei.checkPathLength(target);
        Cred cred = Cred.of(p);
        Namei.Parent par = filenameCreate(new Namei(this, p, cred).walkParent(start(p, dirfd, path), path), p, cred, false);
        ((DirInode) par.dir().inode()).symlink(par.dir().dentry(), par.name(), target, cred, now());
    }

    /** linkat(2): AT_SYMLINK_FOLLOW follows a final symlink of the old path; AT_EMPTY_PATH links dirfd's file. */
    public void link(Process p, int olddirfd, String oldpath, int newdirfd, String newpath, int flags) throws ErrnoException {
        if ((flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) != 0) throw new ErrnoException(Errno.EINVAL);
        Cred cred = Cred.of(p);
        if ((flags & AT_EMPTY_PATH) != 0 && oldpath.isEmpty() && !cred.isRoot()) throw new ErrnoException(Errno.ENOENT);
        PathRef old = resolve(p, olddirfd, oldpath,
                ((flags & AT_SYMLINK_FOLLOW) != 0 ? 0 : AT_SYMLINK_NOFOLLOW) | (flags & AT_EMPTY_PATH));
        Namei.Parent par = filenameCreate(new Namei(this, p, cred).walkParent(start(p, newdirfd, newpath), newpath),
                p, cred, false);
        if (old.mount() != par.dir().mount()) throw new ErrnoException(Errno.EXDEV);
        Inode in = old.inode();
        if (in.isDirectory()) throw new ErrnoException(Errno.EPERM);
        if (in.nlink() == 0 && !in.linkable()) throw new ErrnoException(Errno.ENOENT);
        ((DirInode) par.dir().inode()).link(par.dir().dentry(), par.name(), in, now());
        in.setLinkable(false);
    }

    // ---- removal and renaming ----------------------------------------------------------------------------

    /** may_delete: search+write on the directory, the sticky rule, and the type the call expects. */
    private void mayDelete(Cred cred, PathRef dir, Dentry victim, boolean isDir) throws ErrnoException {
        Permission.check(cred, dir.inode(), Permission.MAY_WRITE | Permission.MAY_EXEC);
        Permission.checkSticky(cred, dir.inode(), victim.inode());
        if (isDir) {
            if (!victim.inode().isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
        } else if (victim.inode().isDirectory()) {
            throw new ErrnoException(Errno.EISDIR);
        }
        if (dir.dentry().unlinked()) throw new ErrnoException(Errno.ENOENT);
    }

    public void unlink(Process p, int dirfd, String path) throws ErrnoException {
        Cred cred = Cred.of(p);
        Namei.Parent par = new Namei(this, p, cred).walkParent(start(p, dirfd, path), path);
        if (par.type() != Namei.LastType.NORM) throw new ErrnoException(Errno.EISDIR);
        if (par.dir().mount().readOnly()) throw new ErrnoException(Errno.EROFS);
        Dentry d = lookupChild(p, par.dir(), par.name());
        if (d == null) throw new ErrnoException(Errno.ENOENT);
        if (par.trailingSlash()) throw new ErrnoException(d.inode().isDirectory() ? Errno.EISDIR : Errno.ENOTDIR);
        mayDelete(cred, par.dir(), d, false);
        if (isMountpoint(par.dir().mount(), d)) throw new ErrnoException(Errno.EBUSY);
        ((DirInode) par.dir().inode()).unlink(par.dir().dentry(), d, now());
    }

    public void rmdir(Process p, int dirfd, String path) throws ErrnoException {
        Cred cred = Cred.of(p);
        Namei.Parent par = new Namei(this, p, cred).walkParent(start(p, dirfd, path), path);
        switch (par.type()) {
            case DOTDOT -> throw new ErrnoException(Errno.ENOTEMPTY);
            case DOT -> throw new ErrnoException(Errno.EINVAL);
            case ROOT -> throw new ErrnoException(Errno.EBUSY);
            default -> { }
        }
        if (par.dir().mount().readOnly()) throw new ErrnoException(Errno.EROFS);
        Dentry d = lookupChild(p, par.dir(), par.name());
        if (d == null) throw new ErrnoException(Errno.ENOENT);
        mayDelete(cred, par.dir(), d, true);
        if (isMountpoint(par.dir().mount(), d)) throw new ErrnoException(Errno.EBUSY);
        DirInode dir = (DirInode) par.dir().inode();
        if (!((DirInode) d.inode()).isEmpty()) throw new ErrnoException(Errno.ENOTEMPTY);
        dir.rmdir(par.dir().dentry(), d, now());
    }

    /** renameat2(2) with RENAME_NOREPLACE and RENAME_EXCHANGE (do_renameat2, vfs_rename). */
    public void rename(Process p, int olddirfd, String oldpath, int newdirfd, String newpath, int flags)
            throws ErrnoException {
        if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE | RENAME_WHITEOUT)) != 0) throw new ErrnoException(Errno.EINVAL);
        if ((flags & (RENAME_NOREPLACE | RENAME_WHITEOUT)) != 0 && (flags & RENAME_EXCHANGE) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & RENAME_WHITEOUT) != 0) throw new ErrnoException(Errno.EINVAL, "whiteouts are for overlayfs");
        boolean exchange = (flags & RENAME_EXCHANGE) != 0;
        Cred cred = Cred.of(p);
        Namei.Parent from = new Namei(this, p, cred).walkParent(start(p, olddirfd, oldpath), oldpath);
        Namei.Parent to = new Namei(this, p, cred).walkParent(start(p, newdirfd, newpath), newpath);
        if (from.dir().mount() != to.dir().mount()) throw new ErrnoException(Errno.EXDEV);
        if (from.type() != Namei.LastType.NORM) throw new ErrnoException(Errno.EBUSY);
        if (to.type() != Namei.LastType.NORM) {
            throw new ErrnoException((flags & RENAME_NOREPLACE) != 0 ? Errno.EEXIST : Errno.EBUSY);
        }
        if (from.dir().mount().readOnly()) throw new ErrnoException(Errno.EROFS);
        Dentry old = lookupChild(p, from.dir(), from.name());
        if (old == null) throw new ErrnoException(Errno.ENOENT);
        Dentry target = lookupChild(p, to.dir(), to.name());
        if ((flags & RENAME_NOREPLACE) != 0 && target != null) throw new ErrnoException(Errno.EEXIST);
        if (exchange) {
            if (target == null) throw new ErrnoException(Errno.ENOENT);
            if (!target.inode().isDirectory() && to.trailingSlash()) throw new ErrnoException(Errno.ENOTDIR);
        }
        if (!old.inode().isDirectory() && (from.trailingSlash() || !exchange && to.trailingSlash())) {
            throw new ErrnoException(Errno.ENOTDIR);
        }
        // lock_rename's trap: no directory moves below itself, no target is an ancestor of the source.
        if (old.isAncestorOf(to.dir().dentry())) throw new ErrnoException(Errno.EINVAL);
        if (target != null && target.isAncestorOf(from.dir().dentry())) {
            throw new ErrnoException(exchange ? Errno.EINVAL : Errno.ENOTEMPTY);
        }
        if (target != null && target.inode() == old.inode()) return;      // two names of one file: nothing to do
        boolean oldIsDir = old.inode().isDirectory();
        mayDelete(cred, from.dir(), old, oldIsDir);
        if (target == null) {
            mayCreate(cred, to.dir());
        } else {
            mayDelete(cred, to.dir(), target, exchange ? target.inode().isDirectory() : oldIsDir);
        }
        boolean newDir = from.dir().dentry() != to.dir().dentry();
        if (newDir) {
            // Moving a directory rewrites its "..": that needs write permission on it.
            if (oldIsDir) Permission.check(cred, old.inode(), Permission.MAY_WRITE);
            if (exchange && target.inode().isDirectory()) Permission.check(cred, target.inode(), Permission.MAY_WRITE);
        }
        if (isMountpoint(from.dir().mount(), old) || target != null && isMountpoint(to.dir().mount(), target)) {
            throw new ErrnoException(Errno.EBUSY);
        }
        if (!exchange && target != null && oldIsDir && !((DirInode) target.inode()).isEmpty()) {
            throw new ErrnoException(Errno.ENOTEMPTY);
        }
        from.dir().mount().fs().rename(from.dir().dentry(), old, to.dir().dentry(), to.name(), target, flags, now());
    }

    // ---- attributes -------------------------------------------------------------------------------------

    /** chmod/fchmod/fchmodat: owner or root; a non-member of the file's group loses S_ISGID. */
    public void chmod(Process p, PathRef ref, int mode) throws ErrnoException {
        if (ref.mount().readOnly()) throw new ErrnoException(Errno.EROFS);
        Cred cred = Cred.of(p);
        Inode in = ref.inode();
        if (!Permission.ownerOrRoot(cred, in)) throw new ErrnoException(Errno.EPERM);
        int m = mode & 07777;
        if (!cred.isRoot() && !cred.inGroup(in.gid())) m &= ~Stat.S_ISGID;
        in.setMode(m, now());
    }

    /**
     * chown family (-1 keeps a field): only root changes the owner; the owner may change the group
     * to one of its own; non-directories lose setuid, and setgid when group-executable.
     */
    public void chown(Process p, PathRef ref, int uid, int gid) throws ErrnoException {
        if (ref.mount().readOnly()) throw new ErrnoException(Errno.EROFS);
        Cred cred = Cred.of(p);
        Inode in = ref.inode();
        int newUid = uid == -1 ? in.uid() : uid, newGid = gid == -1 ? in.gid() : gid;
        if (!cred.isRoot()) {
            boolean owner = cred.uid() == in.uid();
            if (newUid != in.uid() || !owner) throw new ErrnoException(Errno.EPERM);
            if (newGid != in.gid() && !cred.inGroup(newGid)) throw new ErrnoException(Errno.EPERM);
        }
        long now = now();
        if (!in.isDirectory()) {
            int m = in.mode();
            int kill = Stat.S_ISUID;
            if ((m & (Stat.S_ISGID | Stat.S_IXGRP)) == (Stat.S_ISGID | Stat.S_IXGRP)) kill |= Stat.S_ISGID;
            if ((m & kill) != 0) in.setMode(m & 07777 & ~kill, now);
        }
        in.setOwner(newUid, newGid, now);
    }

    /**
     * utimensat: TIME_NOW for both needs ownership or write permission; any explicit time needs
     * ownership (or root). ctime always becomes now.
     */
    public void setTimes(Process p, PathRef ref, long atime, long mtime) throws ErrnoException {
        if (atime == TIME_OMIT && mtime == TIME_OMIT) return;
        if (ref.mount().readOnly()) throw new ErrnoException(Errno.EROFS);
        Cred cred = Cred.of(p);
        Inode in = ref.inode();
        boolean explicit = atime != TIME_NOW && atime != TIME_OMIT || mtime != TIME_NOW && mtime != TIME_OMIT;
        if (!Permission.ownerOrRoot(cred, in)) {
            if (explicit) throw new ErrnoException(Errno.EPERM);
            Permission.check(cred, in, Permission.MAY_WRITE);
        }
        long now = now();
        in.setTimes(atime == TIME_NOW ? now : atime == TIME_OMIT ? Inode.KEEP : atime,
                mtime == TIME_NOW ? now : mtime == TIME_OMIT ? Inode.KEEP : mtime, now);
    }

    /** truncate(2) by path (vfs_truncate): EISDIR, EINVAL for non-regular files, EROFS, EACCES. */
    public void truncate(Process p, PathRef ref, long length) throws ErrnoException {
        if (length < 0) throw new ErrnoException(Errno.EINVAL);
        Inode in = ref.inode();
        if (in.isDirectory()) throw new ErrnoException(Errno.EISDIR);
        if (!(in instanceof FileInode f)) throw new ErrnoException(Errno.EINVAL);
        if (ref.mount().readOnly()) throw new ErrnoException(Errno.EROFS);
        Cred cred = Cred.of(p);
        Permission.check(cred, in, Permission.MAY_WRITE);
        doTruncate(cred, f, length);
    }

    /** ftruncate(2): the descriptor must be open for writing a regular file (else EINVAL). */
    public void ftruncate(Process p, OpenFile file, long length) throws ErrnoException {
        if (length < 0) throw new ErrnoException(Errno.EINVAL);
        if ((file.flags() & OpenFile.O_PATH) != 0) throw new ErrnoException(Errno.EBADF);
        if (!(file.inode() instanceof FileInode f) || !file.writable()) throw new ErrnoException(Errno.EINVAL);
        doTruncate(Cred.of(p), f, length);
    }

    private void doTruncate(Cred cred, FileInode f, long length) throws ErrnoException {
        f.truncate(length);
        f.touchModified(now());
        killPrivileges(cred, f);
    }

    /** access/faccessat/faccessat2: the real ids unless AT_EACCESS; F_OK only checks existence. */
    public void access(Process p, int dirfd, String path, int mode, int flags) throws ErrnoException {
        if ((mode & ~7) != 0) throw new ErrnoException(Errno.EINVAL);
        if ((flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) != 0) throw new ErrnoException(Errno.EINVAL);
        Process asker = p;
        Cred cred = (flags & AT_EACCESS) != 0 ? Cred.of(p) : Cred.real(p);
        PathRef ref;
        if (path.isEmpty() && (flags & AT_EMPTY_PATH) != 0) {
            ref = resolve(asker, dirfd, path, flags);
        } else {
            ref = new Namei(this, asker, cred).walk(start(p, dirfd, path), path, (flags & AT_SYMLINK_NOFOLLOW) == 0, false);
        }
        if (mode == 0) return;
        Inode in = ref.inode();
        if ((mode & Permission.MAY_EXEC) != 0 && in.isRegular() && ref.mount().noExec()) {
            throw new ErrnoException(Errno.EACCES);
        }
        Permission.check(cred, ref, mode);
    }

    /** readlink/readlinkat; an empty path reads the symlink dirfd refers to (O_PATH|O_NOFOLLOW). */
    public String readlink(Process p, int dirfd, String path) throws ErrnoException {
        PathRef ref = resolve(p, dirfd, path, AT_SYMLINK_NOFOLLOW | (path.isEmpty() ? AT_EMPTY_PATH : 0));
        Inode in = ref.inode();
        if (!in.isSymlink()) throw new ErrnoException(path.isEmpty() ? Errno.ENOENT : Errno.EINVAL);
        String target = in.readlink(p);
        in.touchAtime(now());
        return target;
    }

    // ---- working directory and root ---------------------------------------------------------------------

    public void chdir(Process p, String path) throws ErrnoException {
        PathRef ref = new Namei(this, p, Cred.of(p)).walk(cwdOf(p), path, true, true);
        Permission.check(Cred.of(p), ref.inode(), Permission.MAY_EXEC);
        p.cwd = ref;
    }

    public void fchdir(Process p, OpenFile f) throws ErrnoException {
        PathRef ref = f.location();
        if (ref == null || !ref.inode().isDirectory()) throw new ErrnoException(Errno.ENOTDIR);
        Permission.check(Cred.of(p), ref.inode(), Permission.MAY_EXEC);
        p.cwd = ref;
    }

    /** chroot(2): search permission on the directory, then CAP_SYS_CHROOT (root). The cwd stays, as on Linux. */
    public void chroot(Process p, String path) throws ErrnoException {
        Cred cred = Cred.of(p);
        PathRef ref = new Namei(this, p, cred).walk(cwdOf(p), path, true, true);
        Permission.check(cred, ref.inode(), Permission.MAY_EXEC);
        if (!cred.isRoot()) throw new ErrnoException(Errno.EPERM);
        p.root = ref;
    }

    /** statfs/fstatfs flags from the mount (ST_VALID always, as Linux reports). */
    public static long statfsFlags(Mount m) {
        long f = StatFs.ST_VALID | StatFs.ST_RELATIME;
        if (m.readOnly()) f |= StatFs.ST_RDONLY;
        if (m.noSuid()) f |= StatFs.ST_NOSUID;
        if (m.noDev()) f |= StatFs.ST_NODEV;
        if (m.noExec()) f |= StatFs.ST_NOEXEC;
        return f;
    }
}
