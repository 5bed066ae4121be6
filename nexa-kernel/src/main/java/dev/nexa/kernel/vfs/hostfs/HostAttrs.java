package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.vfs.Inode;

/** Copies a host lstat result into the attribute fields the Inode constructor does not take. */
final class HostAttrs {
    private HostAttrs() {}

    static void apply(Inode in, HostStat.Attrs a) {
        in.setNlink(a.nlink());
        in.setTimes(a.atimeNs(), a.mtimeNs(), a.ctimeNs());
    }
}
