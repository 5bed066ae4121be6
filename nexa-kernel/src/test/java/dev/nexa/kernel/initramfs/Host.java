package dev.nexa.kernel.initramfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/** Host tools and host file trees for differential tests. */
final class Host {
    private Host() {}

    /** Skips the test unless {@code tool} runs; names the Debian package that provides it. */
    static void assumeTool(String tool, String debianPackage) {
        boolean ok;
        try {
            var p = new ProcessBuilder(tool, "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            ok = false;
        }
        assumeTrue(ok, "needs " + tool + " on the PATH: apt-get install " + debianPackage);
    }

    /** Runs {@code sh -c script} in {@code dir}, feeding {@code stdin}; returns stdout, fails on a non-zero exit. */
    static byte[] sh(Path dir, byte[] stdin, String script) throws IOException, InterruptedException {
        var stderr = Files.createTempFile("nexa-sh", ".err");
        try {
            var p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile())
                    .redirectError(stderr.toFile()).start();
            var feeder = Thread.ofVirtual().start(() -> {
                try (var in = p.getOutputStream()) {
                    in.write(stdin);
                } catch (IOException ignored) {
                    // the tool may stop reading early; its exit status tells
                }
            });
            var out = p.getInputStream().readAllBytes();
            feeder.join();
            assertEquals(0, p.waitFor(), () -> script + " failed: " + read(stderr));
            return out;
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(unreadable)";
        }
    }

    /** What a differential test compares about one path. */
    record Node(String type, int permissions, long uid, long gid, long mtime, String content, String linkTarget,
                String fileKey, long rdev) {}

    /** Every path under {@code root} ("." for the root) with its attributes; hard links share fileKey. */
    static Map<String, Node> snapshot(Path root) throws IOException {
        var out = new TreeMap<String, Node>();
        try (var walk = Files.walk(root)) {
            for (var p : walk.toList()) {
                var rel = root.relativize(p).toString();
                var name = rel.isEmpty() ? "." : rel;
                var a = Files.readAttributes(p, "unix:mode,ino,dev,uid,gid,rdev,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                var type = FileType.of(mode).orElseThrow().name();
                String content = "";
                String target = "";
                if (Files.isSymbolicLink(p)) {
                    target = Files.readSymbolicLink(p).toString();
                } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    content = Arrays.toString(Files.readAllBytes(p));
                }
                out.put(name, new Node(type, mode & 07777, (Integer) a.get("uid"), (Integer) a.get("gid"),
                        ((FileTime) a.get("lastModifiedTime")).toMillis() / 1000, content, target,
                        a.get("dev") + ":" + a.get("ino"), (Long) a.get("rdev")));
            }
        }
        return out;
    }

    /** The snapshot with hard-link identity replaced by "same as the first path of its group". */
    static Map<String, String> linkStructure(Map<String, Node> snapshot) {
        var firstByKey = new TreeMap<String, String>();
        var out = new TreeMap<String, String>();
        for (var e : snapshot.entrySet()) {
            if (e.getValue().type().equals("DIRECTORY")) {
                continue;
            }
            var first = firstByKey.putIfAbsent(e.getValue().fileKey(), e.getKey());
            out.put(e.getKey(), first == null ? e.getKey() : first);
        }
        return out;
    }

    static List<String> lines(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8).lines().toList();
    }
}
