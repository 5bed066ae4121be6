package dev.nexa.cpu.x87;

import dev.nexa.cpu.oracle.MachineState;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * FXSAVE/FXRSTOR (and the REX.W forms) against the host: the 416 bytes FXSAVE writes, and the
 * state FXRSTOR loads from an image of random contents (valid MXCSR). The AMD host stores
 * FIP/FDP/FOP only while an exception is pending and restores them only then, so those fields
 * are compared only in that case (the emulator always stores them, as Intel CPUs do).
 */
class FxSaveOracleTest {
    private static final int AREA = 0x200;

    @Provide
    Arbitrary<MachineState> states() {
        return Combinators.combine(X87Gen.state(), Arbitraries.integers().between(0, 0xFFFF),
                Arbitraries.longs().array(long[].class).ofSize(32)).as((s, mx, xmm) -> {
                    s.mxcsr(mx & 0xFFFF | 0x1F80);
                    for (int n = 0; n < 16; n++) s.xmm(n, xmm[2 * n], xmm[2 * n + 1]);
                    return s;
                });
    }

    @Property(edgeCases = EdgeCasesMode.NONE)
    void fxsave(@ForAll("states") MachineState s, @ForAll boolean wide) {
        byte[] code = X87Oracle.hex((wide ? "48 " : "") + "0f ae 86 00 02 00 00");   // fxsave [rsi+0x200]
        check("fxsave" + (wide ? "64" : ""), code, s, (host, x) -> {
            if ((host.fpuStatus() & 0x80) == 0) {
                x.scratch(AREA + 6, new byte[18]);
            }
            x.scratch(AREA + 28, new byte[4]);        // MXCSR_MASK: the AMD host adds bit 17 (MM)
        });
    }

    @Property(edgeCases = EdgeCasesMode.NONE)
    void fxrstor(@ForAll("states") MachineState s, @ForAll("states") MachineState image, @ForAll boolean wide,
            @ForAll long fip, @ForAll long fdp, @ForAll short fop) {
        byte[] b = image.fxsaveImage();
        for (int k = 0; k < 8; k++) {
            b[8 + k] = (byte) (fip >>> 8 * k);
            b[16 + k] = (byte) (fdp >>> 8 * k);
        }
        b[6] = (byte) fop;
        b[7] = (byte) (fop >> 8 & 7);
        s.scratch(0, b);
        byte[] code = X87Oracle.hex((wide ? "48 " : "") + "0f ae 0e");                 // fxrstor [rsi]
        check("fxrstor" + (wide ? "64" : ""), code, s, (host, x) -> {
            if ((host.fpuStatus() & 0x80) == 0) {
                x.scratch(X87Oracle.ENV + 12, new byte[12]);                       // FIP, FCS/FOP, FDP
            }
        });
    }

    private static void check(String what, byte[] code, MachineState s, X87Oracle.Mask mask) {
        List<String> d = X87Oracle.compare(code, s, 0, false, false, mask);
        if (!d.isEmpty()) throw new AssertionError(what + ": " + d + "\ninput:\n" + s);
    }
}
