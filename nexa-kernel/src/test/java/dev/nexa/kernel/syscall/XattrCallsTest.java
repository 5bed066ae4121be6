package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Sysno;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.RootFs;
import dev.nexa.kernel.vfs.Vfs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The xattr calls on the in-memory /tmp layer and the read-only host root (fs/xattr.c, mm/shmem.c). */
class XattrCallsTest {
    private GuestKernel g;
    private Task root, user;

    @BeforeEach
    void setUp() throws Exception {
        g = new GuestKernel(RootFs.host(Path.of("/"), "/"));
        root = g.task(0);
        user = g.task(1000);
        long fd = g.call(root, Sysno.OPENAT, Vfs.AT_FDCWD, g.str(root, "/tmp/nexa-xattr-test"),
                OpenFile.O_CREAT | OpenFile.O_WRONLY | OpenFile.O_TRUNC, 0644);
        assertEquals(0, g.call(root, Sysno.CLOSE, fd));
    }

    @AfterEach
    void tearDown() { g.close(); }

    private long set(Task t, String path, String name, String value, int flags) throws ErrnoException {
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        return g.call(t, Sysno.SETXATTR, g.str(t, path), g.str(t, name), g.bytes(t, v), v.length, flags);
    }

    private long get(Task t, String path, String name, long buf, long size) throws ErrnoException {
        return g.call(t, Sysno.GETXATTR, g.str(t, path), g.str(t, name), buf, size);
    }

    @Test
    void tmpfsKeepsSecurityAndTrustedAttributes() throws ErrnoException {
        String f = "/tmp/nexa-xattr-test";
        assertEquals(0, set(root, f, "security.test", "v1", 0));
        assertEquals(Errno.EEXIST.ret(), set(root, f, "security.test", "v2", XATTR_CREATE));
        assertEquals(0, set(root, f, "security.test", "value2", XATTR_REPLACE));
        assertEquals(Errno.ENODATA.ret(), set(root, f, "security.other", "x", XATTR_REPLACE));
        long buf = g.alloc(root, 64);
        assertEquals(6, get(root, f, "security.test", 0, 0));                  // size 0 asks for the length
        assertEquals(Errno.ERANGE.ret(), get(root, f, "security.test", buf, 3));
        assertEquals(6, get(root, f, "security.test", buf, 64));
        assertArrayEquals("value2".getBytes(), g.read(root, buf, 6));
        assertEquals(0, set(root, f, "trusted.t", "", 0));
        long list = g.alloc(root, 64);
        long n = g.call(root, Sysno.LISTXATTR, g.str(root, f), list, 64);
        assertEquals("security.test\0trusted.t\0", new String(g.read(root, list, (int) n), StandardCharsets.UTF_8));
        // trusted.* is hidden from, and refused to, an unprivileged caller.
        long ulist = g.alloc(user, 64);
        long un = g.call(user, Sysno.LISTXATTR, g.str(user, f), ulist, 64);
        assertEquals("security.test\0", new String(g.read(user, ulist, (int) un), StandardCharsets.UTF_8));
        assertEquals(Errno.ENODATA.ret(), get(user, f, "trusted.t", g.alloc(user, 8), 8));
        assertEquals(Errno.EPERM.ret(), set(user, f, "security.test", "x", 0));
        assertEquals(0, g.call(root, Sysno.REMOVEXATTR, g.str(root, f), g.str(root, "security.test")));
        assertEquals(Errno.ENODATA.ret(), g.call(root, Sysno.REMOVEXATTR, g.str(root, f), g.str(root, "security.test")));
    }

    @Test
    void namespacesAndNamesAreCheckedAsLinuxDoes() throws ErrnoException {
        String f = "/tmp/nexa-xattr-test";
        assertEquals(Errno.EOPNOTSUPP.ret(), set(root, f, "user.x", "1", 0));     // tmpfs before 6.6
        assertEquals(Errno.ERANGE.ret(), set(root, f, "", "1", 0));
        assertEquals(Errno.ERANGE.ret(), set(root, f, "security." + "n".repeat(300), "1", 0));
        assertEquals(Errno.EINVAL.ret(), set(root, f, "security.a", "1", 4));
        assertEquals(Errno.EROFS.ret(), set(root, "/etc/hostname", "security.a", "1", 0));
        assertEquals(Errno.EOPNOTSUPP.ret(), get(root, "/proc/self/status", "security.selinux", g.alloc(root, 8), 8));
    }

    private static final int XATTR_CREATE = dev.nexa.kernel.vfs.Inode.XATTR_CREATE;
    private static final int XATTR_REPLACE = dev.nexa.kernel.vfs.Inode.XATTR_REPLACE;
}
