package dev.nexa.kernel.tty;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * A pseudo-terminal of the host kernel, through libc (posix_openpt, grantpt, unlockpt,
 * ptsname_r, read, write, ioctl): the oracle for the line discipline. Input written to the master
 * is processed by the slave's n_tty; non-blocking reads of the slave first run the pending input
 * work (tty_buffer_flush_work in n_tty_read), so what they return is deterministic.
 */
final class HostPty implements AutoCloseable {
    static final int O_RDWR = 2, O_NOCTTY = 0400, O_NONBLOCK = 04000, EAGAIN = 11;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle OPENPT = fn("posix_openpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GRANTPT = fn("grantpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle UNLOCKPT = fn("unlockpt", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle PTSNAME = fn("ptsname_r", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle OPEN = LINKER.downcallHandle(LINKER.defaultLookup().find("open").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = fn("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = LINKER.downcallHandle(LINKER.defaultLookup().find("read").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), Linker.Option.captureCallState("errno"));
    private static final MethodHandle WRITE = LINKER.downcallHandle(LINKER.defaultLookup().find("write").orElseThrow(),
            FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), Linker.Option.captureCallState("errno"));
    private static final MethodHandle IOCTL = LINKER.downcallHandle(LINKER.defaultLookup().find("ioctl").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS), Linker.Option.firstVariadicArg(2));

    private static MethodHandle fn(String name, FunctionDescriptor d) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), d);
    }

    final int master, slave;
    final String slavePath;
    /** How long a write to the master waits for the host's flush_to_ldisc worker (see write). */
    long settleNanos = 3_000_000;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buf = arena.allocate(65536), state = arena.allocate(STATE);

    /** A new pty; both ends non-blocking, the slave opened without becoming anyone's terminal. */
    HostPty() {
        try {
            master = (int) OPENPT.invokeExact(O_RDWR | O_NOCTTY | O_NONBLOCK);
            if (master < 0) throw new IllegalStateException("posix_openpt failed");
            if ((int) GRANTPT.invokeExact(master) != 0 || (int) UNLOCKPT.invokeExact(master) != 0) {
                throw new IllegalStateException("grantpt/unlockpt failed");
            }
            MemorySegment name = arena.allocate(128);
            if ((int) PTSNAME.invokeExact(master, name, 128L) != 0) throw new IllegalStateException("ptsname_r failed");
            slavePath = name.getString(0);
            slave = (int) OPEN.invokeExact(arena.allocateFrom(slavePath), O_RDWR | O_NOCTTY | O_NONBLOCK, 0);
            if (slave < 0) throw new IllegalStateException("cannot open " + slavePath);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the host lets this process make ptys (/dev/ptmx present and usable). */
    static boolean available() {
        try (HostPty p = new HostPty()) {
            return p.slave >= 0;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    void setTermios(Termios t) {
        MemorySegment m = arena.allocate(Termios.SIZE);
        m.copyFrom(MemorySegment.ofArray(t.toBytes(false)));
        ioctl(slave, 0x5402, m);
    }

    Termios termios() {
        MemorySegment m = arena.allocate(Termios.SIZE);
        ioctl(slave, 0x5401, m);
        return Termios.parse(m.toArray(ValueLayout.JAVA_BYTE));
    }

    void setWinsize(WinSize w) {
        MemorySegment m = arena.allocate(WinSize.SIZE);
        m.copyFrom(MemorySegment.ofArray(w.toBytes()));
        ioctl(master, 0x5414, m);
    }

    private static void ioctl(int fd, long req, MemorySegment arg) {
        try {
            if ((int) IOCTL.invokeExact(fd, req, arg) != 0) throw new IllegalStateException("ioctl 0x" + Long.toHexString(req));
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * write(2); returns the count, or -errno. Input written to the master is taken in by a kernel
     * worker (flush_to_ldisc) while we go on; a read of the slave waits for that worker only when
     * it finds nothing to read, so a read racing the worker could see a line that a signal
     * character later in the same write flushes away. We give the worker time to finish first.
     */
    long write(int fd, byte[] data) {
        MemorySegment.copy(data, 0, buf, ValueLayout.JAVA_BYTE, 0, data.length);
        try {
            long n = (long) WRITE.invokeExact(state, fd, buf, (long) data.length);
            if (fd == master && n > 0) java.util.concurrent.locks.LockSupport.parkNanos(settleNanos);
            return n >= 0 ? n : -(int) ERRNO.get(state, 0L);
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** read(2) once; returns the bytes, or null for EAGAIN. */
    byte[] readOnce(int fd) {
        try {
            long n = (long) READ.invokeExact(state, fd, buf, 65536L);
            if (n < 0) {
                int errno = (int) ERRNO.get(state, 0L);
                if (errno == EAGAIN) return null;
                throw new IllegalStateException("read: errno " + errno);
            }
            return buf.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every read the slave answers now: one per line in canonical mode (an empty one is an EOF). */
    List<byte[]> drainSlave(boolean canonical) {
        List<byte[]> reads = new ArrayList<>();
        for (int guard = 0; guard < 10_000; guard++) {
            byte[] b = readOnce(slave);
            if (b == null || b.length == 0 && !canonical) break;
            reads.add(b);
        }
        return reads;
    }

    /** Everything the master can read now (what the slave side put on the "screen"). */
    byte[] drainMaster() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int guard = 0; guard < 10_000; guard++) {
            byte[] b = readOnce(master);
            if (b == null || b.length == 0) break;
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    @Override
    public void close() {
        try {
            int r1 = (int) CLOSE.invokeExact(slave);
            int r2 = (int) CLOSE.invokeExact(master);
        } catch (Throwable e) {
            // nothing to do
        }
        arena.close();
    }
}
