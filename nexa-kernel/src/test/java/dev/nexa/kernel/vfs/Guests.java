package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.tmpfs.TmpFs;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/** Helpers for VFS tests: processes with given ids, a tmpfs root, errno assertions, file I/O. */
final class Guests {
    private Guests() {}

    private static int nextPid = 100;

    /** A process (without address space) running as {@code uid}:{@code uid}, umask 022. */
    public static Process process(int uid) {
        Process p = new Process(nextPid++, null, null, new FdTable());
        p.uid = p.euid = uid;
        p.gid = p.egid = uid;
        return p;
    }

    public static Vfs tmpRoot() {
        Vfs vfs = new Vfs(new TmpFs("rootfs", 0755, 64L << 20, 0), "rootfs");
        return vfs;
    }

    @FunctionalInterface
    public interface Call {
        void run() throws ErrnoException;
    }

    /** Asserts that {@code call} fails with {@code expected}. */
    public static void assertErrno(Errno expected, Call call) {
        try {
            call.run();
        } catch (ErrnoException e) {
            assertEquals(expected, e.errno(), () -> "errno (" + e.getMessage() + ")");
            return;
        }
        fail("expected " + expected + " but the call succeeded");
    }

    public static void write(Vfs vfs, Process p, String path, String text) throws ErrnoException {
        OpenFile f = vfs.open(p, Vfs.AT_FDCWD, path, OpenFile.O_WRONLY | OpenFile.O_CREAT | OpenFile.O_TRUNC, 0644);
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        assertEquals(b.length, f.write(MemorySegment.ofArray(b)));
        f.close();
    }

    public static String read(OpenFile f) throws ErrnoException {
        StringBuilder sb = new StringBuilder();
        byte[] buf = new byte[4096];
        while (true) {
            long n = f.read(MemorySegment.ofArray(buf));
            if (n <= 0) break;
            sb.append(new String(buf, 0, (int) n, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    public static String read(Vfs vfs, Process p, String path) throws ErrnoException {
        OpenFile f = vfs.open(p, Vfs.AT_FDCWD, path, OpenFile.O_RDONLY, 0);
        try {
            return read(f);
        } finally {
            f.close();
        }
    }
}
