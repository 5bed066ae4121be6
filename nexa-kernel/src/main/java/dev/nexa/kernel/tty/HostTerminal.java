package dev.nexa.kernel.tty;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * The terminal Nexa itself runs in, as the {@link TtyDriver} of the guest's console. While the
 * guest runs, the host terminal is in raw mode (cfmakeraw: no echo, no line editing, no signals,
 * no output processing), so every key reaches the guest's line discipline, which does what
 * Linux's n_tty would; the original settings come back on {@link #restore()}, which
 * {@link #close()}, a JVM shutdown hook (SIGTERM, SIGINT sent to Nexa) and every exit path of
 * the launcher call. Input is read by a daemon thread blocking in read(2) on the host's standard
 * input; window-size changes arrive as the host's SIGWINCH.
 * <p>
 * Host calls go through the FFM linker to libc: isatty(3) and ioctl(2) with the kernel's own
 * TCGETS/TCSETS/TIOCGWINSZ, so the settings are exchanged in the same struct termios the guest
 * sees.
 */
public final class HostTerminal implements TtyDriver {
    private static final int TCGETS = 0x5401, TCSETS = 0x5402, TIOCGWINSZ = 0x5413;

    /** isatty(3), made on first use: only a descriptor that may be a terminal needs it ({@link #mayBeTerminal}). */
    private static final class Isatty {
        static final MethodHandle ISATTY;

        static {
            Linker linker = Linker.nativeLinker();
            ISATTY = linker.downcallHandle(linker.defaultLookup().find("isatty").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        }
    }

    /** ioctl(2), made on first use: a downcall stub costs start-up time, and without a terminal none is needed. */
    private static final class Ioctl {
        static final MethodHandle IOCTL;

        static {
            Linker linker = Linker.nativeLinker();
            IOCTL = linker.downcallHandle(linker.defaultLookup().find("ioctl").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                    Linker.Option.firstVariadicArg(2));
        }
    }

    private final int inFd, outFd;
    private final Termios saved;
    private final FileChannel out;
    private volatile boolean raw;
    private boolean closed;
    private Thread shutdownHook;

    private HostTerminal(int inFd, int outFd, Termios saved) {
        this.inFd = inFd;
        this.outFd = outFd;
        this.saved = saved;
        FileDescriptor fd = outFd == 1 ? FileDescriptor.out : outFd == 2 ? FileDescriptor.err : FileDescriptor.in;
        this.out = new FileOutputStream(fd).getChannel();
    }

    /** isatty(3) on a host descriptor. */
    public static boolean isTerminal(int fd) {
        if (!mayBeTerminal(fd)) return false;
        try {
            return (int) Isatty.ISATTY.invokeExact(fd) == 1;
        } catch (Throwable e) {
            return false;
        }
    }

    /**
     * False when {@code fd} certainly is not a terminal, without a downcall (whose stub costs a
     * hello world tens of milliseconds, docs/performance.md "Start-up"): isatty(3) is a TCGETS
     * ioctl, which only a tty driver answers, and tty drivers sit behind character devices. So a
     * pipe, socket or file is not one, nor a memory device (major 1: /dev/null, /dev/zero,
     * /dev/urandom; Documentation/admin-guide/devices.txt), which is where scripts and benchmarks
     * point standard input. Anything else, or when /proc cannot tell, isatty decides.
     */
    static boolean mayBeTerminal(int fd) {
        try {
            // /proc/self/fd/N follows to the open file itself, whatever its name (proc(5)).
            Map<String, Object> a = Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:mode,rdev");
            int mode = (Integer) a.get("mode");
            if ((mode & S_IFMT) != S_IFCHR) return false;
            long rdev = (Long) a.get("rdev");
            long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);   // glibc's gnu_dev_major
            return major != MEM_MAJOR;
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static final int S_IFMT = 0170000, S_IFCHR = 0020000, MEM_MAJOR = 1;

    /**
     * The host terminal on standard input, when there is one: its output goes to standard
     * output if that is a terminal, else standard error, else standard input itself (a
     * terminal is opened read-write). Null when standard input is not a terminal.
     */
    public static HostTerminal onStandardInput() {
        if (!isTerminal(0)) return null;
        Termios t = getAttr(0);
        if (t == null) return null;
        int outFd = isTerminal(1) ? 1 : isTerminal(2) ? 2 : 0;
        return new HostTerminal(0, outFd, t);
    }

    /** The host terminal's settings before Nexa touched them: the guest console starts with these. */
    public Termios originalSettings() { return saved.copy(); }

    /** Whether the host descriptor {@code fd} is this terminal's output (then the guest's output goes through the console). */
    public boolean isOutput(int fd) { return fd == outFd || isTerminal(fd); }

    static Termios getAttr(int fd) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Termios.SIZE);
            if ((int) Ioctl.IOCTL.invokeExact(fd, (long) TCGETS, buf) != 0) return null;
            return Termios.parse(buf.toArray(ValueLayout.JAVA_BYTE));
        } catch (Throwable e) {
            return null;
        }
    }

    static boolean setAttr(int fd, Termios t) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(Termios.SIZE);
            buf.copyFrom(MemorySegment.ofArray(t.toBytes(false)));
            return (int) Ioctl.IOCTL.invokeExact(fd, (long) TCSETS, buf) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    /** Puts the host terminal in raw mode (until {@link #restore()}). */
    public synchronized void enterRaw() {
        if (raw) return;
        Termios r = saved.copy();
        r.makeRaw();
        if (shutdownHook == null) {
            shutdownHook = new Thread(this::restore, "nexa-terminal-restore");
            Runtime.getRuntime().addShutdownHook(shutdownHook);
        }
        raw = setAttr(inFd, r);
    }

    /** Gives the host terminal its original settings back; safe to call many times, from any thread. */
    public synchronized void restore() {
        if (!raw) return;
        raw = false;
        setAttr(inFd, saved);
    }

    public boolean isRaw() { return raw; }

    @Override
    public void write(byte[] b, int off, int len) {
        try {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) out.write(buf);
        } catch (IOException e) {
            // The terminal is gone: what the guest writes has nowhere to go, as on a hung-up line.
        }
    }

    @Override
    public WinSize size() {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocate(WinSize.SIZE);
            if ((int) Ioctl.IOCTL.invokeExact(outFd, (long) TIOCGWINSZ, buf) != 0
                    && (int) Ioctl.IOCTL.invokeExact(inFd, (long) TIOCGWINSZ, buf) != 0) return null;
            return WinSize.parse(buf.toArray(ValueLayout.JAVA_BYTE));
        } catch (Throwable e) {
            return null;
        }
    }

    /** Reads the host's standard input on a daemon thread; watches SIGWINCH. */
    @Override
    public void start(Tty tty) {
        enterRaw();
        WindowChanges.watch(tty);
        Thread.ofPlatform().daemon().name("nexa-terminal-input").start(() -> readLoop(tty));
    }

    private void readLoop(Tty tty) {
        FileInputStream in = new FileInputStream(FileDescriptor.in);
        byte[] buf = new byte[4096];
        try {
            while (true) {
                int n = in.read(buf);
                if (n < 0) break;
                if (n > 0) tty.input(Arrays.copyOf(buf, n));
            }
        } catch (IOException | InterruptedException e) {
            // fall through: the terminal is gone (or the machine stopped)
        }
        tty.hangup();
    }

    /** The machine stopped: the terminal gets its settings back; the reader thread is left to die with the JVM. */
    @Override
    public synchronized void close() {
        restore();
        if (closed) return;
        closed = true;
        WindowChanges.watch(null);
        if (shutdownHook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook restores too, harmlessly
            }
        }
    }

    /**
     * Nexa's own messages while the terminal is raw: a line feed alone would not return the
     * cursor (OPOST is off), so it becomes CR LF until the settings are restored.
     */
    public PrintStream messages(PrintStream base) {
        OutputStream crlf = new FilterOutputStream(base) {
            @Override
            public void write(int b) throws IOException {
                if (b == '\n' && raw) out.write('\r');
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int k = 0; k < len; k++) write(b[off + k]);
            }
        };
        return new PrintStream(crlf, true);
    }

    /** The host's SIGWINCH, forwarded to the console (sun.misc.Signal: the JDK's only way to see it). */
    private static final class WindowChanges {
        private static volatile Tty target;
        private static boolean installed;

        static synchronized void watch(Tty tty) {
            target = tty;
            if (installed || tty == null) return;
            try {
                sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> {
                    Tty t = target;
                    if (t != null) t.resized();
                });
                installed = true;
            } catch (IllegalArgumentException e) {
                // The JVM keeps SIGWINCH for itself here: sizes are still checked whenever input arrives.
            }
        }
    }
}
