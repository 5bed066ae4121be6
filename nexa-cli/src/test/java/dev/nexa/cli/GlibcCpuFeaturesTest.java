package dev.nexa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nexa.cpu.CpuFeatures;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CPUID audit through glibc's own eyes: the host's dynamic loader, run under Nexa with
 * {@code --list-diagnostics} (glibc 2.33+, elf/dl-diagnostics.c), prints the CPUID words it read and
 * the features it decided are usable ("active"), from which its ifunc resolvers pick the string and
 * memory functions. Everything glibc activates must be something Nexa's CPUID reports (and so
 * implements, IsaCpuidTest), the ISA level must be x86-64-v2 and no higher, and the glibc-hwcaps
 * subdirectory x86-64-v2 must be the one in use.
 */
class GlibcCpuFeaturesTest {
    private static final Path LD_SO = Path.of("/lib64/ld-linux-x86-64.so.2");

    /**
     * Active bits glibc sets without CPUID reporting them: RTM_ALWAYS_ABORT (leaf 7 EDX bit 11), which
     * init_cpu_features sets for Kaby Lake family 6 model 0x9E steppings up to 0xD (sysdeps/x86/
     * cpu-features.c, "disable_tsx") so that nothing uses RTM: our model is that CPU.
     */
    private static final Map<String, Long> SYNTHESIZED = Map.of("features[0x1].active[0x3]", 1L << 11);

    private static Map<String, String> diagnostics() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(LD_SO), "no glibc loader at " + LD_SO + " (package libc6)");
        var host = GuestRun.natively(LD_SO, List.of("--list-diagnostics"), new byte[0], Path.of("/"));
        Assumptions.assumeTrue(host.status() == 0 && host.out().contains("x86.cpu_features."),
                "the host's glibc has no --list-diagnostics (glibc 2.33 or later needed)");
        var run = GuestRun.underNexa(LD_SO, List.of("--list-diagnostics"), new byte[0], Path.of("/"), 2_000_000_000L);
        assertEquals(0, run.status(), "ld.so --list-diagnostics under Nexa: " + run.console() + run.err());
        var m = new HashMap<String, String>();
        for (String line : run.out().split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) m.put(line.substring(0, eq), line.substring(eq + 1));
        }
        return m;
    }

    private static long hex(String v) {
        return Long.parseUnsignedLong(v.substring(2), 16);
    }

    @Test
    void glibcSeesX86_64_v2AndActivatesOnlyWhatCpuidReports() throws Exception {
        var d = diagnostics();
        // GNU_PROPERTY_X86_ISA_1_BASELINE = 1, V2 = 2, V3 = 4, V4 = 8 (sysdeps/x86/isa-level.h)
        assertEquals(0x3, hex(d.get("x86.cpu_features.isa_1")), "ISA level: baseline and x86-64-v2 only");
        List<String> subdirs = Arrays.asList(d.get("dl_hwcaps_subdirs").replace("\"", "").split(":"));
        long active = hex(d.get("dl_hwcaps_subdirs_active"));
        for (int i = 0; i < subdirs.size(); i++) {
            assertEquals(subdirs.get(i).equals("x86-64-v2"), (active >>> i & 1) == 1, "glibc-hwcaps " + subdirs.get(i));
        }
        assertEquals(CpuFeatures.HWCAP, hex(d.get("x86.cpu_features.features[0x0].cpuid[0x3]")), "CPUID.1:EDX as read");
        assertEquals(0, hex(d.get("x86.cpu_features.xsave_state_size")), "no XSAVE: the lazy binder saves with FXSAVE");
        List<String> beyond = new ArrayList<>();
        for (var e : d.entrySet()) {
            String k = e.getKey();
            if (!k.startsWith("x86.cpu_features.features[") || !k.contains(".active[")) continue;
            String shortKey = k.substring("x86.cpu_features.".length());
            long act = hex(e.getValue()) & ~SYNTHESIZED.getOrDefault(shortKey, 0L);
            long reported = hex(d.getOrDefault(k.replace(".active[", ".cpuid["), "0x0"));
            if ((act & ~reported) != 0) beyond.add(shortKey + " " + Long.toHexString(act & ~reported));
        }
        assertTrue(beyond.isEmpty(), "glibc activated features CPUID does not report: " + beyond);
        assertTrue(hex(d.get("x86.cpu_features.level3_cache_size")) > 0, "cache sizes from leaf 4");
    }
}
