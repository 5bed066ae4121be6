package dev.nexa.elf;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What GNU {@code readelf -lhdW} (and {@code -SW}) prints about a file, parsed back into values:
 * the oracle of the differential tests.
 */
record Readelf(Map<String, String> header, List<ProgramHeader> phdrs, Optional<String> interpreter,
               List<Long> dynamicTags, int dynamicCount, List<String> needed, Optional<String> soname,
               Optional<String> runpath, Optional<String> rpath, String stderr) {

    private static final Pattern PHDR = Pattern.compile(
            "^\\s+(\\S+)\\s+0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) 0x([0-9a-f]+) (.{3}) 0x([0-9a-f]+)$");
    private static final Pattern HEADER = Pattern.compile("^  ([^:]+):\\s+(.*?)\\s*$");
    private static final Pattern INTERP = Pattern.compile("^\\s+\\[Requesting program interpreter: (.*)]$");
    private static final Pattern DYN = Pattern.compile("^ 0x([0-9a-f]+) \\((\\w+)\\)\\s+(.*)$");
    private static final Pattern DYN_COUNT = Pattern.compile("^Dynamic section at offset 0x[0-9a-f]+ contains (\\d+) entr");
    private static final Pattern SECTION = Pattern.compile(
            "^\\s*\\[\\s*(\\d+)]\\s+(\\S+)\\s+\\S+\\s+([0-9a-f]{16}) ([0-9a-f]+) ([0-9a-f]+) ");

    /** A section line of {@code readelf -SW}: index, name, address, offset, size. */
    record Section(int index, String name, long addr, long offset, long size) {}

    /** Skips the calling test when readelf is not installed. */
    static void assumeAvailable() {
        assumeTrue(available(), "readelf not found: install binutils to run the differential tests");
    }

    static boolean available() {
        return HostTools.has("readelf");
    }

    static Readelf of(Path file) throws IOException, InterruptedException {
        var run = run("readelf", "-lhdW", file.toString());
        var header = new LinkedHashMap<String, String>();
        var phdrs = new ArrayList<ProgramHeader>();
        var tags = new ArrayList<Long>();
        var needed = new ArrayList<String>();
        String interp = null;
        String soname = null;
        String runpath = null;
        String rpath = null;
        int dynCount = -1;
        boolean inHeader = false;
        for (String line : run.stdout().lines().toList()) {
            if (line.startsWith("ELF Header:")) {
                inHeader = true;
                continue;
            }
            if (inHeader) {
                var m = HEADER.matcher(line);
                if (m.matches()) {
                    String key = header.containsKey(m.group(1)) ? m.group(1) + "#2" : m.group(1);
                    header.put(key, m.group(2));
                    continue;
                }
                inHeader = false;
            }
            var m = PHDR.matcher(line);
            if (m.matches()) {
                phdrs.add(new ProgramHeader(typeOf(m.group(1)), flagsOf(m.group(7)), hex(m.group(2)), hex(m.group(3)),
                        hex(m.group(4)), hex(m.group(5)), hex(m.group(6)), hex(m.group(8))));
                continue;
            }
            m = INTERP.matcher(line);
            if (m.matches()) {
                interp = m.group(1);
                continue;
            }
            m = DYN_COUNT.matcher(line);
            if (m.find()) {
                dynCount = Integer.parseInt(m.group(1));
                continue;
            }
            m = DYN.matcher(line);
            if (m.matches()) {
                tags.add(Long.parseUnsignedLong(m.group(1), 16));
                String value = m.group(3);
                switch (m.group(2)) {
                    case "NEEDED" -> needed.add(bracketed(value));
                    case "SONAME" -> soname = bracketed(value);
                    case "RUNPATH" -> runpath = bracketed(value);
                    case "RPATH" -> rpath = bracketed(value);
                    default -> { }
                }
            }
        }
        return new Readelf(header, phdrs, Optional.ofNullable(interp), tags, dynCount, needed,
                Optional.ofNullable(soname), Optional.ofNullable(runpath), Optional.ofNullable(rpath), run.stderr());
    }

    static List<Section> sections(Path file) throws IOException, InterruptedException {
        var out = new ArrayList<Section>();
        for (String line : run("readelf", "-SW", file.toString()).stdout().lines().toList()) {
            var m = SECTION.matcher(line);
            if (m.find() && !m.group(1).equals("0")) {
                out.add(new Section(Integer.parseInt(m.group(1)), m.group(2), hex(m.group(3)), hex(m.group(4)),
                        hex(m.group(5))));
            }
        }
        return out;
    }

    /** Value of a header line, e.g. {@code "Entry point address"}; the second "Version" line is {@code "Version#2"}. */
    String field(String name) {
        String v = header.get(name);
        if (v == null) {
            throw new AssertionError("readelf printed no '" + name + "' line: " + header);
        }
        return v;
    }

    /** A numeric header value: {@code "0x23d0"}, {@code "64 (bytes into file)"}, {@code "13"}. */
    long number(String name) {
        String v = field(name).split(" ")[0];
        return v.startsWith("0x") ? hex(v.substring(2)) : Long.parseUnsignedLong(v);
    }

    record Run(String stdout, String stderr, int exit) {}

    static Run run(String... command) throws IOException, InterruptedException {
        var p = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        // Drain stderr on another thread so a full stdout pipe cannot deadlock the two.
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                return new byte[0];
            }
        });
        var out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + String.join(" ", command));
        }
        return new Run(new String(out, StandardCharsets.UTF_8), new String(err.join(), StandardCharsets.UTF_8),
                p.exitValue());
    }

    private static String bracketed(String v) {
        int open = v.indexOf('[');
        int close = v.lastIndexOf(']');
        return v.substring(open + 1, close);
    }

    private static long hex(String s) {
        return Long.parseUnsignedLong(s, 16);
    }

    private static int flagsOf(String s) {
        return (s.charAt(0) == 'R' ? Elf.PF_R : 0) | (s.charAt(1) == 'W' ? Elf.PF_W : 0)
                | (s.charAt(2) == 'E' ? Elf.PF_X : 0);
    }

    private static int typeOf(String name) {
        for (int t : new int[] {Elf.PT_NULL, Elf.PT_LOAD, Elf.PT_DYNAMIC, Elf.PT_INTERP, Elf.PT_NOTE, Elf.PT_SHLIB,
                Elf.PT_PHDR, Elf.PT_TLS, Elf.PT_GNU_EH_FRAME, Elf.PT_GNU_STACK, Elf.PT_GNU_RELRO,
                Elf.PT_GNU_PROPERTY, Elf.PT_GNU_SFRAME}) {
            if (Elf.segmentTypeName(t).equals(name)) {
                return t;
            }
        }
        throw new AssertionError("segment type readelf calls " + name + " is unknown to this test");
    }
}
