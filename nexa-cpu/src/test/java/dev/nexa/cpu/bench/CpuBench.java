package dev.nexa.cpu.bench;

import dev.nexa.cpu.Reg;
import dev.nexa.cpu.StopReason;
import dev.nexa.cpu.TestMachine;
import dev.nexa.cpu.decode.Decoder;
import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.exec.CpuCore;
import dev.nexa.cpu.exec.Flags;
import org.openjdk.jmh.annotations.*;

import java.util.concurrent.TimeUnit;

/**
 * The interpreter's hot paths: decoding, ALU with lazy flags and condition evaluation, and
 * whole loops through the run loop (ops/s there is instructions per second / 4 or 5).
 * Run with {@code .ci/jmh CpuBench}.
 */
@State(Scope.Thread)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class CpuBench {
    /** A typical mix: mov r,[m]; add r,r; cmp r,imm; lea r,[r+r*4+8]; jnz. */
    static final byte[] MIX = {0x48, (byte) 0x8B, 0x47, 0x08, 0x48, 0x01, (byte) 0xD8, 0x48, (byte) 0x83, (byte) 0xF9, 0x10,
            0x48, (byte) 0x8D, 0x44, (byte) 0x89, 0x08, 0x75, (byte) 0xEE};

    Decoder decoder;
    TestMachine loop;
    CpuCore core;
    long a = 0x1234_5678_9ABC_DEF0L, b = 0x0FED_CBA9_8765_4321L;

    @Setup
    public void setUp() {
        decoder = new Decoder();
        // mov ecx, 1_000_000 ; L: add rax, rcx ; xor rdx, rax ; dec ecx ; jnz L ; syscall
        loop = new TestMachine().code(0xB9, 0x40, 0x42, 0x0F, 0x00, 0x48, 0x01, 0xC8, 0x48, 0x31, 0xC2, 0xFF, 0xC9,
                0x75, 0xF6, 0x0F, 0x05);
        core = loop.cpu.core();
    }

    @TearDown
    public void tearDown() { loop.close(); }

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public Insn decodeMix() {
        Insn last = null;
        for (int off = 0; off < MIX.length; off += last.len()) last = decoder.decode(addr -> MIX[(int) addr], off, off);
        return last;
    }

    /** ADD with its flags recorded lazily, then a Jcc-style condition read (SDM cc L). */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public boolean addThenCondition() {
        long r = a + b;
        core.setCc(Flags.SUB, 8, r, b);
        a = r;
        return Flags.cond(core, 0xC);
    }

    /** One million iterations of a 4-instruction loop: 4M instructions per op. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    public long tightLoop() {
        loop.cpu.setRip(TestMachine.CODE);
        StopReason r = loop.cpu.run(Long.MAX_VALUE / 2);
        if (r != StopReason.SYSCALL) throw new IllegalStateException(r.toString());
        return loop.cpu.reg(Reg.RDX);
    }
}
