package dev.nexa.elf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What the PT_DYNAMIC segment says, with the strings of {@code DT_NEEDED}, {@code DT_SONAME},
 * {@code DT_RUNPATH} and {@code DT_RPATH} resolved through {@code DT_STRTAB}/{@code DT_STRSZ}
 * (the string table's address translated to a file offset through the PT_LOAD segments, as the
 * dynamic loader sees it in memory). Strings that cannot be resolved are left out and reported in
 * {@link ElfFile#warnings()}.
 *
 * @param entries the entries before the first {@code DT_NULL} (which is not included)
 * @param needed  {@code DT_NEEDED} names in order
 * @param soname  {@code DT_SONAME}
 * @param runpath {@code DT_RUNPATH}
 * @param rpath   {@code DT_RPATH}
 * @param flags   {@code DT_FLAGS} ({@code DF_*}), 0 when absent
 * @param flags1  {@code DT_FLAGS_1} ({@code DF_1_*}), 0 when absent
 *
 * <p>Where a single-valued tag ({@code DT_SONAME}, {@code DT_STRTAB}, {@code DT_FLAGS}, ...) occurs
 * more than once, the last entry counts, as in glibc's {@code elf_get_dynamic_info()}.
 */
public record DynamicInfo(List<DynamicEntry> entries, List<String> needed, Optional<String> soname,
                          Optional<String> runpath, Optional<String> rpath, long flags, long flags1) {

    public DynamicInfo {
        entries = List.copyOf(entries);
        needed = List.copyOf(needed);
        Objects.requireNonNull(soname, "soname");
        Objects.requireNonNull(runpath, "runpath");
        Objects.requireNonNull(rpath, "rpath");
    }

    /** The value of the last entry with this tag (the one glibc's loader uses). */
    public OptionalLong value(long tag) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).tag() == tag) {
                return OptionalLong.of(entries.get(i).value());
            }
        }
        return OptionalLong.empty();
    }

    /** True when {@code DT_FLAGS_1} has {@link Elf#DF_1_PIE} (how {@code readelf} tells a PIE from a library). */
    public boolean pie() {
        return (flags1 & Elf.DF_1_PIE) != 0;
    }
}
