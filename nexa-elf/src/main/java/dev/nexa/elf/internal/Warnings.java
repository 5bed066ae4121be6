package dev.nexa.elf.internal;

import dev.nexa.elf.Elf;
import java.util.ArrayList;
import java.util.List;

/**
 * Problems in parts of the file that loading does not need (sections, PT_DYNAMIC strings). They
 * are phrased like {@link dev.nexa.elf.ElfFormatException} messages. The list is capped so a
 * hostile file with a million bad section names cannot make it grow without bound.
 */
public final class Warnings {
    static final int LIMIT = 64;
    private final List<String> list = new ArrayList<>();
    private int dropped;

    /** Records {@code field: detail at offset 0x..}. */
    public void add(String field, long offset, String detail) {
        if (list.size() < LIMIT) {
            list.add(field + ": " + detail + " at offset " + Elf.hex(offset));
        } else {
            dropped++;
        }
    }

    /** The warnings in the order found, plus a last line counting the ones dropped. */
    public List<String> toList() {
        var out = new ArrayList<>(list);
        if (dropped > 0) {
            out.add(dropped + " more warnings not shown");
        }
        return List.copyOf(out);
    }
}
