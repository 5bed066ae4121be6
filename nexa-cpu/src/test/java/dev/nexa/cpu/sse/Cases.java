package dev.nexa.cpu.sse;

import static dev.nexa.cpu.sse.Row.*;
import static dev.nexa.cpu.sse.Row.Kind.*;
import static dev.nexa.cpu.sse.Row.Type.*;

import java.util.ArrayList;
import java.util.List;

/**
 * Every SSE/MMX decoder row, grouped by family, as the oracle properties exercise them. The
 * encodings follow the SDM Vol. 2D opcode tables, independently of SseRows.
 */
final class Cases {
    private Cases() {}

    /** xmm, xmm/m128 (aligned). */
    static Row xm(String n, String b, Type t) { return Row.of(n, b, XMM, -1, XMM, 16, ALIGNED, t); }

    /** xmm, xmm/m128 (any alignment). */
    static Row xmu(String n, String b, Type t) { return Row.of(n, b, XMM, -1, XMM, 16, 0, t); }

    /** xmm, xmm/m{8*mem}. */
    static Row xs(String n, String b, int mem, Type t) { return Row.of(n, b, XMM, -1, XMM, mem, 0, t); }

    /** mm, mm/m64. */
    static Row mm(String n, String b) { return Row.of(n, b, MMX, -1, MMX, 8, 0, INT); }

    static Row imm(Row r) { return r.plus(IMM); }

    /** The MMX form (no prefix) and the SSE2 form (66) of an integer instruction. */
    static void both(List<Row> l, String n, String op) {
        l.add(mm(n + " mm", "0F " + op));
        l.add(xm(n + " xmm", "66 0F " + op, INT));
    }

    static List<Row> fpArithmetic() {
        var l = new ArrayList<Row>();
        String[][] ops = {{"sqrt", "51"}, {"add", "58"}, {"mul", "59"}, {"sub", "5C"}, {"min", "5D"}, {"div", "5E"}, {"max", "5F"}};
        for (String[] o : ops) {
            l.add(xm(o[0] + "ps", "0F " + o[1], F32));
            l.add(xm(o[0] + "pd", "66 0F " + o[1], F64));
            l.add(xs(o[0] + "ss", "F3 0F " + o[1], 4, F32));
            l.add(xs(o[0] + "sd", "F2 0F " + o[1], 8, F64));
        }
        l.add(xm("addsubps", "F2 0F D0", F32));
        l.add(xm("addsubpd", "66 0F D0", F64));
        l.add(xm("haddps", "F2 0F 7C", F32));
        l.add(xm("haddpd", "66 0F 7C", F64));
        l.add(xm("hsubps", "F2 0F 7D", F32));
        l.add(xm("hsubpd", "66 0F 7D", F64));
        l.add(imm(xm("dpps", "66 0F 3A 40", F32)));
        l.add(imm(xm("dppd", "66 0F 3A 41", F64)));
        return l;
    }

    /** RCP and RSQRT: compared within the architectural error bound (ApproximationProperties). */
    static List<Row> approximations() {
        return List.of(xm("rcpps", "0F 53", F32), xs("rcpss", "F3 0F 53", 4, F32),
                xm("rsqrtps", "0F 52", F32), xs("rsqrtss", "F3 0F 52", 4, F32));
    }

    static List<Row> fpCompareRound() {
        var l = new ArrayList<Row>();
        l.add(imm(xm("cmpps", "0F C2", F32)));
        l.add(imm(xm("cmppd", "66 0F C2", F64)));
        l.add(imm(xs("cmpss", "F3 0F C2", 4, F32)));
        l.add(imm(xs("cmpsd", "F2 0F C2", 8, F64)));
        l.add(xs("ucomiss", "0F 2E", 4, F32));
        l.add(xs("ucomisd", "66 0F 2E", 8, F64));
        l.add(xs("comiss", "0F 2F", 4, F32));
        l.add(xs("comisd", "66 0F 2F", 8, F64));
        l.add(imm(xm("roundps", "66 0F 3A 08", F32)));
        l.add(imm(xm("roundpd", "66 0F 3A 09", F64)));
        l.add(imm(xs("roundss", "66 0F 3A 0A", 4, F32)));
        l.add(imm(xs("roundsd", "66 0F 3A 0B", 8, F64)));
        return l;
    }

