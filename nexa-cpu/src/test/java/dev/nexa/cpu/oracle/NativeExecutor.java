package dev.nexa.cpu.oracle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * Runs x86-64 instruction bytes natively on the host CPU, from a fully specified {@link MachineState},
 * and returns the state afterwards: the instruction oracle of the emulator's tests.
 *
 * <h2>How</h2>
 * One 16 KiB region is mapped (libc {@code mmap} through the FFM linker) at the fixed address
 * {@link #BASE} (30 TiB: far from the JVM's heap and its class space, which HotSpot places at a
 * random address in the low 4 GiB, and from the libraries near 0x7f..), so tests and the emulator
 * can use the same constant addresses. It holds four pages:
 * <pre>
 *   BASE+0x0000  code: prologue | guest code at CODE_ADDRESS (BASE+0xA0) | epilogue   (R-X while running)
 *   BASE+0x1000  control: host RSP, flags in/out, GPRs in/out, host/in/out FXSAVE images, and at the
 *                end of the page the little stack the epilogue uses for pushfq
 *   BASE+0x2000  scratch, SCRATCH_ADDRESS, MachineState.SCRATCH_SIZE bytes
 *   BASE+0x3000  stack, STACK_ADDRESS; RSP defaults to DEFAULT_RSP (the middle)
 * </pre>
 * The trampoline (see {@link #assemble}, each instruction documented there and listed by
 * {@link #trampolineListing}) saves the host's callee-saved GPRs, RFLAGS, RSP and x87/SSE state
 * (FXSAVE: the SysV ABI makes the x87 control word and MXCSR control bits callee-saved), FXRSTORs the
 * guest image, merges the guest's status flags and DF into the host RFLAGS with popfq, loads all 16
 * GPRs (RSP included; RAX last, it held the base address), runs the guest bytes, then stores RAX
 * with a {@code movabs [moffs64], rax}, the other GPRs relative to RAX, switches to the control
 * page's stack for pushfq, FXSAVEs the guest state and restores the host's.
 *
 * <h2>What the code under test must not do</h2>
 * Native code that faults kills the JVM (HotSpot does not recover from SIGSEGV/SIGFPE/SIGILL in
 * foreign code). Tests must therefore filter their inputs: no #DE (div by zero or quotient overflow),
 * no memory access outside the scratch and stack areas (and no write to the code page), no
 * privileged or undefined instructions, no unmasked x87/SSE exception (#MF/#XM), no jumps out of the
 * code. The harness checks what is cheap to check and throws {@link IllegalArgumentException}: the
 * code is at most {@link #MAX_CODE_LENGTH} bytes, MXCSR has no bit outside the host's MXCSR_MASK (else
 * FXRSTOR raises #GP), all exceptions are masked in FCW and MXCSR, and FSW has no pending exception
 * summary (ES/B). The code runs as straight-line code and must fall through its last byte.
 *
 * <h2>Use in a property</h2>
 * <pre>{@code
 * @Property
 * void addEvGv(@ForAll long a, @ForAll long b) {
 *     var in = MachineState.initial().gpr(Gpr.RAX, a).gpr(Gpr.RBX, b);
 *     byte[] code = {0x48, 0x01, (byte) 0xD8};                 // add rax, rbx
 *     MachineState expected = NativeExecutor.instance().run(code, in);
 *     MachineState actual = emulate(code, in);                 // map CODE/SCRATCH/STACK at the same addresses
 *     assertEquals(List.of(), expected.differences(actual));   // mask undefined flags first
 * }
 * }</pre>
 * Memory operands: point a register at {@link #SCRATCH_ADDRESS} and fill {@link MachineState#scratch()}.
 *
 * <h2>Threads</h2>
 * There is one region per process, so {@link #instance()} is a singleton and {@link #run} is
 * synchronized: safe to call from several threads, one at a time.
 */
public final class NativeExecutor {
    /** Where the harness region is mapped (fixed, MAP_FIXED_NOREPLACE). */
    public static final long BASE = 0x1E00_0000_0000L;
    private static final long REGION_SIZE = 0x4000;
    private static final int GUEST_OFFSET = 0xA0;
    /** Address of the first byte of the code under test (its RIP). */
    public static final long CODE_ADDRESS = BASE + GUEST_OFFSET;
    /** Start of the scratch memory area. */
    public static final long SCRATCH_ADDRESS = BASE + 0x2000;
    /** Start (lowest address) of the stack area. */
    public static final long STACK_ADDRESS = BASE + 0x3000;
    /** RSP of {@link MachineState#initial()}: the middle of the stack area, room to push and to pop. */
    public static final long DEFAULT_RSP = STACK_ADDRESS + MachineState.STACK_SIZE / 2;
    /** Longest instruction sequence accepted. */
    public static final int MAX_CODE_LENGTH = 2048;

    private static final long CONTROL = BASE + 0x1000;
    private static final long HOST_RSP = CONTROL;
    private static final long FLAGS_IN = CONTROL + 0x08;
    private static final long FLAGS_OUT = CONTROL + 0x10;
    private static final long GPR_IN = CONTROL + 0x40;
    private static final long GPR_OUT = CONTROL + 0xC0;
    private static final long FX_HOST = CONTROL + 0x200;
    private static final long FX_IN = CONTROL + 0x400;
    private static final long FX_OUT = CONTROL + 0x600;
    private static final long EPILOGUE_STACK_TOP = CONTROL + 0x1000;

    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4;
    private static final int MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20, MAP_FIXED_NOREPLACE = 0x100000;
    private static final int RSP = 4;
    private static final int FXSAVE_WRITTEN = 416;

    private static volatile NativeExecutor instance;

    private final MemorySegment region;
    private final MethodHandle mprotect;
    private final MethodHandle trampoline;
    private final int hostMxcsrMask;
    private byte[] loadedCode;

    /** The process-wide executor, created (and its region mapped) on first use. */
    public static NativeExecutor instance() {
        var e = instance;
        if (e == null) {
            synchronized (NativeExecutor.class) {
                e = instance;
                if (e == null) {
                    e = new NativeExecutor();
                    instance = e;
                }
            }
        }
        return e;
    }

    @SuppressWarnings("restricted") // FFM downcalls and reinterpret: the point of this class
    private NativeExecutor() {
        var linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        StructLayout callState = Linker.Option.captureStateLayout();
        VarHandle errnoHandle = callState.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        var mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG),
                Linker.Option.captureCallState("errno"));
        mprotect = linker.downcallHandle(libc.find("mprotect").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
        long got;
        int errno;
        try (var arena = Arena.ofConfined()) {
            var state = arena.allocate(callState);
            got = (long) mmap.invokeExact(state, BASE, REGION_SIZE, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0L);
            errno = (int) errnoHandle.get(state, 0L);
        } catch (Throwable t) {
            throw new IllegalStateException("mmap downcall failed", t);
        }
        if (got != BASE) {
            throw new IllegalStateException("cannot map the oracle region at 0x%x (mmap returned 0x%x, errno %d)"
                    .formatted(BASE, got, errno));
        }
        region = MemorySegment.ofAddress(BASE).reinterpret(REGION_SIZE);
        trampoline = linker.downcallHandle(MemorySegment.ofAddress(BASE), FunctionDescriptor.ofVoid());
        // The host mask decides which MXCSR values FXRSTOR accepts (SDM Vol. 1 §11.6.6).
        var probe = MachineState.initial();
        probe.mxcsr(0x1F80);
        hostMxcsrMask = runUnchecked(new byte[] {(byte) 0x90}, probe).mxcsrMask();
    }

    /** MXCSR_MASK of the host (bits FXRSTOR accepts in MXCSR). */
    public int hostMxcsrMask() {
        return hostMxcsrMask;
    }

    /**
     * Runs {@code code} natively from state {@code in} and returns the resulting state; {@code in} is
     * not modified. See the class comment for what the code must not do.
     *
     * @throws IllegalArgumentException when a cheap sanity check shows the run would crash the JVM
     */
    public synchronized MachineState run(byte[] code, MachineState in) {
        if ((in.fpuControl() & 0x3F) != 0x3F) {
            throw new IllegalArgumentException("FCW 0x%x unmasks an x87 exception (#MF would kill the JVM)"
                    .formatted(in.fpuControl()));
        }
        return runAllowingUnmaskedX87(code, in);
    }

    /**
     * Like {@link #run}, but FCW may unmask x87 exceptions, to observe the unmasked responses (SDM
     * Vol. 1 §8.5: the register result of an unmasked overflow/underflow, the untouched destination of
     * an unmasked invalid operation). The caller must guarantee that only the <em>last</em>
     * instruction of {@code code} can raise an x87 exception: #MF is delivered at the next waiting x87
     * instruction, and after the code the trampoline runs only FXSAVE and FXRSTOR, which do not wait
     * (SDM Vol. 1 §8.6), and restores the host's FSW with ES clear. The returned FSW shows ES/B set.
     */
    public synchronized MachineState runAllowingUnmaskedX87(byte[] code, MachineState in) {
        if (code.length > MAX_CODE_LENGTH) {
            throw new IllegalArgumentException("code longer than " + MAX_CODE_LENGTH + " bytes: " + code.length);
        }
        if ((in.mxcsr() & ~hostMxcsrMask) != 0) {
            throw new IllegalArgumentException("MXCSR 0x%x has bits outside MXCSR_MASK 0x%x (FXRSTOR would #GP)"
                    .formatted(in.mxcsr(), hostMxcsrMask));
        }
        if ((in.mxcsr() & 0x1F80) != 0x1F80) {
            throw new IllegalArgumentException("MXCSR 0x%x unmasks an SSE exception (#XM would kill the JVM)"
                    .formatted(in.mxcsr()));
        }
        if ((in.fpuStatus() & 0x8080) != 0) {
            throw new IllegalArgumentException("FSW 0x%x has ES/B set (pending #MF)".formatted(in.fpuStatus()));
        }
        return runUnchecked(code, in);
    }

    private synchronized MachineState runUnchecked(byte[] code, MachineState in) {
        if (!Arrays.equals(code, loadedCode)) {
            load(code);
        }
        var le = JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) {
            region.set(le, GPR_IN - BASE + 8L * i, in.gpr(i));
        }
        region.set(le, FLAGS_IN - BASE, in.rflags() & MachineState.FLAGS_MASK);
        MemorySegment.copy(MemorySegment.ofBuffer(in.fx()), 0, region, FX_IN - BASE, MachineState.FXSAVE_SIZE);
        MemorySegment.copy(MemorySegment.ofBuffer(in.scratch()), 0, region, SCRATCH_ADDRESS - BASE,
                MachineState.SCRATCH_SIZE);
        MemorySegment.copy(MemorySegment.ofBuffer(in.stack()), 0, region, STACK_ADDRESS - BASE,
                MachineState.STACK_SIZE);
        try {
            trampoline.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("trampoline call failed", t);
        }
        var out = in.copy();
        for (int i = 0; i < 16; i++) {
            out.gpr(i, region.get(le, GPR_OUT - BASE + 8L * i));
        }
        out.rawFlags(region.get(le, FLAGS_OUT - BASE));
        // FXSAVE writes bytes 0..415; the rest of the image (reserved/available) keeps the input's bytes.
        MemorySegment.copy(region, FX_OUT - BASE, MemorySegment.ofBuffer(out.fx()), 0, FXSAVE_WRITTEN);
        MemorySegment.copy(region, SCRATCH_ADDRESS - BASE, MemorySegment.ofBuffer(out.scratch()), 0,
                MachineState.SCRATCH_SIZE);
        MemorySegment.copy(region, STACK_ADDRESS - BASE, MemorySegment.ofBuffer(out.stack()), 0,
                MachineState.STACK_SIZE);
        return out;
    }

    /** Writes the trampoline around {@code code} into the code page, keeping the page W^X. */
    private void load(byte[] code) {
        byte[] bytes = assemble(code).bytes();
        protect(PROT_READ | PROT_WRITE);
        region.asSlice(0, 0x1000).fill((byte) 0xCC); // int3 anywhere the guest strays to
        MemorySegment.copy(MemorySegment.ofArray(bytes), 0, region, 0, bytes.length);
        protect(PROT_READ | PROT_EXEC);
        loadedCode = code.clone();
    }

    private void protect(int prot) {
        int rc;
        try {
            rc = (int) mprotect.invokeExact(BASE, 0x1000L, prot);
        } catch (Throwable t) {
            throw new IllegalStateException("mprotect downcall failed", t);
        }
        if (rc != 0) {
            throw new IllegalStateException("mprotect of the oracle code page failed");
        }
    }

    /** The trampoline's instructions around {@code code}, with offsets and assembly, for review. */
    public static List<TrampolineAssembler.Line> trampolineListing(byte[] code) {
        return assemble(code).listing();
    }

    /** The trampoline's bytes around {@code code}. */
    static byte[] trampolineBytes(byte[] code) {
        return assemble(code).bytes();
    }

    static TrampolineAssembler assemble(byte[] code) {
        var a = new TrampolineAssembler();
        // --- prologue: called as void f(void) by the FFM linker ---
        for (int r : new int[] {3, 5, 12, 13, 14, 15}) {
            a.push(r); // rbx, rbp, r12-r15: callee-saved in the SysV ABI
        }
        a.pushfq(); // host RFLAGS (DF = 0 as the ABI requires), restored by the final popfq
        a.movRegReg(0, RSP); // mov rax, rsp
        a.movMoffsFromRax(HOST_RSP); // every GPR will hold guest values: keep RSP in memory
        a.movRaxImm64(FX_HOST);
        a.fxsave64AtRax(); // host x87 CW and MXCSR are callee-saved; keep the whole image
        a.movRaxImm64(FX_IN);
        a.fxrstor64AtRax(); // guest x87/MMX/SSE state
        a.movRaxImm64(FLAGS_IN);
        a.movRegFromRaxDisp(1, 0); // rcx = guest flags (already & FLAGS_MASK)
        a.pushfq();
        a.pop(2); // rdx = host flags
        a.andRdxImm32((int) ~MachineState.FLAGS_MASK); // keep host IF/TF/IOPL/AC/ID and reserved bits
        a.orRdxRcx();
        a.push(2);
        a.popfq(); // guest status flags and DF; nothing below touches flags
        a.movRaxImm64(GPR_IN);
        for (int r = 1; r < 16; r++) {
            a.movRegFromRaxDisp(r, 8 * r); // mov reg, [rax+8*reg], RSP included
        }
        a.movRegFromRaxDisp(0, 0); // mov rax, [rax]: last, rax was the base
        if (a.size() > GUEST_OFFSET) {
            throw new IllegalStateException("prologue overflows GUEST_OFFSET: " + a.size());
        }
        while (a.size() < GUEST_OFFSET) {
            a.nop(); // pad so that the guest code has a fixed RIP
        }
        a.guest(code);
        // --- epilogue: no instruction here changes flags before pushfq ---
        a.movMoffsFromRax(GPR_OUT); // guest rax
        a.movRaxImm64(GPR_OUT);
        for (int r = 1; r < 16; r++) {
            a.movRaxDispFromReg(8 * r, r); // mov [rax+8*reg], reg
        }
        a.movRaxImm64(EPILOGUE_STACK_TOP);
        a.movRegReg(RSP, 0); // mov rsp, rax: the guest's RSP may point anywhere
        a.pushfq();
        a.pop(1); // rcx = guest flags
        a.movRaxImm64(FLAGS_OUT);
        a.movRaxDispFromReg(0, 1); // mov [rax], rcx
        a.movRaxImm64(FX_OUT);
        a.fxsave64AtRax(); // guest x87/MMX/SSE state
        a.movRaxImm64(FX_HOST);
        a.fxrstor64AtRax(); // host state back (also empties the x87 stack as the ABI expects)
        a.movRaxFromMoffs(HOST_RSP);
        a.movRegReg(RSP, 0); // mov rsp, rax
        a.popfq();
        for (int r : new int[] {15, 14, 13, 12, 5, 3}) {
            a.pop(r);
        }
        a.ret();
        if (a.size() > 0x1000) {
            throw new IllegalStateException("trampoline larger than its page: " + a.size());
        }
        return a;
    }
}
