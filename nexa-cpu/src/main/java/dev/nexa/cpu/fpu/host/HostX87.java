package dev.nexa.cpu.fpu.host;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_SHORT_UNALIGNED;

import dev.nexa.cpu.fpu.Ext80;
import dev.nexa.cpu.fpu.X87Status;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Locale;

/**
 * The x87 transcendental instructions (FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X, FYL2XP1)
 * executed by the host's own FPU, when the host is x86-64: the requirement is to match the host
 * bit for bit, and the hardware computes them with an undocumented table-and-polynomial method
 * that no correctly rounded model reproduces (the soft {@link dev.nexa.cpu.fpu.X87Transcendental}
 * agrees 80-99% of the time, see the fpu package comment).
 *
 * <p>Same contract as {@code X87Transcendental}: each method takes the operands and the guest's
 * control word, writes the result(s) and returns the status bits the instruction raised (IE, DE,
 * ZE, OE, UE, PE, C0-C3), which the handler merges into FSW exactly as for a soft result. A
 * destination is left untouched when an unmasked IE, DE or ZE stops the instruction before it
 * computes (SDM Vol. 1 §8.5), and by FSIN/FCOS/FSINCOS/FPTAN when C2 reports |x| ≥ 2^63.
 *
 * <p>One native stub per instruction (written once into an mmap'd page, then made read+execute)
 * is called through the FFM linker with the address of a per-thread 96-byte block:
 * <pre>
 *   +0 guest FCW   +2 guest FCW with all exceptions masked   +4 host FCW (saved)   +6 FSW out
 *   +16 ST(1) in   +32 ST(0) in   +48 ST(0) out   +64 ST(1) out         (m80fp images)
 * </pre>
 * The stub: FNSTCW the host's control word (callee-saved in the SysV ABI), FNINIT, FLDCW the
 * guest's (its precision, rounding and exception masks, so that an unmasked overflow or underflow
 * delivers the hardware's own bias-adjusted result, SDM Vol. 1 §8.5.4-5), FLD m80 ST(1) then ST(0)
 * (an 80-bit load raises nothing, SDM Vol. 2A FLD), the instruction, FNSTSW m16 and FNCLEX (both
 * non-waiting, so a pending unmasked exception never reaches a waiting instruction as #MF), FLDCW
 * the all-masked control word, FSTP m80 twice, FNINIT (the ABI wants the x87 stack empty) and FLDCW
 * the host's word back. Two values are stored whatever the instruction: the caller picks.
 *
 * <p>Used when {@code os.arch} is amd64/x86_64, native access works, and the system property
 * {@code nexa.x87.soft} is not {@code true}; {@link #ENABLED} says which. Calls allocate nothing
 * after a thread's first.
 */
public final class HostX87 {
    private HostX87() {}

    private static final int IE = X87Status.IE, DE = X87Status.DE, ZE = X87Status.ZE, C2 = X87Status.C2;
    private static final int PRECOMPUTATION = IE | DE | ZE;
    private static final int REPORTED = X87Status.EXCEPTIONS | X87Status.CONDITION_CODES;

    private static final int CW = 0, CW_MASKED = 2, FSW = 6, IN_ST1 = 16, IN_ST0 = 32, OUT_ST0 = 48, OUT_ST1 = 64;
    private static final int BLOCK_SIZE = 96;

    /** The instructions, in stub order; each value is its second opcode byte after D9. */
    private static final int[] OPCODES = {0xFE, 0xFF, 0xFB, 0xF2, 0xF3, 0xF0, 0xF1, 0xF9};
    private static final int SIN = 0, COS = 1, SINCOS = 2, PTAN = 3, PATAN = 4, F2XM1 = 5, YL2X = 6, YL2XP1 = 7;
    private static final int STUB_SPACING = 64;

    /** Why the host FPU is not used, or null when it is. */
    private static final String UNAVAILABLE;
    private static final MethodHandle[] STUBS;
    /** Whether the transcendentals run on the host FPU. */
    public static final boolean ENABLED;

    static {
        MethodHandle[] stubs = null;
        String why = unsupportedReason();
        if (why == null) {
            try {
                stubs = install();
                why = selfTest(stubs);
            } catch (Throwable t) {                 // no native access, no mmap: use the soft x87
                why = "native stubs unavailable: " + t;
            }
        }
        UNAVAILABLE = why;
        STUBS = why == null ? stubs : null;
        ENABLED = why == null;
    }

    /** Null when the host FPU is in use, else why not (for diagnostics). */
    public static String unavailableReason() {
        return UNAVAILABLE;
    }

