package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.proc.WaitQueue;
import dev.nexa.kernel.signal.SigInfo;
import dev.nexa.kernel.vfs.Stat;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A signalfd (fs/signalfd.c): reading takes pending signals of its mask from the reading
 * task (its own queue, then its process's) as 128-byte struct signalfd_siginfo records, and
 * blocks until one arrives unless O_NONBLOCK. Poll says POLLIN while such a signal is pending.
 */
final class SignalFdFile extends dev.nexa.kernel.vfs.OpenFile {
    static final int SIZE = 128;
    private static int nextIno = 1;

    private final dev.nexa.kernel.Kernel kernel;
    private final int ino = nextIno++;
    long mask;
    /** The syscall (dispatcher sequence number) that last took records, so a later page of its buffer never blocks. */
    private long lastCall = -1;

    SignalFdFile(dev.nexa.kernel.Kernel kernel, long mask, int flags) {
        super(O_RDONLY | flags);
        this.kernel = kernel;
        this.mask = mask;
    }

    private Task reader() { return kernel.current(); }

    @Override
    public long read(MemorySegment dst) throws ErrnoException {
        Task t = reader();
        if (t == null) throw new ErrnoException(Errno.EINVAL);
        long count = dst.byteSize() / SIZE;
        if (count == 0) throw new ErrnoException(Errno.EINVAL);
        long done = 0;
        while (done < count) {
            SigInfo info = dequeue(t);
            if (info == null) break;
            MemorySegment.copy(MemorySegment.ofArray(record(info)), 0, dst, done * SIZE, SIZE);
            done++;
        }
        long call = kernel.dispatcher().total();
        if (done > 0) {
            lastCall = call;
            return done * SIZE;
        }
        // The buffer's next page in the same read(2): what the earlier pages got is the result.
        if (call == lastCall) return 0;
        if (nonBlocking()) throw new ErrnoException(Errno.EAGAIN);
        throw Blocked.on(t.process().signalEvents);
    }

    private SigInfo dequeue(Task t) {
        long blocked = ~mask;
        int sig = t.pending.next(blocked);
        if (sig != 0) return t.pending.take(sig);
        Process p = t.process();
        sig = p.sharedPending.next(blocked);
        return sig == 0 ? null : p.sharedPending.take(sig);
    }

    /** signalfd_copyinfo: the fields of the siginfo's layout, at struct signalfd_siginfo's offsets. */
    static byte[] record(SigInfo info) {
        ByteBuffer src = ByteBuffer.wrap(info.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        int sig = info.signo(), code = info.code();
        b.putInt(0, sig).putInt(4, info.errno()).putInt(8, code);
        boolean kernelCode = code > SigInfo.SI_USER && code < SigInfo.SI_KERNEL;
        if (kernelCode && isFault(sig)) {
            b.putLong(72, src.getLong(16));                          // ssi_addr
        } else if (kernelCode && sig == Signal.SIGCHLD) {
            b.putInt(12, src.getInt(16)).putInt(16, src.getInt(20));  // ssi_pid, ssi_uid
            b.putInt(40, src.getInt(24));                            // ssi_status
            b.putLong(56, src.getLong(32)).putLong(64, src.getLong(40));   // ssi_utime, ssi_stime
        } else if (code == SigInfo.SI_TIMER) {
            b.putInt(24, src.getInt(16)).putInt(32, src.getInt(20));  // ssi_tid, ssi_overrun
            b.putLong(48, src.getLong(24)).putInt(44, src.getInt(24));     // ssi_ptr, ssi_int
        } else if (code < 0) {
            b.putInt(12, src.getInt(16)).putInt(16, src.getInt(20));  // SIL_RT: pid, uid, ptr, int
            b.putLong(48, src.getLong(24)).putInt(44, src.getInt(24));
        } else {
            b.putInt(12, src.getInt(16)).putInt(16, src.getInt(20));  // SIL_KILL: pid, uid
        }
        return b.array();
    }

    private static boolean isFault(int sig) {
        return sig == Signal.SIGILL || sig == Signal.SIGFPE || sig == Signal.SIGSEGV || sig == Signal.SIGBUS
                || sig == Signal.SIGTRAP;
    }

    @Override
    public int poll(int events) {
        Task t = reader();
        if (t == null) return 0;
        long pending = (t.pending.mask() | t.process().sharedPending.mask()) & mask;
        return pending != 0 ? events & (POLLIN | POLLRDNORM) : 0;
    }

    @Override
    public WaitQueue waitQueue() {
        Task t = reader();
        return t == null ? null : t.process().signalEvents;
    }

    @Override
    public String path() { return "anon_inode:[signalfd]"; }

    @Override
    public Stat stat() { return new Stat(0, 0x2000 + ino, 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0); }
}
