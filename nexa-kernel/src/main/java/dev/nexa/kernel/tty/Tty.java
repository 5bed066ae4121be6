package dev.nexa.kernel.tty;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.RestartState;
import dev.nexa.kernel.proc.SyscallRestart;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.proc.WaitQueue;
import dev.nexa.kernel.signal.SigInfo;
import dev.nexa.kernel.vfs.OpenFile;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static dev.nexa.kernel.tty.Termios.*;

/**
 * A terminal device (Linux's tty_struct with its n_tty line discipline): settings, window size,
 * the session it is the controlling terminal of and that session's foreground process group,
 * flow control, and the job-control rules of drivers/tty/tty_jobctrl.c.
 * <p>
 * Input arrives from the {@link TtyDriver} on another thread ({@link #input}); it is queued
 * and taken in on the kernel thread when the scheduler runs its host events, so guest state is
 * only ever touched by the kernel thread. Readers that find nothing to read park on
 * {@link #events} (no host thread spins). Output is written to the driver synchronously.
 * <p>
 * Files open on the tty are {@link TtyFile}s; one opened through /dev/console is a "redirected"
 * file, exempt from job control and from hangups, as Linux's console_fops are.
 */
public final class Tty {
    // ioctl requests (include/uapi/asm-generic/ioctls.h).
    public static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TCGETA = 0x5405,
            TCSETA = 0x5406, TCSETAW = 0x5407, TCSETAF = 0x5408, TCSBRK = 0x5409, TCXONC = 0x540A, TCFLSH = 0x540B,
            TIOCEXCL = 0x540C, TIOCNXCL = 0x540D, TIOCSCTTY = 0x540E, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410,
            TIOCOUTQ = 0x5411, TIOCSTI = 0x5412, TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, FIONREAD = 0x541B,
            TIOCGSERIAL = 0x541E, TIOCNOTTY = 0x5422, TIOCSETD = 0x5423, TIOCGETD = 0x5424, TCSBRKP = 0x5425,
            TIOCSBRK = 0x5427, TIOCCBRK = 0x5428, TIOCGSID = 0x5429, TCGETS2 = 0x802c542a, TCSETS2 = 0x402c542b,
            TCSETSW2 = 0x402c542c, TCSETSF2 = 0x402c542d, TIOCVHANGUP = 0x5437, TIOCGEXCL = 0x80045440;
    /** TCXONC and TCFLSH arguments. */
    public static final int TCOOFF = 0, TCOON = 1, TCIOFF = 2, TCION = 3, TCIFLUSH = 0, TCOFLUSH = 1, TCIOFLUSH = 2;
    /** TIOCGSERIAL: the console presents itself as the first 16550A UART, which busybox's cttyhack looks for. */
    static final int SERIAL_STRUCT_SIZE = 72, PORT_16550A = 4;

    private final Kernel kernel;
    private final String name;
    private final TtyDriver driver;
    private final Termios termios;
    private final LineDiscipline ldisc;
    private WinSize winsize;
    /** The session this is the controlling terminal of, and its foreground group (0: none). */
    private int session, pgrp;
    private boolean stopped, tcoStopped, exclusive, hupped;
    /** Incremented by each hangup: non-console files opened before it are hung up. */
    private int hangups;
    /** The driver said the terminal is gone (host end of file): reads end, nothing more arrives. */
    private boolean driverGone;
    private long lastInputNanos;

    /** Woken when input arrives, output restarts, the settings change or the tty hangs up (read, write, poll). */
    public final WaitQueue events = new WaitQueue();

    // Crossing from the driver's thread to the kernel thread.
    private final LinkedBlockingQueue<byte[]> incoming = new LinkedBlockingQueue<>(256);
    private volatile boolean resizePending, hangupPending;
    private byte[] leftover;
    private int leftoverOff;

