package dev.nexa.cpu.decode;

import static dev.nexa.cpu.decode.Op.*;
import static dev.nexa.cpu.decode.OpcodeMaps.*;
import static dev.nexa.cpu.decode.Operand.*;
import static dev.nexa.cpu.decode.Rows.*;

/**
 * General-purpose rows of the opcode maps, as in the Intel SDM Vol. 2D Appendix A: Table A-2
 * (one-byte), Table A-3 (two-byte 0F), Tables A-4/A-5 (0F38/0F3A) and the groups of Table A-6.
 * Cells invalid in 64-bit mode (PUSH ES, DAA, BOUND, LES, ...) stay empty and decode as #UD.
 */
final class GpRows {
    private GpRows() {}

    private static final Op[] ALU = {ADD, OR, ADC, SBB, AND, SUB, XOR, CMP};
    private static final Op[] SHIFT = {ROL, ROR, RCL, RCR, SHL, SHR, SHL, SAR};

    static void register(OpcodeMaps m) {
        oneByte(m);
        twoByte(m);
        threeByte(m);
        vex(m);
    }

    private static void oneByte(OpcodeMaps m) {
        // 00-3F: the eight ALU operations, six forms each (Eb,Gb  Ev,Gv  Gb,Eb  Gv,Ev  AL,Ib  rAX,Iz).
        for (int k = 0; k < 8; k++) {
            Op op = ALU[k];
            int b = k << 3;
            boolean lockable = op != CMP;
            m.set(ONE_BYTE, b, lockable ? op(op, E_b, G_b).lock() : op(op, E_b, G_b));
            m.set(ONE_BYTE, b + 1, lockable ? op(op, E_v, G_v).lock() : op(op, E_v, G_v));
            m.set(ONE_BYTE, b + 2, op(op, G_b, E_b));
            m.set(ONE_BYTE, b + 3, op(op, G_v, E_v));
            m.set(ONE_BYTE, b + 4, op(op, AL, I_b));
            m.set(ONE_BYTE, b + 5, op(op, rAX, I_z));
        }
        for (int r = 0; r < 8; r++) {
            m.set(ONE_BYTE, 0x50 + r, op(PUSH, Z_v).d64());
            m.set(ONE_BYTE, 0x58 + r, op(POP, Z_v).d64());
        }
        m.set(ONE_BYTE, 0x63, op(MOVSXD, G_v, E_d));                          // 66 63 still reads 32 bits (host-checked)
        m.set(ONE_BYTE, 0x68, op(PUSH, I_z).d64());
        m.set(ONE_BYTE, 0x69, op(IMUL, G_v, E_v, I_z));
        m.set(ONE_BYTE, 0x6A, op(PUSH, I_b).d64());
        m.set(ONE_BYTE, 0x6B, op(IMUL, G_v, E_v, I_b));
        for (int b = 0x6C; b <= 0x6F; b++) m.set(ONE_BYTE, b, op(PRIVILEGED));     // INS/OUTS: IOPL 0
        for (int cc = 0; cc < 16; cc++) m.set(ONE_BYTE, 0x70 + cc, op(JCC, J_b).f64());
        m.set(ONE_BYTE, 0x80, group1(E_b, I_b));
        m.set(ONE_BYTE, 0x81, group1(E_v, I_z));
        m.set(ONE_BYTE, 0x83, group1(E_v, I_b));
        m.set(ONE_BYTE, 0x84, op(TEST, E_b, G_b));
        m.set(ONE_BYTE, 0x85, op(TEST, E_v, G_v));
        m.set(ONE_BYTE, 0x86, op(XCHG, E_b, G_b).lock());
        m.set(ONE_BYTE, 0x87, op(XCHG, E_v, G_v).lock());
        m.set(ONE_BYTE, 0x88, op(MOV, E_b, G_b));
        m.set(ONE_BYTE, 0x89, op(MOV, E_v, G_v));
        m.set(ONE_BYTE, 0x8A, op(MOV, G_b, E_b));
        m.set(ONE_BYTE, 0x8B, op(MOV, G_v, E_v));
        m.set(ONE_BYTE, 0x8C, op(MOV_SREG, E_v, G_w));                       // MOV Ev, Sw (reg = Sreg)
        m.set(ONE_BYTE, 0x8D, op(LEA, G_v, M));
        m.set(ONE_BYTE, 0x8F, group(op(POP, E_v).d64().leaf(), null, null, null, null, null, null, null));
        // 90: NOP, which is XCHG rAX,rAX without the 32-bit zero extension; with REX.B it is
        // XCHG r8,rAX. F3 90 is PAUSE. 66 is no mandatory prefix here: 66 41 90 is XCHG r8w, ax.
        m.set(ONE_BYTE, 0x90, prefix(op(NOP, Z_v, rAX).leaf(), null, op(PAUSE).leaf(), null));
        for (int r = 1; r < 8; r++) m.set(ONE_BYTE, 0x90 + r, op(XCHG, Z_v, rAX));
        m.set(ONE_BYTE, 0x98, op(CBW, rAX));
        m.set(ONE_BYTE, 0x99, op(CWD, rAX));
        m.set(ONE_BYTE, 0x9C, op(PUSHF).d64());
        m.set(ONE_BYTE, 0x9D, op(POPF).d64());
        m.set(ONE_BYTE, 0x9E, op(SAHF));
        m.set(ONE_BYTE, 0x9F, op(LAHF));
        m.set(ONE_BYTE, 0xA0, op(MOV, AL, O_b));
        m.set(ONE_BYTE, 0xA1, op(MOV, rAX, O_v));
        m.set(ONE_BYTE, 0xA2, op(MOV, O_b, AL));
        m.set(ONE_BYTE, 0xA3, op(MOV, O_v, rAX));
        m.set(ONE_BYTE, 0xA4, op(MOVS, Y_b, X_b));
        m.set(ONE_BYTE, 0xA5, op(MOVS, Y_v, X_v));
        m.set(ONE_BYTE, 0xA6, op(CMPS, X_b, Y_b));
        m.set(ONE_BYTE, 0xA7, op(CMPS, X_v, Y_v));
        m.set(ONE_BYTE, 0xA8, op(TEST, AL, I_b));
        m.set(ONE_BYTE, 0xA9, op(TEST, rAX, I_z));
        m.set(ONE_BYTE, 0xAA, op(STOS, Y_b, AL));
        m.set(ONE_BYTE, 0xAB, op(STOS, Y_v, rAX));
        m.set(ONE_BYTE, 0xAC, op(LODS, AL, X_b));
        m.set(ONE_BYTE, 0xAD, op(LODS, rAX, X_v));
        m.set(ONE_BYTE, 0xAE, op(SCAS, AL, Y_b));
        m.set(ONE_BYTE, 0xAF, op(SCAS, rAX, Y_v));
        for (int r = 0; r < 8; r++) {
            m.set(ONE_BYTE, 0xB0 + r, op(MOV, Z_b, I_b));
            m.set(ONE_BYTE, 0xB8 + r, op(MOV, Z_v, I_v));
        }
        m.set(ONE_BYTE, 0xC0, group2(E_b, I_b));
        m.set(ONE_BYTE, 0xC1, group2(E_v, I_b));
        m.set(ONE_BYTE, 0xC2, op(RET, I_w).f64());
        m.set(ONE_BYTE, 0xC3, op(RET).f64());
        m.set(ONE_BYTE, 0xC6, group(op(MOV, E_b, I_b).leaf(), null, null, null, null, null, null, null));
        m.set(ONE_BYTE, 0xC7, group(op(MOV, E_v, I_z).leaf(), null, null, null, null, null, null, null));
        m.set(ONE_BYTE, 0xC8, op(ENTER, I_w, I_b).d64());
        m.set(ONE_BYTE, 0xC9, op(LEAVE).d64());
        m.set(ONE_BYTE, 0xCC, op(INT3));
        m.set(ONE_BYTE, 0xCD, op(INT, I_b));
        m.set(ONE_BYTE, 0xD0, group2(E_b, ONE));
        m.set(ONE_BYTE, 0xD1, group2(E_v, ONE));
        m.set(ONE_BYTE, 0xD2, group2(E_b, CL));
        m.set(ONE_BYTE, 0xD3, group2(E_v, CL));
        m.set(ONE_BYTE, 0xD7, op(XLAT));
        m.set(ONE_BYTE, 0xE0, op(LOOPNE, J_b).f64());
        m.set(ONE_BYTE, 0xE1, op(LOOPE, J_b).f64());
        m.set(ONE_BYTE, 0xE2, op(LOOP, J_b).f64());
        m.set(ONE_BYTE, 0xE3, op(JRCXZ, J_b).f64());
        for (int b : new int[] {0xE4, 0xE5, 0xE6, 0xE7, 0xEC, 0xED, 0xEE, 0xEF}) m.set(ONE_BYTE, b, op(PRIVILEGED));
        m.set(ONE_BYTE, 0xE8, op(CALL, J_z).f64());
        m.set(ONE_BYTE, 0xE9, op(JMP, J_z).f64());
        m.set(ONE_BYTE, 0xEB, op(JMP, J_b).f64());
        m.set(ONE_BYTE, 0xF1, op(INT3));                                       // INT1/ICEBP: SIGTRAP too
        m.set(ONE_BYTE, 0xF4, op(PRIVILEGED));                                 // HLT
        m.set(ONE_BYTE, 0xF5, op(CMC));
        m.set(ONE_BYTE, 0xF6, group3(E_b, I_b));
        m.set(ONE_BYTE, 0xF7, group3(E_v, I_z));
        m.set(ONE_BYTE, 0xF8, op(CLC));
        m.set(ONE_BYTE, 0xF9, op(STC));
        m.set(ONE_BYTE, 0xFA, op(PRIVILEGED));                                 // CLI
        m.set(ONE_BYTE, 0xFB, op(PRIVILEGED));                                 // STI
        m.set(ONE_BYTE, 0xFC, op(CLD));
        m.set(ONE_BYTE, 0xFD, op(STD));
        m.set(ONE_BYTE, 0xFE, group(op(INC, E_b).lock().leaf(), op(DEC, E_b).lock().leaf(),
                null, null, null, null, null, null));
        m.set(ONE_BYTE, 0xFF, group(op(INC, E_v).lock().leaf(), op(DEC, E_v).lock().leaf(),
                op(CALL_IND, E_v).f64().leaf(), null, op(JMP_IND, E_v).f64().leaf(), null,
                op(PUSH, E_v).d64().leaf(), null));
    }

