package dev.nexa.kernel.vfs;

import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.KernelConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A libc-free program (fsdemo.S: mkdir, openat, write, symlink, link, stat, pipe, readlink,
 * rename, unlink, rmdir, /proc/self/exe) run natively and under Nexa, each in a fresh directory
 * under the host's /tmp: stdout and the exit status must be identical, and the Nexa run must leave
 * the host directory untouched (its writes land in the /tmp overlay's memory).
 */
class VfsEndToEndTest {
    @TempDir
    Path work;

    @Test
    void fsdemoBehavesAsNatively() throws Exception {
        Path gcc = StatLayoutTest.findOnPath("gcc");
        assumeTrue(gcc != null, "gcc not found (Debian package gcc)");
        Path src = work.resolve("fsdemo.S");
        try (InputStream in = VfsEndToEndTest.class.getResourceAsStream("fsdemo.S")) {
            Files.write(src, in.readAllBytes());
        }
        Path exe = work.resolve("fsdemo");
        Process cc = new ProcessBuilder(gcc.toString(), "-nostdlib", "-static", "-o", exe.toString(), src.toString())
                .redirectErrorStream(true).start();
        String ccOut = new String(cc.getInputStream().readAllBytes());
        assumeTrue(cc.waitFor() == 0, "gcc -nostdlib -static failed: " + ccOut);

        Path nativeDir = Files.createDirectory(work.resolve("native"));
        Process p = new ProcessBuilder(exe.toString()).directory(nativeDir.toFile()).start();
        byte[] nativeOut = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(nativeOut));

        Path guestDir = Files.createDirectory(work.resolve("guest"));
        Capture out = new Capture(), err = new Capture();
        int status;
        var cfg = new KernelConfig(64L << 20, RootFs.host(Path.of("/"), guestDir.toString()), 1_000_000_000L,
                Set.of(), false, System.err, 1L);
        try (Kernel k = new Kernel(cfg)) {
            k.spawn(exe.toString(), List.of("fsdemo"), List.of(), guestDir.toString(), HostStreamFile.stdin(), out, err);
            status = k.run();
        }
        assertEquals(new String(nativeOut), new String(out.bytes()), "stdout; stderr: " + new String(err.bytes()));
        assertEquals(p.exitValue(), status);
        try (var listing = Files.list(guestDir)) {
            assertEquals(0, listing.count(), "the guest wrote into the host directory");
        }
    }

    /** A write-only stream keeping what the guest writes. */
    static final class Capture extends OpenFile {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();

        Capture() { super(O_WRONLY); }

        byte[] bytes() { return buf.toByteArray(); }

        @Override public String path() { return "pipe:[capture]"; }

        @Override public Stat stat() { return new Stat(0, 1, Stat.S_IFIFO | 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0); }

        @Override
        public long write(MemorySegment src) {
            buf.writeBytes(src.toArray(ValueLayout.JAVA_BYTE));
            return src.byteSize();
        }
    }
}
