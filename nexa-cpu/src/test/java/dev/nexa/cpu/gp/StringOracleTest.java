package dev.nexa.cpu.gp;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

import static dev.nexa.cpu.gp.Enc.insn;

/**
 * The string instructions MOVS, CMPS, STOS, LODS, SCAS (A4-AF) at every size, without and
 * with REP/REPE (F3) and REPNE (F2), in both directions, against the host. Counts reach a few
 * thousand bytes so the bulk paths (page-bounded chunks, crossing from the scratch page into
 * the stack page) run too; source and destination sometimes overlap closely, and for the
 * comparisons the destination often repeats the source (or rAX) so REPE runs long.
 */
class StringOracleTest extends OracleBase {
    private static final int[] OPCODES = {0xA4, 0xA6, 0xAA, 0xAC, 0xAE};   // MOVS CMPS STOS LODS SCAS

    @Provide
    Arbitrary<Integer> count() {
        return Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.of(0, 1, 2, 15, 16, 17)),
                Tuple.of(3, Arbitraries.integers().between(0, 40)),
                Tuple.of(2, Arbitraries.integers().between(40, 3000)));
    }

    @Property
    void strings(@ForAll("size") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 2) int rep,
                 @ForAll boolean down,
                 @ForAll("count") int count, @ForAll @IntRange(max = 8191) int a, @ForAll @IntRange(max = 8191) int b,
                 @ForAll @IntRange(min = -20, max = 20) int delta, @ForAll boolean overlap,
                 @ForAll boolean similar, @ForAll @IntRange(max = 3000) int differAt) {
        for (int op = 0; op < OPCODES.length; op++) {
            int n = rep == 0 ? 1 : Math.min(count, 3000 / size);
            int bytes = n * size;
            int room = Setup.AREA - bytes - 16;
            int src = a % room, dst = overlap ? Math.floorMod(src + delta, room) : b % room;
            if (down) {
                // The first element is the highest; the last one ends at the region start.
                src += bytes - size;
                dst += bytes - size;
            }
            var s = new Setup(env);
            s.flags |= down ? 0x400 : 0;
            if (similar) makeSimilar(s, op, size, n, src, dst, down, differAt);
            s.pin(6, s.address(Math.max(src, 0))).pin(7, s.address(Math.max(dst, 0)));
            if (rep != 0) s.pin(1, n);
            var e = insn().size(size).op(OPCODES[op] + (size == 1 ? 0 : 1));
            if (rep == 1) e.prefix(0xF3);
            if (rep == 2) e.prefix(0xF2);
            check(e, s, 0);
        }
    }

    /** Makes the destination elements equal to the source ones (CMPS) or to rAX (SCAS), but one. */
    private static void makeSimilar(Setup s, int op, int size, int n, int src, int dst, boolean down, int differAt) {
        if (op != 1 && op != 4) return;
        int step = down ? -size : size;
        for (int k = 0; k < n; k++) {
            long v = op == 1 ? s.peek(src + k * step, size) : s.regs[0];
            s.poke(dst + k * step, v, size);
        }
        if (differAt < n) s.poke(dst + differAt * step, ~s.peek(dst + differAt * step, size), size);
    }
}
