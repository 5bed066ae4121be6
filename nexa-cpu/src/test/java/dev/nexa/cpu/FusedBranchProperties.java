package dev.nexa.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/**
 * The interpreter fuses a flag-setting instruction (register forms, and CMP/TEST with a memory
 * operand) with the Jcc right after it
 * into one uop (Specializer.fuse). The same code with a NOP between the two is not fused, so
 * both must end with the same registers, flags and branch direction; the retired counts differ
 * by exactly the NOP.
 */
class FusedBranchProperties {
    /** Flag-setting forms Specializer.fuse accepts (RAX and RBX; imm8 = 0x05 where there is one). */
    private static final int[][] OPS = {
            {0x48, 0x39, 0xD8},             // cmp rax, rbx
            {0x39, 0xD8},                   // cmp eax, ebx
            {0x48, 0x83, 0xF8, 0x05},       // cmp rax, 5
            {0x83, 0xF8, 0x05},             // cmp eax, 5
            {0x48, 0x85, 0xD8},             // test rax, rbx
            {0x85, 0xD8},                   // test eax, ebx
            {0x80, 0xF8, 0x05},             // cmp al, 5
            {0x84, 0xD8},                   // test al, bl
            {0x48, 0xFF, 0xC8},             // dec rax
            {0xFF, 0xC0},                   // inc eax
            {0x48, 0x83, 0xE8, 0x05},       // sub rax, 5
            {0x83, 0xC0, 0x05},             // add eax, 5
            {0x48, 0x21, 0xD8},             // and rax, rbx
            {0x31, 0xD8},                   // xor eax, ebx
            {0x48, 0x29, 0xD8},             // sub rax, rbx
            // Memory forms ([rsp] holds b: the program pushes RBX first).
            {0x48, 0x39, 0x04, 0x24},       // cmp [rsp], rax
            {0x48, 0x3B, 0x04, 0x24},       // cmp rax, [rsp]
            {0x48, 0x83, 0x3C, 0x24, 0x05}, // cmp qword [rsp], 5
            {0x39, 0x04, 0x24},             // cmp [rsp], eax
            {0x3B, 0x04, 0x24},             // cmp eax, [rsp]
            {0x81, 0x3C, 0x24, 0x05, 0, 0, 0x80}, // cmp dword [rsp], 0x80000005
            {0x80, 0x3C, 0x24, 0x05},       // cmp byte [rsp], 5
            {0x38, 0x04, 0x24},             // cmp [rsp], al
            {0x3A, 0x04, 0x24},             // cmp al, [rsp]
            {0x48, 0x85, 0x04, 0x24},       // test [rsp], rax
            {0x85, 0x04, 0x24},             // test [rsp], eax
            {0x48, 0xF7, 0x04, 0x24, 0x05, 0, 0, 0}, // test qword [rsp], 5
            {0xF7, 0x04, 0x24, 0x05, 0, 0x80, 0}, // test dword [rsp], 0x00800005
    };

    @Provide
    Arbitrary<Long> values() {
        return Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.of(0L, 1L, 4L, 5L, 6L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000L,
                        0x7FFF_FFFFL, 0xFFFF_FFFFL, 0x80L, 0x7FL, 0xFFL, 0x1_0000_0005L));
    }

    @Property(tries = 400)
    void fusedAndUnfusedAgree(@ForAll @IntRange(max = 27) int op, @ForAll @IntRange(max = 15) int cc,
                              @ForAll("values") long a, @ForAll("values") long b, @ForAll boolean carryIn) {
        long[] fused = run(op, cc, a, b, carryIn, false);
        long[] plain = run(op, cc, a, b, carryIn, true);
        assertEquals(plain[0], fused[0], "RAX");
        assertEquals(plain[1], fused[1], "RDX (branch direction)");
        assertEquals(plain[2], fused[2], "RFLAGS");
        assertEquals(plain[3] - 1, fused[3], "retired instructions");
    }

    /** OPS covers every form the interpreter fuses (the @IntRange above is its last index). */
    @org.junit.jupiter.api.Test
    void rangeCoversTable() { assertEquals(28, OPS.length); }

    /**
     * A fused memory compare that faults reports the compare's address and the instructions
     * before it, as the unfused pair does (the Jcc has not run).
     */
    @org.junit.jupiter.api.Test
    void fusedMemoryCompareFaultsAtTheCompare() {
        // mov rbx, 0x1000 (unmapped) ; nop ; cmp rax, [rbx] ; jne +0 ; syscall
        int[] code = {0x48, 0xC7, 0xC3, 0x00, 0x10, 0, 0, 0x90, 0x48, 0x3B, 0x03, 0x75, 0x00, 0x0F, 0x05};
        try (TestMachine m = new TestMachine()) {
            m.code(code);
            assertEquals(StopReason.FAULT, m.run());
            assertEquals(TestMachine.CODE + 8, m.cpu.rip(), "RIP at the compare");
            assertEquals(2, m.cpu.instructions(), "retired before the compare");
            assertEquals(0x1000, m.cpu.fault().address());
        }
    }

    /** mov rax, a ; mov rbx, b ; push rbx ; stc/clc ; mov edx, 2 ; OP ; [nop] ; jcc +5 ; mov edx, 1 ; syscall */
    private static long[] run(int op, int cc, long a, long b, boolean carryIn, boolean nop) {
        List<Integer> code = new ArrayList<>();
        code.add(0x48);
        code.add(0xB8);
        for (int k = 0; k < 8; k++) code.add((int) (a >>> (8 * k)) & 0xFF);
        code.add(0x48);
        code.add(0xBB);
        for (int k = 0; k < 8; k++) code.add((int) (b >>> (8 * k)) & 0xFF);
        code.add(0x53);                                 // push rbx: the memory forms compare with [rsp]
        code.add(carryIn ? 0xF9 : 0xF8);                // INC/DEC keep CF: make it a known input
        code.addAll(List.of(0xBA, 2, 0, 0, 0));
        for (int x : OPS[op]) code.add(x);
        if (nop) code.add(0x90);
        code.addAll(List.of(0x70 + cc, 5, 0xBA, 1, 0, 0, 0, 0x0F, 0x05));
        try (TestMachine m = new TestMachine()) {
            m.code(code.stream().mapToInt(Integer::intValue).toArray());
            StopReason why = m.run();
            assertEquals(StopReason.SYSCALL, why, () -> "op " + op + (nop ? " with NOP" : " fused") + ": " + m.cpu.fault());
            return new long[] {m.cpu.reg(Reg.RAX), m.cpu.reg(Reg.RDX), m.cpu.rflags(), m.cpu.instructions()};
        }
    }
}
