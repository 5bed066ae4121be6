/** The Linux kernel personality: processes, exec, syscalls, mm, VFS, initramfs, signals, trace events. */
module dev.nexa.kernel {
    requires transitive dev.nexa.cpu;
    requires transitive dev.nexa.elf;
    exports dev.nexa.kernel.initramfs;
}
