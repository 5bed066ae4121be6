package dev.nexa.cpu.x87;

import java.util.ArrayList;
import java.util.List;

/**
 * Every x87 encoding the oracle properties exercise, grouped as the properties are. Memory forms
 * address [rsi] (the scratch area, ModRM mod = 00, rm = 110); register forms list the ModRM of
 * ST(0) and get a random i added. {@code undefined} are FSW bits to mask in the comparison: none
 * at present. Where the SDM calls C0-C3 undefined (arithmetic, loads, transcendentals) the host
 * leaves them unchanged, and so does the emulator, so they are compared too.
 */
final class X87Rows {
    private X87Rows() {}

    record Row(String name, String hex, boolean sti, int undefined) {
        /**
         * Whether FDP is determined after the instruction: it has a memory operand and is not a
         * control instruction (those leave FDP alone), or it loads or clears the pointers.
         */
        boolean fdpKnown() {
            byte[] b = X87Oracle.hex(hex);
            int k = (b[0] & 0xFF) == 0x66 || (b[0] & 0xF0) == 0x40 ? 1 : 0;
            if (b.length < k + 2) return false;
            int esc = b[k] & 0xFF, modrm = b[k + 1] & 0xFF;
            if (esc == 0x0F) return false;
            if (esc == 0xDB && modrm == 0xE3) return true;             // FNINIT
            if (modrm >= 0xC0) return false;
            int reg = modrm >> 3 & 7;
            return !(esc == 0xD9 && reg >= 5 || esc == 0xDD && reg == 7);
        }

        byte[] bytes(int i) {
            byte[] b = X87Oracle.hex(hex);
            if (sti) b[b.length - 1] += (byte) i;
            return b;
        }
    }

    private static Row m(String name, String hex) { return new Row(name, hex, false, 0); }

    private static Row r(String name, String hex) { return new Row(name, hex, true, 0); }

    static final List<Row> LOADS = List.of(
            m("fld m32fp", "d9 06"), m("fld m64fp", "dd 06"), m("fld m80fp", "db 2e"), r("fld st(i)", "d9 c0"),
            m("fild m16int", "df 06"), m("fild m32int", "db 06"), m("fild m64int", "df 2e"), m("fbld", "df 26"),
            m("fld1", "d9 e8"), m("fldl2t", "d9 e9"), m("fldl2e", "d9 ea"), m("fldpi", "d9 eb"),
            m("fldlg2", "d9 ec"), m("fldln2", "d9 ed"), m("fldz", "d9 ee"));

    static final List<Row> STORES = List.of(
            m("fst m32fp", "d9 16"), m("fstp m32fp", "d9 1e"), m("fst m64fp", "dd 16"), m("fstp m64fp", "dd 1e"),
            m("fstp m80fp", "db 3e"), r("fst st(i)", "dd d0"), r("fstp st(i)", "dd d8"), r("fstp1 st(i)", "d9 d8"),
            r("fstp8 st(i)", "df d0"), r("fstp9 st(i)", "df d8"),
            m("fist m16int", "df 16"), m("fistp m16int", "df 1e"), m("fist m32int", "db 16"), m("fistp m32int", "db 1e"),
            m("fistp m64int", "df 3e"), m("fisttp m16int", "df 0e"), m("fisttp m32int", "db 0e"),
            m("fisttp m64int", "dd 0e"), m("fbstp", "df 36"));

    static final List<Row> MOVES = List.of(
            r("fxch", "d9 c8"), r("fxch4", "dd c8"), r("fxch7", "df c8"), r("ffree", "dd c0"), r("ffreep", "df c0"),
            r("fcmovb", "da c0"), r("fcmove", "da c8"), r("fcmovbe", "da d0"), r("fcmovu", "da d8"),
            r("fcmovnb", "db c0"), r("fcmovne", "db c8"), r("fcmovnbe", "db d0"), r("fcmovnu", "db d8"),
            m("fchs", "d9 e0"), m("fabs", "d9 e1"), m("fincstp", "d9 f7"), m("fdecstp", "d9 f6"), m("fnop", "d9 d0"));

