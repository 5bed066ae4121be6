package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Sysno;

import java.util.ArrayList;
import java.util.List;

/** The syscall table, indexed by number; each area class registers its calls. */
public final class SyscallTable {
    private final SyscallSpec[] specs = new SyscallSpec[Math.max(Sysno.count(), 512)];

    /** Registers a handler under the syscall's Linux name. */
    public void add(int nr, SyscallHandler handler, ArgFormat... args) {
        if (specs[nr] != null) throw new IllegalStateException("syscall " + Sysno.name(nr) + " registered twice");
        specs[nr] = new SyscallSpec(nr, Sysno.name(nr), handler, List.of(args));
    }

    public SyscallSpec get(long nr) {
        return nr >= 0 && nr < specs.length ? specs[(int) nr] : null;
    }

    public List<SyscallSpec> all() {
        List<SyscallSpec> out = new ArrayList<>();
        for (SyscallSpec s : specs) if (s != null) out.add(s);
        return out;
    }
}
