package dev.nexa.cpu.fpu.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.nexa.cpu.fpu.Ext80;
import dev.nexa.cpu.fpu.X87Status;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The host-FPU path is really taken on an x86-64 host (else the oracle properties would quietly
 * measure the soft fallback), and the stubs leave the host's x87 control word alone (SysV ABI).
 * The bit-exact comparisons with the host are the x87 oracle properties'.
 */
class HostX87Test {
    private static boolean x86() {
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        return arch.equals("amd64") || arch.equals("x86_64");
    }

    @Test
    void enabledOnX86HostsUnlessForcedSoft() {
        assumeTrue(x86(), "not an x86-64 host");
        assertEquals(!Boolean.getBoolean("nexa.x87.soft"), HostX87.ENABLED, HostX87.unavailableReason());
    }

    @Test
    void unmaskedInvalidLeavesTheDestinationAndReportsIe() {
        assumeTrue(HostX87.ENABLED);
        var inf = new Ext80(0x7FFF, Ext80.INTEGER_BIT);
        var dst = new Ext80(0x3FFF, Ext80.INTEGER_BIT);
        int flags = HostX87.sin(inf, dst, X87Status.DEFAULT_CONTROL & ~X87Status.IE);
        assertEquals(X87Status.IE, flags & X87Status.EXCEPTIONS);
        assertEquals(new Ext80(0x3FFF, Ext80.INTEGER_BIT), dst);
        flags = HostX87.sin(inf, dst, X87Status.DEFAULT_CONTROL);
        assertEquals(new Ext80(0xFFFF, Ext80.INDEFINITE_SIGNIFICAND), dst, "masked: the real indefinite");
    }

    @Test
    void outOfRangeSetsC2AndWritesNothing() {
        assumeTrue(HostX87.ENABLED);
        var x = new Ext80(0x403E, Ext80.INTEGER_BIT);                 // 2^63
        var a = new Ext80(0, 0);
        var b = new Ext80(0, 0);
        int flags = HostX87.tan(x, a, b, X87Status.DEFAULT_CONTROL);
        assertTrue((flags & X87Status.C2) != 0);
        assertEquals(new Ext80(0, 0), a);
        assertEquals(new Ext80(0, 0), b);
    }

    @Test
    void repeatedCallsAreStable() {
        assumeTrue(HostX87.ENABLED);
        var x = new Ext80(0x3FFE, 0xB17217F7D1CF79ACL);
        var first = new Ext80();
        int f1 = HostX87.exp2m1(x, first, X87Status.DEFAULT_CONTROL);
        for (int k = 0; k < 1000; k++) {
            var again = new Ext80();
            assertEquals(f1, HostX87.exp2m1(x, again, X87Status.DEFAULT_CONTROL));
            assertEquals(first, again);
        }
    }
}
