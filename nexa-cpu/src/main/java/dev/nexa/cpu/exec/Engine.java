package dev.nexa.cpu.exec;

import dev.nexa.mem.Mmu;

/**
 * The interpreter's inner loop: runs the {@link Uop}s of one block. Each uop's handler number,
 * chosen once when the block is built ({@link Specializer}), selects a case of one switch; the
 * common forms (MOV/ALU between 64- and 32-bit registers, immediates and memory, LEA, PUSH, POP,
 * CALL, RET, Jcc, the hot SSE moves and scalar double arithmetic) are handled right in the
 * switch with their operands from the uop's fields, and everything else goes to the family
 * dispatchers with the decoded {@link dev.nexa.cpu.decode.Insn}.
 * <p>
 * The specialized cases follow the handler rules of docs/cpu.md exactly like the generic
 * handlers they stand for: every access that can fault comes before any register or flag
 * changes, and their lazy-flag state is the same ({@code ccOp}, {@code ccDst}, {@code ccSrc}).
 * The oracle tests exercise them through the whole run loop.
 * <p>
 * {@link #run} is only the loop and the switch: every case calls a small static handler, so the
 * compiled method stays small (3.6 KB of bytecode with the fused cases, 6.8 KB before) and
 * C2's inlining budget (DesiredMethodLimit, 8000 bytecodes for the root and everything inlined
 * into it) goes to the handlers a program actually runs and to the {@link Mmu} fast paths
 * inside them. With the handlers written inline in the switch, the root alone used most of
 * that budget and C2 left the hot memory accessors as real calls ("too big" in
 * -XX:+PrintInlining).
 */
public final class Engine {
    private Engine() {}

    private static final long M32 = 0xFFFF_FFFFL;

    // ---- handler numbers ---------------------------------------------------------------------
    /** Not specialized: the general-purpose dispatcher; then the other families' dispatchers. */
    public static final int GENERIC = 0, SSE_MOVE = 1, SSE_FP = 2, SSE_INT = 3, X87 = 4;
    public static final int NOP = 5,
            MOV_RR64 = 6, MOV_RR32 = 7, MOV_RI = 8, MOV_RM64 = 9, MOV_RM32 = 10, MOV_MR64 = 11, MOV_MR32 = 12,
            MOV_MI64 = 13, MOV_MI32 = 14, MOV_MI8 = 15, MOV_MR8 = 16,
            MOVZX_RM8 = 17, MOVZX_RM16 = 18, MOVZX_RR8 = 19, MOVZX_RR16 = 20, MOVSXD_RR = 21, MOVSXD_RM = 22,
            LEA64 = 23, LEA32 = 24,
            JMP = 25, JCC = 26, CALL = 27, RET = 28, PUSH_R = 29, POP_R = 30, CALL_R = 31, JMP_R = 32, JMP_M = 33,
            INC64 = 34, INC32 = 35, DEC64 = 36, DEC32 = 37, NOT64 = 38, NOT32 = 39, NEG64 = 40, NEG32 = 41,
            SHL64 = 42, SHR64 = 43, SAR64 = 44, SHL32 = 45, SHR32 = 46, SAR32 = 47,
            CMP_MI8 = 48, CMP_RI8 = 49, TEST_RI8 = 50, TEST_RR8 = 51, CMP_RM8 = 52, CMP_MR8 = 53,
            XMM_MOV = 54, XMM_LOAD_SD = 55, XMM_STORE_SD = 56, XMM_LOADU = 57, XMM_STOREU = 58,
            SD_ADD = 59, SD_SUB = 60, SD_MUL = 61, SD_DIV = 62, PUSH_I = 63, CMOV64 = 64, CMOV32 = 65, SETCC_R = 66,
            IMUL_RR64 = 67, IMUL_RR32 = 68, PXOR_XX = 69,
            PD_ADD = 70, PD_SUB = 71, PD_MUL = 72, SD_SQRT = 73, SD_UCOMI = 74, SD_COMI = 75, UNPCKL_Q = 76, UNPCKH_Q = 77;
    /** The first number of the generated two-operand ALU forms ({@link #ADD_RR64} ...). */
    static final int ALU_FIRST = 80;
    public static final int ADD_RR64 = 80, ADD_RI64 = 81, ADD_RM64 = 82, ADD_MR64 = 83, ADD_MI64 = 84,
            ADD_RR32 = 85, ADD_RI32 = 86, ADD_RM32 = 87, ADD_MR32 = 88, ADD_MI32 = 89, SUB_RR64 = 90,
            SUB_RI64 = 91, SUB_RM64 = 92, SUB_MR64 = 93, SUB_MI64 = 94, SUB_RR32 = 95, SUB_RI32 = 96,
            SUB_RM32 = 97, SUB_MR32 = 98, SUB_MI32 = 99, AND_RR64 = 100, AND_RI64 = 101, AND_RM64 = 102,
            AND_MR64 = 103, AND_MI64 = 104, AND_RR32 = 105, AND_RI32 = 106, AND_RM32 = 107, AND_MR32 = 108,
            AND_MI32 = 109, OR_RR64 = 110, OR_RI64 = 111, OR_RM64 = 112, OR_MR64 = 113, OR_MI64 = 114,
            OR_RR32 = 115, OR_RI32 = 116, OR_RM32 = 117, OR_MR32 = 118, OR_MI32 = 119, XOR_RR64 = 120,
            XOR_RI64 = 121, XOR_RM64 = 122, XOR_MR64 = 123, XOR_MI64 = 124, XOR_RR32 = 125, XOR_RI32 = 126,
            XOR_RM32 = 127, XOR_MR32 = 128, XOR_MI32 = 129, CMP_RR64 = 130, CMP_RI64 = 131, CMP_RM64 = 132,
            CMP_MR64 = 133, CMP_MI64 = 134, CMP_RR32 = 135, CMP_RI32 = 136, CMP_RM32 = 137, CMP_MR32 = 138,
            CMP_MI32 = 139, TEST_RR64 = 140, TEST_RI64 = 141, TEST_MR64 = 142, TEST_MI64 = 143, TEST_RR32 = 144,
            TEST_RI32 = 145, TEST_MR32 = 146, TEST_MI32 = 147;
    /**
     * A register-only flag-setting uop fused with the Jcc after it ({@link Specializer#fuse}):
     * handler {@code JCC_FUSED + h} runs handler {@code h}, then the branch. One dispatch for
     * two instructions, and C2 sees the flags just recorded, so the condition folds to a
     * compare of the operands.
     */
    public static final int JCC_FUSED = 160;
    /** The handlers {@link Specializer#fuse} may fuse with a following Jcc (none can fault). */
    static final int[] FUSIBLE = {CMP_RR64, CMP_RI64, CMP_RR32, CMP_RI32, TEST_RR64, TEST_RI64, TEST_RR32, TEST_RI32, CMP_RI8, TEST_RI8, TEST_RR8, DEC64, DEC32, INC64, INC32, SUB_RI64, SUB_RI32, ADD_RI64, ADD_RI32, AND_RR64, AND_RI64, AND_RR32, AND_RI32, XOR_RR32, SUB_RR64, SUB_RR32};

