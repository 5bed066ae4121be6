package dev.nexa.kernel.syscall;

/** File system calls (open, stat, directories, links, permissions): path-based operations on the VFS. */
final class FsCalls {
    private FsCalls() {}

    static void register(SyscallTable t) {
        // Filled in with the VFS.
    }
}
