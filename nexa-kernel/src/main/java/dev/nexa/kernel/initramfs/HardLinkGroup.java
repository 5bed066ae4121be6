package dev.nexa.kernel.initramfs;

import java.util.List;

/**
 * Entries Linux turns into hard links of one inode: non-directory, non-symlink entries with
 * c_nlink &gt;= 2 and equal (c_ino, c_maj, c_min, file type), within one archive (the link table is
 * emptied at each TRAILER!!!). See {@code find_link()/maybe_link()} in init/initramfs.c: the first
 * member creates the file, each later one is {@code link()}ed to the first member's name.
 *
 * <p>Which member carries the data: Linux writes every member's data section into the shared inode
 * in turn (truncating it to c_filesize first when that is non-zero), so the content is that of the
 * last member with a non-empty data section. GNU cpio and gen_init_cpio put the data on the last
 * member and write c_filesize 0 on the others.
 *
 * @param members in archive order; at least two
 */
public record HardLinkGroup(List<CpioEntry> members) {

    public HardLinkGroup {
        members = List.copyOf(members);
        if (members.size() < 2) {
            throw new IllegalArgumentException("a hard link group needs two members");
        }
    }

    /** The member Linux creates the file from; the others are links to its name. */
    public CpioEntry first() {
        return members.getFirst();
    }

    /** The member whose data the inode ends up with: the last with data, else the first (empty). */
    public CpioEntry dataEntry() {
        for (var e : members.reversed()) {
            if (e.dataSize() > 0) {
                return e;
            }
        }
        return first();
    }
}
