package dev.nexa.cpu.gp;

import dev.nexa.cpu.Fault;
import dev.nexa.cpu.oracle.MachineState;
import dev.nexa.cpu.oracle.NativeExecutor;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * Runs the same bytes on the host CPU ({@link NativeExecutor}) and on Nexa ({@link Emulated})
 * from the same state and compares all general registers, the status flags and DF (except
 * the ones the SDM leaves undefined for the instruction), the scratch memory and the stack.
 */
final class Oracle {
    private Oracle() {}

    /**
     * Environment variable NEXA_ORACLE_TRACE=FILE: every case is appended to FILE before its
     * native run, to find an input that crashes the JVM (surefire loses a dying fork's output).
     */
    private static final String TRACE = System.getenv("NEXA_ORACLE_TRACE");
    /**
     * Environment variable NEXA_ORACLE_UNDEFINED=FILE: tallies, per operation, how often Nexa's
     * value of each undefined flag differs from the host's, written to FILE at exit (to choose
     * host-like values for flags the SDM leaves undefined).
     */
    static final String UNDEFINED_LOG = System.getenv("NEXA_ORACLE_UNDEFINED");

    static final long CF = MachineState.CF, PF = MachineState.PF, AF = MachineState.AF, ZF = MachineState.ZF,
            SF = MachineState.SF, OF = MachineState.OF;
    static final long NONE = 0;
    /** Every status flag (DIV, IDIV). */
    static final long ALL = CF | PF | AF | ZF | SF | OF;

    /** Compares host and Nexa; {@code undefined} flags are not compared. */
    static void check(byte[] code, MachineState in, long undefined) {
        // Nexa first: code that faults there would most likely crash the JVM natively.
        Emulated.Result emu = Emulated.run(code, in);
        if (emu.fault() != null) {
            Fault f = emu.fault();
            fail("Nexa raised " + f.mnemonic() + " at +" + (f.rip() - NativeExecutor.CODE_ADDRESS)
                    + " (address 0x" + Long.toHexString(f.address()) + "); not run natively\n"
                    + describe(code, in));
        }
        if (TRACE != null) trace(code, in);
        MachineState host = NativeExecutor.instance().run(code, in);
        dev.nexa.cpu.oracle.OracleCoverage.record(code);
        if (UNDEFINED_LOG != null && undefined != 0) UndefinedFlags.record(code, undefined, host, emu.state());
        List<String> d = differences(host, emu.state(), undefined);
        if (!d.isEmpty()) {
            fail("host vs Nexa:\n  " + String.join("\n  ", d) + "\n" + describe(code, in));
        }
    }

    /**
     * Runs on Nexa only, for code the host would fault on: asserts that Nexa raises
     * {@code vector} at the first instruction with the state unchanged (faults are precise).
     */
    static void expectFault(byte[] code, MachineState in, int vector) {
        Emulated.Result emu = Emulated.run(code, in);
        if (emu.fault() == null) fail("Nexa did not fault\n" + describe(code, in));
        Fault f = emu.fault();
        if (f.vector() != vector || f.rip() != NativeExecutor.CODE_ADDRESS) {
            fail("expected vector " + vector + " at +0, Nexa raised " + f.mnemonic() + " at +"
                    + (f.rip() - NativeExecutor.CODE_ADDRESS) + "\n" + describe(code, in));
        }
        List<String> d = differences(in, emu.state(), 0);
        if (!d.isEmpty()) {
            fail("state changed by a faulting instruction:\n  " + String.join("\n  ", d) + "\n" + describe(code, in));
        }
    }

    private static void trace(byte[] code, MachineState in) {
        try {
            Files.writeString(java.nio.file.Path.of(TRACE), "oracle: " + HexFormat.ofDelimiter(" ").formatHex(code)
                    + "\n" + in + "\n", java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static List<String> differences(MachineState host, MachineState emu, long undefined) {
        var d = new ArrayList<String>();
        for (int r = 0; r < 16; r++) {
            if (host.gpr(r) != emu.gpr(r)) {
                d.add("%s: host %016x, Nexa %016x".formatted(MachineState.Gpr.values()[r], host.gpr(r), emu.gpr(r)));
            }
        }
        long mask = MachineState.FLAGS_MASK & ~undefined;
        if (((host.rflags() ^ emu.rflags()) & mask) != 0) {
            d.add("rflags (compared %03x): host %s, Nexa %s".formatted(mask, flagNames(host.rflags()),
                    flagNames(emu.rflags())));
        }
        memory(d, "scratch", host.scratch(0, MachineState.SCRATCH_SIZE), emu.scratch(0, MachineState.SCRATCH_SIZE));
        var hs = new byte[MachineState.STACK_SIZE];
        var es = new byte[MachineState.STACK_SIZE];
        host.stack().get(0, hs);
        emu.stack().get(0, es);
        memory(d, "stack", hs, es);
        return d;
    }

    private static void memory(List<String> d, String name, byte[] a, byte[] b) {
        if (java.util.Arrays.equals(a, b)) return;
        for (int k = 0; k < a.length; k++) {
            if (a[k] != b[k]) {
                d.add("%s+0x%x: host %02x, Nexa %02x".formatted(name, k, a[k] & 0xFF, b[k] & 0xFF));
                if (d.size() > 24) return;
            }
        }
    }

    static String flagNames(long f) {
        var sb = new StringBuilder();
        String[] names = {"CF", "", "PF", "", "AF", "", "ZF", "SF", "", "", "DF", "OF"};
        for (int b = 0; b < names.length; b++) {
            if (!names[b].isEmpty() && (f & (1L << b)) != 0) sb.append(names[b]).append(' ');
        }
        return "[" + sb.toString().trim() + "]";
    }

    /** The code (hex and, when objdump is there, disassembled) and the input registers. */
    static String describe(byte[] code, MachineState in) {
        var sb = new StringBuilder("code: ").append(HexFormat.ofDelimiter(" ").formatHex(code)).append('\n');
        sb.append(disassemble(code));
        for (int r = 0; r < 16; r++) {
            sb.append("%-3s=%016x%s".formatted(MachineState.Gpr.values()[r].name().toLowerCase(), in.gpr(r),
                    r % 4 == 3 ? "\n" : " "));
        }
        sb.append("flags in: ").append(flagNames(in.rflags()));
        return sb.toString();
    }

    private static String disassemble(byte[] code) {
        try {
            var f = Files.createTempFile("nexa-oracle", ".bin");
            try {
                Files.write(f, code);
                var p = new ProcessBuilder("objdump", "-D", "-b", "binary", "-mi386:x86-64", "-M", "intel",
                        "--adjust-vma=0x" + Long.toHexString(NativeExecutor.CODE_ADDRESS), f.toString())
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes());
                if (!p.waitFor(10, TimeUnit.SECONDS)) p.destroy();
                var sb = new StringBuilder();
                boolean body = false;
                for (String line : out.split("\n")) {
                    if (body && !line.isBlank()) sb.append("  ").append(line.strip()).append('\n');
                    if (line.contains("<.data>:")) body = true;
                }
                return sb.toString();
            } finally {
                Files.deleteIfExists(f);
            }
        } catch (IOException e) {
            return "(objdump unavailable: " + e.getMessage() + ")\n";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }
}
