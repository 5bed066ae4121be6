package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.abi.Sysno;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.RootFs;
import dev.nexa.kernel.vfs.pipe.Pipe;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static dev.nexa.kernel.syscall.GuestKernel.BLOCKED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Pipes through the syscall layer: blocking, EOF, EPIPE/SIGPIPE, PIPE_BUF atomicity, FIONREAD, FIFOs. */
class PipeCallsTest {
    private GuestKernel g;
    private Task a, b;

    @BeforeEach
    void setUp() throws Exception {
        g = new GuestKernel(RootFs.host(Path.of("/"), "/"));
        a = g.task(0);
        b = g.task(0);
    }

    @AfterEach
    void tearDown() { g.close(); }

    private int[] pipe(Task t, int flags) throws ErrnoException {
        long fds = g.alloc(t, 8);
        assertEquals(0, g.call(t, Sysno.PIPE2, fds, flags));
        var bb = g.buffer(t, fds, 8);
        return new int[] {bb.getInt(0), bb.getInt(4)};
    }

    /** Both tasks share one pipe: the ends are the same open file descriptions (as after fork). */
    private int[] sharedPipe() throws ErrnoException {
        int[] fds = pipe(a, 0);
        for (int fd : fds) {
            OpenFile f = a.process().files().get(fd);
            f.retain();
            b.process().files().installAt(fd, f, false);
        }
        return fds;
    }

    @Test
    void readBlocksUntilDataThenEofWhenWritersClose() throws ErrnoException {
        int[] fds = sharedPipe();
        long buf = g.alloc(a, 100);
        assertEquals(BLOCKED, g.call(a, Sysno.READ, fds[0], buf, 100));
        assertEquals(Task.State.BLOCKED, a.state());
        long msg = g.str(b, "hello");
        assertEquals(5, g.call(b, Sysno.WRITE, fds[1], msg, 5));
        assertEquals(Task.State.RUNNABLE, a.state());                        // the write woke the reader
        assertEquals(5, g.resume(a));
        assertArrayEquals("hello".getBytes(), g.read(a, buf, 5));
        assertEquals(0, g.call(a, Sysno.CLOSE, fds[1]));
        assertEquals(BLOCKED, g.call(a, Sysno.READ, fds[0], buf, 100));        // b still has a writer
        assertEquals(0, g.call(b, Sysno.CLOSE, fds[1]));
        assertEquals(0, g.resume(a));                                          // EOF
    }

    @Test
    void writeWithoutReadersIsEpipeAndSigpipe() throws ErrnoException {
        int[] fds = pipe(a, 0);
        g.call(a, Sysno.CLOSE, fds[0]);
        long msg = g.str(a, "x");
        assertEquals(Errno.EPIPE.ret(), g.call(a, Sysno.WRITE, fds[1], msg, 1));
        assertTrue(a.pending.has(Signal.SIGPIPE), "SIGPIPE queued for the writer");
    }

    @Test
    void nonBlockingEndsSayEagain() throws ErrnoException {
        int[] fds = pipe(a, OpenFile.O_NONBLOCK | OpenFile.O_CLOEXEC);
        long buf = g.alloc(a, Pipe.CAPACITY + 10);
        assertEquals(Errno.EAGAIN.ret(), g.call(a, Sysno.READ, fds[0], buf, 10));
        assertEquals(Pipe.CAPACITY, g.call(a, Sysno.WRITE, fds[1], buf, Pipe.CAPACITY + 10));   // partial
        assertEquals(Errno.EAGAIN.ret(), g.call(a, Sysno.WRITE, fds[1], buf, 1));
        assertTrue(a.process().files().isCloexec(fds[0]));
        long n = g.alloc(a, 4);
        assertEquals(0, g.call(a, Sysno.IOCTL, fds[0], 0x541B, n));               // FIONREAD
        assertEquals(Pipe.CAPACITY, g.buffer(a, n, 4).getInt(0));
    }

