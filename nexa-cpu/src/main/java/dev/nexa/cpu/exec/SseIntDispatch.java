package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.SimdInt.*;

import dev.nexa.cpu.decode.Insn;

/** Integer SIMD (MMX and XMM forms), logic, string compares and carry-less multiplication. */
final class SseIntDispatch {
    private SseIntDispatch() {}

    static void exec(CpuCore c, Insn i) {
        switch (i.op()) {
            case ANDPS, ANDPD, PAND -> SseInt.binary(c, i, AND);
            case ANDNPS, ANDNPD, PANDN -> SseInt.binary(c, i, ANDN);
            case ORPS, ORPD, POR -> SseInt.binary(c, i, OR);
            case XORPS, XORPD, PXOR -> SseInt.binary(c, i, XOR);
            case PADDB -> SseInt.binary(c, i, ADDB);
            case PADDW -> SseInt.binary(c, i, ADDW);
            case PADDD -> SseInt.binary(c, i, ADDD);
            case PADDQ -> SseInt.binary(c, i, ADDQ);
            case PSUBB -> SseInt.binary(c, i, SUBB);
            case PSUBW -> SseInt.binary(c, i, SUBW);
            case PSUBD -> SseInt.binary(c, i, SUBD);
            case PSUBQ -> SseInt.binary(c, i, SUBQ);
            case PADDSB -> SseInt.binary(c, i, ADDSB);
            case PADDSW -> SseInt.binary(c, i, ADDSW);
            case PADDUSB -> SseInt.binary(c, i, ADDUSB);
            case PADDUSW -> SseInt.binary(c, i, ADDUSW);
            case PSUBSB -> SseInt.binary(c, i, SUBSB);
            case PSUBSW -> SseInt.binary(c, i, SUBSW);
            case PSUBUSB -> SseInt.binary(c, i, SUBUSB);
            case PSUBUSW -> SseInt.binary(c, i, SUBUSW);
            case PMULLW -> SseInt.binary(c, i, MULLW);
            case PMULHW -> SseInt.binary(c, i, MULHW);
            case PMULHUW -> SseInt.binary(c, i, MULHUW);
            case PMULUDQ -> SseInt.binary(c, i, MULUDQ);
            case PMULDQ -> SseInt.binary(c, i, MULDQ);
            case PMULLD -> SseInt.binary(c, i, MULLD);
            case PMULHRSW -> SseInt.binary(c, i, MULHRSW);
            case PMADDWD -> SseInt.binary(c, i, MADDWD);
            case PMADDUBSW -> SseInt.binary(c, i, MADDUBSW);
            case PSADBW -> SseInt.binary(c, i, SADBW);
            case PAVGB -> SseInt.binary(c, i, AVGB);
            case PAVGW -> SseInt.binary(c, i, AVGW);
            case PMINUB -> SseInt.binary(c, i, MINUB);
            case PMINUW -> SseInt.binary(c, i, MINUW);
            case PMINUD -> SseInt.binary(c, i, MINUD);
            case PMINSB -> SseInt.binary(c, i, MINSB);
            case PMINSW -> SseInt.binary(c, i, MINSW);
            case PMINSD -> SseInt.binary(c, i, MINSD);
            case PMAXUB -> SseInt.binary(c, i, MAXUB);
            case PMAXUW -> SseInt.binary(c, i, MAXUW);
            case PMAXUD -> SseInt.binary(c, i, MAXUD);
            case PMAXSB -> SseInt.binary(c, i, MAXSB);
            case PMAXSW -> SseInt.binary(c, i, MAXSW);
            case PMAXSD -> SseInt.binary(c, i, MAXSD);
            case PCMPEQB -> SseInt.binary(c, i, CMPEQB);
            case PCMPEQW -> SseInt.binary(c, i, CMPEQW);
            case PCMPEQD -> SseInt.binary(c, i, CMPEQD);
            case PCMPEQQ -> SseInt.binary(c, i, CMPEQQ);
            case PCMPGTB -> SseInt.binary(c, i, CMPGTB);
            case PCMPGTW -> SseInt.binary(c, i, CMPGTW);
            case PCMPGTD -> SseInt.binary(c, i, CMPGTD);
            case PCMPGTQ -> SseInt.binary(c, i, CMPGTQ);
            case PSIGNB -> SseInt.binary(c, i, SIGNB);
            case PSIGNW -> SseInt.binary(c, i, SIGNW);
            case PSIGND -> SseInt.binary(c, i, SIGND);
            case PABSB -> SseInt.binary(c, i, ABSB);
            case PABSW -> SseInt.binary(c, i, ABSW);
            case PABSD -> SseInt.binary(c, i, ABSD);
            case PHADDW -> SseInt.horizontal(c, i, HADDW);
            case PHADDD -> SseInt.horizontal(c, i, HADDD);
            case PHADDSW -> SseInt.horizontal(c, i, HADDSW);
            case PHSUBW -> SseInt.horizontal(c, i, HSUBW);
            case PHSUBD -> SseInt.horizontal(c, i, HSUBD);
            case PHSUBSW -> SseInt.horizontal(c, i, HSUBSW);
            case PSLLW -> SseInt.shift(c, i, SLL, 16);
            case PSLLD -> SseInt.shift(c, i, SLL, 32);
            case PSLLQ -> SseInt.shift(c, i, SLL, 64);
            case PSRLW -> SseInt.shift(c, i, SRL, 16);
            case PSRLD -> SseInt.shift(c, i, SRL, 32);
            case PSRLQ -> SseInt.shift(c, i, SRL, 64);
            case PSRAW -> SseInt.shift(c, i, SRA, 16);
            case PSRAD -> SseInt.shift(c, i, SRA, 32);
            case PSLLDQ -> SseInt.shiftBytes(c, i, true);
            case PSRLDQ -> SseInt.shiftBytes(c, i, false);
            case PHMINPOSUW -> SseInt.phminposuw(c, i);
            case PTEST -> SseInt.ptest(c, i);
            case MPSADBW -> SseInt.mpsadbw(c, i);
            case PCLMULQDQ -> SseInt.pclmulqdq(c, i);
            case PCMPESTRI -> PcmpStr.exec(c, i, true, true);
            case PCMPESTRM -> PcmpStr.exec(c, i, true, false);
            case PCMPISTRI -> PcmpStr.exec(c, i, false, true);
            case PCMPISTRM -> PcmpStr.exec(c, i, false, false);
            default -> throw GuestFault.invalidOpcode();
        }
    }
}
