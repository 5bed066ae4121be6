package dev.nexa.cpu.decode;

/**
 * Every operation the CPU implements: the names the decoder tables use and the interpreter
 * dispatches on. Grouped by family; each family has its own handler classes in
 * {@code dev.nexa.cpu.exec} and its own decoder rows; the {@code *_FIRST} markers delimit the
 * families, so {@link #family()} is a comparison of ordinals. {@link Family} picks the dispatcher;
 * {@link #endsBlock} marks instructions after which a decoded block must end (control
 * transfers, traps, and anything that changes how later bytes decode or execute).
 */
public enum Op {
    // ---- general purpose: data movement ------------------------------------------------------
    MOV, MOVZX, MOVSX, MOVSXD, LEA, XCHG, CMPXCHG, CMPXCHG8B, XADD, BSWAP, MOVBE,
    CMOVCC, SETCC, PUSH, POP, PUSHF, POPF, LAHF, SAHF, CBW, CWD, ENTER, LEAVE, XLAT,
    /** MOV r/m, Sreg (8C). */
    MOV_SREG,
    // ---- general purpose: arithmetic and logic -----------------------------------------------
    ADD, OR, ADC, SBB, AND, SUB, XOR, CMP, TEST, INC, DEC, NEG, NOT,
    MUL, IMUL1, IMUL, DIV, IDIV,
    // ---- general purpose: shifts, rotates, bits ----------------------------------------------
    ROL, ROR, RCL, RCR, SHL, SHR, SAR, SHLD, SHRD,
    BT, BTS, BTR, BTC, BSF, BSR, POPCNT, LZCNT, TZCNT,
    ANDN, BEXTR, BLSI, BLSMSK, BLSR, BZHI, PDEP, PEXT, RORX, SARX, SHLX, SHRX, MULX, ADCX, ADOX, CRC32,
    // ---- general purpose: strings ------------------------------------------------------------
    MOVS, CMPS, STOS, LODS, SCAS,
    // ---- general purpose: flags --------------------------------------------------------------
    CLC, STC, CMC, CLD, STD,
    // ---- control transfer --------------------------------------------------------------------
    JMP(true), JMP_IND(true), JCC(true), JRCXZ(true), LOOP(true), LOOPE(true), LOOPNE(true),
    CALL(true), CALL_IND(true), RET(true),
    // ---- system and miscellaneous ------------------------------------------------------------
    SYSCALL(true), CPUID, RDTSC, RDTSCP, NOP, PAUSE, FENCE, PREFETCH, CLFLUSH,
    RDFSBASE, RDGSBASE, WRFSBASE, WRGSBASE, XGETBV,
    /** A privileged instruction at CPL 3 (HLT, CLI, STI, IN, OUT, ...): #GP(0). */
    PRIVILEGED(true),
    INT3(true), INT(true), UD(true),

    // ---- SSE/SSE2/SSE3/SSSE3/SSE4.1/SSE4.2, MMX ----------------------------------------------
    // (rows and handlers: dev.nexa.cpu.decode.SseRows, dev.nexa.cpu.exec.Sse*)
    SSE_FIRST,
    LDMXCSR, STMXCSR,
    // moves, MMX state (SseMoveDispatch)
    MOVUPS, MOVUPD, MOVDQU, LDDQU, MOVAPS, MOVAPD, MOVDQA, MOVNTPS, MOVNTPD, MOVNTDQ, MOVNTDQA,
    MOVSS, MOVSD, MOVLPS, MOVLPD, MOVHPS, MOVHPD, MOVHLPS, MOVLHPS,
    /** MOVD/MOVQ between a vector register and a GPR or memory (66 0F 6E/7E, 0F 6E/7E). */
    MOVD,
    /** MOVQ between vector registers and m64 (0F 6F/7F, F3 0F 7E, 66 0F D6). */
    MOVQ,
    MOVQ2DQ, MOVDQ2Q, MOVNTQ, MOVNTI, MOVMSKPS, MOVMSKPD, PMOVMSKB, MASKMOVQ, MASKMOVDQU,
    MOVDDUP, MOVSLDUP, MOVSHDUP, EMMS,
    PMOVSXBW, PMOVSXBD, PMOVSXBQ, PMOVSXWD, PMOVSXWQ, PMOVSXDQ,
    PMOVZXBW, PMOVZXBD, PMOVZXBQ, PMOVZXWD, PMOVZXWQ, PMOVZXDQ,
    // shuffles, unpacks, packs, blends, inserts and extracts (SseMoveDispatch)
    SHUFPS, SHUFPD, UNPCKLPS, UNPCKLPD, UNPCKHPS, UNPCKHPD, PSHUFD, PSHUFHW, PSHUFLW, PSHUFW, PSHUFB,
    PALIGNR, PUNPCKLBW, PUNPCKLWD, PUNPCKLDQ, PUNPCKLQDQ, PUNPCKHBW, PUNPCKHWD, PUNPCKHDQ, PUNPCKHQDQ,
    PACKSSWB, PACKSSDW, PACKUSWB, PACKUSDW, PBLENDW, BLENDPS, BLENDPD, BLENDVPS, BLENDVPD, PBLENDVB,
    INSERTPS, EXTRACTPS, PINSRB, PINSRW, PINSRD, PEXTRB, PEXTRW, PEXTRD,

