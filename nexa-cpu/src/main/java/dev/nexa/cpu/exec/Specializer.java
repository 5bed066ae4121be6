package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.Engine.*;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.decode.Op;
import dev.nexa.cpu.decode.Prefix;

/**
 * Chooses, once per decoded instruction, the {@link Engine} handler that runs it: a dedicated
 * case for the forms that dominate real programs (measured on the fixtures/bench programs:
 * MOV, the two-operand ALU, LEA, PUSH/POP, CALL/RET, Jcc, shifts by an immediate, the hot SSE
 * moves), else its family's generic dispatcher. A form qualifies only when its specialized case
 * computes exactly what the generic handler would: general registers without the legacy high
 * bytes, 64-bit addressing without a segment override, no LOCK, no VEX.
 */
public final class Specializer {
    private static final int SSE_MOVE_END = Op.SSE_FP_FIRST.ordinal();
    private static final int SSE_FP_END = Op.SSE_INT_FIRST.ordinal();
    private static final int X87_BEGIN = Op.X87_FIRST.ordinal();
    private static final int SSE_BEGIN = Op.SSE_FIRST.ordinal();

    private Specializer() {}

    /** The uop for {@code i}, the {@code seq}-th instruction of its block. */
    public static Uop uop(Insn i, int seq) {
        int o = i.op().ordinal();
        if (o >= X87_BEGIN) return new Uop(X87, i, seq, 0, 0, 0);
        if (o >= SSE_BEGIN) return sse(i, seq, o);
        return gp(i, seq);
    }

    private static boolean reg(int d) { return d >= 0 && d < 16; }

    /** A byte register without the legacy AH..BH meaning. */
    private static boolean reg8(int d) { return d >= 0 && d < Insn.AH; }

    private static boolean simpleMem(Insn i, int d) {
        return d == Insn.MEM && i.seg() == Insn.SEG_NONE && i.asize() == 8;
    }

    private static int xmm(int d) { return d >= Insn.XMM && d < Insn.XMM + 16 ? (d - Insn.XMM) << 1 : -1; }

    private static Uop sse(Insn i, int seq, int o) {
        int family = o < SSE_MOVE_END ? SSE_MOVE : o < SSE_FP_END ? SSE_FP : SSE_INT;
        if (i.has(Prefix.VEX)) return new Uop(family, i, seq, 0, 0, 0);
        int d = xmm(i.o0()), s = xmm(i.o1());
        int h = switch (i.op()) {
            case MOVAPS, MOVAPD, MOVDQA, MOVUPS, MOVUPD, MOVDQU -> {
                if (d >= 0 && s >= 0) yield XMM_MOV;
                boolean unaligned = i.op() == Op.MOVUPS || i.op() == Op.MOVUPD || i.op() == Op.MOVDQU;
                if (unaligned && d >= 0 && simpleMem(i, i.o1())) yield XMM_LOADU;
                if (unaligned && s >= 0 && simpleMem(i, i.o0())) yield XMM_STOREU;
                yield family;
            }
            case MOVSD -> {
                if (d >= 0 && simpleMem(i, i.o1())) yield XMM_LOAD_SD;
                if (s >= 0 && simpleMem(i, i.o0())) yield XMM_STORE_SD;
                yield family;
            }
            case PXOR, XORPS, XORPD -> d >= 0 && s >= 0 ? PXOR_XX : family;
            case ADDSD -> d >= 0 ? SD_ADD : family;
            case SUBSD -> d >= 0 ? SD_SUB : family;
            case MULSD -> d >= 0 ? SD_MUL : family;
            case DIVSD -> d >= 0 ? SD_DIV : family;
            case SQRTSD -> d >= 0 ? SD_SQRT : family;
            case UCOMISD -> d >= 0 ? SD_UCOMI : family;
            case COMISD -> d >= 0 ? SD_COMI : family;
            case ADDPD -> d >= 0 && s >= 0 ? PD_ADD : family;
            case SUBPD -> d >= 0 && s >= 0 ? PD_SUB : family;
            case MULPD -> d >= 0 && s >= 0 ? PD_MUL : family;
            case UNPCKLPD, PUNPCKLQDQ -> d >= 0 && s >= 0 ? UNPCKL_Q : family;
            case UNPCKHPD, PUNPCKHQDQ -> d >= 0 && s >= 0 ? UNPCKH_Q : family;
            default -> family;
        };
        return new Uop(h, i, seq, d, s, 0);
    }

