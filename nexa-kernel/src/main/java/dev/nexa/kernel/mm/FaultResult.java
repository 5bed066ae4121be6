package dev.nexa.kernel.mm;

/** How the kernel resolved a guest page fault (mm/memory.c, arch/x86/mm/fault.c). */
public enum FaultResult {
    /** A page was supplied (demand zero, file copy, copy-on-write); retry the instruction. */
    RESOLVED,
    /** No mapping at the address: SIGSEGV with si_code SEGV_MAPERR. */
    SEGV_MAPERR,
    /** A mapping exists but forbids the access: SIGSEGV with SEGV_ACCERR. */
    SEGV_ACCERR,
    /** A file-backed page wholly past the end of the file: SIGBUS with BUS_ADRERR. */
    SIGBUS,
    /** Guest physical memory is exhausted: the out-of-memory killer's SIGKILL. */
    OOM
}
