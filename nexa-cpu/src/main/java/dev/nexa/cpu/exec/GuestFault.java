package dev.nexa.cpu.exec;

/**
 * A CPU exception raised by an instruction (SDM Vol. 3A §6.15): #DE, #BP, #UD, #GP, #MF, #AC,
 * #XM. Page faults come from the MMU as {@link dev.nexa.mem.MemoryFault}. Thrown without a
 * stack trace and caught only by the run loop, which restores RIP to the faulting instruction
 * and reports the fault to the kernel.
 */
public final class GuestFault extends RuntimeException {
    public static final int DE = 0, DB = 1, BP = 3, UD = 6, NM = 7, GP = 13, PF = 14, MF = 16, AC = 17, XM = 19;

    private static final GuestFault DIVIDE = new GuestFault(DE, 0, 0);
    private static final GuestFault INVALID = new GuestFault(UD, 0, 0);
    private static final GuestFault PROTECTION = new GuestFault(GP, 0, 0);
    private static final GuestFault BREAKPOINT = new GuestFault(BP, 0, 0);
    private static final GuestFault X87 = new GuestFault(MF, 0, 0);
    private static final GuestFault SIMD = new GuestFault(XM, 0, 0);

    private final int vector;
    private final int errorCode;
    private final long address;

    private GuestFault(int vector, int errorCode, long address) {
        super(null, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
        this.address = address;
    }

    /** #DE: division by zero or quotient overflow. */
    public static GuestFault divideError() { return DIVIDE; }

    /** #UD: undefined or unsupported opcode, or a LOCK where none is allowed. */
    public static GuestFault invalidOpcode() { return INVALID; }

    /** #GP(0): privileged instruction at CPL 3, misaligned SSE operand, non-canonical address. */
    public static GuestFault generalProtection() { return PROTECTION; }

    /** #BP (INT3); {@code INT n} at CPL 3 raises #GP with error code (n << 3) | 2. */
    public static GuestFault breakpoint() { return BREAKPOINT; }

    public static GuestFault softwareInterrupt(int n) { return new GuestFault(GP, (n << 3) | 2, 0); }

    /** #MF: an unmasked x87 exception is pending. */
    public static GuestFault x87Error() { return X87; }

    /** #XM: an unmasked SIMD floating-point exception. */
    public static GuestFault simdError() { return SIMD; }

    public int vector() { return vector; }

    public int errorCode() { return errorCode; }

    public long address() { return address; }
}
