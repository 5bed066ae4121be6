package dev.nexa.cli;

import dev.nexa.cpu.IsaTable;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code nexa isa [--markdown] [--extension NAME] [--no-oracle]}: every instruction form the CPU
 * implements, generated from the decoder tables: encoding, instruction, extension (the CPUID
 * feature), flags, and which oracle test compares it with the host. {@code --markdown} prints
 * docs/isa.md.
 */
@Command(name = "isa", mixinStandardHelpOptions = true,
        description = "List the implemented x86-64 instruction forms (the decoder tables), their extensions and oracle tests.")
final class IsaCommand implements Callable<Integer> {
    @Option(names = "--markdown", description = "Print the Markdown document (docs/isa.md) instead of a text table.")
    boolean markdown;

    @Option(names = "--extension", paramLabel = "NAME",
            description = "Only forms of this extension (base, x87, MMX, SSE, SSE2, SSE3, SSSE3, SSE4.1, SSE4.2, BMI1, ...).")
    String extension;

    @Option(names = "--no-oracle", description = "Only forms no oracle test compares with the host.")
    boolean noOracle;

    @Override
    public Integer call() {
        List<IsaTable.Row> rows = IsaTable.rows();
        if (markdown) {
            if (extension != null || noOracle) {
                System.err.println("nexa isa: --markdown prints the whole table; it takes no filter");
                return 125;
            }
            System.out.print(IsaTable.markdown(rows));
            return 0;
        }
        if (extension != null) {
            String want = extension.toLowerCase(Locale.ROOT);
            rows = rows.stream().filter(r -> r.extension().toLowerCase(Locale.ROOT).equals(want)).toList();
            if (rows.isEmpty()) {
                System.err.println("nexa isa: no instruction forms of extension " + extension);
                return 1;
            }
        }
        if (noOracle) rows = rows.stream().filter(r -> !r.oracle().covered()).toList();
        System.out.print(IsaTable.text(rows));
        return 0;
    }
}
