package dev.nexa.cpu.decode;

import static dev.nexa.cpu.decode.Op.*;
import static dev.nexa.cpu.decode.OpcodeMaps.ONE_BYTE;
import static dev.nexa.cpu.decode.Operand.*;
import static dev.nexa.cpu.decode.Rows.*;

/**
 * x87 rows: the escape opcodes D8-DF (SDM Vol. 2D Tables A-7..A-22) and 9B FWAIT. Memory forms
 * are chosen by ModRM.reg, the memory operand's size naming the format (M_d = m32fp or m32int,
 * M_q = m64, M_w = m16, M_t = m80; M = an environment/state image). Register forms are chosen
 * by ModRM.reg and, where the SDM lists single instructions, by ModRM.rm.
 * <p>
 * Undocumented register aliases that every x86 since the 387 executes are included (Table A-x
 * lists them as reserved): D9 D8+i FSTP1, DC D0+i FCOM2, DC D8+i FCOMP3, DD C8+i FXCH4,
 * DE D0+i FCOMP5, DF C0+i FFREEP, DF C8+i FXCH7, DF D0+i FSTP8, DF D8+i FSTP9.
 */
final class X87Rows {
    private X87Rows() {}

    static void register(OpcodeMaps m) {
        // D8: m32fp arithmetic; ST(0) op ST(i).
        escape(m, 0xD8, arithmetic(M_d, FADD, FMUL, FCOM, FCOMP, FSUB, FSUBR, FDIV, FDIVR),
                group(r(FADD, ST0, STi), r(FMUL, ST0, STi), r(FCOM, ST0, STi), r(FCOMP, ST0, STi),
                        r(FSUB, ST0, STi), r(FSUBR, ST0, STi), r(FDIV, ST0, STi), r(FDIVR, ST0, STi)));
        // D9: loads/stores of m32fp, environment and control word; constants and functions.
        escape(m, 0xD9,
                group(r(FLD, M_d), null, r(FST, M_d), r(FSTP, M_d), r(FLDENV, M), r(FLDCW, M_w),
                        r(FNSTENV, M), r(FNSTCW, M_w)),
                group(r(FLD, STi), r(FXCH, STi),
                        rm(r(FNOP), null, null, null, null, null, null, null),
                        r(FSTP1, STi),
                        rm(r(FCHS), r(FABS), null, null, r(FTST), r(FXAM), null, null),
                        rm(r(FLD1), r(FLDL2T), r(FLDL2E), r(FLDPI), r(FLDLG2), r(FLDLN2), r(FLDZ), null),
                        rm(r(F2XM1), r(FYL2X), r(FPTAN), r(FPATAN), r(FXTRACT), r(FPREM1), r(FDECSTP), r(FINCSTP)),
                        rm(r(FPREM), r(FYL2XP1), r(FSQRT), r(FSINCOS), r(FRNDINT), r(FSCALE), r(FSIN), r(FCOS))));
        // DA: m32int arithmetic; FCMOVcc (below, equal, below-or-equal, unordered); FUCOMPP.
        escape(m, 0xDA, arithmetic(M_d, FIADD, FIMUL, FICOM, FICOMP, FISUB, FISUBR, FIDIV, FIDIVR),
                group(r(FCMOVB, ST0, STi), r(FCMOVE, ST0, STi), r(FCMOVBE, ST0, STi), r(FCMOVU, ST0, STi),
                        null, rm(null, r(FUCOMPP), null, null, null, null, null, null), null, null));
        // DB: m32int loads/stores, m80fp; FCMOVNcc, FNCLEX/FNINIT, FUCOMI/FCOMI.
        escape(m, 0xDB,
                group(r(FILD, M_d), r(FISTTP, M_d), r(FIST, M_d), r(FISTP, M_d), null, r(FLD, M_t), null,
                        r(FSTP, M_t)),
                group(r(FCMOVNB, ST0, STi), r(FCMOVNE, ST0, STi), r(FCMOVNBE, ST0, STi), r(FCMOVNU, ST0, STi),
                        rm(r(FNOP_LEGACY), r(FNOP_LEGACY), r(FNCLEX), r(FNINIT), r(FNOP_LEGACY), null, null, null),
                        r(FUCOMI, ST0, STi), r(FCOMI, ST0, STi), null));
        // DC: m64fp arithmetic; ST(i) op ST(0) (note FSUBR/FSUB and FDIVR/FDIV at /4../7).
        escape(m, 0xDC, arithmetic(M_q, FADD, FMUL, FCOM, FCOMP, FSUB, FSUBR, FDIV, FDIVR),
                group(r(FADD, STi, ST0), r(FMUL, STi, ST0), r(FCOM, ST0, STi), r(FCOMP, ST0, STi),
                        r(FSUBR, STi, ST0), r(FSUB, STi, ST0), r(FDIVR, STi, ST0), r(FDIV, STi, ST0)));
        // DD: m64fp loads/stores, FRSTOR/FNSAVE, FNSTSW m16; FFREE, FST/FSTP ST(i), FUCOM/FUCOMP.
        escape(m, 0xDD,
                group(r(FLD, M_q), r(FISTTP, M_q), r(FST, M_q), r(FSTP, M_q), r(FRSTOR, M), null, r(FNSAVE, M),
                        r(FNSTSW, M_w)),
                group(r(FFREE, STi), r(FXCH, STi), r(FST, STi), r(FSTP, STi), r(FUCOM, ST0, STi),
                        r(FUCOMP, ST0, STi), null, null));
        // DE: m16int arithmetic; ST(i) op ST(0) and pop; FCOMPP.
        escape(m, 0xDE, arithmetic(M_w, FIADD, FIMUL, FICOM, FICOMP, FISUB, FISUBR, FIDIV, FIDIVR),
                group(r(FADDP, STi, ST0), r(FMULP, STi, ST0), r(FCOMP, ST0, STi),
                        rm(null, r(FCOMPP), null, null, null, null, null, null),
                        r(FSUBRP, STi, ST0), r(FSUBP, STi, ST0), r(FDIVRP, STi, ST0), r(FDIVP, STi, ST0)));
        // DF: m16int and m64int loads/stores, packed BCD; FFREEP, FNSTSW AX, FUCOMIP/FCOMIP.
        escape(m, 0xDF,
                group(r(FILD, M_w), r(FISTTP, M_w), r(FIST, M_w), r(FISTP, M_w), r(FBLD, M_t), r(FILD, M_q),
                        r(FBSTP, M_t), r(FISTP, M_q)),
                group(r(FFREEP, STi), r(FXCH, STi), r(FSTP, STi), r(FSTP, STi),
                        rm(r(FNSTSW_AX), null, null, null, null, null, null, null),
                        r(FUCOMIP, ST0, STi), r(FCOMIP, ST0, STi), null));
        m.set(ONE_BYTE, 0x9B, op(FWAIT));
    }

    private static void escape(OpcodeMaps m, int opcode, Entry memory, Entry register) {
        m.set(ONE_BYTE, opcode, mod(memory, register));
    }

    private static Entry r(Op op, Operand... operands) {
        return op(op, operands).leaf();
    }

    /** The eight memory-form arithmetic rows of D8/DA/DC/DE: ST(0) op= memory (compares: ST(0) vs memory). */
    private static Entry arithmetic(Operand mem, Op add, Op mul, Op com, Op comp, Op sub, Op subr, Op div, Op divr) {
        return group(r(add, ST0, mem), r(mul, ST0, mem), r(com, ST0, mem), r(comp, ST0, mem), r(sub, ST0, mem),
                r(subr, ST0, mem), r(div, ST0, mem), r(divr, ST0, mem));
    }
}
