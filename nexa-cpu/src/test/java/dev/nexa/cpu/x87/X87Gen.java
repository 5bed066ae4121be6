package dev.nexa.cpu.x87;

import dev.nexa.cpu.Reg;
import dev.nexa.cpu.fpu.Ext80;
import dev.nexa.cpu.oracle.MachineState;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators for the x87 oracle properties: register values biased to the edges
 * (zeros, denormals, pseudo-denormals, unnormals, pseudo-infinities/NaNs, infinities, NaNs with
 * payloads, the ends of the normal range, integer and BCD boundaries, halfway values), memory
 * operands in every format, and whole machine states with a partly filled register stack at a
 * random TOP, empty slots in between, any precision and rounding control (exceptions masked),
 * random sticky flags and condition codes, and random CF/ZF/PF for FCMOVcc.
 */
final class X87Gen {
    private X87Gen() {}

    static final List<long[]> EDGES = List.of(
            new long[] {0x0000, 0}, new long[] {0x3FFF, 0x8000_0000_0000_0000L}, new long[] {0x3FFE, 0x8000_0000_0000_0000L},
            new long[] {0x3FFF, 0xC000_0000_0000_0000L}, new long[] {0x4000, 0xA000_0000_0000_0000L},
            new long[] {0x3FFE, 0xFFFF_FFFF_FFFF_FFFFL}, new long[] {0x3FFF, 0x8000_0000_0000_0001L},
            new long[] {0x0000, 1}, new long[] {0x0000, 0x7FFF_FFFF_FFFF_FFFFL}, new long[] {0x0000, 0x8000_0000_0000_0000L},
            new long[] {0x0000, 0xC000_0000_0000_0001L}, new long[] {0x0001, 0x8000_0000_0000_0000L},
            new long[] {0x7FFE, 0xFFFF_FFFF_FFFF_FFFFL}, new long[] {0x7FFF, 0x8000_0000_0000_0000L},
            new long[] {0x7FFF, 0xC000_0000_0000_0000L}, new long[] {0x7FFF, 0xC000_0000_0000_1234L},
            new long[] {0x7FFF, 0x8000_0000_0000_0001L}, new long[] {0x7FFF, 0xBFFF_FFFF_FFFF_FFFFL},
            new long[] {0x7FFF, 0}, new long[] {0x7FFF, 0x4000_0000_0000_0000L}, new long[] {0x3FFF, 0x4000_0000_0000_0000L},
            new long[] {0x0100, 1}, new long[] {0x403E, 0x8000_0000_0000_0000L}, new long[] {0x403D, 0xFFFF_FFFF_FFFF_FFFFL},
            new long[] {0x403E, 0xFFFF_FFFF_FFFF_FFFFL}, new long[] {0x400D, 0xFFFF_0000_0000_0000L},
            new long[] {0x400C, 0xFFFF_0000_0000_0000L}, new long[] {0x401D, 0xFFFF_FFFF_0000_0000L},
            new long[] {0x401E, 0x8000_0000_0000_0000L}, new long[] {0x400E, 0x8000_0000_0000_0000L},
            new long[] {0x403A, 0xDE0B_6B3A_7640_0000L}, new long[] {0x4039, 0xDE0B_6B3A_763F_FFF0L},
            new long[] {0x3C01, 0x8000_0000_0000_0000L}, new long[] {0x3BCD, 0x8000_0000_0000_0000L},
            new long[] {0x43FE, 0xFFFF_FFFF_FFFF_F800L}, new long[] {0x43FE, 0xFFFF_FFFF_FFFF_FC00L},
            new long[] {0x407E, 0xFFFF_FF00_0000_0000L}, new long[] {0x3F81, 0x8000_0000_0000_0000L},
            new long[] {0x3F6A, 0x8000_0000_0000_0000L}, new long[] {0x4000, 0xC90F_DAA2_2168_C235L},
            new long[] {0x3FFF, 0xC90F_DAA2_2168_C235L}, new long[] {0x403D, 0xC90F_DAA2_2168_C235L},
            new long[] {0x3FFD, 0xB504_F333_F9DE_6484L}, new long[] {0x3FFE, 0x8000_0000_0000_0001L});