    private static String unsupportedReason() {
        if (Boolean.getBoolean("nexa.x87.soft")) return "nexa.x87.soft=true";
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!arch.equals("amd64") && !arch.equals("x86_64")) return "host is " + arch + ", not x86-64";
        return null;
    }

    private static final ThreadLocal<MemorySegment> BLOCK =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(BLOCK_SIZE, 16));

    // ---------------------------------------------------------------- the instructions

    /** FSIN: {@code dst} = sin a. */
    public static int sin(Ext80 a, Ext80 dst, int controlWord) {
        return unary(SIN, a, dst, controlWord);
    }

    /** FCOS: {@code dst} = cos a. */
    public static int cos(Ext80 a, Ext80 dst, int controlWord) {
        return unary(COS, a, dst, controlWord);
    }

    /** F2XM1: {@code dst} = 2^a - 1. */
    public static int exp2m1(Ext80 a, Ext80 dst, int controlWord) {
        return unary(F2XM1, a, dst, controlWord);
    }

    /** FSINCOS: {@code sinOut} goes to ST(0)'s place, {@code cosOut} is pushed. */
    public static int sincos(Ext80 a, Ext80 sinOut, Ext80 cosOut, int controlWord) {
        return pushing(SINCOS, a, sinOut, cosOut, controlWord);
    }

    /** FPTAN: {@code dst} = tan a in ST(0)'s place, {@code pushed} = 1.0 (or the NaN result). */
    public static int tan(Ext80 a, Ext80 dst, Ext80 pushed, int controlWord) {
        return pushing(PTAN, a, dst, pushed, controlWord);
    }

    /** FPATAN: {@code dst} = arctan(y / x); y is ST(1), x is ST(0). */
    public static int atan2(Ext80 y, Ext80 x, Ext80 dst, int controlWord) {
        return popping(PATAN, x, y, dst, controlWord);
    }

    /** FYL2X: {@code dst} = y × log2 x; x is ST(0), y is ST(1). */
    public static int yl2x(Ext80 x, Ext80 y, Ext80 dst, int controlWord) {
        return popping(YL2X, x, y, dst, controlWord);
    }

    /** FYL2XP1: {@code dst} = y × log2(x + 1); x is ST(0), y is ST(1). */
    public static int yl2xp1(Ext80 x, Ext80 y, Ext80 dst, int controlWord) {
        return popping(YL2XP1, x, y, dst, controlWord);
    }

    // ---------------------------------------------------------------- shapes

    private static int unary(int op, Ext80 a, Ext80 dst, int cw) {
        MemorySegment b = BLOCK.get();
        put(b, IN_ST1, 0, 0);
        put(b, IN_ST0, a.signExp(), a.significand());
        int flags = call(op, b, cw);
        if (!stopped(flags, cw) && (flags & C2) == 0) get(b, OUT_ST0, dst);
        return flags;
    }

    /** The result was in ST(0), the pushed value is the new ST(0): after the stub, ST(1) and ST(0). */
    private static int pushing(int op, Ext80 a, Ext80 first, Ext80 pushed, int cw) {
        MemorySegment b = BLOCK.get();
        put(b, IN_ST1, 0, 0);
        put(b, IN_ST0, a.signExp(), a.significand());
        int flags = call(op, b, cw);
        if (!stopped(flags, cw) && (flags & C2) == 0) {
            get(b, OUT_ST1, first);
            get(b, OUT_ST0, pushed);
        }
        return flags;
    }

    /** ST(1) = f(ST(0), ST(1)), then pop: the result is the stub's ST(0). */
    private static int popping(int op, Ext80 st0, Ext80 st1, Ext80 dst, int cw) {
        MemorySegment b = BLOCK.get();
        put(b, IN_ST1, st1.signExp(), st1.significand());
        put(b, IN_ST0, st0.signExp(), st0.significand());
        int flags = call(op, b, cw);
        if (!stopped(flags, cw)) get(b, OUT_ST0, dst);
        return flags;
    }

    /** An unmasked pre-computation exception: the hardware left the stack as it was. */
    private static boolean stopped(int flags, int cw) {
        return (flags & ~cw & PRECOMPUTATION) != 0;
    }

    private static int call(int op, MemorySegment b, int cw) {
        b.set(JAVA_SHORT_UNALIGNED, CW, (short) cw);
        b.set(JAVA_SHORT_UNALIGNED, CW_MASKED, (short) (cw | X87Status.EXCEPTIONS));
        try {
            STUBS[op].invokeExact(b.address());
        } catch (Throwable t) {
            throw new IllegalStateException("host x87 stub failed", t);
        }
        return b.get(JAVA_SHORT_UNALIGNED, FSW) & REPORTED;
    }

    private static void put(MemorySegment b, int off, int signExp, long significand) {
        b.set(JAVA_LONG_UNALIGNED, off, significand);
        b.set(JAVA_SHORT_UNALIGNED, off + 8, (short) signExp);
    }

    private static void get(MemorySegment b, int off, Ext80 v) {
        v.set(b.get(JAVA_SHORT_UNALIGNED, off + 8) & 0xFFFF, b.get(JAVA_LONG_UNALIGNED, off));
    }

    // ---------------------------------------------------------------- installing the stubs

    private static final int PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 0x02, MAP_ANONYMOUS = 0x20;
    private static final long PAGE = 4096;

    /** The machine code of one stub; rdi holds the block's address (SysV: first argument). */
    static byte[] stub(int opcode) {
        return new byte[] {
            (byte) 0xD9, 0x7F, 0x04,                // fnstcw [rdi+4]      host FCW
            (byte) 0xDB, (byte) 0xE3,               // fninit
            (byte) 0xD9, 0x2F,                      // fldcw [rdi]         guest FCW
            (byte) 0xDB, 0x6F, IN_ST1,              // fld tword [rdi+16]  ST(1)
            (byte) 0xDB, 0x6F, IN_ST0,              // fld tword [rdi+32]  ST(0)
            (byte) 0xD9, (byte) opcode,             // the instruction
            (byte) 0xDD, 0x7F, FSW,                 // fnstsw [rdi+6]
            (byte) 0xDB, (byte) 0xE2,               // fnclex              nothing pending for the waiting ones
            (byte) 0xD9, 0x6F, CW_MASKED,           // fldcw [rdi+2]       all masked: FSTP of an empty ST(1)
            (byte) 0xDB, 0x7F, OUT_ST0,             // fstp tword [rdi+48]
            (byte) 0xDB, 0x7F, OUT_ST1,             // fstp tword [rdi+64]
            (byte) 0xDB, (byte) 0xE3,               // fninit              x87 stack empty (SysV ABI)
            (byte) 0xD9, 0x6F, 0x04,                // fldcw [rdi+4]       host FCW back
            (byte) 0xC3                             // ret
        };
    }

    @SuppressWarnings("restricted") // the downcalls and the code page are the point of this class
    private static MethodHandle[] install() throws Throwable {
        Linker linker = Linker.nativeLinker();
        var libc = linker.defaultLookup();
        MethodHandle mmap = linker.downcallHandle(libc.find("mmap").orElseThrow(),
                FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
        MethodHandle mprotect = linker.downcallHandle(libc.find("mprotect").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
        var page = (MemorySegment) mmap.invokeExact(MemorySegment.NULL, PAGE, PROT_READ | PROT_WRITE,
                MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        if (page.address() == -1L) throw new IllegalStateException("mmap of the x87 stub page failed");
        page = page.reinterpret(PAGE);
        page.fill((byte) 0xCC);                     // int3 between the stubs
        for (int k = 0; k < OPCODES.length; k++) {
            byte[] code = stub(OPCODES[k]);
            MemorySegment.copy(MemorySegment.ofArray(code), 0, page, (long) k * STUB_SPACING, code.length);
        }
        if ((int) mprotect.invokeExact(page, PAGE, PROT_READ | PROT_EXEC) != 0) {
            throw new IllegalStateException("mprotect of the x87 stub page failed");
        }
        var stubs = new MethodHandle[OPCODES.length];
        // critical: a few dozen cycles of straight-line code, no upcall, no blocking
        for (int k = 0; k < stubs.length; k++) {
            stubs[k] = linker.downcallHandle(page.asSlice((long) k * STUB_SPACING),
                    FunctionDescriptor.ofVoid(JAVA_LONG), Linker.Option.critical(false));
        }
        return stubs;
    }

    /** FPATAN(1, 1) must give pi/4 = 0x3FFE C90FDAA22168C235 (rounded to nearest): the stubs work. */
    private static String selfTest(MethodHandle[] stubs) throws Throwable {
        MemorySegment b = Arena.ofAuto().allocate(BLOCK_SIZE, 16);
        put(b, IN_ST1, 0x3FFF, Ext80.INTEGER_BIT);
        put(b, IN_ST0, 0x3FFF, Ext80.INTEGER_BIT);
        b.set(JAVA_SHORT_UNALIGNED, CW, (short) X87Status.DEFAULT_CONTROL);
        b.set(JAVA_SHORT_UNALIGNED, CW_MASKED, (short) X87Status.DEFAULT_CONTROL);
        stubs[PATAN].invokeExact(b.address());
        long m = b.get(JAVA_LONG_UNALIGNED, OUT_ST0);
        int e = b.get(JAVA_SHORT_UNALIGNED, OUT_ST0 + 8) & 0xFFFF;
        return e == 0x3FFE && m == 0xC90F_DAA2_2168_C235L ? null
                : "host FPATAN self-test gave %04x %016x".formatted(e, m);
    }
}
