package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;

/** SSE/MMX moves, MXCSR access, shuffles, unpacks, packs, blends, inserts and extracts. */
final class SseMoveDispatch {
    private SseMoveDispatch() {}

    static void exec(CpuCore c, Insn i) {
        switch (i.op()) {
            case LDMXCSR -> Mxcsr.ldmxcsr(c, i);
            case STMXCSR -> Mxcsr.stmxcsr(c, i);
            case MOVUPS, MOVUPD, MOVDQU, LDDQU -> SseMoves.mov128(c, i, false);
            case MOVAPS, MOVAPD, MOVDQA, MOVNTPS, MOVNTPD, MOVNTDQ, MOVNTDQA -> SseMoves.mov128(c, i, true);
            case MOVSS -> SseMoves.movScalar(c, i, 4);
            case MOVSD -> SseMoves.movScalar(c, i, 8);
            case MOVLPS, MOVLPD -> SseMoves.movHalf(c, i, false);
            case MOVHPS, MOVHPD -> SseMoves.movHalf(c, i, true);
            case MOVHLPS -> SseMoves.movHalves(c, i, true);
            case MOVLHPS -> SseMoves.movHalves(c, i, false);
            case MOVD -> SseMoves.movd(c, i);
            case MOVQ -> SseMoves.movq(c, i);
            case MOVQ2DQ -> SseMoves.movq2dq(c, i);
            case MOVDQ2Q -> SseMoves.movdq2q(c, i);
            case MOVNTQ -> SseMoves.movntq(c, i);
            case MOVNTI -> SseMoves.movnti(c, i);
            case MOVMSKPS -> SseMoves.movmsk(c, i, false);
            case MOVMSKPD -> SseMoves.movmsk(c, i, true);
            case PMOVMSKB -> SseMoves.pmovmskb(c, i);
            case MASKMOVQ, MASKMOVDQU -> SseMoves.maskmov(c, i);
            case MOVDDUP -> SseMoves.movddup(c, i);
            case MOVSLDUP -> SseMoves.movDup(c, i, false);
            case MOVSHDUP -> SseMoves.movDup(c, i, true);
            case EMMS -> c.mmx.emms();
            case PMOVSXBW -> SseMoves.pmovx(c, i, 1, 2, true);
            case PMOVSXBD -> SseMoves.pmovx(c, i, 1, 4, true);
            case PMOVSXBQ -> SseMoves.pmovx(c, i, 1, 8, true);
            case PMOVSXWD -> SseMoves.pmovx(c, i, 2, 4, true);
            case PMOVSXWQ -> SseMoves.pmovx(c, i, 2, 8, true);
            case PMOVSXDQ -> SseMoves.pmovx(c, i, 4, 8, true);
            case PMOVZXBW -> SseMoves.pmovx(c, i, 1, 2, false);
            case PMOVZXBD -> SseMoves.pmovx(c, i, 1, 4, false);
            case PMOVZXBQ -> SseMoves.pmovx(c, i, 1, 8, false);
            case PMOVZXWD -> SseMoves.pmovx(c, i, 2, 4, false);
            case PMOVZXWQ -> SseMoves.pmovx(c, i, 2, 8, false);
            case PMOVZXDQ -> SseMoves.pmovx(c, i, 4, 8, false);

            case SHUFPS -> SseShuffle.shufps(c, i);
            case SHUFPD -> SseShuffle.shufpd(c, i);
            case PSHUFD -> SseShuffle.pshufd(c, i);
            case PSHUFHW -> SseShuffle.pshufHalf(c, i, true);
            case PSHUFLW -> SseShuffle.pshufHalf(c, i, false);
            case PSHUFW -> SseShuffle.pshufw(c, i);
            case PSHUFB -> SseShuffle.pshufb(c, i);
            case PALIGNR -> SseShuffle.palignr(c, i);
            case PUNPCKLBW -> SseShuffle.punpck(c, i, 1, false);
            case PUNPCKLWD -> SseShuffle.punpck(c, i, 2, false);
            case PUNPCKLDQ, UNPCKLPS -> SseShuffle.punpck(c, i, 4, false);
            case PUNPCKLQDQ, UNPCKLPD -> SseShuffle.punpck(c, i, 8, false);
            case PUNPCKHBW -> SseShuffle.punpck(c, i, 1, true);
            case PUNPCKHWD -> SseShuffle.punpck(c, i, 2, true);
            case PUNPCKHDQ, UNPCKHPS -> SseShuffle.punpck(c, i, 4, true);
            case PUNPCKHQDQ, UNPCKHPD -> SseShuffle.punpck(c, i, 8, true);
            case PACKSSWB -> SseShuffle.pack(c, i, SseShuffle.SSWB);
            case PACKSSDW -> SseShuffle.pack(c, i, SseShuffle.SSDW);
            case PACKUSWB -> SseShuffle.pack(c, i, SseShuffle.USWB);
            case PACKUSDW -> SseShuffle.pack(c, i, SseShuffle.USDW);
            case PBLENDW -> SseShuffle.blendImm(c, i, 2);
            case BLENDPS -> SseShuffle.blendImm(c, i, 4);
            case BLENDPD -> SseShuffle.blendImm(c, i, 8);
            case PBLENDVB -> SseShuffle.blendVar(c, i, 1);
            case BLENDVPS -> SseShuffle.blendVar(c, i, 4);
            case BLENDVPD -> SseShuffle.blendVar(c, i, 8);
            case INSERTPS -> SseShuffle.insertps(c, i);
            case EXTRACTPS -> SseShuffle.pextr(c, i, 4);
            case PINSRB -> SseShuffle.pinsr(c, i, 1);
            case PINSRW -> SseShuffle.pinsr(c, i, 2);
            case PINSRD -> SseShuffle.pinsr(c, i, 4);
            case PEXTRB -> SseShuffle.pextr(c, i, 1);
            case PEXTRW -> SseShuffle.pextr(c, i, 2);
            case PEXTRD -> SseShuffle.pextr(c, i, 4);
            default -> throw GuestFault.invalidOpcode();
        }
    }
}
