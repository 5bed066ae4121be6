package dev.nexa.elf;

import java.nio.file.Files;
import java.nio.file.Path;

/** Looks up host programs on the PATH. */
final class HostTools {
    private HostTools() {}

    static boolean has(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
