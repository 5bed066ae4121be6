package dev.nexa.cli;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Issue 5's first acceptance point: an initramfs built from the host's static busybox with
 * {@code nexa cpio pack} runs a shell script (pipelines, subshells, command substitution,
 * redirections, loops, ls -l, find, sort, sed, awk, wc) under {@code nexa boot}, and its output is
 * byte for byte what the same busybox prints running the same script natively in the directory
 * the archive was packed from. The script's only path is its first argument (the root: the
 * packed directory natively, "" in the guest), so the outputs are comparable.
 */
class BootBusyboxScriptTest {
    static final Path BUSYBOX = Path.of("/bin/busybox");
    static final FileTime FIXED = FileTime.from(Instant.parse("2024-01-02T03:04:05Z"));

    static final String SCRIPT = """
            R=$1
            cd "$R/data" || exit 9
            echo "== ls -l"
            ls -l sub
            ls -ln sub/a.txt sub/link
            echo "== pipeline"
            cat words.txt | sort | uniq -c | sort -rn | head -n 4
            tr a-z A-Z < words.txt | grep -c APPLE
            echo "== wc"
            wc -l words.txt
            wc -w < words.txt
            wc -c words.txt sub/a.txt
            echo "== subshells"
            (cd sub && pwd | sed 's|.*/||'; echo "inside: $(ls | wc -l) entries")
            echo "after: $(basename "$(pwd)")"
            x=outer; (x=inner; echo "sub sees $x"); echo "parent keeps $x"
            echo "== command substitution"
            n=$(ls | wc -l)
            echo "entries: $n, nested: $(echo $(echo deep $(echo deeper)))"
            echo "== redirections"
            echo one > out.txt
            echo two >> out.txt
            cat < out.txt
            ls nosuch 2> err.txt; echo "ls status $?"
            cat err.txt
            { echo to-stderr >&2; echo to-stdout; } 2>&1 | sort
            exec 3> fd3.txt; echo via-fd3 >&3; exec 3>&-; cat fd3.txt
            cat <<EOF | sed 's/^/here: /'
            line $n
            EOF
            echo "== loops"
            for f in b a c; do echo "item $f"; done | sort
            i=0; while [ $i -lt 5 ]; do i=$((i + 1)); printf '%d ' $i; done; echo
            for f in sub/*.txt; do printf '%s:%s\\n' "$f" "$(wc -c < "$f")"; done
            echo "== find"
            find . -type f | sort
            find . -name '*.txt' -newer words.txt | sort
            find sub -type l
            echo "== sed"
            sed -n '2,4p' words.txt
            sed 's/\\([aeiou]\\)/<\\1>/g; /cherry/d' words.txt | head -n 3
            echo "== awk"
            awk '{ n[$1]++; len += length($0) } END { for (w in n) c++; print NR, c, len }' words.txt
            awk -F: 'BEGIN { OFS="|" } { print NR, $2, toupper($1) }' sub/c.txt
            echo "== sort"
            sort -u words.txt | sort -r | head -n 2
            printf '10\\n9\\n100\\n' | sort -n
            echo "== status"
            false | true; echo "pipe $?"
            sh -c 'exit 7'; echo "child $?"
            exit 3
            """;

    static Path root, archive;

    @BeforeAll
    static void buildInitramfs(@TempDir Path tmp) throws IOException {
        Assumptions.assumeTrue(Files.isExecutable(BUSYBOX) && isStatic(BUSYBOX), "needs the Debian package busybox-static");
        root = tmp.resolve("root");
        Path bin = Files.createDirectories(root.resolve("bin"));
        Files.copy(BUSYBOX, bin.resolve("busybox"));
        for (String applet : List.of("sh", "ls", "cat", "sort", "uniq", "head", "tr", "grep", "wc", "sed", "awk", "find",
                "basename", "printf", "echo", "true", "false", "pwd")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Path etc = Files.createDirectories(root.resolve("etc"));
        // ls -l names owners: root in the guest as on the host.
        Files.writeString(etc.resolve("passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(etc.resolve("group"), "root:x:0:\n");
        Files.createDirectories(root.resolve("dev"));
        Files.createDirectories(root.resolve("proc"));
        Files.writeString(root.resolve("test.sh"), SCRIPT);
        Path data = Files.createDirectories(root.resolve("data"));
        Files.writeString(data.resolve("words.txt"), "pear\napple\nfig\napple\ncherry\nbanana\napple\nfig\n");
        Path sub = Files.createDirectories(data.resolve("sub"));
        Files.writeString(sub.resolve("a.txt"), "alpha\n");
        Files.writeString(sub.resolve("b.txt"), "bravo bravo\n".repeat(40));
        Files.writeString(sub.resolve("c.txt"), "x:one\ny:two\nz:three\n");
        Files.createSymbolicLink(sub.resolve("link"), Path.of("a.txt"));
        for (Path p : List.of(data.resolve("words.txt"), sub.resolve("a.txt"), sub.resolve("b.txt"), sub.resolve("c.txt"))) {
            Files.setLastModifiedTime(p, FIXED);
        }
        archive = tmp.resolve("initramfs.cpio");
        CliTest.Result r = CliTest.nexa("cpio", "pack", "-o", archive.toString(), root.toString());
        assertEquals(0, r.status(), r.err());
    }

    static boolean isStatic(Path p) {
        try {
            // No PT_INTERP: the guest needs no dynamic loader from the host.
            return !new String(Files.readAllBytes(p), 0, 4096, StandardCharsets.ISO_8859_1).contains("ld-linux");
        } catch (IOException e) {
            return false;
        }
    }

    record Run(String out, int status) {}

    static Run natively() throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(root.resolve("bin/sh").toString(), root.resolve("test.sh").toString(),
                root.toString()).directory(root.toFile()).redirectErrorStream(true);
        pb.environment().clear();
        pb.environment().put("PATH", root.resolve("bin").toString());
        pb.environment().put("LC_ALL", "C");
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(out, p.exitValue());
    }

    static Run underNexa() {
        GuestRun.CaptureFile out = new GuestRun.CaptureFile("stdout");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        var opts = new GuestLauncher.Options(256L << 20, Path.of("/"), 2_000_000_000L, Set.of(), false, 1L)
                .asBoot(archive, null);
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "/test.sh", ""));
        int status = GuestLauncher.run(opts, "/bin/sh", argv, List.of("PATH=/bin", "LC_ALL=C"), "/",
                new GuestLauncher.Stdio(new GuestRun.BytesFile(new byte[0]), out, out), new PrintStream(console, true));
        String text = new String(out.bytes(), StandardCharsets.UTF_8);
        assertNotEquals(125, status, console.toString());
        return new Run(text, status);
    }

    @Test
    void scriptOutputIsByteIdenticalToNativeBusybox() throws Exception {
        // Natively first would leave out.txt and friends in the packed tree; the archive was
        // packed already, so each side starts from the same files.
        Run nexa = underNexa();
        Run nat = natively();
        assertTrue(nat.out().contains("== status"), "the native run got to the end:\n" + nat.out());
        assertEquals(nat.out(), nexa.out());
        assertEquals(3, nat.status());
        assertEquals(nat.status(), nexa.status(), "init's exit status is Nexa's");
    }
}
