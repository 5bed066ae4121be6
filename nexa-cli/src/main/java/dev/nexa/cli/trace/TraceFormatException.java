package dev.nexa.cli.trace;

/** A trace file that is not a Nexa trace, or a malformed one: names the file, the place and the field. */
public final class TraceFormatException extends Exception {
    public TraceFormatException(String message) {
        super(message, null, false, false);
    }
}
