package dev.nexa.cpu.decode;

import static dev.nexa.cpu.decode.Op.*;
import static dev.nexa.cpu.decode.OpcodeMaps.*;
import static dev.nexa.cpu.decode.Operand.*;
import static dev.nexa.cpu.decode.Rows.*;

/**
 * SSE..SSE4.2, PCLMULQDQ and MMX rows of the legacy 0F, 0F38 and 0F3A maps, as in the Intel SDM
 * Vol. 2D Tables with their mandatory-prefix columns (none = the MMX or
 * packed-single form, 66, F3, F2). LDMXCSR/STMXCSR live in GpRows' group 15 (0F AE).
 * <p>
 * Operand sizes follow the SDM: {@code W_q}/{@code W_d}/{@code W_w} where the memory form reads
 * fewer than 16 bytes (PMOVSX, CVTPS2PD, MOVDDUP ...). Byte and word GPR operands that are
 * "r32/m8" or "r32/m16" in the SDM are written {@code E_d} (a byte-sized register operand would
 * decode as AH..BH): the handlers size the memory access themselves.
 */
final class SseRows {
    private SseRows() {}

    static void register(OpcodeMaps m) {
        moves(m);
        arithmetic(m);
        integer(m);
        map0F38(m);
        map0F3A(m);
    }

    /** A cell split by mandatory prefix: none, 66, F3, F2 ({@code null} = #UD). */
    private static Entry p(Row none, Row p66, Row f3, Row f2) {
        return prefix(leaf(none), leaf(p66), leaf(f3), leaf(f2));
    }

    private static Entry leaf(Row r) { return r == null ? null : r.leaf(); }

    /** The common pattern "MMX form without prefix, XMM form with 66". */
    private static Entry mmxXmm(Op op) {
        return p(op(op, P_q, Q_q), op(op, V_x, W_x), null, null);
    }

    private static Entry only66(Row r) { return p(null, r, null, null); }

