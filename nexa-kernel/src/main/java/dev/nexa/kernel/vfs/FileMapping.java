package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.ErrnoException;

import java.lang.foreign.MemorySegment;

/**
 * The contents source of a file mapping: the inode, reached through the location it was opened
 * at. It holds the inode, not the descriptor, so a mapping keeps reading the file after every
 * descriptor is closed (and after an unlink, as on Linux). One per open file description, so
 * adjacent mappings of one description merge as Linux's vma_merge merges them.
 * <p>
 * Limitation: every mapping copies the file's bytes into private frames when a page is first
 * touched, MAP_SHARED included (mm/AddressSpace.populate). A shared mapping of a tmpfs file is
 * therefore a private copy for now: its stores do not reach the file, and other mappings and
 * read(2) do not see them.
 */
public record FileMapping(PathRef location, FileInode inode) implements MappableFile {
    @Override
    public long size() { return inode.size(); }

    @Override
    public long readAt(long offset, MemorySegment dst) throws ErrnoException { return inode.read(offset, dst); }

    @Override
    public String name() { return location.mount().namespace().pathName(location, null); }

    @Override
    public long dev() { return inode.dev(); }

    @Override
    public long ino() { return inode.ino(); }
}
