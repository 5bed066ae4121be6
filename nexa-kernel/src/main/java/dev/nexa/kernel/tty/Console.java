package dev.nexa.kernel.tty;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.HostStreamFile;
import dev.nexa.kernel.vfs.InodeFile;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.PathRef;
import dev.nexa.kernel.vfs.Vfs;

import java.lang.foreign.MemorySegment;

/**
 * The machine's console: what /dev/console (5:1), /dev/ttyS0 (4:64) and /dev/tty (5:0) open.
 * When Nexa runs on a terminal, the console is a {@link Tty} on it ({@link #attach}); /dev/tty
 * is then the caller's controlling terminal (ENXIO without one, as in Linux). Otherwise the
 * console is Nexa's own standard streams, passed through (reads from standard input, writes to
 * standard output), and no process has a controlling terminal.
 */
public final class Console {
    public static final int TTY_MAJOR = 4, TTYAUX_MAJOR = 5, SERIAL_MINOR = 64;

    private final Kernel kernel;
    private Tty tty;
    private OpenFile streamIn = HostStreamFile.stdin(), streamOut = HostStreamFile.stdout();

    public Console(Kernel kernel) { this.kernel = kernel; }

    /** The terminal, or null when the console is plain streams. */
    public Tty terminal() { return tty; }

    /**
     * Makes the console a terminal on {@code driver}, starting with {@code initial} settings;
     * the driver's input starts flowing at once.
     */
    public Tty attach(TtyDriver driver, Termios initial) {
        if (tty != null) throw new IllegalStateException("the console already has a terminal");
        tty = new Tty(kernel, "console", driver, initial);
        tty.start();
        return tty;
    }

    /** The streams a plain console reads and writes (default: Nexa's standard input and output). */
    public void useStreams(OpenFile in, OpenFile out) {
        streamIn = in;
        streamOut = out;
    }

    /**
     * A file on the console as the kernel opens it for init (console_on_rootfs): /dev/console,
     * read-write, without becoming anybody's controlling terminal.
     */
    public OpenFile openForInit(Vfs vfs) throws ErrnoException {
        if (tty == null) throw new IllegalStateException("no terminal");
        PathRef where = vfs.resolve(null, Vfs.AT_FDCWD, "/dev/console", 0);
        return tty.open(where, null, OpenFile.O_RDWR, true);
    }

    /** /dev/console. */
    public OpenFile openConsole(Process caller, PathRef where, int flags) throws ErrnoException {
        if (tty != null) return tty.open(where, caller, flags, true);
        return new StreamFile(where, flags, streamIn, streamOut);
    }

    /** /dev/ttyS0: the console terminal under its device name (ENXIO without a terminal). */
    public OpenFile openSerial(Process caller, PathRef where, int flags) throws ErrnoException {
        if (tty == null) throw new ErrnoException(Errno.ENXIO, "no terminal behind ttyS0");
        return tty.open(where, caller, flags, false);
    }

    /** /dev/tty: the caller's controlling terminal (tty_open_current_tty), ENXIO if it has none. */
    public OpenFile openCurrent(Task task, Process caller, PathRef where, int flags) throws ErrnoException {
        Process p = caller != null ? caller : task != null ? task.process() : null;
        if (p == null || p.tty == null) throw new ErrnoException(Errno.ENXIO);
        return p.tty.open(where, p, flags | OpenFile.O_NOCTTY, false);
    }

    /** The machine stopped. */
    public void close() {
        if (tty != null) tty.close();
    }

    /** /dev/console without a terminal: reads Nexa's standard input, writes its standard output. */
    static final class StreamFile extends InodeFile {
        private final OpenFile in, out;

        StreamFile(PathRef where, int flags, OpenFile in, OpenFile out) {
            super(where, flags);
            this.in = in;
            this.out = out;
            in.retain();
            out.retain();
        }

        @Override
        public long read(Task task, long va, long len) throws ErrnoException { return in.read(task, va, len); }

        @Override
        public long read(MemorySegment dst) throws ErrnoException { return in.read(dst); }

        @Override
        public long write(Task task, long va, long len) throws ErrnoException { return out.write(task, va, len); }

        @Override
        public long write(MemorySegment src) throws ErrnoException { return out.write(src); }

        @Override
        public int poll(int events) { return in.poll(events & ~(POLLOUT | POLLWRNORM)) | out.poll(events & (POLLOUT | POLLWRNORM)); }

        @Override
        protected void release() throws ErrnoException {
            in.close();
            out.close();
        }
    }
}