    // floating point (SseFpDispatch)
    SSE_FP_FIRST,
    ADDPS, ADDPD, ADDSS, ADDSD, SUBPS, SUBPD, SUBSS, SUBSD, MULPS, MULPD, MULSS, MULSD,
    DIVPS, DIVPD, DIVSS, DIVSD, MINPS, MINPD, MINSS, MINSD, MAXPS, MAXPD, MAXSS, MAXSD,
    SQRTPS, SQRTPD, SQRTSS, SQRTSD, RCPPS, RCPSS, RSQRTPS, RSQRTSS,
    ADDSUBPS, ADDSUBPD, HADDPS, HADDPD, HSUBPS, HSUBPD, DPPS, DPPD,
    CMPPS, CMPPD, CMPSS, CMPSD, COMISS, COMISD, UCOMISS, UCOMISD,
    ROUNDPS, ROUNDPD, ROUNDSS, ROUNDSD,
    CVTPI2PS, CVTPI2PD, CVTSI2SS, CVTSI2SD, CVTPS2PI, CVTTPS2PI, CVTPD2PI, CVTTPD2PI,
    CVTSS2SI, CVTTSS2SI, CVTSD2SI, CVTTSD2SI, CVTPS2PD, CVTPD2PS, CVTSS2SD, CVTSD2SS,
    CVTDQ2PS, CVTPS2DQ, CVTTPS2DQ, CVTDQ2PD, CVTPD2DQ, CVTTPD2DQ,

    // integer SIMD, logic, strings, carry-less multiply (SseIntDispatch)
    SSE_INT_FIRST,
    ANDPS, ANDPD, ANDNPS, ANDNPD, ORPS, ORPD, XORPS, XORPD, PAND, PANDN, POR, PXOR,
    PADDB, PADDW, PADDD, PADDQ, PSUBB, PSUBW, PSUBD, PSUBQ,
    PADDSB, PADDSW, PADDUSB, PADDUSW, PSUBSB, PSUBSW, PSUBUSB, PSUBUSW,
    PMULLW, PMULHW, PMULHUW, PMULUDQ, PMULDQ, PMULLD, PMULHRSW, PMADDWD, PMADDUBSW, PSADBW,
    PAVGB, PAVGW, PMINUB, PMINUW, PMINUD, PMINSB, PMINSW, PMINSD,
    PMAXUB, PMAXUW, PMAXUD, PMAXSB, PMAXSW, PMAXSD,
    PCMPEQB, PCMPEQW, PCMPEQD, PCMPEQQ, PCMPGTB, PCMPGTW, PCMPGTD, PCMPGTQ,
    PSIGNB, PSIGNW, PSIGND, PABSB, PABSW, PABSD,
    PHADDW, PHADDD, PHADDSW, PHSUBW, PHSUBD, PHSUBSW,
    PSLLW, PSLLD, PSLLQ, PSRLW, PSRLD, PSRLQ, PSRAW, PSRAD, PSLLDQ, PSRLDQ,
    PHMINPOSUW, PTEST, MPSADBW, PCLMULQDQ, PCMPESTRI, PCMPESTRM, PCMPISTRI, PCMPISTRM,

    // ---- x87 ---------------------------------------------------------------------------------
    // (rows and handlers: dev.nexa.cpu.decode.X87Rows, dev.nexa.cpu.exec.X87*)
    X87_FIRST,
    FXSAVE, FXRSTOR, FWAIT;

    /** Which dispatcher executes the operation. */
    public enum Family { GP, SSE, X87 }

    public final boolean endsBlock;

    Op() { this(false); }

    Op(boolean endsBlock) { this.endsBlock = endsBlock; }

    public Family family() {
        int o = ordinal();
        return o < SSE_FIRST.ordinal() ? Family.GP : o < X87_FIRST.ordinal() ? Family.SSE : Family.X87;
    }

    /** The assembler mnemonic, as the ISA table and fault reports print it. */
    public String mnemonic() { return name().toLowerCase(java.util.Locale.ROOT); }
}
