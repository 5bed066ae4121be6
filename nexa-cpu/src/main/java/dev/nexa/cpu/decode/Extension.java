package dev.nexa.cpu.decode;

import static dev.nexa.cpu.decode.Op.*;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The ISA extension an instruction form belongs to: the CPUID feature flag software must check
 * before using it (Intel SDM Vol. 2A, the "CPUID Feature Flag" column of each instruction page,
 * and Table 3-8 for CPUID itself). Every decoder {@link Entry.Leaf} carries one; the default comes
 * from {@link #of(Op, List)} and a row overrides it where one operation spans extensions
 * (CMPXCHG8B/16B, the fences, the prefetches).
 *
 * @param flag the name of the feature in Linux's /proc/cpuinfo "flags" line
 *             (arch/x86/include/asm/cpufeatures.h), empty for the base architecture
 * @param leaf CPUID leaf that reports it (0 with {@code bit} -1: always present in 64-bit mode)
 * @param reg  register of that leaf holding the bit: 'a', 'b', 'c', 'd'
 * @param bit  the bit, or -1
 */
public enum Extension {
    /** The x86-64 general-purpose base: present on every 64-bit CPU, no flag to test. */
    BASE("", 0, ' ', -1),
    X87("fpu", 1, 'd', 0),
    TSC("tsc", 1, 'd', 4),
    CX8("cx8", 1, 'd', 8),
    CMOV("cmov", 1, 'd', 15),
    CLFSH("clflush", 1, 'd', 19),
    MMX("mmx", 1, 'd', 23),
    FXSR("fxsr", 1, 'd', 24),
    SSE("sse", 1, 'd', 25),
    SSE2("sse2", 1, 'd', 26),
    SSE3("pni", 1, 'c', 0),
    PCLMULQDQ("pclmulqdq", 1, 'c', 1),
    SSSE3("ssse3", 1, 'c', 9),
    CX16("cx16", 1, 'c', 13),
    SSE4_1("sse4_1", 1, 'c', 19),
    SSE4_2("sse4_2", 1, 'c', 20),
    MOVBE("movbe", 1, 'c', 22),
    POPCNT("popcnt", 1, 'c', 23),
    /** XGETBV: decoded, but raises #UD, as with CR4.OSXSAVE = 0 (CPUID.1:ECX.OSXSAVE is clear). */
    XSAVE("xsave", 1, 'c', 26),
    FSGSBASE("fsgsbase", 7, 'b', 0),
    BMI1("bmi1", 7, 'b', 3),
    BMI2("bmi2", 7, 'b', 8),
    ADX("adx", 7, 'b', 19),
    LAHF_SAHF("lahf_lm", 0x8000_0001, 'c', 0),
    /** LZCNT (AMD's "ABM" bit). */
    LZCNT("abm", 0x8000_0001, 'c', 5),
    /** PREFETCHW (0F 0D /1). */
    PREFETCHW("3dnowprefetch", 0x8000_0001, 'c', 8),
    SYSCALL("syscall", 0x8000_0001, 'd', 11),
    RDTSCP("rdtscp", 0x8000_0001, 'd', 27);

    public final String flag;
    public final int leaf;
    public final char reg;
    public final int bit;

    Extension(String flag, int leaf, char reg, int bit) {
        this.flag = flag;
        this.leaf = leaf;
        this.reg = reg;
        this.bit = bit;
    }

    /** The SDM's name: SSE4.1, SSE4.2, LAHF-SAHF ... */
    public String title() {
        return switch (this) {
            case SSE4_1 -> "SSE4.1";
            case SSE4_2 -> "SSE4.2";
            case LAHF_SAHF -> "LAHF-SAHF";
            case BASE -> "base";
            case X87 -> "x87";
            default -> name();
        };
    }

    /** SSE2 operations whose MMX-register forms came with SSE (the "MMX extensions", SDM Vol. 1 §10.4.4). */
    private static final Set<Op> MMX_BY_SSE = EnumSet.of(PSHUFW, PINSRW, PEXTRW, PMOVMSKB, PMINUB, PMAXUB, PMINSW,
            PMAXSW, PAVGB, PAVGW, PSADBW, PMULHUW, MASKMOVQ, MOVNTQ);
    /** MMX-register forms that came with SSE2 (SDM Vol. 1 §11.4.2). */
    private static final Set<Op> MMX_BY_SSE2 = EnumSet.of(PADDQ, PSUBQ, PMULUDQ, MOVQ2DQ, MOVDQ2Q);

    /** The extension of {@code op} in the form with these operands (MMX forms differ from XMM ones). */
    public static Extension of(Op op, List<Operand> operands) {
        Extension x = ofOp(op);
        boolean mmx = false;    // a loop, not a stream: this runs for every table row at start-up
        for (Operand o : operands) mmx |= o.kind == Operand.Kind.P || o.kind == Operand.Kind.Q || o.kind == Operand.Kind.N;
        if (!mmx || x == SSSE3 || op == CVTPI2PS || op == CVTPS2PI || op == CVTTPS2PI || op == CVTPI2PD
                || op == CVTPD2PI || op == CVTTPD2PI) {
            return x;
        }
        if (MMX_BY_SSE.contains(op)) return SSE;
        if (MMX_BY_SSE2.contains(op)) return SSE2;
        return MMX;
    }

    private static Extension ofOp(Op op) {
        return switch (op) {
            case CMOVCC, FCMOVB, FCMOVE, FCMOVBE, FCMOVU, FCMOVNB, FCMOVNE, FCMOVNBE, FCMOVNU,
                 FCOMI, FCOMIP, FUCOMI, FUCOMIP -> CMOV;            // SDM: CPUID.01H:EDX.CMOV (and FPU)
            case CMPXCHG8B -> CX8;
            case LAHF, SAHF -> LAHF_SAHF;
            case MOVBE -> MOVBE;
            case POPCNT -> POPCNT;
            case LZCNT -> LZCNT;
            case TZCNT, ANDN, BEXTR, BLSI, BLSMSK, BLSR -> BMI1;
            case BZHI, PDEP, PEXT, RORX, SARX, SHLX, SHRX, MULX -> BMI2;
            case ADCX, ADOX -> ADX;
            case CRC32 -> SSE4_2;
            case SYSCALL -> SYSCALL;
            case RDTSC -> TSC;
            case RDTSCP -> RDTSCP;
            case CLFLUSH -> CLFSH;
            case RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE -> FSGSBASE;
            case XGETBV -> XSAVE;
            case FXSAVE, FXRSTOR -> FXSR;
            case FISTTP, LDDQU, MOVDDUP, MOVSLDUP, MOVSHDUP, ADDSUBPS, ADDSUBPD, HADDPS, HADDPD, HSUBPS, HSUBPD -> SSE3;
            case PSHUFB, PHADDW, PHADDD, PHADDSW, PMADDUBSW, PHSUBW, PHSUBD, PHSUBSW, PSIGNB, PSIGNW, PSIGND,
                 PMULHRSW, PABSB, PABSW, PABSD, PALIGNR -> SSSE3;
            case PMOVSXBW, PMOVSXBD, PMOVSXBQ, PMOVSXWD, PMOVSXWQ, PMOVSXDQ, PMOVZXBW, PMOVZXBD, PMOVZXBQ, PMOVZXWD,
                 PMOVZXWQ, PMOVZXDQ, PBLENDVB, BLENDVPS, BLENDVPD, PTEST, PMULDQ, PCMPEQQ, MOVNTDQA, PACKUSDW,
                 PMINSB, PMINSD, PMINUW, PMINUD, PMAXSB, PMAXSD, PMAXUW, PMAXUD, PMULLD, PHMINPOSUW,
                 ROUNDPS, ROUNDPD, ROUNDSS, ROUNDSD, BLENDPS, BLENDPD, PBLENDW, PEXTRB, PEXTRD, EXTRACTPS,
                 PINSRB, PINSRD, INSERTPS, DPPS, DPPD, MPSADBW -> SSE4_1;
            case PCMPGTQ, PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM -> SSE4_2;
            case PCLMULQDQ -> PCLMULQDQ;
            case LDMXCSR, STMXCSR, MOVUPS, MOVAPS, MOVNTPS, MOVSS, MOVLPS, MOVHPS, MOVHLPS, MOVLHPS, MOVMSKPS,
                 SHUFPS, UNPCKLPS, UNPCKHPS, ADDPS, ADDSS, SUBPS, SUBSS, MULPS, MULSS, DIVPS, DIVSS, MINPS, MINSS,
                 MAXPS, MAXSS, SQRTPS, SQRTSS, RCPPS, RCPSS, RSQRTPS, RSQRTSS, CMPPS, CMPSS, COMISS, UCOMISS,
                 CVTPI2PS, CVTSI2SS, CVTPS2PI, CVTTPS2PI, CVTSS2SI, CVTTSS2SI, ANDPS, ANDNPS, ORPS, XORPS,
                 PSHUFW, MASKMOVQ, MOVNTQ -> SSE;
            case EMMS -> MMX;
            default -> {
                if (op.family() == Op.Family.X87) yield X87;
                if (op.family() == Op.Family.SSE) yield SSE2;   // the remaining 128-bit integer and double forms
                yield BASE;
            }
        };
    }
}