    static Arbitrary<Ext80> edge() {
        return Combinators.combine(Arbitraries.of(EDGES), Arbitraries.of(0, 0x8000))
                .as((e, s) -> new Ext80((int) e[0] | s, e[1]));
    }

    static Arbitrary<Ext80> normal(int lo, int hi) {
        return Combinators.combine(Arbitraries.integers().between(lo, hi), Arbitraries.longs(), Arbitraries.of(0, 0x8000))
                .as((e, m, s) -> new Ext80(s | e, m | Ext80.INTEGER_BIT));
    }

    /** Small integers and halves, where rounding and integer conversions matter. */
    static Arbitrary<Ext80> integral() {
        return Combinators.combine(Arbitraries.longs().between(-70000, 70000), Arbitraries.integers().between(0, 2))
                .as((v, half) -> {
                    double d = v / (double) (1 << half);
                    long bits = Double.doubleToRawLongBits(d);
                    if (d == 0) return new Ext80((int) (bits >>> 48 & 0x8000), 0);
                    int e = (int) (bits >>> 52 & 0x7FF) - 1023 + 0x3FFF;
                    return new Ext80((int) (bits >>> 48 & 0x8000) | e, Ext80.INTEGER_BIT | (bits & 0xF_FFFF_FFFF_FFFFL) << 11);
                });
    }

    static Arbitrary<Ext80> value() {
        return Arbitraries.frequencyOf(
                Tuple.of(35, edge()),
                Tuple.of(25, normal(0x3FBF, 0x403F)),
                Tuple.of(10, integral()),
                Tuple.of(10, normal(1, 0x7FFE)),
                Tuple.of(5, Combinators.combine(Arbitraries.longs().between(1, Long.MAX_VALUE), Arbitraries.of(0, 0x8000))
                        .as((m, s) -> new Ext80(s, m >>> (m & 63)))),
                Tuple.of(5, Combinators.combine(Arbitraries.integers().between(0, 0xFFFF), Arbitraries.longs()).as(Ext80::new)),
                Tuple.of(5, normal(0x3FF0, 0x400F)));
    }

