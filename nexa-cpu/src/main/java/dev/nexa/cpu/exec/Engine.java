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
 * The method is large on purpose (one switch, so that no call separates one guest instruction
 * from the next) but stays below HotSpot's 8000-byte limit for compiled methods; rare work is
 * in the callees.
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
            IMUL_RR64 = 67, IMUL_RR32 = 68, PXOR_XX = 69;
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
                    case MOV_RR64 -> r[u.a] = r[u.b];
                    case MOV_RR32 -> r[u.a] = r[u.b] & M32;
                    case MOV_RI -> r[u.a] = u.imm;
                    case MOV_RM64 -> r[u.a] = m.read64(ea(c, u, r));
                    case MOV_RM32 -> r[u.a] = m.read32(ea(c, u, r)) & M32;
                    case MOV_MR64 -> m.write64(ea(c, u, r), r[u.b]);
                    case MOV_MR32 -> m.write32(ea(c, u, r), (int) r[u.b]);
                    case MOV_MR8 -> m.write8(ea(c, u, r), (byte) r[u.b]);
                    case MOV_MI64 -> m.write64(ea(c, u, r), u.imm);
                    case MOV_MI32 -> m.write32(ea(c, u, r), (int) u.imm);
                    case MOV_MI8 -> m.write8(ea(c, u, r), (byte) u.imm);
                    case MOVZX_RM8 -> r[u.a] = m.read8(ea(c, u, r)) & 0xFF;
                    case MOVZX_RM16 -> r[u.a] = m.read16(ea(c, u, r)) & 0xFFFF;
                    case MOVZX_RR8 -> r[u.a] = r[u.b] & 0xFF;
                    case MOVZX_RR16 -> r[u.a] = r[u.b] & 0xFFFF;
                    case MOVSXD_RR -> r[u.a] = (int) r[u.b];
                    case MOVSXD_RM -> r[u.a] = m.read32(ea(c, u, r));
                    case LEA64 -> r[u.a] = ea(c, u, r);
                    case LEA32 -> r[u.a] = ea(c, u, r) & M32;

                    case JMP -> c.rip += u.imm;
                    case JCC -> {
                        if (Flags.cond(c, u.cc)) c.rip += u.imm;
                    }
                    case CALL -> {
                        long sp = r[4] - 8;
                        m.write64(sp, c.rip);
                        r[4] = sp;
                        c.rip += u.imm;
                    }
                    case CALL_R -> {
                        long target = r[u.a], sp = r[4] - 8;
                        m.write64(sp, c.rip);
                        r[4] = sp;
                        c.rip = target;
                    }
                    case JMP_R -> c.rip = r[u.a];
                    case JMP_M -> c.rip = m.read64(ea(c, u, r));
                    case RET -> {
                        long target = m.read64(r[4]);
                        r[4] += 8;
                        c.rip = target;
                    }
                    case PUSH_R -> {
                        long v = r[u.a], sp = r[4] - 8;      // PUSH RSP pushes the old value
                        m.write64(sp, v);
                        r[4] = sp;
                    }
                    case PUSH_I -> {
                        long sp = r[4] - 8;
                        m.write64(sp, u.imm);
                        r[4] = sp;
                    }
                    case POP_R -> {
                        long v = m.read64(r[4]);
                        r[4] += 8;
                        r[u.a] = v;                          // POP RSP: the popped value wins
                    }

                    case INC64 -> {
                        long cf = Flags.carry(c) ? Flags.CF : 0, v = r[u.a] + 1;
                        r[u.a] = v;
                        cc(c, Flags.INC + 3, v, cf);
                    }
                    case INC32 -> {
                        long cf = Flags.carry(c) ? Flags.CF : 0, v = (r[u.a] + 1) & M32;
                        r[u.a] = v;
                        cc(c, Flags.INC + 2, v, cf);
                    }
                    case DEC64 -> {
                        long cf = Flags.carry(c) ? Flags.CF : 0, v = r[u.a] - 1;
                        r[u.a] = v;
                        cc(c, Flags.DEC + 3, v, cf);
                    }
                    case DEC32 -> {
                        long cf = Flags.carry(c) ? Flags.CF : 0, v = (r[u.a] - 1) & M32;
                        r[u.a] = v;
                        cc(c, Flags.DEC + 2, v, cf);
                    }
                    case NOT64 -> r[u.a] = ~r[u.a];
                    case NOT32 -> r[u.a] = ~r[u.a] & M32;
                    case NEG64 -> {
                        long x = r[u.a], v = -x;
                        r[u.a] = v;
                        cc(c, Flags.SUB + 3, v, x);
                    }
                    case NEG32 -> {
                        long x = r[u.a] & M32, v = -x & M32;
                        r[u.a] = v;
                        cc(c, Flags.SUB + 2, v, x);
                    }
                    // Shifts by a non-zero immediate count (u.imm, already masked): Flags.SHL and
                    // Flags.SAR take the operand shifted by count-1, as Shifts does.
                    case SHL64 -> {
                        long x = r[u.a], v = x << u.imm;
                        r[u.a] = v;
                        cc(c, Flags.SHL + 3, v, x << (u.imm - 1));
                    }
                    case SHR64 -> {
                        long x = r[u.a], v = x >>> u.imm;
                        r[u.a] = v;
                        cc(c, Flags.SAR + 3, v, x >>> (u.imm - 1));
                    }
                    case SAR64 -> {
                        long x = r[u.a], v = x >> u.imm;
                        r[u.a] = v;
                        cc(c, Flags.SAR + 3, v, x >> (u.imm - 1));
                    }
                    case SHL32 -> {
                        long x = r[u.a] & M32, v = (x << u.imm) & M32;
                        r[u.a] = v;
                        cc(c, Flags.SHL + 2, v, (x << (u.imm - 1)) & M32);
                    }
                    case SHR32 -> {
                        long x = r[u.a] & M32, v = x >>> u.imm;
                        r[u.a] = v;
                        cc(c, Flags.SAR + 2, v, x >>> (u.imm - 1));
                    }
                    case SAR32 -> {
                        long x = (int) r[u.a], v = (x >> u.imm) & M32;
                        r[u.a] = v;
                        cc(c, Flags.SAR + 2, v, (x >> (u.imm - 1)) & M32);
                    }

                    case CMP_MI8 -> {
                        long x = m.read8(ea(c, u, r)) & 0xFF, v = (x - u.imm) & 0xFF;
                        cc(c, Flags.SUB, v, u.imm);
                    }
                    case CMP_RI8 -> {
                        long x = r[u.a] & 0xFF, v = (x - u.imm) & 0xFF;
                        cc(c, Flags.SUB, v, u.imm);
                    }
                    case CMP_RM8 -> {
                        long y = m.read8(ea(c, u, r)) & 0xFF, v = ((r[u.a] & 0xFF) - y) & 0xFF;
                        cc(c, Flags.SUB, v, y);
                    }
                    case CMP_MR8 -> {
                        long x = m.read8(ea(c, u, r)) & 0xFF, y = r[u.b] & 0xFF, v = (x - y) & 0xFF;
                        cc(c, Flags.SUB, v, y);
                    }
                    case TEST_RI8 -> cc(c, Flags.LOGIC, r[u.a] & u.imm, 0);
                    case TEST_RR8 -> cc(c, Flags.LOGIC, r[u.a] & r[u.b] & 0xFF, 0);
                    case CMOV64 -> {
                        if (Flags.cond(c, u.cc)) r[u.a] = r[u.b];
                    }
                    case CMOV32 -> r[u.a] = (Flags.cond(c, u.cc) ? r[u.b] : r[u.a]) & M32;
                    case SETCC_R -> r[u.a] = (r[u.a] & ~0xFFL) | (Flags.cond(c, u.cc) ? 1 : 0);

                    // IMUL r, r/m (two operands): OF = CF = the product does not fit (MulDiv.imul).
                    case IMUL_RR64 -> {
                        long x = r[u.a], y = r[u.b], p = x * y;
                        r[u.a] = p;
                        cc(c, Flags.MUL + 3, p, Math.multiplyHigh(x, y) != p >> 63 ? 1 : 0);
                    }
                    case IMUL_RR32 -> {
                        long p = (long) (int) r[u.a] * (int) r[u.b], lo = p & M32;
                        r[u.a] = lo;
                        cc(c, Flags.MUL + 2, lo, p != (int) p ? 1 : 0);
                    }

                    case XMM_MOV -> {
                        long[] x = c.xmm;
                        x[u.a] = x[u.b];
                        x[u.a + 1] = x[u.b + 1];
                    }
                    case PXOR_XX -> {
                        long[] x = c.xmm;
                        x[u.a] ^= x[u.b];
                        x[u.a + 1] ^= x[u.b + 1];
                    }
                    case XMM_LOAD_SD -> {
                        long v = m.read64(ea(c, u, r));
                        c.xmm[u.a] = v;
                        c.xmm[u.a + 1] = 0;
                    }
                    case XMM_STORE_SD -> m.write64(ea(c, u, r), c.xmm[u.b]);
                    case XMM_LOADU -> {
                        long a = ea(c, u, r), lo = m.read64(a), hi = m.read64(a + 8);
                        c.xmm[u.a] = lo;
                        c.xmm[u.a + 1] = hi;
                    }
                    case XMM_STOREU -> SseMoves.store128(c, ea(c, u, r), c.xmm[u.b], c.xmm[u.b + 1]);
                    case SD_ADD -> sd(c, u, SseFp.ADD);
                    case SD_SUB -> sd(c, u, SseFp.SUB);
                    case SD_MUL -> sd(c, u, SseFp.MUL);
                    case SD_DIV -> sd(c, u, SseFp.DIV);

                    case SSE_MOVE -> SseMoveDispatch.exec(c, u.insn);
                    case SSE_FP -> SseFpDispatch.exec(c, u.insn);
                    case SSE_INT -> SseIntDispatch.exec(c, u.insn);
                    case X87 -> X87Dispatch.exec(c, u.insn);
                    case ADD_RR64 -> {
                        long x = r[u.a], y = r[u.b], v = x + y;
                        r[u.a] = v;
                        cc(c, Flags.ADD + 3, v, y);
                    }
                    case ADD_RI64 -> {
                        long x = r[u.a], y = u.imm, v = x + y;
                        r[u.a] = v;
                        cc(c, Flags.ADD + 3, v, y);
                    }
                    case ADD_RM64 -> {
                        long ea = ea(c, u, r);
                        long x = r[u.a], y = m.read64(ea), v = x + y;
                        r[u.a] = v;
                        cc(c, Flags.ADD + 3, v, y);
                    }
                    case ADD_MR64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = r[u.b], v = x + y;
                        m.write64(ea, v);
                        cc(c, Flags.ADD + 3, v, y);
                    }
                    case ADD_MI64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = u.imm, v = x + y;
                        m.write64(ea, v);
                        cc(c, Flags.ADD + 3, v, y);
                    }
                    case ADD_RR32 -> {
                        long x = r[u.a], y = (r[u.b] & M32), v = (x + y) & M32;
                        r[u.a] = v;
                        cc(c, Flags.ADD + 2, v, y);
                    }
                    case ADD_RI32 -> {
                        long x = r[u.a], y = u.imm, v = (x + y) & M32;
                        r[u.a] = v;
                        cc(c, Flags.ADD + 2, v, y);
                    }
                    case ADD_RM32 -> {
                        long ea = ea(c, u, r);
                        long x = r[u.a], y = (m.read32(ea) & M32), v = (x + y) & M32;
                        r[u.a] = v;
                        cc(c, Flags.ADD + 2, v, y);
                    }
                    case ADD_MR32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = (x + y) & M32;
                        m.write32(ea, (int) v);
                        cc(c, Flags.ADD + 2, v, y);
                    }
                    case ADD_MI32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = u.imm, v = (x + y) & M32;
                        m.write32(ea, (int) v);
                        cc(c, Flags.ADD + 2, v, y);
                    }
                    case SUB_RR64 -> {
                        long x = r[u.a], y = r[u.b], v = x - y;
                        r[u.a] = v;
                        cc(c, Flags.SUB + 3, v, y);
                    }
                    case SUB_RI64 -> {
                        long x = r[u.a], y = u.imm, v = x - y;
                        r[u.a] = v;
                        cc(c, Flags.SUB + 3, v, y);
                    }
                    case SUB_RM64 -> {
                        long ea = ea(c, u, r);
                        long x = r[u.a], y = m.read64(ea), v = x - y;
                        r[u.a] = v;
                        cc(c, Flags.SUB + 3, v, y);
                    }
                    case SUB_MR64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = r[u.b], v = x - y;
                        m.write64(ea, v);
                        cc(c, Flags.SUB + 3, v, y);
                    }
                    case SUB_MI64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = u.imm, v = x - y;
                        m.write64(ea, v);
                        cc(c, Flags.SUB + 3, v, y);
                    }
                    case SUB_RR32 -> {
                        long x = r[u.a], y = (r[u.b] & M32), v = (x - y) & M32;
                        r[u.a] = v;
                        cc(c, Flags.SUB + 2, v, y);
                    }
                    case SUB_RI32 -> {
                        long x = r[u.a], y = u.imm, v = (x - y) & M32;
                        r[u.a] = v;
                        cc(c, Flags.SUB + 2, v, y);
                    }
                    case SUB_RM32 -> {
                        long ea = ea(c, u, r);
                        long x = r[u.a], y = (m.read32(ea) & M32), v = (x - y) & M32;
                        r[u.a] = v;
                        cc(c, Flags.SUB + 2, v, y);
                    }
                    case SUB_MR32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = (x - y) & M32;
                        m.write32(ea, (int) v);
                        cc(c, Flags.SUB + 2, v, y);
                    }
                    case SUB_MI32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = u.imm, v = (x - y) & M32;
                        m.write32(ea, (int) v);
                        cc(c, Flags.SUB + 2, v, y);
                    }
                    case AND_RR64 -> {
                        long x = r[u.a], y = r[u.b], v = x & y;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case AND_RI64 -> {
                        long x = r[u.a], y = u.imm, v = x & y;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case AND_RM64 -> {
                        long ea = ea(c, u, r);
                        long x = r[u.a], y = m.read64(ea), v = x & y;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case AND_MR64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = r[u.b], v = x & y;
                        m.write64(ea, v);
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case AND_MI64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = u.imm, v = x & y;
                        m.write64(ea, v);
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case AND_RR32 -> {
                        long x = r[u.a], y = (r[u.b] & M32), v = x & y;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case AND_RI32 -> {
                        long x = r[u.a], y = u.imm, v = x & y;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case AND_RM32 -> {
                        long ea = ea(c, u, r);
                        long x = r[u.a], y = (m.read32(ea) & M32), v = x & y;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case AND_MR32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = x & y;
                        m.write32(ea, (int) v);
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case AND_MI32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = u.imm, v = x & y;
                        m.write32(ea, (int) v);
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case OR_RR64 -> {
                        long x = r[u.a], y = r[u.b], v = x | y;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case OR_RI64 -> {
                        long x = r[u.a], y = u.imm, v = x | y;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case OR_RM64 -> {
                        long ea = ea(c, u, r);
                        long x = r[u.a], y = m.read64(ea), v = x | y;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case OR_MR64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = r[u.b], v = x | y;
                        m.write64(ea, v);
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case OR_MI64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = u.imm, v = x | y;
                        m.write64(ea, v);
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case OR_RR32 -> {
                        long x = r[u.a], y = (r[u.b] & M32), v = (x | y) & M32;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case OR_RI32 -> {
                        long x = r[u.a], y = u.imm, v = (x | y) & M32;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case OR_RM32 -> {
                        long ea = ea(c, u, r);
                        long x = r[u.a], y = (m.read32(ea) & M32), v = (x | y) & M32;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case OR_MR32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = (x | y) & M32;
                        m.write32(ea, (int) v);
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case OR_MI32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = u.imm, v = (x | y) & M32;
                        m.write32(ea, (int) v);
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case XOR_RR64 -> {
                        long x = r[u.a], y = r[u.b], v = x ^ y;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case XOR_RI64 -> {
                        long x = r[u.a], y = u.imm, v = x ^ y;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case XOR_RM64 -> {
                        long ea = ea(c, u, r);
                        long x = r[u.a], y = m.read64(ea), v = x ^ y;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case XOR_MR64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = r[u.b], v = x ^ y;
                        m.write64(ea, v);
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case XOR_MI64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = u.imm, v = x ^ y;
                        m.write64(ea, v);
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case XOR_RR32 -> {
                        long x = r[u.a], y = (r[u.b] & M32), v = (x ^ y) & M32;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case XOR_RI32 -> {
                        long x = r[u.a], y = u.imm, v = (x ^ y) & M32;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case XOR_RM32 -> {
                        long ea = ea(c, u, r);
                        long x = r[u.a], y = (m.read32(ea) & M32), v = (x ^ y) & M32;
                        r[u.a] = v;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case XOR_MR32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = (x ^ y) & M32;
                        m.write32(ea, (int) v);
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case XOR_MI32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = u.imm, v = (x ^ y) & M32;
                        m.write32(ea, (int) v);
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case CMP_RR64 -> {
                        long x = r[u.a], y = r[u.b], v = x - y;
                        cc(c, Flags.SUB + 3, v, y);
                    }
                    case CMP_RI64 -> {
                        long x = r[u.a], y = u.imm, v = x - y;
                        cc(c, Flags.SUB + 3, v, y);
                    }
                    case CMP_RM64 -> {
                        long ea = ea(c, u, r);
                        long x = r[u.a], y = m.read64(ea), v = x - y;
                        cc(c, Flags.SUB + 3, v, y);
                    }
                    case CMP_MR64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = r[u.b], v = x - y;
                        cc(c, Flags.SUB + 3, v, y);
                    }
                    case CMP_MI64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = u.imm, v = x - y;
                        cc(c, Flags.SUB + 3, v, y);
                    }
                    case CMP_RR32 -> {
                        long x = r[u.a], y = (r[u.b] & M32), v = (x - y) & M32;
                        cc(c, Flags.SUB + 2, v, y);
                    }
                    case CMP_RI32 -> {
                        long x = r[u.a], y = u.imm, v = (x - y) & M32;
                        cc(c, Flags.SUB + 2, v, y);
                    }
                    case CMP_RM32 -> {
                        long ea = ea(c, u, r);
                        long x = r[u.a], y = (m.read32(ea) & M32), v = (x - y) & M32;
                        cc(c, Flags.SUB + 2, v, y);
                    }
                    case CMP_MR32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = (x - y) & M32;
                        cc(c, Flags.SUB + 2, v, y);
                    }
                    case CMP_MI32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = u.imm, v = (x - y) & M32;
                        cc(c, Flags.SUB + 2, v, y);
                    }
                    case TEST_RR64 -> {
                        long x = r[u.a], y = r[u.b], v = x & y;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case TEST_RI64 -> {
                        long x = r[u.a], y = u.imm, v = x & y;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case TEST_MR64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = r[u.b], v = x & y;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case TEST_MI64 -> {
                        long ea = ea(c, u, r);
                        long x = m.read64(ea), y = u.imm, v = x & y;
                        cc(c, Flags.LOGIC + 3, v, 0);
                    }
                    case TEST_RR32 -> {
                        long x = r[u.a], y = (r[u.b] & M32), v = x & y;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case TEST_RI32 -> {
                        long x = r[u.a], y = u.imm, v = x & y;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case TEST_MR32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = (r[u.b] & M32), v = x & y;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    case TEST_MI32 -> {
                        long ea = ea(c, u, r);
                        long x = (m.read32(ea) & M32), y = u.imm, v = x & y;
                        cc(c, Flags.LOGIC + 2, v, 0);
                    }
                    default -> GpDispatch.exec(c, u.insn);
                }
            }
        } catch (RuntimeException e) {
            c.faultIndex = k;
            throw e;
        }
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
}
