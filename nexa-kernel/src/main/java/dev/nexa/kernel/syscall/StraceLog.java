package dev.nexa.kernel.syscall;

import dev.nexa.kernel.trace.ArgDecoder;
import dev.nexa.kernel.trace.TraceEvent;

import java.io.PrintStream;
import java.util.function.Consumer;

/**
 * --strace: one line per completed syscall, in strace's format ({@code name(args) = result}).
 * The arguments come decoded in the {@link TraceEvent.Syscall} that the trace also records
 * ({@link dev.nexa.kernel.trace.SyscallRecorder}), so both always agree.
 */
public final class StraceLog implements Consumer<TraceEvent.Syscall> {
    private final PrintStream out;
    private final boolean showPid;

    public StraceLog(PrintStream out) { this(out, false); }

    public StraceLog(PrintStream out, boolean showPid) {
        this.out = out;
        this.showPid = showPid;
    }

    @Override
    public void accept(TraceEvent.Syscall call) { out.println(format(call, showPid)); }

    /** The strace line for a call, without the newline. */
    public static String format(TraceEvent.Syscall call, boolean showPid) {
        StringBuilder sb = new StringBuilder();
        if (showPid) sb.append("[pid ").append(call.stamp().tid()).append("] ");
        sb.append(call.name()).append('(');
        for (int k = 0; k < call.args().size(); k++) {
            if (k > 0) sb.append(", ");
            sb.append(call.args().get(k).value().text());
        }
        return sb.append(") = ").append(ArgDecoder.formatResult(call.result(), call.returned())).toString();
    }
}
