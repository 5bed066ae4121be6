/**
 * Signal generation and delivery (kernel/signal.c, arch/x86/kernel/signal.c and signal_64.c).
 * <p>
 * {@link dev.nexa.kernel.signal.Signals} queues signals ({@link dev.nexa.kernel.signal.SigPending},
 * one per thread and one per process, real-time signals queued per instance with their
 * {@link dev.nexa.kernel.signal.SigInfo}), applies job control, picks and wakes a thread, and
 * before a task returns to user mode takes each deliverable signal's action: ignore, stop,
 * terminate with the wait status Linux reports, or run a handler on an
 * {@link dev.nexa.kernel.signal.SigFrame}, the x86-64 rt_sigframe byte for byte.
 *
 * <h2>Known differences from Linux</h2>
 * <ul>
 *   <li>The FPU image is the 512-byte FXSAVE format with no XSAVE extension (uc_flags lacks
 *       UC_FP_XSTATE), as for a CPU without XSAVE; its x87 part (control word, flags,
 *       FOP/FIP/FDP) keeps FNINIT values until the x87 register file exists in the CPU.</li>
 *   <li>No core files are written; WCOREDUMP is set when RLIMIT_CORE is non-zero (it starts at 0).</li>
 *   <li>RLIMIT_SIGPENDING is not enforced; rseq critical sections are not aborted by signal
 *       delivery; the trap flag is not emulated, so TF set through sigreturn has no effect.</li>
 *   <li>A signalfd reads the signals of the task currently in a syscall
 *       ({@link dev.nexa.kernel.Kernel#current()}).</li>
 * </ul>
 */
package dev.nexa.kernel.signal;
