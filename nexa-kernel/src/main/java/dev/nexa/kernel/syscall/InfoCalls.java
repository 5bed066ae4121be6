package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
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
        t.add(GETPRIORITY, InfoCalls::getpriority, INT, INT);
        t.add(SETPRIORITY, InfoCalls::setpriority, INT, INT, INT);
        t.add(IOPRIO_GET, InfoCalls::ioprioGet, INT, INT);
        t.add(IOPRIO_SET, InfoCalls::ioprioSet, INT, INT, CODE);
        t.add(SYSLOG, InfoCalls::syslog, INT, PTR, INT);
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

    static final int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;

    /**
     * The processes a priority call names (kernel/sys.c): one process, a process group or every
     * process of a user; {@code who} 0 means the caller's own. Nexa keeps the value per process.
     */
    private static java.util.List<Process> prioTargets(Task t, int which, int who) throws ErrnoException {
        Process self = t.process();
        java.util.List<Process> all = t.kernel().processes();
        java.util.List<Process> out = switch (which) {
            case PRIO_PROCESS -> {
                Process p = who == 0 ? self : t.kernel().process(who);
                yield p == null || p.isZombie() ? java.util.List.of() : java.util.List.of(p);
            }
            case PRIO_PGRP -> {
                int g = who == 0 ? self.pgid : who;
                yield all.stream().filter(p -> p.pgid == g && !p.isZombie()).toList();
            }
            case PRIO_USER -> {
                int u = who == 0 ? self.euid : who;
                yield all.stream().filter(p -> p.uid == u && !p.isZombie()).toList();
            }
            default -> throw new ErrnoException(Errno.EINVAL);
        };
        if (out.isEmpty()) throw new ErrnoException(Errno.ESRCH);
        return out;
    }

    /** getpriority(2): 20 - nice of the highest-priority target (the raw syscall's encoding). */
    static long getpriority(Task t, Args a) throws ErrnoException {
        int best = 19;
        for (Process p : prioTargets(t, a.i(0), a.i(1))) best = Math.min(best, p.nice);
        return 20 - best;
    }

    /**
     * setpriority(2): the value is clamped to -20..19; another user's process is EPERM and a
     * lower nice than before is EACCES without CAP_SYS_NICE (set_one_prio).
     */
    static long setpriority(Task t, Args a) throws ErrnoException {
        int nice = Math.max(-20, Math.min(19, a.i(2)));
        Process self = t.process();
        boolean root = self.euid == 0;
        Errno err = null;
        for (Process p : prioTargets(t, a.i(0), a.i(1))) {
            if (!root && p.uid != self.euid && p.euid != self.euid) err = Errno.EPERM;
            else if (!root && nice < p.nice) err = Errno.EACCES;
            else p.nice = nice;
        }
        if (err != null) throw new ErrnoException(err);
        return 0;
    }

    static final int IOPRIO_WHO_PROCESS = 1, IOPRIO_WHO_PGRP = 2, IOPRIO_WHO_USER = 3;

    /** ioprio_get(2): the value set with ioprio_set (0: IOPRIO_CLASS_NONE, as for a task that never set one). */
    static long ioprioGet(Task t, Args a) throws ErrnoException {
        int which = a.i(0) - IOPRIO_WHO_PROCESS;
        if (which < PRIO_PROCESS || which > PRIO_USER) throw new ErrnoException(Errno.EINVAL);
        int best = -1;
        for (Process p : prioTargets(t, which, a.i(1))) best = Math.max(best, p.ioprio);
        return best;
    }

    /** ioprio_set(2): classes NONE, RT (root only), BE and IDLE with levels 0..7 (block/ioprio.c). */
    static long ioprioSet(Task t, Args a) throws ErrnoException {
        int which = a.i(0) - IOPRIO_WHO_PROCESS;
        if (which < PRIO_PROCESS || which > PRIO_USER) throw new ErrnoException(Errno.EINVAL);
        int value = a.i(2), cls = value >>> 13 & 7, level = value & 0x1fff;
        switch (cls) {
            case 0 -> { if (level != 0) throw new ErrnoException(Errno.EINVAL); }
            case 1 -> {
                if (t.process().euid != 0) throw new ErrnoException(Errno.EPERM);
                if (level > 7) throw new ErrnoException(Errno.EINVAL);
            }
            case 2 -> { if (level > 7) throw new ErrnoException(Errno.EINVAL); }
            case 3 -> { }
            default -> throw new ErrnoException(Errno.EINVAL);
        }
        for (Process p : prioTargets(t, which, a.i(1))) p.ioprio = value;
        return 0;
    }

    static final int SYSLOG_ACTION_CLOSE = 0, SYSLOG_ACTION_OPEN = 1, SYSLOG_ACTION_READ = 2, SYSLOG_ACTION_READ_ALL = 3,
            SYSLOG_ACTION_READ_CLEAR = 4, SYSLOG_ACTION_CLEAR = 5, SYSLOG_ACTION_CONSOLE_OFF = 6,
            SYSLOG_ACTION_CONSOLE_ON = 7, SYSLOG_ACTION_CONSOLE_LEVEL = 8, SYSLOG_ACTION_SIZE_UNREAD = 9,
            SYSLOG_ACTION_SIZE_BUFFER = 10;
    /** CONFIG_LOG_BUF_SHIFT 17: the ring's size. */
    static final int LOG_BUF_LEN = 1 << 17;

    /**
     * syslog(2), the kernel log ring (kernel/printk/printk.c do_syslog): Nexa's kernel logs
     * nothing there, so reads find no bytes (and SYSLOG_ACTION_READ waits for some, as on an idle
     * kernel); the checks are Linux's with dmesg_restrict set, Debian's default: every action
     * needs CAP_SYSLOG (root), then EINVAL for bad lengths and actions.
     */
    static long syslog(Task t, Args a) throws ErrnoException {
        int action = a.i(0), len = a.i(2);
        if (t.process().euid != 0) throw new ErrnoException(Errno.EPERM);
        return switch (action) {
            case SYSLOG_ACTION_CLOSE, SYSLOG_ACTION_OPEN, SYSLOG_ACTION_CLEAR, SYSLOG_ACTION_CONSOLE_OFF,
                 SYSLOG_ACTION_CONSOLE_ON, SYSLOG_ACTION_SIZE_UNREAD -> 0;
            case SYSLOG_ACTION_READ, SYSLOG_ACTION_READ_ALL, SYSLOG_ACTION_READ_CLEAR -> {
                if (len < 0 || a.l(1) == 0) throw new ErrnoException(Errno.EINVAL);
                if (len == 0) yield 0;
                if (action == SYSLOG_ACTION_READ) throw dev.nexa.kernel.proc.Blocked.on();   // until a signal: nothing is ever logged
                yield 0;
            }
            case SYSLOG_ACTION_CONSOLE_LEVEL -> {
                if (len < 1 || len > 8) throw new ErrnoException(Errno.EINVAL);
                yield 0;
            }
            case SYSLOG_ACTION_SIZE_BUFFER -> LOG_BUF_LEN;
            default -> throw new ErrnoException(Errno.EINVAL);
        };
    }

    static final int GRND_NONBLOCK = 1, GRND_RANDOM = 2, GRND_INSECURE = 4;

    static long getrandom(Task t, Args a) throws ErrnoException {
        if ((a.i(2) & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE)) != 0) throw new ErrnoException(Errno.EINVAL);
        // Linux caps a call at 32 MiB - 1; the count is a size_t, so "negative" ones are huge.
        int n = Long.compareUnsigned(a.l(1), 33554431) > 0 ? 33554431 : (int) a.l(1);
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
