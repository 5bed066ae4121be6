package dev.nexa.cpu.exec;

/**
 * The eight MMX registers as the MMX and SSE handlers see them. Architecturally (SDM Vol. 1
 * §9.5, Table 9-2) MM<i>i</i> is the 64-bit significand of <em>physical</em> x87 register
 * R<i>i</i> (not ST(i)); every MMX instruction except EMMS sets TOP to 0 and all tags to valid,
 * a write also sets the register's sign and exponent field to all ones, and EMMS tags all
 * registers empty (and sets TOP to 0 too).
 * <p>
 * Implementations: {@link MmxFile} (a stand-in holding just that state) until the x87 register
 * file exists; the x87 state then implements this interface over its own registers.
 */
public interface MmxRegisters {
    /** MM<i>i</i>: the significand of physical register R<i>i</i>. */
    long get(int i);

    /** Writes MM<i>i</i>: the significand, and sign/exponent = 0xFFFF. */
    void set(int i, long value);

    /**
     * The x87-to-MMX transition every MMX instruction performs before it writes anything
     * (TOP = 0, all tags valid). Handlers call it after their memory accesses, so a fault
     * leaves the x87 state untouched.
     */
    void enter();

    /**
     * EMMS: all tags empty (SDM Vol. 2A EMMS). The host (AMD Zen) also sets TOP to 0, as SDM
     * Vol. 1 Table 9-1 lists for every MMX instruction; implementations should do the same.
     */
    void emms();
}
