package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.hostfs.HostFs;
import dev.nexa.kernel.vfs.overlay.OverlayFs;
import dev.nexa.kernel.vfs.tmpfs.TmpFs;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static dev.nexa.kernel.vfs.Guests.assertErrno;
import static dev.nexa.kernel.vfs.Vfs.AT_FDCWD;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tmpfs over a read-only host directory: reads from below, copy-up on change, whiteouts, merged listings. */
class OverlayFsTest {
    @TempDir
    Path host;
    private Vfs vfs;
    private final Process root = Guests.process(0);

    @BeforeEach
    void setUp() throws IOException, ErrnoException {
        Files.createDirectories(host.resolve("sub/deeper"));
        Files.writeString(host.resolve("file"), "from the host");
        Files.writeString(host.resolve("sub/inner"), "inner");
        Files.writeString(host.resolve("sub/deeper/x"), "x");
        Files.createSymbolicLink(host.resolve("link"), Path.of("file"));
        HostFs lowerFs = new HostFs(host, Set.of());
        Vfs lowerView = new Vfs(lowerFs, host.toString());
        vfs = new Vfs(new OverlayFs(TmpFs.create(0), lowerView.root().dentry(), host.toString()), "overlay");
    }

    private List<String> list(String path) throws ErrnoException {
        DirectoryFile d = (DirectoryFile) vfs.open(root, AT_FDCWD, path, OpenFile.O_RDONLY | OpenFile.O_DIRECTORY, 0);
        List<String> names = new ArrayList<>();
        DirectoryReader r = d.directory();
        for (DirectoryReader.Entry e = r.at(2); e != null; e = r.at(e.nextCookie())) names.add(e.name());
        d.close();
        names.sort(null);
        return names;
    }

    @Test
    void writesCopyUpAndNeverReachTheHost() throws Exception {
        assertEquals("from the host", Guests.read(vfs, root, "/file"));
        assertEquals("from the host", Guests.read(vfs, root, "/link"));
        OpenFile f = vfs.open(root, AT_FDCWD, "/file", OpenFile.O_RDWR, 0);
        f.seek(0, OpenFile.SEEK_END);
        f.write(MemorySegment.ofArray("!".getBytes(StandardCharsets.UTF_8)));
        f.close();
        assertEquals("from the host!", Guests.read(vfs, root, "/file"));
        assertEquals("from the host", Files.readString(host.resolve("file")));
        Guests.write(vfs, root, "/sub/deeper/new", "made in the guest");
        assertEquals("made in the guest", Guests.read(vfs, root, "/sub/deeper/new"));
        assertFalse(Files.exists(host.resolve("sub/deeper/new")));
        assertEquals(List.of("deeper", "inner"), list("/sub"));
        assertEquals(List.of("new", "x"), list("/sub/deeper"));
        vfs.chmod(root, vfs.resolve(root, AT_FDCWD, "/sub/inner", 0), 0600);
        assertEquals(0600, vfs.stat(root, AT_FDCWD, "/sub/inner", 0).mode() & 07777);
        assertEquals("inner", Guests.read(vfs, root, "/sub/inner"));
        assertTrue(Files.isReadable(host.resolve("sub/inner")));
    }

    @Test
    void removalsLeaveWhiteouts() throws Exception {
        vfs.unlink(root, AT_FDCWD, "/file");
        assertErrno(Errno.ENOENT, () -> vfs.stat(root, AT_FDCWD, "/file", 0));
        assertTrue(Files.exists(host.resolve("file")));
        assertFalse(list("/").contains("file"));
        assertErrno(Errno.ENOTEMPTY, () -> vfs.rmdir(root, AT_FDCWD, "/sub/deeper"));
        vfs.unlink(root, AT_FDCWD, "/sub/deeper/x");
        vfs.rmdir(root, AT_FDCWD, "/sub/deeper");
        assertEquals(List.of("inner"), list("/sub"));
        // A directory made where a lower one was removed starts empty.
        vfs.mkdir(root, AT_FDCWD, "/sub/deeper", 0755);
        assertEquals(List.of(), list("/sub/deeper"));
        Guests.write(vfs, root, "/file", "new file");
        assertEquals("new file", Guests.read(vfs, root, "/file"));
    }

    @Test
    void renames() throws Exception {
        vfs.rename(root, AT_FDCWD, "/file", AT_FDCWD, "/renamed", 0);
        assertEquals("from the host", Guests.read(vfs, root, "/renamed"));
        assertErrno(Errno.ENOENT, () -> vfs.stat(root, AT_FDCWD, "/file", 0));
        assertTrue(Files.exists(host.resolve("file")));
        assertErrno(Errno.EXDEV, () -> vfs.rename(root, AT_FDCWD, "/sub", AT_FDCWD, "/sub2", 0));
        vfs.mkdir(root, AT_FDCWD, "/mine", 0755);
        Guests.write(vfs, root, "/mine/a", "a");
        vfs.rename(root, AT_FDCWD, "/mine", AT_FDCWD, "/sub/moved", 0);
        assertEquals("a", Guests.read(vfs, root, "/sub/moved/a"));
        vfs.rename(root, AT_FDCWD, "/sub/inner", AT_FDCWD, "/renamed", 0);      // replaces an upper file
        assertEquals("inner", Guests.read(vfs, root, "/renamed"));
        assertEquals(List.of("deeper", "moved"), list("/sub"));
    }
}
