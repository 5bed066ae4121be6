package dev.nexa.cpu.sse;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.nexa.cpu.oracle.MachineState;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * RCPPS/RCPSS/RSQRTPS/RSQRTSS against the host. Their exact bits are implementation-specific
 * (SDM Vol. 2B: only |relative error| <= 1.5 * 2^-12 is architectural), so elements may differ
 * from the host's as long as both are within the bound of each other's true value; special
 * results (NaN, infinity, zero, the flush of tiny results) and everything else in the state must
 * match exactly.
 */
class ApproximationProperties {
    private static final List<Row> ROWS = Cases.approximations();

    private final Oracle oracle = new Oracle();

    @Property
    void approximationsStayWithinTheBound(@ForAll long seed) {
        SseOracleProperties.assumeHost();
        var rnd = new Random(seed);
        Row row = ROWS.get(rnd.nextInt(ROWS.size()));
        String f = oracle.check(Oracle.instantiate(row, rnd), ApproximationProperties::close);
        if (f != null) fail(f);
    }

    private static boolean close(MachineState host, MachineState emu) {
        MachineState merged = host.copy();
        for (int x = 0; x < 16; x++) {
            merged.xmm(x, emu.xmmLow(x), emu.xmmHigh(x));
            for (int lane = 0; lane < 4; lane++) {
                if (!close(lane(host, x, lane), lane(emu, x, lane))) return false;
            }
        }
        return merged.differences(emu).isEmpty();
    }

    private static int lane(MachineState s, int x, int lane) {
        long q = lane < 2 ? s.xmmLow(x) : s.xmmHigh(x);
        return (int) (q >>> (32 * (lane & 1)));
    }

    private static boolean close(int h, int e) {
        if (h == e) return true;
        float fh = Float.intBitsToFloat(h), fe = Float.intBitsToFloat(e);
        if (!Float.isFinite(fh) || !Float.isFinite(fe) || (h ^ e) < 0) return false;
        // Results at the edge of the normal range may be flushed by one and not the other.
        if (fh == 0 || fe == 0) return Math.abs(fh + fe) <= 0x1p-125f;
        return Math.abs(fh - fe) <= 3 * 0x1p-12 * Math.abs(fh);
    }

    private static final Emulator EMU = new Emulator();

    /** The emulator's own results (no host needed) are within 1.5 * 2^-12 of the true value. */
    @Property
    void approximationMeetsTheArchitecturalBound(@ForAll int bits) {
        float x = Float.intBitsToFloat(bits & 0x7FFF_FFFF);
        if (!(x >= Float.MIN_NORMAL && x < 0x1p125f)) return;
        MachineState in = MachineState.initial().xmm(2, Float.floatToRawIntBits(x), 0);
        MachineState out = EMU.run(java.util.HexFormat.of().parseHex("f30f53caf30f52da"), in).state();
        float rcp = Float.intBitsToFloat((int) out.xmmLow(1)), rsqrt = Float.intBitsToFloat((int) out.xmmLow(3));
        double exactRcp = 1 / (double) x, exactRsqrt = 1 / Math.sqrt(x);
        assertTrue(Math.abs(rcp - exactRcp) <= 1.5 * 0x1p-12 * exactRcp, () -> "rcp " + x + " = " + rcp);
        assertTrue(Math.abs(rsqrt - exactRsqrt) <= 1.5 * 0x1p-12 * exactRsqrt, () -> "rsqrt " + x + " = " + rsqrt);
    }
}