    static List<Row> conversions() {
        var l = new ArrayList<Row>();
        l.add(Row.of("cvtpi2ps", "0F 2A", XMM, -1, MMX, 8, 0, INT));
        l.add(Row.of("cvtpi2pd", "66 0F 2A", XMM, -1, MMX, 8, 0, INT));
        l.add(Row.of("cvtsi2ss", "F3 0F 2A", XMM, -1, GPR, 4, W_ANY | W_SIZED_MEM, F32));
        l.add(Row.of("cvtsi2sd", "F2 0F 2A", XMM, -1, GPR, 4, W_ANY | W_SIZED_MEM, F64));
        l.add(Row.of("cvttps2pi", "0F 2C", MMX, -1, XMM, 8, 0, F32));
        l.add(Row.of("cvtps2pi", "0F 2D", MMX, -1, XMM, 8, 0, F32));
        l.add(Row.of("cvttpd2pi", "66 0F 2C", MMX, -1, XMM, 16, ALIGNED, F64));
        l.add(Row.of("cvtpd2pi", "66 0F 2D", MMX, -1, XMM, 16, ALIGNED, F64));
        l.add(Row.of("cvttss2si", "F3 0F 2C", GPR, -1, XMM, 4, W_ANY, F32));
        l.add(Row.of("cvtss2si", "F3 0F 2D", GPR, -1, XMM, 4, W_ANY, F32));
        l.add(Row.of("cvttsd2si", "F2 0F 2C", GPR, -1, XMM, 8, W_ANY, F64));
        l.add(Row.of("cvtsd2si", "F2 0F 2D", GPR, -1, XMM, 8, W_ANY, F64));
        l.add(xs("cvtps2pd", "0F 5A", 8, F32));
        l.add(xm("cvtpd2ps", "66 0F 5A", F64));
        l.add(xs("cvtss2sd", "F3 0F 5A", 4, F32));
        l.add(xs("cvtsd2ss", "F2 0F 5A", 8, F64));
        l.add(xm("cvtdq2ps", "0F 5B", INT));
        l.add(xm("cvtps2dq", "66 0F 5B", F32));
        l.add(xm("cvttps2dq", "F3 0F 5B", F32));
        l.add(xm("cvttpd2dq", "66 0F E6", F64));
        l.add(xs("cvtdq2pd", "F3 0F E6", 8, INT));
        l.add(xm("cvtpd2dq", "F2 0F E6", F64));
        return l;
    }

