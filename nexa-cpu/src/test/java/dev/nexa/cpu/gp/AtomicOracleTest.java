package dev.nexa.cpu.gp;

import dev.nexa.cpu.Fault;
import dev.nexa.cpu.oracle.MachineState;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static dev.nexa.cpu.gp.Enc.insn;

/**
 * XADD (0F C0/C1), CMPXCHG (0F B0/B1) and CMPXCHG8B/16B (0F C7 /1) against the host, with and
 * without LOCK; the comparisons succeed about half of the time.
 */
class AtomicOracleTest extends OracleBase {
    @Property
    void exchangeAndAdd(@ForAll("size") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                        @ForAll @IntRange(max = 15) int r, @ForAll boolean memory, @ForAll boolean rex,
                        @ForAll boolean lock) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, size);
        var e = insn().size(size).rex(rex).op(0x0F, size == 1 ? 0xC0 : 0xC1).reg(g).rm(rm);
        if (memory && lock) e.prefix(0xF0);
        check(e, s, 0);
    }

    @Property
    void compareExchange(@ForAll("size") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                         @ForAll @IntRange(max = 15) int r, @ForAll boolean memory, @ForAll boolean rex,
                         @ForAll boolean lock, @ForAll boolean equal) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, size);
        if (equal && !s.pinned[0]) {
            // The accumulator matches the destination (upper bits keep their garbage).
            long dst;
            if (rm instanceof Enc.Reg(int n)) {
                dst = size == 1 && !rex && n >= 4 && n < 8 ? s.regs[n - 4] >>> 8 : s.regs[n];
            } else {
                dst = env.memValue();
            }
            long m = size == 8 ? -1L : (1L << (8 * size)) - 1;
            s.regs[0] = (s.regs[0] & ~m) | (dst & m);
        }
        var e = insn().size(size).rex(rex).op(0x0F, size == 1 ? 0xB0 : 0xB1).reg(g).rm(rm);
        if (memory && lock) e.prefix(0xF0);
        check(e, s, 0);
    }

    @Property
    void compareExchangeWide(@ForAll("env") Setup.Env env, @ForAll boolean wide, @ForAll boolean lock,
                             @ForAll boolean equal, @ForAll("value") long high) {
        var s = new Setup(env);
        s.pin(0).pin(1).pin(2).pin(3);
        int offset = Math.min(env.offset(), 4096 + 2048) & ~15;
        long lo = env.memValue();
        s.poke(offset, lo, 8).poke(offset + 8, high, 8);
        if (equal) {
            if (wide) {
                s.regs[0] = lo;
                s.regs[2] = high;
            } else {
                s.regs[0] = (s.regs[0] & ~0xFFFF_FFFFL) | (lo & 0xFFFF_FFFFL);
                s.regs[2] = (s.regs[2] & ~0xFFFF_FFFFL) | (lo >>> 32);
            }
        }
        Enc.Rm m = s.mem(env.mem(), s.address(offset));
        var e = insn().size(wide ? 8 : 4).op(0x0F, 0xC7).reg(1).rm(m);
        if (lock) e.prefix(0xF0);
        check(e, s, 0);
    }

    /** CMPXCHG16B on an operand that is not 16-byte aligned: #GP(0), nothing changed. */
    @Property(tries = 30)
    void compareExchange16bNeedsAlignment(@ForAll("env") Setup.Env env, @ForAll @IntRange(min = 1, max = 15) int misalign) {
        var s = new Setup(env);
        s.pin(0).pin(1).pin(2).pin(3);
        int offset = (Math.min(env.offset(), 4096) & ~15) + misalign;
        Enc.Rm m = s.mem(env.mem(), s.address(offset));
        byte[] code = insn().size(8).op(0x0F, 0xC7).reg(1).rm(m).bytes(CODE);
        Oracle.expectFault(code, s.state(), Fault.GP);
    }
}