    private static Uop gp(Insn i, int seq) {
        int size = i.size(), o0 = i.o0(), o1 = i.o1();
        if (i.has(Prefix.LOCK) || i.has(Prefix.VEX)) return new Uop(GENERIC, i, seq, 0, 0, 0);
        long imm = i.imm();
        int h = GENERIC;
        switch (i.op()) {
            case MOV -> {
                if (size == 8 || size == 4) {
                    boolean q = size == 8;
                    if (reg(o0) && reg(o1)) h = q ? MOV_RR64 : MOV_RR32;
                    else if (reg(o0) && o1 == Insn.IMM) {
                        h = MOV_RI;
                        if (!q) imm &= 0xFFFF_FFFFL;
                    } else if (reg(o0) && simpleMem(i, o1)) h = q ? MOV_RM64 : MOV_RM32;
                    else if (simpleMem(i, o0) && reg(o1)) h = q ? MOV_MR64 : MOV_MR32;
                    else if (simpleMem(i, o0) && o1 == Insn.IMM) h = q ? MOV_MI64 : MOV_MI32;
                } else if (size == 1 && simpleMem(i, o0)) {
                    if (o1 == Insn.IMM) h = MOV_MI8;
                    else if (reg8(o1)) h = MOV_MR8;
                }
            }
            case MOVZX -> {
                if ((size == 8 || size == 4) && reg(o0)) {
                    int s = i.ssize();
                    if (simpleMem(i, o1)) h = s == 1 ? MOVZX_RM8 : s == 2 ? MOVZX_RM16 : GENERIC;
                    else if (s == 1 && reg8(o1)) h = MOVZX_RR8;
                    else if (s == 2 && reg(o1)) h = MOVZX_RR16;
                }
            }
            case MOVSXD -> {
                if (size == 8 && i.ssize() == 4 && reg(o0)) {
                    if (reg(o1)) h = MOVSXD_RR;
                    else if (simpleMem(i, o1)) h = MOVSXD_RM;
                }
            }
            case LEA -> {
                if (reg(o0) && i.seg() == Insn.SEG_NONE && i.asize() == 8) h = size == 8 ? LEA64 : size == 4 ? LEA32 : GENERIC;
            }
            case JMP -> h = JMP;
            case JCC -> h = JCC;
            case CALL -> h = CALL;
            case RET -> h = o0 == Insn.NONE ? RET : GENERIC;
            case CALL_IND -> h = reg(o0) ? CALL_R : GENERIC;
            case JMP_IND -> h = reg(o0) ? JMP_R : simpleMem(i, o0) ? JMP_M : GENERIC;
            case PUSH -> {
                if (size == 8) h = reg(o0) ? PUSH_R : o0 == Insn.IMM ? PUSH_I : GENERIC;
            }
            case POP -> {
                if (size == 8 && reg(o0)) h = POP_R;
            }
            case NOP -> h = o1 == 0 && o0 != 0 ? GENERIC : NOP;       // 90 with REX.B is XCHG r8, rAX
            case INC -> h = !reg(o0) ? GENERIC : size == 8 ? INC64 : size == 4 ? INC32 : GENERIC;
            case DEC -> h = !reg(o0) ? GENERIC : size == 8 ? DEC64 : size == 4 ? DEC32 : GENERIC;
            case NOT -> h = !reg(o0) ? GENERIC : size == 8 ? NOT64 : size == 4 ? NOT32 : GENERIC;
            case NEG -> h = !reg(o0) ? GENERIC : size == 8 ? NEG64 : size == 4 ? NEG32 : GENERIC;
            case SHL, SHR, SAR -> {
                if (reg(o0) && o1 == Insn.IMM && (size == 8 || size == 4)) {
                    imm &= size == 8 ? 63 : 31;
                    // A masked count of 0 changes nothing, flags included: the generic handler.
                    if (imm != 0) {
                        int base = size == 8 ? SHL64 : SHL32;
                        h = base + (i.op() == Op.SHL ? 0 : i.op() == Op.SHR ? 1 : 2);
                    }
                }
            }
            case CMOVCC -> {
                if (reg(o0) && reg(o1)) h = size == 8 ? CMOV64 : size == 4 ? CMOV32 : GENERIC;
            }
            case SETCC -> h = reg8(o0) ? SETCC_R : GENERIC;
            case IMUL -> {
                if (i.o2() == Insn.NONE && reg(o0) && reg(o1)) h = size == 8 ? IMUL_RR64 : size == 4 ? IMUL_RR32 : GENERIC;
            }
            case ADD, SUB, AND, OR, XOR, CMP, TEST -> {
                if (size == 8 || size == 4) {
                    int form = aluForm(i, o0, o1);
                    if (form >= 0) {
                        h = aluHandler(i.op(), form, size == 8);
                        if (size == 4 && o1 == Insn.IMM) imm &= 0xFFFF_FFFFL;
                    }
                } else if (size == 1) {
                    h = byteCompare(i, o0, o1);
                    imm &= 0xFF;
                }
            }
            default -> { }
        }
        return new Uop(h, i, seq, o0 < 0 ? 0 : o0, o1 < 0 ? 0 : o1, imm);
    }

