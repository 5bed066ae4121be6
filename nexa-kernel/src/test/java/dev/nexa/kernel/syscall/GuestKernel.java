package dev.nexa.kernel.syscall;

import dev.nexa.cpu.Reg;
import dev.nexa.kernel.Kernel;
import dev.nexa.kernel.KernelConfig;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.mm.AddressSpace;
import dev.nexa.kernel.mm.Vma;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.FdTable;
import dev.nexa.kernel.vfs.Vfs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A kernel for syscall-level tests: tasks with a scratch area of guest memory, and system calls
 * made the way the CPU makes them (registers, then the Dispatcher), so blocking, restarts and
 * -errno results behave exactly as for a guest.
 */
public final class GuestKernel implements AutoCloseable {
    /** What {@link #call} returns when the task was parked instead of completing the call. */
    public static final long BLOCKED = Long.MIN_VALUE + 7;
    private static final long SCRATCH = 0x1000_0000L, SCRATCH_SIZE = 1 << 20;

    public final Kernel kernel;
    private final Map<Task, Long> bump = new HashMap<>();

    public GuestKernel(Function<Kernel, Vfs> root) {
        kernel = new Kernel(new KernelConfig(64L << 20, root, 0, Set.of(), false, System.err, 42L));
    }

    /** A new process with one task, running as {@code uid}, stdio not open. */
    public Task task(int uid) throws ErrnoException {
        Process p = new Process(kernel.allocatePid(), kernel.init(), AddressSpace.create(kernel.frames()), new FdTable());
        p.uid = p.euid = p.gid = p.egid = uid;
        return kernel.newTask(p.pid(), p);
    }

    /** Guest memory for {@code n} bytes (zeroed), 16-byte aligned, in a scratch area mapped on first use. */
    public long alloc(Task t, int n) throws ErrnoException {
        var mm = t.process().addressSpace();
        if (mm.find(SCRATCH) == null) {
            mm.map(SCRATCH, SCRATCH_SIZE, Vma.PROT_READ | Vma.PROT_WRITE,
                    Vma.MAP_PRIVATE | Vma.MAP_ANONYMOUS | Vma.MAP_FIXED, null, 0, 0, null);
        }
        long at = bump.getOrDefault(t, SCRATCH);
        bump.put(t, (at + n + 15) & ~15L);
        return at;
    }

    public long str(Task t, String s) throws ErrnoException {
        byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_8);
        long at = alloc(t, b.length);
        t.memory().write(at, b);
        return at;
    }

    public long bytes(Task t, byte[] b) throws ErrnoException {
        long at = alloc(t, b.length);
        t.memory().write(at, b);
        return at;
    }

    public byte[] read(Task t, long at, int n) throws ErrnoException { return t.memory().read(at, n); }

    public ByteBuffer buffer(Task t, long at, int n) throws ErrnoException {
        return ByteBuffer.wrap(read(t, at, n)).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Runs syscall {@code nr} in {@code t}; returns RAX, or {@link #BLOCKED} when the task had to wait. */
    public long call(Task t, int nr, long... args) {
        var cpu = t.cpu();
        cpu.setReg(Reg.RAX, nr);
        int[] regs = {Reg.RDI, Reg.RSI, Reg.RDX, Reg.R10, Reg.R8, Reg.R9};
        for (int k = 0; k < 6; k++) cpu.setReg(regs[k], k < args.length ? args[k] : 0);
        return resume(t);
    }

    /** Runs the call the task is parked in again (as the scheduler does after a wake-up). */
    public long resume(Task t) {
        var cpu = t.cpu();
        cpu.setRip(0x1002);
        kernel.dispatcher().dispatch(t);
        if (t.state() == Task.State.BLOCKED) {
            if (cpu.rip() != 0x1000) throw new IllegalStateException("RIP not rewound to the SYSCALL");
            return BLOCKED;
        }
        return cpu.reg(Reg.RAX);
    }

    @Override
    public void close() { kernel.close(); }
}
