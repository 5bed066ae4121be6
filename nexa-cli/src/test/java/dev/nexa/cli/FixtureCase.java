package dev.nexa.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One line of fixtures/cases.tsv for one variant: the program, its arguments and stdin, and the
 * exit status natively (a number, or a signal name meaning 128 + its number).
 */
record FixtureCase(String program, String variant, List<String> args, String stdin, String expectedExit, String notes) {
    static Path fixtures() {
        String p = System.getProperty("nexa.fixtures");
        return p != null ? Path.of(p) : Path.of("..", "fixtures").toAbsolutePath().normalize();
    }

    static List<FixtureCase> load() throws IOException {
        List<FixtureCase> out = new ArrayList<>();
        for (String line : Files.readAllLines(fixtures().resolve("cases.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t", -1);
            List<String> args = f[2].isBlank() ? List.of() : Arrays.asList(f[2].trim().split(" +"));
            for (String variant : f[1].split(",")) {
                out.add(new FixtureCase(f[0], variant.trim(), args, f[3], f[4], f.length > 5 ? f[5] : ""));
            }
        }
        return out;
    }

    Path binary() {
        return fixtures().resolve("bin").resolve(variant).resolve(program).toAbsolutePath();
    }

    /** A stable name: "hello[musl-static] one two". */
    String id() {
        return program + "[" + variant + "]" + (args.isEmpty() ? "" : " " + String.join(" ", args));
    }
}
