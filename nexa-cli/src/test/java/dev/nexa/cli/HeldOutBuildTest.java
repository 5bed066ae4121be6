package dev.nexa.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Programs that are not fixtures: their sources (test resources heldout/) are compiled while the
 * test runs by each of the host's toolchains — musl-gcc static and dynamic, gcc static and
 * dynamic PIE — so the binaries are whatever this machine's compilers make of them, never a
 * committed build. Each runs natively and under Nexa; stdout, stderr and the exit status must be
 * identical. {@code numbers.c} covers integer flags, 80-bit long double and double formatting
 * through printf and strtod, libm and the string functions; {@code processes.c} fork, pipes,
 * files, directories, signals and exec of /bin/sh; {@code longdouble.c} the long double libm
 * (sinl ... powl, %La on a few hundred pseudo-random inputs each), whose last bits come from the
 * x87 transcendental instructions' undocumented microcode, built static by musl and glibc (the
 * two libms; the dynamic builds link the same code).
 */
class HeldOutBuildTest {
    @TempDir
    Path dir;

    /** How a variant is built: the compiler and its flags (the sources need libm). */
    enum Toolchain {
        MUSL_STATIC("musl-gcc", "-static"),
        MUSL_DYNAMIC("musl-gcc"),
        GLIBC_STATIC("gcc", "-static"),
        GLIBC_DYNAMIC_PIE("gcc", "-pie", "-fPIE");

        final String compiler;
        final List<String> flags;

        Toolchain(String compiler, String... flags) {
            this.compiler = compiler;
            this.flags = List.of(flags);
        }

        String hostPackage() { return compiler.equals("musl-gcc") ? "musl-tools" : "gcc and libc6-dev"; }
    }

    static Stream<Arguments> builds() {
        return Stream.concat(
                Stream.of(Toolchain.values()).flatMap(t -> Stream.of("numbers", "processes").map(p -> Arguments.of(t, p))),
                Stream.of(Toolchain.MUSL_STATIC, Toolchain.GLIBC_STATIC).map(t -> Arguments.of(t, "longdouble")));
    }

    @ParameterizedTest(name = "{1} built by {0}")
    @MethodSource("builds")
    void runsAsNatively(Toolchain toolchain, String program) throws Exception {
        Path exe = build(toolchain, program);
        Path nativeDir = Files.createDirectory(dir.resolve("native"));
        Path nexaDir = Files.createDirectory(dir.resolve("nexa"));
        var env = CompatHarness.env();
        var n = CompatHarness.natively(List.of(exe.toString(), nativeDir.toString()), env, dir, new byte[0]);
        StringBuilder console = new StringBuilder();
        var g = CompatHarness.underNexa(List.of(exe.toString(), nexaDir.toString()), env, dir, new byte[0], console);
        assertEquals(0, n.status(), "the native run itself must succeed: " + n.stderr());
        assertTrue(n.stdout().lines().count() > 10, "the native run printed its report");
        assertEquals(n.stdout(), g.stdout(), "stdout; nexa said: " + console);
        assertEquals(n.stderr(), g.stderr(), "stderr");
        assertEquals(n.status(), g.status(), "exit status");
    }

    private Path build(Toolchain toolchain, String program) throws Exception {
        var flags = new ArrayList<>(List.of("-O2"));
        flags.addAll(toolchain.flags);
        flags.add("-lm");
        StringBuilder log = new StringBuilder();
        Path exe = CompatHarness.compile(toolchain.compiler, resource(program + ".c"), dir, program, log,
                flags.toArray(String[]::new));
        Assumptions.assumeTrue(exe != null || !log.isEmpty(),
                toolchain.compiler + " is not installed (package " + toolchain.hostPackage() + ")");
        // A static glibc build also needs libc.a; say which package rather than failing obscurely.
        Assumptions.assumeTrue(exe != null, toolchain + " cannot build here (package " + toolchain.hostPackage() + "): " + log);
        return exe;
    }

    private static Path resource(String name) throws Exception {
        var url = HeldOutBuildTest.class.getResource("/heldout/" + name);
        if (url == null) throw new IllegalStateException("test resource heldout/" + name + " missing");
        return Path.of(url.toURI());
    }
}