    public Tty(Kernel kernel, String name, TtyDriver driver, Termios initial) {
        this.kernel = kernel;
        this.name = name;
        this.driver = driver;
        this.termios = initial.copy();
        this.ldisc = new LineDiscipline(termios, new Port());
        WinSize ws = driver.size();
        this.winsize = ws == null ? WinSize.NONE : ws;
        kernel.scheduler().onHostEvent(this::takeHostEvents);
    }

    /** Starts the driver's input (after the tty is wired into the kernel). */
    public void start() { driver.start(this); }

    public String name() { return name; }

    public Termios termios() { return termios.copy(); }

    public WinSize winsize() { return winsize; }

    public int session() { return session; }

    public int foregroundGroup() { return pgrp; }

    public LineDiscipline lineDiscipline() { return ldisc; }

    // ---- from the driver's thread -------------------------------------------------------------------

    /** Bytes typed on the terminal; blocks the driver's thread while much input is waiting. */
    public void input(byte[] bytes) throws InterruptedException {
        if (bytes.length == 0) return;
        incoming.put(bytes);
        kernel.scheduler().hostEvent();
    }

    /** Like {@link #input} with a bound on the wait; false when the kernel did not take the bytes in time. */
    public boolean input(byte[] bytes, long timeoutMillis) throws InterruptedException {
        boolean ok = incoming.offer(bytes, timeoutMillis, TimeUnit.MILLISECONDS);
        kernel.scheduler().hostEvent();
        return ok;
    }

    /** The terminal went away (end of input): the tty is hung up. */
    public void hangup() {
        hangupPending = true;
        kernel.scheduler().hostEvent();
    }

    /** The terminal's size may have changed (SIGWINCH on the host). */
    public void resized() {
        resizePending = true;
        kernel.scheduler().hostEvent();
    }

    // ---- on the kernel thread ----------------------------------------------------------------------

    /** Takes in what the driver delivered (the scheduler calls this after a host event). */
    void takeHostEvents() {
        boolean took = pumpInput();
        if (resizePending || took) {
            // A resize is noticed on SIGWINCH, and checked whenever input arrives (cheap: one ioctl).
            resizePending = false;
            WinSize ws = driver.size();
            if (ws != null) resize(ws);
        }
        if (hangupPending) {
            hangupPending = false;
            driverGone = true;
            vhangup(false);
        }
    }

    /** Moves queued input into the line discipline while it has room; true if anything was taken. */
    private boolean pumpInput() {
        boolean took = false;
        while (true) {
            if (leftover == null) {
                leftover = incoming.poll();
                leftoverOff = 0;
                if (leftover == null) break;
            }
            int n = ldisc.receive(leftover, leftoverOff, leftover.length - leftoverOff);
            if (n > 0) {
                took = true;
                lastInputNanos = System.nanoTime();
            }
            leftoverOff += n;
            if (leftoverOff < leftover.length) break;              // the buffer is full: the rest waits
            leftover = null;
        }
        if (took) events.wakeAll();
        return took;
    }

    /** Feeds bytes straight into the line discipline (tests; the kernel thread only). */
    public int receive(byte[] bytes) {
        int n = ldisc.receive(bytes, 0, bytes.length);
        if (n > 0) lastInputNanos = System.nanoTime();
        events.wakeAll();
        return n;
    }

    /** tty_do_resize: a new size, and SIGWINCH for the foreground group when it changed. */
    void resize(WinSize ws) {
        if (ws.equals(winsize)) return;
        winsize = ws;
        if (pgrp != 0) killGroup(pgrp, Signal.SIGWINCH);
    }

    private final class Port implements LineDiscipline.Port {
        @Override
        public void transmit(byte[] b, int off, int len) { driver.write(b, off, len); }

        @Override
        public int writeRoom() { return stopped ? 0 : 1 << 30; }

        @Override
        public void signal(int sig) {
            if (pgrp != 0) killGroup(pgrp, sig);
        }

        @Override
        public void stopOutput() { stopped = true; }

        @Override
        public void startOutput() {
            if (!stopped || tcoStopped) return;
            stopped = false;
            events.wakeAll();
        }

