/**
 * The initramfs archive format: cpio "newc" (070701) and "crc" (070702), optionally gzip-compressed
 * and concatenated, read the way Linux's {@code init/initramfs.c} reads it and written the way GNU
 * cpio and the kernel's {@code usr/gen_init_cpio.c} write it. This package is the format layer only:
 * it knows nothing of the VFS or of processes.
 *
 * <h2>Reading</h2>
 * {@link dev.nexa.kernel.initramfs.CpioReader} turns an image into a
 * {@link dev.nexa.kernel.initramfs.CpioArchive}: the decompressed bytes as one read-only
 * {@link dev.nexa.kernel.initramfs.Image}, the entries in archive order (each data section an extent
 * of that image), the hard-link groups, and {@link dev.nexa.kernel.initramfs.CpioArchive#unpack()},
 * which replays the entries the way {@code unpack_to_rootfs()} does (later entries override earlier
 * ones of the same name) into a {@link dev.nexa.kernel.initramfs.Rootfs} the VFS can mount.
 *
 * <h2>Where Nexa is stricter than Linux</h2>
 * Linux silently skips or half-creates some malformed entries (a name longer than PATH_MAX, data on
 * a directory, an unknown file type, an archive truncated in the middle of a file, non-hex digits,
 * which {@code simple_strntoul} reads as the end of the number). Nexa reports each of these as a
 * {@link dev.nexa.kernel.initramfs.CpioFormatException} naming the offset and the header field: a
 * user booting a broken image is better served by one clear error than by a missing file. Gzip
 * members also have their CRC-32 and length checked, which Linux's {@code gunzip()} does not do.
 * Archives GNU cpio or gen_init_cpio produce are never affected.
 *
 * <h2>Names</h2>
 * Linux passes each name, relative, to {@code init_mkdir()/filp_open()} and friends with the rootfs
 * as both root and working directory, so a leading "/" and "./" mean nothing and ".." at the root
 * stays at the root (path_walk's rule). {@link dev.nexa.kernel.initramfs.CpioEntry#name()} is that
 * path, normalized lexically: leading "/" and "./" stripped, "//" and "." components collapsed, and
 * ".." clamped at the root, so "../../etc/passwd" and "a/../../etc/passwd" are both "etc/passwd" and
 * no name can leave the root. The root itself is ".". Clamping instead of rejecting keeps every
 * archive Linux accepts bootable; the one difference from Linux is that ".." is resolved before any
 * symlink in the name is followed (Linux follows "a" first when "a" is a symlink), which can only
 * move a file within the root, never out of it. Names and symlink targets must be valid UTF-8.
 */
package dev.nexa.kernel.initramfs;