    private static final int RR = 0, RI = 1, RM = 2, MR = 3, MI = 4;

    private static int aluForm(Insn i, int o0, int o1) {
        if (reg(o0) && reg(o1)) return RR;
        if (reg(o0) && o1 == Insn.IMM) return RI;
        if (reg(o0) && simpleMem(i, o1)) return RM;
        if (simpleMem(i, o0) && reg(o1)) return MR;
        if (simpleMem(i, o0) && o1 == Insn.IMM) return MI;
        return -1;
    }

    /** The generated ALU cases are numbered kind by kind, 64-bit forms then 32-bit forms. */
    private static int aluHandler(Op op, int form, boolean q) {
        return switch (op) {
            case ADD -> pick(form, q, ADD_RR64, ADD_RI64, ADD_RM64, ADD_MR64, ADD_MI64, ADD_RR32, ADD_RI32, ADD_RM32, ADD_MR32, ADD_MI32);
            case SUB -> pick(form, q, SUB_RR64, SUB_RI64, SUB_RM64, SUB_MR64, SUB_MI64, SUB_RR32, SUB_RI32, SUB_RM32, SUB_MR32, SUB_MI32);
            case AND -> pick(form, q, AND_RR64, AND_RI64, AND_RM64, AND_MR64, AND_MI64, AND_RR32, AND_RI32, AND_RM32, AND_MR32, AND_MI32);
            case OR -> pick(form, q, OR_RR64, OR_RI64, OR_RM64, OR_MR64, OR_MI64, OR_RR32, OR_RI32, OR_RM32, OR_MR32, OR_MI32);
            case XOR -> pick(form, q, XOR_RR64, XOR_RI64, XOR_RM64, XOR_MR64, XOR_MI64, XOR_RR32, XOR_RI32, XOR_RM32, XOR_MR32, XOR_MI32);
            case CMP -> pick(form, q, CMP_RR64, CMP_RI64, CMP_RM64, CMP_MR64, CMP_MI64, CMP_RR32, CMP_RI32, CMP_RM32, CMP_MR32, CMP_MI32);
            // TEST has no G,E form: operand 0 is the r/m one.
            case TEST -> form == RM ? GENERIC
                    : pick(form, q, TEST_RR64, TEST_RI64, GENERIC, TEST_MR64, TEST_MI64, TEST_RR32, TEST_RI32, GENERIC, TEST_MR32, TEST_MI32);
            default -> GENERIC;
        };
    }

    private static int pick(int form, boolean q, int... handlers) {
        return handlers[form + (q ? 0 : 5)];
    }

    private static int byteCompare(Insn i, int o0, int o1) {
        if (i.op() == Op.CMP) {
            if (simpleMem(i, o0) && o1 == Insn.IMM) return CMP_MI8;
            if (reg8(o0) && o1 == Insn.IMM) return CMP_RI8;
            if (reg8(o0) && simpleMem(i, o1)) return CMP_RM8;
            if (simpleMem(i, o0) && reg8(o1)) return CMP_MR8;
        } else if (i.op() == Op.TEST) {
            if (reg8(o0) && o1 == Insn.IMM) return TEST_RI8;
            if (reg8(o0) && reg8(o1)) return TEST_RR8;
        }
        return GENERIC;
    }

    /**
     * The block's uops with each fusible flag-setting uop and the Jcc right after it replaced by
     * one {@link Engine#JCC_FUSED} uop (compare-and-branch ends nearly every loop). Only
     * register and immediate forms are fused: they cannot fault and do not read RIP, so the
     * fused uop may run with RIP already at the Jcc's end. Returns {@code uops} itself when
     * nothing was fused.
     */
    public static Uop[] fuse(Uop[] uops) {
        int n = uops.length;
        if (n < 2 || uops[n - 1].h != JCC || !fusible(uops[n - 2].h)) return uops;
        Uop[] out = java.util.Arrays.copyOf(uops, n - 1);
        out[n - 2] = new Uop(JCC_FUSED + uops[n - 2].h, uops[n - 2], uops[n - 1]);
        return out;
    }

    private static boolean fusible(int h) {
        for (int f : FUSIBLE) if (f == h) return true;
        return false;
    }
}
