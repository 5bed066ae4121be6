package dev.nexa.kernel.syscall;

/** How an argument is shown in strace-style output and trace events. */
public enum ArgFormat {
    /** Signed decimal int. */
    INT,
    /** Signed decimal long. */
    LONG,
    /** Unsigned decimal (sizes, counts). */
    SIZE,
    /** Hexadecimal (addresses, opaque values); NULL for 0. */
    PTR,
    /** Octal (modes). */
    OCTAL,
    /** A file descriptor. */
    FD,
    /** A directory descriptor for *at() calls (AT_FDCWD). */
    DIRFD,
    /** A NUL-terminated string read at entry (paths). */
    STRING,
    /** A buffer the call reads, whose length is the next argument (write's data). */
    BUF_IN,
    /** A buffer the call fills; shown at exit, its length being the return value (read's data). */
    BUF_OUT,
    /** open(2) flags. */
    OPEN_FLAGS,
    /** mmap/mprotect protection. */
    PROT,
    /** mmap flags. */
    MAP_FLAGS,
    /** A signal number. */
    SIGNAL,
    /** An arch_prctl/ioctl/fcntl/futex code: hex. */
    CODE
}
