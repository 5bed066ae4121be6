package dev.nexa.kernel.initramfs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential tests against GNU cpio (Debian package "cpio") and gzip: archives GNU cpio writes read
 * back as the host tree, and archives Nexa writes list and extract with GNU cpio as the host tree.
 */
class GnuCpioDifferentialTest {
    @TempDir
    Path tmp;

    @BeforeEach
    void tools() {
        Host.assumeTool("cpio", "cpio");
        Host.assumeTool("gzip", "gzip");
    }

    /** A tree with every kind of entry a host can make without privileges, odd sizes and hard links. */
    private Path makeTree(String name, long seed) throws Exception {
        var root = Files.createDirectory(tmp.resolve(name));
        var random = new Random(seed);
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("etc/init.d"));
        Files.createDirectories(root.resolve("sbin"));
        Files.createDirectories(root.resolve("deep/a/b/c"));
        Files.createDirectories(root.resolve("dir with space"));
        var busybox = new byte[10_007];
        random.nextBytes(busybox);
        Files.write(root.resolve("bin/busybox"), busybox);
        Files.createLink(root.resolve("bin/sh"), root.resolve("bin/busybox"));
        Files.createLink(root.resolve("sbin/init"), root.resolve("bin/busybox"));
        Files.createLink(root.resolve("linked-at-top"), root.resolve("bin/busybox"));
        for (int size : new int[] {0, 1, 2, 3, 4, 5, 511, 512, 513}) {
            var data = new byte[size];
            random.nextBytes(data);
            Files.write(root.resolve("etc/odd" + size), data);
        }
        Files.writeString(root.resolve("etc/init.d/rcS"), "#!/bin/sh\necho hello\n");
        Files.setPosixFilePermissions(root.resolve("etc/init.d/rcS"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.writeString(root.resolve("deep/a/b/c/leaf"), "leaf");
        Files.writeString(root.resolve("dir with space/file name"), "spaces");
        Files.writeString(root.resolve("dir with space/ünïcødé"), "utf-8 name");
        Files.createSymbolicLink(root.resolve("init"), Path.of("bin/busybox"));
        Files.createSymbolicLink(root.resolve("dangling"), Path.of("/does/not/exist"));
        Files.createSymbolicLink(root.resolve("etc/up"), Path.of("../bin"));
        Host.sh(root, new byte[0], "mkfifo fifo && chmod 4755 bin/busybox && chmod 1777 deep && chmod 0700 etc/odd3");
        try (var server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(root.resolve("sock")));
        }
        // Fixed times (symlinks included), so listings of two archives of the tree agree. touch, not
        // Files.setLastModifiedTime: that opens the file, and opening a FIFO blocks.
        Host.sh(root, new byte[0], "find . -exec touch -h -d @1600000000 {} +");
        return root;
    }

    private byte[] gnuArchive(Path root, String format) throws Exception {
        return Host.sh(root, new byte[0], "find . | cpio --quiet -o -H " + format);
    }

    private byte[] nexaArchive(Path root, DirectoryPacker packer) throws Exception {
        var out = new ByteArrayOutputStream();
        try (var w = CpioWriter.newc(out)) {
            packer.pack(root, w);
        }
        return out.toByteArray();
    }

    /** The rootfs matches the host tree: names, types, modes, contents, targets, hard links. */
    private static void assertMatchesHost(Map<String, Host.Node> host, Rootfs fs, boolean owners) {
        assertEquals(host.keySet(), fs.byPath().keySet());
        var byInode = new HashMap<Integer, String>();
        var linkStructure = new TreeMap<String, String>();
        for (var node : fs.nodes()) {
            var h = host.get(node.path());
            assertEquals(h.type(), node.type().name(), node.path());
            if (node.type() != FileType.SYMLINK) {
                assertEquals(h.permissions(), node.permissions(), node.path());
            }
            if (owners) {
                assertEquals(h.uid(), node.uid(), node.path());
                assertEquals(h.gid(), node.gid(), node.path());
            }
            if (node.type() == FileType.REGULAR) {
                assertEquals(h.content(), Arrays.toString(node.readData()), node.path());
            }
            if (node.type() == FileType.SYMLINK) {
                assertEquals(h.linkTarget(), node.symlinkTarget(), node.path());
            }
            if (node.type() != FileType.DIRECTORY) {
                var first = byInode.putIfAbsent(node.inode(), node.path());
                linkStructure.put(node.path(), first == null ? node.path() : first);
            }
        }
        assertEquals(Host.linkStructure(host), linkStructure, "hard links");
    }

