package dev.nexa.cpu;

/** What the CPU reports about itself, as the kernel passes it on (AT_HWCAP, AT_HWCAP2, /proc/cpuinfo). */
public final class CpuFeatures {
    /** AT_HWCAP on x86: CPUID.1:EDX (arch/x86/include/asm/elf.h ELF_HWCAP). */
    public static final long HWCAP = dev.nexa.cpu.exec.CpuidInfo.leaf1Edx();
    /** AT_HWCAP2: bit 1 = FSGSBASE usable from user mode (HWCAP2_FSGSBASE). */
    public static final long HWCAP2 = 1L << 1;
    public static final String BRAND = dev.nexa.cpu.exec.CpuidInfo.brand();
    /** /proc/cpuinfo "flags" for what CPUID reports. */
    public static final String FLAGS = "fpu tsc cx8 cmov clflush mmx fxsr sse sse2 syscall nx rdtscp lm "
            + "pni pclmulqdq ssse3 cx16 sse4_1 sse4_2 movbe popcnt lahf_lm abm 3dnowprefetch fsgsbase bmi1 bmi2 erms adx";

    private CpuFeatures() {}
}
