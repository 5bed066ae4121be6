package dev.nexa.cpu.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.math.BigInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * Pure-Java checks of {@link X87Arith} against exact rational arithmetic ({@link BigInteger} /
 * {@link BigDecimal}): the operations must return the exact result rounded once, per PC and RC, with
 * PE exactly when the result is inexact. Runs without the host, so it also documents the intended
 * semantics. Operands stay in the normal range (the edge cases are the oracle tests' business).
 */
class X87ArithModelTest {

    /** value = num / den, exact. */
    record Rational(BigInteger num, BigInteger den) {}

    static Rational exact(Ext80 x) {
        BigInteger m = new BigInteger(Long.toUnsignedString(x.significand()));
        int p = x.exponent() - Ext80.BIAS - 63;
        if (x.sign()) {
            m = m.negate();
        }
        return p >= 0 ? new Rational(m.shiftLeft(p), BigInteger.ONE) : new Rational(m, BigInteger.ONE.shiftLeft(-p));
    }

    /** Reference rounding of a nonzero rational to {@code precision} bits per RC; returns PE in flags[0]. */
    static Ext80 round(BigInteger num, BigInteger den, int precision, int rc, int[] flags) {
        boolean neg = num.signum() * den.signum() < 0;
        num = num.abs();
        den = den.abs();
        int s = precision - 1 - (num.bitLength() - den.bitLength());
        BigInteger[] qr;
        while (true) {
            qr = (s >= 0 ? num.shiftLeft(s) : num).divideAndRemainder(s >= 0 ? den : den.shiftLeft(-s));
            if (qr[0].bitLength() > precision) {
                s--;
            } else if (qr[0].bitLength() < precision) {
                s++;
            } else {
                break;
            }
        }
        BigInteger q = qr[0];
        BigInteger r = qr[1];
        BigInteger d = s >= 0 ? den : den.shiftLeft(-s);
        flags[0] = r.signum() != 0 ? X87Status.PE : 0;
        boolean up = switch (rc) {
            case X87Status.RC_NEAREST -> {
                int c = r.shiftLeft(1).compareTo(d);
                yield c > 0 || c == 0 && q.testBit(0);
            }
            case X87Status.RC_DOWN -> neg && r.signum() != 0;
            case X87Status.RC_UP -> !neg && r.signum() != 0;
            default -> false;
        };
        if (up) {
            q = q.add(BigInteger.ONE);
            if (q.bitLength() > precision) {
                q = q.shiftRight(1);
                s--;
            }
        }
        long sig = q.shiftLeft(64 - precision).longValue();
        int exp = Ext80.BIAS + precision - 1 - s;
        return new Ext80((neg ? 0x8000 : 0) | exp, sig);
    }

    @Provide
    Arbitrary<Ext80> operand() {
        return Ext80Gen.normal(0x3F00, 0x4100);
    }

    @Provide
    Arbitrary<Integer> pc() {
        return Arbitraries.of(X87Status.PC_24, X87Status.PC_53, X87Status.PC_64);
    }

    interface Op {
        int apply(Ext80 a, Ext80 b, Ext80 dst, int cw);
    }

    private static void check(Ext80 a, Ext80 b, int pc, int rc, Op op, BigInteger num, BigInteger den) {
        int cw = X87Status.controlWord(pc, rc);
        var dst = new Ext80();
        int flags = op.apply(a, b, dst, cw);
        if (num.signum() == 0) {
            assertEquals(0, dst.significand(), "zero");
            return;
        }
        int[] pe = new int[1];
        var expected = round(num, den, Round80.precisionBits(cw), rc, pe);
        assertEquals(expected, dst, a + " " + b + " cw=" + Integer.toHexString(cw));
        assertEquals(pe[0], flags & X87Status.EXCEPTIONS, "PE only when inexact");
    }

    @Property(tries = 1000)
    void addMatchesExactSum(@ForAll("operand") Ext80 a, @ForAll("operand") Ext80 b, @ForAll("pc") int pc,
            @ForAll @IntRange(min = 0, max = 3) int rc) {
        var x = exact(a);
        var y = exact(b);
        check(a, b, pc, rc, X87Arith::add, x.num().multiply(y.den()).add(y.num().multiply(x.den())),
                x.den().multiply(y.den()));
    }

    @Property(tries = 1000)
    void subMatchesExactDifference(@ForAll("operand") Ext80 a, @ForAll("operand") Ext80 b, @ForAll("pc") int pc,
            @ForAll @IntRange(min = 0, max = 3) int rc) {
        var x = exact(a);
        var y = exact(b);
        check(a, b, pc, rc, X87Arith::sub, x.num().multiply(y.den()).subtract(y.num().multiply(x.den())),
                x.den().multiply(y.den()));
    }

    @Property(tries = 1000)
    void mulMatchesExactProduct(@ForAll("operand") Ext80 a, @ForAll("operand") Ext80 b, @ForAll("pc") int pc,
            @ForAll @IntRange(min = 0, max = 3) int rc) {
        var x = exact(a);
        var y = exact(b);
        check(a, b, pc, rc, X87Arith::mul, x.num().multiply(y.num()), x.den().multiply(y.den()));
    }

    @Property(tries = 1000)
    void divMatchesExactQuotient(@ForAll("operand") Ext80 a, @ForAll("operand") Ext80 b, @ForAll("pc") int pc,
            @ForAll @IntRange(min = 0, max = 3) int rc) {
        var x = exact(a);
        var y = exact(b);
        check(a, b, pc, rc, X87Arith::div, x.num().multiply(y.den()), x.den().multiply(y.num()));
    }

    @Property(tries = 1000)
    void sqrtIsTheRoundedRoot(@ForAll("operand") Ext80 a, @ForAll @IntRange(min = 0, max = 3) int rc) {
        var abs = new Ext80(a.signExp() & 0x7FFF, a.significand());
        var dst = new Ext80();
        int flags = X87Arith.sqrt(abs, dst, X87Status.controlWord(X87Status.PC_64, rc));
        // r is the rounded root iff r⁻ < √a < r⁺ bracket it correctly: check with squares of neighbours
        BigDecimal value = BigMath.toBig(abs);
        BigDecimal r = BigMath.toBig(dst);
        BigDecimal ulp = BigMath.toBig(new Ext80(dst.exponent() - 63, Ext80.INTEGER_BIT));
        BigDecimal below = r.subtract(ulp);
        BigDecimal above = r.add(ulp);
        int exactness = r.multiply(r).compareTo(value);
        assertEquals(exactness != 0, (flags & X87Status.PE) != 0, "PE iff inexact: " + a);
        switch (rc) {
            case X87Status.RC_NEAREST -> {
                BigDecimal lo = below.add(r).divide(BigDecimal.valueOf(2));
                BigDecimal hi = above.add(r).divide(BigDecimal.valueOf(2));
                assertEquals(true, lo.multiply(lo).compareTo(value) <= 0 && hi.multiply(hi).compareTo(value) >= 0, a.toString());
            }
            case X87Status.RC_DOWN, X87Status.RC_ZERO ->
                assertEquals(true, exactness <= 0 && above.multiply(above).compareTo(value) > 0, a.toString());
            default -> assertEquals(true, exactness >= 0 && below.multiply(below).compareTo(value) < 0, a.toString());
        }
    }

    @Test
    void exactlyRepresentableCases() {
        var dst = new Ext80();
        var one = new Ext80(0x3FFF, Ext80.INTEGER_BIT);
        var three = new Ext80(0x4000, 0xC000_0000_0000_0000L);
        assertEquals(0, X87Arith.add(one, three, dst, X87Status.DEFAULT_CONTROL));
        assertEquals(new Ext80(0x4001, Ext80.INTEGER_BIT), dst); // 4
        assertEquals(X87Status.PE | X87Status.C1, X87Arith.div(one, three, dst, X87Status.DEFAULT_CONTROL));
        assertEquals(new Ext80(0x3FFD, 0xAAAA_AAAA_AAAA_AAABL), dst); // 1/3 rounded up
        assertEquals(X87Status.PE, X87Arith.div(one, three, dst, X87Status.controlWord(X87Status.PC_64,
                X87Status.RC_ZERO)));
        assertEquals(new Ext80(0x3FFD, 0xAAAA_AAAA_AAAA_AAAAL), dst);
        // 1/3 in double precision (PC = 53): the x87 rounds the significand, not the exponent range
        X87Arith.div(one, three, dst, X87Status.controlWord(X87Status.PC_53, X87Status.RC_NEAREST));
        assertEquals(0x15_5555_5555_5555L, dst.significand() >>> 11, "the double nearest 1/3");
        assertEquals(0, dst.significand() & 0x7FF, "low 11 bits cleared");
        assertEquals(0x3FFD, dst.signExp());
        assertEquals(0, X87Arith.sqrt(new Ext80(0x4002, 0x9000_0000_0000_0000L), dst, X87Status.DEFAULT_CONTROL));
        assertEquals(new Ext80(0x4000, 0xC000_0000_0000_0000L), dst, "√9 = 3 exactly");
    }
}
