package dev.nexa.elf;

/**
 * One {@code Elf64_Dyn} entry of the PT_DYNAMIC segment.
 *
 * @param tag   {@code d_tag}, a {@code DT_*} value
 * @param value {@code d_un} ({@code d_val} or {@code d_ptr})
 */
public record DynamicEntry(long tag, long value) {
}
