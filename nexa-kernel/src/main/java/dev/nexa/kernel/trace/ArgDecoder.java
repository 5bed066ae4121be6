package dev.nexa.kernel.trace;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.mm.UserMemory;
import dev.nexa.kernel.syscall.ArgFormat;
import dev.nexa.kernel.syscall.SyscallHandler;
import dev.nexa.kernel.trace.ArgValue.Field;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Decodes syscall arguments the way strace shows them, for {@code --strace} and for trace
 * events alike. Input arguments are decoded at entry (execve's path must be read before the
 * address space is replaced), output ones ({@link ArgFormat#atExit()}) after the call.
 * Reading guest memory never fails the decoding: an unreadable pointer shows as its address.
 */
public final class ArgDecoder {
    /** strace's default -s: how many bytes of a data buffer are shown. */
    public static final int BUFFER_LIMIT = 32;
    /** PATH_MAX: how much of a string argument is read. */
    public static final int STRING_LIMIT = 4096;
    /** How many iovec entries are shown. */
    public static final int IOVEC_LIMIT = 8;

    private ArgDecoder() {}

    /**
     * Decodes one argument.
     *
     * @param v      the register value
     * @param next   the following argument's register (the length of a BUF_IN, the count of an IOVEC)
     * @param result the call's return value, for {@link ArgFormat#atExit()} formats (ignored for the others)
     */
    public static ArgValue decode(UserMemory mem, ArgFormat f, long v, long next, long result) {
        return switch (f) {
            case INT, FD -> new ArgValue.Num(v, Integer.toString((int) v));
            case LONG -> new ArgValue.Num(v, Long.toString(v));
            case SIZE -> new ArgValue.Num(v, Long.toUnsignedString(v));
            case PTR -> new ArgValue.Num(v, pointer(v));
            case OCTAL -> new ArgValue.Num(v, "0" + Long.toOctalString(v & 07777));
            case CODE -> new ArgValue.Num(v, "0x" + Long.toHexString(v));
            case DIRFD -> (int) v == -100 ? new ArgValue.Sym(v, "AT_FDCWD") : new ArgValue.Num(v, Integer.toString((int) v));
            case STRING -> string(mem, v);
            case BUF_IN -> buffer(mem, v, next);
            case BUF_OUT -> succeeded(result) ? buffer(mem, v, result) : new ArgValue.Num(v, pointer(v));
            case OPEN_FLAGS -> new ArgValue.Flags(v, FlagNames.open((int) v));
            case PROT -> new ArgValue.Flags(v, FlagNames.prot((int) v));
            case MAP_FLAGS -> new ArgValue.Flags(v, FlagNames.map((int) v));
            case MREMAP_FLAGS -> new ArgValue.Flags(v, FlagNames.mremap((int) v));
            case SIGNAL -> (int) v == 0 ? new ArgValue.Num(v, "0") : new ArgValue.Sym(v, Signal.name((int) v));
            case CLOCK -> {
                String name = FlagNames.clock((int) v);
                yield name == null ? new ArgValue.Num(v, Integer.toString((int) v)) : new ArgValue.Sym(v, name);
            }
            case TIMESPEC -> timespec(mem, v);
            case TIMESPEC_OUT -> succeeded(result) ? timespec(mem, v) : new ArgValue.Num(v, pointer(v));
            case UTSNAME_OUT -> succeeded(result) ? utsname(mem, v) : new ArgValue.Num(v, pointer(v));
            case STAT_OUT -> succeeded(result) ? stat(mem, v) : new ArgValue.Num(v, pointer(v));
            case IOVEC -> iovec(mem, v, next);
        };
    }

    private static boolean succeeded(long result) {
        return result >= 0 || result < -4095 || result == SyscallHandler.REGISTERS_SET;
    }

    private static String pointer(long v) { return v == 0 ? "NULL" : "0x" + Long.toHexString(v); }

    /** How strace shows a return value: {@code 3}, {@code 0x7f0000000000}, {@code -1 ENOENT (No such file or directory)}. */
    public static String formatResult(long r, boolean returned) {
        if (!returned || r == SyscallHandler.REGISTERS_SET) return "?";
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
        return Math.abs(r) >= 0x10000 ? "0x" + Long.toHexString(r) : Long.toString(r);
    }

    private static ArgValue string(UserMemory mem, long addr) {
        if (addr == 0) return new ArgValue.Num(0, "NULL");
        byte[] b;
        boolean truncated = false;
        try {
            b = mem.readStringBytes(addr, STRING_LIMIT);
        } catch (ErrnoException e) {
            if (e.errno() != Errno.ENAMETOOLONG) return new ArgValue.Unreadable(addr);
            try {
                b = mem.read(addr, STRING_LIMIT);
                truncated = true;
            } catch (ErrnoException again) {
                return new ArgValue.Unreadable(addr);
            }
        }
        return new ArgValue.Str(addr, new String(b, StandardCharsets.UTF_8), truncated, escape(b, b.length, truncated));
    }

    private static ArgValue buffer(UserMemory mem, long addr, long len) {
        if (addr == 0) return new ArgValue.Num(0, "NULL");
        int n = (int) Math.min(Math.max(len, 0), BUFFER_LIMIT);
        try {
            byte[] b = mem.read(addr, n);
            return new ArgValue.Buf(addr, Math.max(len, 0), escape(b, n, len > BUFFER_LIMIT));
        } catch (ErrnoException e) {
            return new ArgValue.Unreadable(addr);
        }
    }

    private static ByteBuffer read(UserMemory mem, long addr, int len) throws ErrnoException {
        return ByteBuffer.wrap(mem.read(addr, len)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ArgValue timespec(UserMemory mem, long addr) {
        if (addr == 0) return new ArgValue.Num(0, "NULL");
        try {
            ByteBuffer b = read(mem, addr, 16);
            return new ArgValue.Struct(addr, List.of(Field.num("tv_sec", b.getLong(0)), Field.num("tv_nsec", b.getLong(8))));
        } catch (ErrnoException e) {
            return new ArgValue.Unreadable(addr);
        }
    }

    /** struct new_utsname: six fields of 65 bytes (include/uapi/linux/utsname.h). */
    private static ArgValue utsname(UserMemory mem, long addr) {
        try {
            byte[] b = mem.read(addr, 65 * 5);
            String[] names = {"sysname", "nodename", "release", "version", "machine"};
            List<Field> fields = new ArrayList<>();
            for (int k = 0; k < names.length; k++) {
                int end = k * 65;
                while (end < k * 65 + 64 && b[end] != 0) end++;
                fields.add(Field.str(names[k], new String(b, k * 65, end - k * 65, StandardCharsets.UTF_8)));
            }
            return new ArgValue.Struct(addr, fields);
        } catch (ErrnoException e) {
            return new ArgValue.Unreadable(addr);
        }
    }

    /** struct stat on x86-64 (arch/x86/include/uapi/asm/stat.h): mode at 24, size at 48. */
    private static ArgValue stat(UserMemory mem, long addr) {
        try {
            ByteBuffer b = read(mem, addr, 72);
            int mode = b.getInt(24);
            return new ArgValue.Struct(addr, List.of(Field.sym("st_mode", mode & 0xffffffffL, FlagNames.fileMode(mode)),
                    Field.num("st_size", b.getLong(48)), Field.num("st_ino", b.getLong(8)),
                    Field.num("st_nlink", b.getLong(16))));
        } catch (ErrnoException e) {
            return new ArgValue.Unreadable(addr);
        }
    }

    /** struct iovec[count]: base and length of each, at most {@link #IOVEC_LIMIT}. */
    private static ArgValue iovec(UserMemory mem, long addr, long count) {
        if (addr == 0) return new ArgValue.Num(0, "NULL");
        int n = (int) Math.min(Math.max(count, 0), IOVEC_LIMIT);
        try {
            ByteBuffer b = read(mem, addr, 16 * n);
            List<ArgValue.Struct> items = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                long base = b.getLong(16 * k), len = b.getLong(16 * k + 8);
                items.add(new ArgValue.Struct(addr + 16L * k, List.of(Field.sym("iov_base", base, pointer(base)),
                        Field.num("iov_len", len))));
            }
            return new ArgValue.Array(addr, items, count > n);
        } catch (ErrnoException e) {
            return new ArgValue.Unreadable(addr);
        }
    }

    /** strace's quoting of a Java string's UTF-8 bytes. */
    public static String quote(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return escape(b, b.length, false);
    }

    /** strace's quoting: C escapes, octal for other non-printables, "..." when truncated. */
    public static String escape(byte[] b, int n, boolean more) {
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
