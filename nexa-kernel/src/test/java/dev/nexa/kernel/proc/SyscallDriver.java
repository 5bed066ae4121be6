package dev.nexa.kernel.proc;

import dev.nexa.cpu.Reg;
import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.KernelConfig;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.FdTable;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

/**
 * Drives syscalls from Java: pid 1 is a program that never runs (an endless loop at
 * {@link GuestCode#BASE}), and {@link #sys} puts a call's number and arguments in a task's
 * registers and dispatches it as if the task had executed SYSCALL, followed by signal delivery
 * as on the way back to user mode. Memory for arguments lives in the SCRATCH area.
 */
public final class SyscallDriver implements AutoCloseable {
    public final Kernel kernel;
    public final Task init;
    public final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final Path root;

    public SyscallDriver() { this(false); }

    /** With {@code hostParent}, the program runs under the pid-1 stand-in ({@link Kernel#useHostParent}). */
    public SyscallDriver(boolean hostParent) {
        try {
            root = Files.createTempDirectory("nexa-driver");
            Path prog = root.resolve("prog");
            Files.write(prog, GuestRunner.elf("eb fe"));
            Files.setPosixFilePermissions(prog, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        KernelConfig cfg = new KernelConfig(64L << 20, GuestRunner.hostRoot(root), 0, Set.of(), false,
                new PrintStream(console, true, StandardCharsets.UTF_8), 1L);
        kernel = new Kernel(cfg);
        try {
            if (hostParent) kernel.useHostParent();
            FdTable fds = new FdTable();
            fds.install(new GuestRunner.CaptureFile("stdio"), false);
            init = kernel.spawn("/prog", List.of("/prog"), List.of(), fds).mainThread();
        } catch (ErrnoException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs syscall {@code nr} in task {@code t} and returns RAX afterwards (signals delivered). */
    public long sys(Task t, int nr, long... args) {
        var c = t.cpu();
        int[] regs = {Reg.RDI, Reg.RSI, Reg.RDX, Reg.R10, Reg.R8, Reg.R9};
        for (int k = 0; k < 6; k++) c.setReg(regs[k], k < args.length ? args[k] : 0);
        c.setReg(Reg.RAX, nr);
        if (c.rip() < GuestCode.BASE + 2) c.setRip(GuestCode.BASE + 2);
        kernel.dispatcher().dispatch(t);
        if (t.runnable()) kernel.signals().deliverPending(t);
        return c.reg(Reg.RAX);
    }

    /**
     * What the run loop does for a task woken in a blocked syscall: dispatch the call again,
     * then deliver signals. Returns RAX, or null if the call blocked again.
     */
    public Long resume(Task t) {
        if (t.state() == Task.State.BLOCKED) return null;
        if (!t.takeResumeSyscall()) throw new IllegalStateException(t + " is not in a syscall");
        t.cpu().setRip(t.cpu().rip() + 2);
        kernel.dispatcher().dispatch(t);
        if (t.state() == Task.State.BLOCKED) return null;
        if (t.runnable()) kernel.signals().deliverPending(t);
        return t.cpu().reg(Reg.RAX);
    }

    /** fork() in {@code t}; the child task. */
    public Task fork(Task t) {
        long pid = sys(t, 57);
        if (pid <= 0) throw new IllegalStateException("fork failed: " + pid);
        return kernel.task((int) pid);
    }

    public void write(Task t, long addr, long... words) {
        try {
            for (int k = 0; k < words.length; k++) t.memory().writeLong(addr + 8L * k, words[k]);
        } catch (ErrnoException e) {
            throw new IllegalStateException(e);
        }
    }

    public long read(Task t, long addr) {
        try {
            return t.memory().readLong(addr);
        } catch (ErrnoException e) {
            throw new IllegalStateException(e);
        }
    }

    public int readInt(Task t, long addr) {
        try {
            return t.memory().readInt(addr);
        } catch (ErrnoException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        kernel.close();
        try (var s = Files.walk(root)) {
            s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temporary directory left behind is harmless
        }
    }
}
