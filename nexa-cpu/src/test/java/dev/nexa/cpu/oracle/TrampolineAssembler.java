package dev.nexa.cpu.oracle;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The handful of x86-64 encodings the {@link NativeExecutor} trampoline needs, each emitted with the
 * Intel-syntax line it encodes (kept in {@link #listing()} so a test can compare it with what
 * {@code objdump} disassembles from the same bytes).
 *
 * <p>Register numbers are the architectural ones (0 = RAX .. 15 = R15). Every memory operand uses RAX
 * as the base because the trampoline loads or stores all other registers while RAX holds the address
 * of the exchange area.
 */
final class TrampolineAssembler {
    private static final String[] NAMES = {
        "rax", "rcx", "rdx", "rbx", "rsp", "rbp", "rsi", "rdi",
        "r8", "r9", "r10", "r11", "r12", "r13", "r14", "r15"};

    /** One emitted instruction: where it starts, its bytes and the assembly it stands for. */
    record Line(int offset, byte[] bytes, String assembly) {}

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Line> lines = new ArrayList<>();

    int size() {
        return out.size();
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    List<Line> listing() {
        return List.copyOf(lines);
    }

    static String name(int reg) {
        return NAMES[reg];
    }

    private void emit(String assembly, int... bytes) {
        var b = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            b[i] = (byte) bytes[i];
        }
        lines.add(new Line(out.size(), b, assembly));
        out.writeBytes(b);
    }

    private static int[] withImm64(int[] prefix, long imm) {
        var all = new int[prefix.length + 8];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        for (int i = 0; i < 8; i++) {
            all[prefix.length + i] = (int) (imm >>> (8 * i)) & 0xFF;
        }
        return all;
    }

    /** {@code push r64}: 50+r, REX.B (41) for r8..r15. */
    void push(int reg) {
        if (reg >= 8) {
            emit("push " + name(reg), 0x41, 0x50 + (reg & 7));
        } else {
            emit("push " + name(reg), 0x50 + reg);
        }
    }

    /** {@code pop r64}: 58+r, REX.B (41) for r8..r15. */
    void pop(int reg) {
        if (reg >= 8) {
            emit("pop " + name(reg), 0x41, 0x58 + (reg & 7));
        } else {
            emit("pop " + name(reg), 0x58 + reg);
        }
    }

    /** {@code pushfq}: 9C (64-bit operand size is the default in long mode). */
    void pushfq() {
        emit("pushfq", 0x9C);
    }

    /** {@code popfq}: 9D. */
    void popfq() {
        emit("popfq", 0x9D);
    }

    /** {@code movabs rax, imm64}: REX.W B8+r io. */
    void movRaxImm64(long imm) {
        emit("movabs rax, 0x" + Long.toHexString(imm), withImm64(new int[] {0x48, 0xB8}, imm));
    }

    /** {@code movabs [moffs64], rax}: REX.W A3 moffs64 (the only store with a 64-bit absolute address). */
    void movMoffsFromRax(long address) {
        emit("movabs [0x" + Long.toHexString(address) + "], rax", withImm64(new int[] {0x48, 0xA3}, address));
    }

    /** {@code movabs rax, [moffs64]}: REX.W A1 moffs64. */
    void movRaxFromMoffs(long address) {
        emit("movabs rax, [0x" + Long.toHexString(address) + "]", withImm64(new int[] {0x48, 0xA1}, address));
    }

    /** {@code mov dst, src} between 64-bit registers: REX.W(+R+B) 89 /r with mod=11, reg=src, rm=dst. */
    void movRegReg(int dst, int src) {
        int rex = 0x48 | (src >= 8 ? 4 : 0) | (dst >= 8 ? 1 : 0);
        emit("mov " + name(dst) + ", " + name(src), rex, 0x89, 0xC0 | (src & 7) << 3 | (dst & 7));
    }

    /**
     * {@code mov reg, [rax+disp]}: REX.W(+R) 8B /r. mod=00 rm=000 without displacement, mod=01 rm=000
     * with disp8 (the exchange areas are 16 registers of 8 bytes, so disp8 always suffices).
     */
    void movRegFromRaxDisp(int reg, int disp) {
        int rex = 0x48 | (reg >= 8 ? 4 : 0);
        if (disp == 0) {
            emit("mov " + name(reg) + ", [rax]", rex, 0x8B, (reg & 7) << 3);
        } else {
            checkDisp8(disp);
            emit("mov " + name(reg) + ", [rax+0x" + Integer.toHexString(disp) + "]",
                    rex, 0x8B, 0x40 | (reg & 7) << 3, disp);
        }
    }

    /** {@code mov [rax+disp], reg}: REX.W(+R) 89 /r, same addressing forms as the load. */
    void movRaxDispFromReg(int disp, int reg) {
        int rex = 0x48 | (reg >= 8 ? 4 : 0);
        if (disp == 0) {
            emit("mov [rax], " + name(reg), rex, 0x89, (reg & 7) << 3);
        } else {
            checkDisp8(disp);
            emit("mov [rax+0x" + Integer.toHexString(disp) + "], " + name(reg),
                    rex, 0x89, 0x40 | (reg & 7) << 3, disp);
        }
    }

    private static void checkDisp8(int disp) {
        if (disp < 0 || disp > 127) {
            throw new IllegalArgumentException("disp8 out of range: " + disp);
        }
    }

    /** {@code and rdx, imm32} (sign-extended): REX.W 81 /4 id with rm=rdx. */
    void andRdxImm32(int imm) {
        emit("and rdx, 0x" + Long.toHexString(imm), 0x48, 0x81, 0xE2,
                imm & 0xFF, imm >>> 8 & 0xFF, imm >>> 16 & 0xFF, imm >>> 24 & 0xFF);
    }

    /** {@code or rdx, rcx}: REX.W 09 /r, mod=11 reg=rcx rm=rdx. */
    void orRdxRcx() {
        emit("or rdx, rcx", 0x48, 0x09, 0xCA);
    }

    /** {@code fxsave64 [rax]}: REX.W 0F AE /0 (64-bit FIP/FDP layout, SDM Vol. 1 Table 10-2). */
    void fxsave64AtRax() {
        emit("fxsave64 [rax]", 0x48, 0x0F, 0xAE, 0x00);
    }

    /** {@code fxrstor64 [rax]}: REX.W 0F AE /1. */
    void fxrstor64AtRax() {
        emit("fxrstor64 [rax]", 0x48, 0x0F, 0xAE, 0x08);
    }

    /** {@code nop}: 90, used to pad the prologue so guest code starts at a fixed offset. */
    void nop() {
        emit("nop", 0x90);
    }

    /** {@code ret}: C3. */
    void ret() {
        emit("ret", 0xC3);
    }

    /** The bytes under test, copied verbatim. */
    void guest(byte[] code) {
        lines.add(new Line(out.size(), code.clone(), "<guest code>"));
        out.writeBytes(code);
    }
}
