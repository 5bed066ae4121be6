package dev.nexa.cpu.fpu;

import static dev.nexa.cpu.fpu.HostX87.code;
import static dev.nexa.cpu.fpu.HostX87.describe;
import static dev.nexa.cpu.fpu.HostX87.st;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * {@link X87Convert} against the host's FLD/FST/FILD/FIST/FISTTP/FBLD/FBSTP, bit for bit, with the
 * status word's exception flags and C1.
 *
 * <p>Default tries are modest; {@code -Dnexa.long=true} runs 100 inputs per try.
 */
class X87ConvertOracleTest {
    private static final int FLAGS = X87Status.EXCEPTIONS | X87Status.C1;

    @Provide
    Arbitrary<List<Ext80>> operands() {
        return Ext80Gen.batch(Ext80Gen.any());
    }

    /** Operands around the integer ranges and float/double exponent ranges. */
    @Provide
    Arbitrary<List<Ext80>> storeOperands() {
        return Ext80Gen.batch(Arbitraries.oneOf(Ext80Gen.any(), Ext80Gen.normal(0x3FFF, 0x4040),
                Ext80Gen.runs(0x3FFF, 0x4040), Ext80Gen.normal(0x3B90, 0x3C10), Ext80Gen.normal(0x3F50, 0x3F90),
                Ext80Gen.runs(0x3B90, 0x3C10), Ext80Gen.runs(0x3F50, 0x3F90), Ext80Gen.normal(0x43F0, 0x4400),
                Ext80Gen.runs(0x4070, 0x4080), Ext80Gen.runs(0x43F0, 0x4400)));
    }

    @Provide
    Arbitrary<Integer> controlWords() {
        return Ext80Gen.controlWords();
    }

    @Provide
    Arbitrary<List<Long>> doubles() {
        return Ext80Gen.batch(Arbitraries.oneOf(Arbitraries.longs(),
                Arbitraries.of(0L, 1L, 0x000F_FFFF_FFFF_FFFFL, 0x0010_0000_0000_0000L, 0x7FF0_0000_0000_0000L,
                        0x7FF8_0000_0000_0000L, 0x7FF0_0000_0000_0001L, 0x7FF7_FFFF_FFFF_FFFFL,
                        0x3FF0_0000_0000_0000L).flatMap(v -> Arbitraries.of(v, v | Long.MIN_VALUE)),
                Arbitraries.longs().between(0, 0x000F_FFFF_FFFF_FFFFL)));
    }

    @Provide
    Arbitrary<List<Integer>> floats() {
        return Ext80Gen.batch(Arbitraries.oneOf(Arbitraries.integers(),
                Arbitraries.of(0, 1, 0x007F_FFFF, 0x0080_0000, 0x7F80_0000, 0x7FC0_0000, 0x7F80_0001, 0x7FBF_FFFF)
                        .flatMap(v -> Arbitraries.of(v, v | Integer.MIN_VALUE)),
                Arbitraries.integers().between(0, 0x007F_FFFF)));
    }

    private static byte[] le(long low, int high) {
        return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(low).putShort((short) high).array();
    }

    @Property(tries = 1000)
    void fldM32(@ForAll("floats") List<Integer> batch) {
        for (int bits : batch) {
            var host = HostX87.run(code("d9 06"), X87Status.DEFAULT_CONTROL, le(bits & 0xFFFF_FFFFL, 0));
            var dst = new Ext80();
            int flags = X87Convert.fromFloat32(bits, dst, X87Status.DEFAULT_CONTROL);
            assertEquals(st(host, 0), dst, Integer.toHexString(bits));
            assertEquals(host.fpuStatus() & FLAGS, flags & FLAGS, Integer.toHexString(bits));
        }
    }

    @Property(tries = 1000)
    void fldM64(@ForAll("doubles") List<Long> batch) {
        for (long bits : batch) {
            var host = HostX87.run(code("dd 06"), X87Status.DEFAULT_CONTROL, le(bits, 0));
            var dst = new Ext80();
            int flags = X87Convert.fromFloat64(bits, dst, X87Status.DEFAULT_CONTROL);
            assertEquals(st(host, 0), dst, Long.toHexString(bits));
            assertEquals(host.fpuStatus() & FLAGS, flags & FLAGS, Long.toHexString(bits));
        }
    }

    @Property(tries = 1000)
    void fildAllWidths(@ForAll long value) {
        var dst = new Ext80();
        X87Convert.fromInt(value, dst);
        assertEquals(st(HostX87.run(code("df 2e"), X87Status.DEFAULT_CONTROL, le(value, 0)), 0), dst, "m64");
        X87Convert.fromInt((int) value, dst);
        assertEquals(st(HostX87.run(code("db 06"), X87Status.DEFAULT_CONTROL, le(value, 0)), 0), dst, "m32");
        X87Convert.fromInt((short) value, dst);
        assertEquals(st(HostX87.run(code("df 06"), X87Status.DEFAULT_CONTROL, le(value, 0)), 0), dst, "m16");
    }