    static List<Row> moves() {
        var l = new ArrayList<Row>();
        l.add(xmu("movups load", "0F 10", F32));
        l.add(xmu("movupd load", "66 0F 10", F64));
        l.add(xs("movss load", "F3 0F 10", 4, F32));
        l.add(xs("movsd load", "F2 0F 10", 8, F64));
        l.add(xmu("movups store", "0F 11", F32));
        l.add(xmu("movupd store", "66 0F 11", F64));
        l.add(xs("movss store", "F3 0F 11", 4, F32));
        l.add(xs("movsd store", "F2 0F 11", 8, F64));
        l.add(xs("movlps/movhlps", "0F 12", 8, INT));
        l.add(xs("movlpd", "66 0F 12", 8, INT).plus(MEM_ONLY));
        l.add(xm("movsldup", "F3 0F 12", F32));
        l.add(xs("movddup", "F2 0F 12", 8, F64));
        l.add(xs("movlps store", "0F 13", 8, INT).plus(MEM_ONLY));
        l.add(xs("movlpd store", "66 0F 13", 8, INT).plus(MEM_ONLY));
        l.add(xs("movhps/movlhps", "0F 16", 8, INT));
        l.add(xs("movhpd", "66 0F 16", 8, INT).plus(MEM_ONLY));
        l.add(xm("movshdup", "F3 0F 16", F32));
        l.add(xs("movhps store", "0F 17", 8, INT).plus(MEM_ONLY));
        l.add(xs("movhpd store", "66 0F 17", 8, INT).plus(MEM_ONLY));
        l.add(xm("movaps load", "0F 28", INT));
        l.add(xm("movapd load", "66 0F 28", INT));
        l.add(xm("movaps store", "0F 29", INT));
        l.add(xm("movapd store", "66 0F 29", INT));
        l.add(xm("movntps", "0F 2B", INT).plus(MEM_ONLY));
        l.add(xm("movntpd", "66 0F 2B", INT).plus(MEM_ONLY));
        l.add(Row.of("movmskps", "0F 50", GPR, -1, XMM, 0, REG_ONLY, F32));
        l.add(Row.of("movmskpd", "66 0F 50", GPR, -1, XMM, 0, REG_ONLY, F64));
        l.add(Row.of("movd mm, r/m", "0F 6E", MMX, -1, GPR, 4, W_ANY | W_SIZED_MEM, INT));
        l.add(Row.of("movd xmm, r/m", "66 0F 6E", XMM, -1, GPR, 4, W_ANY | W_SIZED_MEM, INT));
        l.add(mm("movq mm, mm/m64", "0F 6F"));
        l.add(xm("movdqa load", "66 0F 6F", INT));
        l.add(xmu("movdqu load", "F3 0F 6F", INT));
        l.add(Row.of("emms", "0F 77", NONE, -1, NONE, 0, NO_MODRM, INT));
        l.add(Row.of("movd r/m, mm", "0F 7E", MMX, -1, GPR, 4, W_ANY | W_SIZED_MEM, INT));
        l.add(Row.of("movd r/m, xmm", "66 0F 7E", XMM, -1, GPR, 4, W_ANY | W_SIZED_MEM, INT));
        l.add(xs("movq xmm, xmm/m64", "F3 0F 7E", 8, INT));
        l.add(mm("movq mm/m64, mm", "0F 7F"));
        l.add(xm("movdqa store", "66 0F 7F", INT));
        l.add(xmu("movdqu store", "F3 0F 7F", INT));
        l.add(Row.of("movnti", "0F C3", GPR, -1, GPR, 4, MEM_ONLY | W_ANY | W_SIZED_MEM, INT));
        l.add(xs("movq xmm/m64, xmm", "66 0F D6", 8, INT));
        l.add(Row.of("movq2dq", "F3 0F D6", XMM, -1, MMX, 0, REG_ONLY, INT));
        l.add(Row.of("movdq2q", "F2 0F D6", MMX, -1, XMM, 0, REG_ONLY, INT));
        l.add(Row.of("pmovmskb mm", "0F D7", GPR, -1, MMX, 0, REG_ONLY, INT));
        l.add(Row.of("pmovmskb xmm", "66 0F D7", GPR, -1, XMM, 0, REG_ONLY, INT));
        l.add(Row.of("movntq", "0F E7", MMX, -1, MMX, 8, MEM_ONLY, INT));
        l.add(xm("movntdq", "66 0F E7", INT).plus(MEM_ONLY));
        l.add(xmu("lddqu", "F2 0F F0", INT).plus(MEM_ONLY));
        l.add(Row.of("maskmovq", "0F F7", MMX, -1, MMX, 0, REG_ONLY, INT));
        l.add(Row.of("maskmovdqu", "66 0F F7", XMM, -1, XMM, 0, REG_ONLY, INT));
        l.add(xm("movntdqa", "66 0F 38 2A", INT).plus(MEM_ONLY));
        String[] ext = {"bw", "bd", "bq", "wd", "wq", "dq"};
        int[] mem = {8, 4, 2, 8, 4, 8};
        for (int k = 0; k < 6; k++) {
            l.add(xs("pmovsx" + ext[k], "66 0F 38 " + Integer.toHexString(0x20 + k), mem[k], INT));
            l.add(xs("pmovzx" + ext[k], "66 0F 38 " + Integer.toHexString(0x30 + k), mem[k], INT));
        }
        return l;
    }

