package dev.nexa.cpu.decode;

/**
 * Operand notation of the Intel SDM opcode maps (Vol. 2D Appendix A.2): an addressing method
 * letter and a size letter. Decoder rows are written in it, so a row can be checked against the
 * manual line by line.
 * <p>
 * Methods: E = ModRM r/m (register or memory), G = ModRM.reg general register, M = ModRM memory
 * only, R = ModRM r/m general register only, I = immediate, J = relative branch offset,
 * O = absolute offset (moffs), Z = register in the opcode's low 3 bits (+REX.B), V = ModRM.reg
 * XMM, W = ModRM r/m XMM or memory, U = ModRM r/m XMM only, H = VEX.vvvv XMM, B = VEX.vvvv GPR,
 * L = register in imm8[7:4] (VEX /is4), P/Q/N = MMX reg / r/m / r/m reg-only.
 * Sizes: b = byte, w = word, d = dword, q = qword, v = 16/32/64 by operand size, z = 16/32
 * (immediates of v-sized operations), y = 32/64 by REX.W, x = 128 (or 256 with VEX.L),
 * dq = 128, ss/sd/ps/pd = scalar/packed single/double (128 for registers).
 * X/Y = the implicit string operands DS:rSI / ES:rDI (they only give the size).
 * Fixed registers: AL, CL, DX, rAX (AX/EAX/RAX by operand size); ONE = the constant 1 of
 * the D0/D1/D2/D3 shifts; ST0/STi = x87 stack registers.
 */
public enum Operand {
    E_b(Kind.E, 1), E_w(Kind.E, 2), E_d(Kind.E, 4), E_q(Kind.E, 8), E_v(Kind.E, Size.V), E_y(Kind.E, Size.Y),
    G_b(Kind.G, 1), G_w(Kind.G, 2), G_d(Kind.G, 4), G_q(Kind.G, 8), G_v(Kind.G, Size.V), G_y(Kind.G, Size.Y),
    R_d(Kind.R, 4), R_q(Kind.R, 8), R_v(Kind.R, Size.V), R_y(Kind.R, Size.Y),
    M(Kind.M, 0), M_b(Kind.M, 1), M_w(Kind.M, 2), M_d(Kind.M, 4), M_q(Kind.M, 8), M_v(Kind.M, Size.V),
    M_y(Kind.M, Size.Y), M_dq(Kind.M, 16), M_t(Kind.M, 10), M_x(Kind.M, Size.X),
    I_b(Kind.I, 1), I_w(Kind.I, 2), I_d(Kind.I, 4), I_z(Kind.I, Size.Z), I_v(Kind.I, Size.V),
    J_b(Kind.J, 1), J_z(Kind.J, 4),
    O_b(Kind.O, 1), O_v(Kind.O, Size.V),
    Z_b(Kind.Z, 1), Z_v(Kind.Z, Size.V), Z_q(Kind.Z, 8), Z_y(Kind.Z, Size.Y),
    AL(Kind.FIXED, 1), CL(Kind.FIXED, 1), DX(Kind.FIXED, 2), rAX(Kind.FIXED, Size.V), ONE(Kind.FIXED, 1),
    V_x(Kind.V, Size.X), V_dq(Kind.V, 16), V_ss(Kind.V, 4), V_sd(Kind.V, 8), V_q(Kind.V, 8), V_d(Kind.V, 4),
    V_y(Kind.V, Size.Y),
    W_x(Kind.W, Size.X), W_dq(Kind.W, 16), W_ss(Kind.W, 4), W_sd(Kind.W, 8), W_q(Kind.W, 8), W_d(Kind.W, 4),
    W_w(Kind.W, 2), W_b(Kind.W, 1),
    U_x(Kind.U, Size.X), U_dq(Kind.U, 16), U_q(Kind.U, 8),
    H_x(Kind.H, Size.X), H_dq(Kind.H, 16), H_ss(Kind.H, 4), H_sd(Kind.H, 8),
    B_y(Kind.B, Size.Y),
    L_x(Kind.L, Size.X),
    P_q(Kind.P, 8), Q_q(Kind.Q, 8), N_q(Kind.N, 8), Q_d(Kind.Q, 4),
    ST0(Kind.ST, 10), STi(Kind.ST, 10),
    X_b(Kind.STRING, 1), X_v(Kind.STRING, Size.V), Y_b(Kind.STRING, 1), Y_v(Kind.STRING, Size.V);

    /** Where the operand comes from. */
    public enum Kind { E, G, R, M, I, J, O, Z, FIXED, V, W, U, H, B, L, P, Q, N, ST, STRING }

    /** Sizes that depend on prefixes: resolved by the decoder. */
    static final class Size {
        static final int V = -1, Y = -2, Z = -3, X = -4;
    }

    public final Kind kind;
    /** Size in bytes, or a negative {@link Size} code. */
    final int size;

    Operand(Kind kind, int size) {
        this.kind = kind;
        this.size = size;
    }

    /** Whether this operand's presence means the instruction has a ModRM byte. */
    boolean needsModrm() {
        return switch (kind) {
            case E, G, R, M, V, W, U, P, Q, N -> true;
            default -> false;
        };
    }
}
