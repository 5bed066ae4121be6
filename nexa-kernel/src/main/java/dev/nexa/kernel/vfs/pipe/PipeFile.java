package dev.nexa.kernel.vfs.pipe;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.proc.WaitQueue;
import dev.nexa.kernel.vfs.InodeFile;
import dev.nexa.kernel.vfs.PathRef;

import java.lang.foreign.MemorySegment;

/**
 * One end of a pipe or FIFO, as pipe_read/pipe_write behave: a read returns what is buffered
 * (at least one byte), 0 once no writer is left, EAGAIN with O_NONBLOCK, and otherwise waits; a
 * write of at most PIPE_BUF bytes goes in whole or not at all, a larger one as space allows, and a
 * blocking writer keeps going until everything is written (its progress survives the wait in
 * the task's restart state, since a woken call starts over). EPIPE once no reader is left.
 */
public final class PipeFile extends InodeFile {
    /** FIONREAD: bytes buffered. */
    static final int FIONREAD = 0x541B;

    private final Pipe pipe;
    private final boolean reads, writes;
    private final String name;
    /** POLLHUP needs writerOpens to differ from this (Linux's f_version against w_counter). */
    private final int writersSeenAtOpen;

    PipeFile(PathRef where, int flags, Pipe pipe, String name) {
        super(where, flags);
        this.pipe = pipe;
        this.reads = readable();
        this.writes = writable();
        this.name = name;
        // fifo_open: only a non-blocking reader that finds no writer suppresses POLLHUP until one comes.
        this.writersSeenAtOpen = reads && nonBlocking() && pipe.writers == 0 ? pipe.writerOpens : 0;
    }

    public Pipe pipe() { return pipe; }

    /** "pipe:[ino]" for anonymous pipes (pipefs_dname), the FIFO's path otherwise. */
    @Override
    public String path() { return name != null ? name : super.path(); }

    /** A restarted write's progress: the same call on the same end, with how much already went in. */
    private record Progress(PipeFile file, long va, long len, long done) implements dev.nexa.kernel.proc.RestartState {}

    @Override
    public long read(Task task, long va, long len) throws ErrnoException {
        if (pipe.available() == 0 && !waitForData()) return 0;
        long n = task.memory().chunks(va, Math.min(len, pipe.available()), true, pipe::take);
        pipe.changed();
        return n;
    }

    @Override
    public long read(MemorySegment dst) throws ErrnoException {
        if (pipe.available() == 0 && !waitForData()) return 0;
        long n = pipe.take(dst);
        pipe.changed();
        return n;
    }

    /** The pipe is empty: false at end of file (no writer left), else EAGAIN or a wait for data. */
    private boolean waitForData() throws ErrnoException {
        if (pipe.writers == 0) return false;
        if (nonBlocking()) throw new ErrnoException(Errno.EAGAIN);
        throw Blocked.on(pipe.queue);
    }

    @Override
    public long write(Task task, long va, long len) throws ErrnoException {
        long done = 0;
        if (task.restart instanceof Progress p) {
            if (p.file == this && p.va == va && p.len == len) done = p.done;
            task.restart = null;
        }
        if (pipe.readers == 0) {
            if (done > 0) return done;
            throw new ErrnoException(Errno.EPIPE);
        }
        long rest = len - done;
        boolean atomic = len <= Pipe.PIPE_BUF;
        if (atomic ? pipe.space() < rest : pipe.space() == 0) {
            if (nonBlocking()) {
                if (done > 0) return done;
                throw new ErrnoException(Errno.EAGAIN);
            }
            task.restart = new Progress(this, va, len, done);
            throw Blocked.on(pipe.queue);
        }
        long n = task.memory().chunks(va + done, Math.min(rest, pipe.space()), false, pipe::put);
        pipe.changed();
        done += n;
        if (done < len && !nonBlocking()) {
            task.restart = new Progress(this, va, len, done);
            throw Blocked.on(pipe.queue);
        }
        return done;
    }

    /** Kernel-internal writes (sendfile, splice): atomic up to PIPE_BUF, partial beyond, blocking only when nothing fits. */
    @Override
    public long write(MemorySegment src) throws ErrnoException {
        if (pipe.readers == 0) throw new ErrnoException(Errno.EPIPE);
        long len = src.byteSize();
        if (len <= Pipe.PIPE_BUF ? pipe.space() < len : pipe.space() == 0) {
            if (nonBlocking()) throw new ErrnoException(Errno.EAGAIN);
            throw Blocked.on(pipe.queue);
        }
        long n = pipe.put(src);
        pipe.changed();
        return n;
    }

    @Override
    public long ioctl(Task task, int request, long arg) throws ErrnoException {
        if (request == FIONREAD) {
            task.memory().writeInt(arg, pipe.available());
            return 0;
        }
        return super.ioctl(task, request, arg);
    }

    @Override
    public int poll(int events) {
        int mask = 0;
        if (reads) {
            if (pipe.available() > 0) mask |= POLLIN | POLLRDNORM;
            if (pipe.writers == 0 && pipe.writerOpens != writersSeenAtOpen) mask |= POLLHUP;
        }
        if (writes) {
            if (pipe.space() >= Pipe.PIPE_BUF) mask |= POLLOUT | POLLWRNORM;
            if (pipe.readers == 0) mask |= POLLERR;
        }
        return mask & (events | POLLERR | POLLHUP);
    }

    @Override
    public WaitQueue waitQueue() { return pipe.queue; }

    @Override
    protected void release() {
        if (reads) pipe.readers--;
        if (writes) pipe.writers--;
        pipe.changed();
        if (pipe.readers == 0 && pipe.writers == 0 && location.inode().fifo() == pipe) location.inode().setFifo(null);
    }
}
