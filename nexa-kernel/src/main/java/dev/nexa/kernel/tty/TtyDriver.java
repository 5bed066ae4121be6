package dev.nexa.kernel.tty;

/**
 * The device side of a {@link Tty}: where its output goes and where its input comes from (the
 * host terminal Nexa runs in, or a test double). Input arrives on the driver's own thread
 * through {@link Tty#input}, {@link Tty#hangup} and {@link Tty#resized}, which are safe to call
 * from any thread; everything else runs on the kernel thread.
 */
public interface TtyDriver {
    /** Shows bytes on the terminal (already processed by the line discipline). */
    void write(byte[] b, int off, int len);

    /** The terminal's size now, or null when it cannot tell. */
    WinSize size();

    /** Starts delivering input to {@code tty}. */
    void start(Tty tty);

    /** The tty is done with the driver (the machine stopped). */
    default void close() {}
}
