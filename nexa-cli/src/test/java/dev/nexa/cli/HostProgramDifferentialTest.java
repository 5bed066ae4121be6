package dev.nexa.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static dev.nexa.cli.CompatHarness.assertSame;
import static dev.nexa.cli.CompatHarness.env;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host's own glibc-dynamic programs (issue 4's acceptance list), run natively and under Nexa:
 * stdout, stderr and exit status identical, with lazy binding and with LD_BIND_NOW=1 (every PLT
 * slot resolved before main, so every imported symbol must resolve).
 */
class HostProgramDifferentialTest {
    private static final byte[] NONE = new byte[0];
    private static final String[][] BIND = {{}, {"LD_BIND_NOW=1"}};

    @TempDir
    static Path dir;

    /** A directory with each kind of entry ls -l formats differently; fixed times so the dates are stable. */
    @BeforeAll
    static void prepare() throws Exception {
        Path d = Files.createDirectory(dir.resolve("listing"));
        Files.writeString(d.resolve("plain.txt"), "some text\n");
        Files.write(d.resolve("big.bin"), new byte[70_000]);
        Path exe = Files.writeString(d.resolve("run.sh"), "#!/bin/sh\necho hi\n");
        exe.toFile().setExecutable(true);
        Files.createDirectory(d.resolve("subdir"));
        Files.createSymbolicLink(d.resolve("link"), Path.of("plain.txt"));
        Files.createSymbolicLink(d.resolve("dangling"), Path.of("nowhere"));
        Files.writeString(d.resolve("with space"), "");
        try (var s = Files.list(d)) {
            for (Path p : s.toList()) {
                if (!Files.isSymbolicLink(p)) Files.setLastModifiedTime(p, FileTime.fromMillis(1_600_000_000_000L));
            }
        }
        Files.writeString(dir.resolve("words"), "pear\napple\nfig\nbanana\napple\n10\n9\n-3\nZebra\n");
    }

    private static void both(List<String> argv, byte[] stdin) throws Exception {
        Assumptions.assumeTrue(CompatHarness.executable(argv.getFirst()), () -> argv.getFirst() + " missing (coreutils)");
        for (String[] extra : BIND) assertSame(argv, env(extra), dir, stdin);
    }

    @Test
    void lsLongListing() throws Exception {
        both(List.of("/bin/ls", "-l", dir.resolve("listing").toString()), NONE);
        both(List.of("/bin/ls", "-la", "--full-time", "listing"), NONE);
        both(List.of("/bin/ls", "-lR", "listing", "no-such-entry"), NONE);         // status 2 and a message
    }

    @Test
    void sort() throws Exception {
        both(List.of("/usr/bin/sort"), Files.readAllBytes(dir.resolve("words")));
        both(List.of("/usr/bin/sort", "-n", "-r", "words"), NONE);
        both(List.of("/usr/bin/sort", "-u", "-f", "words"), NONE);
    }

    @Test
    void sha256sum() throws Exception {
        both(List.of("/usr/bin/sha256sum", "words", "listing/big.bin"), NONE);
        both(List.of("/usr/bin/sha256sum", "-"), "abc".getBytes(StandardCharsets.US_ASCII));
        both(List.of("/usr/bin/sha256sum", "absent"), NONE);                         // status 1
    }

    @Test
    void expr() throws Exception {
        both(List.of("/usr/bin/expr", "6", "*", "7"), NONE);
        both(List.of("/usr/bin/expr", "length", "hello"), NONE);
        both(List.of("/usr/bin/expr", "abc123", ":", "[a-z]*\\([0-9]*\\)"), NONE);   // regex through libc
        both(List.of("/usr/bin/expr", "0"), NONE);                                  // status 1
        both(List.of("/usr/bin/expr", "1", "/", "0"), NONE);                        // status 2, "division by zero"
        both(List.of("/usr/bin/expr", "99999999999999999999", "+", "1"), NONE);     // GMP-free big numbers
    }

    @Test
    void shellWithBuiltins() throws Exception {
        both(List.of("/bin/sh", "-c",
                "x=5; echo $((x * 3)) ${x}a; set -- a b c; echo $# \"$2\"; type cd; "
                        + "for i in 1 2 3; do printf '%s-' $i; done; echo; read line; echo got:$line; "
                        + "test -d listing && echo dir; cd listing && pwd >/dev/null && echo in; exit 7"),
                "first line\nsecond\n".getBytes(StandardCharsets.US_ASCII));
        // A pipeline and a command substitution: fork, pipe, execve of glibc-dynamic programs, wait.
        both(List.of("/bin/sh", "-c", "sort -r words | head -n 3; echo n=$(wc -l < words); false || echo $?"), NONE);
    }

    @Test
    void missingLibraryIsTheLoadersMessageAndStatus127() throws Exception {
        Path lib = resource("missing_lib.c"), prog = resource("needs_missing.c");
        Path so = CompatHarness.compile(lib, dir, "libnexamissing.so", "-shared", "-fPIC");
        Assumptions.assumeTrue(so != null, "gcc (package gcc) cannot build a shared library here");
        Path exe = CompatHarness.compile(prog, dir, "needs_missing", "-L" + dir, "-lnexamissing");
        Assumptions.assumeTrue(exe != null, "gcc could not link against the library");
        Files.delete(so);
        for (String[] extra : BIND) {
            var n = assertSame(List.of(exe.toString()), env(extra), dir, NONE);
            assertEquals(127, n.status());
            assertTrue(n.stderr().contains("libnexamissing.so: cannot open shared object file"), n.stderr());
        }
        // argv[0] as typed is what the loader names in its message.
        var n = assertSame(List.of("./needs_missing"), env(), dir, NONE);
        assertTrue(n.stderr().startsWith("./needs_missing: error while loading shared libraries:"), n.stderr());
    }

    static Path resource(String name) throws Exception {
        var url = HostProgramDifferentialTest.class.getResource("/compat/" + name);
        if (url == null) throw new IllegalStateException("test resource compat/" + name + " missing");
        return Path.of(url.toURI());
    }
}
