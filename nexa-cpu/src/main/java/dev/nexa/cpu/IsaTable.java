package dev.nexa.cpu;

import dev.nexa.cpu.decode.Extension;
import dev.nexa.cpu.decode.IsaRows;
import dev.nexa.cpu.decode.OpcodeMaps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The ISA table: every instruction form the decoder tables implement (see
 * {@code dev.nexa.cpu.decode.IsaRows}), its extension (the CPUID feature that announces it),
 * and which oracle test compares it with the host CPU, in which operand forms. {@code nexa isa}
 * prints it; {@code docs/isa.md} is {@link #markdown} of it.
 *
 * <p>The oracle column comes from {@link #COVERAGE_RESOURCE}, a list the oracle tests themselves
 * produce: each oracle harness records the table row of every instruction it ran on both the host
 * and Nexa, and a check at the end of nexa-cpu's tests fails when the list claims a row that its
 * test did not exercise, or misses one it did.
 */
public final class IsaTable {
    private IsaTable() {}

    /** The committed oracle coverage (see {@link #parseCoverage}). */
    public static final String COVERAGE_RESOURCE = "/dev/nexa/cpu/isa-oracle.tsv";

    /**
     * Which oracle tests compare a row with the host, and in which forms: "reg" and/or "mem" for
     * rows with a ModRM r/m operand, "-" for the others.
     */
    public record Oracle(SortedSet<String> tests, SortedSet<String> forms) {
        public static final Oracle NONE = new Oracle(Collections.emptySortedSet(), Collections.emptySortedSet());

        public boolean covered() { return !tests.isEmpty(); }

        /** "reg+mem", "reg", "mem", "yes" or "". */
        public String formsText() {
            if (!covered()) return "";
            var f = new ArrayList<>(forms);
            f.remove("-");
            if (f.isEmpty()) return "yes";
            Collections.sort(f, Collections.reverseOrder());                // reg before mem
            return String.join("+", f);
        }
    }

    /** One instruction form, as printed. */
    public record Row(String encoding, String mnemonic, String operands, String flags, String extension, String cpuidFlag,
                      String note, String map, Oracle oracle) {
        public String instruction() { return operands.isEmpty() ? mnemonic : mnemonic + " " + operands; }
    }

    /** The rows with the committed oracle coverage. */
    public static List<Row> rows() {
        return rows(committedCoverage());
    }

    public static List<Row> rows(Map<String, Oracle> coverage) {
        var out = new ArrayList<Row>();
        for (IsaRows.Row r : IsaRows.all()) {
            out.add(new Row(r.encoding(), r.mnemonic(), r.operands(), r.flags(), r.ext().title(), r.ext().flag,
                    r.note(), mapName(r.map()), coverage.getOrDefault(r.encoding(), Oracle.NONE)));
        }
        return out;
    }

    private static String mapName(int map) {
        return switch (map) {
            case OpcodeMaps.ONE_BYTE -> "one-byte";
            case OpcodeMaps.TWO_BYTE -> "0F";
            case OpcodeMaps.MAP_0F38 -> "0F 38";
            case OpcodeMaps.MAP_0F3A -> "0F 3A";
            default -> "VEX";
        };
    }

    // ------------------------------------------------------------------------------ coverage list

    public static Map<String, Oracle> committedCoverage() {
        try (InputStream in = IsaTable.class.getResourceAsStream(COVERAGE_RESOURCE)) {
            return in == null ? Map.of() : parseCoverage(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Parses the coverage list: lines "encoding TAB test TAB form" (form: reg, mem, or - for rows without
     * an r/m operand); '#' starts a comment line. Lines of one encoding merge.
     */
    public static Map<String, Oracle> parseCoverage(String text) {
        var m = new TreeMap<String, Oracle>();
        for (String line : text.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            if (f.length != 3) throw new IllegalArgumentException("coverage line needs 3 tab-separated fields: " + line);
            Oracle o = m.computeIfAbsent(f[0], k -> new Oracle(new TreeSet<>(), new TreeSet<>()));
            o.tests().add(f[1]);
            o.forms().add(f[2]);
        }
        return m;
    }

    // ------------------------------------------------------------------------------ rendering

    /** Plain text, one row per line, aligned. */
    public static String text(List<Row> rows) {
        int[] w = {8, 11, 9, 5};
        for (Row r : rows) {
            w[0] = Math.max(w[0], r.encoding().length());
            w[1] = Math.max(w[1], r.instruction().length());
            w[2] = Math.max(w[2], r.extension().length());
            w[3] = Math.max(w[3], r.flags().length());
        }
        String fmt = "%-" + w[0] + "s  %-" + w[1] + "s  %-" + w[2] + "s  %-" + w[3] + "s  %s%n";
        var sb = new StringBuilder(fmt.formatted("ENCODING", "INSTRUCTION", "EXTENSION", "FLAGS", "ORACLE"));
        for (Row r : rows) {
            String oracle = r.oracle().covered() ? r.oracle().formsText() + " (" + String.join(", ", r.oracle().tests()) + ")"
                    : r.note().isEmpty() ? "-" : "- " + r.note();
            sb.append(fmt.formatted(r.encoding(), r.instruction(), r.extension(), r.flags(), oracle).stripTrailing())
                    .append('\n');
        }
        return sb.toString();
    }

    /** The Markdown document committed as docs/isa.md. */
    public static String markdown(List<Row> rows) {
        var sb = new StringBuilder();
        sb.append("""
                # Nexa's x86-64 instruction set

                Generated by `./nexa isa --markdown` from the decoder tables
                (`nexa-cpu/src/main/java/dev/nexa/cpu/decode/{GpRows,SseRows,X87Rows}.java`) and the oracle
                coverage list `nexa-cpu/src/main/resources/dev/nexa/cpu/isa-oracle.tsv`. Do not edit:
                `IsaTableTest` fails when this file is stale. Regenerate with

                    ./nexa isa --markdown > docs/isa.md

                and, after changing the decoder tables or the oracle tests, refresh the coverage list and this file
                together with `./mvnw -q -B verify -Dnexa.isa.update=true`.

                Every row is one path through the opcode tables to an instruction: mandatory prefix (`NP` = none),
                `REX.W`, opcode map and byte (`50+r`: the register is in the opcode; `70+cc`: the condition is),
                then the ModRM selection: `/r` (any ModRM), `/digit` (the group member in ModRM.reg), `(mem)` or
                `(reg)` (ModRM.mod), a whole ModRM byte (`D9 E8`), or `C0+i` (x87 register forms). Operands are in
                the SDM's notation (Intel SDM Vol. 2D Appendix A.2: `Ev` = r/m of the operand size, `Gv` = register,
                `Ib` = byte immediate, `Vx`/`Wx` = XMM register / XMM or memory, `Pq`/`Qq` = MMX, `Zv` = register
                in the opcode, `By` = VEX.vvvv register ...). Flags: `lock` = LOCK allowed with a memory
                destination, `d64` = 64-bit default operand size, `f64` = always 64 bits.

                **Extension** is the CPUID feature that announces the form (what `cpuid` and `/proc/cpuinfo`
                report: `IsaCpuidTest` checks that every extension here is advertised and nothing else is).
                **Oracle** says whether an oracle test runs the form on the host CPU and on Nexa from the same
                state and compares registers, flags, x87/SSE state and memory: `reg`, `mem` or `reg+mem` name
                the r/m forms exercised, `yes` a form without r/m operand; the column is produced by the tests
                themselves (each oracle harness records the rows it ran, `IsaOracleCoverageCheck` compares the
                record with the list). Forms without it are system instructions whose results cannot match the
                host's (CPUID, RDTSC, SYSCALL, faults), tested by other means.

                ## x87 transcendentals

                FSIN, FCOS, FSINCOS, FPTAN, FPATAN, F2XM1, FYL2X and FYL2XP1 must give the host's results bit for
                bit, and the hardware computes them with an undocumented table-and-polynomial method (AMD and Intel
                differ) that no rounding of the exact value reproduces: the correctly rounded software version
                (`fpu.X87Transcendental`) agrees with an AMD host 97-99% of the time (FPTAN about 80%, mostly C1).
                So on an x86-64 host Nexa runs these eight instructions on the host FPU (`fpu.host.HostX87`: one
                native stub per instruction, called through the FFM linker with the guest's control word); the
                register stack, tags, stack faults and unmasked-exception responses stay emulated. Elsewhere, or
                with `-Dnexa.x87.soft=true`, the software version is used. A guest thus sees the results of the
                machine Nexa runs on, as it would natively.

                """);
        sb.append("## Summary\n\n| extension | CPUID flag | forms | with oracle |\n|---|---|---:|---:|\n");
        var total = new EnumMap<Extension, int[]>(Extension.class);
        for (Row r : rows) {
            int[] t = total.computeIfAbsent(extensionOf(r), x -> new int[2]);
            t[0]++;
            if (r.oracle().covered()) t[1]++;
        }
        int all = 0, covered = 0;
        for (var e : total.entrySet()) {
            sb.append("| %s | %s | %d | %d |\n".formatted(e.getKey().title(), e.getKey().flag.isEmpty() ? "-" : "`" + e.getKey().flag + "`",
                    e.getValue()[0], e.getValue()[1]));
            all += e.getValue()[0];
            covered += e.getValue()[1];
        }
        sb.append("| **all** | | **%d** | **%d** |\n".formatted(all, covered));
        String map = null;
        for (Row r : rows) {
            if (!r.map().equals(map)) {
                map = r.map();
                sb.append("\n## ").append(switch (map) {
                    case "one-byte" -> "One-byte opcodes";
                    case "VEX" -> "VEX-encoded";
                    default -> map + " map";
                }).append("\n\n| encoding | instruction | extension | flags | oracle | note |\n|---|---|---|---|---|---|\n");
            }
            sb.append("| `%s` | %s | %s | %s | %s | %s |\n".formatted(r.encoding(), cell(r.instruction()), r.extension(), r.flags(),
                    r.oracle().covered() ? r.oracle().formsText() + " (" + String.join(", ", r.oracle().tests()) + ")" : "",
                    cell(r.note())));
        }
        return sb.toString();
    }

    private static Extension extensionOf(Row r) {
        for (Extension x : Extension.values()) if (x.title().equals(r.extension())) return x;
        throw new IllegalStateException(r.extension());
    }

    private static String cell(String s) {
        return s.replace("|", "\\|");
    }
}