    static final List<Row> ARITHMETIC = arithmetic();

    private static List<Row> arithmetic() {
        var l = new ArrayList<Row>();
        String[] ops = {"add", "mul", "com", "comp", "sub", "subr", "div", "divr"};
        for (int k = 0; k < 8; k++) {
            if (k == 2 || k == 3) continue;
            String op = ops[k];
            String mrm = "%02x".formatted(k << 3 | 6);
            l.add(r("f" + op + " st(0), st(i)", "d8 %02x".formatted(0xC0 | k << 3)));
            l.add(m("f" + op + " m32fp", "d8 " + mrm));
            l.add(m("f" + op + " m64fp", "dc " + mrm));
            l.add(m("fi" + op + " m32int", "da " + mrm));
            l.add(m("fi" + op + " m16int", "de " + mrm));
        }
        // DC/DE register forms: ST(i) = ST(i) op ST(0); /4../7 are SUBR, SUB, DIVR, DIV
        String[] dc = {"add", "mul", null, null, "subr", "sub", "divr", "div"};
        for (int k = 0; k < 8; k++) {
            if (dc[k] == null) continue;
            l.add(r("f" + dc[k] + " st(i), st(0)", "dc %02x".formatted(0xC0 | k << 3)));
            l.add(r("f" + dc[k] + "p st(i), st(0)", "de %02x".formatted(0xC0 | k << 3)));
        }
        l.add(m("fsqrt", "d9 fa"));
        l.add(m("frndint", "d9 fc"));
        l.add(m("fscale", "d9 fd"));
        l.add(m("fxtract", "d9 f4"));
        l.add(m("fprem", "d9 f8"));
        l.add(m("fprem1", "d9 f5"));
        return List.copyOf(l);
    }

    static final List<Row> COMPARES = List.of(
            r("fcom st(i)", "d8 d0"), r("fcomp st(i)", "d8 d8"), r("fcom2 st(i)", "dc d0"), r("fcomp3 st(i)", "dc d8"),
            r("fcomp5 st(i)", "de d0"), m("fcompp", "de d9"), r("fucom st(i)", "dd e0"), r("fucomp st(i)", "dd e8"),
            m("fucompp", "da e9"), m("fcom m32fp", "d8 16"), m("fcomp m32fp", "d8 1e"), m("fcom m64fp", "dc 16"),
            m("fcomp m64fp", "dc 1e"), m("ficom m32int", "da 16"), m("ficomp m32int", "da 1e"),
            m("ficom m16int", "de 16"), m("ficomp m16int", "de 1e"),
            r("fucomi", "db e8"), r("fcomi", "db f0"), r("fucomip", "df e8"), r("fcomip", "df f0"),
            m("ftst", "d9 e4"), m("fxam", "d9 e5"));

    static final List<Row> TRANSCENDENTAL = List.of(
            m("f2xm1", "d9 f0"), m("fyl2x", "d9 f1"), m("fptan", "d9 f2"),
            m("fpatan", "d9 f3"), m("fsincos", "d9 fb"), m("fsin", "d9 fe"),
            m("fcos", "d9 ff"), m("fyl2xp1", "d9 f9"));

    static final List<Row> CONTROL = List.of(
            m("fnclex", "db e2"), m("fninit", "db e3"), m("fnstcw", "d9 7e 10"), m("fldcw", "d9 6e 00"),
            m("fnstsw m16", "dd 7e 10"), m("fnstsw ax", "df e0"), m("fnstenv", "d9 76 40"),
            m("fnstenv 16-bit", "66 d9 76 40"), m("fldenv", "d9 66 00"), m("fldenv 16-bit", "66 d9 66 00"),
            m("fnsave", "dd 76 40"), m("fnsave 16-bit", "66 dd 76 40"), m("frstor", "dd 66 00"),
            m("frstor 16-bit", "66 dd 66 00"), m("fwait", "9b"), m("feni", "db e0"), m("fdisi", "db e1"),
            m("fsetpm", "db e4"));
}
