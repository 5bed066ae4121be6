package dev.nexa.cpu.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The regression corpus under fixtures/regressions/: one folder per kind of input (elf, cpio,
 * insn), each sample a file {@code NAME.EXT} with a note {@code NAME.txt} beside it saying what
 * it is and which bug it found. Every build replays every sample; a failing property adds its
 * shrunk sample here (named after the property and the sample's hash) for a developer to commit.
 */
public final class Corpus {
    private Corpus() {}

    /** fixtures/regressions (the surefire property nexa.fixtures points at fixtures/). */
    public static Path root() {
        return Path.of(System.getProperty("nexa.fixtures", "../fixtures")).resolve("regressions");
    }

    /** The samples of one kind: files ending in {@code .EXT}, sorted by name. */
    public static List<Path> samples(String kind, String ext) {
        Path dir = root().resolve(kind);
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith("." + ext)).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The note beside a sample (its first line), or "" when there is none. */
    public static String note(Path sample) {
        String name = sample.getFileName().toString();
        Path note = sample.resolveSibling(name.substring(0, name.lastIndexOf('.')) + ".txt");
        try {
            return Files.isRegularFile(note) ? Files.readString(note).lines().findFirst().orElse("") : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** Writes a failing sample and its note; returns where it went (or null if it could not be written). */
    public static Path keep(String kind, String ext, String property, byte[] bytes, String note) {
        try {
            Path dir = root().resolve(kind);
            Files.createDirectories(dir);
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)).substring(0, 12);
            String name = property.replaceAll("[^A-Za-z0-9]+", "-") + "-" + hash;
            Path sample = dir.resolve(name + "." + ext);
            Files.write(sample, bytes);
            Files.writeString(dir.resolve(name + ".txt"), "NEW (found by " + property + "; describe the bug and the fix): "
                    + note.replace('\n', ' ') + "\n", StandardCharsets.UTF_8);
            return sample;
        } catch (IOException | NoSuchAlgorithmException e) {
            return null;
        }
    }
}
