package dev.nexa.kernel.proc;

import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.abi.Sysno;
import dev.nexa.kernel.signal.SigInfo;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * poll, select and epoll over a file whose readiness the test controls: ready descriptors are
 * reported at once, otherwise the task blocks on the file's wait queue until a change wakes it,
 * and signals end the wait (EINTR for epoll, ERESTARTNOHAND-then-EINTR for select).
 */
class PollWaitTest {
    static final long EINTR = -4, EEXIST = -17, ENOENT = -2, EPERM = -1, EINVAL = -22;
    static final long FDS = GuestCode.SCRATCH, EV = GuestCode.SCRATCH + 0x100, OUT = GuestCode.SCRATCH + 0x200;

    /** A pipe end in miniature: readable when {@link #ready} says so; changes wake its queue. */
    static final class Pollable extends OpenFile {
        final WaitQueue queue = new WaitQueue();
        int ready;

        Pollable() { super(O_RDWR); }

        void set(int mask) {
            ready = mask;
            queue.wakeAll();
        }

        @Override
        public int poll(int events) { return ready & (events | POLLERR | POLLHUP); }

        @Override
        public WaitQueue waitQueue() { return queue; }

        @Override
        public String path() { return "pipe:[test]"; }

        @Override
        public Stat stat() { return new Stat(0, 9, Stat.S_IFIFO | 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0); }
    }

    final SyscallDriver d = new SyscallDriver();
    final Task t = d.init;
    final Pollable p = new Pollable();
    final int fd;

