package dev.nexa.kernel.tty;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.proc.WaitQueue;
import dev.nexa.kernel.vfs.InodeFile;
import dev.nexa.kernel.vfs.PathRef;

import java.lang.foreign.MemorySegment;

/**
 * An open file on a {@link Tty}: what /dev/console, /dev/tty and /dev/ttyS0 open, and the
 * standard streams of the first process when Nexa's standard input is a terminal. A file opened
 * through /dev/console is Linux's redirected console file: no job control on its reads and
 * writes, and it survives hangups.
 */
public final class TtyFile extends InodeFile {
    private final Tty tty;
    private final boolean console;
    private final int generation;

    TtyFile(PathRef where, int flags, Tty tty, boolean console, int generation) {
        super(where, flags);
        this.tty = tty;
        this.console = console;
        this.generation = generation;
    }

    public Tty tty() { return tty; }

    /** Opened through /dev/console. */
    public boolean console() { return console; }

    int generation() { return generation; }

    @Override
    public long read(Task task, long va, long len) throws ErrnoException { return tty.read(this, task, va, len); }

    @Override
    public long write(Task task, long va, long len) throws ErrnoException { return tty.write(this, task, va, len); }

    /** Kernel-internal writes (sendfile, splice into a terminal): processed output, no job control. */
    @Override
    public long write(MemorySegment src) {
        byte[] b = src.toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
        tty.writeKernel(b);
        return b.length;
    }

    @Override
    public long ioctl(Task task, int request, long arg) throws ErrnoException { return tty.ioctl(this, task, request, arg); }

    @Override
    public int poll(int events) { return tty.poll(this, events); }

    @Override
    public WaitQueue waitQueue() { return tty.events; }
}