    interface Store {
        int apply(Ext80 src, int cw, MemoryValue dst);
    }

    static void store(String hex, int bytes, Ext80 a, int cw, Store op) {
        var host = HostX87.run(code(hex), cw, null, a);
        var mem = new MemoryValue();
        int flags = op.apply(a, cw, mem);
        String what = hex + " " + describe(cw, a);
        long hostLow = host.scratch().getLong(0);
        int hostHigh = host.scratch().getShort(8) & 0xFFFF;
        long mask = bytes >= 8 ? -1L : (1L << (8 * bytes)) - 1;
        int highMask = bytes == 10 ? 0xFFFF : 0;
        assertEquals(host.fpuStatus() & FLAGS, flags & FLAGS, what + " status");
        assertEquals(Long.toHexString(hostLow & mask), Long.toHexString(mem.low() & mask), what);
        assertEquals(hostHigh & highMask, mem.high() & highMask, what + " high");
    }

    @Property(tries = 2000)
    void fstM32(@ForAll("storeOperands") List<Ext80> batch, @ForAll("controlWords") int cw) {
        for (var a : batch) {
            store("d9 16", 4, a, cw, X87Convert::toFloat32);
        }
    }

    @Property(tries = 2000)
    void fstM64(@ForAll("storeOperands") List<Ext80> batch, @ForAll("controlWords") int cw) {
        for (var a : batch) {
            store("dd 16", 8, a, cw, X87Convert::toFloat64);
        }
    }

    @Property(tries = 2000)
    void fistAllWidths(@ForAll("storeOperands") List<Ext80> batch, @ForAll("controlWords") int cw) {
        for (var a : batch) {
            store("df 16", 2, a, cw, X87Convert::toInt16);
            store("db 16", 4, a, cw, X87Convert::toInt32);
            store("df 3e", 8, a, cw, X87Convert::toInt64);
        }
    }

    @Property(tries = 1000)
    void fisttpAllWidths(@ForAll("storeOperands") List<Ext80> batch, @ForAll("controlWords") int cw) {
        for (var a : batch) {
            store("df 0e", 2, a, cw, (x, c, m) -> X87Convert.toInt(x, c, 16, true, m));
            store("db 0e", 4, a, cw, (x, c, m) -> X87Convert.toInt(x, c, 32, true, m));
            store("dd 0e", 8, a, cw, (x, c, m) -> X87Convert.toInt(x, c, 64, true, m));
        }
    }

    @Property(tries = 2000)
    void fbstp(@ForAll("storeOperands") List<Ext80> batch, @ForAll("controlWords") int cw) {
        for (var a : batch) {
            store("df 36", 10, a, cw, X87Convert::toBcd);
        }
    }

    @Property(tries = 1000)
    void fbld(@ForAll @net.jqwik.api.constraints.LongRange(min = 0, max = 999_999_999_999_999_999L) long value,
            @ForAll boolean negative) {
        long low = 0;
        long v = value;
        for (int i = 0; i < 16; i++) {
            low |= (v % 10) << (4 * i);
            v /= 10;
        }
        int high = (int) (v % 10) | (int) (v / 10) << 4 | (negative ? 0x8000 : 0);
        var host = HostX87.run(code("df 26"), X87Status.DEFAULT_CONTROL, le(low, high));
        var dst = new Ext80();
        X87Convert.fromBcd(low, high, dst);
        assertEquals(st(host, 0), dst, "bcd " + Integer.toHexString(high) + ":" + Long.toHexString(low));
    }

    /** Digits A-F and the unused bits of the sign byte: undefined in the SDM, reproduced anyway. */
    @Property(tries = 500)
    void fbldAnyBits(@ForAll long low, @ForAll short high) {
        var host = HostX87.run(code("df 26"), X87Status.DEFAULT_CONTROL, le(low, high));
        var dst = new Ext80();
        X87Convert.fromBcd(low, high & 0xFFFF, dst);
        assertEquals(st(host, 0), dst, "bcd " + Integer.toHexString(high & 0xFFFF) + ":" + Long.toHexString(low));
    }

    @Property(tries = 300)
    void memory80RoundTripsAnyBits(@ForAll("operands") List<Ext80> batch) {
        for (var a : batch) {
            var host = HostX87.run(code("db 2e db 7e 10"), X87Status.DEFAULT_CONTROL, le(a.significand(), a.signExp()));
            var x = new Ext80();
            X87Convert.fromMemory80(a.significand(), a.signExp(), x);
            var mem = new MemoryValue();
            X87Convert.toMemory80(x, mem);
            assertEquals(host.scratch().getLong(16), mem.low());
            assertEquals(host.scratch().getShort(24) & 0xFFFF, mem.high());
            assertEquals(0, host.fpuStatus() & X87Status.EXCEPTIONS);
        }
    }
}
