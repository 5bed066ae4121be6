package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Task;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/** System information, limits, randomness, scheduling hints and per-thread registrations. */
final class InfoCalls {
    private InfoCalls() {}

    /** uname(2) fields: a 6.1 kernel, which both C libraries treat as fully featured. */
    static final String SYSNAME = "Linux", NODENAME = "nexa", RELEASE = "6.1.0-nexa", VERSION = "#1 SMP Nexa",
            MACHINE = "x86_64", DOMAIN = "(none)";

    static final int RLIMIT_STACK = 3, RLIMIT_CORE = 4, RLIMIT_NOFILE = 7, RLIMIT_NPROC = 6, RLIM_NLIMITS = 16;
    static final long RLIM_INFINITY = -1L;

    static void register(SyscallTable t) {
        t.add(UNAME, InfoCalls::uname, UTSNAME_OUT);
        t.add(SYSINFO, InfoCalls::sysinfo, PTR);
        t.add(GETRANDOM, InfoCalls::getrandom, PTR, SIZE, INT);
        t.add(PRLIMIT64, InfoCalls::prlimit, INT, INT, PTR, PTR);
        t.add(GETRLIMIT, (task, a) -> rlimit(task, a.i(0), 0, a.l(1)), INT, PTR);
        t.add(SETRLIMIT, (task, a) -> rlimit(task, a.i(0), a.l(1), 0), INT, PTR);
        t.add(SCHED_GETAFFINITY, InfoCalls::schedGetaffinity, INT, SIZE, PTR);
        t.add(SCHED_SETAFFINITY, (task, a) -> 0, INT, SIZE, PTR);
        t.add(SCHED_YIELD, (task, a) -> 0);
        t.add(GETCPU, InfoCalls::getcpu, PTR, PTR, PTR);
        t.add(SET_ROBUST_LIST, InfoCalls::setRobustList, PTR, SIZE);
        t.add(GET_ROBUST_LIST, InfoCalls::getRobustList, INT, PTR, PTR);
        t.add(RSEQ, InfoCalls::rseq, PTR, SIZE, INT, CODE);
        t.add(GETPRIORITY, (task, a) -> 20, INT, INT);
        t.add(SETPRIORITY, (task, a) -> 0, INT, INT, INT);
    }

    static long uname(Task t, Args a) throws ErrnoException {
        ByteBuffer b = ByteBuffer.allocate(65 * 6);
        for (String s : new String[] {SYSNAME, NODENAME, RELEASE, VERSION, MACHINE, DOMAIN}) {
            byte[] v = s.getBytes(StandardCharsets.US_ASCII);
            int at = b.position();
            b.put(v);
            b.position(at + 65);
        }
        t.memory().write(a.l(0), b.array());
        return 0;
    }

    /** sysinfo(2): uptime, memory from the guest's frame allocator, one process count. */
    static long sysinfo(Task t, Args a) throws ErrnoException {
        var frames = t.kernel().frames();
        ByteBuffer b = ByteBuffer.allocate(112).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong((System.nanoTime() - t.kernel().bootNanos()) / 1_000_000_000L);
        b.putLong(0).putLong(0).putLong(0);                       // loads
        b.putLong(frames.totalFrames() * 4096);                   // totalram
        b.putLong(frames.freeFrames() * 4096);                    // freeram
        b.putLong(0).putLong(0).putLong(0).putLong(0);            // shared, buffer, totalswap, freeswap
        b.putShort((short) t.kernel().processes().size());
        b.position(b.position() + 6);
        b.putLong(0).putLong(0);                                  // totalhigh, freehigh
        b.putInt(1);                                              // mem_unit
        t.memory().write(a.l(0), b.array());
        return 0;
    }

    static final int GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

