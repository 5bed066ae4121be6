package dev.nexa.kernel.vfs;

/**
 * A file system object. Placeholder contract for the kernel core; the VFS defines the full
 * inode model (directories, regular files, symlinks, device nodes, FIFOs, sockets).
 */
public interface Inode {
    Stat stat();
}
