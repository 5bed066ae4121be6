package dev.nexa.kernel.vfs;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.devfs.ConsoleDevices;
import dev.nexa.kernel.vfs.devfs.DevFs;
import dev.nexa.kernel.vfs.devfs.MemDevices;
import dev.nexa.kernel.vfs.hostfs.HostFs;
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
 *   /tmp       tmpfs (1777), the only writable place of a host root
 * </pre>
 */
public final class RootFs {
    private RootFs() {}

    /** The mount points the standard file systems need; a host directory without them shows empty ones. */
    static final Set<String> MOUNT_POINTS = Set.of("proc", "dev", "tmp");

    /**
     * {@code nexa run}'s root: {@code hostRoot} read-only, with /proc, /dev and an in-memory /tmp.
     * The first process starts in {@code cwd} when it exists in that view, else in "/".
     */
    public static Function<Kernel, Vfs> host(Path hostRoot, String cwd) throws ErrnoException {
        HostFs host = new HostFs(hostRoot, MOUNT_POINTS);
        return kernel -> {
            Vfs vfs = new Vfs(host, host.hostRoot().toString());
            standard(vfs, kernel, true);
            try {
                vfs.setInitialCwd(cwd);
            } catch (ErrnoException e) {
                // the directory is not visible in the guest (e.g. under the in-memory /tmp): start at /
            }
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
     * Mounts /proc, /dev (with /dev/shm) and, when {@code tmp}, a tmpfs on /tmp; registers the
     * character devices. The mount points must exist in the root.
     */
    public static void standard(Vfs vfs, Kernel kernel, boolean tmp) {
        try {
            long now = vfs.now();
            MemDevices.register(vfs.devices(), kernel.random());
            ConsoleDevices.register(vfs.devices());
            vfs.mount("/proc", new ProcFs(kernel, vfs), "proc", Mount.MS_NOSUID | Mount.MS_NODEV | Mount.MS_NOEXEC);
            vfs.mount("/dev", DevFs.create(now), "devtmpfs", Mount.MS_NOSUID);
            vfs.mount("/dev/shm", new TmpFs("tmpfs", 01777, TmpFs.defaultLimit(), now), "tmpfs",
                    Mount.MS_NOSUID | Mount.MS_NODEV);
            if (tmp) vfs.mount("/tmp", TmpFs.create(now), "tmpfs", Mount.MS_NOSUID | Mount.MS_NODEV);
        } catch (ErrnoException e) {
            throw new IllegalStateException("mounting the standard file systems: " + e.getMessage(), e);
        }
    }
}
