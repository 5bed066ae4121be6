package dev.nexa.cli;

import dev.nexa.elf.Elf;
import dev.nexa.elf.ElfWriter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Just enough x86-64 machine code (SDM Vol. 2 encodings) to write syscall-level test programs
 * with {@link ElfWriter}: register moves and immediates, loads/stores through a register,
 * add/dec, conditional and unconditional jumps, SYSCALL.
 */
final class TinyAsm {
    static final int RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSP = 4, RBP = 5, RSI = 6, RDI = 7, R8 = 8, R9 = 9, R10 = 10,
            R12 = 12, R13 = 13;
    static final long TEXT = 0x401000;

    private final ByteArrayOutputStream code = new ByteArrayOutputStream();

    private static int rex(int reg, int rm) { return 0x48 | (reg >= 8 ? 4 : 0) | (rm >= 8 ? 1 : 0); }

    /** REX.W B8+r io: mov r64, imm64. */
    TinyAsm movImm(int r, long imm) {
        code.write(0x48 | (r >= 8 ? 1 : 0));
        code.write(0xB8 + (r & 7));
        for (int k = 0; k < 8; k++) code.write((int) (imm >>> (8 * k)));
        return this;
    }

    /** REX.W 89 /r: mov dst, src. */
    TinyAsm mov(int dst, int src) {
        code.write(rex(src, dst));
        code.write(0x89);
        code.write(0xC0 | (src & 7) << 3 | (dst & 7));
        return this;
    }

    /** REX.W 89 /r with mod=00: mov [base], src (base not RSP/RBP/R12/R13). */
    TinyAsm store(int base, int src) {
        code.write(rex(src, base));
        code.write(0x89);
        code.write((src & 7) << 3 | (base & 7));
        return this;
    }

    /** REX.W 81 /0 id: add r64, imm32. */
    TinyAsm addImm(int r, int imm) {
        code.write(0x48 | (r >= 8 ? 1 : 0));
        code.write(0x81);
        code.write(0xC0 | (r & 7));
        for (int k = 0; k < 4; k++) code.write(imm >>> (8 * k));
        return this;
    }

    /** REX.W FF /1: dec r64. */
    TinyAsm dec(int r) {
        code.write(0x48 | (r >= 8 ? 1 : 0));
        code.write(0xFF);
        code.write(0xC8 | (r & 7));
        return this;
    }

    /** The current offset, a jump target. */
    int here() { return code.size(); }

    /** 0F 85 cd: jnz to an earlier offset. */
    TinyAsm jnz(int target) {
        int rel = target - (code.size() + 6);
        code.write(0x0F);
        code.write(0x85);
        for (int k = 0; k < 4; k++) code.write(rel >>> (8 * k));
        return this;
    }

    /** EB FE: jmp to itself (spin until the instruction limit). */
    TinyAsm spin() {
        code.write(0xEB);
        code.write(0xFE);
        return this;
    }

    TinyAsm syscall() {
        code.write(0x0F);
        code.write(0x05);
        return this;
    }

    /** rax = nr, then the arguments in rdi, rsi, rdx, r10, r8, r9, then SYSCALL. */
    TinyAsm sys(int nr, long... args) {
        int[] regs = {RDI, RSI, RDX, R10, R8, R9};
        for (int k = 0; k < args.length; k++) movImm(regs[k], args[k]);
        movImm(RAX, nr);
        return syscall();
    }

    TinyAsm exit(int status) { return sys(231, status); }

    byte[] bytes() { return code.toByteArray(); }

    static final long DATA = 0x403000;
    private byte[] data = {1, 2, 3};

    /** Initial contents of the data segment at {@link #DATA} (followed by bss up to 8 KiB). */
    TinyAsm data(byte[] bytes) {
        this.data = bytes.clone();
        return this;
    }

    /** A static ET_EXEC with this code at {@link #TEXT}, plus a data segment at {@link #DATA}. */
    byte[] elf() {
        return ElfWriter.executable()
                .headersAt(0x400000)
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_X, TEXT, bytes()))
                .segment(ElfWriter.Segment.load(Elf.PF_R | Elf.PF_W, DATA, data).withMemsz(0x2000))
                .entry(TEXT)
                .build();
    }

    /** Writes the program as an executable file in {@code dir}. */
    Path writeTo(Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, elf());
        p.toFile().setExecutable(true);
        return p;
    }

    /**
     * The memory-map workout: mmap 3 anonymous pages, store into the first (a zero-fill fault),
     * mprotect it read-only, munmap the third, mremap the second to two pages, grow the heap
     * with brk, one failing munmap (EINVAL), then {@code ending}.
     */
    static TinyAsm memoryWorkout() {
        TinyAsm a = new TinyAsm();
        a.sys(9, 0, 3 * 4096, 3, 0x22, -1, 0);                 // mmap(NULL, 12K, RW, PRIVATE|ANON, -1, 0)
        a.mov(RBX, RAX);
        a.store(RBX, RBX);                                     // touch page 0
        a.mov(RDI, RBX).movImm(RSI, 4096).movImm(RDX, 1).movImm(RAX, 10).syscall();        // mprotect(p, 4K, R)
        a.mov(RDI, RBX).addImm(RDI, 8192).movImm(RSI, 4096).movImm(RAX, 11).syscall();    // munmap(p + 8K, 4K)
        a.mov(RDI, RBX).addImm(RDI, 4096).movImm(RSI, 4096).movImm(RDX, 8192).movImm(R10, 1)
                .movImm(RAX, 25).syscall();                                                 // mremap(p + 4K, 4K, 8K, MAYMOVE)
        a.sys(12, 0);                                                                       // brk(0)
        a.mov(RDI, RAX).addImm(RDI, 8192).movImm(RAX, 12).syscall();                       // brk(+8K)
        a.sys(11, 1, 4096);                                                                 // munmap(1, 4K): EINVAL
        return a;
    }

    /** nanosleep for {@code nanos} (the struct timespec is in the data segment), then exit(0). */
    static TinyAsm sleep(long nanos) {
        byte[] ts = java.nio.ByteBuffer.allocate(16).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                .putLong(nanos / 1_000_000_000L).putLong(nanos % 1_000_000_000L).array();
        return new TinyAsm().data(ts).sys(35, DATA, 0).exit(0);
    }

    /** {@code n} getpid calls in a loop, then exit(0): the syscall-heavy benchmark. */
    static TinyAsm getpidLoop(long n) {
        TinyAsm a = new TinyAsm();
        a.movImm(RBX, n);
        int top = a.here();
        a.movImm(RAX, 39).syscall();
        a.dec(RBX).jnz(top);
        return a.exit(0);
    }
}
