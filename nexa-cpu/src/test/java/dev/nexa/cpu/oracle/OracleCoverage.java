package dev.nexa.cpu.oracle;

import dev.nexa.cpu.decode.Decoder;
import dev.nexa.cpu.decode.Entry;
import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.decode.IsaRows;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Records which ISA table rows ({@link IsaRows}) the oracle tests really compare with the host: each
 * oracle harness passes the code it ran on both sides to {@link #record}, which decodes it with the
 * emulator's decoder and notes, per row, the test class and the r/m form (register or memory).
 * The record goes to the file named by the system property {@value #PROPERTY} (set by nexa-cpu's
 * build: target/isa-oracle-run.tsv), which {@code IsaOracleCoverageCheck} compares with the
 * committed list behind the ISA table's oracle column. Without the property nothing is written.
 */
public final class OracleCoverage {
    private OracleCoverage() {}

    public static final String PROPERTY = "nexa.isa.coverage";

    /** encoding -> (test class, form). */
    private static final Map<String, Set<String>> SEEN = new TreeMap<>();
    private static final Set<String> TESTS = new TreeSet<>();
    private static final Decoder DECODER = new Decoder();

    /**
     * Records every instruction of {@code code} (straight-line, as the harnesses run it) for the test
     * class calling the harness.
     */
    public static void record(byte[] code) {
        String file = System.getProperty(PROPERTY);
        if (file == null) return;
        String test = callingTest();
        boolean changed;
        synchronized (SEEN) {
            changed = TESTS.add(test);
            int at = 0;
            while (at < code.length) {
                int start = at;
                Decoder.Bytes bytes = a -> a < code.length ? code[(int) a] & 0xFF : 0x90;
                Insn i = DECODER.decode(bytes, start, 0);
                Entry.Leaf leaf = DECODER.leafOf(bytes, start);
                at += i.len();
                if (leaf == null) continue;
                IsaRows.Row row = IsaRows.of(leaf);
                String form = !row.hasRm() ? "-" : i.o0() == Insn.MEM || i.o1() == Insn.MEM || i.o2() == Insn.MEM ? "mem" : "reg";
                changed |= SEEN.computeIfAbsent(row.encoding(), k -> new TreeSet<>()).add(test + "\t" + form);
            }
            if (changed) write(Path.of(file));
        }
    }

    /** Empties the record at the start of a test run (see {@link CoverageSession}). */
    static void reset(Path file) {
        synchronized (SEEN) {
            SEEN.clear();
            TESTS.clear();
            write(file);
        }
    }

    /** Format: "# ran TEST" lines for the tests that recorded anything, then "encoding TAB test TAB form". */
    private static void write(Path file) {
        var sb = new StringBuilder();
        for (String t : TESTS) sb.append("# ran ").append(t).append('\n');
        SEEN.forEach((enc, v) -> v.forEach(tf -> sb.append(enc).append('\t').append(tf).append('\n')));
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, sb);
            Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The innermost test class on the stack ("gp.AluOracleTest"): a class named *Test or *Properties. */
    private static String callingTest() {
        return StackWalker.getInstance().walk(frames -> frames
                .map(StackWalker.StackFrame::getClassName)
                .map(c -> c.contains("$") ? c.substring(0, c.indexOf('$')) : c)
                .filter(c -> c.endsWith("Test") || c.endsWith("Properties"))
                .findFirst()
                .map(c -> c.substring("dev.nexa.cpu.".length()))
                .orElse("unknown"));
    }
}
