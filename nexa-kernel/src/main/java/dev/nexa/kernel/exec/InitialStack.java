package dev.nexa.kernel.exec;

import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.mm.UserMemory;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Builds the process's initial stack as Linux's create_elf_tables() does (fs/binfmt_elf.c;
 * x86-64 psABI §3.4.1): from the top, the execfn string, the environment and argument strings,
 * the platform string and the 16 AT_RANDOM bytes; then, 16-byte aligned, argc, argv[],
 * NULL, envp[], NULL, auxv pairs ending with AT_NULL. RSP points at argc.
 */
final class InitialStack {
    private InitialStack() {}

    /** An auxv value that is filled in once the string area is laid out. */
    static final long PLATFORM_STRING = -1, RANDOM_BYTES = -2, EXECFN_STRING = -3;

    record Built(long sp, long[] auxv) {}

    static Built build(UserMemory mem, long top, List<String> argv, List<String> envp, String execfn,
                       long[][] auxvTemplate, byte[] random) throws ErrnoException {
        long p = top - 8;                                    // Linux leaves a NULL word at the very top
        mem.writeLong(p, 0);
        p = putString(mem, p, execfn);
        long execfnAt = p;
        long[] envAt = new long[envp.size()];
        for (int k = envp.size() - 1; k >= 0; k--) envAt[k] = p = putString(mem, p, envp.get(k));
        long[] argAt = new long[argv.size()];
        for (int k = argv.size() - 1; k >= 0; k--) argAt[k] = p = putString(mem, p, argv.get(k));
        p = putString(mem, p, "x86_64");
        long platformAt = p;
        p -= 16;
        p &= ~15L;
        mem.write(p, random);
        long randomAt = p;

        long[] auxv = new long[auxvTemplate.length * 2];
        for (int k = 0; k < auxvTemplate.length; k++) {
            long v = auxvTemplate[k][1];
            if (v == PLATFORM_STRING) v = platformAt;
            else if (v == RANDOM_BYTES) v = randomAt;
            else if (v == EXECFN_STRING) v = execfnAt;
            auxv[2 * k] = auxvTemplate[k][0];
            auxv[2 * k + 1] = v;
        }
        int words = 1 + argv.size() + 1 + envp.size() + 1 + auxv.length;
        long sp = (p - 8L * words) & ~15L;
        ByteBuffer table = ByteBuffer.allocate(8 * words).order(ByteOrder.LITTLE_ENDIAN);
        table.putLong(argv.size());
        for (long a : argAt) table.putLong(a);
        table.putLong(0);
        for (long e : envAt) table.putLong(e);
        table.putLong(0);
        for (long x : auxv) table.putLong(x);
        mem.write(sp, table.array());
        return new Built(sp, auxv);
    }

    private static long putString(UserMemory mem, long p, String s) throws ErrnoException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(s.getBytes(StandardCharsets.UTF_8));
        b.write(0);
        byte[] bytes = b.toByteArray();
        p -= bytes.length;
        mem.write(p, bytes);
        return p;
    }
}
