package dev.nexa.kernel.vfs.hostfs;

import java.nio.file.Path;

/**
 * A host device node, FIFO or socket: attributes only. Opening a device node reaches Nexa's own
 * driver for that number (never the host device); a FIFO becomes a pipe inside the guest.
 */
final class HostNode extends HostLeaf {
    HostNode(HostFs fs, Path hostPath, HostStat.Attrs attrs) {
        super(fs, hostPath, attrs);
        this.rdev = attrs.rdev();
    }
}
