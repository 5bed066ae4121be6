package dev.nexa.cli;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.Stat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program natively or under Nexa and captures what it did. */
record GuestRun(byte[] stdout, byte[] stderr, int status, String console) {
    /** The fixed environment both runs get, so outputs are comparable. */
    static final List<String> ENV = List.of("PATH=/usr/bin:/bin", "LANG=C", "LC_ALL=C", "HOME=/root",
            "NEXA_FIXTURE=1", "NEXA_MODE=differential");

    String out() { return new String(stdout); }

    String err() { return new String(stderr); }

    static GuestRun natively(Path binary, List<String> args, byte[] stdin, Path cwd) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(binary.toString());
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile());
        pb.environment().clear();
        for (String kv : ENV) pb.environment().put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
        File in = File.createTempFile("nexa-stdin", ".bin");
        try {
            java.nio.file.Files.write(in.toPath(), stdin);
            pb.redirectInput(in);
            Process p = pb.start();
            var out = p.getInputStream().readAllBytes();
            var err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(binary + " did not finish natively");
            }
            return new GuestRun(out, err, p.exitValue(), "");
        } finally {
            in.delete();
        }
    }

    static GuestRun underNexa(Path binary, List<String> args, byte[] stdin, Path cwd, long maxInstructions) {
        List<String> argv = new ArrayList<>();
        argv.add(binary.toString());
        argv.addAll(args);
        CaptureFile out = new CaptureFile("stdout"), err = new CaptureFile("stderr");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        var opts = new GuestLauncher.Options(256L << 20, Path.of("/"), maxInstructions, java.util.Set.of(), false, 1L);
        int status = GuestLauncher.run(opts, binary.toString(), argv, ENV, cwd.toString(),
                new GuestLauncher.Stdio(new BytesFile(stdin), out, err), new PrintStream(console, true));
        return new GuestRun(out.bytes(), err.bytes(), status, console.toString());
    }

    /** A write-only file that keeps what the guest writes. */
    static final class CaptureFile extends OpenFile {
        private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
        private final String name;

        CaptureFile(String name) {
            super(O_WRONLY);
            this.name = name;
        }

        byte[] bytes() { return buf.toByteArray(); }

        @Override public String path() { return "pipe:[" + name + "]"; }

        @Override public Stat stat() { return new Stat(0, 1, Stat.S_IFIFO | 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0); }

        @Override
        public long write(MemorySegment src) {
            buf.writeBytes(src.toArray(ValueLayout.JAVA_BYTE));
            return src.byteSize();
        }
    }

    /** A read-only stream over fixed bytes (EOF at the end). */
    static final class BytesFile extends OpenFile {
        private final byte[] data;
        private int pos;

        BytesFile(byte[] data) {
            super(O_RDONLY);
            this.data = data;
        }

        @Override public String path() { return "pipe:[stdin]"; }

        @Override public Stat stat() { return new Stat(0, 2, Stat.S_IFIFO | 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0); }

        @Override
        public long read(MemorySegment dst) throws ErrnoException {
            int n = (int) Math.min(dst.byteSize(), data.length - pos);
            MemorySegment.copy(data, pos, dst, ValueLayout.JAVA_BYTE, 0, n);
            pos += n;
            return n;
        }
    }
}
