package dev.nexa.kernel.proc;

/**
 * One slot of the kernel's sigaction table (struct k_sigaction as rt_sigaction(2) exchanges it:
 * handler, flags, restorer, mask).
 */
public record SignalAction(long handler, long flags, long restorer, long mask) {
    public static final long SIG_DFL = 0, SIG_IGN = 1;
    public static final long SA_NOCLDSTOP = 1, SA_NOCLDWAIT = 2, SA_SIGINFO = 4, SA_UNSUPPORTED = 0x400,
            SA_EXPOSE_TAGBITS = 0x800, SA_RESTORER = 0x0400_0000L, SA_ONSTACK = 0x0800_0000L,
            SA_RESTART = 0x1000_0000L, SA_NODEFER = 0x4000_0000L, SA_RESETHAND = 0x8000_0000L;
    /**
     * The flags the kernel keeps (include/linux/signal_types.h UAPI_SA_FLAGS): unknown bits are
     * dropped so that programs can detect support by reading the action back (Linux 5.11+).
     */
    public static final long UAPI_FLAGS = SA_NOCLDSTOP | SA_NOCLDWAIT | SA_SIGINFO | SA_ONSTACK | SA_RESTART
            | SA_NODEFER | SA_RESETHAND | SA_EXPOSE_TAGBITS | SA_RESTORER;
    public static final SignalAction DEFAULT = new SignalAction(SIG_DFL, 0, 0, 0);

    public boolean isDefault() { return handler == SIG_DFL; }

    public boolean isIgnore() { return handler == SIG_IGN; }

    public boolean has(long flag) { return (flags & flag) != 0; }

    public SignalAction withHandler(long h) { return new SignalAction(h, flags, restorer, mask); }
}
