package dev.nexa.cpu.gp;

import dev.nexa.cpu.Fault;
import dev.nexa.cpu.oracle.MachineState;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

import static dev.nexa.cpu.gp.Enc.insn;

/**
 * The VEX-encoded BMI1/BMI2 rows (ANDN, BLSR/BLSMSK/BLSI, BZHI, PEXT, PDEP, MULX, BEXTR,
 * SHLX/SARX/SHRX, RORX), ADCX/ADOX and CRC32 against the host, 32- and 64-bit, register and
 * memory sources.
 */
class BmiOracleTest extends OracleBase {
    /** AF and PF undefined for every flag-writing BMI instruction; BEXTR leaves SF undefined too. */
    static final long AF_PF = Oracle.AF | Oracle.PF;

    /** One VEX.0F38 (map 2) instruction: reg, vvvv, r/m. */
    private static Enc vex(int pp, int opcode, int size, int reg, int vvvv, Enc.Rm rm, boolean longForm) {
        return insn().vex(2, pp, size == 8, 0, vvvv, longForm).op(opcode).reg(reg).rm(rm);
    }

    @Property
    void bmi(@ForAll("wsize") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
             @ForAll @IntRange(max = 15) int v,
             @ForAll @IntRange(max = 15) int r, @ForAll boolean memory, @ForAll("value") long imm) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, size);
        MachineState in = s.state();
        run(vex(0, 0xF2, size, g, v, rm, false), in, AF_PF);                          // ANDN
        for (int digit = 1; digit <= 3; digit++) run(vex(0, 0xF3, size, digit, v, rm, false), in, AF_PF); // BLS*
        run(vex(0, 0xF5, size, g, v, rm, false), in, AF_PF);                          // BZHI
        run(vex(2, 0xF5, size, g, v, rm, false), in, 0);                              // PEXT
        run(vex(3, 0xF5, size, g, v, rm, false), in, 0);                              // PDEP
        run(vex(3, 0xF6, size, g, v, rm, false), in, 0);                              // MULX
        run(vex(0, 0xF7, size, g, v, rm, false), in, AF_PF | Oracle.SF);              // BEXTR
        for (int pp = 1; pp <= 3; pp++) run(vex(pp, 0xF7, size, g, v, rm, false), in, 0); // SHLX SARX SHRX
        run(insn().vex(3, 3, size == 8, 0, 0, false).op(0xF0).reg(g).rm(rm).imm(imm, 1), in, 0); // RORX
    }

    /** BEXTR/BZHI controls: start and length (or index) in the low bytes, around the width. */
    @Property
    void bitFieldControls(@ForAll("wsize") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 80) int start,
                          @ForAll @IntRange(max = 80) int len, @ForAll @IntRange(max = 15) int g,
                          @ForAll @IntRange(max = 15) int r) {
        var s = new Setup(env);
        int v = s.free(g + 1);
        s.pin(v, (s.regs[v] & ~0xFFFFL) | (len << 8) | start);
        MachineState in = s.state();
        run(vex(0, 0xF7, size, g, v, new Enc.Reg(r), true), in, AF_PF | Oracle.SF);
        run(vex(0, 0xF5, size, g, v, new Enc.Reg(r), true), in, AF_PF);
    }

    @Property
    void addWithCarryChains(@ForAll("wsize") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                            @ForAll @IntRange(max = 15) int r, @ForAll boolean memory) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, size);
        g = s.free(g);                               // the chain must not clobber an address register
        MachineState in = s.state();
        var adcx = insn().prefix(0x66).size(size).op(0x0F, 0x38, 0xF6).reg(g).rm(rm);
        var adox = insn().prefix(0xF3).size(size).op(0x0F, 0x38, 0xF6).reg(g).rm(rm);
        run(adcx, in, 0);
        run(adox, in, 0);
        // Interleaved: each chain keeps its own flag.
        Oracle.check(Enc.concat(adcx.bytes(CODE), adox.bytes(CODE), adcx.bytes(CODE), adox.bytes(CODE)), in, 0);
    }

    @Property
    void crc32(@ForAll("size") int size, @ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
               @ForAll @IntRange(max = 15) int r, @ForAll boolean memory, @ForAll boolean rex,
               @ForAll boolean opsizeFirst) {
        var s = new Setup(env);
        Enc.Rm rm = rm(s, memory, r, size);
        MachineState in = s.state();
        if (size == 1) {
            run(insn().prefix(0xF2).rex(rex).op(0x0F, 0x38, 0xF0).reg(g).rm(rm), in, 0);
            run(insn().prefix(0xF2).size(8).op(0x0F, 0x38, 0xF0).reg(g).rm(rm), in, 0);
        } else if (size == 2 && opsizeFirst) {
            run(insn().prefix(0x66, 0xF2).op(0x0F, 0x38, 0xF1).reg(g).rm(rm), in, 0);
        } else {
            run(insn().prefix(0xF2).size(size).op(0x0F, 0x38, 0xF1).reg(g).rm(rm), in, 0);
        }
    }

    /** VEX.L = 1 is #UD for every BMI instruction (VEX.LZ). */
    @Property(tries = 20)
    void vexL1IsUndefined(@ForAll("env") Setup.Env env, @ForAll @IntRange(max = 15) int g,
                          @ForAll @IntRange(max = 15) int r) {
        MachineState in = new Setup(env).state();
        int[][] rows = {{0, 0xF2}, {0, 0xF5}, {2, 0xF5}, {3, 0xF5}, {3, 0xF6}, {0, 0xF7}, {1, 0xF7}};
        for (int[] row : rows) {
            byte[] code = insn().vex(2, row[0], true, 1, 3, true).op(row[1]).reg(g).rm(new Enc.Reg(r)).bytes(CODE);
            Oracle.expectFault(code, in, Fault.UD);
        }
    }
}
