package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.Cred;
import dev.nexa.kernel.vfs.FdTable;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.pipe.Fifo;
import dev.nexa.kernel.vfs.pipe.PipeFile;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/** pipe(2) and pipe2(2) (fs/pipe.c do_pipe2). */
final class PipeCalls {
    private PipeCalls() {}

    /** O_NOTIFICATION_PIPE (= O_EXCL): for the kernel's watch queues, which Nexa does not have. */
    static final int O_NOTIFICATION_PIPE = OpenFile.O_EXCL;

    static void register(SyscallTable t) {
        t.add(PIPE, (task, a) -> pipe2(task, a.l(0), 0), PTR);
        t.add(PIPE2, (task, a) -> pipe2(task, a.l(0), a.i(1)), PTR, OPEN_FLAGS);
    }

    static long pipe2(Task t, long fdsAddr, int flags) throws ErrnoException {
        if ((flags & ~(OpenFile.O_CLOEXEC | OpenFile.O_NONBLOCK | OpenFile.O_DIRECT | O_NOTIFICATION_PIPE)) != 0) {
            throw new ErrnoException(Errno.EINVAL);
        }
        if ((flags & O_NOTIFICATION_PIPE) != 0) throw new ErrnoException(Errno.ENOPKG);
        var vfs = t.kernel().vfs();
        PipeFile[] ends = Fifo.pipe(vfs.pipeMount(), Cred.of(t.process()), flags, vfs.now());
        FdTable files = t.process().files();
        boolean cloexec = (flags & OpenFile.O_CLOEXEC) != 0;
        int r = -1, w = -1;
        try {
            r = files.install(ends[0], cloexec);
            w = files.install(ends[1], cloexec);
            t.memory().writeInt(fdsAddr, r);
            t.memory().writeInt(fdsAddr + 4, w);
        } catch (ErrnoException e) {
            // Nothing is left behind: installed ends are closed, uninstalled ones released.
            if (r >= 0) files.close(r);
            else ends[0].close();
            if (w >= 0) files.close(w);
            else ends[1].close();
            throw e;
        }
        return 0;
    }
}
