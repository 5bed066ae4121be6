package dev.nexa.cpu.gp;

import dev.nexa.cpu.exec.CpuCore;
import dev.nexa.cpu.exec.Flags;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The lazy-flags machinery agrees with itself: for every recorded operation kind and size,
 * the fast condition paths ({@link Flags#cond}, {@link Flags#carry}) give what the full
 * {@link Flags#compute} gives, for all sixteen condition codes.
 */
class FlagsProperties {
    private static final int[] KINDS = {Flags.EFLAGS, Flags.ADD, Flags.ADC, Flags.SUB, Flags.SBB, Flags.LOGIC,
            Flags.INC, Flags.DEC, Flags.SHL, Flags.SAR, Flags.MUL, Flags.BMILG, Flags.POPCNT};

    @Provide
    Arbitrary<Integer> kind() { return Arbitraries.of(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12).map(k -> KINDS[k]); }

    @Property
    void fastPathsAgreeWithCompute(@ForAll("kind") int kind, @ForAll @IntRange(max = 3) int sizeIndex,
                                   @ForAll("operand") long dst, @ForAll("operand") long src, @ForAll boolean carryIn) {
        long m = Flags.mask(1 << sizeIndex);
        var c = new CpuCore(null);
        c.ccOp = kind + sizeIndex;
        c.ccDst = dst & m;
        c.ccSrc = switch (kind) {
            case Flags.EFLAGS -> src & Flags.ARITH;
            case Flags.INC, Flags.DEC -> src & Flags.CF;
            case Flags.BMILG -> src & 1;
            default -> src & m;
        };
        c.ccSrc2 = (kind == Flags.ADC || kind == Flags.SBB) && carryIn ? 1 : 0;
        long f = Flags.compute(c);
        for (int cc = 0; cc < 16; cc++) {
            assertEquals(Flags.condFromFlags(f, cc), Flags.cond(c, cc), "kind " + kind + " cc " + cc);
        }
        assertEquals((f & Flags.CF) != 0, Flags.carry(c), "carry");
        assertEquals(f, c.rflags() & Flags.ARITH, "rflags");
    }

    @Provide
    Arbitrary<Long> operand() { return OracleBase.values(); }
}