    static List<Row> shuffles() {
        var l = new ArrayList<Row>();
        l.add(xm("unpcklps", "0F 14", INT));
        l.add(xm("unpcklpd", "66 0F 14", INT));
        l.add(xm("unpckhps", "0F 15", INT));
        l.add(xm("unpckhpd", "66 0F 15", INT));
        l.add(imm(xm("shufps", "0F C6", INT)));
        l.add(imm(xm("shufpd", "66 0F C6", INT)));
        l.add(imm(mm("pshufw", "0F 70")));
        l.add(imm(xm("pshufd", "66 0F 70", INT)));
        l.add(imm(xm("pshufhw", "F3 0F 70", INT)));
        l.add(imm(xm("pshuflw", "F2 0F 70", INT)));
        String[] low = {"punpcklbw", "punpcklwd", "punpckldq"};
        for (int k = 0; k < 3; k++) {
            l.add(Row.of(low[k] + " mm", "0F 6" + k, MMX, -1, MMX, 4, 0, INT));
            l.add(xm(low[k] + " xmm", "66 0F 6" + k, INT));
        }
        both(l, "packsswb", "63");
        both(l, "packuswb", "67");
        both(l, "punpckhbw", "68");
        both(l, "punpckhwd", "69");
        both(l, "punpckhdq", "6A");
        both(l, "packssdw", "6B");
        l.add(xm("punpcklqdq", "66 0F 6C", INT));
        l.add(xm("punpckhqdq", "66 0F 6D", INT));
        l.add(xm("packusdw", "66 0F 38 2B", INT));
        l.add(imm(Row.of("pinsrw mm", "0F C4", MMX, -1, GPR, 2, 0, INT)));
        l.add(imm(Row.of("pinsrw xmm", "66 0F C4", XMM, -1, GPR, 2, 0, INT)));
        l.add(imm(Row.of("pextrw r, mm", "0F C5", GPR, -1, MMX, 0, REG_ONLY, INT)));
        l.add(imm(Row.of("pextrw r, xmm", "66 0F C5", GPR, -1, XMM, 0, REG_ONLY, INT)));
        l.add(imm(mm("palignr mm", "0F 3A 0F")));
        l.add(imm(xm("palignr xmm", "66 0F 3A 0F", INT)));
        l.add(xm("pblendvb", "66 0F 38 10", INT));
        l.add(xm("blendvps", "66 0F 38 14", INT));
        l.add(xm("blendvpd", "66 0F 38 15", INT));
        l.add(imm(xm("blendps", "66 0F 3A 0C", INT)));
        l.add(imm(xm("blendpd", "66 0F 3A 0D", INT)));
        l.add(imm(xm("pblendw", "66 0F 3A 0E", INT)));
        l.add(imm(Row.of("pextrb", "66 0F 3A 14", XMM, -1, GPR, 1, 0, INT)));
        l.add(imm(Row.of("pextrw r/m16", "66 0F 3A 15", XMM, -1, GPR, 2, 0, INT)));
        l.add(imm(Row.of("pextrd/q", "66 0F 3A 16", XMM, -1, GPR, 4, W_ANY | W_SIZED_MEM, INT)));
        l.add(imm(Row.of("extractps", "66 0F 3A 17", XMM, -1, GPR, 4, W_ANY, INT)));
        l.add(imm(Row.of("pinsrb", "66 0F 3A 20", XMM, -1, GPR, 1, 0, INT)));
        l.add(imm(xs("insertps", "66 0F 3A 21", 4, INT)));
        l.add(imm(Row.of("pinsrd/q", "66 0F 3A 22", XMM, -1, GPR, 4, W_ANY | W_SIZED_MEM, INT)));
        return l;
    }

