package dev.nexa.kernel.initramfs;

/** A malformed or unusable line of a gen_init_cpio description; the message starts with "file:line: ". */
public final class InitramfsSpecException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String sourceName;
    private final int line;

    public InitramfsSpecException(String sourceName, int line, String detail) {
        super(sourceName + ":" + line + ": " + detail, null, false, false);
        this.sourceName = sourceName;
        this.line = line;
    }

    /** The description file's name. */
    public String sourceName() {
        return sourceName;
    }

    /** The 1-based line number. */
    public int line() {
        return line;
    }
}
