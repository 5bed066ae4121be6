package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.X87Arithmetic.*;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.fpu.X87Constants;

/** Dispatches x87 operations (and FXSAVE/FXRSTOR) to their handlers. */
final class X87Dispatch {
    private X87Dispatch() {}

    static void exec(CpuCore c, Insn i) {
        switch (i.op()) {
            case FLD -> X87Loads.fld(c, i);
            case FILD -> X87Loads.fild(c, i);
            case FBLD -> X87Loads.fbld(c, i);
            case FLD1 -> X87Loads.constant(c, i, X87Constants.ONE);
            case FLDL2T -> X87Loads.constant(c, i, X87Constants.L2T);
            case FLDL2E -> X87Loads.constant(c, i, X87Constants.L2E);
            case FLDPI -> X87Loads.constant(c, i, X87Constants.PI);
            case FLDLG2 -> X87Loads.constant(c, i, X87Constants.LG2);
            case FLDLN2 -> X87Loads.constant(c, i, X87Constants.LN2);
            case FLDZ -> X87Loads.constant(c, i, X87Constants.ZERO);
            case FST -> X87Loads.fst(c, i, false);
            case FSTP -> X87Loads.fst(c, i, true);
            case FSTP1 -> X87Loads.fstp1(c, i);
            case FIST -> X87Loads.fist(c, i, false, false);
            case FISTP -> X87Loads.fist(c, i, true, false);
            case FISTTP -> X87Loads.fist(c, i, true, true);
            case FBSTP -> X87Loads.fbstp(c, i);
            case FXCH -> X87Loads.fxch(c, i);
            case FFREE -> X87Loads.ffree(c, i, false);
            case FFREEP -> X87Loads.ffree(c, i, true);
            case FCMOVB -> X87Loads.fcmov(c, i, 0x2);
            case FCMOVE -> X87Loads.fcmov(c, i, 0x4);
            case FCMOVBE -> X87Loads.fcmov(c, i, 0x6);
            case FCMOVU -> X87Loads.fcmov(c, i, 0xA);
            case FCMOVNB -> X87Loads.fcmov(c, i, 0x3);
            case FCMOVNE -> X87Loads.fcmov(c, i, 0x5);
            case FCMOVNBE -> X87Loads.fcmov(c, i, 0x7);
            case FCMOVNU -> X87Loads.fcmov(c, i, 0xB);

            case FADD -> binary(c, i, ADD, false, false);
            case FMUL -> binary(c, i, MUL, false, false);
            case FSUB -> binary(c, i, SUB, false, false);
            case FSUBR -> binary(c, i, SUBR, false, false);
            case FDIV -> binary(c, i, DIV, false, false);
            case FDIVR -> binary(c, i, DIVR, false, false);
            case FADDP -> binary(c, i, ADD, false, true);
            case FMULP -> binary(c, i, MUL, false, true);
            case FSUBP -> binary(c, i, SUB, false, true);
            case FSUBRP -> binary(c, i, SUBR, false, true);
            case FDIVP -> binary(c, i, DIV, false, true);
            case FDIVRP -> binary(c, i, DIVR, false, true);
            case FIADD -> binary(c, i, ADD, true, false);
            case FIMUL -> binary(c, i, MUL, true, false);
            case FISUB -> binary(c, i, SUB, true, false);
            case FISUBR -> binary(c, i, SUBR, true, false);
            case FIDIV -> binary(c, i, DIV, true, false);
            case FIDIVR -> binary(c, i, DIVR, true, false);
            case FCHS -> unary(c, i, CHS);
            case FABS -> unary(c, i, ABS);
            case FSQRT -> unary(c, i, SQRT);
            case FRNDINT -> unary(c, i, RNDINT);
            case F2XM1 -> unary(c, i, X87Arithmetic.F2XM1);
            case FSIN -> unary(c, i, SIN);
            case FCOS -> unary(c, i, COS);
            case FSCALE -> withSt1(c, i, SCALE);
            case FPREM -> withSt1(c, i, PREM);
            case FPREM1 -> withSt1(c, i, PREM1);
            case FPATAN -> intoSt1(c, i, PATAN);
            case FYL2X -> intoSt1(c, i, YL2X);
            case FYL2XP1 -> intoSt1(c, i, X87Arithmetic.YL2XP1);
            case FXTRACT -> pushing(c, i, XTRACT);
            case FPTAN -> pushing(c, i, PTAN);
            case FSINCOS -> pushing(c, i, X87Arithmetic.SINCOS);

            case FCOM -> X87Compare.fcom(c, i, false, false, 0);
            case FCOMP -> X87Compare.fcom(c, i, false, false, 1);
            case FCOMPP -> X87Compare.fcom(c, i, false, false, 2);
            case FUCOM -> X87Compare.fcom(c, i, true, false, 0);
            case FUCOMP -> X87Compare.fcom(c, i, true, false, 1);
            case FUCOMPP -> X87Compare.fcom(c, i, true, false, 2);
            case FICOM -> X87Compare.fcom(c, i, false, true, 0);
            case FICOMP -> X87Compare.fcom(c, i, false, true, 1);
            case FCOMI -> X87Compare.fcomi(c, i, false, false);
            case FCOMIP -> X87Compare.fcomi(c, i, false, true);
            case FUCOMI -> X87Compare.fcomi(c, i, true, false);
            case FUCOMIP -> X87Compare.fcomi(c, i, true, true);
            case FTST -> X87Compare.ftst(c, i);
            case FXAM -> X87Compare.fxam(c, i);

            case FNINIT -> X87Control.fninit(c);
            case FNCLEX -> X87Control.fnclex(c);
            case FLDCW -> X87Control.fldcw(c, i);
            case FNSTCW -> X87Control.fnstcw(c, i);
            case FNSTSW -> X87Control.fnstsw(c, i);
            case FNSTSW_AX -> X87Control.fnstswAx(c);
            case FNSTENV -> X87Control.fnstenv(c, i);
            case FLDENV -> X87Control.fldenv(c, i);
            case FNSAVE -> X87Control.fnsave(c, i);
            case FRSTOR -> X87Control.frstor(c, i);
            case FINCSTP -> X87Control.incdec(c, i, 1);
            case FDECSTP -> X87Control.incdec(c, i, -1);
            case FNOP -> X87Control.fnop(c, i);
            case FNOP_LEGACY -> { }
            case FWAIT -> X87Control.fwait(c);
            case FXSAVE -> FxSave.fxsave(c, i);
            case FXRSTOR -> FxSave.fxrstor(c, i);
            default -> throw GuestFault.invalidOpcode();
        }
    }
}