    private static void moves(OpcodeMaps m) {
        m.set(TWO_BYTE, 0x10, p(op(MOVUPS, V_x, W_x), op(MOVUPD, V_x, W_x), op(MOVSS, V_x, W_ss), op(MOVSD, V_x, W_sd)));
        m.set(TWO_BYTE, 0x11, p(op(MOVUPS, W_x, V_x), op(MOVUPD, W_x, V_x), op(MOVSS, W_ss, V_x), op(MOVSD, W_sd, V_x)));
        m.set(TWO_BYTE, 0x12, prefix(mod(op(MOVLPS, V_x, M_q).leaf(), op(MOVHLPS, V_x, U_x).leaf()),
                op(MOVLPD, V_x, M_q).leaf(), op(MOVSLDUP, V_x, W_x).leaf(), op(MOVDDUP, V_x, W_q).leaf()));
        m.set(TWO_BYTE, 0x13, p(op(MOVLPS, M_q, V_x), op(MOVLPD, M_q, V_x), null, null));
        m.set(TWO_BYTE, 0x14, p(op(UNPCKLPS, V_x, W_x), op(UNPCKLPD, V_x, W_x), null, null));
        m.set(TWO_BYTE, 0x15, p(op(UNPCKHPS, V_x, W_x), op(UNPCKHPD, V_x, W_x), null, null));
        m.set(TWO_BYTE, 0x16, prefix(mod(op(MOVHPS, V_x, M_q).leaf(), op(MOVLHPS, V_x, U_x).leaf()),
                op(MOVHPD, V_x, M_q).leaf(), op(MOVSHDUP, V_x, W_x).leaf(), null));
        m.set(TWO_BYTE, 0x17, p(op(MOVHPS, M_q, V_x), op(MOVHPD, M_q, V_x), null, null));
        m.set(TWO_BYTE, 0x28, p(op(MOVAPS, V_x, W_x), op(MOVAPD, V_x, W_x), null, null));
        m.set(TWO_BYTE, 0x29, p(op(MOVAPS, W_x, V_x), op(MOVAPD, W_x, V_x), null, null));
        m.set(TWO_BYTE, 0x2B, p(op(MOVNTPS, M_x, V_x), op(MOVNTPD, M_x, V_x), null, null));
        m.set(TWO_BYTE, 0x50, p(op(MOVMSKPS, G_d, U_x), op(MOVMSKPD, G_d, U_x), null, null));
        m.set(TWO_BYTE, 0x6E, p(op(MOVD, P_q, E_y), op(MOVD, V_x, E_y), null, null));
        m.set(TWO_BYTE, 0x6F, p(op(MOVQ, P_q, Q_q), op(MOVDQA, V_x, W_x), op(MOVDQU, V_x, W_x), null));
        m.set(TWO_BYTE, 0x77, op(EMMS));
        m.set(TWO_BYTE, 0x7E, p(op(MOVD, E_y, P_q), op(MOVD, E_y, V_x), op(MOVQ, V_x, W_q), null));
        m.set(TWO_BYTE, 0x7F, p(op(MOVQ, Q_q, P_q), op(MOVDQA, W_x, V_x), op(MOVDQU, W_x, V_x), null));
        m.set(TWO_BYTE, 0xC3, p(op(MOVNTI, M_y, G_y), null, null, null));
        m.set(TWO_BYTE, 0xC4, p(op(PINSRW, P_q, E_d, I_b), op(PINSRW, V_x, E_d, I_b), null, null));
        m.set(TWO_BYTE, 0xC5, p(op(PEXTRW, G_d, N_q, I_b), op(PEXTRW, G_d, U_x, I_b), null, null));
        m.set(TWO_BYTE, 0xC6, p(op(SHUFPS, V_x, W_x, I_b), op(SHUFPD, V_x, W_x, I_b), null, null));
        m.set(TWO_BYTE, 0xD6, p(null, op(MOVQ, W_q, V_x), op(MOVQ2DQ, V_x, N_q), op(MOVDQ2Q, P_q, U_x)));
        m.set(TWO_BYTE, 0xD7, p(op(PMOVMSKB, G_d, N_q), op(PMOVMSKB, G_d, U_x), null, null));
        m.set(TWO_BYTE, 0xE7, p(op(MOVNTQ, M_q, P_q), op(MOVNTDQ, M_x, V_x), null, null));
        m.set(TWO_BYTE, 0xF0, p(null, null, null, op(LDDQU, V_x, M_x)));
        m.set(TWO_BYTE, 0xF7, p(op(MASKMOVQ, P_q, N_q), op(MASKMOVDQU, V_x, U_x), null, null));
    }

