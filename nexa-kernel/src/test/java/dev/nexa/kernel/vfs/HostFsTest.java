package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.hostfs.HostFs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;

import static dev.nexa.kernel.vfs.Guests.assertErrno;
import static dev.nexa.kernel.vfs.Vfs.AT_FDCWD;
import static dev.nexa.kernel.vfs.Vfs.AT_SYMLINK_NOFOLLOW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The read-only host view: symlinks resolved inside the guest root, host numbers, EROFS, listings. */
class HostFsTest {
    @TempDir
    Path host;
    private Vfs vfs;
    private final Process root = Guests.process(0);
    private byte[] payload;

    @BeforeEach
    void tree() throws IOException, ErrnoException {
        Files.createDirectories(host.resolve("lib/x86_64-linux-gnu"));
        Files.createDirectories(host.resolve("lib64"));
        Files.createDirectories(host.resolve("usr/bin"));
        Files.createDirectories(host.resolve("etc"));
        payload = new byte[70_000];
        new Random(7).nextBytes(payload);
        Files.write(host.resolve("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"), payload);
        // As on Debian: an absolute symlink that must mean the guest's /lib, never the host's.
        Files.createSymbolicLink(host.resolve("lib64/ld-linux-x86-64.so.2"), Path.of("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"));
        Files.createSymbolicLink(host.resolve("usr/bin/ld"), Path.of("../../lib64/ld-linux-x86-64.so.2"));
        Files.createSymbolicLink(host.resolve("escape"), Path.of("/../../../../../../etc/hostname"));
        Files.createSymbolicLink(host.resolve("bin"), Path.of("usr/bin"));
        Files.writeString(host.resolve("etc/passwd"), "guest:x:0:0\n");
        vfs = new Vfs(new HostFs(host, Set.of("proc", "dev", "tmp")), host.toString());
    }

    /** The links point outside the temporary directory on the host; remove them before JUnit does (it warns). */
    @AfterEach
    void removeLinks() throws IOException {
        for (String l : List.of("lib64/ld-linux-x86-64.so.2", "usr/bin/ld", "escape", "bin")) Files.deleteIfExists(host.resolve(l));
    }

