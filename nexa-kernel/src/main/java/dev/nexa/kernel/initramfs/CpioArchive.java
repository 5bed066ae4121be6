package dev.nexa.kernel.initramfs;

import dev.nexa.kernel.initramfs.internal.RootfsBuilder;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole initramfs image as {@link CpioReader} read it.
 *
 * @param image      the decompressed bytes all entry extents refer to
 * @param entries    every entry in archive order, TRAILER!!! markers left out; names may repeat
 * @param hardLinks  the hard-link groups, in order of their first member
 * @param members    how the input was split into uncompressed runs and compressed members
 * @param trailers   for each entry, how many TRAILER!!! markers precede it (Linux forgets hard-link
 *                   candidates at each trailer)
 */
public record CpioArchive(Image image, List<CpioEntry> entries, List<HardLinkGroup> hardLinks,
                          List<Member> members, List<Integer> trailers) {

    /**
     * One part of the input: a run of uncompressed cpio data, or a compressed member.
     *
     * @param index        position among the members
     * @param compression  NONE or GZIP
     * @param inputOffset  where it starts in the input
     * @param inputLength  its length in the input (for gzip: header, deflate data and trailer)
     * @param imageOffset  where its (decompressed) bytes start in the image
     * @param imageLength  their length
     */
    public record Member(int index, Compression compression, long inputOffset, long inputLength,
                         long imageOffset, long imageLength) {}

    public CpioArchive {
        entries = List.copyOf(entries);
        hardLinks = List.copyOf(hardLinks);
        members = List.copyOf(members);
        trailers = List.copyOf(trailers);
        if (trailers.size() != entries.size()) {
            throw new IllegalArgumentException("one trailer count per entry");
        }
    }

    /** The hard-link group {@code entry} belongs to, if any. */
    public Optional<HardLinkGroup> hardLinkGroupOf(CpioEntry entry) {
        for (var g : hardLinks) {
            for (var m : g.members()) {
                if (m == entry) {
                    return Optional.of(g);
                }
            }
        }
        return Optional.empty();
    }

    /** Map from each member of a hard-link group (by identity) to its group. */
    public Map<CpioEntry, HardLinkGroup> hardLinkIndex() {
        var index = new IdentityHashMap<CpioEntry, HardLinkGroup>();
        for (var g : hardLinks) {
            for (var m : g.members()) {
                index.put(m, g);
            }
        }
        return index;
    }

    /**
     * Replays the entries into a file tree the way Linux's {@code unpack_to_rootfs()} creates the
     * rootfs: later entries override earlier ones of the same name, hard links share an inode, an
     * entry whose parent directory does not exist is dropped. See {@link Rootfs}.
     */
    public Rootfs unpack() {
        return RootfsBuilder.unpack(this);
    }
}