    static long getrandom(Task t, Args a) throws ErrnoException {
        if ((a.i(2) & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0) throw new ErrnoException(Errno.EINVAL);
        int n = (int) Math.min(a.l(1), 33554431);                 // Linux caps a call at 32 MiB - 1
        byte[] b = new byte[n];
        t.kernel().random().nextBytes(b);
        t.memory().write(a.l(0), b);
        return n;
    }

    static long prlimit(Task t, Args a) throws ErrnoException {
        if (a.i(0) != 0 && a.i(0) != t.process().pid()) {
            if (t.kernel().process(a.i(0)) == null) throw new ErrnoException(Errno.ESRCH);
        }
        return rlimit(t, a.i(1), a.l(2), a.l(3));
    }

    /**
     * Limits as Linux's defaults: an 8 MiB stack, 1024 descriptors, no core files; setting NOFILE
     * and CORE is honoured, NPROC reports the kernel's task limit.
     */
    private static long rlimit(Task t, int resource, long newAddr, long oldAddr) throws ErrnoException {
        if (resource < 0 || resource >= RLIM_NLIMITS) throw new ErrnoException(Errno.EINVAL);
        if (oldAddr != 0) {
            long cur, max;
            switch (resource) {
                case RLIMIT_STACK -> { cur = 8L << 20; max = RLIM_INFINITY; }
                case RLIMIT_NOFILE -> { cur = t.process().files().limit(); max = 4096; }
                case RLIMIT_NPROC -> { cur = t.kernel().taskLimit(); max = cur; }
                case RLIMIT_CORE -> { cur = t.process().coreLimit; max = RLIM_INFINITY; }
                default -> { cur = RLIM_INFINITY; max = RLIM_INFINITY; }
            }
            t.memory().writeLong(oldAddr, cur);
            t.memory().writeLong(oldAddr + 8, max);
        }
        if (newAddr != 0) {
            long cur = t.memory().readLong(newAddr), max = t.memory().readLong(newAddr + 8);
            if (Long.compareUnsigned(cur, max) > 0) throw new ErrnoException(Errno.EINVAL);
            if (resource == RLIMIT_NOFILE) {
                if (Long.compareUnsigned(max, 4096) > 0) throw new ErrnoException(Errno.EPERM);
                t.process().files().setLimit((int) cur);
            }
            // RLIMIT_CORE decides whether a core-dumping signal reports WCOREDUMP (no file is written).
            if (resource == RLIMIT_CORE) t.process().coreLimit = cur;
        }
        return 0;
    }

    /** One CPU: the mask has bit 0 set. */
    static long schedGetaffinity(Task t, Args a) throws ErrnoException {
        long size = a.l(1);
        if (size < 8 || (size & 7) != 0) throw new ErrnoException(Errno.EINVAL);
        t.memory().write(a.l(2), new byte[(int) Math.min(size, 128)]);
        t.memory().writeLong(a.l(2), 1);
        return Math.min(size, 128);
    }

    static long getcpu(Task t, Args a) throws ErrnoException {
        if (a.l(0) != 0) t.memory().writeInt(a.l(0), 0);
        if (a.l(1) != 0) t.memory().writeInt(a.l(1), 0);
        return 0;
    }

    static long setRobustList(Task t, Args a) throws ErrnoException {
        if (a.l(1) != 24) throw new ErrnoException(Errno.EINVAL);
        t.robustList = a.l(0);
        t.robustListLen = a.l(1);
        return 0;
    }

    static long getRobustList(Task t, Args a) throws ErrnoException {
        t.memory().writeLong(a.l(1), t.robustList);
        t.memory().writeLong(a.l(2), 24);
        return 0;
    }

    static final int RSEQ_FLAG_UNREGISTER = 1;

    /**
     * rseq(2): registration only. Nexa runs on one virtual CPU and never migrates a task, so the
     * area's cpu_id fields are 0 for good and critical sections are never aborted.
     */
    static long rseq(Task t, Args a) throws ErrnoException {
        long addr = a.l(0), len = a.u(1);
        if ((a.i(2) & RSEQ_FLAG_UNREGISTER) != 0) {
            if (t.rseq != addr) throw new ErrnoException(Errno.EINVAL);
            t.rseq = 0;
            return 0;
        }
        if (t.rseq != 0) throw new ErrnoException(t.rseq == addr ? Errno.EBUSY : Errno.EINVAL);
        if (len < 32 || (addr & 31) != 0) throw new ErrnoException(Errno.EINVAL);
        t.memory().writeInt(addr, 0);         // cpu_id_start
        t.memory().writeInt(addr + 4, 0);     // cpu_id
        t.rseq = addr;
        t.rseqLen = len;
        return 0;
    }
}
