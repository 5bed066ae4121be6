package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;

/**
 * The file system as the kernel core sees it: name lookup relative to a process's root and
 * working directory. The VFS implements it; exec and the file syscalls use it.
 */
public interface Vfs {
    /** AT_FDCWD: "relative to the working directory" for the *at() calls. */
    int AT_FDCWD = -100;

    /** openat(2): opens {@code path} relative to {@code dirfd} (or AT_FDCWD), as the process. */
    OpenFile open(Process process, int dirfd, String path, int flags, int mode) throws ErrnoException;
}
