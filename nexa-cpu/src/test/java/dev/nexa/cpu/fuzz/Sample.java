package dev.nexa.cpu.fuzz;

/**
 * A generated input that can be kept in the regression corpus when a property fails on it:
 * its bytes as they are written to fixtures/regressions/KIND/, and a one-line description of how
 * it was made (the seed and the mutations), which becomes the sample's note.
 */
public interface Sample {
    byte[] bytes();

    /** What goes into the corpus file: the bytes themselves unless the format is text (hex). */
    default byte[] fileBytes() { return bytes(); }

    String describe();
}
