package dev.nexa.cli.trace;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A process's memory map rebuilt from its trace events (mmap, munmap, mprotect, mremap, brk and
 * exec's mappings), the way the kernel's VMA list changes: new mappings replace what they
 * overlap, unmapping and re-protecting split areas at the edges.
 */
public final class MemoryMap {
    private static final long PAGE = 4096;

    /**
     * One area [start, end).
     *
     * @param prot   "rwx" with dashes
     * @param shared MAP_SHARED rather than private
     * @param file   the mapped file, or null
     * @param offset file offset of {@code start}
     * @param name   "[stack]", "[heap]" or null
     */
    public record Region(long start, long end, String prot, boolean shared, String file, long offset, String name) {
        Region slice(long from, long to) {
            long s = Math.max(start, from), e = Math.min(end, to);
            return new Region(s, e, prot, shared, file, file == null ? 0 : offset + (s - start), name);
        }

        Region moved(long newStart, long newEnd) { return new Region(newStart, newEnd, prot, shared, file, offset, name); }

        boolean continues(Region prev) {
            return prev.end == start && prev.prot.equals(prot) && prev.shared == shared
                    && Objects.equals(prev.file, file) && Objects.equals(prev.name, name)
                    && (file == null || prev.offset + (prev.end - prev.start) == offset);
        }

        /** A /proc/PID/maps-like line. */
        public String line() {
            String label = file != null ? file : name != null ? name : "";
            return String.format("%012x-%012x %s%c %08x %s", start, end, prot, shared ? 's' : 'p', offset, label).stripTrailing();
        }
    }

    private final TreeMap<Long, Region> areas = new TreeMap<>();

    public MemoryMap copy() {
        MemoryMap m = new MemoryMap();
        m.areas.putAll(areas);
        return m;
    }

    public void clear() { areas.clear(); }

    private static long pageUp(long v) { return (v + PAGE - 1) & -PAGE; }

    public void map(Region r) {
        unmap(r.start(), r.end() - r.start());
        if (r.end() > r.start()) areas.put(r.start(), r);
    }

    public void unmap(long start, long length) {
        long end = start + length;
        for (Region r : covering(start, end)) {
            areas.remove(r.start());
            if (r.start() < start) areas.put(r.start(), r.slice(r.start(), start));
            if (r.end() > end) areas.put(end, r.slice(end, r.end()));
        }
    }

    public void protect(long start, long length, String prot) {
        long end = start + length;
        for (Region r : covering(start, end)) {
            areas.remove(r.start());
            if (r.start() < start) areas.put(r.start(), r.slice(r.start(), start));
            if (r.end() > end) areas.put(end, r.slice(end, r.end()));
            Region mid = r.slice(start, end);
            areas.put(mid.start(), new Region(mid.start(), mid.end(), prot, mid.shared(), mid.file(), mid.offset(), mid.name()));
        }
    }

    /** mremap: the areas of the old range move (or stay) to [start, start + length), growing the last one. */
    public void remap(long oldStart, long oldLength, long start, long length) {
        List<Region> pieces = new ArrayList<>();
        for (Region r : covering(oldStart, oldStart + oldLength)) pieces.add(r.slice(oldStart, oldStart + oldLength));
        if (pieces.isEmpty()) return;
        if (start == oldStart && length <= oldLength) {
            unmap(start + length, oldLength - length);
            return;
        }
        unmap(oldStart, oldLength);
        long delta = start - oldStart, end = start + length;
        for (int k = 0; k < pieces.size(); k++) {
            Region p = pieces.get(k);
            long s = p.start() + delta;
            if (s >= end) break;
            long e = k == pieces.size() - 1 ? end : Math.min(p.end() + delta, end);
            map(p.moved(s, e));
        }
    }

    /** brk moved the break from {@code previous} to {@code current}: the heap grows or shrinks by pages. */
    public void brk(long previous, long current) {
        long from = pageUp(previous), to = pageUp(current);
        if (to > from) map(new Region(from, to, "rw-", false, null, 0, "[heap]"));
        else if (to < from) unmap(to, from - to);
    }

    private List<Region> covering(long start, long end) {
        List<Region> out = new ArrayList<>();
        Map.Entry<Long, Region> first = areas.floorEntry(start);
        long from = first != null && first.getValue().end() > start ? first.getKey() : start;
        for (Region r : areas.subMap(from, true, end, false).values()) if (r.end() > start) out.add(r);
        return out;
    }

    /** The areas in address order, neighbours that continue each other joined (as /proc/PID/maps shows them). */
    public List<Region> regions() {
        List<Region> out = new ArrayList<>();
        for (Region r : areas.values()) {
            Region last = out.isEmpty() ? null : out.getLast();
            if (last != null && r.continues(last)) out.set(out.size() - 1, new Region(last.start(), r.end(), last.prot(),
                    last.shared(), last.file(), last.offset(), last.name()));
            else out.add(r);
        }
        return out;
    }
}