        @Override
        public boolean outputStopped() { return stopped; }

        @Override
        public boolean tcoStopped() { return tcoStopped; }
    }

    /** kill_pgrp(pgrp, sig, 1): every process of the group, from the kernel (SI_KERNEL). */
    private void killGroup(int group, int sig) {
        for (Process p : kernel.processGroup(group)) kernel.signals().sendProcess(p, SigInfo.kernel(sig));
    }

    // ---- opening and the controlling terminal ------------------------------------------------------

    /**
     * tty_open's rules for a new file: EBUSY on an exclusive tty (TIOCEXCL) unless root; then
     * tty_open_proc_set_tty: a session leader without a controlling terminal opening a tty that
     * belongs to no session, for reading and without O_NOCTTY, acquires it. /dev/console never
     * becomes a controlling terminal this way.
     */
    public TtyFile open(dev.nexa.kernel.vfs.PathRef where, Process caller, int flags, boolean console)
            throws ErrnoException {
        if (exclusive && caller != null && caller.euid != 0) throw new ErrnoException(Errno.EBUSY);
        TtyFile f = new TtyFile(where, flags & ~OpenFile.O_NOCTTY, this, console, hangups);
        hupped = false;
        boolean noctty = console || (flags & OpenFile.O_NOCTTY) != 0;
        if (!noctty && caller != null && caller.sessionLeader && caller.tty == null && session == 0 && f.readable()) {
            setControlling(caller);
        }
        return f;
    }

    /** __proc_set_tty: the tty belongs to the caller's session, with the caller's group in the foreground. */
    private void setControlling(Process p) {
        session = p.sid;
        pgrp = p.pgid;
        p.tty = this;
    }

    /**
     * Makes this the controlling terminal of {@code p}'s session without the checks (the first
     * program of {@code nexa run}, whose session stands for the host shell's, already has it).
     */
    public void assignTo(Process p) {
        setControlling(p);
        for (Process q : kernel.processes()) if (q.sid == p.sid) q.tty = this;
    }

    /** session_clear_tty: no process of the session has a controlling terminal any more. */
    private void clearSessionTty(int sid) {
        for (Process q : kernel.processes()) if (q.sid == sid && q.tty == this) q.tty = null;
    }

    /**
     * disassociate_ctty(1), when a session leader exits: for a terminal that is not a pty the
     * session is hung up (tty_vhangup_session): its other processes lose the terminal, the
     * foreground group gets SIGHUP, and files opened on it (except through /dev/console) read
     * end of file and fail writes with EIO.
     */
    public void sessionLeaderExited(Process leader) {
        if (leader.tty != this) return;
        vhangup(true);
        session = 0;
        pgrp = 0;
        clearSessionTty(leader.sid);
    }

    /** __tty_hangup. */
    private void vhangup(boolean exitSession) {
        if (hupped) return;
        hangups++;
        int fg = pgrp;
        if (session != 0) {
            for (Process q : kernel.processes()) {
                if (q.sid != session || q.isZombie()) continue;
                if (q.tty == this) q.tty = null;
                if (!q.sessionLeader) continue;
                kernel.signals().sendProcess(q, SigInfo.kernel(Signal.SIGHUP));
                kernel.signals().sendProcess(q, SigInfo.kernel(Signal.SIGCONT));
            }
        }
        if (fg != 0 && exitSession) killGroup(fg, Signal.SIGHUP);
        ldisc.resetBuffer();
        stopped = tcoStopped = false;
        session = 0;
        pgrp = 0;
        hupped = true;
        events.wakeAll();
    }

    /** A file opened before the last hangup (not through /dev/console) is hung up. */
    boolean hungUp(TtyFile f) { return !f.console() && f.generation() != hangups; }

    // ---- job control (drivers/tty/tty_jobctrl.c) ----------------------------------------------------

