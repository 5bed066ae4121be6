package dev.nexa.cpu;

/**
 * A CPU exception as the kernel sees it (SDM Vol. 3A §6.3.1 vector numbers).
 *
 * @param vector    0 #DE, 3 #BP, 6 #UD, 13 #GP, 14 #PF, 16 #MF, 19 #XM, ...
 * @param errorCode the architectural error code (#PF bits, #GP selector/IDT code), else 0
 * @param address   CR2 for #PF (the faulting linear address); the offending address for a
 *                  non-canonical #GP; else 0
 * @param rip       the instruction's address (the next instruction's for the #BP trap)
 */
public record Fault(int vector, int errorCode, long address, long rip) {
    public static final int DE = 0, DB = 1, BP = 3, UD = 6, NM = 7, GP = 13, PF = 14, MF = 16, AC = 17, XM = 19;

    public String mnemonic() {
        return switch (vector) {
            case DE -> "#DE"; case DB -> "#DB"; case BP -> "#BP"; case UD -> "#UD"; case NM -> "#NM";
            case GP -> "#GP"; case PF -> "#PF"; case MF -> "#MF"; case AC -> "#AC"; case XM -> "#XM";
            default -> "#" + vector;
        };
    }
}