    @Test
    void absoluteHostSymlinksResolveInsideTheGuestRoot() throws ErrnoException {
        OpenFile f = vfs.open(root, AT_FDCWD, "/lib64/ld-linux-x86-64.so.2", OpenFile.O_RDONLY, 0);
        byte[] got = new byte[payload.length];
        assertEquals(payload.length, f.read(MemorySegment.ofArray(got)));
        assertArrayEquals(payload, got);
        assertEquals("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", f.path());
        assertEquals("/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", vfs.readlink(root, AT_FDCWD, "/lib64/ld-linux-x86-64.so.2"));
        assertEquals(vfs.stat(root, AT_FDCWD, "/bin/ld", 0).ino(),
                vfs.stat(root, AT_FDCWD, "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0).ino());
        // The host has /etc/hostname; the guest root does not.
        assertErrno(Errno.ENOENT, () -> vfs.resolve(root, AT_FDCWD, "/escape", 0));
        assertErrno(Errno.ENOENT, () -> vfs.resolve(root, AT_FDCWD, "/../../../etc/hostname", 0));
        f.close();
    }

    @Test
    void numbersAndAttributesAreTheHosts() throws Exception {
        for (String p : List.of("lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", "lib64", "usr/bin/ld", "etc/passwd")) {
            Stat s = vfs.stat(root, AT_FDCWD, "/" + p, AT_SYMLINK_NOFOLLOW);
            var a = Files.readAttributes(host.resolve(p), "unix:ino,dev,mode,nlink,size,uid,gid", LinkOption.NOFOLLOW_LINKS);
            assertEquals(((Number) a.get("ino")).longValue(), s.ino(), p);
            assertEquals(((Number) a.get("dev")).longValue(), s.dev(), p);
            assertEquals(((Number) a.get("mode")).intValue(), s.mode(), p);
            assertEquals(((Number) a.get("nlink")).longValue(), s.nlink(), p);
            assertEquals(((Number) a.get("size")).longValue(), s.size(), p);
            assertEquals(((Number) a.get("uid")).intValue(), s.uid(), p);
        }
        assertEquals(Files.getLastModifiedTime(host.resolve("etc/passwd")).to(java.util.concurrent.TimeUnit.NANOSECONDS),
                vfs.stat(root, AT_FDCWD, "/etc/passwd", 0).mtimeNs());
    }

    @Test
    void everyChangeIsReadOnly() throws ErrnoException {
        assertErrno(Errno.EROFS, () -> vfs.open(root, AT_FDCWD, "/etc/passwd", OpenFile.O_WRONLY, 0));
        assertErrno(Errno.EROFS, () -> vfs.open(root, AT_FDCWD, "/etc/new", OpenFile.O_WRONLY | OpenFile.O_CREAT, 0644));
        assertErrno(Errno.EROFS, () -> vfs.open(root, AT_FDCWD, "/etc/passwd", OpenFile.O_RDONLY | OpenFile.O_TRUNC, 0));
        assertErrno(Errno.EROFS, () -> vfs.mkdir(root, AT_FDCWD, "/newdir", 0755));
        assertErrno(Errno.EEXIST, () -> vfs.mkdir(root, AT_FDCWD, "/etc", 0755));          // EEXIST comes first
        assertErrno(Errno.EROFS, () -> vfs.unlink(root, AT_FDCWD, "/etc/passwd"));
        assertErrno(Errno.EROFS, () -> vfs.unlink(root, AT_FDCWD, "/etc/nothing"));          // EROFS before ENOENT
        assertErrno(Errno.EROFS, () -> vfs.rmdir(root, AT_FDCWD, "/etc"));
        assertErrno(Errno.EROFS, () -> vfs.rename(root, AT_FDCWD, "/etc/passwd", AT_FDCWD, "/etc/p2", 0));
        assertErrno(Errno.EROFS, () -> vfs.symlink(root, "x", AT_FDCWD, "/etc/l"));
        assertErrno(Errno.EROFS, () -> vfs.chmod(root, vfs.resolve(root, AT_FDCWD, "/etc/passwd", 0), 0600));
        assertErrno(Errno.EROFS, () -> vfs.access(root, AT_FDCWD, "/etc/passwd", Permission.MAY_WRITE, 0));
        assertErrno(Errno.EROFS, () -> vfs.truncate(root, vfs.resolve(root, AT_FDCWD, "/etc/passwd", 0), 0));
        assertEquals("guest:x:0:0\n", Guests.read(vfs, root, "/etc/passwd"));
        assertTrue(vfs.rootMount().readOnly());
    }

    @Test
    void listingsAreInHostOrderAndStable() throws Exception {
        for (int k = 0; k < 40; k++) Files.writeString(host.resolve("etc/f" + k), "");
        List<String> hostOrder = new ArrayList<>();
        try (Stream<Path> s = Files.list(host.resolve("etc"))) {
            s.forEach(p -> hostOrder.add(p.getFileName().toString()));
        }
        List<String> first = list("/etc"), second = list("/etc");
        assertEquals(".", first.get(0));
        assertEquals("..", first.get(1));
        assertEquals(hostOrder, first.subList(2, first.size()));
        assertEquals(first, second);
        // Mount points the host directory lacks are shown, so /proc, /dev and /tmp can be mounted.
        assertTrue(list("/").containsAll(List.of("proc", "dev", "tmp")));
        assertTrue(vfs.stat(root, AT_FDCWD, "/proc", 0).isDirectory());
    }

    private List<String> list(String path) throws ErrnoException {
        DirectoryFile d = (DirectoryFile) vfs.open(root, AT_FDCWD, path, OpenFile.O_RDONLY | OpenFile.O_DIRECTORY, 0);
        List<String> names = new ArrayList<>();
        DirectoryReader r = d.directory();
        for (DirectoryReader.Entry e = r.at(0); e != null; e = r.at(e.nextCookie())) names.add(e.name());
        d.close();
        return names;
    }

    @Test
    void positionalReadsMatchTheHostBytes() throws ErrnoException {
        OpenFile f = vfs.open(root, AT_FDCWD, "/usr/bin/ld", OpenFile.O_RDONLY, 0);
        byte[] part = new byte[5000];
        assertEquals(5000, f.pread(MemorySegment.ofArray(part), 60_000));
        assertArrayEquals(java.util.Arrays.copyOfRange(payload, 60_000, 65_000), part);
        assertEquals(payload.length - 69_000, f.pread(MemorySegment.ofArray(part), 69_000));
        assertEquals(0, f.pread(MemorySegment.ofArray(part), payload.length));
        MappableFile m = f.mappable();
        f.close();
        byte[] page = new byte[4096];
        assertEquals(4096, m.readAt(8192, MemorySegment.ofArray(page)));
        assertArrayEquals(java.util.Arrays.copyOfRange(payload, 8192, 8192 + 4096), page);
        assertEquals(payload.length, f.stat().size());
    }
}
