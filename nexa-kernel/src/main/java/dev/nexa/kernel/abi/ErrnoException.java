package dev.nexa.kernel.abi;

/**
 * A kernel operation failed with a Linux errno; the syscall dispatcher turns it into
 * {@code -errno} in RAX. Checked, and without a stack trace: it is the normal way to fail.
 */
public final class ErrnoException extends Exception {
    private final Errno errno;

    public ErrnoException(Errno errno) {
        this(errno, null);
    }

    /** {@code detail} says why, for logs and traces (e.g. the path that was not found). */
    public ErrnoException(Errno errno, String detail) {
        super(detail, null, false, false);
        this.errno = errno;
    }

    public Errno errno() { return errno; }

    @Override
    public String getMessage() {
        String d = super.getMessage();
        return d == null ? errno.name() + " (" + errno.description + ")" : d + ": " + errno.name();
    }
}
