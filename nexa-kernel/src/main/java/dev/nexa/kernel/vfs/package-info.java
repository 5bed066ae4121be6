/**
 * The virtual file system: one tree of {@link dev.nexa.kernel.vfs.Mount}s over
 * {@link dev.nexa.kernel.vfs.Inode}s named by {@link dev.nexa.kernel.vfs.Dentry}s, path resolution
 * relative to each process's root and working directory ({@code Namei}), and the path operations
 * of the file syscalls with Linux's checks in Linux's order ({@link dev.nexa.kernel.vfs.Vfs}).
 *
 * <h2>File systems</h2>
 * <ul>
 * <li>{@code tmpfs}: memory (pages on the Java heap, sparse), also devtmpfs and the initramfs root;</li>
 * <li>{@code hostfs}: a read-only view of a host directory, looked up lazily with lstat semantics;
 *     host symlinks are resolved by the VFS inside the guest's root, never by the host;</li>
 * <li>{@code overlay}: a tmpfs over a read-only directory (copy-up, whiteouts), /tmp of a host root;</li>
 * <li>{@code procfs}: /proc generated from the kernel's state when a file is opened;</li>
 * <li>{@code devfs}: the standard /dev nodes; drivers are registered by device number in
 *     {@link dev.nexa.kernel.vfs.Devices};</li>
 * <li>{@code pipe}: pipes, FIFOs and pipefs.</li>
 * </ul>
 * {@link dev.nexa.kernel.vfs.RootFs} assembles the roots Nexa boots with.
 *
 * <h2>Where Nexa differs from Linux</h2>
 * <ul>
 * <li>Names are Java strings decoded as UTF-8: a name that is not valid UTF-8 is not kept byte
 *     for byte.</li>
 * <li>A magic link (/proc/PID/root, cwd, fd/N) never leads a chrooted process to a directory
 *     outside its root (EACCES); Linux allows it to a process with ptrace rights.</li>
 * <li>MAP_SHARED file mappings are private copies (see {@link dev.nexa.kernel.vfs.FileMapping}).</li>
 * <li>The host view is a snapshot per name: what the host changes after a name was looked up (or
 *     found missing) is not seen again during the run.</li>
 * <li>A FIFO opener that waits for its partner and is then killed stays counted as an end.</li>
 * <li>Blocking pipe writers larger than PIPE_BUF keep their progress across the wait, so the
 *     result is Linux's; a signal that interrupts such a write restarts it rather than returning
 *     the partial count.</li>
 * </ul>
 */
package dev.nexa.kernel.vfs;