    static List<Row> integer() {
        var l = new ArrayList<Row>();
        String[][] zeroF = {
            {"pcmpgtb", "64"}, {"pcmpgtw", "65"}, {"pcmpgtd", "66"}, {"pcmpeqb", "74"}, {"pcmpeqw", "75"}, {"pcmpeqd", "76"},
            {"psrlw", "D1"}, {"psrld", "D2"}, {"psrlq", "D3"}, {"paddq", "D4"}, {"pmullw", "D5"},
            {"psubusb", "D8"}, {"psubusw", "D9"}, {"pminub", "DA"}, {"pand", "DB"}, {"paddusb", "DC"}, {"paddusw", "DD"},
            {"pmaxub", "DE"}, {"pandn", "DF"}, {"pavgb", "E0"}, {"psraw", "E1"}, {"psrad", "E2"}, {"pavgw", "E3"},
            {"pmulhuw", "E4"}, {"pmulhw", "E5"}, {"psubsb", "E8"}, {"psubsw", "E9"}, {"pminsw", "EA"}, {"por", "EB"},
            {"paddsb", "EC"}, {"paddsw", "ED"}, {"pmaxsw", "EE"}, {"pxor", "EF"}, {"psllw", "F1"}, {"pslld", "F2"},
            {"psllq", "F3"}, {"pmuludq", "F4"}, {"pmaddwd", "F5"}, {"psadbw", "F6"}, {"psubb", "F8"}, {"psubw", "F9"},
            {"psubd", "FA"}, {"psubq", "FB"}, {"paddb", "FC"}, {"paddw", "FD"}, {"paddd", "FE"},
            {"pshufb", "38 00"}, {"phaddw", "38 01"}, {"phaddd", "38 02"}, {"phaddsw", "38 03"}, {"pmaddubsw", "38 04"},
            {"phsubw", "38 05"}, {"phsubd", "38 06"}, {"phsubsw", "38 07"}, {"psignb", "38 08"}, {"psignw", "38 09"},
            {"psignd", "38 0A"}, {"pmulhrsw", "38 0B"}, {"pabsb", "38 1C"}, {"pabsw", "38 1D"}, {"pabsd", "38 1E"}};
        for (String[] o : zeroF) both(l, o[0], o[1]);
        String[] logic = {"and", "andn", "or", "xor"};
        for (int k = 0; k < 4; k++) {
            l.add(xm(logic[k] + "ps", "0F 5" + (4 + k), INT));
            l.add(xm(logic[k] + "pd", "66 0F 5" + (4 + k), INT));
        }
        String[][] sse41 = {{"ptest", "17"}, {"pmuldq", "28"}, {"pcmpeqq", "29"}, {"pcmpgtq", "37"}, {"pminsb", "38"},
            {"pminsd", "39"}, {"pminuw", "3A"}, {"pminud", "3B"}, {"pmaxsb", "3C"}, {"pmaxsd", "3D"}, {"pmaxuw", "3E"},
            {"pmaxud", "3F"}, {"pmulld", "40"}, {"phminposuw", "41"}};
        for (String[] o : sse41) l.add(xm(o[0], "66 0F 38 " + o[1], INT));
        l.add(imm(xm("mpsadbw", "66 0F 3A 42", INT)));
        l.add(imm(xm("pclmulqdq", "66 0F 3A 44", INT)));
        // Shifts by immediate: groups 12, 13, 14 (register forms only).
        String[][] groups = {{"71", "2", "psrlw"}, {"71", "4", "psraw"}, {"71", "6", "psllw"}, {"72", "2", "psrld"},
            {"72", "4", "psrad"}, {"72", "6", "pslld"}, {"73", "2", "psrlq"}, {"73", "6", "psllq"}};
        for (String[] g : groups) {
            int n = Integer.parseInt(g[1]);
            l.add(Row.of(g[2] + " mm, imm", "0F " + g[0], NONE, n, MMX, 0, REG_ONLY | IMM, INT));
            l.add(Row.of(g[2] + " xmm, imm", "66 0F " + g[0], NONE, n, XMM, 0, REG_ONLY | IMM, INT));
        }
        l.add(Row.of("psrldq", "66 0F 73", NONE, 3, XMM, 0, REG_ONLY | IMM, INT));
        l.add(Row.of("pslldq", "66 0F 73", NONE, 7, XMM, 0, REG_ONLY | IMM, INT));
        return l;
    }

    static List<Row> strings() {
        var l = new ArrayList<Row>();
        l.add(imm(xmu("pcmpestrm", "66 0F 3A 60", INT)).plus(W_ANY));
        l.add(imm(xmu("pcmpestri", "66 0F 3A 61", INT)).plus(W_ANY));
        l.add(imm(xmu("pcmpistrm", "66 0F 3A 62", INT)));
        l.add(imm(xmu("pcmpistri", "66 0F 3A 63", INT)));
        return l;
    }
}
