package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Sysno;
import dev.nexa.cpu.fuzz.Fuzzing;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.RootFs;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile system calls: random numbers with hostile arguments (null, -1, huge sizes and counts,
 * kernel addresses, pointers into the scratch area, small descriptors) go through the real
 * dispatcher of a kernel with a small guest memory. Whatever the call, it returns a value
 * (-4095..-1 for errors) or parks the task; no Java exception escapes, no allocation sized by the
 * guest brings the JVM down, and guest memory stays within its frames.
 */
@AddLifecycleHook(Fuzzing.class)
class SyscallFuzzProperties {
    /** Calls that end or replace the caller, or wait for the host: they are tested elsewhere. */
    private static final Set<Integer> SKIPPED = Set.of(Sysno.EXIT, Sysno.EXIT_GROUP, Sysno.EXECVE, Sysno.EXECVEAT,
            Sysno.RT_SIGRETURN, Sysno.VFORK);

    record Call(int nr, List<Long> args) {
        @Override
        public String toString() { return Sysno.name(nr) + args; }
    }

    @Provide
    Arbitrary<List<Call>> calls() {
        long scratch = 0x1000_0000L;
        var arg = Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, 2L, 3L, -1L, -100L, 0x7fff_ffffL, 0xffff_ffffL, 0x8000_0000L, Long.MAX_VALUE,
                        Long.MIN_VALUE, 1L << 40, 0xffff_8000_0000_0000L, 0x7fff_ffff_f000L, 4096L, 65536L),
                Arbitraries.longs().between(scratch, scratch + (1 << 20) - 1),
                Arbitraries.longs().between(0, 64),
                Arbitraries.longs());
        var nr = Arbitraries.integers().between(0, 460).filter(n -> !SKIPPED.contains(n));
        return Combinators.combine(nr, arg.list().ofSize(6)).as(Call::new).list().ofMinSize(1).ofMaxSize(12);
    }

    @Property(tries = 400, edgeCases = EdgeCasesMode.MIXIN)
    void anySyscallReturnsOrBlocks(@ForAll("calls") List<Call> calls) throws Exception {
        try (GuestKernel g = new GuestKernel(RootFs.host(Path.of("/"), "/"))) {
            Task t = g.task(1000);
            g.alloc(t, 16);                      // maps the scratch area the pointers aim at
            g.str(t, "/tmp");
            for (Call c : calls) {
                if (t.isExited() || t.process().isZombie() || t.state() == Task.State.BLOCKED) {
                    t = g.task(1000);
                    g.alloc(t, 16);
                }
                long[] a = c.args().stream().mapToLong(Long::longValue).toArray();
                long r = g.call(t, c.nr(), a);
                assertTrue(r != GuestKernel.BLOCKED || t.state() == Task.State.BLOCKED, c.toString());
                var frames = g.kernel.frames();
                assertTrue(frames.framesInUse() <= frames.totalFrames(), c.toString());
            }
        }
    }
}
