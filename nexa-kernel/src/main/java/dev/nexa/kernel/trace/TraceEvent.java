package dev.nexa.kernel.trace;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.syscall.ArgFormat;

import java.util.List;

/**
 * Everything a trace records, one record per kind of event; writers switch over them
 * exhaustively. docs/trace-schema.md describes how each is written to a file.
 * <p>
 * Units: times are host nanoseconds since the kernel started, instruction counts are the
 * thread's retired guest instructions, addresses and lengths are bytes.
 */
public sealed interface TraceEvent {
    Stamp stamp();

    TraceKind kind();

    // ---- processes -----------------------------------------------------------------------------

    /**
     * A process came into being: the first one, or a fork/clone child (which starts with its
     * parent's program, argv and address space).
     *
     * @param ppid 0 for the first process
     * @param argv the command line it starts with (empty for the first process, before its exec)
     * @param exe  the program it runs ("" before the first exec)
     */
    record ProcessStart(Stamp stamp, int ppid, List<String> argv, String exe) implements TraceEvent {
        public ProcessStart {
            argv = List.copyOf(argv);
        }

        @Override public TraceKind kind() { return TraceKind.PROCESS; }
    }

    /**
     * A process ended: every thread is gone and it is a zombie.
     *
     * @param waitStatus the wait(2) status: {@code code << 8}, or the signal number (| 0x80 with a core dump)
     */
    record ProcessExit(Stamp stamp, int waitStatus) implements TraceEvent {
        @Override public TraceKind kind() { return TraceKind.PROCESS; }

        /** The exit code, or -1 when a signal ended the process. */
        public int exitCode() { return (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : -1; }

        /** The signal that ended the process, or 0. */
        public int signal() { return waitStatus & 0x7f; }

        public boolean coreDumped() { return signal() != 0 && (waitStatus & 0x80) != 0; }
    }

    // ---- exec ------------------------------------------------------------------------------------

    /**
     * A successful execve (or the first program's load): the process now runs {@code path}.
     *
     * @param interpreter     the PT_INTERP path, or null for a static program
     * @param programBase     load base of the program (0 for ET_EXEC)
     * @param interpreterBase load base of the interpreter (0 without one)
     * @param entry           the program's entry point (AT_ENTRY)
     * @param startPc         where execution starts: the interpreter's entry, or {@code entry}
     * @param stackPointer    the initial RSP (pointing at argc)
     * @param brk             the initial program break
     * @param auxv            the auxiliary vector as passed, AT_NULL included
     */
    record Exec(Stamp stamp, String path, List<String> argv, String interpreter, long programBase,
                long interpreterBase, long entry, long startPc, long stackPointer, long brk, List<Aux> auxv)
            implements TraceEvent {
        public Exec {
            argv = List.copyOf(argv);
            auxv = List.copyOf(auxv);
        }

        @Override public TraceKind kind() { return TraceKind.EXEC; }
    }

    /** One auxiliary-vector entry: AT_* type, its name, its value. */
    record Aux(long type, String name, long value) {}

    // ---- syscalls --------------------------------------------------------------------------------

    /**
     * A system call, recorded when it completes; the events it caused (an exec, memory-map
     * changes, signals, the process's exit) precede it in the trace.
     *
     * @param args              decoded as {@link ArgFormat} of the syscall table says; input
     *                          arguments are read at entry, output buffers and structs at exit
     * @param result            the value returned in RAX (-errno for errors)
     * @param returned          false when the call does not return to its caller (a successful
     *                          execve or rt_sigreturn, exit, exit_group): strace's "= ?"
     * @param entryNanos        host time at entry (the stamp holds the time at exit)
     * @param entryInstructions the thread's instruction count at entry
     * @param blocked           whether the call waited (it was parked and re-run when woken)
     */
    record Syscall(Stamp stamp, int nr, String name, List<SyscallArg> args, long result, boolean returned,
                   long entryNanos, long entryInstructions, boolean blocked) implements TraceEvent {
        public Syscall {
            args = List.copyOf(args);
        }

        @Override public TraceKind kind() { return TraceKind.SYSCALL; }

        /** The errno name when the call failed ("ENOENT"), else null. */
        public String errno() {
            if (!returned || result >= 0 || result < -4095) return null;
            Errno e = Errno.of((int) -result);
            return e == null ? "E" + -result : e.name();
        }

        public long durationNanos() { return stamp.nanos() - entryNanos; }
    }

    /**
     * One decoded argument.
     *
     * @param format how the syscall table says to read it: {@link ArgFormat#jsonName()} ("string", "open_flags", ...)
     */
    record SyscallArg(String format, ArgValue value) {
        public SyscallArg(ArgFormat format, ArgValue value) { this(format.jsonName(), value); }
    }

    /**
     * A call to a number the kernel does not implement; it returned -ENOSYS. A
     * {@link Syscall} event is not recorded for it.
     *
     * @param name the Linux name of the number ("io_uring_setup"), or "syscall_N"
     * @param args the six argument registers, raw
     */
    record UnknownSyscall(Stamp stamp, long nr, String name, List<Long> args, long entryNanos) implements TraceEvent {
        public UnknownSyscall {
            args = List.copyOf(args);
        }

