package dev.nexa.cpu.decode;

import java.util.Arrays;
import java.util.List;

/**
 * A cell of an opcode map: either an instruction ({@link Leaf}) or a further choice made on
 * another part of the encoding, as the SDM's opcode tables do (groups by ModRM.reg, mandatory
 * prefixes, register vs memory forms, REX.W / VEX.W). A {@code null} cell is undefined (#UD).
 */
public sealed interface Entry permits Entry.Leaf, Entry.ByReg, Entry.ByMod, Entry.ByPrefix, Entry.ByRm,
        Entry.ByW {

    /**
     * An instruction: operation, operands in SDM order, {@link Flag} bits, and the ISA extension
     * whose CPUID flag announces it (documentation: the decoder does not consult it).
     */
    record Leaf(Op op, List<Operand> operands, int flags, Extension ext) implements Entry {
        public Leaf {
            operands = List.copyOf(operands);
        }

        /** A leaf of the operation's usual extension ({@link Extension#of}). */
        public Leaf(Op op, List<Operand> operands, int flags) {
            this(op, operands, flags, Extension.of(op, operands));
        }

        public boolean has(int flag) { return (flags & flag) != 0; }
    }

    /** Chosen by ModRM.reg (the SDM's "group" tables, Table A-6). */
    record ByReg(Entry[] byReg) implements Entry {
        public ByReg {
            if (byReg.length != 8) throw new IllegalArgumentException("a group has 8 rows");
        }

        @Override
        public String toString() { return "ByReg" + Arrays.toString(byReg); }
    }

    /** Chosen by ModRM.mod: memory forms (mod != 3) vs register forms (mod == 3). */
    record ByMod(Entry mem, Entry reg) implements Entry {}

    /** Chosen by the mandatory prefix: none, 66, F3, F2 (SSE tables). */
    record ByPrefix(Entry none, Entry p66, Entry pF3, Entry pF2) implements Entry {}

    /** Chosen by ModRM.rm when mod == 3 (0F 01 and the x87 D9/DB escapes). */
    record ByRm(Entry[] byRm) implements Entry {
        @Override
        public String toString() { return "ByRm" + Arrays.toString(byRm); }
    }

    /** Chosen by REX.W (or VEX.W). */
    record ByW(Entry w0, Entry w1) implements Entry {}

    /** Leaf flags. */
    final class Flag {
        /** LOCK prefix allowed (memory destination forms only; otherwise #UD). */
        public static final int LOCK = 1;
        /** Operand size defaults to 64 bits in 64-bit mode; 66 selects 16 (PUSH, POP, ...). */
        public static final int D64 = 1 << 1;
        /** Operand size is always 64 bits in 64-bit mode (near branches). */
        public static final int F64 = 1 << 2;
        /** Needs a VEX prefix (the BMI/AVX-encoded forms). */
        public static final int VEX = 1 << 3;
        /** Only without a VEX prefix (legacy SSE forms). */
        public static final int NO_VEX = 1 << 4;
        /** The ModRM byte is present even though no operand names it (0F 1F NOP, fences). */
        public static final int MODRM = 1 << 5;
        /** VEX.L must be 0 (#UD otherwise). */
        public static final int L0 = 1 << 6;

        private Flag() {}
    }
}
