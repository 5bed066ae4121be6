package dev.nexa.kernel.vfs;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.initramfs.Rootfs;
import dev.nexa.kernel.vfs.devfs.ConsoleDevices;
import dev.nexa.kernel.vfs.devfs.DevFs;
import dev.nexa.kernel.vfs.devfs.MemDevices;
import dev.nexa.kernel.vfs.hostfs.HostFs;
import dev.nexa.kernel.vfs.overlay.OverlayFs;
import dev.nexa.kernel.vfs.procfs.ProcFs;
import dev.nexa.kernel.vfs.tmpfs.TmpFs;

import java.nio.file.Path;
import java.util.Set;
import java.util.function.Function;

/**
 * The root file systems Nexa boots with, as {@link dev.nexa.kernel.KernelConfig#rootFs()} builders.
 * Each checks what can go wrong with user input when it is called (a missing --root directory),
 * so the returned function cannot fail when the kernel runs it.
 * <pre>
 *   /          the host directory, read-only        (or an initramfs in memory)
 *   /proc      proc                                  nosuid,nodev,noexec
 *   /dev       devtmpfs: null zero full random urandom tty console, stdin/out/err, fd, pts/
 *   /dev/shm   tmpfs (1777)                          nosuid,nodev
 *   /tmp       tmpfs (1777); for a host root, an overlay: the host's /tmp readable below, every
 *              change in memory (the only writable place of a host root)
 * </pre>
 */
public final class RootFs {
    private RootFs() {}

    /** The mount points the standard file systems need; a host directory without them shows empty ones. */
    static final Set<String> MOUNT_POINTS = Set.of("proc", "dev", "tmp");

    /**
     * {@code nexa run}'s root: {@code hostRoot} read-only, with /proc, /dev and an in-memory /tmp.
     * The first process starts in {@code cwd} when it exists in that view, else in "/", and runs
     * as the host user ({@link Vfs#initialCred()}).
     */
    public static Function<Kernel, Vfs> host(Path hostRoot, String cwd) throws ErrnoException {
        HostFs host = new HostFs(hostRoot, MOUNT_POINTS);
        return kernel -> {
            Vfs vfs = new Vfs(host, host.source());
            vfs.setInitialCred(Cred.host());
            standard(vfs, kernel, false);
            mountTmp(vfs, host.hostRoot());
            try {
                vfs.setInitialCwd(cwd);
            } catch (ErrnoException e) {
                // the directory is not visible in the guest (e.g. under the in-memory /tmp): start at /
            }
            return vfs;
        };
    }

    /**
     * A root made from an initramfs: its files in memory (regular files refer to the image until
     * written), with /proc, /dev and /tmp mounted on top (their directories are created when the
     * archive lacks them).
     */
    public static Function<Kernel, Vfs> initramfs(Rootfs rootfs) {
        return kernel -> {
            long now = Vfs.currentTimeNs();
            TmpFs fs = new TmpFs("rootfs", 0755, TmpFs.defaultLimit(), now);
            try {
                InitramfsRoot.populate(fs, rootfs, now);
                for (String dir : MOUNT_POINTS) {
                    Dentry d = ((DirInode) fs.root().inode()).lookup(null, fs.root(), dir);
                    if (d == null) fs.mkdirs(dir, now);
                }
            } catch (ErrnoException e) {
                throw new IllegalStateException("populating the initramfs root: " + e.getMessage(), e);
            }
            Vfs vfs = new Vfs(fs, "rootfs");
            standard(vfs, kernel, true);
            return vfs;
        };
    }

    /**
     * The guest path for a host directory {@code hostCwd} as seen through a root at {@code hostRoot}:
     * its path below the root, or "/" when it is outside.
     */
    public static String guestPath(Path hostRoot, Path hostCwd) {
        Path r = hostRoot.toAbsolutePath().normalize(), c = hostCwd.toAbsolutePath().normalize();
        if (!c.startsWith(r)) return "/";
        return "/" + r.relativize(c).toString();
    }

    /**
     * /tmp over a host root: the host's /tmp (when the host directory has one) below an in-memory
     * tmpfs, so programs and files the host put there can be used while guest writes stay in memory.
     */
    private static void mountTmp(Vfs vfs, Path hostRoot) {
        try {
            long now = vfs.now();
            PathRef lower = vfs.resolve(null, Vfs.AT_FDCWD, "/tmp", 0);
            TmpFs upper = TmpFs.create(now);
            boolean hostHasTmp = java.nio.file.Files.isDirectory(hostRoot.resolve("tmp"));
            FileSystem fs = hostHasTmp ? new OverlayFs(upper, lower.dentry(), hostRoot.resolve("tmp").toString()) : upper;
            vfs.mount("/tmp", fs, hostHasTmp ? "overlay" : "tmpfs", Mount.MS_NOSUID | Mount.MS_NODEV);
        } catch (ErrnoException e) {
            throw new IllegalStateException("mounting /tmp: " + e.getMessage(), e);
        }
    }

    /**
     * Mounts /proc, /dev (with /dev/shm) and, when {@code tmp}, a tmpfs on /tmp; registers the
     * character devices. The mount points must exist in the root.
     */
    public static void standard(Vfs vfs, Kernel kernel, boolean tmp) {
        long now = vfs.now();
        MemDevices.register(vfs.devices(), kernel.random());
        ConsoleDevices.register(vfs.devices(), kernel);
        mount(vfs, kernel, "/proc", new ProcFs(kernel, vfs), "proc", Mount.MS_NOSUID | Mount.MS_NODEV | Mount.MS_NOEXEC);
        try {
            if (mount(vfs, kernel, "/dev", DevFs.create(now), "devtmpfs", Mount.MS_NOSUID)) {
                mount(vfs, kernel, "/dev/shm", new TmpFs("tmpfs", 01777, TmpFs.defaultLimit(), now), "tmpfs",
                        Mount.MS_NOSUID | Mount.MS_NODEV);
            }
        } catch (ErrnoException e) {
            throw new IllegalStateException("building devtmpfs: " + e.getMessage(), e);
        }
        if (tmp) mount(vfs, kernel, "/tmp", TmpFs.create(now), "tmpfs", Mount.MS_NOSUID | Mount.MS_NODEV);
    }

    /** One mount; a root without a usable mount point gets a warning instead, as a failing init script would. */
    private static boolean mount(Vfs vfs, Kernel kernel, String where, FileSystem fs, String source, int flags) {
        try {
            vfs.mount(where, fs, source, flags);
            return true;
        } catch (ErrnoException e) {
            kernel.warn("cannot mount " + fs.type() + " on " + where + ": " + e.errno().description);
            return false;
        }
    }
}