    @Test
    void readsWhatGnuCpioWritesInNewcAndCrc() throws Exception {
        var root = makeTree("tree", 1);
        var host = Host.snapshot(root);
        for (var format : List.of("newc", "crc")) {
            var archive = new CpioReader().read(format + ".cpio", gnuArchive(root, format));
            // Raw entries: exactly the host's paths, with the host's full st_mode.
            assertEquals(host.keySet(), new java.util.TreeSet<>(archive.entries().stream().map(CpioEntry::name).toList()));
            for (var e : archive.entries()) {
                var h = host.get(e.name());
                assertEquals(h.type(), e.type().name(), e.name());
                assertEquals(h.permissions(), e.permissions(), e.name());
                assertEquals(h.mtime(), e.mtime(), e.name());
                assertEquals(format.equals("crc") ? CpioFormat.CRC : CpioFormat.NEWC, e.format());
            }
            // GNU cpio puts a hard link group's data on its last member, c_filesize 0 on the others.
            assertEquals(1, archive.hardLinks().size());
            var group = archive.hardLinks().getFirst();
            assertEquals(4, group.members().size());
            assertEquals(group.members().getLast(), group.dataEntry());
            assertTrue(group.members().subList(0, 3).stream().allMatch(m -> m.dataSize() == 0));
            assertMatchesHost(host, archive.unpack(), true);
        }
    }

    @Test
    void gnuCpioListsAndExtractsWhatNexaWrites() throws Exception {
        var root = makeTree("tree", 2);
        var host = Host.snapshot(root);
        var ours = nexaArchive(root, new DirectoryPacker().withHostOwnership());
        // GNU cpio archiving the names in the order DirectoryPacker walks them must list identically (same deferral of
        // hard-link data, same modes, owners, link counts, sizes, times, targets).
        var names = new ArrayList<String>();
        walkSorted(root, ".", names);
        var theirs = Host.sh(root, String.join("\n", names).concat("\n").getBytes(StandardCharsets.UTF_8),
                "cpio --quiet -o -H newc");
        var ourListing = Host.lines(Host.sh(tmp, ours, "TZ=UTC cpio --quiet -itv"));
        var theirListing = Host.lines(Host.sh(tmp, theirs, "TZ=UTC cpio --quiet -itv"));
        for (int i = 0; i < Math.max(theirListing.size(), ourListing.size()); i++) {
            assertEquals(i < theirListing.size() ? theirListing.get(i) : "(none)",
                    i < ourListing.size() ? ourListing.get(i) : "(none)", "line " + (i + 1) + " of cpio -itv");
        }
        assertEquals(host.size(), ourListing.size());

        var out = Files.createDirectory(tmp.resolve("extracted"));
        Host.sh(out, ours, "cpio --quiet -idm");
        var extracted = Host.snapshot(out);
        assertEquals(host.keySet(), extracted.keySet());
        for (var name : host.keySet()) {
            var h = host.get(name);
            var x = extracted.get(name);
            assertEquals(h.type(), x.type(), name);
            assertEquals(h.content(), x.content(), name);
            assertEquals(h.linkTarget(), x.linkTarget(), name);
            if (!h.type().equals("SYMLINK")) {
                assertEquals(h.permissions(), x.permissions(), name);
            }
            if (h.type().equals("REGULAR")) {
                assertEquals(h.mtime(), x.mtime(), name);
            }
        }
        assertEquals(Host.linkStructure(host), Host.linkStructure(extracted), "hard links");
        // And Nexa's own reader agrees.
        assertMatchesHost(host, new CpioReader().read("ours", ours).unpack(), true);
    }

