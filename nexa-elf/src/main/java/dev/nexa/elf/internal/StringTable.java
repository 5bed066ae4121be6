package dev.nexa.elf.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * NUL-terminated strings in {@code [start, start + size)} of the file, looked up by offset, with
 * cost bounded for hostile inputs: every byte of the table is scanned for a NUL at most once (the
 * scanned stretches are remembered), and the total length of the strings handed out is capped at a
 * small multiple of the table size, so thousands of entries pointing into one long unterminated
 * run can neither take quadratic time nor exhaust memory.
 */
final class StringTable {
    /** Why a lookup failed; {@code null} from {@link #lookup} means success. */
    enum Failure { OUT_OF_RANGE, UNTERMINATED, BUDGET }

    private final Image img;
    private final long start;
    private final long end;
    /** scan start -> {last position covered, NUL position or -1}; stretches never overlap. */
    private final TreeMap<Long, long[]> scanned = new TreeMap<>();
    private final Map<Long, String> cache = new HashMap<>();
    private long budget;

    /** The table must lie within the file ({@link Image#contains}). */
    StringTable(Image img, long start, long size) {
        this.img = img;
        this.start = start;
        this.end = start + size;
        this.budget = 4 * size + 4096;
    }

    long size() {
        return end - start;
    }

    /** Result of a lookup: the string, or why there is none. */
    record Lookup(String value, Failure failure) {}

    Lookup lookup(long index) {
        if (!Unsigned.lt(index, end - start)) {
            return new Lookup(null, Failure.OUT_OF_RANGE);
        }
        String cached = cache.get(index);
        if (cached != null) {
            return new Lookup(cached, null);
        }
        long from = start + index;
        long nul = nulFrom(from);
        if (nul < 0) {
            return new Lookup(null, Failure.UNTERMINATED);
        }
        long len = nul - from;
        if (len > budget) {
            return new Lookup(null, Failure.BUDGET);
        }
        budget -= len;
        String s = img.utf8(from, nul);
        cache.put(index, s);
        return new Lookup(s, null);
    }

    /** Position of the first NUL at or after {@code p} inside the table, or -1. */
    private long nulFrom(long p) {
        var floor = scanned.floorEntry(p);
        if (floor != null && p <= floor.getValue()[0]) {
            return floor.getValue()[1];
        }
        var next = scanned.higherEntry(p);
        long limit = next == null ? end : next.getKey();
        long nul = img.indexOfNul(p, limit);
        long coveredTo;
        if (nul >= 0) {
            coveredTo = nul;
        } else if (next != null) {
            // Ran into an already scanned stretch: its answer is ours.
            nul = next.getValue()[1];
            coveredTo = limit - 1;
        } else {
            coveredTo = end - 1;
        }
        scanned.put(p, new long[] {coveredTo, nul});
        return nul;
    }
}