    /** Floating-point arithmetic, compares and conversions. */
    private static void arithmetic(OpcodeMaps m) {
        m.set(TWO_BYTE, 0x2A, p(op(CVTPI2PS, V_x, Q_q), op(CVTPI2PD, V_x, Q_q), op(CVTSI2SS, V_x, E_y),
                op(CVTSI2SD, V_x, E_y)));
        m.set(TWO_BYTE, 0x2C, p(op(CVTTPS2PI, P_q, W_q), op(CVTTPD2PI, P_q, W_x), op(CVTTSS2SI, G_y, W_ss),
                op(CVTTSD2SI, G_y, W_sd)));
        m.set(TWO_BYTE, 0x2D, p(op(CVTPS2PI, P_q, W_q), op(CVTPD2PI, P_q, W_x), op(CVTSS2SI, G_y, W_ss),
                op(CVTSD2SI, G_y, W_sd)));
        m.set(TWO_BYTE, 0x2E, p(op(UCOMISS, V_x, W_ss), op(UCOMISD, V_x, W_sd), null, null));
        m.set(TWO_BYTE, 0x2F, p(op(COMISS, V_x, W_ss), op(COMISD, V_x, W_sd), null, null));
        m.set(TWO_BYTE, 0x51, arith4(SQRTPS, SQRTPD, SQRTSS, SQRTSD));
        m.set(TWO_BYTE, 0x52, p(op(RSQRTPS, V_x, W_x), null, op(RSQRTSS, V_x, W_ss), null));
        m.set(TWO_BYTE, 0x53, p(op(RCPPS, V_x, W_x), null, op(RCPSS, V_x, W_ss), null));
        m.set(TWO_BYTE, 0x58, arith4(ADDPS, ADDPD, ADDSS, ADDSD));
        m.set(TWO_BYTE, 0x59, arith4(MULPS, MULPD, MULSS, MULSD));
        m.set(TWO_BYTE, 0x5A, p(op(CVTPS2PD, V_x, W_q), op(CVTPD2PS, V_x, W_x), op(CVTSS2SD, V_x, W_ss),
                op(CVTSD2SS, V_x, W_sd)));
        m.set(TWO_BYTE, 0x5B, p(op(CVTDQ2PS, V_x, W_x), op(CVTPS2DQ, V_x, W_x), op(CVTTPS2DQ, V_x, W_x), null));
        m.set(TWO_BYTE, 0x5C, arith4(SUBPS, SUBPD, SUBSS, SUBSD));
        m.set(TWO_BYTE, 0x5D, arith4(MINPS, MINPD, MINSS, MINSD));
        m.set(TWO_BYTE, 0x5E, arith4(DIVPS, DIVPD, DIVSS, DIVSD));
        m.set(TWO_BYTE, 0x5F, arith4(MAXPS, MAXPD, MAXSS, MAXSD));
        m.set(TWO_BYTE, 0x7C, p(null, op(HADDPD, V_x, W_x), null, op(HADDPS, V_x, W_x)));
        m.set(TWO_BYTE, 0x7D, p(null, op(HSUBPD, V_x, W_x), null, op(HSUBPS, V_x, W_x)));
        m.set(TWO_BYTE, 0xC2, p(op(CMPPS, V_x, W_x, I_b), op(CMPPD, V_x, W_x, I_b), op(CMPSS, V_x, W_ss, I_b),
                op(CMPSD, V_x, W_sd, I_b)));
        m.set(TWO_BYTE, 0xD0, p(null, op(ADDSUBPD, V_x, W_x), null, op(ADDSUBPS, V_x, W_x)));
        m.set(TWO_BYTE, 0xE6, p(null, op(CVTTPD2DQ, V_x, W_x), op(CVTDQ2PD, V_x, W_q), op(CVTPD2DQ, V_x, W_x)));
    }

    private static Entry arith4(Op ps, Op pd, Op ss, Op sd) {
        return p(op(ps, V_x, W_x), op(pd, V_x, W_x), op(ss, V_x, W_ss), op(sd, V_x, W_sd));
    }

