package dev.nexa.kernel.vfs.pipe;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.Cred;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.Mount;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.PathRef;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.Vfs;

/**
 * Named pipes and anonymous ones (fs/pipe.c fifo_open, do_pipe2). Opening a FIFO for reading
 * waits for a writer and for writing waits for a reader, unless O_NONBLOCK (then a writer without
 * reader gets ENXIO); O_RDWR never waits. A waiting opener is already counted as an end, so its
 * partner does not wait too; it is parked in the task's restart state until the call runs again.
 */
public final class Fifo {
    private Fifo() {}

    /** An open that waits for its partner; {@code seen} is the partner's open counter at the start. */
    private record Pending(Inode inode, int flags, PipeFile file, int seen) implements dev.nexa.kernel.proc.RestartState {}

    public static OpenFile open(Task t, Vfs vfs, PathRef where, int flags, Cred cred) throws ErrnoException {
        Inode in = where.inode();
        if (t != null && t.restart instanceof Pending p && p.inode == in && p.flags == flags) {
            Pipe pipe = p.file.pipe();
            boolean reader = (flags & OpenFile.O_ACCMODE) == OpenFile.O_RDONLY;
            if ((reader ? pipe.writerOpens : pipe.readerOpens) != p.seen) {
                t.restart = null;
                return p.file;
            }
            throw Blocked.on(pipe.queue);
        }
        Pipe pipe = in.fifo();
        if (pipe == null) {
            pipe = new Pipe();
            in.setFifo(pipe);
        }
        boolean nonblock = (flags & OpenFile.O_NONBLOCK) != 0;
        // Reopening an anonymous pipe through /proc/PID/fd keeps its "pipe:[N]" name.
        String name = where.mount().fs() instanceof PipeFs ? where.dentry().name() : null;
        PipeFile file;
        switch (flags & OpenFile.O_ACCMODE) {
            case OpenFile.O_RDONLY -> {
                pipe.readers++;
                pipe.readerOpens++;
                file = new PipeFile(where, flags, pipe, name);
                pipe.changed();
                if (pipe.writers == 0 && !nonblock && t != null) return waitFor(t, in, flags, file, pipe.writerOpens);
            }
            case OpenFile.O_WRONLY -> {
                if (pipe.readers == 0 && nonblock) {
                    if (pipe.writers == 0) in.setFifo(null);
                    throw new ErrnoException(Errno.ENXIO);
                }
                pipe.writers++;
                pipe.writerOpens++;
                file = new PipeFile(where, flags, pipe, name);
                pipe.changed();
                if (pipe.readers == 0 && t != null) return waitFor(t, in, flags, file, pipe.readerOpens);
            }
            case OpenFile.O_RDWR -> {
                pipe.readers++;
                pipe.writers++;
                pipe.readerOpens++;
                pipe.writerOpens++;
                file = new PipeFile(where, flags, pipe, name);
                pipe.changed();
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        return file;
    }

    private static OpenFile waitFor(Task t, Inode in, int flags, PipeFile file, int seen) {
        t.restart = new Pending(in, flags, file, seen);
        throw Blocked.on(file.pipe().queue);
    }

    /** pipe2(2): a new pipe inode on pipefs owned by the caller, and its read and write ends. */
    public static PipeFile[] pipe(Mount pipefs, Cred cred, int flags, long nowNs) {
        var fs = pipefs.fs();
        Inode inode = new Inode(fs, fs.nextIno(), Stat.S_IFIFO | 0600, cred.uid(), cred.gid(), nowNs) {};
        Pipe pipe = new Pipe();
        inode.setFifo(pipe);
        String name = "pipe:[" + inode.ino() + "]";
        PathRef where = new PathRef(pipefs, new Dentry(name, pipefs.root(), inode));
        int status = flags & (OpenFile.O_NONBLOCK | OpenFile.O_DIRECT);
        // The ends exist before the counters count them, so the reader sees POLLHUP once the writer goes.
        PipeFile[] ends = {new PipeFile(where, OpenFile.O_RDONLY | status, pipe, name),
                new PipeFile(where, OpenFile.O_WRONLY | status, pipe, name)};
        pipe.readers = 1;
        pipe.writers = 1;
        pipe.readerOpens = 1;
        pipe.writerOpens = 1;
        return ends;
    }
}
