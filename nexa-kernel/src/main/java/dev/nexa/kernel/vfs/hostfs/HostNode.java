package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.vfs.Inode;

import java.util.Map;

/**
 * A host device node, FIFO or socket: attributes only. Opening a device node reaches Nexa's own
 * driver for that number (never the host device); a FIFO becomes a pipe inside the guest.
 */
final class HostNode extends Inode {
    private final long hostDev;

    HostNode(HostFs fs, Map<String, Object> attrs) {
        super(fs, HostAttrs.ino(attrs), HostAttrs.mode(attrs), HostAttrs.uid(attrs), HostAttrs.gid(attrs), 0);
        this.hostDev = HostAttrs.dev(attrs);
        this.rdev = ((Number) attrs.get("rdev")).longValue();
        HostAttrs.apply(this, attrs);
    }

    @Override
    public long dev() { return hostDev; }
}
