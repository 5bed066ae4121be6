/**
 * Processes, threads and scheduling, after kernel/fork.c, kernel/exit.c and kernel/futex/.
 *
 * <h2>Model</h2>
 * A {@link dev.nexa.kernel.proc.Process} is a thread group (Linux's signal_struct plus the
 * leader's identity); each {@link dev.nexa.kernel.proc.Task} is a thread with its own CPU on
 * the process's address space. One host thread runs everything: the
 * {@link dev.nexa.kernel.proc.Scheduler} rotates runnable tasks by instruction budget and fires
 * kernel timers; with nothing to run it sleeps until the next timer.
 *
 * <h2>Blocking, signals and restarts</h2>
 * A syscall that must wait throws {@link dev.nexa.kernel.proc.Blocked}: the dispatcher rewinds
 * RIP to the SYSCALL and parks the task; when woken, the run loop dispatches the call again
 * from the start, and the call keeps whatever must survive the wait (a deadline, a futex queue
 * entry, a vfork child) in {@link dev.nexa.kernel.proc.Task#restart}. A signal wakes an
 * interruptibly blocked task; the re-executed call, finding a deliverable signal where it would
 * block, ends with a {@link dev.nexa.kernel.proc.SyscallRestart} code instead, and signal
 * delivery turns that into -EINTR or a restart exactly as arch/x86/kernel/signal.c does
 * (ERESTARTSYS honours SA_RESTART, ERESTARTNOHAND and ERESTART_RESTARTBLOCK give EINTR when a
 * handler runs, everything restarts when none does).
 *
 * <h2>Known differences from Linux</h2>
 * <ul>
 *   <li>No namespaces (EPERM), pidfds (CLONE_PIDFD, P_PIDFD: EINVAL), cgroups or clone3
 *       set_tid (EPERM). CLONE_FS between processes copies the working directory and umask
 *       instead of sharing them.</li>
 *   <li>Children belong to the process, so __WNOTHREAD has no effect, and PR_SET_PDEATHSIG
 *       fires when the parent process dies rather than the thread that forked.</li>
 *   <li>Pid 1 is an ordinary process for signals (no SIGNAL_UNKILLABLE), so a program run by
 *       {@code nexa run} dies of its signals with the status a shell would see.</li>
 *   <li>Priority-inheritance futexes (LOCK_PI, UNLOCK_PI, TRYLOCK_PI, *_REQUEUE_PI) are ENOSYS.</li>
 *   <li>CPU time is retired instructions at a nominal 1 GHz; kernel (system) time is 0;
 *       ITIMER_PROF counts the same time as ITIMER_VIRTUAL.</li>
 *   <li>A group stop takes effect at once for every thread; CLD_CONTINUED is reported when
 *       SIGCONT is sent rather than when the child next runs.</li>
 *   <li>When a thread-group leader exits before its threads, its thread id no longer names a
 *       task (Linux keeps it as a zombie thread until the group dies).</li>
 * </ul>
 */
package dev.nexa.kernel.proc;
