package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.abi.ErrnoException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A host symlink, never followed on the host: the VFS resolves its text inside the guest root. */
final class HostSymlink extends HostLeaf {
    private String target;

    HostSymlink(HostFs fs, Path hostPath, HostStat.Attrs attrs) {
        super(fs, hostPath, attrs);
    }

    @Override
    public String readlink() throws ErrnoException {
        if (target == null) {
            try {
                target = Files.readSymbolicLink(hostPath).toString();
            } catch (IOException e) {
                throw HostFs.errno(e, hostPath);
            }
        }
        return target;
    }
}
