package dev.nexa.kernel.signal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A siginfo_t exactly as the x86-64 ABI lays it out (include/uapi/asm-generic/siginfo.h,
 * checked by the static_asserts in arch/x86/kernel/signal_64.c): 128 bytes, si_signo at 0,
 * si_errno at 4, si_code at 8, then a union at 0x10 whose arm depends on the signal and code.
 * The kernel clears the whole structure before filling it (clear_siginfo), so every field not
 * set here is zero; user-supplied siginfos (rt_sigqueueinfo) are kept byte for byte.
 */
public final class SigInfo {
    public static final int SIZE = 128;

    // si_code values (include/uapi/asm-generic/siginfo.h).
    public static final int SI_USER = 0, SI_KERNEL = 0x80, SI_QUEUE = -1, SI_TIMER = -2, SI_MESGQ = -3,
            SI_ASYNCIO = -4, SI_SIGIO = -5, SI_TKILL = -6;
    public static final int ILL_ILLOPC = 1, ILL_ILLOPN = 2, ILL_PRVOPC = 5;
    public static final int FPE_INTDIV = 1, FPE_INTOVF = 2, FPE_FLTDIV = 3, FPE_FLTOVF = 4, FPE_FLTUND = 5,
            FPE_FLTRES = 6, FPE_FLTINV = 7;
    public static final int SEGV_MAPERR = 1, SEGV_ACCERR = 2;
    public static final int BUS_ADRALN = 1, BUS_ADRERR = 2;
    public static final int TRAP_BRKPT = 1, TRAP_TRACE = 2;
    public static final int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3, CLD_TRAPPED = 4, CLD_STOPPED = 5,
            CLD_CONTINUED = 6;
    public static final int POLL_IN = 1;

    private static final int PID = 0x10, UID = 0x14, VALUE = 0x18, STATUS = 0x18, UTIME = 0x20, STIME = 0x28,
            ADDR = 0x10, TID = 0x10, OVERRUN = 0x14;

    private final byte[] bytes;

    private SigInfo(byte[] bytes) { this.bytes = bytes; }

    private static SigInfo blank(int signo, int code) {
        SigInfo i = new SigInfo(new byte[SIZE]);
        i.putInt(0, signo);
        i.putInt(8, code);
        return i;
    }

    /** kill(2), tgkill(2), raise: the sender's pid and uid (the _kill arm). */
    public static SigInfo kill(int signo, int code, int pid, int uid) {
        SigInfo i = blank(signo, code);
        i.putInt(PID, pid);
        i.putInt(UID, uid);
        return i;
    }

    /** A signal the kernel sends on its own behalf (SEND_SIG_PRIV): SI_KERNEL, pid and uid 0. */
    public static SigInfo kernel(int signo) { return blank(signo, SI_KERNEL); }

    /** A CPU fault: si_addr is the faulting data or instruction address (the _sigfault arm). */
    public static SigInfo fault(int signo, int code, long addr) {
        SigInfo i = blank(signo, code);
        i.putLong(ADDR, addr);
        return i;
    }

    /** SIGCHLD (do_notify_parent): child's pid, uid, status and CPU times in clock ticks. */
    public static SigInfo child(int signo, int code, int pid, int uid, int status, long utimeTicks, long stimeTicks) {
        SigInfo i = blank(signo, code);
        i.putInt(PID, pid);
        i.putInt(UID, uid);
        i.putInt(STATUS, status);
        i.putLong(UTIME, utimeTicks);
        i.putLong(STIME, stimeTicks);
        return i;
    }

    /** A POSIX timer expiry (the _timer arm). */
    public static SigInfo timer(int signo, int timerId, int overrun, long value) {
        SigInfo i = blank(signo, SI_TIMER);
        i.putInt(TID, timerId);
        i.putInt(OVERRUN, overrun);
        i.putLong(VALUE, value);
        return i;
    }

    /** A siginfo a process handed to rt_sigqueueinfo(2), with si_signo forced to {@code signo}. */
    public static SigInfo fromUser(byte[] raw, int signo) {
        SigInfo i = new SigInfo(Arrays.copyOf(raw, SIZE));
        i.putInt(0, signo);
        return i;
    }

    public int signo() { return getInt(0); }

    public int errno() { return getInt(4); }

    public int code() { return getInt(8); }

    public int pid() { return getInt(PID); }

    public int uid() { return getInt(UID); }

    public int status() { return getInt(STATUS); }

    public long addr() { return getLong(ADDR); }

    public long value() { return getLong(VALUE); }

    /** The 128 bytes as they go to user memory. */
    public byte[] bytes() { return bytes.clone(); }

    private ByteBuffer buf() { return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN); }

    private void putInt(int at, int v) { buf().putInt(at, v); }

    private void putLong(int at, long v) { buf().putLong(at, v); }

    private int getInt(int at) { return buf().getInt(at); }

    private long getLong(int at) { return buf().getLong(at); }

    @Override
    public String toString() {
        return "{si_signo=" + dev.nexa.kernel.abi.Signal.name(signo()) + ", si_code=" + code() + "}";
    }
}
