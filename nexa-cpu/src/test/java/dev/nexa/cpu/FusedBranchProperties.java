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
 * The interpreter fuses a register-only flag-setting instruction with the Jcc right after it
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
    };

    @Provide
    Arbitrary<Long> values() {
        return Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.of(0L, 1L, 4L, 5L, 6L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 0x8000_0000L,
                        0x7FFF_FFFFL, 0xFFFF_FFFFL, 0x80L, 0x7FL, 0xFFL, 0x1_0000_0005L));
    }

    @Property(tries = 400)
    void fusedAndUnfusedAgree(@ForAll @IntRange(max = 14) int op, @ForAll @IntRange(max = 15) int cc,
                              @ForAll("values") long a, @ForAll("values") long b, @ForAll boolean carryIn) {
        long[] fused = run(op, cc, a, b, carryIn, false);
        long[] plain = run(op, cc, a, b, carryIn, true);
        assertEquals(plain[0], fused[0], "RAX");
        assertEquals(plain[1], fused[1], "RDX (branch direction)");
        assertEquals(plain[2], fused[2], "RFLAGS");
        assertEquals(plain[3] - 1, fused[3], "retired instructions");
    }

    /** mov rax, a ; mov rbx, b ; stc/clc ; mov edx, 2 ; OP ; [nop] ; jcc +5 ; mov edx, 1 ; syscall */
    private static long[] run(int op, int cc, long a, long b, boolean carryIn, boolean nop) {
        List<Integer> code = new ArrayList<>();
        code.add(0x48);
        code.add(0xB8);
        for (int k = 0; k < 8; k++) code.add((int) (a >>> (8 * k)) & 0xFF);
        code.add(0x48);
        code.add(0xBB);
        for (int k = 0; k < 8; k++) code.add((int) (b >>> (8 * k)) & 0xFF);
        code.add(carryIn ? 0xF9 : 0xF8);                // INC/DEC keep CF: make it a known input
        code.addAll(List.of(0xBA, 2, 0, 0, 0));
        for (int x : OPS[op]) code.add(x);
        if (nop) code.add(0x90);
        code.addAll(List.of(0x70 + cc, 5, 0xBA, 1, 0, 0, 0, 0x0F, 0x05));
        try (TestMachine m = new TestMachine()) {
            m.code(code.stream().mapToInt(Integer::intValue).toArray());
            assertEquals(StopReason.SYSCALL, m.run());
            return new long[] {m.cpu.reg(Reg.RAX), m.cpu.reg(Reg.RDX), m.cpu.rflags(), m.cpu.instructions()};
        }
    }
}
