package dev.nexa.cpu.exec;

/**
 * CPUID (SDM Vol. 2A CPUID, Tables 3-8 ff.): reports exactly what Nexa implements — the
 * x86-64-v2 level (CX16, LAHF-SAHF, POPCNT, SSE3, SSSE3, SSE4.1, SSE4.2) plus MOVBE, PCLMULQDQ,
 * BMI1, BMI2, LZCNT, ADX, FSGSBASE, ERMS — and nothing it lacks: no AVX, no OSXSAVE/XSAVE, no
 * RDRAND. The vendor is GenuineIntel so C libraries take their Intel cache-descriptor path
 * (leaf 4), which is implemented with plausible sizes.
 */
final class Cpuid {
    private Cpuid() {}

    // Leaf 1 EDX: FPU TSC CX8 CMOV CLFSH MMX FXSR SSE SSE2 (+ PSE, MSR? no: only what user code can see).
    static final int LEAF1_EDX = 1 | (1 << 4) | (1 << 8) | (1 << 15) | (1 << 19) | (1 << 23) | (1 << 24)
            | (1 << 25) | (1 << 26);
    // Leaf 1 ECX: SSE3 PCLMULQDQ SSSE3 CX16 SSE4.1 SSE4.2 MOVBE POPCNT.
    static final int LEAF1_ECX = 1 | (1 << 1) | (1 << 9) | (1 << 13) | (1 << 19) | (1 << 20) | (1 << 22) | (1 << 23);
    // Leaf 7.0 EBX: FSGSBASE BMI1 BMI2 ERMS ADX.
    static final int LEAF7_EBX = 1 | (1 << 3) | (1 << 8) | (1 << 9) | (1 << 19);
    // 0x80000001 ECX: LAHF-SAHF, LZCNT (ABM), PREFETCHW.  EDX: SYSCALL, NX, RDTSCP, LM.
    static final int EXT1_ECX = 1 | (1 << 5) | (1 << 8);
    static final int EXT1_EDX = (1 << 11) | (1 << 20) | (1 << 27) | (1 << 29);

    static final String BRAND = "Nexa Virtual CPU (x86-64-v2)";

    static void execute(CpuCore c) {
        int leaf = (int) c.r[0];
        int sub = (int) c.r[1];
        int a = 0, b = 0, cx = 0, d = 0;
        switch (leaf) {
            case 0 -> { a = 7; b = ascii("Genu"); d = ascii("ineI"); cx = ascii("ntel"); }
            case 1 -> {
                a = 0x000906EA;                      // family 6, model 0x9E, stepping 10
                b = (8 << 8) | (1 << 16);            // CLFLUSH line 8*8 = 64 bytes, 1 logical CPU, APIC 0
                cx = LEAF1_ECX;
                d = LEAF1_EDX;
            }
            case 2 -> { a = 0x00FF_0001; }          // descriptor 0xFF: "use leaf 4"
            case 4 -> { int[] r = cacheLeaf(sub); a = r[0]; b = r[1]; cx = r[2]; d = r[3]; }
            case 7 -> { if (sub == 0) b = LEAF7_EBX; }
            case 0x8000_0000 -> a = 0x8000_0008;
            case 0x8000_0001 -> { cx = EXT1_ECX; d = EXT1_EDX; }
            case 0x8000_0002, 0x8000_0003, 0x8000_0004 -> {
                int base = (leaf - 0x8000_0002) * 16;
                a = brand(base); b = brand(base + 4); cx = brand(base + 8); d = brand(base + 12);
            }
            case 0x8000_0006 -> cx = (1024 << 16) | (8 << 12) | 64; // L2: 1 MiB, 8-way (code 6), 64-byte lines
            case 0x8000_0008 -> a = (48 << 8) | 40;                 // 48-bit linear, 40-bit physical
            default -> { }
        }
        c.r[0] = a & 0xFFFF_FFFFL;
        c.r[3] = b & 0xFFFF_FFFFL;
        c.r[1] = cx & 0xFFFF_FFFFL;
        c.r[2] = d & 0xFFFF_FFFFL;
    }

    /** Leaf 4 (deterministic cache parameters): L1d 32K, L1i 32K, L2 1M, L3 8M; 64-byte lines. */
    private static int[] cacheLeaf(int sub) {
        // {type (1 data, 2 code, 3 unified), level, ways, sets}
        int[][] caches = {{1, 1, 8, 64}, {2, 1, 8, 64}, {3, 2, 16, 1024}, {3, 3, 16, 8192}};
        if (sub < 0 || sub >= caches.length) return new int[4];
        int[] k = caches[sub];
        int eax = k[0] | (k[1] << 5) | (1 << 8) /* self-initializing */;
        int ebx = (64 - 1) | ((k[2] - 1) << 22);       // line size - 1, partitions - 1 = 0, ways - 1
        int ecx = k[3] - 1;
        return new int[] {eax, ebx, ecx, k[1] == 3 ? 2 : 0};
    }

    private static int ascii(String four) {
        return four.charAt(0) | four.charAt(1) << 8 | four.charAt(2) << 16 | four.charAt(3) << 24;
    }

    private static int brand(int at) {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int ch = at + k < BRAND.length() ? BRAND.charAt(at + k) : 0;
            v |= ch << (8 * k);
        }
        return v;
    }
}
