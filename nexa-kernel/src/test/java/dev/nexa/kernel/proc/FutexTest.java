package dev.nexa.kernel.proc;

import dev.nexa.kernel.abi.Sysno;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** futex(2) operations between threads: requeue, bitsets, WAKE_OP, shared keys across fork. */
class FutexTest {
    static final long EAGAIN = -11, EINVAL = -22;
    static final int WAIT = 0, WAKE = 1, REQUEUE = 3, CMP_REQUEUE = 4, WAKE_OP = 5, WAIT_BITSET = 9,
            WAKE_BITSET = 10, PRIVATE = 128;
    static final long A = GuestCode.SCRATCH + 0x1000, B = GuestCode.SCRATCH + 0x1004;

    final SyscallDriver d = new SyscallDriver();
    final Task main = d.init;

    @AfterEach
    void close() { d.close(); }

    Task thread() {
        long flags = 0x3d0f00 & ~0x80000L;
        long tid = d.sys(main, Sysno.CLONE, flags, GuestCode.SCRATCH + 0x8000, GuestCode.SCRATCH, GuestCode.SCRATCH + 8, 0);
        return d.kernel.task((int) tid);
    }

    @Test
    void cmpRequeueMovesWaitersToAnotherWord() {
        Task t1 = thread(), t2 = thread();
        d.sys(t1, Sysno.FUTEX, A, WAIT | PRIVATE, 0, 0);
        d.sys(t2, Sysno.FUTEX, A, WAIT | PRIVATE, 0, 0);
        assertEquals(Task.State.BLOCKED, t2.state());
        assertEquals(EAGAIN, d.sys(main, Sysno.FUTEX, A, CMP_REQUEUE | PRIVATE, 1, 1, B, 42), "*A is not 42");
        assertEquals(2, d.sys(main, Sysno.FUTEX, A, CMP_REQUEUE | PRIVATE, 1, 1, B, 0), "one woken, one requeued");
        assertEquals(0L, d.resume(t1), "the first waiter was woken");
        assertNull(d.resume(t2));
        assertEquals(0, d.sys(main, Sysno.FUTEX, A, WAKE | PRIVATE, 1), "nobody waits on A any more");
        assertEquals(1, d.sys(main, Sysno.FUTEX, B, WAKE | PRIVATE, 1));
        assertEquals(0L, d.resume(t2));
        assertEquals(EINVAL, d.sys(main, Sysno.FUTEX, A, REQUEUE | PRIVATE, -1, 0, B));
        assertEquals(EINVAL, d.sys(main, Sysno.FUTEX, A + 1, WAKE | PRIVATE, 1), "misaligned");
    }

    @Test
    void bitsetsSelectWaiters() {
        Task t1 = thread();
        d.sys(t1, Sysno.FUTEX, A, WAIT_BITSET | PRIVATE, 0, 0, 0, 2);
        assertEquals(EINVAL, d.sys(main, Sysno.FUTEX, A, WAKE_BITSET | PRIVATE, 1, 0, 0, 0));
        assertEquals(0, d.sys(main, Sysno.FUTEX, A, WAKE_BITSET | PRIVATE, 1, 0, 0, 1));
        assertEquals(1, d.sys(main, Sysno.FUTEX, A, WAKE_BITSET | PRIVATE, 1, 0, 0, 6));
        assertEquals(0L, d.resume(t1));
    }

    @Test
    void wakeOpUpdatesTheSecondWordAndWakesConditionally() {
        Task t1 = thread(), t2 = thread();
        d.write(main, A, 0);                                   // A = 0, B = 0
        d.sys(t1, Sysno.FUTEX, A, WAIT | PRIVATE, 0, 0);
        d.sys(t2, Sysno.FUTEX, B, WAIT | PRIVATE, 0, 0);
        // FUTEX_OP(FUTEX_OP_ADD, 5, FUTEX_OP_CMP_EQ, 0): B += 5, wake on B if the old B was 0
        int op = (1 << 28) | (0 << 24) | (5 << 12) | 0;
        assertEquals(2, d.sys(main, Sysno.FUTEX, A, WAKE_OP | PRIVATE, 1, 1, B, op));
        assertEquals(5, d.readInt(main, B));
        assertEquals(0L, d.resume(t1));
        assertEquals(0L, d.resume(t2));
    }

    @Test
    void sharedMappingFutexesMeetAcrossFork() {
        // mmap(NULL, 4096, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0)
        long addr = d.sys(main, Sysno.MMAP, 0, 4096, 3, 0x21, -1, 0);
        Task child = d.fork(main);
        d.write(main, addr, 0);
        d.sys(child, Sysno.FUTEX, addr, WAIT, 0, 0);
        assertEquals(Task.State.BLOCKED, child.state());
        assertEquals(0, d.sys(main, Sysno.FUTEX, addr, WAKE | PRIVATE, 1), "a private wake does not cross processes");
        assertEquals(1, d.sys(main, Sysno.FUTEX, addr, WAKE, 1), "a shared one does, by physical address");
        assertEquals(0L, d.resume(child));
    }
}