    /**
     * Runs {@code ops} in order, the block starting at virtual address {@code va}: before each
     * uop RIP is set to the next instruction's address (handler rule 3). A branch at the end
     * leaves its target in RIP. If a uop throws (a fault, or the block's own code being
     * overwritten), {@link CpuCore#faultIndex} names it and the exception propagates.
     */
    public static void run(CpuCore c, Uop[] ops, long va) {
        final long[] r = c.r;
        final Mmu m = c.mmu;
        int k = 0;
        try {
            for (; k < ops.length; k++) {
                final Uop u = ops[k];
                c.rip = va + u.end;
                switch (u.h) {
                    case NOP -> { }
                    case MOV_RR64 -> movRr64(c, u, r, m);
                    case MOV_RR32 -> movRr32(c, u, r, m);
                    case MOV_RI -> movRi(c, u, r, m);
                    case MOV_RM64 -> movRm64(c, u, r, m);
                    case MOV_RM32 -> movRm32(c, u, r, m);
                    case MOV_MR64 -> movMr64(c, u, r, m);
                    case MOV_MR32 -> movMr32(c, u, r, m);
                    case MOV_MR8 -> movMr8(c, u, r, m);
                    case MOV_MI64 -> movMi64(c, u, r, m);
                    case MOV_MI32 -> movMi32(c, u, r, m);
                    case MOV_MI8 -> movMi8(c, u, r, m);
                    case MOVZX_RM8 -> movzxRm8(c, u, r, m);
                    case MOVZX_RM16 -> movzxRm16(c, u, r, m);
                    case MOVZX_RR8 -> movzxRr8(c, u, r, m);
                    case MOVZX_RR16 -> movzxRr16(c, u, r, m);
                    case MOVSXD_RR -> movsxdRr(c, u, r, m);
                    case MOVSXD_RM -> movsxdRm(c, u, r, m);
                    case LEA64 -> lea64(c, u, r, m);
                    case LEA32 -> lea32(c, u, r, m);
                    case JMP -> jmp(c, u, r, m);
                    case JCC -> jcc(c, u, r, m);
                    case CALL -> call(c, u, r, m);
                    case CALL_R -> callR(c, u, r, m);
                    case JMP_R -> jmpR(c, u, r, m);
                    case JMP_M -> jmpM(c, u, r, m);
                    case RET -> ret(c, u, r, m);
                    case PUSH_R -> pushR(c, u, r, m);
                    case PUSH_I -> pushI(c, u, r, m);
                    case POP_R -> popR(c, u, r, m);
                    case INC64 -> inc64(c, u, r, m);
                    case INC32 -> inc32(c, u, r, m);
                    case DEC64 -> dec64(c, u, r, m);
                    case DEC32 -> dec32(c, u, r, m);
                    case NOT64 -> not64(c, u, r, m);
                    case NOT32 -> not32(c, u, r, m);
                    case NEG64 -> neg64(c, u, r, m);
                    case NEG32 -> neg32(c, u, r, m);
                    case SHL64 -> shl64(c, u, r, m);
                    case SHR64 -> shr64(c, u, r, m);
                    case SAR64 -> sar64(c, u, r, m);
                    case SHL32 -> shl32(c, u, r, m);
                    case SHR32 -> shr32(c, u, r, m);
                    case SAR32 -> sar32(c, u, r, m);
                    case CMP_MI8 -> cmpMi8(c, u, r, m);
                    case CMP_RI8 -> cmpRi8(c, u, r, m);
                    case CMP_RM8 -> cmpRm8(c, u, r, m);
                    case CMP_MR8 -> cmpMr8(c, u, r, m);
                    case TEST_RI8 -> testRi8(c, u, r, m);
                    case TEST_RR8 -> testRr8(c, u, r, m);
                    case CMOV64 -> cmov64(c, u, r, m);
                    case CMOV32 -> cmov32(c, u, r, m);
                    case SETCC_R -> setccR(c, u, r, m);
                    case IMUL_RR64 -> imulRr64(c, u, r, m);
                    case IMUL_RR32 -> imulRr32(c, u, r, m);
                    case XMM_MOV -> xmmMov(c, u, r, m);
                    case PXOR_XX -> pxorXx(c, u, r, m);
                    case XMM_LOAD_SD -> xmmLoadSd(c, u, r, m);
                    case XMM_STORE_SD -> xmmStoreSd(c, u, r, m);
                    case XMM_LOADU -> xmmLoadu(c, u, r, m);
                    case XMM_STOREU -> SseMoves.store128(c, ea(c, u, r), c.xmm[u.b], c.xmm[u.b + 1]);
                    case SD_ADD -> sd(c, u, SseFp.ADD);
                    case SD_SUB -> sd(c, u, SseFp.SUB);
                    case SD_MUL -> sd(c, u, SseFp.MUL);
                    case SD_DIV -> sd(c, u, SseFp.DIV);
                    case SD_SQRT -> sd(c, u, SseFp.SQRT);
                    case PD_ADD -> pd(c, u, SseFp.ADD);
                    case PD_SUB -> pd(c, u, SseFp.SUB);
                    case PD_MUL -> pd(c, u, SseFp.MUL);
                    case SD_UCOMI -> comisd(c, u, false);
                    case SD_COMI -> comisd(c, u, true);
                    case UNPCKL_Q -> unpcklQ(c, u);
                    case UNPCKH_Q -> unpckhQ(c, u);
                    case SSE_MOVE -> SseMoveDispatch.exec(c, u.insn);
                    case SSE_FP -> SseFpDispatch.exec(c, u.insn);
                    case SSE_INT -> SseIntDispatch.exec(c, u.insn);
                    case X87 -> X87Dispatch.exec(c, u.insn);
                    case ADD_RR64 -> addRr64(c, u, r, m);
                    case ADD_RI64 -> addRi64(c, u, r, m);
                    case ADD_RM64 -> addRm64(c, u, r, m);
                    case ADD_MR64 -> addMr64(c, u, r, m);
                    case ADD_MI64 -> addMi64(c, u, r, m);
                    case ADD_RR32 -> addRr32(c, u, r, m);
                    case ADD_RI32 -> addRi32(c, u, r, m);
                    case ADD_RM32 -> addRm32(c, u, r, m);
                    case ADD_MR32 -> addMr32(c, u, r, m);
                    case ADD_MI32 -> addMi32(c, u, r, m);
                    case SUB_RR64 -> subRr64(c, u, r, m);
                    case SUB_RI64 -> subRi64(c, u, r, m);
                    case SUB_RM64 -> subRm64(c, u, r, m);
                    case SUB_MR64 -> subMr64(c, u, r, m);
                    case SUB_MI64 -> subMi64(c, u, r, m);
                    case SUB_RR32 -> subRr32(c, u, r, m);
                    case SUB_RI32 -> subRi32(c, u, r, m);
                    case SUB_RM32 -> subRm32(c, u, r, m);
                    case SUB_MR32 -> subMr32(c, u, r, m);
                    case SUB_MI32 -> subMi32(c, u, r, m);
                    case AND_RR64 -> andRr64(c, u, r, m);
                    case AND_RI64 -> andRi64(c, u, r, m);
                    case AND_RM64 -> andRm64(c, u, r, m);
                    case AND_MR64 -> andMr64(c, u, r, m);
                    case AND_MI64 -> andMi64(c, u, r, m);
                    case AND_RR32 -> andRr32(c, u, r, m);
                    case AND_RI32 -> andRi32(c, u, r, m);
                    case AND_RM32 -> andRm32(c, u, r, m);
                    case AND_MR32 -> andMr32(c, u, r, m);
                    case AND_MI32 -> andMi32(c, u, r, m);
                    case OR_RR64 -> orRr64(c, u, r, m);
                    case OR_RI64 -> orRi64(c, u, r, m);
                    case OR_RM64 -> orRm64(c, u, r, m);
                    case OR_MR64 -> orMr64(c, u, r, m);
                    case OR_MI64 -> orMi64(c, u, r, m);
                    case OR_RR32 -> orRr32(c, u, r, m);
                    case OR_RI32 -> orRi32(c, u, r, m);
                    case OR_RM32 -> orRm32(c, u, r, m);
                    case OR_MR32 -> orMr32(c, u, r, m);
                    case OR_MI32 -> orMi32(c, u, r, m);
                    case XOR_RR64 -> xorRr64(c, u, r, m);
                    case XOR_RI64 -> xorRi64(c, u, r, m);
                    case XOR_RM64 -> xorRm64(c, u, r, m);
                    case XOR_MR64 -> xorMr64(c, u, r, m);
                    case XOR_MI64 -> xorMi64(c, u, r, m);
                    case XOR_RR32 -> xorRr32(c, u, r, m);
                    case XOR_RI32 -> xorRi32(c, u, r, m);
                    case XOR_RM32 -> xorRm32(c, u, r, m);
                    case XOR_MR32 -> xorMr32(c, u, r, m);
                    case XOR_MI32 -> xorMi32(c, u, r, m);
                    case CMP_RR64 -> cmpRr64(c, u, r, m);
                    case CMP_RI64 -> cmpRi64(c, u, r, m);
                    case CMP_RM64 -> cmpRm64(c, u, r, m);
                    case CMP_MR64 -> cmpMr64(c, u, r, m);
                    case CMP_MI64 -> cmpMi64(c, u, r, m);
                    case CMP_RR32 -> cmpRr32(c, u, r, m);
                    case CMP_RI32 -> cmpRi32(c, u, r, m);
                    case CMP_RM32 -> cmpRm32(c, u, r, m);
                    case CMP_MR32 -> cmpMr32(c, u, r, m);
                    case CMP_MI32 -> cmpMi32(c, u, r, m);
                    case TEST_RR64 -> testRr64(c, u, r, m);
                    case TEST_RI64 -> testRi64(c, u, r, m);
                    case TEST_MR64 -> testMr64(c, u, r, m);
                    case TEST_MI64 -> testMi64(c, u, r, m);
                    case TEST_RR32 -> testRr32(c, u, r, m);
                    case TEST_RI32 -> testRi32(c, u, r, m);
                    case TEST_MR32 -> testMr32(c, u, r, m);
                    case TEST_MI32 -> testMi32(c, u, r, m);
                    case JCC_FUSED + CMP_RR64 -> {
                        cmpRr64(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + CMP_RI64 -> {
                        cmpRi64(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + CMP_RR32 -> {
                        cmpRr32(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + CMP_RI32 -> {
                        cmpRi32(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + TEST_RR64 -> {
                        testRr64(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + TEST_RI64 -> {
                        testRi64(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + TEST_RR32 -> {
                        testRr32(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + TEST_RI32 -> {
                        testRi32(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + CMP_RI8 -> {
                        cmpRi8(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + TEST_RI8 -> {
                        testRi8(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + TEST_RR8 -> {
                        testRr8(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + DEC64 -> {
                        dec64(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + DEC32 -> {
                        dec32(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + INC64 -> {
                        inc64(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + INC32 -> {
                        inc32(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + SUB_RI64 -> {
                        subRi64(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + SUB_RI32 -> {
                        subRi32(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + ADD_RI64 -> {
                        addRi64(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + ADD_RI32 -> {
                        addRi32(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + AND_RR64 -> {
                        andRr64(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + AND_RI64 -> {
                        andRi64(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + AND_RR32 -> {
                        andRr32(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + AND_RI32 -> {
                        andRi32(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + XOR_RR32 -> {
                        xorRr32(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + SUB_RR64 -> {
                        subRr64(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    case JCC_FUSED + SUB_RR32 -> {
                        subRr32(c, u, r, m);
                        fusedJcc(c, u);
                    }
                    default -> GpDispatch.exec(c, u.insn);
                }
            }
        } catch (RuntimeException e) {
            c.faultIndex = k;
            throw e;
        }
    }
    // ---- the handlers (small, so that C2 inlines the hot ones into run) ----------------------

    private static void movRr64(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = r[u.b];
    }

    private static void movRr32(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = r[u.b] & M32;
    }

    private static void movRi(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = u.imm;
    }

    private static void movRm64(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = m.read64(ea(c, u, r));
    }

    private static void movRm32(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = m.read32(ea(c, u, r)) & M32;
    }

    private static void movMr64(CpuCore c, Uop u, long[] r, Mmu m) {
        m.write64(ea(c, u, r), r[u.b]);
    }

    private static void movMr32(CpuCore c, Uop u, long[] r, Mmu m) {
        m.write32(ea(c, u, r), (int) r[u.b]);
    }

    private static void movMr8(CpuCore c, Uop u, long[] r, Mmu m) {
        m.write8(ea(c, u, r), (byte) r[u.b]);
    }

    private static void movMi64(CpuCore c, Uop u, long[] r, Mmu m) {
        m.write64(ea(c, u, r), u.imm);
    }

    private static void movMi32(CpuCore c, Uop u, long[] r, Mmu m) {
        m.write32(ea(c, u, r), (int) u.imm);
    }

    private static void movMi8(CpuCore c, Uop u, long[] r, Mmu m) {
        m.write8(ea(c, u, r), (byte) u.imm);
    }

    private static void movzxRm8(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = m.read8(ea(c, u, r)) & 0xFF;
    }

    private static void movzxRm16(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = m.read16(ea(c, u, r)) & 0xFFFF;
    }

    private static void movzxRr8(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = r[u.b] & 0xFF;
    }

    private static void movzxRr16(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = r[u.b] & 0xFFFF;
    }

    private static void movsxdRr(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = (int) r[u.b];
    }

    private static void movsxdRm(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = m.read32(ea(c, u, r));
    }

    private static void lea64(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = ea(c, u, r);
    }

    private static void lea32(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = ea(c, u, r) & M32;
    }

    private static void jmp(CpuCore c, Uop u, long[] r, Mmu m) {
        c.rip += u.imm;
    }

    private static void jcc(CpuCore c, Uop u, long[] r, Mmu m) {
        if (Flags.cond(c, u.cc)) c.rip += u.imm;
    }

    private static void call(CpuCore c, Uop u, long[] r, Mmu m) {
        long sp = r[4] - 8;
        m.write64(sp, c.rip);
        r[4] = sp;
        c.rip += u.imm;
    }

    private static void callR(CpuCore c, Uop u, long[] r, Mmu m) {
        long target = r[u.a], sp = r[4] - 8;
        m.write64(sp, c.rip);
        r[4] = sp;
        c.rip = target;
    }

    private static void jmpR(CpuCore c, Uop u, long[] r, Mmu m) {
        c.rip = r[u.a];
    }

    private static void jmpM(CpuCore c, Uop u, long[] r, Mmu m) {
        c.rip = m.read64(ea(c, u, r));
    }

    private static void ret(CpuCore c, Uop u, long[] r, Mmu m) {
        long target = m.read64(r[4]);
        r[4] += 8;
        c.rip = target;
    }

    private static void pushR(CpuCore c, Uop u, long[] r, Mmu m) {
        long v = r[u.a], sp = r[4] - 8;      // PUSH RSP pushes the old value
        m.write64(sp, v);
        r[4] = sp;
    }

    private static void pushI(CpuCore c, Uop u, long[] r, Mmu m) {
        long sp = r[4] - 8;
        m.write64(sp, u.imm);
        r[4] = sp;
    }

    private static void popR(CpuCore c, Uop u, long[] r, Mmu m) {
        long v = m.read64(r[4]);
        r[4] += 8;
        r[u.a] = v;                          // POP RSP: the popped value wins
    }

    private static void inc64(CpuCore c, Uop u, long[] r, Mmu m) {
        long cf = Flags.carry(c) ? Flags.CF : 0, v = r[u.a] + 1;
        r[u.a] = v;
        cc(c, Flags.INC + 3, v, cf);
    }

    private static void inc32(CpuCore c, Uop u, long[] r, Mmu m) {
        long cf = Flags.carry(c) ? Flags.CF : 0, v = (r[u.a] + 1) & M32;
        r[u.a] = v;
        cc(c, Flags.INC + 2, v, cf);
    }

    private static void dec64(CpuCore c, Uop u, long[] r, Mmu m) {
        long cf = Flags.carry(c) ? Flags.CF : 0, v = r[u.a] - 1;
        r[u.a] = v;
        cc(c, Flags.DEC + 3, v, cf);
    }

    private static void dec32(CpuCore c, Uop u, long[] r, Mmu m) {
        long cf = Flags.carry(c) ? Flags.CF : 0, v = (r[u.a] - 1) & M32;
        r[u.a] = v;
        cc(c, Flags.DEC + 2, v, cf);
    }

    private static void not64(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = ~r[u.a];
    }

    private static void not32(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = ~r[u.a] & M32;
    }

    private static void neg64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], v = -x;
        r[u.a] = v;
        cc(c, Flags.SUB + 3, v, x);
    }

    private static void neg32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a] & M32, v = -x & M32;
        r[u.a] = v;
        cc(c, Flags.SUB + 2, v, x);
    }

    // Shifts by a non-zero immediate count (u.imm, already masked): Flags.SHL and
    // Flags.SAR take the operand shifted by count-1, as Shifts does.
    private static void shl64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], v = x << u.imm;
        r[u.a] = v;
        cc(c, Flags.SHL + 3, v, x << (u.imm - 1));
    }

    private static void shr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], v = x >>> u.imm;
        r[u.a] = v;
        cc(c, Flags.SAR + 3, v, x >>> (u.imm - 1));
    }

    private static void sar64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], v = x >> u.imm;
        r[u.a] = v;
        cc(c, Flags.SAR + 3, v, x >> (u.imm - 1));
    }

    private static void shl32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a] & M32, v = (x << u.imm) & M32;
        r[u.a] = v;
        cc(c, Flags.SHL + 2, v, (x << (u.imm - 1)) & M32);
    }

    private static void shr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a] & M32, v = x >>> u.imm;
        r[u.a] = v;
        cc(c, Flags.SAR + 2, v, x >>> (u.imm - 1));
    }

    private static void sar32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = (int) r[u.a], v = (x >> u.imm) & M32;
        r[u.a] = v;
        cc(c, Flags.SAR + 2, v, (x >> (u.imm - 1)) & M32);
    }

    private static void cmpMi8(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = m.read8(ea(c, u, r)) & 0xFF, v = (x - u.imm) & 0xFF;
        cc(c, Flags.SUB, v, u.imm);
    }

    private static void cmpRi8(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a] & 0xFF, v = (x - u.imm) & 0xFF;
        cc(c, Flags.SUB, v, u.imm);
    }

    private static void cmpRm8(CpuCore c, Uop u, long[] r, Mmu m) {
        long y = m.read8(ea(c, u, r)) & 0xFF, v = ((r[u.a] & 0xFF) - y) & 0xFF;
        cc(c, Flags.SUB, v, y);
    }

    private static void cmpMr8(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = m.read8(ea(c, u, r)) & 0xFF, y = r[u.b] & 0xFF, v = (x - y) & 0xFF;
        cc(c, Flags.SUB, v, y);
    }

    private static void testRi8(CpuCore c, Uop u, long[] r, Mmu m) {
        cc(c, Flags.LOGIC, r[u.a] & u.imm, 0);
    }

    private static void testRr8(CpuCore c, Uop u, long[] r, Mmu m) {
        cc(c, Flags.LOGIC, r[u.a] & r[u.b] & 0xFF, 0);
    }

    private static void cmov64(CpuCore c, Uop u, long[] r, Mmu m) {
        if (Flags.cond(c, u.cc)) r[u.a] = r[u.b];
    }

    private static void cmov32(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = (Flags.cond(c, u.cc) ? r[u.b] : r[u.a]) & M32;
    }

    private static void setccR(CpuCore c, Uop u, long[] r, Mmu m) {
        r[u.a] = (r[u.a] & ~0xFFL) | (Flags.cond(c, u.cc) ? 1 : 0);
    }

    // IMUL r, r/m (two operands): OF = CF = the product does not fit (MulDiv.imul).
    private static void imulRr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = r[u.b], p = x * y;
        r[u.a] = p;
        cc(c, Flags.MUL + 3, p, Math.multiplyHigh(x, y) != p >> 63 ? 1 : 0);
    }

    private static void imulRr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long p = (long) (int) r[u.a] * (int) r[u.b], lo = p & M32;
        r[u.a] = lo;
        cc(c, Flags.MUL + 2, lo, p != (int) p ? 1 : 0);
    }

    private static void xmmMov(CpuCore c, Uop u, long[] r, Mmu m) {
        long[] x = c.xmm;
        x[u.a] = x[u.b];
        x[u.a + 1] = x[u.b + 1];
    }

    private static void pxorXx(CpuCore c, Uop u, long[] r, Mmu m) {
        long[] x = c.xmm;
        x[u.a] ^= x[u.b];
        x[u.a + 1] ^= x[u.b + 1];
    }

    private static void xmmLoadSd(CpuCore c, Uop u, long[] r, Mmu m) {
        long v = m.read64(ea(c, u, r));
        c.xmm[u.a] = v;
        c.xmm[u.a + 1] = 0;
    }

    private static void xmmStoreSd(CpuCore c, Uop u, long[] r, Mmu m) {
        m.write64(ea(c, u, r), c.xmm[u.b]);
    }

    private static void xmmLoadu(CpuCore c, Uop u, long[] r, Mmu m) {
        long a = ea(c, u, r), lo = m.read64(a), hi = m.read64(a + 8);
        c.xmm[u.a] = lo;
        c.xmm[u.a + 1] = hi;
    }

    private static void addRr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = r[u.b], v = x + y;
        r[u.a] = v;
        cc(c, Flags.ADD + 3, v, y);
    }

    private static void addRi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = x + y;
        r[u.a] = v;
        cc(c, Flags.ADD + 3, v, y);
    }

    private static void addRm64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = r[u.a], y = m.read64(ea), v = x + y;
        r[u.a] = v;
        cc(c, Flags.ADD + 3, v, y);
    }

    private static void addMr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = r[u.b], v = x + y;
        m.write64(ea, v);
        cc(c, Flags.ADD + 3, v, y);
    }

    private static void addMi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = u.imm, v = x + y;
        m.write64(ea, v);
        cc(c, Flags.ADD + 3, v, y);
    }

    private static void addRr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = (r[u.b] & M32), v = (x + y) & M32;
        r[u.a] = v;
        cc(c, Flags.ADD + 2, v, y);
    }

    private static void addRi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = (x + y) & M32;
        r[u.a] = v;
        cc(c, Flags.ADD + 2, v, y);
    }

    private static void addRm32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = r[u.a], y = (m.read32(ea) & M32), v = (x + y) & M32;
        r[u.a] = v;
        cc(c, Flags.ADD + 2, v, y);
    }

    private static void addMr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = (x + y) & M32;
        m.write32(ea, (int) v);
        cc(c, Flags.ADD + 2, v, y);
    }

    private static void addMi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = u.imm, v = (x + y) & M32;
        m.write32(ea, (int) v);
        cc(c, Flags.ADD + 2, v, y);
    }

    private static void subRr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = r[u.b], v = x - y;
        r[u.a] = v;
        cc(c, Flags.SUB + 3, v, y);
    }

    private static void subRi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = x - y;
        r[u.a] = v;
        cc(c, Flags.SUB + 3, v, y);
    }

    private static void subRm64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = r[u.a], y = m.read64(ea), v = x - y;
        r[u.a] = v;
        cc(c, Flags.SUB + 3, v, y);
    }

    private static void subMr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = r[u.b], v = x - y;
        m.write64(ea, v);
        cc(c, Flags.SUB + 3, v, y);
    }

    private static void subMi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = u.imm, v = x - y;
        m.write64(ea, v);
        cc(c, Flags.SUB + 3, v, y);
    }

    private static void subRr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = (r[u.b] & M32), v = (x - y) & M32;
        r[u.a] = v;
        cc(c, Flags.SUB + 2, v, y);
    }

    private static void subRi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = (x - y) & M32;
        r[u.a] = v;
        cc(c, Flags.SUB + 2, v, y);
    }

    private static void subRm32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = r[u.a], y = (m.read32(ea) & M32), v = (x - y) & M32;
        r[u.a] = v;
        cc(c, Flags.SUB + 2, v, y);
    }

    private static void subMr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = (x - y) & M32;
        m.write32(ea, (int) v);
        cc(c, Flags.SUB + 2, v, y);
    }

    private static void subMi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = u.imm, v = (x - y) & M32;
        m.write32(ea, (int) v);
        cc(c, Flags.SUB + 2, v, y);
    }

    private static void andRr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = r[u.b], v = x & y;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void andRi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = x & y;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void andRm64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = r[u.a], y = m.read64(ea), v = x & y;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void andMr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = r[u.b], v = x & y;
        m.write64(ea, v);
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void andMi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = u.imm, v = x & y;
        m.write64(ea, v);
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void andRr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = (r[u.b] & M32), v = x & y;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void andRi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = x & y;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void andRm32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = r[u.a], y = (m.read32(ea) & M32), v = x & y;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void andMr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = x & y;
        m.write32(ea, (int) v);
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void andMi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = u.imm, v = x & y;
        m.write32(ea, (int) v);
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void orRr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = r[u.b], v = x | y;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void orRi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = x | y;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void orRm64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = r[u.a], y = m.read64(ea), v = x | y;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void orMr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = r[u.b], v = x | y;
        m.write64(ea, v);
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void orMi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = u.imm, v = x | y;
        m.write64(ea, v);
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void orRr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = (r[u.b] & M32), v = (x | y) & M32;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void orRi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = (x | y) & M32;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void orRm32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = r[u.a], y = (m.read32(ea) & M32), v = (x | y) & M32;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void orMr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = (x | y) & M32;
        m.write32(ea, (int) v);
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void orMi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = u.imm, v = (x | y) & M32;
        m.write32(ea, (int) v);
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void xorRr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = r[u.b], v = x ^ y;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void xorRi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = x ^ y;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void xorRm64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = r[u.a], y = m.read64(ea), v = x ^ y;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void xorMr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = r[u.b], v = x ^ y;
        m.write64(ea, v);
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void xorMi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = u.imm, v = x ^ y;
        m.write64(ea, v);
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void xorRr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = (r[u.b] & M32), v = (x ^ y) & M32;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void xorRi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = (x ^ y) & M32;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void xorRm32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = r[u.a], y = (m.read32(ea) & M32), v = (x ^ y) & M32;
        r[u.a] = v;
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void xorMr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = (x ^ y) & M32;
        m.write32(ea, (int) v);
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void xorMi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = u.imm, v = (x ^ y) & M32;
        m.write32(ea, (int) v);
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void cmpRr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = r[u.b], v = x - y;
        cc(c, Flags.SUB + 3, v, y);
    }

    private static void cmpRi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = x - y;
        cc(c, Flags.SUB + 3, v, y);
    }

    private static void cmpRm64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = r[u.a], y = m.read64(ea), v = x - y;
        cc(c, Flags.SUB + 3, v, y);
    }

    private static void cmpMr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = r[u.b], v = x - y;
        cc(c, Flags.SUB + 3, v, y);
    }

    private static void cmpMi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = u.imm, v = x - y;
        cc(c, Flags.SUB + 3, v, y);
    }

    private static void cmpRr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = (r[u.b] & M32), v = (x - y) & M32;
        cc(c, Flags.SUB + 2, v, y);
    }

    private static void cmpRi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = (x - y) & M32;
        cc(c, Flags.SUB + 2, v, y);
    }

    private static void cmpRm32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = r[u.a], y = (m.read32(ea) & M32), v = (x - y) & M32;
        cc(c, Flags.SUB + 2, v, y);
    }

    private static void cmpMr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = (x - y) & M32;
        cc(c, Flags.SUB + 2, v, y);
    }

    private static void cmpMi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = u.imm, v = (x - y) & M32;
        cc(c, Flags.SUB + 2, v, y);
    }

    private static void testRr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = r[u.b], v = x & y;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void testRi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = x & y;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void testMr64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = r[u.b], v = x & y;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void testMi64(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = m.read64(ea), y = u.imm, v = x & y;
        cc(c, Flags.LOGIC + 3, v, 0);
    }

    private static void testRr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = (r[u.b] & M32), v = x & y;
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void testRi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long x = r[u.a], y = u.imm, v = x & y;
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void testMr32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = x & y;
        cc(c, Flags.LOGIC + 2, v, 0);
    }

    private static void testMi32(CpuCore c, Uop u, long[] r, Mmu m) {
        long ea = ea(c, u, r);
        long x = (m.read32(ea) & M32), y = u.imm, v = x & y;
        cc(c, Flags.LOGIC + 2, v, 0);
    }


    /** The Jcc half of a fused uop: RIP is already the Jcc's end. */
    private static void fusedJcc(CpuCore c, Uop u) {
        if (Flags.cond(c, u.cc)) c.rip += u.rel;
    }

    /** The effective address of a specialized memory operand (no segment, 64-bit addressing). */
    static long ea(CpuCore c, Uop u, long[] r) {
        return r[u.base] + (r[u.index] << u.scale) + u.disp + (c.rip & u.ripMask);
    }

    /** Records the lazy flags of a result ({@link Flags}: ccOp includes the size index). */
    static void cc(CpuCore c, int op, long dst, long src) {
        c.ccOp = op;
        c.ccDst = dst;
        c.ccSrc = src;
    }

    /** ADDSD/SUBSD/MULSD/DIVSD straight to their handler (what SseFpDispatch would do). */
    private static void sd(CpuCore c, Uop u, int kind) {
        c.simdFlags = 0;
        SseFp.scalar(c, u.insn, kind, true);
    }
    /** ADDPD/SUBPD/MULPD between two XMM registers: both lanes, then the MXCSR flags, then the write. */
    private static void pd(CpuCore c, Uop u, int kind) {
        c.simdFlags = 0;
        long[] x = c.xmm;
        long lo = SseFp.op64(c, kind, x[u.a], x[u.b]);
        long hi = SseFp.op64(c, kind, x[u.a + 1], x[u.b + 1]);
        Mxcsr.commit(c);
        x[u.a] = lo;
        x[u.a + 1] = hi;
    }

    /** UCOMISD/COMISD with an XMM destination (register or memory source). */
    private static void comisd(CpuCore c, Uop u, boolean signalQuiet) {
        c.simdFlags = 0;
        SseFp.comi(c, u.insn, true, signalQuiet);
    }

    /** UNPCKLPD/PUNPCKLQDQ xmm, xmm: the destination's low quadword stays, the source's low one goes high. */
    private static void unpcklQ(CpuCore c, Uop u) {
        long[] x = c.xmm;
        x[u.a + 1] = x[u.b];
    }

    /** UNPCKHPD/PUNPCKHQDQ xmm, xmm: the destination's high quadword goes low, the source's high one goes high. */
    private static void unpckhQ(CpuCore c, Uop u) {
        long[] x = c.xmm;
        long hi = x[u.b + 1];
        x[u.a] = x[u.a + 1];
        x[u.a + 1] = hi;
    }
}
