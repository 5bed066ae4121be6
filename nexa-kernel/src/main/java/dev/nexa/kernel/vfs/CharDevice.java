package dev.nexa.kernel.vfs;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Process;
import dev.nexa.kernel.proc.Task;

/** A character device driver: what opening a device node with its number gives. */
@FunctionalInterface
public interface CharDevice {
    OpenFile open(Task task, Process caller, PathRef node, int flags) throws ErrnoException;
}
