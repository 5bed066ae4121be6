package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.abi.Sysno;
import dev.nexa.kernel.proc.Task;

import java.io.PrintStream;
import java.util.List;

/** --strace: one line per completed syscall, in strace's format ({@code name(args) = result}). */
public final class StraceLog implements Dispatcher.Observer {
    private static final int STRING_LIMIT = 32;

    private final PrintStream out;
    private final boolean showPid;

    public StraceLog(PrintStream out) { this(out, false); }

    public StraceLog(PrintStream out, boolean showPid) {
        this.out = out;
        this.showPid = showPid;
    }

    @Override
    public void completed(Task task, SyscallSpec spec, long nr, long[] args, long result) {
        StringBuilder sb = new StringBuilder();
        if (showPid) sb.append('[').append("pid ").append(task.tid()).append("] ");
        List<ArgFormat> formats = spec == null ? List.of() : spec.args();
        sb.append(spec == null ? Sysno.name((int) nr) : spec.name()).append('(');
        for (int k = 0; k < formats.size(); k++) {
            if (k > 0) sb.append(", ");
            sb.append(format(task, formats.get(k), args[k], k + 1 < args.length ? args[k + 1] : 0, result));
        }
        sb.append(") = ").append(formatResult(result));
        out.println(sb);
    }

    static String formatResult(long r) {
        var restart = dev.nexa.kernel.proc.SyscallRestart.of(r);
        if (restart != null) {
            // strace's wording for the kernel's internal restart codes
            return switch (restart) {
                case SYS -> "? ERESTARTSYS (To be restarted if SA_RESTART is set)";
                case NOINTR -> "? ERESTARTNOINTR (To be restarted)";
                case NOHAND -> "? ERESTARTNOHAND (To be restarted if no handler)";
                case BLOCK -> "? ERESTART_RESTARTBLOCK (Interrupted by signal)";
            };
        }
        if (r < 0 && r >= -4095) {
            Errno e = Errno.of((int) -r);
            return "-1 " + (e == null ? "E" + -r : e.name() + " (" + e.description + ")");
        }
        if (r == SyscallHandler.REGISTERS_SET) return "?";
        return Math.abs(r) >= 0x10000 ? "0x" + Long.toHexString(r) : Long.toString(r);
    }

    private static String format(Task t, ArgFormat f, long v, long next, long result) {
        return switch (f) {
            case INT -> Integer.toString((int) v);
            case LONG -> Long.toString(v);
            case SIZE -> Long.toUnsignedString(v);
            case PTR -> v == 0 ? "NULL" : "0x" + Long.toHexString(v);
            case OCTAL -> "0" + Long.toOctalString(v & 07777);
            case FD -> Integer.toString((int) v);
            case DIRFD -> (int) v == -100 ? "AT_FDCWD" : Integer.toString((int) v);
            case STRING -> quoted(t, v, 4096);
            case BUF_IN -> buffer(t, v, next);
            case BUF_OUT -> result >= 0 ? buffer(t, v, result) : "0x" + Long.toHexString(v);
            case OPEN_FLAGS -> OpenFlagNames.describe((int) v);
            case PROT -> protNames((int) v);
            case MAP_FLAGS -> "0x" + Long.toHexString(v);
            case SIGNAL -> Signal.name((int) v);
            case CODE -> "0x" + Long.toHexString(v);
        };
    }

    private static String protNames(int prot) {
        if (prot == 0) return "PROT_NONE";
        StringBuilder sb = new StringBuilder();
        if ((prot & 1) != 0) sb.append("PROT_READ|");
        if ((prot & 2) != 0) sb.append("PROT_WRITE|");
        if ((prot & 4) != 0) sb.append("PROT_EXEC|");
        if ((prot & ~7) != 0) sb.append("0x").append(Integer.toHexString(prot & ~7)).append('|');
        return sb.substring(0, sb.length() - 1);
    }

    private static String quoted(Task t, long addr, int max) {
        if (addr == 0) return "NULL";
        try {
            byte[] b = t.memory().readStringBytes(addr, max);
            return escape(b, b.length, false);
        } catch (ErrnoException e) {
            return "0x" + Long.toHexString(addr);
        }
    }

    private static String buffer(Task t, long addr, long len) {
        if (addr == 0) return "NULL";
        int n = (int) Math.min(Math.max(len, 0), STRING_LIMIT);
        try {
            byte[] b = t.memory().read(addr, n);
            return escape(b, n, len > STRING_LIMIT);
        } catch (ErrnoException e) {
            return "0x" + Long.toHexString(addr);
        }
    }

    /** strace's quoting: C escapes, octal for other non-printables, "..." when truncated. */
    static String escape(byte[] b, int n, boolean more) {
        StringBuilder sb = new StringBuilder("\"");
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            switch (c) {
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\f' -> sb.append("\\f");
                case 0x0b -> sb.append("\\v");
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default -> {
                    if (c >= 0x20 && c < 0x7f) sb.append((char) c);
                    else {
                        boolean digitFollows = i + 1 < n && b[i + 1] >= '0' && b[i + 1] <= '7';
                        sb.append('\\').append(digitFollows ? String.format("%03o", c) : Integer.toOctalString(c));
                    }
                }
            }
        }
        sb.append('"');
        if (more) sb.append("...");
        return sb.toString();
    }
}