    /**
     * __tty_check_change: a process of a background group using its controlling terminal gets
     * {@code sig} (SIGTTOU for changes and TOSTOP writes, SIGTTIN for reads) sent to its whole
     * group and the call restarts once it is continued; EIO instead when the signal is ignored
     * or blocked (for SIGTTIN; SIGTTOU then allows the call) or the group is orphaned. Returns 0
     * when the call may go ahead, else the value it must return.
     */
    long checkChange(Task t, int sig) {
        Process p = t.process();
        if (p.tty != this || pgrp == 0 || p.pgid == pgrp) return 0;
        boolean ignored = (t.sigmask & Signal.bit(sig)) != 0 || p.action(sig).isIgnore();
        if (ignored) return sig == Signal.SIGTTIN ? Errno.EIO.ret() : 0;
        if (kernel.isOrphanedPgrp(p.pgid, null)) return Errno.EIO.ret();
        killGroup(p.pgid, sig);
        return SyscallRestart.SYS.ret();
    }

    private static void check(long r) throws ErrnoException, Interrupted {
        if (r == Errno.EIO.ret()) throw new ErrnoException(Errno.EIO);
        if (r != 0) throw new Interrupted(r);
    }

    /** A call that must return a restart code (a job-control signal was sent). */
    static final class Interrupted extends Exception {
        final long code;

