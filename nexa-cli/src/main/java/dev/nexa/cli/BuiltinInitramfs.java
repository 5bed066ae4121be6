package dev.nexa.cli;

import dev.nexa.elf.ElfFile;
import dev.nexa.elf.ElfFormatException;
import dev.nexa.kernel.initramfs.Compression;
import dev.nexa.kernel.initramfs.CpioFormat;
import dev.nexa.kernel.initramfs.CpioWriter;
import dev.nexa.kernel.initramfs.CpioWriter.Attributes;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * The initramfs {@code nexa boot} uses when given none: assembled at boot time from the host's
 * busybox-static (with a link per applet) — or, without it, the host's dash and coreutils with
 * the shared libraries they need, resolved from DT_NEEDED as mkinitcpio does — plus an /init that
 * prints a banner and starts a shell, a small /etc, and the project's own static fixtures under
 * /opt/nexa/bin.
 */
final class BuiltinInitramfs {
    static final String BUSYBOX = "/bin/busybox";
    /** What the dash fallback copies: a shell and the everyday tools. */
    static final List<String> FALLBACK_TOOLS = List.of("sh", "dash", "ls", "cat", "echo", "cp", "mv", "rm", "mkdir",
            "rmdir", "ln", "pwd", "wc", "sort", "head", "tail", "grep", "sed", "uname", "env", "true", "false",
            "sleep", "date", "id", "stat", "touch", "chmod", "find", "expr", "tr", "cut", "uniq", "tee", "basename",
            "dirname", "seq", "yes", "printf", "test", "ps", "kill");
    static final List<String> LIBRARY_DIRS = List.of("/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64",
            "/usr/lib64", "/lib", "/usr/lib");

    static final String INIT = """
            #!/bin/sh
            # /init of Nexa's built-in initramfs: pid 1, as the Linux kernel runs it.
            export PATH=/bin:/sbin:/usr/bin:/usr/sbin:/opt/nexa/bin
            export HOME=/root TERM=${TERM:-linux}
            cd /root
            cat /etc/motd
            if [ -t 0 ]; then
                # /dev/console never becomes a controlling terminal, and a shell needs one for job
                # control (Ctrl-C, Ctrl-Z, fg): as initramfs scripts do, start it in a session of
                # its own on the console's real device, which cttyhack finds (/dev/ttyS0 here).
                setsid cttyhack /bin/sh -l
            else
                /bin/sh -l          # no terminal (Nexa's input is a pipe or a file): a plain shell on it
            fi
            status=$?
            echo "nexa: the shell exited (status $status); init exits"
            exit $status
            """;

    static final String MOTD = """

            Welcome to Nexa: an x86-64 Linux running on an emulated CPU in Java.
            Guest RAM is one off-heap MemorySegment behind real 4-level page tables.
            Try: uname -a; cat /proc/self/maps; ls /opt/nexa/bin; exit

            """;

    private BuiltinInitramfs() {}

