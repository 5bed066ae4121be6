package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;

import java.util.HashMap;
import java.util.Map;

/**
 * Character device drivers by device number (Linux's chrdev table). A device node in any file
 * system (devtmpfs, an initramfs, a host directory) opens the driver registered for its st_rdev;
 * a number without a driver is ENXIO, as Linux's chrdev_open answers.
 */
public final class Devices {
    private final Map<Long, CharDevice> drivers = new HashMap<>();

    public void register(int major, int minor, CharDevice driver) { drivers.put(Stat.makedev(major, minor), driver); }

    public boolean has(long rdev) { return drivers.containsKey(rdev); }

    OpenFile open(Task task, Process caller, PathRef node, int flags) throws ErrnoException {
        CharDevice d = drivers.get(node.inode().rdev());
        if (d == null) throw new ErrnoException(Errno.ENXIO, "no driver for device " + Stat.major(node.inode().rdev())
                + ":" + Stat.minor(node.inode().rdev()));
        return d.open(task, caller, node, flags);
    }
}
