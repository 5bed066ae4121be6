package dev.nexa.kernel.trace;

import java.util.List;

/**
 * A syscall argument as decoded for people and tools: the raw register value plus what it
 * means. {@link #text()} is strace's rendering of it, so {@code --strace} and trace files agree.
 */
public sealed interface ArgValue {
    /** The register value (an address for strings, buffers and structs). */
    long raw();

    /** strace's rendering: {@code 3}, {@code "/etc/passwd"}, {@code O_RDONLY|O_CLOEXEC}, {@code {tv_sec=1, tv_nsec=0}}. */
    String text();

    /** A number shown as such: a count, a descriptor, an address, a mode, an opaque code. */
    record Num(long raw, String text) implements ArgValue {}

    /** A value with a symbolic name: {@code AT_FDCWD}, {@code SIGSEGV}, {@code CLOCK_MONOTONIC}. */
    record Sym(long raw, String name) implements ArgValue {
        @Override public String text() { return name; }
    }

    /** A flag set by name; bits without a name appear as one hex (or octal, for open) residue. */
    record Flags(long raw, List<String> names) implements ArgValue {
        public Flags {
            names = List.copyOf(names);
        }

        @Override public String text() { return String.join("|", names); }
    }

    /**
     * A NUL-terminated string read from guest memory.
     *
     * @param value     the bytes as UTF-8 (malformed sequences become U+FFFD)
     * @param truncated whether the string was longer than the decoder reads
     * @param text      strace's C-escaped quoting
     */
    record Str(long raw, String value, boolean truncated, String text) implements ArgValue {}

    /**
     * A data buffer (write's input, read's output).
     *
     * @param length  its length in bytes (the length argument, or the return value for output)
     * @param text    strace's quoting of the first 32 bytes, with {@code ...} when there are more
     */
    record Buf(long raw, long length, String text) implements ArgValue {}

    /** A structure read from guest memory, summarized by its interesting fields. */
    record Struct(long raw, List<Field> fields) implements ArgValue {
        public Struct {
            fields = List.copyOf(fields);
        }

        @Override
        public String text() {
            StringBuilder sb = new StringBuilder("{");
            for (int k = 0; k < fields.size(); k++) {
                if (k > 0) sb.append(", ");
                sb.append(fields.get(k).name()).append('=').append(fields.get(k).text());
            }
            return sb.append('}').toString();
        }
    }

    /**
     * One structure field: a number, or (when {@code string} is not null) a string such as
     * {@code Linux} (shown quoted) or a symbolic value such as {@code S_IFREG|0644} (shown bare).
     */
    record Field(String name, long number, String string, boolean quoted) {
        public static Field num(String name, long v) { return new Field(name, v, null, false); }

        /** A string value: strace shows it C-quoted. */
        public static Field str(String name, String s) { return new Field(name, 0, s, true); }

        /** A symbolic value: strace shows it as it is. */
        public static Field sym(String name, long raw, String s) { return new Field(name, raw, s, false); }

        public String text() {
            if (string == null) return Long.toString(number);
            return quoted ? ArgDecoder.quote(string) : string;
        }
    }

    /** An array of structures (an iovec list), possibly cut short. */
    record Array(long raw, List<Struct> items, boolean truncated) implements ArgValue {
        public Array {
            items = List.copyOf(items);
        }

        @Override
        public String text() {
            StringBuilder sb = new StringBuilder("[");
            for (int k = 0; k < items.size(); k++) {
                if (k > 0) sb.append(", ");
                sb.append(items.get(k).text());
            }
            if (truncated) sb.append(items.isEmpty() ? "..." : ", ...");
            return sb.append(']').toString();
        }
    }

    /** A pointer the decoder could not read through (strace shows the address). */
    record Unreadable(long raw) implements ArgValue {
        @Override public String text() { return "0x" + Long.toHexString(raw); }
    }
}
