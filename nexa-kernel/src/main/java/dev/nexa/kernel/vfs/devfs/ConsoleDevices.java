package dev.nexa.kernel.vfs.devfs;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.Devices;
import dev.nexa.kernel.vfs.HostStreamFile;
import dev.nexa.kernel.vfs.InodeFile;
import dev.nexa.kernel.vfs.PathRef;

import java.lang.foreign.MemorySegment;

/**
 * /dev/tty (5:0) and /dev/console (5:1), for now: reads come from Nexa's standard input and writes
 * go to its standard output, the streams the guest's descriptors 0 and 1 start as. The terminal
 * emulation replaces these with a real tty (line discipline, termios, job control).
 */
public final class ConsoleDevices {
    private ConsoleDevices() {}

    public static void register(Devices devices) {
        devices.register(5, 0, (t, p, node, flags) -> new ConsoleFile(node, flags));
        devices.register(5, 1, (t, p, node, flags) -> new ConsoleFile(node, flags));
    }

    static final class ConsoleFile extends InodeFile {
        private final HostStreamFile in = HostStreamFile.stdin(), out = HostStreamFile.stdout();

        ConsoleFile(PathRef where, int flags) { super(where, flags); }

        @Override
        public long read(MemorySegment dst) throws ErrnoException { return in.read(dst); }

        @Override
        public long write(MemorySegment src) throws ErrnoException { return out.write(src); }
    }
}