    /** Logic and the integer SIMD operations of the 0F map (MMX without prefix, SSE2 with 66). */
    private static void integer(OpcodeMaps m) {
        m.set(TWO_BYTE, 0x54, p(op(ANDPS, V_x, W_x), op(ANDPD, V_x, W_x), null, null));
        m.set(TWO_BYTE, 0x55, p(op(ANDNPS, V_x, W_x), op(ANDNPD, V_x, W_x), null, null));
        m.set(TWO_BYTE, 0x56, p(op(ORPS, V_x, W_x), op(ORPD, V_x, W_x), null, null));
        m.set(TWO_BYTE, 0x57, p(op(XORPS, V_x, W_x), op(XORPD, V_x, W_x), null, null));
        // 60-62: the MMX low unpacks read only 32 bits of memory (PUNPCKLBW mm, mm/m32).
        Op[] lowUnpacks = {PUNPCKLBW, PUNPCKLWD, PUNPCKLDQ};
        for (int k = 0; k < 3; k++) {
            m.set(TWO_BYTE, 0x60 + k, p(op(lowUnpacks[k], P_q, Q_d), op(lowUnpacks[k], V_x, W_x), null, null));
        }
        Op[] row6 = {PACKSSWB, PCMPGTB, PCMPGTW, PCMPGTD, PACKUSWB, PUNPCKHBW, PUNPCKHWD, PUNPCKHDQ, PACKSSDW};
        for (int k = 0; k < row6.length; k++) m.set(TWO_BYTE, 0x63 + k, mmxXmm(row6[k]));
        m.set(TWO_BYTE, 0x6C, only66(op(PUNPCKLQDQ, V_x, W_x)));
        m.set(TWO_BYTE, 0x6D, only66(op(PUNPCKHQDQ, V_x, W_x)));
        m.set(TWO_BYTE, 0x70, p(op(PSHUFW, P_q, Q_q, I_b), op(PSHUFD, V_x, W_x, I_b), op(PSHUFHW, V_x, W_x, I_b),
                op(PSHUFLW, V_x, W_x, I_b)));
        // Groups 12-14: shifts by immediate, register forms only (N/U operands: memory is #UD).
        m.set(TWO_BYTE, 0x71, group(null, null, shiftImm(PSRLW), null, shiftImm(PSRAW), null, shiftImm(PSLLW), null));
        m.set(TWO_BYTE, 0x72, group(null, null, shiftImm(PSRLD), null, shiftImm(PSRAD), null, shiftImm(PSLLD), null));
        m.set(TWO_BYTE, 0x73, group(null, null, shiftImm(PSRLQ), only66(op(PSRLDQ, U_x, I_b)), null, null,
                shiftImm(PSLLQ), only66(op(PSLLDQ, U_x, I_b))));
        m.set(TWO_BYTE, 0x74, mmxXmm(PCMPEQB));
        m.set(TWO_BYTE, 0x75, mmxXmm(PCMPEQW));
        m.set(TWO_BYTE, 0x76, mmxXmm(PCMPEQD));
        Op[] rowD = {null, PSRLW, PSRLD, PSRLQ, PADDQ, PMULLW, null, null,
            PSUBUSB, PSUBUSW, PMINUB, PAND, PADDUSB, PADDUSW, PMAXUB, PANDN};
        Op[] rowE = {PAVGB, PSRAW, PSRAD, PAVGW, PMULHUW, PMULHW, null, null,
            PSUBSB, PSUBSW, PMINSW, POR, PADDSB, PADDSW, PMAXSW, PXOR};
        Op[] rowF = {null, PSLLW, PSLLD, PSLLQ, PMULUDQ, PMADDWD, PSADBW, null,
            PSUBB, PSUBW, PSUBD, PSUBQ, PADDB, PADDW, PADDD, null};
        for (int k = 0; k < 16; k++) {
            if (rowD[k] != null) m.set(TWO_BYTE, 0xD0 + k, mmxXmm(rowD[k]));
            if (rowE[k] != null) m.set(TWO_BYTE, 0xE0 + k, mmxXmm(rowE[k]));
            if (rowF[k] != null) m.set(TWO_BYTE, 0xF0 + k, mmxXmm(rowF[k]));
        }
    }

    private static Entry shiftImm(Op op) {
        return p(op(op, N_q, I_b), op(op, U_x, I_b), null, null);
    }

