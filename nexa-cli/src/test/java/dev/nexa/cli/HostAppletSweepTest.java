package dev.nexa.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A sweep over host coreutils programs and busybox applets, each run natively and under Nexa
 * (stdout, stderr, exit status identical). Programs that differ for a known reason are listed in
 * {@link #KNOWN_GAPS} and reported as skipped with that reason; docs/compat.md lists them too.
 */
class HostAppletSweepTest {
    /** One invocation: argv (argv[0] a host path) and stdin. */
    record Case(List<String> argv, String stdin) {
        String id() { return String.join(" ", argv); }
    }

    static final String BB = "/usr/bin/busybox";
    static final String WORDS = "pear\napple\nfig\nbanana\napple\n10\n9\n-3\nZebra\n";

    /** One CPU: the reason nproc differs on a multi-processor host. */
    static final String ONE_CPU = "Nexa emulates one CPU: sched_getaffinity and /proc/cpuinfo report one processor";

    /**
     * A case id (the whole command line), argv[0], or "busybox APPLET" -> why it differs from the
     * native run. The same list, with more words, is in docs/compat.md.
     */
    static final Map<String, String> KNOWN_GAPS = Map.ofEntries(
            Map.entry("/usr/bin/nproc", ONE_CPU),
            Map.entry("busybox nproc", ONE_CPU),
            Map.entry("/usr/bin/ls -li tree", "the guest's /tmp is an overlay (in-memory upper over the host's /tmp): "
                    + "its directories have overlay inode numbers, as Linux's overlayfs gives directories when the "
                    + "layers are on different file systems (ovl_map_dev_ino); files keep the host's"));

    static Case in(String stdin, String... argv) { return new Case(List.of(argv), stdin); }

    static Case c(String... argv) { return new Case(List.of(argv), ""); }

    static List<Case> coreutils() {
        return List.of(
                c("/usr/bin/cat", "words"), in("line1\nline2\n", "/usr/bin/cat", "-n", "-"),
                c("/usr/bin/head", "-n", "3", "words"), c("/usr/bin/tail", "-n", "2", "words"),
                c("/usr/bin/wc", "words", "tree/a.txt"), c("/usr/bin/uniq", "-c", "sorted"),
                in("a b c\nd e f\n", "/usr/bin/cut", "-d", " ", "-f", "2"),
                in("hello\n", "/usr/bin/tr", "a-z", "A-Z"), c("/usr/bin/rev", "words"),
                c("/usr/bin/tac", "words"), c("/usr/bin/nl", "words"), c("/usr/bin/od", "-A", "x", "-t", "x1z", "words"),
                c("/usr/bin/base64", "words"), c("/usr/bin/md5sum", "words"), c("/usr/bin/sha1sum", "words"),
                c("/usr/bin/sha512sum", "words"), c("/usr/bin/b2sum", "words"), c("/usr/bin/cksum", "words"),
                c("/usr/bin/fold", "-w", "3", "words"), c("/usr/bin/fmt", "-w", "20", "words"),
                c("/usr/bin/paste", "-s", "-d", ",", "words"), c("/usr/bin/join", "sorted", "sorted"),
                c("/usr/bin/comm", "sorted", "sorted"), c("/usr/bin/seq", "-s", ",", "1", "3", "20"),
                c("/usr/bin/seq", "0.5", "0.25", "2"), c("/usr/bin/factor", "1234567890", "97"),
                c("/usr/bin/printf", "%05.2f|%x|%s|%q\\n", "3.14159", "255", "str", "a b"),
                c("/usr/bin/echo", "-e", "a\\tb\\n"), c("/usr/bin/basename", "/a/b/c.txt", ".txt"),
                c("/usr/bin/dirname", "/a/b/c.txt"), c("/usr/bin/realpath", "tree/../words"),
                c("/usr/bin/readlink", "-f", "tree/link"), c("/usr/bin/stat", "-c", "%n %s %F %a %h", "words", "tree"),
                c("/usr/bin/du", "-s", "--apparent-size", "tree"), c("/usr/bin/ls", "-1a", "tree"),
                c("/usr/bin/ls", "-li", "tree"), c("/usr/bin/find", "tree", "-name", "*.txt"),
                c("/usr/bin/test", "-f", "words"), c("/usr/bin/true"), c("/usr/bin/false"),
                c("/usr/bin/expr", "substr", "hello", "2", "3"), c("/usr/bin/numfmt", "--to=iec", "123456789"),
                c("/usr/bin/tsort", "sorted"), c("/usr/bin/shuf", "--random-source=words", "-n", "3", "words"),
                c("/usr/bin/split", "--verbose", "-l", "4", "words", "/tmp/nexa-sweep-split-"),
                c("/usr/bin/csplit", "-f", "/tmp/nexa-sweep-csplit-", "words", "3"),
                c("/usr/bin/env"), c("/usr/bin/printenv", "PATH"), c("/usr/bin/pwd"),
                c("/usr/bin/sort", "-k", "1,1", "-t", " ", "words"), c("/usr/bin/grep", "-n", "an", "words"),
                c("/usr/bin/grep", "-E", "-c", "^[a-z]+$", "words"), c("/usr/bin/sed", "-n", "s/a/A/gp", "words"),
                c("/usr/bin/awk", "{ n += length($0) } END { print n, NR }", "words"),
                c("/usr/bin/diff", "words", "sorted"), c("/usr/bin/cmp", "words", "sorted"),
                in("a b c\n", "/usr/bin/xargs", "-n", "2", "echo"), c("/usr/bin/id", "-u"),
                c("/usr/bin/nproc"), c("/usr/bin/uname", "-s", "-m"), c("/usr/bin/timeout", "5", "/usr/bin/true"),
                c("/usr/bin/sleep", "0.01"), in("teed\n", "/usr/bin/tee", "/dev/null"),
                c("/usr/bin/gzip", "-c", "-n", "words"), c("/usr/bin/tar", "-cf", "-", "--mtime=@0", "--owner=0",
                        "--group=0", "--numeric-owner", "tree/a.txt"),
                c("/usr/bin/date", "-u", "-d", "@0"),
                c("/usr/bin/truncate", "-s", "10", "/tmp/nexa-sweep-trunc"), c("/usr/bin/dd", "if=words", "bs=4", "count=2",
                        "status=none"));
    }

    static List<Case> busybox() {
        List<Case> out = new ArrayList<>();
        String[][] applets = {
                {"cat", "words"}, {"sort", "-r", "words"}, {"uniq", "-c", "sorted"}, {"wc", "-l", "words"},
                {"head", "-n", "2", "words"}, {"tail", "-n", "2", "words"}, {"cut", "-c", "1-3", "words"},
                {"grep", "-c", "a", "words"}, {"sed", "s/a/X/", "words"}, {"awk", "{print NR\": \"$0}", "words"},
                {"md5sum", "words"}, {"sha256sum", "words"}, {"od", "-c", "words"}, {"hexdump", "-C", "words"},
                {"expr", "3", "+", "4"}, {"seq", "5"}, {"printf", "%d-%s\\n", "42", "x"}, {"basename", "/a/b"},
                {"ls", "-l", "tree"}, {"find", "tree", "-type", "f"}, {"stat", "-c", "%s %a", "words"},
                {"du", "-s", "tree"}, {"tr", "a-z", "A-Z"}, {"rev", "words"}, {"tac", "words"}, {"nl", "words"},
                {"base64", "words"}, {"factor", "360"}, {"xxd", "words"}, {"cmp", "words", "sorted"},
                {"diff", "words", "sorted"}, {"sh", "-c", "a=1; echo $((a+41)); type echo; exit 3"},
                {"ash", "-c", "for i in 1 2; do echo $i; done | wc -l"}, {"uname", "-s"}, {"true"}, {"false"},
                {"echo", "hi"}, {"test", "-d", "tree"}, {"dirname", "/a/b"}, {"realpath", "tree"},
                {"gzip", "-c", "words"}, {"bzip2", "-c", "words"}, {"xargs", "echo"}, {"fold", "-w", "2", "words"},
                {"paste", "words", "sorted"}, {"comm", "-12", "sorted", "sorted"}, {"dc", "-e", "2 3 * p"},
                {"bc"}, {"env"}, {"id", "-u"}, {"nproc"}, {"sleep", "0"}, {"tee"},
        };
        for (String[] a : applets) {
            List<String> argv = new ArrayList<>(List.of(BB));
            argv.addAll(List.of(a));
            String stdin = switch (a[0]) {
                case "tr" -> "hello\n";
                case "xargs" -> "a b c\n";
                case "bc" -> "2^70\n";
                case "tee" -> "teed\n";
                default -> "";
            };
            out.add(new Case(argv, stdin));
        }
        return out;
    }

    @TempDir
    static Path dir;

    @BeforeAll
    static void prepare() throws Exception {
        Files.writeString(dir.resolve("words"), WORDS);
        Files.writeString(dir.resolve("sorted"), "apple\napple\nbanana\nfig\npear\n");
        Path tree = Files.createDirectory(dir.resolve("tree"));
        Files.writeString(tree.resolve("a.txt"), "alpha\n");
        Files.writeString(tree.resolve("b.txt"), "beta beta\n");
        Files.createDirectory(tree.resolve("sub"));
        Files.writeString(tree.resolve("sub/c.dat"), "c");
        Files.createSymbolicLink(tree.resolve("link"), Path.of("a.txt"));
        try (var s = Files.walk(tree)) {
            for (Path p : s.toList()) {
                if (!Files.isSymbolicLink(p)) Files.setLastModifiedTime(p, FileTime.fromMillis(1_600_000_000_000L));
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> hostProgramsBehaveAsNatively() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : coreutils()) tests.add(DynamicTest.dynamicTest(c.id(), () -> check(c, c.argv().getFirst())));
        for (Case c : busybox()) tests.add(DynamicTest.dynamicTest(c.id(), () -> check(c, "busybox " + c.argv().get(1))));
        return tests.stream();
    }

    private static void check(Case c, String key) throws Exception {
        String gap = KNOWN_GAPS.getOrDefault(c.id(), KNOWN_GAPS.get(key));
        Assumptions.assumeTrue(gap == null, () -> "known gap: " + gap);
        Assumptions.assumeTrue(CompatHarness.executable(c.argv().getFirst()),
                () -> c.argv().getFirst() + " missing (" + (key.startsWith("busybox") ? "busybox-static" : "coreutils") + ")");
        CompatHarness.assertSame(c.argv(), CompatHarness.env(), dir, c.stdin().getBytes(StandardCharsets.UTF_8));
    }
}