        @Override public TraceKind kind() { return TraceKind.SYSCALL; }
    }

    // ---- memory map --------------------------------------------------------------------------------

    /** Why a mapping appeared. */
    enum MapCause { SYSCALL, EXEC }

    /**
     * A new mapping [start, start + length): by mmap(2), or one of the mappings exec made
     * (program and interpreter segments, bss, stack), recorded right after the {@link Exec}.
     *
     * @param prot   PROT_* bits
     * @param flags  MAP_* bits as the caller passed them (exec's: MAP_PRIVATE|MAP_FIXED|MAP_DENYWRITE...)
     * @param file   the mapped file's path, or null for anonymous memory
     * @param offset the file offset of {@code start}
     * @param name   the area's name when it has no file ("[stack]", "[heap]"), else null
     */
    record Mmap(Stamp stamp, long start, long length, int prot, int flags, String file, long offset, String name,
                MapCause cause) implements TraceEvent {
        @Override public TraceKind kind() { return TraceKind.MM; }
    }

    /** munmap(2) of [start, start + length). */
    record Munmap(Stamp stamp, long start, long length) implements TraceEvent {
        @Override public TraceKind kind() { return TraceKind.MM; }
    }

    /** mprotect(2) of [start, start + length) to {@code prot}. */
    record Mprotect(Stamp stamp, long start, long length, int prot) implements TraceEvent {
        @Override public TraceKind kind() { return TraceKind.MM; }
    }

    /** mremap(2): [oldStart, oldStart + oldLength) now lives at [start, start + length). */
    record Mremap(Stamp stamp, long oldStart, long oldLength, long start, long length) implements TraceEvent {
        @Override public TraceKind kind() { return TraceKind.MM; }
    }

    /**
     * brk(2) moved the program break; the heap is [page-up(initial break), page-up(break)).
     *
     * @param previous the break before the call
     * @param current  the break after it
     */
    record Brk(Stamp stamp, long previous, long current) implements TraceEvent {
        @Override public TraceKind kind() { return TraceKind.MM; }
    }

    // ---- faults --------------------------------------------------------------------------------

    /** What kind of access faulted. */
    enum Access { READ, WRITE, EXECUTE }

    /** How the kernel answered a page fault. */
    enum Resolution {
        /** An anonymous page: a fresh zeroed frame. */
        ZERO_FILL,
        /** A private file page: the file's bytes copied into a fresh frame. */
        FILE_COPY,
        /** A write to a copy-on-write page shared with another process: copied. */
        COW_COPY,
        /** A write to a copy-on-write page nobody else shares any more: made writable in place. */
        COW_REUSE,
        /** The page was present and allowed: a stale translation was refreshed. */
        REFRESH,
        /** No mapping at the address: SIGSEGV (SEGV_MAPERR). */
        SEGV_MAPERR,
        /** The mapping forbids the access: SIGSEGV (SEGV_ACCERR). */
        SEGV_ACCERR,
        /** A file page wholly past the end of the file: SIGBUS. */
        SIGBUS,
        /** Guest memory exhausted: SIGKILL. */
        OOM
    }

    /** A page fault (#PF) and its resolution. */
    record PageFault(Stamp stamp, long address, long rip, Access access, Resolution resolution) implements TraceEvent {
        @Override public TraceKind kind() { return TraceKind.FAULT; }
    }

    /**
     * A CPU exception other than a page fault: #UD (undefined instruction), #DE, #GP, #BP...
     * The signal it turns into is recorded as a {@link SignalGenerated}.
     *
     * @param mnemonic "#UD", "#GP", ...
     * @param bytes    the instruction bytes at {@code rip} (up to 15, hex, space separated; "" if unreadable)
     */
    record CpuException(Stamp stamp, int vector, String mnemonic, long rip, int errorCode, long address, String bytes)
            implements TraceEvent {
        @Override public TraceKind kind() { return TraceKind.FAULT; }
    }

    // ---- signals -------------------------------------------------------------------------------

    /**
     * A signal was generated for a process (kill) or one thread (tgkill, CPU fault).
     *
     * @param code        the si_code: SI_USER 0, SI_TKILL -6, SI_KERNEL 0x80, SEGV_MAPERR 1, ...
     * @param processWide true when sent to the whole process rather than one thread
     */
    record SignalGenerated(Stamp stamp, int signal, int code, boolean processWide) implements TraceEvent {
        @Override public TraceKind kind() { return TraceKind.SIGNAL; }
    }

    /** What delivery did with a signal. */
    enum SignalAction { HANDLER, IGNORE, TERMINATE, CORE, STOP, CONTINUE }

    /**
     * A signal was taken by a thread.
     *
     * @param handler the handler's address for {@link SignalAction#HANDLER}, else 0
     */
    record SignalDelivered(Stamp stamp, int signal, SignalAction action, long handler) implements TraceEvent {
        @Override public TraceKind kind() { return TraceKind.SIGNAL; }
    }
}
