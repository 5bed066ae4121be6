package dev.nexa.cpu.gp;

import dev.nexa.cpu.decode.Decoder;
import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.oracle.MachineState;
import dev.nexa.cpu.oracle.NativeExecutor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The tally behind {@link Oracle#UNDEFINED_LOG}: undefined-flag disagreements per operation and size. */
final class UndefinedFlags {
    private static final Map<String, long[]> COUNTS = new TreeMap<>();
    private static final String[] NAMES = {"CF", "", "PF", "", "AF", "", "ZF", "SF", "", "", "DF", "OF"};

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(UndefinedFlags::write));
    }

    /** NEXA_ORACLE_UNDEFINED_DETAIL=mnemonic/size: also list each disagreeing case of that operation. */
    private static final String DETAIL_FOR = System.getenv("NEXA_ORACLE_UNDEFINED_DETAIL");
    private static final StringBuilder DETAIL = new StringBuilder();

    private UndefinedFlags() {}

    static synchronized void record(byte[] code, long undefined, MachineState host, MachineState emu) {
        long at = NativeExecutor.CODE_ADDRESS;
        Insn i = new Decoder().decode(a -> code[(int) (a - at)], at, 0);
        String key = i.op().mnemonic() + "/" + i.size();
        long[] c = COUNTS.computeIfAbsent(key, k -> new long[13]);
        c[12]++;
        long diff = (host.rflags() ^ emu.rflags()) & undefined;
        for (int b = 0; b < 12; b++) if ((diff & (1L << b)) != 0) c[b]++;
        if (diff != 0 && DETAIL_FOR != null && key.startsWith(DETAIL_FOR)) {
            DETAIL.append("host ").append(Oracle.flagNames(host.rflags())).append(" Nexa ")
                    .append(Oracle.flagNames(emu.rflags())).append('\n').append(Oracle.describe(code, host)).append('\n');
        }
    }

    private static synchronized void write() {
        var sb = new StringBuilder(DETAIL);
        COUNTS.forEach((k, c) -> {
            sb.append("%-12s n=%-6d".formatted(k, c[12]));
            for (int b = 0; b < 12; b++) if (c[b] != 0) sb.append(" %s:%d".formatted(NAMES[b], c[b]));
            sb.append('\n');
        });
        try {
            Files.writeString(Path.of(Oracle.UNDEFINED_LOG), sb);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
