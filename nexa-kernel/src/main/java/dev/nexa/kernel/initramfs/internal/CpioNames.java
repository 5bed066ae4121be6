package dev.nexa.kernel.initramfs.internal;

import java.util.ArrayList;

/** Lexical normalization of archive names (see the package documentation of the API). */
public final class CpioNames {
    private CpioNames() {}

    /** The name Linux would reach from the root: no leading "/" or "./", no "//", ".." clamped. */
    public static String normalize(String raw) {
        var parts = new ArrayList<String>();
        for (var part : raw.split("/", -1)) {
            switch (part) {
                case "", "." -> { }
                // ".." at the root stays at the root, as in Linux's path walk (follow_dotdot()).
                case ".." -> {
                    if (!parts.isEmpty()) {
                        parts.removeLast();
                    }
                }
                default -> parts.add(part);
            }
        }
        return parts.isEmpty() ? "." : String.join("/", parts);
    }

    /** The parent of a normalized name ("." for top-level names and for the root). */
    public static String parent(String normalized) {
        int slash = normalized.lastIndexOf('/');
        return slash < 0 ? "." : normalized.substring(0, slash);
    }

    /** The last component of a normalized name. */
    public static String baseName(String normalized) {
        return normalized.substring(normalized.lastIndexOf('/') + 1);
    }

    /** {@code dir/name}, or {@code name} when dir is the root. */
    public static String child(String dir, String name) {
        return dir.equals(".") ? name : dir + "/" + name;
    }
}