    PollWaitTest() {
        try {
            fd = t.process().files().install(p, false);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @AfterEach
    void close() { d.close(); }

    @Test
    void pollBlocksUntilTheFileIsReady() {
        d.write(t, FDS, (long) fd | (long) OpenFile.POLLIN << 32);
        assertEquals(0, d.sys(t, Sysno.POLL, FDS, 1, 0), "nothing ready, zero timeout");
        d.sys(t, Sysno.POLL, FDS, 1, -1);
        assertEquals(Task.State.BLOCKED, t.state());
        p.set(OpenFile.POLLIN | OpenFile.POLLOUT);
        assertEquals(1, d.resume(t));
        assertEquals(OpenFile.POLLIN, d.readInt(t, FDS + 4) >>> 16, "revents: only what was asked");
        // a closed descriptor is POLLNVAL, a negative one is skipped
        d.write(t, FDS, 77L | (long) OpenFile.POLLIN << 32, -1L | (long) OpenFile.POLLIN << 32);
        assertEquals(1, d.sys(t, Sysno.POLL, FDS, 2, 0));
        assertEquals(OpenFile.POLLNVAL, d.readInt(t, FDS + 4) >>> 16);
        assertEquals(0, d.readInt(t, FDS + 12) >>> 16);
    }

    @Test
    void selectInterruptedByAHandlerIsEintrEvenWithSaRestart() {
        d.write(t, EV, 0x401100, 0x0400_0000L | 0x1000_0000L, 0x401200, 0);   // handler; SA_RESTORER|SA_RESTART
        assertEquals(0, d.sys(t, Sysno.RT_SIGACTION, Signal.SIGUSR1, EV, 0, 8));
        d.write(t, FDS, 1L << fd);
        d.sys(t, Sysno.SELECT, fd + 1, FDS, 0, 0, 0);
        assertEquals(Task.State.BLOCKED, t.state());
        d.kernel.signals().sendProcess(t.process(), SigInfo.kill(Signal.SIGUSR1, SigInfo.SI_USER, 1, 0));
        assertEquals(Task.State.RUNNABLE, t.state(), "the signal woke the task");
        d.resume(t);
        assertEquals(0x401100, t.cpu().rip(), "the handler runs");
        long frame = t.cpu().reg(dev.nexa.cpu.Reg.RSP);
        assertEquals(EINTR, d.read(t, frame + 8 + 40 + 104), "ERESTARTNOHAND became EINTR in the saved RAX");
    }

    @Test
    void fatalSignalEndsABlockedProcess() {
        d.write(t, FDS, (long) fd | (long) OpenFile.POLLIN << 32);
        Task child = d.fork(t);
        d.sys(child, Sysno.POLL, FDS, 1, -1);
        assertEquals(Task.State.BLOCKED, child.state());
        d.sys(t, Sysno.KILL, child.process().pid(), Signal.SIGTERM);
        assertEquals(Task.State.RUNNABLE, child.state());
        d.resume(child);
        assertEquals(Signal.SIGTERM, child.process().waitStatus());
        assertEquals(Task.State.EXITED, child.state());
    }

    @Test
    void epollReportsReadyEntries() {
        long ep = d.sys(t, Sysno.EPOLL_CREATE1, 0);
        assertEquals(EINVAL, d.sys(t, Sysno.EPOLL_CREATE1, 1));
        d.write(t, EV, OpenFile.POLLIN | (0xabcdL << 32), 0);    // events, then data (packed at offset 4)
        assertEquals(0, d.sys(t, Sysno.EPOLL_CTL, ep, 1, fd, EV));
        assertEquals(EEXIST, d.sys(t, Sysno.EPOLL_CTL, ep, 1, fd, EV));
        assertEquals(EINVAL, d.sys(t, Sysno.EPOLL_CTL, ep, 1, ep, EV), "an epoll cannot watch itself");
        assertEquals(ENOENT, d.sys(t, Sysno.EPOLL_CTL, ep, 2, 0, EV), "fd 0 is not registered");
        assertEquals(0, d.sys(t, Sysno.EPOLL_WAIT, ep, OUT, 8, 0));
        d.sys(t, Sysno.EPOLL_WAIT, ep, OUT, 8, -1);
        assertEquals(Task.State.BLOCKED, t.state());
        assertNull(d.resume(t), "still blocked");
        p.set(OpenFile.POLLIN);
        assertEquals(1, d.resume(t));
        assertEquals(OpenFile.POLLIN, d.readInt(t, OUT));
        assertEquals(0xabcd, d.read(t, OUT + 4));
        // EPOLLONESHOT: one report until EPOLL_CTL_MOD re-arms it
        d.write(t, EV, (OpenFile.POLLIN | (1L << 30)) | (7L << 32), 0);
        assertEquals(0, d.sys(t, Sysno.EPOLL_CTL, ep, 3, fd, EV));
        assertEquals(1, d.sys(t, Sysno.EPOLL_WAIT, ep, OUT, 8, 0));
        assertEquals(0, d.sys(t, Sysno.EPOLL_WAIT, ep, OUT, 8, 0));
        assertEquals(0, d.sys(t, Sysno.EPOLL_CTL, ep, 3, fd, EV));
        assertEquals(1, d.sys(t, Sysno.EPOLL_WAIT, ep, OUT, 8, 0));
        assertEquals(7, d.read(t, OUT + 4));
        // EPOLLET: reported once per change
        d.write(t, EV, (OpenFile.POLLIN | (1L << 31)) | (8L << 32), 0);
        assertEquals(0, d.sys(t, Sysno.EPOLL_CTL, ep, 3, fd, EV));
        assertEquals(1, d.sys(t, Sysno.EPOLL_WAIT, ep, OUT, 8, 0));
        assertEquals(0, d.sys(t, Sysno.EPOLL_WAIT, ep, OUT, 8, 0));
        assertEquals(0, d.sys(t, Sysno.EPOLL_CTL, ep, 2, fd, 0));
        assertEquals(0, d.sys(t, Sysno.EPOLL_WAIT, ep, OUT, 8, 0));
    }

    @Test
    void epollWaitInterruptedIsEintrEvenWithSaRestart() {
        long ep = d.sys(t, Sysno.EPOLL_CREATE1, 0);
        d.write(t, EV, OpenFile.POLLIN, 0);
        d.sys(t, Sysno.EPOLL_CTL, ep, 1, fd, EV);
        d.write(t, EV, 0x401100, 0x0400_0000L | 0x1000_0000L, 0x401200, 0);   // handler; SA_RESTORER|SA_RESTART
        assertEquals(0, d.sys(t, Sysno.RT_SIGACTION, Signal.SIGUSR1, EV, 0, 8));
        d.sys(t, Sysno.EPOLL_WAIT, ep, OUT, 8, -1);
        assertEquals(Task.State.BLOCKED, t.state());
        d.kernel.signals().sendProcess(t.process(), SigInfo.kill(Signal.SIGUSR1, SigInfo.SI_USER, 1, 0));
        d.resume(t);
        assertEquals(0x401100, t.cpu().rip(), "the handler runs");
        long frame = t.cpu().reg(dev.nexa.cpu.Reg.RSP);
        assertEquals(EINTR, d.read(t, frame + 8 + 40 + 104), "and epoll_wait's result in the saved RAX is EINTR");
    }
}
