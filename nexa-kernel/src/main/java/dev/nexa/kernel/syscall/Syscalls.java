package dev.nexa.kernel.syscall;

/** Builds the syscall table from the area classes, one method per syscall in each. */
public final class Syscalls {
    private Syscalls() {}

    public static SyscallTable standard() {
        SyscallTable t = new SyscallTable();
        ProcessCalls.register(t);
        InfoCalls.register(t);
        TimeCalls.register(t);
        MemoryCalls.register(t);
        IoCalls.register(t);
        SignalCalls.register(t);
        FsCalls.register(t);
        FileDataCalls.register(t);
        PipeCalls.register(t);
        ForkCalls.register(t);
        WaitCalls.register(t);
        FutexCalls.register(t);
        PollCalls.register(t);
        EpollCalls.register(t);
        XattrCalls.register(t);
        SocketCalls.register(t);
        PosixTimerCalls.register(t);
        return t;
    }
}
