package dev.nexa.cpu.sse;

import dev.nexa.cpu.oracle.MachineState;
import dev.nexa.cpu.oracle.NativeExecutor;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.function.BiPredicate;

/**
 * Runs one randomly instantiated row natively and in the emulator from the same state and
 * compares the whole resulting state: GPRs, RFLAGS, XMM0-15, MXCSR, the x87/MMX image, scratch
 * and stack memory. Exceptions stay masked (an unmasked one would kill the JVM natively) and
 * 16-byte memory operands are aligned where the instruction requires it.
 */
final class Oracle {
    private static Emulator emulator;
    private final NativeExecutor host = NativeExecutor.instance();

    private static synchronized Emulator emulator() {
        if (emulator == null) emulator = new Emulator();
        return emulator;
    }

    /** A concrete test case: encoding plus input state. */
    record Case(Row row, byte[] code, MachineState in) {
        @Override
        public String toString() {
            return row.name() + " [" + HexFormat.ofDelimiter(" ").formatHex(code) + "]";
        }
    }

    static Case instantiate(Row row, Random rnd) {
        var g = new Gen(rnd);
        boolean memForm = row.has(Row.MEM_ONLY) || !row.has(Row.REG_ONLY) && row.mem() > 0 && g.chance(40);
        if (row.has(Row.NO_MODRM)) memForm = false;
        int regNum = number(row.reg(), g);
        int rmNum = memForm ? -1 : number(row.rm(), g);
        boolean w = row.has(Row.W_ANY) && g.nextBoolean();
        int imm = g.nextInt(256);
        // Unaligned operands sometimes straddle the end of the scratch page (the stack page follows it).
        int off = row.has(Row.ALIGNED) ? 16 * g.nextInt(255)
                : g.chance(10) ? MachineState.SCRATCH_SIZE - 1 - g.nextInt(15) : g.nextInt(MachineState.SCRATCH_SIZE - 16);

        MachineState in = MachineState.initial();
        for (int r = 0; r < 16; r++) if (r != 4) in.gpr(r, g.gpr());
        if (g.chance(70)) {
            in.gpr(0, g.nextInt(41) - 20);
            in.gpr(2, g.nextInt(41) - 20);
        }
        in.gpr(6, NativeExecutor.SCRATCH_ADDRESS + off);
        in.gpr(7, NativeExecutor.SCRATCH_ADDRESS + g.nextInt(MachineState.SCRATCH_SIZE - 16));
        in.rflags(g.nextLong());
        for (int x = 0; x < 16; x++) in.xmm(x, g.lanes(row.type()), g.lanes(row.type()));
        in.mxcsr(g.mxcsr());
        in.fpuTop(g.nextInt(8)).fpuTagAbridged(g.nextInt(256));
        for (int i = 0; i < 8; i++) in.st(i, g.nextInt(0x10000), g.data());
        // Only the bytes around the operand matter (and MASKMOV* writes at RDI): the rest stays zero.
        int from = off & ~7;
        for (int o = Math.max(0, from - 16); o < Math.min(MachineState.SCRATCH_SIZE, from + 32); o += 8) {
            in.scratch().putLong(o, g.lanes(row.type()));
        }
        boolean fits = rmNum >= 0 || off + 16 <= MachineState.SCRATCH_SIZE;
        if (row.type() != Row.Type.INT && row.reg() == Row.Kind.XMM && row.rm() == Row.Kind.XMM && fits && g.chance(40)) {
            relate(in, row.type(), regNum, rmNum, off, g);
        }
        return new Case(row, row.encode(regNum, rmNum, w, imm), in);
    }

    private static int number(Row.Kind k, Gen g) {
        return switch (k) {
            case XMM -> g.nextInt(16);
            case MMX -> g.nextInt(8);
            case GPR -> {
                int r = g.nextInt(15);
                yield r >= 4 ? r + 1 : r;                // never RSP
            }
            case NONE -> 0;
        };
    }

    /** Makes source elements close relatives of the destination's: equal, negated, a few ulps away, rescaled. */
    private static void relate(MachineState in, Row.Type t, int dst, int src, int off, Gen g) {
        for (int half = 0; half < 2; half++) {
            long d = half == 0 ? in.xmmLow(dst) : in.xmmHigh(dst);
            long s;
            if (t == Row.Type.F64) {
                s = relate64(d, g);
            } else {
                s = relate32((int) d, g) & 0xFFFF_FFFFL | (long) relate32((int) (d >>> 32), g) << 32;
            }
            if (src < 0) {
                in.scratch().putLong(off + 8 * half, s);
            } else if (half == 0) {
                in.xmm(src, s, in.xmmHigh(src));
            } else {
                in.xmm(src, in.xmmLow(src), s);
            }
        }
    }

    private static long relate64(long d, Gen g) {
        return switch (g.nextInt(6)) {
            case 0 -> d;
            case 1 -> d ^ 1L << 63;
            case 2 -> d + g.nextInt(7) - 3;
            case 3 -> (d ^ 1L << 63) + g.nextInt(7) - 3;
            case 4 -> d + ((long) (g.nextInt(121) - 60) << 52);
            default -> g.f64();
        };
    }

    private static int relate32(int d, Gen g) {
        return switch (g.nextInt(6)) {
            case 0 -> d;
            case 1 -> d ^ 1 << 31;
            case 2 -> d + g.nextInt(7) - 3;
            case 3 -> (d ^ 1 << 31) + g.nextInt(7) - 3;
            case 4 -> d + ((g.nextInt(61) - 30) << 23);
            default -> g.f32();
        };
    }

    /** Runs the case both ways; returns a failure report, or null when the states agree. */
    String check(Case k) {
        return check(k, (host, emu) -> false);
    }

    /**
     * Like {@link #check(Case)}, with {@code accept(host, emulator)} deciding about states that
     * differ (for the approximations whose bits are implementation-specific).
     */
    String check(Case k, BiPredicate<MachineState, MachineState> accept) {
        MachineState want = host.run(k.code(), k.in());
        Emulator.Outcome got = emulator().run(k.code(), k.in());
        dev.nexa.cpu.oracle.OracleCoverage.record(k.code());
        if (got.fault() != Emulator.Outcome.NONE) {
            return k + ": emulator raised vector " + got.fault() + "; the host did not\n" + k.in();
        }
        List<String> d = want.differences(got.state());
        if (d.isEmpty() || accept.test(want, got.state())) return null;
        return k + " differs (host != emulator):\n  " + String.join("\n  ", d) + "\ninput:\n" + k.in();
    }
}
