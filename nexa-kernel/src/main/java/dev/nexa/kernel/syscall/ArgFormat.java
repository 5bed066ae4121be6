package dev.nexa.kernel.syscall;

import java.util.Locale;

/**
 * How an argument is shown in strace-style output and trace events
 * ({@link dev.nexa.kernel.trace.ArgDecoder} decodes each one).
 */
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
    /** mremap flags. */
    MREMAP_FLAGS,
    /** A signal number. */
    SIGNAL,
    /** A clock id (clock_gettime(2)): CLOCK_REALTIME, CLOCK_MONOTONIC, ... */
    CLOCK,
    /** An arch_prctl/ioctl/fcntl/futex code: hex. */
    CODE,
    /** A struct timespec the call reads (nanosleep's request). */
    TIMESPEC,
    /** A struct timespec the call fills (clock_gettime's result), shown at exit. */
    TIMESPEC_OUT,
    /** A struct utsname the call fills (uname), shown at exit. */
    UTSNAME_OUT,
    /** A struct stat the call fills (fstat, newfstatat), shown at exit. */
    STAT_OUT,
    /** An iovec array whose count is the next argument (readv/writev). */
    IOVEC;

    /** Whether the value is only meaningful after the call (it points at what the call wrote). */
    public boolean atExit() {
        return this == BUF_OUT || this == TIMESPEC_OUT || this == UTSNAME_OUT || this == STAT_OUT;
    }

    /** The name trace files use: "buf_out", "open_flags", ... */
    public String jsonName() { return name().toLowerCase(Locale.ROOT); }
}