    private static void map0F38(OpcodeMaps m) {
        Op[] ssse3 = {PSHUFB, PHADDW, PHADDD, PHADDSW, PMADDUBSW, PHSUBW, PHSUBD, PHSUBSW,
            PSIGNB, PSIGNW, PSIGND, PMULHRSW};
        for (int k = 0; k < ssse3.length; k++) m.set(MAP_0F38, k, mmxXmm(ssse3[k]));
        m.set(MAP_0F38, 0x10, only66(op(PBLENDVB, V_x, W_x)));
        m.set(MAP_0F38, 0x14, only66(op(BLENDVPS, V_x, W_x)));
        m.set(MAP_0F38, 0x15, only66(op(BLENDVPD, V_x, W_x)));
        m.set(MAP_0F38, 0x17, only66(op(PTEST, V_x, W_x)));
        m.set(MAP_0F38, 0x1C, mmxXmm(PABSB));
        m.set(MAP_0F38, 0x1D, mmxXmm(PABSW));
        m.set(MAP_0F38, 0x1E, mmxXmm(PABSD));
        Op[] sx = {PMOVSXBW, PMOVSXBD, PMOVSXBQ, PMOVSXWD, PMOVSXWQ, PMOVSXDQ};
        Op[] zx = {PMOVZXBW, PMOVZXBD, PMOVZXBQ, PMOVZXWD, PMOVZXWQ, PMOVZXDQ};
        Operand[] src = {W_q, W_d, W_w, W_q, W_d, W_q};
        for (int k = 0; k < 6; k++) {
            m.set(MAP_0F38, 0x20 + k, only66(op(sx[k], V_x, src[k])));
            m.set(MAP_0F38, 0x30 + k, only66(op(zx[k], V_x, src[k])));
        }
        m.set(MAP_0F38, 0x28, only66(op(PMULDQ, V_x, W_x)));
        m.set(MAP_0F38, 0x29, only66(op(PCMPEQQ, V_x, W_x)));
        m.set(MAP_0F38, 0x2A, only66(op(MOVNTDQA, V_x, M_x)));
        m.set(MAP_0F38, 0x2B, only66(op(PACKUSDW, V_x, W_x)));
        m.set(MAP_0F38, 0x37, only66(op(PCMPGTQ, V_x, W_x)));
        Op[] minMax = {PMINSB, PMINSD, PMINUW, PMINUD, PMAXSB, PMAXSD, PMAXUW, PMAXUD, PMULLD, PHMINPOSUW};
        for (int k = 0; k < minMax.length; k++) m.set(MAP_0F38, 0x38 + k, only66(op(minMax[k], V_x, W_x)));
    }

    private static void map0F3A(OpcodeMaps m) {
        Op[] sse41 = {ROUNDPS, ROUNDPD, ROUNDSS, ROUNDSD, BLENDPS, BLENDPD, PBLENDW};
        Operand[] src = {W_x, W_x, W_ss, W_sd, W_x, W_x, W_x};
        for (int k = 0; k < sse41.length; k++) m.set(MAP_0F3A, 0x08 + k, only66(op(sse41[k], V_x, src[k], I_b)));
        m.set(MAP_0F3A, 0x0F, p(op(PALIGNR, P_q, Q_q, I_b), op(PALIGNR, V_x, W_x, I_b), null, null));
        m.set(MAP_0F3A, 0x14, only66(op(PEXTRB, E_d, V_x, I_b)));
        m.set(MAP_0F3A, 0x15, only66(op(PEXTRW, E_d, V_x, I_b).ext(Extension.SSE4_1)));
        m.set(MAP_0F3A, 0x16, only66(op(PEXTRD, E_y, V_x, I_b)));
        m.set(MAP_0F3A, 0x17, only66(op(EXTRACTPS, E_d, V_x, I_b)));
        m.set(MAP_0F3A, 0x20, only66(op(PINSRB, V_x, E_d, I_b)));
        m.set(MAP_0F3A, 0x21, only66(op(INSERTPS, V_x, W_d, I_b)));
        m.set(MAP_0F3A, 0x22, only66(op(PINSRD, V_x, E_y, I_b)));
        m.set(MAP_0F3A, 0x40, only66(op(DPPS, V_x, W_x, I_b)));
        m.set(MAP_0F3A, 0x41, only66(op(DPPD, V_x, W_x, I_b)));
        m.set(MAP_0F3A, 0x42, only66(op(MPSADBW, V_x, W_x, I_b)));
        m.set(MAP_0F3A, 0x44, only66(op(PCLMULQDQ, V_x, W_x, I_b)));
        m.set(MAP_0F3A, 0x60, only66(op(PCMPESTRM, V_x, W_x, I_b)));
        m.set(MAP_0F3A, 0x61, only66(op(PCMPESTRI, V_x, W_x, I_b)));
        m.set(MAP_0F3A, 0x62, only66(op(PCMPISTRM, V_x, W_x, I_b)));
        m.set(MAP_0F3A, 0x63, only66(op(PCMPISTRI, V_x, W_x, I_b)));
    }
}