    @Test
    void smallWritesAreAtomicAndLargeOnesComplete() throws ErrnoException {
        int[] fds = sharedPipe();
        long big = g.alloc(a, Pipe.CAPACITY);
        long drain = g.alloc(b, Pipe.CAPACITY);
        assertEquals(Pipe.CAPACITY - 100, g.call(a, Sysno.WRITE, fds[1], big, Pipe.CAPACITY - 100));
        // 200 bytes <= PIPE_BUF do not fit in the 100 left: nothing is written, the writer waits.
        assertEquals(BLOCKED, g.call(a, Sysno.WRITE, fds[1], big, 200));
        var pipe = ((dev.nexa.kernel.vfs.pipe.PipeFile) a.process().files().get(fds[1])).pipe();
        assertEquals(Pipe.CAPACITY - 100, pipe.available());
        assertEquals(Pipe.CAPACITY - 100, g.call(b, Sysno.READ, fds[0], drain, Pipe.CAPACITY));
        assertEquals(200, g.resume(a));
        assertEquals(200, g.call(b, Sysno.READ, fds[0], drain, Pipe.CAPACITY));
        // A 100000-byte write fills the pipe, waits, and finishes once a reader makes room.
        byte[] data = new byte[100_000];
        for (int k = 0; k < data.length; k++) data[k] = (byte) (k * 31);
        long src = g.bytes(a, data);
        assertEquals(BLOCKED, g.call(a, Sysno.WRITE, fds[1], src, data.length));
        assertEquals(Pipe.CAPACITY, pipe.available());
        long got = g.call(b, Sysno.READ, fds[0], drain, Pipe.CAPACITY);
        byte[] first = g.read(b, drain, (int) got);
        assertEquals(data.length, g.resume(a));
        long rest = g.call(b, Sysno.READ, fds[0], drain, Pipe.CAPACITY);
        assertEquals(data.length, got + rest);
        byte[] all = new byte[data.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(g.read(b, drain, (int) rest), 0, all, first.length, (int) rest);
        assertArrayEquals(data, all);
    }

    @Test
    void pollReadinessAndStat() throws ErrnoException {
        int[] fds = pipe(a, 0);
        OpenFile r = a.process().files().get(fds[0]), w = a.process().files().get(fds[1]);
        assertEquals(0, r.poll(OpenFile.POLLIN));
        assertEquals(OpenFile.POLLOUT, w.poll(OpenFile.POLLOUT));
        g.call(a, Sysno.WRITE, fds[1], g.str(a, "z"), 1);
        assertEquals(OpenFile.POLLIN, r.poll(OpenFile.POLLIN));
        g.call(a, Sysno.CLOSE, fds[1]);
        assertEquals(OpenFile.POLLIN | OpenFile.POLLHUP, r.poll(OpenFile.POLLIN));
        assertTrue(r.path().matches("pipe:\\[\\d+]"));
        long st = g.alloc(a, 144);
        assertEquals(0, g.call(a, Sysno.FSTAT, fds[0], st));
        assertEquals(0010600, g.buffer(a, st, 144).getInt(24));               // S_IFIFO | 0600
        assertEquals(Errno.ESPIPE.ret(), g.call(a, Sysno.LSEEK, fds[0], 0, 0));
        assertEquals(Errno.EINVAL.ret(), g.call(a, Sysno.FSYNC, fds[0]));
        assertEquals(Errno.EINVAL.ret(), g.call(a, Sysno.PIPE2, g.alloc(a, 8), 0x40));
    }

    @Test
    void namedFifosWaitForTheirPartner() throws ErrnoException {
        long path = g.str(a, "/tmp/fifo");
        long pathB = g.str(b, "/tmp/fifo");
        assertEquals(0, g.call(a, Sysno.MKNOD, path, 0010644, 0));
        assertEquals(Errno.ENXIO.ret(), g.call(b, Sysno.OPEN, pathB, OpenFile.O_WRONLY | OpenFile.O_NONBLOCK, 0));
        assertEquals(BLOCKED, g.call(a, Sysno.OPEN, path, OpenFile.O_RDONLY, 0));
        long wfd = g.call(b, Sysno.OPEN, pathB, OpenFile.O_WRONLY, 0);
        assertTrue(wfd >= 0, "writer opens at once: a reader is waiting");
        long rfd = g.resume(a);
        assertTrue(rfd >= 0);
        assertEquals(3, g.call(b, Sysno.WRITE, wfd, g.str(b, "abc"), 3));
        long buf = g.alloc(a, 8);
        assertEquals(3, g.call(a, Sysno.READ, rfd, buf, 8));
        g.call(b, Sysno.CLOSE, wfd);
        assertEquals(0, g.call(a, Sysno.READ, rfd, buf, 8));
        // A non-blocking reader opens at once; O_RDWR never waits.
        long nb = g.call(b, Sysno.OPEN, pathB, OpenFile.O_RDONLY | OpenFile.O_NONBLOCK, 0);
        assertTrue(nb >= 0);
        assertTrue(g.call(b, Sysno.OPEN, pathB, OpenFile.O_RDWR, 0) >= 0);
        // Opening a FIFO for execution is EACCES (may_open).
        assertEquals(Errno.EACCES.ret(), g.call(b, Sysno.EXECVE, pathB, 0, 0));
    }
}
