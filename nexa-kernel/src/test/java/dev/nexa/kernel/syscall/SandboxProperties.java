package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Sysno;
import dev.nexa.cpu.fuzz.Fuzzing;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.RootFs;
import dev.nexa.kernel.vfs.Vfs;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * The guest cannot reach host files outside its root. A temporary host directory holds
 * {@code root/} (the guest's /, shown through the VFS as {@code nexa run --root} shows it) and, beside
 * it, {@code outside/} with a sentinel file whose name and contents are random. Inside the root
 * the generator makes a random tree of directories and host symlinks aimed at everything that
 * could lead out ({@code ..} chains, the host's absolute path of the sentinel, /proc/self/root,
 * /proc/self/cwd, /proc/self/fd/N); then the guest runs a random sequence of real syscalls
 * (open/openat with dirfds, read, write, getdents64, readlink, chdir/fchdir, mkdir, symlink,
 * link, rename, unlink, truncate, chmod, chroot) on random paths built from the same pieces.
 * After every sequence: no read, readlink or directory listing returned the sentinel's contents or
 * the name of a second file outside (one no generated path can spell), and nothing outside the root changed (the sentinel's bytes and times, the outside
 * directory's listing); the host root itself is unchanged too (guest writes stay in memory).
 */
@AddLifecycleHook(Fuzzing.class)
class SandboxProperties {
    /** One host symlink in the root: where it is and what it points at. */
    record Link(String at, String target) {}

    /** One syscall of the sequence: which (by index) and its arguments (paths and small numbers). */
    record Op(int call, String path, String path2, int n) {}

    record World(List<String> dirs, List<Link> links, List<Op> ops) {}

    private static final String[] PIECES = {"..", ".", "", "a", "b", "a/b", "l0", "l1", "l2", "outside", "SENTINEL",
            "root", "proc", "self", "tmp", "/", "//", "/..", "/proc/self/root", "/proc/self/cwd", "/proc/self/fd/3",
            "/proc/self/fd/4", "/proc/1/root", "/proc/self/exe", "HOSTROOT", "HOSTOUT", "HOSTSENTINEL"};

    @Provide
    Arbitrary<World> worlds() {
        var piece = Arbitraries.of(PIECES);
        var path = piece.list().ofMinSize(1).ofMaxSize(6).map(l -> String.join("/", l));
        var dirs = Arbitraries.of("a", "a/b", "c", "a/b/c", "tmp/x").list().ofMaxSize(4);
        var link = Combinators.combine(Arbitraries.of("l0", "l1", "l2", "a/l0", "a/b/l1", "c/l2"), path).as(Link::new);
        var op = Combinators.combine(Arbitraries.integers().between(0, 15), path, path, Arbitraries.integers().between(0, 7))
                .as(Op::new);
        return Combinators.combine(dirs, link.list().ofMaxSize(5), op.list().ofMinSize(1).ofMaxSize(25)).as(World::new);
    }

    @Property(tries = 300, edgeCases = EdgeCasesMode.MIXIN)
    void nothingOutsideTheRootIsReadOrWritten(@ForAll("worlds") World w) throws Exception {
        Path top = Files.createTempDirectory("nexa-sandbox");
        try {
            check(top, w);
        } finally {
            deleteTree(top);
        }
    }

    private static void check(Path top, World w) throws Exception {
        Path root = Files.createDirectories(top.resolve("root"));
        Path outside = Files.createDirectories(top.resolve("outside"));
        String secretName = "sentinel-" + UUID.randomUUID();
        String secret = "SECRET-" + UUID.randomUUID();
        Path sentinel = outside.resolve(secretName);
        Files.writeString(sentinel, secret);
        // A name no generated path can produce: seeing it in any listing means the guest listed outside.
        String hiddenName = "hidden-" + UUID.randomUUID();
        Files.writeString(outside.resolve(hiddenName), secret);
        Files.setLastModifiedTime(sentinel, FileTime.fromMillis(1_000_000_000_000L));
        Files.createDirectories(root.resolve("tmp"));
        Files.writeString(root.resolve("inside.txt"), "inside");
        for (String d : w.dirs()) Files.createDirectories(root.resolve(d));
        for (Link l : w.links()) {
            Path at = root.resolve(l.at());
            if (Files.exists(at, LinkOption.NOFOLLOW_LINKS) || !Files.isDirectory(at.getParent())) continue;
            Files.createSymbolicLink(at, Path.of(expand(l.target(), top, secretName).isEmpty() ? "." : expand(l.target(), top, secretName)));
        }
        var before = snapshot(top, root);

        List<String> seen = new ArrayList<>();
        try (GuestKernel g = new GuestKernel(RootFs.host(root, "/"))) {
            Task t = g.task(0);
            List<Long> fds = new ArrayList<>();
            for (Op op : w.ops()) {
                String p = expand(op.path(), top, secretName), q = expand(op.path2(), top, secretName);
                long dirfd = fds.isEmpty() || op.n() < 3 ? Vfs.AT_FDCWD : fds.get(op.n() % fds.size());
                long r = switch (op.call()) {
                    case 0 -> g.call(t, Sysno.OPENAT, dirfd, g.str(t, p), OpenFile.O_RDONLY);
                    case 1 -> g.call(t, Sysno.OPENAT, dirfd, g.str(t, p), OpenFile.O_RDWR | OpenFile.O_CREAT, 0666);
                    case 2 -> g.call(t, Sysno.OPENAT, dirfd, g.str(t, p), OpenFile.O_RDONLY | OpenFile.O_DIRECTORY);
                    case 3 -> g.call(t, Sysno.OPENAT, dirfd, g.str(t, p), OpenFile.O_PATH);
                    case 4 -> g.call(t, Sysno.CHDIR, g.str(t, p));
                    case 5 -> fds.isEmpty() ? 0 : g.call(t, Sysno.FCHDIR, fds.get(op.n() % fds.size()));
                    case 6 -> g.call(t, Sysno.MKDIR, g.str(t, p), 0777);
                    case 7 -> g.call(t, Sysno.SYMLINK, g.str(t, q), g.str(t, p));
                    case 8 -> g.call(t, Sysno.RENAME, g.str(t, p), g.str(t, q));
                    case 9 -> g.call(t, Sysno.UNLINK, g.str(t, p));
                    case 10 -> g.call(t, Sysno.LINK, g.str(t, p), g.str(t, q));
                    case 11 -> g.call(t, Sysno.TRUNCATE, g.str(t, p), 0);
                    case 12 -> g.call(t, Sysno.CHMOD, g.str(t, p), 0777);
                    case 13 -> g.call(t, Sysno.CHROOT, g.str(t, p));
                    case 14 -> {
                        long buf = g.alloc(t, 512);
                        long n = g.call(t, Sysno.READLINK, g.str(t, p), buf, 512);
                        if (n > 0) seen.add(new String(g.read(t, buf, (int) n), StandardCharsets.ISO_8859_1));
                        yield n;
                    }
                    default -> g.call(t, Sysno.RENAMEAT2, dirfd, g.str(t, p), dirfd, g.str(t, q), 0);
                };
                if (op.call() <= 3 && r >= 0) {
                    fds.add(r);
                    // Everything an open descriptor gives away: its bytes, its listing; and it takes a write.
                    long buf = g.alloc(t, 4096);
                    long n = g.call(t, Sysno.READ, r, buf, 4096);
                    if (n > 0) seen.add(new String(g.read(t, buf, (int) n), StandardCharsets.ISO_8859_1));
                    n = g.call(t, Sysno.GETDENTS64, r, buf, 4096);
                    if (n > 0) seen.add(new String(g.read(t, buf, (int) n), StandardCharsets.ISO_8859_1));
                    g.call(t, Sysno.WRITE, r, g.str(t, "clobbered"), 9);
                    long link = g.alloc(t, 512);
                    n = g.call(t, Sysno.READLINK, g.str(t, "/proc/self/fd/" + r), link, 512);
                    if (n > 0) seen.add(new String(g.read(t, link, (int) n), StandardCharsets.ISO_8859_1));
                }
            }
        }
        for (String s : seen) {
            assertFalse(s.contains(secret), "the guest read the sentinel outside its root: " + w);
            assertFalse(s.contains(hiddenName), "the guest listed the directory outside its root: " + w);
        }
        assertEquals(before, snapshot(top, root), "host files changed: " + w);
    }

    /** HOSTROOT, HOSTOUT, HOSTSENTINEL: the host's absolute paths (meaningless inside the guest, which must treat them as guest paths). */
    private static String expand(String p, Path top, String secretName) {
        return p.replace("HOSTROOT", top.resolve("root").toString())
                .replace("HOSTOUT", top.resolve("outside").toString())
                .replace("HOSTSENTINEL", top.resolve("outside").resolve(secretName).toString())
                .replace("SENTINEL", secretName);
    }

    /** Every path under {@code top} with its size, contents hash and modification time; symlinks with their targets. */
    private static List<String> snapshot(Path top, Path root) throws IOException {
        try (Stream<Path> s = Files.walk(top)) {
            return s.sorted().map(p -> {
                try {
                    if (Files.isSymbolicLink(p)) return top.relativize(p) + " -> " + Files.readSymbolicLink(p);
                    if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return top.relativize(p) + "/";
                    return top.relativize(p) + " " + Files.readString(p, StandardCharsets.ISO_8859_1).hashCode() + " "
                            + Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toMillis();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).toList();
        }
    }

    private static void deleteTree(Path top) {
        try (var s = Files.walk(top)) {
            s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
