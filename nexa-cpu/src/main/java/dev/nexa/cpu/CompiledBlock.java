package dev.nexa.cpu;

import dev.nexa.cpu.exec.CpuCore;

/**
 * A block translated by a JIT, which {@link Cpu}'s run loop calls instead of interpreting the
 * block ({@link Block#setCompiled}). The contract is the interpreter's ({@code Engine.run}):
 * <ul>
 * <li>On entry {@code c.rip} is the block's first instruction ({@code va}); on a normal return
 * every instruction of the block has executed, {@code c.rip} is the next one to run (the
 * branch target or the fall-through) and all architectural state is in {@link CpuCore}: the
 * registers, and the lazy flags ({@code ccOp}, {@code ccDst}, {@code ccSrc}, {@code ccSrc2})
 * as the handlers leave them, or materialized with {@code ccOp = Flags.EFLAGS}.</li>
 * <li>During an instruction {@code c.rip} holds the next instruction's address (RIP-relative
 * operands, CALL, and any generic handler the code calls rely on it).</li>
 * <li>If an instruction throws (a {@code MemoryFault}, a {@code GuestFault}, or the code cache's
 * signal that the block overwrote itself) the translation must have left the state as it was
 * before that instruction (handler rule 1 in docs/cpu.md), set {@code c.faultIndex} to the
 * instruction's index in the block, and let the exception propagate: the run loop retires the
 * instructions before it and restarts at it.</li>
 * <li>{@code c.stop} is set by SYSCALL, which always ends a block; the run loop checks it after
 * the block.</li>
 * </ul>
 * The run loop counts the block's instructions as retired after a normal return.
 */
@FunctionalInterface
public interface CompiledBlock {
    void run(CpuCore c, long va);
}