    private static Entry group1(Operand dst, Operand src) {
        Entry[] rows = new Entry[8];
        for (int k = 0; k < 8; k++) rows[k] = (ALU[k] == CMP ? op(CMP, dst, src) : op(ALU[k], dst, src).lock()).leaf();
        return group(rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7]);
    }

    private static Entry group2(Operand dst, Operand count) {
        Entry[] rows = new Entry[8];
        for (int k = 0; k < 8; k++) rows[k] = op(SHIFT[k], dst, count).leaf();
        return group(rows[0], rows[1], rows[2], rows[3], rows[4], rows[5], rows[6], rows[7]);
    }

    /** Group 3 (F6/F7): TEST (/0 and its alias /1), NOT, NEG, MUL, IMUL, DIV, IDIV. */
    private static Entry group3(Operand e, Operand imm) {
        return group(op(TEST, e, imm).leaf(), op(TEST, e, imm).leaf(), op(NOT, e).lock().leaf(),
                op(NEG, e).lock().leaf(), op(MUL, e).leaf(), op(IMUL1, e).leaf(), op(DIV, e).leaf(),
                op(IDIV, e).leaf());
    }

    private static void twoByte(OpcodeMaps m) {
        // 0F 01 (group 7): only the unprivileged register forms matter at CPL 3.
        m.set(TWO_BYTE, 0x01, group(null, null,
                mod(null, rm(op(XGETBV).leaf(), null, null, null, null, null, null, null)),
                null, null, null, null,
                mod(null, rm(null, op(RDTSCP).leaf(), null, null, null, null, null, null))));
        m.set(TWO_BYTE, 0x05, op(SYSCALL));
        m.set(TWO_BYTE, 0x0B, op(UD));                                         // UD2
        m.set(TWO_BYTE, 0x0D, op(PREFETCH, M_b).ext(Extension.PREFETCHW));                            // PREFETCHW
        m.set(TWO_BYTE, 0x18, op(PREFETCH, E_v).ext(Extension.SSE));                            // group 16 + reserved NOPs
        for (int b = 0x19; b <= 0x1F; b++) m.set(TWO_BYTE, b, op(NOP, E_v));   // hint NOPs (F3 0F 1E FA: ENDBR64)
        m.set(TWO_BYTE, 0x31, op(RDTSC));
        for (int cc = 0; cc < 16; cc++) {
            m.set(TWO_BYTE, 0x40 + cc, op(CMOVCC, G_v, E_v));
            m.set(TWO_BYTE, 0x80 + cc, op(JCC, J_z).f64());
            m.set(TWO_BYTE, 0x90 + cc, op(SETCC, E_b));
        }
        m.set(TWO_BYTE, 0xA2, op(CPUID));
        m.set(TWO_BYTE, 0xA3, op(BT, E_v, G_v));
        m.set(TWO_BYTE, 0xA4, op(SHLD, E_v, G_v, I_b));
        m.set(TWO_BYTE, 0xA5, op(SHLD, E_v, G_v, CL));
        m.set(TWO_BYTE, 0xAB, op(BTS, E_v, G_v).lock());
        m.set(TWO_BYTE, 0xAC, op(SHRD, E_v, G_v, I_b));
        m.set(TWO_BYTE, 0xAD, op(SHRD, E_v, G_v, CL));
        // 0F AE (group 15): state save/restore, MXCSR, CLFLUSH; fences; F3: FS/GS base access.
        m.set(TWO_BYTE, 0xAE, mod(
                group(op(FXSAVE, M).leaf(), op(FXRSTOR, M).leaf(), op(LDMXCSR, M_d).leaf(), op(STMXCSR, M_d).leaf(),
                        null, null, null, op(CLFLUSH, M_b).leaf()),
                prefix(group(null, null, null, null, null, op(FENCE).modrm().ext(Extension.SSE2).leaf(),
                                op(FENCE).modrm().ext(Extension.SSE2).leaf(), op(FENCE).modrm().ext(Extension.SSE).leaf()),
                        null,
                        group(op(RDFSBASE, R_y).leaf(), op(RDGSBASE, R_y).leaf(), op(WRFSBASE, R_y).leaf(),
                                op(WRGSBASE, R_y).leaf(), null, null, null, null),
                        null)));
        m.set(TWO_BYTE, 0xAF, op(IMUL, G_v, E_v));
        m.set(TWO_BYTE, 0xB0, op(CMPXCHG, E_b, G_b).lock());
        m.set(TWO_BYTE, 0xB1, op(CMPXCHG, E_v, G_v).lock());
        m.set(TWO_BYTE, 0xB3, op(BTR, E_v, G_v).lock());
        m.set(TWO_BYTE, 0xB6, op(MOVZX, G_v, E_b));
        m.set(TWO_BYTE, 0xB7, op(MOVZX, G_v, E_w));
        m.setPrefixed(TWO_BYTE, 0xB8, 2, op(POPCNT, G_v, E_v));
        m.set(TWO_BYTE, 0xB9, op(UD, G_v, E_v));                              // UD1 (has ModRM)
        m.set(TWO_BYTE, 0xBA, group(null, null, null, null, op(BT, E_v, I_b).leaf(), op(BTS, E_v, I_b).lock().leaf(),
                op(BTR, E_v, I_b).lock().leaf(), op(BTC, E_v, I_b).lock().leaf()));
        m.set(TWO_BYTE, 0xBB, op(BTC, E_v, G_v).lock());
        m.set(TWO_BYTE, 0xBC, prefix(op(BSF, G_v, E_v).leaf(), null, op(TZCNT, G_v, E_v).leaf(), null));
        m.set(TWO_BYTE, 0xBD, prefix(op(BSR, G_v, E_v).leaf(), null, op(LZCNT, G_v, E_v).leaf(), null));
        m.set(TWO_BYTE, 0xBE, op(MOVSX, G_v, E_b));
        m.set(TWO_BYTE, 0xBF, op(MOVSX, G_v, E_w));
        m.set(TWO_BYTE, 0xC0, op(XADD, E_b, G_b).lock());
        m.set(TWO_BYTE, 0xC1, op(XADD, E_v, G_v).lock());
        // 0F C7 (group 9): CMPXCHG8B / CMPXCHG16B (REX.W). RDRAND/RDSEED are not advertised.
        m.set(TWO_BYTE, 0xC7, group(null, mod(w(op(CMPXCHG8B, M_q).lock().leaf(), op(CMPXCHG8B, M_dq).lock().ext(Extension.CX16).leaf()), null),
                null, null, null, null, null, null));
        for (int r = 0; r < 8; r++) m.set(TWO_BYTE, 0xC8 + r, op(BSWAP, Z_y));
        m.set(TWO_BYTE, 0xFF, op(UD, G_v, E_v));                              // UD0 (has ModRM)
    }

    private static void threeByte(OpcodeMaps m) {
        // 0F 38 F0/F1: MOVBE (no mandatory prefix: 66 is its operand-size prefix, selecting
        // MOVBE r16/m16) and CRC32 (F2; 66 F2 for the 16-bit source).
        m.setPrefixed(MAP_0F38, 0xF0, 0, op(MOVBE, G_v, M_v));
        m.setPrefixed(MAP_0F38, 0xF0, 3, op(CRC32, G_y, E_b));
        m.setPrefixed(MAP_0F38, 0xF1, 0, op(MOVBE, M_v, G_v));
        m.setPrefixed(MAP_0F38, 0xF1, 3, op(CRC32, G_y, E_v));
        m.setPrefixed(MAP_0F38, 0xF6, 1, op(ADCX, G_y, E_y));
        m.setPrefixed(MAP_0F38, 0xF6, 2, op(ADOX, G_y, E_y));
    }

    /** BMI1/BMI2: VEX-encoded general-purpose operations (VEX.LZ: L must be 0). */
    private static void vex(OpcodeMaps m) {
        m.setPrefixed(VEX_0F38, 0xF2, 0, op(ANDN, G_y, B_y, E_y).vex().l0());
        m.setPrefixed(VEX_0F38, 0xF3, 0, group(null, op(BLSR, B_y, E_y).vex().l0().leaf(),
                op(BLSMSK, B_y, E_y).vex().l0().leaf(), op(BLSI, B_y, E_y).vex().l0().leaf(),
                null, null, null, null));
        m.setPrefixed(VEX_0F38, 0xF5, 0, op(BZHI, G_y, E_y, B_y).vex().l0());
        m.setPrefixed(VEX_0F38, 0xF5, 2, op(PEXT, G_y, B_y, E_y).vex().l0());
        m.setPrefixed(VEX_0F38, 0xF5, 3, op(PDEP, G_y, B_y, E_y).vex().l0());
        m.setPrefixed(VEX_0F38, 0xF6, 3, op(MULX, G_y, B_y, E_y).vex().l0());
        m.setPrefixed(VEX_0F38, 0xF7, 0, op(BEXTR, G_y, E_y, B_y).vex().l0());
        m.setPrefixed(VEX_0F38, 0xF7, 1, op(SHLX, G_y, E_y, B_y).vex().l0());
        m.setPrefixed(VEX_0F38, 0xF7, 2, op(SARX, G_y, E_y, B_y).vex().l0());
        m.setPrefixed(VEX_0F38, 0xF7, 3, op(SHRX, G_y, E_y, B_y).vex().l0());
        m.setPrefixed(VEX_0F3A, 0xF0, 3, op(RORX, G_y, E_y, I_b).vex().l0());
    }
}
