package dev.nexa.cpu.gp;

import dev.nexa.cpu.Fault;
import dev.nexa.cpu.oracle.MachineState;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import java.math.BigInteger;

import static dev.nexa.cpu.gp.Enc.insn;

/**
 * MUL/IMUL (F6/F7 /4 /5, 0F AF, 69, 6B) and DIV/IDIV (F6/F7 /6 /7) against the host. Inputs
 * that raise #DE natively (zero divisor, quotient overflow: a BigInteger model decides) are
 * run on Nexa alone, which must raise #DE with nothing changed.
 */
class MulDivOracleTest extends OracleBase {
    /** MUL/IMUL: SF ZF AF PF undefined (SDM Vol. 2A IMUL, MUL "Flags Affected"). */
    static final long MUL_UNDEFINED = Oracle.SF | Oracle.ZF | Oracle.AF | Oracle.PF;

    @Property
    void multiplications(@ForAll("size") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                         @ForAll @IntRange(max = 15) int r, @ForAll boolean memory, @ForAll boolean rex,
                         @ForAll("value") long imm) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, size);
        MachineState in = s.state();
        int v = size == 1 ? 0 : 1;
        run(insn().size(size).rex(rex).op(0xF6 + v).reg(4).rm(rm), in, MUL_UNDEFINED);
        run(insn().size(size).rex(rex).op(0xF6 + v).reg(5).rm(rm), in, MUL_UNDEFINED);
        if (size != 1) {
            run(insn().size(size).rex(rex).op(0x0F, 0xAF).reg(g).rm(rm), in, MUL_UNDEFINED);
            run(insn().size(size).rex(rex).op(0x69).reg(g).rm(rm).imm(imm, immBytes(size)), in, MUL_UNDEFINED);
            run(insn().size(size).rex(rex).op(0x6B).reg(g).rm(rm).imm(imm, 1), in, MUL_UNDEFINED);
        }
    }

    /**
     * {@code narrow} biases rDX to the extension of rAX, so that most quotients fit; the rest
     * mostly overflow, exercising #DE.
     */
    @Property
    void divisions(@ForAll("size") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int r,
                   @ForAll boolean memory, @ForAll boolean rex, @ForAll boolean narrow, @ForAll boolean signed) {
        var s = new Setup(env);
        if (narrow) {
            // The dividend's high half (AH for bytes, else rDX) repeats the sign of (or is 0 above) the low half.
            long rax = s.regs[0];
            if (size == 1) {
                long ah = signed && (byte) rax < 0 ? 0xFF00 : 0;
                s.regs[0] = (rax & ~0xFF00L) | ah;
            } else {
                s.regs[2] = signed ? MulDiv.signExtension(rax, size) : 0;
            }
        }
        s.pin(0).pin(2);
        Enc.Rm rm = rm(s, memory, r, size);
        MachineState in = s.state();
        long divisor = value(in, rm, env, size, rex);
        var e = insn().size(size).rex(rex).op(size == 1 ? 0xF6 : 0xF7).reg(signed ? 7 : 6).rm(rm);
        byte[] code = e.bytes(CODE);
        if (MulDiv.faults(in.gpr(2), in.gpr(0), divisor, size, signed)) {
            Oracle.expectFault(code, in, Fault.DE);
        } else {
            Oracle.check(code, in, Oracle.ALL);
        }
    }

    /** The r/m operand's value as the instruction reads it (byte registers 4..7 without REX are AH..BH). */
    private static long value(MachineState in, Enc.Rm rm, Setup.Env env, int size, boolean rex) {
        if (rm instanceof Enc.Reg(int n)) {
            if (size == 1 && !rex && n >= 4 && n < 8) return (in.gpr(n - 4) >>> 8) & 0xFF;
            return in.gpr(n) & mask(size);
        }
        return env.memValue() & mask(size);
    }

    static long mask(int size) { return size == 8 ? -1L : (1L << (8 * size)) - 1; }

    /** BigInteger model of #DE for DIV/IDIV. */
    static final class MulDiv {
        static long signExtension(long rax, int size) {
            int shift = 64 - 8 * size;
            return (rax << shift >> shift) >> 63;
        }

        static boolean faults(long rdx, long rax, long divisor, int size, boolean signed) {
            int bits = 8 * size;
            BigInteger lo, hi, d;
            if (size == 1) {
                lo = BigInteger.valueOf(rax & 0xFFFF);
                hi = BigInteger.ZERO;
            } else {
                lo = unsigned(rax & mask(size));
                hi = unsigned(rdx & mask(size)).shiftLeft(bits);
            }
            BigInteger n = hi.or(lo);
            d = unsigned(divisor & mask(size));
            if (d.signum() == 0) return true;
            if (!signed) return n.divide(d).bitLength() > bits;
            n = toSigned(n, 2 * bits);
            d = toSigned(d, bits);
            BigInteger q = n.divide(d);                          // truncates toward zero, as IDIV
            BigInteger min = BigInteger.ONE.shiftLeft(bits - 1).negate();
            BigInteger max = BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE);
            return q.compareTo(min) < 0 || q.compareTo(max) > 0;
        }

        private static BigInteger unsigned(long v) {
            return new BigInteger(Long.toUnsignedString(v));
        }

        private static BigInteger toSigned(BigInteger v, int bits) {
            return v.testBit(bits - 1) ? v.subtract(BigInteger.ONE.shiftLeft(bits)) : v;
        }
    }
}
