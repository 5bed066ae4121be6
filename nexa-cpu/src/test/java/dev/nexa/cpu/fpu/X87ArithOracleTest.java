package dev.nexa.cpu.fpu;

import static dev.nexa.cpu.fpu.HostX87.code;
import static dev.nexa.cpu.fpu.HostX87.describe;
import static dev.nexa.cpu.fpu.HostX87.st;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link X87Arith} against the host x87, bit for bit (result register and the status word's
 * exception flags and condition codes), under every precision and rounding control.
 *
 * <p>Default tries are modest; {@code -Dnexa.long=true} runs 100 inputs per try (see
 * {@link Ext80Gen#BATCH}).
 */
class X87ArithOracleTest {
    private static final int ARITH_FLAGS = X87Status.EXCEPTIONS | X87Status.C1;
    private static final int ALL_FLAGS = X87Status.EXCEPTIONS | X87Status.CONDITION_CODES;

    interface BinaryOp {
        int apply(Ext80 a, Ext80 b, Ext80 dst, int cw);
    }

    interface UnaryOp {
        int apply(Ext80 a, Ext80 dst, int cw);
    }

    @Provide
    Arbitrary<List<Ext80[]>> pairs() {
        return Ext80Gen.batch(Ext80Gen.pairs());
    }

    @Provide
    Arbitrary<List<Ext80>> operands() {
        return Ext80Gen.batch(Ext80Gen.any());
    }

    @Provide
    Arbitrary<Integer> controlWords() {
        return Ext80Gen.controlWords();
    }

    /** ST(0) = a, ST(1) = b, run {@code hex}, compare ST(0) and the flags in {@code mask}. */
    static void binary(String hex, Ext80 a, Ext80 b, int cw, BinaryOp op, int mask) {
        var host = HostX87.run(code(hex), cw, null, a, b);
        var dst = new Ext80();
        int flags = op.apply(a, b, dst, cw);
        String what = hex + " " + describe(cw, a, b);
        assertEquals(st(host, 0), dst, what);
        assertEquals(host.fpuStatus() & mask, flags & mask, what + " status");
    }

    static void unary(String hex, Ext80 a, int cw, UnaryOp op, int mask) {
        var host = HostX87.run(code(hex), cw, null, a);
        var dst = new Ext80();
        int flags = op.apply(a, dst, cw);
        String what = hex + " " + describe(cw, a);
        assertEquals(st(host, 0), dst, what);
        assertEquals(host.fpuStatus() & mask, flags & mask, what + " status");
    }

    @Property(tries = 2000)
    void fadd(@ForAll("pairs") List<Ext80[]> batch, @ForAll("controlWords") int cw) {
        for (var p : batch) {
            binary("d8 c1", p[0], p[1], cw, X87Arith::add, ARITH_FLAGS); // fadd st, st(1)
        }
    }

    @Property(tries = 2000)
    void fsub(@ForAll("pairs") List<Ext80[]> batch, @ForAll("controlWords") int cw) {
        for (var p : batch) {
            binary("d8 e1", p[0], p[1], cw, X87Arith::sub, ARITH_FLAGS); // fsub st, st(1)
        }
    }

    /** The sequence of the brief, through memory: fld; fld; faddp; fnstsw; fstp. */
    @Property(tries = 500)
    void faddThroughMemory(@ForAll("pairs") List<Ext80[]> batch, @ForAll("controlWords") int cw) {
        for (var p : batch) {
            var mem = java.nio.ByteBuffer.allocate(32).order(java.nio.ByteOrder.LITTLE_ENDIAN)
                    .putLong(0, p[0].significand()).putShort(8, (short) p[0].signExp())
                    .putLong(16, p[1].significand()).putShort(24, (short) p[1].signExp()).array();
            // fld tbyte [rsi]; fld tbyte [rsi+16]; faddp st(1), st; fnstsw ax; fstp tbyte [rsi+32]
            var host = HostX87.run(code("db 2e  db 6e 10  de c1  df e0  db 7e 20"), cw, mem);
            var dst = new Ext80();
            int flags = X87Arith.add(p[0], p[1], dst, cw);
            var result = new Ext80(host.scratch().getShort(40), host.scratch().getLong(32));
            assertEquals(result, dst, describe(cw, p));
            assertEquals(host.gpr(dev.nexa.cpu.oracle.MachineState.Gpr.RAX) & ARITH_FLAGS, flags & ARITH_FLAGS,
                    describe(cw, p));
        }
    }

    @Property(tries = 500)
    void fsubr(@ForAll("pairs") List<Ext80[]> batch, @ForAll("controlWords") int cw) {
        for (var p : batch) {
            // fsubr st, st(1): st(1) - st(0)
            binary("d8 e9", p[0], p[1], cw, (a, b, d, c) -> X87Arith.sub(b, a, d, c), ARITH_FLAGS);
        }
    }

    @Property(tries = 2000)
    void fmul(@ForAll("pairs") List<Ext80[]> batch, @ForAll("controlWords") int cw) {
        for (var p : batch) {
            binary("d8 c9", p[0], p[1], cw, X87Arith::mul, ARITH_FLAGS); // fmul st, st(1)
        }
    }

    @Property(tries = 2000)
    void fdiv(@ForAll("pairs") List<Ext80[]> batch, @ForAll("controlWords") int cw) {
        for (var p : batch) {
            binary("d8 f1", p[0], p[1], cw, X87Arith::div, ARITH_FLAGS); // fdiv st, st(1)
        }
    }

    @Property(tries = 500)
    void fdivr(@ForAll("pairs") List<Ext80[]> batch, @ForAll("controlWords") int cw) {
        for (var p : batch) {
            binary("d8 f9", p[0], p[1], cw, (a, b, d, c) -> X87Arith.div(b, a, d, c), ARITH_FLAGS);
        }
    }

    @Property(tries = 2000)
    void fsqrt(@ForAll("operands") List<Ext80> batch, @ForAll("controlWords") int cw) {
        for (var a : batch) {
            unary("d9 fa", a, cw, X87Arith::sqrt, ARITH_FLAGS);
        }
    }

    @Property(tries = 2000)
    void frndint(@ForAll("operands") List<Ext80> batch, @ForAll("controlWords") int cw) {
        for (var a : batch) {
            unary("d9 fc", a, cw, X87Arith::roundToInteger, ARITH_FLAGS);
        }
    }

    @Property(tries = 2000)
    void fcomAndFucom(@ForAll("pairs") List<Ext80[]> batch, @ForAll("controlWords") int cw) {
        int mask = X87Status.EXCEPTIONS | X87Status.C0 | X87Status.C2 | X87Status.C3;
        for (var p : batch) {
            for (boolean unordered : new boolean[] {false, true}) {
                var host = HostX87.run(code(unordered ? "dd e1" : "d8 d1"), cw, null, p[0], p[1]);
                int flags = X87Arith.compare(p[0], p[1], cw, unordered);
                assertEquals(host.fpuStatus() & mask, flags & mask, describe(cw, p) + " unordered=" + unordered);
            }
        }
    }

    @Property(tries = 1000)
    void fcomiAndFucomi(@ForAll("pairs") List<Ext80[]> batch, @ForAll("controlWords") int cw) {
        for (var p : batch) {
            for (boolean unordered : new boolean[] {false, true}) {
                var host = HostX87.run(code(unordered ? "db e9" : "db f1"), cw, null, p[0], p[1]);
                int flags = X87Arith.compare(p[0], p[1], cw, unordered);
                assertEquals(host.rflags() & 0x45, X87Status.toEflags(flags), describe(cw, p));
                assertEquals(host.fpuStatus() & X87Status.EXCEPTIONS, flags & X87Status.EXCEPTIONS, describe(cw, p));
            }
        }
    }

    @Property(tries = 1000)
    void ftstAndFxam(@ForAll("operands") List<Ext80> batch, @ForAll("controlWords") int cw) {
        int mask = X87Status.EXCEPTIONS | X87Status.C0 | X87Status.C2 | X87Status.C3;
        for (var a : batch) {
            var host = HostX87.run(code("d9 e4"), cw, null, a);
            assertEquals(host.fpuStatus() & mask, X87Arith.test(a, cw) & mask, "ftst " + a);
            host = HostX87.run(code("d9 e5"), cw, null, a);
            assertEquals(host.fpuStatus() & ALL_FLAGS, X87Arith.examine(a), "fxam " + a);
        }
    }

    @Property(tries = 2000)
    void fpremAndFprem1(@ForAll("pairs") List<Ext80[]> batch, @ForAll("controlWords") int cw) {
        for (var p : batch) {
            binary("d9 f8", p[0], p[1], cw, (a, b, d, c) -> X87Arith.remainder(a, b, d, c, false), ALL_FLAGS);
            binary("d9 f5", p[0], p[1], cw, (a, b, d, c) -> X87Arith.remainder(a, b, d, c, true), ALL_FLAGS);
        }
    }

    @Property(tries = 2000)
    void fscale(@ForAll("pairs") List<Ext80[]> batch, @ForAll("controlWords") int cw) {
        for (var p : batch) {
            binary("d9 fd", p[0], p[1], cw, X87Arith::scale, ARITH_FLAGS);
        }
    }

    @Property(tries = 1000)
    void fscaleWithSmallIntegers(@ForAll("operands") List<Ext80> batch, @ForAll("controlWords") int cw,
            @ForAll @net.jqwik.api.constraints.IntRange(min = -33000, max = 33000) int n) {
        var scale = new Ext80();
        X87Convert.fromInt(n, scale);
        for (var a : batch) {
            binary("d9 fd", a, scale, cw, X87Arith::scale, ARITH_FLAGS);
        }
    }

    @Property(tries = 1000)
    void fxtract(@ForAll("operands") List<Ext80> batch, @ForAll("controlWords") int cw) {
        for (var a : batch) {
            var host = HostX87.run(code("d9 f4"), cw, null, a);
            var exp = new Ext80();
            var sig = new Ext80();
            int flags = X87Arith.extract(a, exp, sig, cw);
            assertEquals(st(host, 0), sig, "significand of " + a);
            assertEquals(st(host, 1), exp, "exponent of " + a);
            assertEquals(host.fpuStatus() & ARITH_FLAGS, flags & ARITH_FLAGS, "flags of " + a);
        }
    }

    // ------------------------------------------------ unmasked exceptions

    @Provide
    Arbitrary<Integer> unmaskingControlWords() {
        return net.jqwik.api.Combinators.combine(Ext80Gen.controlWords(),
                net.jqwik.api.Arbitraries.integers().between(1, 0x3F)).as((cw, unmask) -> cw & ~unmask);
    }

    /**
     * With exceptions unmasked the host keeps ST(0) for IE/DE/ZE and delivers the exponent-adjusted
     * result for OE/UE (the #MF itself stays pending: the oracle ends right after the instruction).
     */
    @Property(tries = 2000)
    void unmaskedResponses(@ForAll("pairs") List<Ext80[]> batch, @ForAll("unmaskingControlWords") int cw) {
        String[] codes = {"d8 c1", "d8 e1", "d8 c9", "d8 f1", "d9 fd", "d9 f8", "d9 fa", "d9 fc"};
        BinaryOp[] ops = {X87Arith::add, X87Arith::sub, X87Arith::mul, X87Arith::div, X87Arith::scale,
            (a, b, d, c) -> X87Arith.remainder(a, b, d, c, false), (a, b, d, c) -> X87Arith.sqrt(a, d, c),
            (a, b, d, c) -> X87Arith.roundToInteger(a, d, c)};
        for (var p : batch) {
            for (int i = 0; i < codes.length; i++) {
                var s = dev.nexa.cpu.oracle.MachineState.initial().fpuControl(cw)
                        .push(p[1].signExp(), p[1].significand()).push(p[0].signExp(), p[0].significand());
                var host = dev.nexa.cpu.oracle.NativeExecutor.instance().runAllowingUnmaskedX87(code(codes[i]), s);
                var dst = new Ext80(p[0].signExp(), p[0].significand()); // untouched unless written
                int flags = ops[i].apply(p[0], p[1], dst, cw);
                String what = codes[i] + " " + describe(cw, p);
                assertEquals(st(host, 0), dst, what);
                int mask = i == 5 ? ALL_FLAGS : ARITH_FLAGS;
                assertEquals(host.fpuStatus() & mask, flags & mask, what + " status");
            }
        }
    }
}