    /** 32 bytes of memory operand: a value in one of the x87 memory formats at offset 0. */
    static Arbitrary<byte[]> memory() {
        return Combinators.combine(Arbitraries.integers().between(0, 7), value(), Arbitraries.longs(),
                Arbitraries.integers().between(0, 5)).as((kind, v, bits, small) -> {
                    var b = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN);
                    switch (kind) {
                        case 0 -> b.putInt(0, toFloat(v));
                        case 1 -> b.putLong(0, toDouble(v));
                        case 2 -> b.putLong(0, v.significand()).putShort(8, (short) v.signExp());
                        case 3 -> b.putLong(0, intEdge(bits, small));
                        case 4 -> {                                  // packed BCD, valid digits
                            long digits = 0;
                            long x = Math.floorMod(bits, 1_000_000_000_000_000_000L);
                            for (int k = 0; k < 16; k++) { digits |= (x % 10) << 4 * k; x /= 10; }
                            b.putLong(0, digits).put(8, (byte) (x % 10 | x / 10 % 10 << 4))
                                    .put(9, (byte) (bits < 0 ? 0x80 : 0));
                        }
                        case 5 -> b.putInt(0, Float.floatToRawIntBits((float) v.significand()) ^ (small << 30));
                        default -> b.putLong(0, bits).putLong(8, bits * 31);
                    }
                    return b.array();
                });
    }

    private static long intEdge(long bits, int small) {
        return switch (small) {
            case 0 -> bits;
            case 1 -> (short) bits;
            case 2 -> (int) bits;
            case 3 -> Long.MIN_VALUE + (bits & 3);
            case 4 -> 0x7FFF + (bits & 3) - 1 | (bits < 0 ? 0x8000_0000L : 0);
            default -> (bits & 7) - 3;
        };
    }

    /** The float32 nearest an Ext80 (NaN payloads and signs kept), for m32 operands. */
    static int toFloat(Ext80 v) {
        int sign = v.sign() ? 0x8000_0000 : 0;
        int e = v.exponent();
        long m = v.significand();
        if (e == 0x7FFF) return sign | 0x7F80_0000 | (int) (m >>> 40 & 0x7F_FFFF);
        if (e == 0 && m == 0) return sign;
        int fe = e - 0x3FFF + 127;
        if (fe >= 255) return sign | 0x7F7F_FFFF;
        if (fe <= 0) return sign | (int) (m >>> 41) >>> Math.min(31, 1 - fe);  // a denormal
        return sign | fe << 23 | (int) (m >>> 40 & 0x7F_FFFF);
    }

    static long toDouble(Ext80 v) {
        long sign = v.sign() ? Long.MIN_VALUE : 0;
        int e = v.exponent();
        long m = v.significand();
        if (e == 0x7FFF) return sign | 0x7FF0_0000_0000_0000L | (m >>> 11 & 0xF_FFFF_FFFF_FFFFL);
        if (e == 0 && m == 0) return sign;
        int de = e - 0x3FFF + 1023;
        if (de >= 2047) return sign | 0x7FEF_FFFF_FFFF_FFFFL;
        if (de <= 0) return sign | (m >>> 12) >>> Math.min(63, 1 - de);
        return sign | (long) de << 52 | (m >>> 11 & 0xF_FFFF_FFFF_FFFFL);
    }

    /** A control word: any PC and RC, all exceptions masked, sometimes the obsolete X bit (12). */
    static Arbitrary<Integer> controlWord() {
        return Combinators.combine(Arbitraries.integers().between(0, 3), Arbitraries.integers().between(0, 3),
                Arbitraries.of(0, 0, 0, 0x1000)).as((pc, rc, x) -> 0x037F & ~0x0F00 | pc << 8 | rc << 10 | x);
    }

    /**
     * {@code s} with random exception masks; flags that would then be pending are cleared (SF
     * with IE: the hardware never has SF without IE, and the host counts it in ES).
     */
    static MachineState unmask(MachineState s, int masks) {
        s.fpuControl(s.fpuControl() & ~0x3F | masks);
        int fsw = s.fpuStatus() & ~(0x3F & ~masks);
        if ((fsw & 1) == 0) fsw &= ~0x40;
        return s.fpuStatus(fsw);
    }

    /** Machine states for single-instruction properties. */
    static Arbitrary<MachineState> state() {
        var regs = value().list().ofSize(8);
        var layout = Combinators.combine(Arbitraries.integers().between(0, 7), Arbitraries.integers().between(0, 8),
                Arbitraries.integers().between(0, 255), Arbitraries.integers().between(0, 3));
        var status = Combinators.combine(controlWord(), Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.integers().between(0, 0xFF));
        return Combinators.combine(regs, layout.as(List::of), status.as(List::of), memory(), memory())
                .as((values, lay, st, mem, mem2) -> {
                    var s = MachineState.initial();
                    s.gpr(Reg.RSI, X87Oracle.SCRATCH);
                    int top = lay.get(0), count = lay.get(1), holes = lay.get(2), holeMode = lay.get(3);
                    s.fpuTop(top);
                    for (int k = 0; k < count; k++) {
                        var v = values.get(k);
                        s.push(v.signExp(), v.significand());
                    }
                    // values in the empty slots too (they show after FINCSTP/FFREE and in FXSAVE)
                    int tags = s.fpuTagAbridged();
                    for (int k = count; k < 8; k++) s.st(k, values.get(k).signExp(), values.get(k).significand());
                    if (holeMode == 0) tags &= ~holes;               // empty slots between valid ones
                    s.fpuTagAbridged(tags);
                    s.fpuControl(st.get(0));
                    int flags = st.get(1) & 0x477F;                               // C0-C3 and sticky flags
                    if ((flags & 0x40) != 0) flags |= 1;                          // SF comes with IE
                    s.fpuStatus(s.fpuStatus() & 0x3800 | flags);
                    s.rflags(st.get(2) & 0xD5);
                    s.scratch(0, mem).scratch(0x20, mem2);
                    return s;
                });
    }
}