        Interrupted(long code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    // ---- read and write ----------------------------------------------------------------------------

    /** What a VMIN=0, VTIME>0 read keeps across its wait: its deadline. */
    private record ReadTimeout(long deadlineNanos) implements RestartState {}

    /**
     * n_tty_read: job control, then one line in canonical mode; otherwise the VMIN/VTIME rules
     * (VMIN bytes or, with VTIME, what came before the gap between bytes reached VTIME tenths of
     * a second; with VMIN 0, whatever arrives within VTIME, possibly nothing).
     */
    long read(TtyFile f, Task t, long va, long len) throws ErrnoException {
        if (hungUp(f)) return 0;
        if (!f.console()) {
            long r = checkChange(t, Signal.SIGTTIN);
            if (r == Errno.EIO.ret()) throw new ErrnoException(Errno.EIO);
            if (r != 0) return r;
        }
        if (len == 0) return 0;
        int max = (int) Math.min(len, LineDiscipline.BUF_SIZE);
        if (ldisc.canonical()) {
            if (!ldisc.inputAvailable(0)) {
                if (driverGone) return 0;
                if (f.nonBlocking()) throw new ErrnoException(Errno.EAGAIN);
                throw Blocked.on(events);
            }
            return copyOut(t, va, max);
        }
        int vmin = termios.cc[VMIN] & 0xff, vtime = termios.cc[VTIME] & 0xff;
        int need = Math.min(vmin == 0 ? 1 : vmin, max);
        int avail = ldisc.buffered();
        if (avail >= need || driverGone) return avail == 0 ? 0 : copyOut(t, va, max);
        if (f.nonBlocking()) {
            if (avail > 0) return copyOut(t, va, max);
            throw new ErrnoException(Errno.EAGAIN);
        }
        if (vmin == 0) {
            if (vtime == 0) return 0;
            long deadline;
            if (t.restart instanceof ReadTimeout rt) deadline = rt.deadlineNanos();
            else t.restart = new ReadTimeout(deadline = System.nanoTime() + vtime * 100_000_000L);
            if (System.nanoTime() - deadline >= 0) return 0;
            throw Blocked.until(deadline, events);
        }
        if (vtime == 0 || avail == 0) throw Blocked.on(events);
        long deadline = lastInputNanos + vtime * 100_000_000L;
        if (System.nanoTime() - deadline >= 0) return copyOut(t, va, max);
        throw Blocked.until(deadline, events);
    }

    private long copyOut(Task t, long va, int max) throws ErrnoException {
        byte[] tmp = new byte[max];
        int n = ldisc.read(tmp, max);
        if (n > 0) t.memory().write(va, java.util.Arrays.copyOf(tmp, n));
        pumpInput();                                       // room was made: take in what waits
        return n;
    }

    /**
     * n_tty_write: with TOSTOP, a background process is stopped by SIGTTOU; a stopped tty (^S,
     * TCOOFF) makes writers wait. Output is processed (OPOST) and written to the terminal.
     */
    long write(TtyFile f, Task t, long va, long len) throws ErrnoException {
        if (hungUp(f)) throw new ErrnoException(Errno.EIO);
        if (termios.l(TOSTOP) && !f.console()) {
            long r = checkChange(t, Signal.SIGTTOU);
            if (r == Errno.EIO.ret()) throw new ErrnoException(Errno.EIO);
            if (r != 0) return r;
        }
        if (len == 0) return 0;
        if (stopped) {
            if (f.nonBlocking()) throw new ErrnoException(Errno.EAGAIN);
            throw Blocked.on(events);
        }
        long done = 0;
        while (done < len) {
            int n = (int) Math.min(len - done, 1 << 16);
            byte[] chunk = t.memory().read(va + done, n);
            ldisc.write(chunk, 0, n);
            done += n;
        }
        return done;
    }

    /** Output written by the kernel itself (not subject to job control). */
    public void writeKernel(byte[] b) { ldisc.write(b, 0, b.length); }

    /** n_tty_poll (a hung-up file is readable, writable and hung up). */
    int poll(TtyFile f, int events) {
        int mask;
        if (hungUp(f)) {
            mask = OpenFile.POLLIN | OpenFile.POLLOUT | OpenFile.POLLERR | OpenFile.POLLHUP | OpenFile.POLLRDNORM
                    | OpenFile.POLLWRNORM;
        } else {
            mask = 0;
            int vmin = termios.cc[VMIN] & 0xff, vtime = termios.cc[VTIME] & 0xff;
            if (ldisc.inputAvailable(vtime == 0 && vmin > 0 ? vmin : 1) || driverGone) {
                mask |= OpenFile.POLLIN | OpenFile.POLLRDNORM;
            }
            if (driverGone) mask |= OpenFile.POLLHUP;
            if (!stopped) mask |= OpenFile.POLLOUT | OpenFile.POLLWRNORM;
        }
        return mask & (events | OpenFile.POLLERR | OpenFile.POLLHUP);
    }

    // ---- ioctl -------------------------------------------------------------------------------------

    long ioctl(TtyFile f, Task t, int request, long arg) throws ErrnoException {
        if (hungUp(f)) throw new ErrnoException(request == TIOCSPGRP ? Errno.ENOTTY : Errno.EIO);
        try {
            return doIoctl(f, t, request, arg);
        } catch (Interrupted i) {
            return i.code;
        }
    }

    private long doIoctl(TtyFile f, Task t, int request, long arg) throws ErrnoException, Interrupted {
        Process p = t.process();
        var mem = t.memory();
        switch (request) {
            case TCGETS -> mem.write(arg, termios.toBytes(false));
            case TCGETS2 -> mem.write(arg, termios.toBytes(true));
            case TCGETA -> mem.write(arg, termio());
            case TCSETS, TCSETSW, TCSETSF, TCSETS2, TCSETSW2, TCSETSF2, TCSETA, TCSETAW, TCSETAF -> {
                check(checkChange(t, Signal.SIGTTOU));
                Termios next;
                if (request == TCSETA || request == TCSETAW || request == TCSETAF) {
                    next = fromTermio(mem.read(arg, 18));
                } else {
                    boolean two = request == TCSETS2 || request == TCSETSW2 || request == TCSETSF2;
                    next = Termios.parse(mem.read(arg, two ? Termios.SIZE2 : Termios.SIZE));
                    if (!two) {
                        // The old structure has no speed fields: with BOTHER the current speeds stay.
                        if ((next.cflag & CBAUD) == BOTHER) next.ospeed = termios.ospeed;
                        if ((next.cflag >>> 16 & CBAUD) == BOTHER) next.ispeed = termios.ispeed;
                    }
                }
                // TCSETSW and TCSETSF wait for output to drain (it never lags here); TCSETSF flushes input.
                if (request == TCSETSF || request == TCSETSF2 || request == TCSETAF) ldisc.resetBuffer();
                setTermios(next);
            }
            case TIOCGWINSZ -> mem.write(arg, winsize.toBytes());
            case TIOCSWINSZ -> resize(WinSize.parse(mem.read(arg, WinSize.SIZE)));
            case TIOCGPGRP -> {
                if (p.tty != this) throw new ErrnoException(Errno.ENOTTY);
                mem.writeInt(arg, pgrp);
            }
            case TIOCSPGRP -> setForeground(t, mem.readInt(arg));
            case TIOCGSID -> {
                if (p.tty != this || session == 0) throw new ErrnoException(Errno.ENOTTY);
                mem.writeInt(arg, session);
            }
            case TIOCSCTTY -> takeAsControlling(f, p, (int) arg);
            case TIOCNOTTY -> {
                if (p.tty != this) throw new ErrnoException(Errno.ENOTTY);
                if (p.sessionLeader) disassociate(p);
                p.tty = null;
            }
            case FIONREAD -> mem.writeInt(arg, ldisc.readable());
            case TIOCOUTQ -> mem.writeInt(arg, 0);
            case TCFLSH -> {
                check(checkChange(t, Signal.SIGTTOU));
                switch ((int) arg) {
                    case TCIFLUSH, TCIOFLUSH -> {
                        ldisc.resetBuffer();
                        pumpInput();
                    }
                    case TCOFLUSH -> { }
                    default -> throw new ErrnoException(Errno.EINVAL);
                }
            }
            case TCXONC -> {
                check(checkChange(t, Signal.SIGTTOU));
                switch ((int) arg) {
                    case TCOOFF -> {
                        if (!tcoStopped) {
                            tcoStopped = true;
                            stopped = true;
                        }
                    }
                    case TCOON -> {
                        if (tcoStopped) {
                            tcoStopped = false;
                            stopped = false;
                            ldisc.processEchoes();
                            events.wakeAll();
                        }
                    }
                    case TCIOFF -> {
                        if (termios.cc(VSTOP) >= 0) ldisc.sendChar(termios.cc(VSTOP));
                    }
                    case TCION -> {
                        if (termios.cc(VSTART) >= 0) ldisc.sendChar(termios.cc(VSTART));
                    }
                    default -> throw new ErrnoException(Errno.EINVAL);
                }
            }
            case TCSBRK, TCSBRKP, TIOCSBRK, TIOCCBRK -> check(checkChange(t, Signal.SIGTTOU));
            case TIOCEXCL -> exclusive = true;
            case TIOCNXCL -> exclusive = false;
            case TIOCGEXCL -> mem.writeInt(arg, exclusive ? 1 : 0);
            case TIOCGETD -> mem.writeInt(arg, 0);                    // N_TTY
            case TIOCSETD -> {
                if (mem.readInt(arg) != 0) throw new ErrnoException(Errno.EINVAL, "only N_TTY is available");
            }
            case TIOCGSERIAL -> mem.write(arg, serialStruct());
            case TIOCVHANGUP -> {
                if (p.euid != 0) throw new ErrnoException(Errno.EPERM);
                vhangup(false);
            }
            default -> throw new ErrnoException(Errno.ENOTTY);
        }
        return 0;
    }

    /** set_termios / tty_set_termios: the new settings, then the line discipline adapts. */
    private void setTermios(Termios next) {
        Termios old = termios.copy();
        termios.set(next);
        ldisc.termiosChanged(old);
        events.wakeAll();
    }

    /**
     * tiocspgrp: only the controlling terminal of the caller's session, from its foreground (a
     * background caller gets SIGTTOU, or ENOTTY where that would be EIO); the group must exist
     * (ESRCH) in the same session (EPERM).
     */
    private void setForeground(Task t, int group) throws ErrnoException, Interrupted {
        long r = checkChange(t, Signal.SIGTTOU);
        if (r == Errno.EIO.ret()) throw new ErrnoException(Errno.ENOTTY);
        if (r != 0) throw new Interrupted(r);
        Process p = t.process();
        if (group < 0) throw new ErrnoException(Errno.EINVAL);
        if (p.tty != this || session != p.sid) throw new ErrnoException(Errno.ENOTTY);
        int groupSession = -1;
        for (Process q : kernel.processes()) {
            if (q.isZombie()) continue;
            if (q.pgid == group || q.pid() == group) {
                groupSession = q.sid;
                if (q.pgid == group) break;
            }
        }
        if (groupSession < 0) throw new ErrnoException(Errno.ESRCH);
        if (groupSession != p.sid) throw new ErrnoException(Errno.EPERM);
        pgrp = group;
    }

    /**
     * tiocsctty: a session leader without a controlling terminal takes this one; if it belongs
     * to another session, only root with arg 1 may steal it. The file must be readable unless
     * the caller is root.
     */
    private void takeAsControlling(TtyFile f, Process p, int arg) throws ErrnoException {
        if (p.sessionLeader && session == p.sid && p.tty == this) return;
        if (!p.sessionLeader || p.tty != null) throw new ErrnoException(Errno.EPERM);
        boolean root = p.euid == 0;
        if (session != 0) {
            if (arg == 1 && root) clearSessionTty(session);
            else throw new ErrnoException(Errno.EPERM);
        }
        if (!f.readable() && !root) throw new ErrnoException(Errno.EPERM);
        setControlling(p);
    }

    /** disassociate_ctty(0) (TIOCNOTTY by a session leader): SIGHUP and SIGCONT to the foreground group. */
    private void disassociate(Process leader) {
        int fg = pgrp;
        if (fg != 0) {
            killGroup(fg, Signal.SIGHUP);
            killGroup(fg, Signal.SIGCONT);
        }
        session = 0;
        pgrp = 0;
        clearSessionTty(leader.sid);
    }

    /** struct termio (TCGETA): the low 16 bits of each flag word, the line, 8 control characters. */
    private byte[] termio() {
        ByteBuffer b = ByteBuffer.allocate(18).order(ByteOrder.LITTLE_ENDIAN);
        b.putShort((short) termios.iflag).putShort((short) termios.oflag).putShort((short) termios.cflag)
                .putShort((short) termios.lflag).put(termios.line).put(termios.cc, 0, 8);
        return b.array();
    }

    /** user_termio_to_kernel_termios: the termio's 16 bits replace the low halves, its 8 characters the first 8. */
    private Termios fromTermio(byte[] raw) {
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        Termios t = termios.copy();
        t.iflag = (t.iflag & 0xffff0000) | (b.getShort(0) & 0xffff);
        t.oflag = (t.oflag & 0xffff0000) | (b.getShort(2) & 0xffff);
        t.cflag = (t.cflag & 0xffff0000) | (b.getShort(4) & 0xffff);
        t.lflag = (t.lflag & 0xffff0000) | (b.getShort(6) & 0xffff);
        t.line = b.get(8);
        b.get(9, t.cc, 0, 8);
        return t;
    }

    /** struct serial_struct for TIOCGSERIAL: line 0, a 16550A at the first COM port's address. */
    private static byte[] serialStruct() {
        ByteBuffer b = ByteBuffer.allocate(SERIAL_STRUCT_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, PORT_16550A);           // type
        b.putInt(4, 0);                     // line
        b.putInt(8, 0x3f8);                 // port
        b.putInt(12, 4);                    // irq
        b.putInt(20, 16);                   // xmit_fifo_size
        b.putInt(28, 115200);               // baud_base
        b.putShort(32, (short) 50);         // close_delay (hundredths of a second)
        b.putShort(40, (short) 3000);       // closing_wait
        return b.array();
    }

    /** The machine stopped: the driver may let go of the host terminal. */
    public void close() { driver.close(); }

    @Override
    public String toString() { return "tty " + name; }
}
