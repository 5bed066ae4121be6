package dev.nexa.kernel.proc;

/**
 * Linux's internal "restart me" return values (include/linux/errno.h), which never reach user
 * space: after an interrupted call, signal delivery (arch/x86/kernel/signal.c handle_signal and
 * arch_do_signal_or_restart) turns them into -EINTR or re-executes the call.
 * <ul>
 *   <li>{@link #SYS} ERESTARTSYS: restart if no handler runs or the handler has SA_RESTART, else EINTR
 *       (read, write, wait4, futex without timeout, ...).</li>
 *   <li>{@link #NOINTR} ERESTARTNOINTR: always restart.</li>
 *   <li>{@link #NOHAND} ERESTARTNOHAND: restart only if no handler runs (pause, sigsuspend, select).</li>
 *   <li>{@link #BLOCK} ERESTART_RESTARTBLOCK: like NOHAND, restarting with the state kept in the
 *       task's restart block (nanosleep and poll continue with the time that is left).</li>
 * </ul>
 */
public enum SyscallRestart {
    SYS(512), NOINTR(513), NOHAND(514), BLOCK(516);

    public final int code;

    SyscallRestart(int code) { this.code = code; }

    /** The value a handler returns to ask for this treatment: {@code -code}. */
    public long ret() { return -code; }

    /** The restart code a syscall result stands for, or null for an ordinary result. */
    public static SyscallRestart of(long result) {
        if (result > -512 || result < -516) return null;
        return switch ((int) -result) {
            case 512 -> SYS;
            case 513 -> NOINTR;
            case 514 -> NOHAND;
            case 516 -> BLOCK;
            default -> null;
        };
    }
}
