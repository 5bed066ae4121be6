package dev.nexa.cpu;

/** Why {@link Cpu#run} returned. */
public enum StopReason {
    /** The guest executed SYSCALL: RAX holds the number; the kernel answers in RAX. */
    SYSCALL,
    /** A CPU exception: see {@link Cpu#fault()}. RIP points at the faulting instruction (after it for traps). */
    FAULT,
    /** The instruction budget given to {@code run} is used up. */
    BUDGET
}
