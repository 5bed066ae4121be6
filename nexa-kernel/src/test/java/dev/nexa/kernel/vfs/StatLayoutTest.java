package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.vfs.hostfs.HostFs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * struct stat and struct statx as Nexa encodes them for host files, compared byte for byte (atime
 * aside: other processes may read these files meanwhile) with what the host's lstat(2) and
 * statx(2) return, as a gcc-compiled helper dumps them.
 */
class StatLayoutTest {
    @TempDir
    static Path work;
    static Path helper;

    private static final String SOURCE = """
            #define _GNU_SOURCE
            #include <fcntl.h>
            #include <stdio.h>
            #include <sys/stat.h>
            int main(int argc, char **argv) {
                for (int i = 1; i < argc; i++) {
                    struct stat st;
                    struct statx sx;
                    if (lstat(argv[i], &st) != 0 || statx(AT_FDCWD, argv[i], AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &sx) != 0) {
                        perror(argv[i]);
                        return 1;
                    }
                    fwrite(&st, sizeof st, 1, stdout);
                    fwrite(&sx, sizeof sx, 1, stdout);
                }
                return 0;
            }
            """;

    @BeforeAll
    static void compile() throws Exception {
        Path gcc = findOnPath("gcc");
        assumeTrue(gcc != null, "gcc not found (Debian package gcc): skipping the host stat(2) comparison");
        Path src = work.resolve("statdump.c");
        Files.writeString(src, SOURCE);
        helper = work.resolve("statdump");
        var proc = new ProcessBuilder(gcc.toString(), "-O1", "-o", helper.toString(), src.toString())
                .redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes());
        assumeTrue(proc.waitFor() == 0, "gcc failed: " + out);
    }

    static Path findOnPath(String exe) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path p = Path.of(dir, exe);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }

    private static byte[] hostDump(List<String> paths) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(helper.toString());
        cmd.addAll(paths);
        var proc = new ProcessBuilder(cmd).start();
        byte[] out = proc.getInputStream().readAllBytes();
        assertEquals(0, proc.waitFor(), new String(proc.getErrorStream().readAllBytes()));
        return out;
    }

    @Test
    void statAndStatxMatchTheHost() throws Exception {
        Files.writeString(work.resolve("file"), "hello");
        Files.createDirectories(work.resolve("dir"));
        Files.createSymbolicLink(work.resolve("link"), Path.of("file"));
        List<String> names = new ArrayList<>(List.of("file", "dir", "link"));
        Path devNull = Path.of("/dev/null");                       // a character device: st_rdev
        Vfs vfs = new Vfs(new HostFs(Path.of("/"), Set.of()), "/");
        Process root = Guests.process(0);
        List<String> hostPaths = new ArrayList<>();
        for (String n : names) hostPaths.add(work.resolve(n).toString());
        if (Files.exists(devNull)) hostPaths.add(devNull.toString());
        hostPaths.add("/");
        byte[] host = hostDump(hostPaths);
        ByteBuffer b = ByteBuffer.wrap(host).order(ByteOrder.LITTLE_ENDIAN);
        for (String p : hostPaths) {
            PathRef ref = vfs.resolve(root, Vfs.AT_FDCWD, p, Vfs.AT_SYMLINK_NOFOLLOW);
            byte[] ours = StatLayout.stat(ref.inode().stat());
            byte[] theirs = new byte[StatLayout.STAT_SIZE];
            b.get(theirs);
            maskAtime(ours, 72);
            maskAtime(theirs, 72);
            assertArrayEquals(theirs, ours, "struct stat of " + p);
            byte[] sx = new byte[StatLayout.STATX_SIZE];
            b.get(sx);
            compareStatx(p, ByteBuffer.wrap(sx).order(ByteOrder.LITTLE_ENDIAN),
                    ByteBuffer.wrap(StatLayout.statx(ref.inode().stat(), ref.mount().id(), ref.isMountRoot()))
                            .order(ByteOrder.LITTLE_ENDIAN));
        }
    }

    private static void maskAtime(byte[] stat, int at) { java.util.Arrays.fill(stat, at, at + 16, (byte) 0); }

    /** Field by field; btime, the mount id and attributes are the host kernel's business. */
    private static void compareStatx(String p, ByteBuffer host, ByteBuffer ours) {
        assertEquals(host.getInt(0) & 0x7ff, ours.getInt(0) & 0x7ff, p + " stx_mask basic");
        int[] u32 = {4, 16, 20, 24, 128, 132, 136, 140};
        String[] n32 = {"blksize", "nlink", "uid", "gid", "rdev_major", "rdev_minor", "dev_major", "dev_minor"};
        for (int k = 0; k < u32.length; k++) assertEquals(host.getInt(u32[k]), ours.getInt(u32[k]), p + " stx_" + n32[k]);
        assertEquals(host.getShort(28), ours.getShort(28), p + " stx_mode");
        int[] u64 = {32, 40, 48, 96, 104, 112, 120};
        String[] n64 = {"ino", "size", "blocks", "ctime.sec", "ctime.nsec", "mtime.sec", "mtime.nsec"};
        for (int k = 0; k < u64.length; k++) {
            if (n64[k].endsWith("nsec")) assertEquals(host.getInt(u64[k]), ours.getInt(u64[k]), p + " stx_" + n64[k]);
            else assertEquals(host.getLong(u64[k]), ours.getLong(u64[k]), p + " stx_" + n64[k]);
        }
    }

    @Test
    void statfsLayout() throws ErrnoException {
        byte[] b = StatLayout.statfs(new StatFs(StatFs.TMPFS_MAGIC, 4096, 100, 60, 50, 1000, 900, 0x1234_0000_5678L, 255),
                StatFs.ST_VALID | StatFs.ST_NOSUID);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(120, b.length);
        assertEquals(StatFs.TMPFS_MAGIC, bb.getLong(0));
        assertEquals(60, bb.getLong(24));
        assertEquals(0x5678, bb.getInt(56));
        assertEquals(0x1234, bb.getInt(60));
        assertEquals(255, bb.getLong(64));
        assertEquals(4096, bb.getLong(72));
        assertEquals(StatFs.ST_VALID | StatFs.ST_NOSUID, bb.getLong(80));
    }
}
