package dev.nexa.kernel.exec;

/**
 * What exec set up, for logs and trace events.
 *
 * @param interpreter the PT_INTERP path, or null for a static program
 * @param programBase load base of the program (0 for ET_EXEC)
 * @param interpBase  load base of the interpreter (AT_BASE), or 0
 * @param entry       the program's entry (AT_ENTRY)
 * @param startPc     where execution starts: the interpreter's entry, or the program's
 * @param stackPointer initial RSP
 * @param auxv        the auxiliary vector as (type, value) pairs, AT_NULL included
 */
public record ExecResult(String path, String interpreter, long programBase, long interpBase, long entry,
                         long startPc, long stackPointer, long brk, long[] auxv) {}
