package dev.nexa.cpu.exec;

/** Public view of the CPUID constants for the API package. */
public final class CpuidInfo {
    private CpuidInfo() {}

    public static long leaf1Edx() { return Cpuid.LEAF1_EDX & 0xFFFF_FFFFL; }

    public static String brand() { return Cpuid.BRAND; }
}
