package dev.nexa.mem;

/**
 * A guest memory access the MMU refused: a page fault (#PF, vector 14) with its architectural
 * error code and faulting linear address (CR2), or a non-canonical address (#GP(0), vector 13).
 * Thrown without a stack trace: it is guest behaviour, caught by the CPU's run loop (which
 * restores RIP) or by the kernel's user-memory accessors.
 */
public final class MemoryFault extends RuntimeException {
    public static final int VECTOR_GP = 13, VECTOR_PF = 14;

    private final int vector;
    private final int errorCode;
    private final long address;

    private MemoryFault(int vector, int errorCode, long address) {
        super(null, null, false, false);
        this.vector = vector;
        this.errorCode = errorCode;
        this.address = address;
    }

    public static MemoryFault pageFault(long address, int errorCode) {
        return new MemoryFault(VECTOR_PF, errorCode, address);
    }

    public static MemoryFault nonCanonical(long address) {
        return new MemoryFault(VECTOR_GP, 0, address);
    }

    public int vector() { return vector; }

    /** The #PF error code (Paging.PF_* bits); 0 for #GP. */
    public int errorCode() { return errorCode; }

    /** The faulting linear address (CR2 for #PF; the offending address for #GP). */
    public long address() { return address; }

    public boolean isPageFault() { return vector == VECTOR_PF; }

    public boolean wasWrite() { return (errorCode & Paging.PF_WRITE) != 0; }

    public boolean wasFetch() { return (errorCode & Paging.PF_FETCH) != 0; }

    public boolean wasProtection() { return (errorCode & Paging.PF_PRESENT) != 0; }

    @Override
    public String getMessage() {
        if (vector == VECTOR_GP) return "#GP: non-canonical address 0x" + Long.toHexString(address);
        return String.format("#PF at 0x%x (%s %s)", address,
                wasFetch() ? "fetch" : wasWrite() ? "write" : "read",
                wasProtection() ? "protection violation" : "not present");
    }
}
