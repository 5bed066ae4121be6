package dev.nexa.kernel.tty;

import org.junit.jupiter.api.Test;

import java.io.FileInputStream;
import java.io.RandomAccessFile;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.channels.Pipe;
import java.nio.channels.SocketChannel;
import java.net.StandardProtocolFamily;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link HostTerminal#isTerminal} answers what the host's isatty(3) answers, asking it less often. */
class HostTerminalTest {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle ISATTY = LINKER.downcallHandle(LINKER.defaultLookup().find("isatty").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private static boolean hostIsatty(int fd) throws Throwable { return (int) ISATTY.invokeExact(fd) == 1; }

    @Test
    void agreesWithIsattyOnEveryOpenDescriptor() throws Throwable {
        Path file = Files.createTempFile("nexa-tty", ".txt");
        try (HostPty pty = new HostPty();
             var devNull = new FileInputStream("/dev/null");
             var zero = new FileInputStream("/dev/zero");
             var plain = new RandomAccessFile(file.toFile(), "r");
             var unix = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            Pipe pipe = Pipe.open();
            try {
                assertTrue(HostTerminal.isTerminal(pty.slave), "pty slave " + pty.slavePath);
                assertTrue(HostTerminal.isTerminal(pty.master), "pty master");
                List<Integer> fds = new ArrayList<>();
                try (var s = Files.list(Path.of("/proc/self/fd"))) {
                    s.forEach(p -> fds.add(Integer.parseInt(p.getFileName().toString())));
                }
                int notTerminals = 0;
                for (int fd : fds) {
                    boolean expected = hostIsatty(fd);
                    assertEquals(expected, HostTerminal.isTerminal(fd), "fd " + fd + " -> " + target(fd));
                    if (!expected) notTerminals++;
                    if (expected) assertTrue(HostTerminal.mayBeTerminal(fd), "fd " + fd);
                }
                assertTrue(notTerminals >= 5, "the files, pipe and socket opened here: " + notTerminals);
            } finally {
                pipe.source().close();
                pipe.sink().close();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    void memoryDevicesPipesAndFilesAreAnsweredWithoutIsatty() throws Exception {
        Path file = Files.createTempFile("nexa-tty", ".txt");
        try (var devNull = new FileInputStream("/dev/null"); var plain = new FileInputStream(file.toFile())) {
            Pipe pipe = Pipe.open();
            try (var s = Files.list(Path.of("/proc/self/fd"))) {
                for (Path p : s.toList()) {
                    String t;
                    try {
                        t = Files.readSymbolicLink(p).toString();
                    } catch (java.io.IOException e) {
                        continue;                           // the listing's own descriptor, closed by now
                    }
                    int fd = Integer.parseInt(p.getFileName().toString());
                    if (t.equals("/dev/null") || t.equals(file.toString()) || t.startsWith("pipe:")) {
                        assertFalse(HostTerminal.mayBeTerminal(fd), "fd " + fd + " -> " + t);
                    }
                }
            } finally {
                pipe.source().close();
                pipe.sink().close();
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static String target(int fd) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
        } catch (Exception e) {
            return "?";
        }
    }
}
