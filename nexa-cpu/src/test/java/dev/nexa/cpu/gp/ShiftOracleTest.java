package dev.nexa.cpu.gp;

import dev.nexa.cpu.oracle.MachineState;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import static dev.nexa.cpu.gp.Enc.insn;

/**
 * Group 2 (C0, C1, D0-D3: ROL ROR RCL RCR SHL SHR SAL SAR) and SHLD/SHRD (0F A4 A5 AC AD)
 * against the host, at every size, with immediate, implicit-1 and CL counts.
 */
class ShiftOracleTest extends OracleBase {
    @Provide
    Arbitrary<Integer> count() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(0, 1, 2, 7, 8, 9, 15, 16, 17, 18, 31, 32, 33, 63, 64, 65, 127, 128, 255)),
                Tuple.of(3, Arbitraries.integers().between(0, 255)));
    }

    /**
     * The flags the SDM leaves undefined for a group-2 operation with masked count {@code n}:
     * AF always; OF unless n == 1; for SHL/SHR CF when n >= the width (SDM Vol. 2B SAL/SAR/
     * SHL/SHR "Flags Affected"). A count of 0 changes nothing, so nothing is undefined.
     */
    static long undefined(int digit, int size, int rawCount) {
        int n = rawCount & (size == 8 ? 63 : 31);
        if (n == 0) return 0;
        boolean rotate = digit < 4;
        long u = rotate ? 0 : Oracle.AF;
        if (n != 1) u |= Oracle.OF;
        if ((digit == 4 || digit == 5 || digit == 6) && n >= 8 * size) u |= Oracle.CF;
        return u;
    }

    @Property
    void group2(@ForAll("size") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int r,
                @ForAll boolean memory,
                @ForAll boolean rex, @ForAll("count") int count) {
        var s = new Setup(env);
        s.regs[1] = (s.regs[1] & ~0xFFL) | count;
        s.pin(1);
        Enc.Rm rm = rm(s, memory, r, size);
        MachineState in = s.state();
        int v = size == 1 ? 0 : 1;
        for (int digit = 0; digit < 8; digit++) {
            run(insn().size(size).rex(rex).op(0xC0 + v).reg(digit).rm(rm).imm(count, 1), in, undefined(digit, size, count));
            run(insn().size(size).rex(rex).op(0xD0 + v).reg(digit).rm(rm), in, undefined(digit, size, 1));
            // CL was pinned to the count; the destination may be RCX itself, read first.
            run(insn().size(size).rex(rex).op(0xD2 + v).reg(digit).rm(rm), in, undefined(digit, size, count));
        }
    }

    /**
     * SHLD/SHRD: CF = the last bit out, OF for a count of 1, AF undefined (SDM Vol. 2B SHLD).
     * A 16-bit count above 16 makes result and flags undefined: such inputs are left out.
     */
    @Property
    void doubleShifts(@ForAll("vsize") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                      @ForAll @IntRange(max = 15) int r, @ForAll boolean memory, @ForAll("count") int count) {
        int n = count & (size == 8 ? 63 : 31);
        if (size == 2 && n > 16) return;                 // undefined result
        var s = new Setup(env);
        s.regs[1] = (s.regs[1] & ~0xFFL) | count;
        s.pin(1);
        Enc.Rm rm = rm(s, memory, r, size);
        MachineState in = s.state();
        long u = n == 0 ? 0 : Oracle.AF | (n == 1 ? 0 : Oracle.OF);
        run(insn().size(size).op(0x0F, 0xA4).reg(g).rm(rm).imm(count, 1), in, u);
        run(insn().size(size).op(0x0F, 0xAC).reg(g).rm(rm).imm(count, 1), in, u);
        run(insn().size(size).op(0x0F, 0xA5).reg(g).rm(rm), in, u);
        run(insn().size(size).op(0x0F, 0xAD).reg(g).rm(rm), in, u);
    }
}
