package dev.nexa.cpu.fpu;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** FLD1/FLDL2T/FLDL2E/FLDPI/FLDLG2/FLDLN2/FLDZ against the host under every RC and PC. */
class X87ConstantsTest {
    private static final String[] OPCODES = {"d9 e8", "d9 e9", "d9 ea", "d9 eb", "d9 ec", "d9 ed", "d9 ee"};

    @Test
    void everyConstantInEveryModeMatchesTheHost() {
        var constants = X87Constants.values();
        for (int i = 0; i < constants.length; i++) {
            for (int pc = 0; pc < 4; pc++) {
                for (int rc = 0; rc < 4; rc++) {
                    int cw = X87Status.controlWord(pc, rc);
                    var host = HostX87.run(HostX87.code(OPCODES[i]), cw, null);
                    var dst = new Ext80();
                    int flags = constants[i].load(cw, dst);
                    assertEquals(HostX87.st(host, 0), dst, constants[i] + " cw=" + Integer.toHexString(cw));
                    assertEquals(host.fpuStatus() & (X87Status.EXCEPTIONS | X87Status.C1), flags, constants[i] + " flags");
                }
            }
        }
    }

    @Test
    void roundToNearestValuesAreTheDocumentedOnes() {
        var x = new Ext80();
        X87Constants.PI.load(X87Status.DEFAULT_CONTROL, x);
        assertEquals(new Ext80(0x4000, 0xC90F_DAA2_2168_C235L), x);
        X87Constants.L2T.load(X87Status.DEFAULT_CONTROL, x);
        assertEquals(new Ext80(0x4000, 0xD49A_784B_CD1B_8AFEL), x);
        X87Constants.LG2.load(X87Status.DEFAULT_CONTROL, x);
        assertEquals(new Ext80(0x3FFD, 0x9A20_9A84_FBCF_F799L), x);
    }
}