    /** Depth first, each directory's entries sorted by name: the order DirectoryPacker visits. */
    private static void walkSorted(Path path, String name, List<String> out) throws Exception {
        out.add(name);
        if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
            try (var list = Files.list(path)) {
                for (var child : list.map(p -> p.getFileName().toString()).sorted().toList()) {
                    walkSorted(path.resolve(child), name.equals(".") ? child : name + "/" + child, out);
                }
            }
        }
    }

    @Test
    void rootOwnedPackingIsDeterministic() throws Exception {
        var root = makeTree("tree", 3);
        var packer = new DirectoryPacker().withMtime(0);
        var first = nexaArchive(root, packer);
        assertArrayEquals(first, nexaArchive(root, packer));
        var archive = new CpioReader().read("t", first);
        assertTrue(archive.entries().stream().allMatch(e -> e.uid() == 0 && e.gid() == 0 && e.mtime() == 0));
        assertMatchesHost(Host.snapshot(root), archive.unpack(), false);
    }

    @Test
    void concatenatedPlainAndGzipArchivesReadAsTheUnionLaterOverriding() throws Exception {
        var a = Files.createDirectory(tmp.resolve("a"));
        Files.createDirectories(a.resolve("etc"));
        Files.writeString(a.resolve("etc/only-a"), "a");
        Files.writeString(a.resolve("etc/shared"), "from a, a longer version");
        Files.writeString(a.resolve("init"), "a init");
        var b = Files.createDirectory(tmp.resolve("b"));
        Files.createDirectories(b.resolve("etc"));
        Files.writeString(b.resolve("etc/shared"), "from b");
        Files.writeString(b.resolve("etc/only-b"), "b");
        Files.createDirectories(b.resolve("usr/bin"));
        Files.writeString(b.resolve("usr/bin/tool"), "tool");
        Files.setPosixFilePermissions(b.resolve("etc"), PosixFilePermissions.fromString("rwx------"));

        Files.write(tmp.resolve("a.cpio"), gnuArchive(a, "newc"));
        Files.write(tmp.resolve("b.cpio"), gnuArchive(b, "crc"));
        Host.sh(tmp, new byte[0], "gzip -9 -c b.cpio > b.cpio.gz && cat a.cpio b.cpio.gz > c.cpio");
        var archive = new CpioReader().read(tmp.resolve("c.cpio"));
        assertEquals(List.of(Compression.NONE, Compression.GZIP),
                archive.members().stream().map(CpioArchive.Member::compression).toList());
        var fs = archive.unpack();

        // GNU cpio cannot read the concatenation, but extracting a then b unconditionally gives the union.
        var out = Files.createDirectory(tmp.resolve("union"));
        Host.sh(out, Files.readAllBytes(tmp.resolve("a.cpio")), "cpio --quiet -idu");
        Host.sh(out, Files.readAllBytes(tmp.resolve("b.cpio")), "cpio --quiet -idu");
        var union = Host.snapshot(out);
        assertEquals(union.keySet(), fs.byPath().keySet());
        assertEquals("from b", new String(fs.lookup("etc/shared").orElseThrow().readData(), StandardCharsets.UTF_8));
        assertEquals(0700, fs.lookup("etc").orElseThrow().permissions());
        for (var node : fs.nodes()) {
            var h = union.get(node.path());
            assertEquals(h.type(), node.type().name(), node.path());
            assertEquals(h.permissions(), node.permissions(), node.path());
            if (node.type() == FileType.REGULAR) {
                assertEquals(h.content(), Arrays.toString(node.readData()), node.path());
            }
        }
        assertFalse(fs.lookup("b").isPresent());
    }

    @Test
    void gzipCompressedCrcArchiveFromGnuTools() throws Exception {
        var root = makeTree("tree", 4);
        Files.write(tmp.resolve("t.cpio"), gnuArchive(root, "crc"));
        Host.sh(tmp, new byte[0], "gzip -n t.cpio");
        var archive = new CpioReader().read(tmp.resolve("t.cpio.gz"));
        assertEquals(Compression.GZIP, archive.members().getFirst().compression());
        assertMatchesHost(Host.snapshot(root), archive.unpack(), true);
        var sizes = archive.entries().stream().filter(CpioEntry::isRegular).mapToLong(CpioEntry::dataSize).sum();
        assertTrue(sizes > 10_000);
        // Mode of a file with the setuid bit survives.
        assertEquals(04755, archive.unpack().lookup("bin/busybox").orElseThrow().permissions());
        assertTrue(Files.isDirectory(root.resolve("deep"), LinkOption.NOFOLLOW_LINKS));
    }
}
