/** The Linux kernel personality: processes, exec, syscalls, mm, VFS, initramfs, signals, trace events. */
module dev.nexa.kernel {
    requires transitive dev.nexa.cpu;
    requires transitive dev.nexa.elf;
    requires jdk.unsupported;       // sun.misc.Signal: the host terminal's SIGWINCH
    exports dev.nexa.kernel;
    exports dev.nexa.kernel.abi;
    exports dev.nexa.kernel.initramfs;
    exports dev.nexa.kernel.proc;
    exports dev.nexa.kernel.signal;
    exports dev.nexa.kernel.trace;
    exports dev.nexa.kernel.tty;
    exports dev.nexa.kernel.vfs;
}
