package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.initramfs.CpioReader;
import dev.nexa.kernel.initramfs.CpioWriter;
import dev.nexa.kernel.initramfs.CpioWriter.Attributes;
import dev.nexa.kernel.initramfs.Rootfs;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.syscall.GuestKernel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.nexa.kernel.vfs.Guests.assertErrno;
import static dev.nexa.kernel.vfs.Vfs.AT_FDCWD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A root built from a cpio archive: attributes, links, image-backed files, the standard mounts, exec. */
class InitramfsRootTest {
    private GuestKernel g;
    private Vfs vfs;
    private final Process root = Guests.process(0);
    private byte[] program;

    @BeforeEach
    void boot() throws Exception {
        Path exe = Path.of(System.getProperty("nexa.fixtures", "../fixtures")).resolve("bin/asm/write");
        assumeTrue(Files.isRegularFile(exe), "fixtures not built");
        program = Files.readAllBytes(exe);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (CpioWriter w = CpioWriter.newc(bytes)) {
            w.directory("bin", Attributes.of(0755).withMtime(1_600_000_000L));
            w.file("bin/write", program, Attributes.of(0755));
            w.directory("etc", Attributes.of(0755));
            w.file("etc/motd", "welcome\n".getBytes(StandardCharsets.UTF_8), Attributes.of(0640).withOwner(1000, 100)
                    .withMtime(1_500_000_000L).withNlink(2), "etc/motd.link");
            w.symlink("init", "/bin/write", Attributes.of(0777));
            w.characterDevice("console", 5, 1, Attributes.of(0600));
            w.fifo("pipe", Attributes.of(0644));
            w.finish();
        }
        Rootfs rootfs = new CpioReader().read("test.cpio", bytes.toByteArray()).unpack();
        g = new GuestKernel(RootFs.initramfs(rootfs));
        vfs = g.kernel.vfs();
    }

    @AfterEach
    void tearDown() {
        if (g != null) g.close();
    }

    @Test
    void filesCarryTheArchivesAttributes() throws ErrnoException {
        Stat motd = vfs.stat(root, AT_FDCWD, "/etc/motd", 0);
        assertEquals(Stat.S_IFREG | 0640, motd.mode());
        assertEquals(1000, motd.uid());
        assertEquals(100, motd.gid());
        assertEquals(2, motd.nlink());
        assertEquals(1_500_000_000L * 1_000_000_000L, motd.mtimeNs());
        assertEquals(motd.ino(), vfs.stat(root, AT_FDCWD, "/etc/motd.link", 0).ino());
        assertEquals(1_600_000_000L * 1_000_000_000L, vfs.stat(root, AT_FDCWD, "/bin", 0).mtimeNs());
        assertEquals("/bin/write", vfs.readlink(root, AT_FDCWD, "/init"));
        assertEquals(Stat.makedev(5, 1), vfs.stat(root, AT_FDCWD, "/console", 0).rdev());
        assertTrue((vfs.stat(root, AT_FDCWD, "/pipe", 0).mode() & Stat.S_IFMT) == Stat.S_IFIFO);
        assertEquals("welcome\n", Guests.read(vfs, root, "/etc/motd.link"));
    }

    @Test
    void imageBackedFilesBecomePrivateWhenWritten() throws ErrnoException {
        OpenFile f = vfs.open(root, AT_FDCWD, "/etc/motd", OpenFile.O_WRONLY | OpenFile.O_APPEND, 0);
        f.write(MemorySegment.ofArray("more\n".getBytes(StandardCharsets.UTF_8)));
        f.close();
        assertEquals("welcome\nmore\n", Guests.read(vfs, root, "/etc/motd.link"));     // one inode, both names
        Guests.write(vfs, root, "/new", "written");
        assertEquals("written", Guests.read(vfs, root, "/new"));
    }

    @Test
    void standardMountsAndExec() throws Exception {
        assertTrue(vfs.stat(root, AT_FDCWD, "/proc/self", Vfs.AT_SYMLINK_NOFOLLOW).isSymlink());
        assertEquals(Stat.makedev(1, 3), vfs.stat(root, AT_FDCWD, "/dev/null", 0).rdev());
        assertTrue(vfs.stat(root, AT_FDCWD, "/tmp", 0).isDirectory());
        List<String> mounts = vfs.mounts().stream().map(m -> vfs.pathName(m.rootRef(), null) + " " + m.fs().type()).toList();
        assertEquals(List.of("/ rootfs", "/proc proc", "/dev devtmpfs", "/dev/shm tmpfs", "/tmp tmpfs"), mounts);
        Process p = g.kernel.spawn("/init", List.of("init"), List.of());
        assertEquals("/bin/write", vfs.readlink(p, AT_FDCWD, "/proc/self/exe"));
        assertErrno(Errno.EACCES, () -> g.kernel.spawn("/etc/motd", List.of("motd"), List.of()));
        assertErrno(Errno.ENOENT, () -> g.kernel.spawn("/bin/none", List.of("none"), List.of()));
    }

}