    /** Builds the archive (newc, uncompressed) in memory. */
    static byte[] build(Path fixtures) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 << 20);
        try (CpioWriter w = new CpioWriter(out, CpioFormat.NEWC, Compression.NONE)) {
            Attributes dir = Attributes.of(0755), file = Attributes.of(0644), exe = Attributes.of(0755);
            for (String d : List.of("bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "root", "tmp", "proc", "dev",
                    "sys", "lib", "lib64", "opt", "opt/nexa", "opt/nexa/bin", "home", "var", "var/tmp")) {
                w.directory(d, d.equals("tmp") || d.equals("var/tmp") ? Attributes.of(01777) : dir);
            }
            w.characterDevice("dev/console", 5, 1, Attributes.of(0600));
            w.characterDevice("dev/null", 1, 3, Attributes.of(0666));
            w.file("init", INIT.getBytes(StandardCharsets.UTF_8), exe);
            w.file("etc/motd", MOTD.getBytes(StandardCharsets.UTF_8), file);
            w.file("etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n"
                    .getBytes(StandardCharsets.UTF_8), file);
            w.file("etc/group", "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.UTF_8), file);
            w.file("etc/hostname", "nexa\n".getBytes(StandardCharsets.UTF_8), file);
            w.file("etc/profile", "PS1='nexa:\\w\\$ '\nexport PS1\n".getBytes(StandardCharsets.UTF_8), file);
            if (Files.isExecutable(Path.of(BUSYBOX))) addBusybox(w);
            else addHostTools(w);
            addFixtures(w, fixtures);
            w.finish();
        }
        return out.toByteArray();
    }

    /** busybox at /bin/busybox and a symlink per applet where busybox itself would install it. */
    private static void addBusybox(CpioWriter w) throws IOException {
        w.file("bin/busybox", Path.of(BUSYBOX), Attributes.of(0755));
        Set<String> seen = new TreeSet<>();
        for (String applet : run(BUSYBOX, "--list-full")) {
            String name = applet.strip();
            if (name.isEmpty() || name.equals("bin/busybox") || !seen.add(name)) continue;
            // Absolute, as `busybox --install -s` makes them; the VFS resolves them inside the root.
            w.symlink(name, "/bin/busybox", Attributes.of(0777));
        }
    }

    /** dash + coreutils from the host, with every library they need (and their interpreter). */
    private static void addHostTools(CpioWriter w) throws IOException {
        Set<Path> libs = new LinkedHashSet<>();
        for (String tool : FALLBACK_TOOLS) {
            Optional<Path> p = which(tool);
            if (p.isEmpty()) continue;
            w.file("bin/" + tool, p.get().toRealPath(), Attributes.of(0755));
            libs.addAll(closure(p.get()));
        }
        Set<String> dirsMade = new TreeSet<>(List.of("lib", "lib64"));
        for (Path lib : libs) {
            String name = lib.toString().substring(1);
            Path parent = Path.of(name).getParent();
            List<String> chain = new ArrayList<>();
            for (Path q = parent; q != null; q = q.getParent()) chain.add(0, q.toString());
            for (String d : chain) if (dirsMade.add(d)) w.directory(d, Attributes.of(0755));
            w.file(name, lib.toRealPath(), Attributes.of(0755));
        }
    }

    /** The libraries a program needs, transitively (DT_NEEDED), plus its PT_INTERP. */
    static Set<Path> closure(Path program) {
        Set<Path> out = new LinkedHashSet<>();
        Deque<Path> work = new ArrayDeque<>(List.of(program));
        while (!work.isEmpty()) {
            Path p = work.pop();
            ElfFile elf;
            try {
                elf = ElfFile.parse(p);
            } catch (IOException | ElfFormatException e) {
                continue;
            }
            elf.interpreter().map(Path::of).filter(Files::exists).ifPresent(interp -> {
                if (out.add(interp)) work.push(interp);
            });
            for (String needed : elf.dynamic().map(d -> d.needed()).orElse(List.of())) {
                for (String dir : LIBRARY_DIRS) {
                    Path lib = Path.of(dir, needed);
                    if (Files.exists(lib)) {
                        if (out.add(lib)) work.push(lib);
                        break;
                    }
                }
            }
        }
        return out;
    }

    private static void addFixtures(CpioWriter w, Path fixtures) throws IOException {
        Path dir = fixtures.resolve("bin/musl-static");
        if (!Files.isDirectory(dir)) return;
        try (var s = Files.list(dir)) {
            for (Path p : s.sorted().toList()) {
                if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                    w.file("opt/nexa/bin/" + p.getFileName(), p, Attributes.of(0755));
                }
            }
        }
    }

    private static Optional<Path> which(String tool) {
        for (String d : List.of("/usr/bin", "/bin", "/usr/sbin", "/sbin")) {
            Path p = Path.of(d, tool);
            if (Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    private static List<String> run(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        try {
            p.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return lines;
    }
}
