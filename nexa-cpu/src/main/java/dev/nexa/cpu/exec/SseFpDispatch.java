package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.SseFp.*;

import dev.nexa.cpu.decode.Insn;

/** SSE floating-point arithmetic, compares, rounding and conversions. */
final class SseFpDispatch {
    private SseFpDispatch() {}

    static void exec(CpuCore c, Insn i) {
        c.simdFlags = 0;
        switch (i.op()) {
            case ADDPS -> packed(c, i, ADD, false);
            case ADDPD -> packed(c, i, ADD, true);
            case ADDSS -> scalar(c, i, ADD, false);
            case ADDSD -> scalar(c, i, ADD, true);
            case SUBPS -> packed(c, i, SUB, false);
            case SUBPD -> packed(c, i, SUB, true);
            case SUBSS -> scalar(c, i, SUB, false);
            case SUBSD -> scalar(c, i, SUB, true);
            case MULPS -> packed(c, i, MUL, false);
            case MULPD -> packed(c, i, MUL, true);
            case MULSS -> scalar(c, i, MUL, false);
            case MULSD -> scalar(c, i, MUL, true);
            case DIVPS -> packed(c, i, DIV, false);
            case DIVPD -> packed(c, i, DIV, true);
            case DIVSS -> scalar(c, i, DIV, false);
            case DIVSD -> scalar(c, i, DIV, true);
            case MINPS -> packed(c, i, MIN, false);
            case MINPD -> packed(c, i, MIN, true);
            case MINSS -> scalar(c, i, MIN, false);
            case MINSD -> scalar(c, i, MIN, true);
            case MAXPS -> packed(c, i, MAX, false);
            case MAXPD -> packed(c, i, MAX, true);
            case MAXSS -> scalar(c, i, MAX, false);
            case MAXSD -> scalar(c, i, MAX, true);
            case SQRTPS -> packed(c, i, SQRT, false);
            case SQRTPD -> packed(c, i, SQRT, true);
            case SQRTSS -> scalar(c, i, SQRT, false);
            case SQRTSD -> scalar(c, i, SQRT, true);
            case RCPPS -> approxPacked(c, i, false);
            case RCPSS -> approxScalar(c, i, false);
            case RSQRTPS -> approxPacked(c, i, true);
            case RSQRTSS -> approxScalar(c, i, true);
            case ADDSUBPS -> addsub(c, i, false);
            case ADDSUBPD -> addsub(c, i, true);
            case HADDPS -> horizontal(c, i, false, false);
            case HADDPD -> horizontal(c, i, false, true);
            case HSUBPS -> horizontal(c, i, true, false);
            case HSUBPD -> horizontal(c, i, true, true);
            case DPPS -> dpps(c, i);
            case DPPD -> dppd(c, i);
            case CMPPS -> cmpPacked(c, i, false);
            case CMPPD -> cmpPacked(c, i, true);
            case CMPSS -> cmpScalar(c, i, false);
            case CMPSD -> cmpScalar(c, i, true);
            case COMISS -> comi(c, i, false, true);
            case COMISD -> comi(c, i, true, true);
            case UCOMISS -> comi(c, i, false, false);
            case UCOMISD -> comi(c, i, true, false);
            case ROUNDPS -> roundPacked(c, i, false);
            case ROUNDPD -> roundPacked(c, i, true);
            case ROUNDSS -> roundScalar(c, i, false);
            case ROUNDSD -> roundScalar(c, i, true);
            case CVTPI2PS -> SseConvert.cvtpi2ps(c, i);
            case CVTPI2PD -> SseConvert.cvtpi2pd(c, i);
            case CVTSI2SS -> SseConvert.cvtsi2s(c, i, false);
            case CVTSI2SD -> SseConvert.cvtsi2s(c, i, true);
            case CVTPS2PI -> SseConvert.cvtps2pi(c, i, false);
            case CVTTPS2PI -> SseConvert.cvtps2pi(c, i, true);
            case CVTPD2PI -> SseConvert.cvtpd2pi(c, i, false);
            case CVTTPD2PI -> SseConvert.cvtpd2pi(c, i, true);
            case CVTSS2SI -> SseConvert.cvts2si(c, i, false, false);
            case CVTTSS2SI -> SseConvert.cvts2si(c, i, false, true);
            case CVTSD2SI -> SseConvert.cvts2si(c, i, true, false);
            case CVTTSD2SI -> SseConvert.cvts2si(c, i, true, true);
            case CVTPS2PD -> SseConvert.cvtps2pd(c, i);
            case CVTPD2PS -> SseConvert.cvtpd2ps(c, i);
            case CVTSS2SD -> SseConvert.cvtss2sd(c, i);
            case CVTSD2SS -> SseConvert.cvtsd2ss(c, i);
            case CVTDQ2PS -> SseConvert.cvtdq2ps(c, i);
            case CVTPS2DQ -> SseConvert.cvtps2dq(c, i, false);
            case CVTTPS2DQ -> SseConvert.cvtps2dq(c, i, true);
            case CVTDQ2PD -> SseConvert.cvtdq2pd(c, i);
            case CVTPD2DQ -> SseConvert.cvtpd2dq(c, i, false);
            case CVTTPD2DQ -> SseConvert.cvtpd2dq(c, i, true);
            default -> throw GuestFault.invalidOpcode();
        }
    }
}
