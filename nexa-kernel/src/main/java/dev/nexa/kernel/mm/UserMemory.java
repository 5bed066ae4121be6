package dev.nexa.kernel.mm;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.mem.MemoryFault;
import dev.nexa.mem.Mmu;
import dev.nexa.mem.Paging;

import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * The kernel's access to a task's user memory (Linux's copy_from_user/copy_to_user): goes
 * through the task's MMU with the guest's own permissions, supplies missing pages through the
 * address space's fault handler, and turns an unresolvable fault into EFAULT.
 */
public final class UserMemory {
    private final Mmu mmu;
    private final AddressSpace mm;
    private final MemorySegment ram;

    public UserMemory(Mmu mmu, AddressSpace mm) {
        this.mmu = mmu;
        this.mm = mm;
        this.ram = mmu.memory().segment();
    }

    public AddressSpace addressSpace() { return mm; }

    /** Physical address of {@code va} for the access, faulting pages in as the guest would. */
    public long translate(long va, boolean write) throws ErrnoException {
        for (int attempt = 0; attempt < 4; attempt++) {
            try {
                return mmu.translate(va, write ? Mmu.WRITE : Mmu.READ);
            } catch (MemoryFault f) {
                if (!f.isPageFault() || mm.handleFault(va, write, false) != FaultResult.RESOLVED) {
                    throw new ErrnoException(Errno.EFAULT, "bad user address 0x" + Long.toHexString(va));
                }
            }
        }
        throw new ErrnoException(Errno.EFAULT, "fault loop at 0x" + Long.toHexString(va));
    }

    /** Visits [va, va+len) as host segments, one per guest page, until the visitor returns short. */
    public long chunks(long va, long len, boolean write, ChunkVisitor visitor) throws ErrnoException {
        long done = 0;
        while (done < len) {
            long at = va + done;
            long n = Math.min(len - done, Paging.PAGE_SIZE - (at & Paging.PAGE_MASK));
            long pa = translate(at, write);
            long got = visitor.visit(ram.asSlice(pa, n));
            done += got;
            if (got < n) break;
        }
        return done;
    }

    @FunctionalInterface
    public interface ChunkVisitor {
        /** Processes a chunk; returns the bytes processed (short means stop). */
        long visit(MemorySegment chunk) throws ErrnoException;
    }

    public void read(long va, byte[] dst, int off, int len) throws ErrnoException {
        int[] pos = {off};
        chunks(va, len, false, chunk -> {
            MemorySegment.copy(chunk, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, dst, pos[0], (int) chunk.byteSize());
            pos[0] += (int) chunk.byteSize();
            return chunk.byteSize();
        });
    }

    public byte[] read(long va, int len) throws ErrnoException {
        // A length that overflowed int in a caller's arithmetic: no guest buffer is that large.
        if (len < 0) throw new ErrnoException(Errno.EFAULT);
        byte[] b = new byte[len];
        read(va, b, 0, len);
        return b;
    }

    public void write(long va, byte[] src, int off, int len) throws ErrnoException {
        int[] pos = {off};
        chunks(va, len, true, chunk -> {
            MemorySegment.copy(src, pos[0], chunk, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (int) chunk.byteSize());
            pos[0] += (int) chunk.byteSize();
            return chunk.byteSize();
        });
    }

    public void write(long va, byte[] src) throws ErrnoException { write(va, src, 0, src.length); }

    public long readLong(long va) throws ErrnoException {
        if ((va & Paging.PAGE_MASK) <= Paging.PAGE_SIZE - 8) {
            return ram.get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, translate(va, false));
        }
        byte[] b = read(va, 8);
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
    }

    public int readInt(long va) throws ErrnoException {
        if ((va & Paging.PAGE_MASK) <= Paging.PAGE_SIZE - 4) {
            return ram.get(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, translate(va, false));
        }
        byte[] b = read(va, 4);
        return java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
    }

    public void writeLong(long va, long v) throws ErrnoException {
        if ((va & Paging.PAGE_MASK) <= Paging.PAGE_SIZE - 8) {
            ram.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, translate(va, true), v);
            return;
        }
        write(va, java.nio.ByteBuffer.allocate(8).order(java.nio.ByteOrder.LITTLE_ENDIAN).putLong(v).array());
    }

    public void writeInt(long va, int v) throws ErrnoException {
        if ((va & Paging.PAGE_MASK) <= Paging.PAGE_SIZE - 4) {
            ram.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, translate(va, true), v);
            return;
        }
        write(va, java.nio.ByteBuffer.allocate(4).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(v).array());
    }

    /**
     * A NUL-terminated string of at most {@code max} bytes (including the NUL): ENAMETOOLONG
     * when longer, EFAULT when unreadable. Bytes are taken as UTF-8 (Linux paths are bytes;
     * invalid sequences survive as U+FFFD, which is enough for display and lookups of valid names).
     */
    public String readString(long va, int max) throws ErrnoException {
        return new String(readStringBytes(va, max), StandardCharsets.UTF_8);
    }

    public byte[] readStringBytes(long va, int max) throws ErrnoException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(64);
        long at = va;
        while (out.size() < max) {
            long pa = translate(at, false);
            long n = Math.min(Paging.PAGE_SIZE - (at & Paging.PAGE_MASK), max - out.size());
            for (long k = 0; k < n; k++) {
                byte b = ram.get(java.lang.foreign.ValueLayout.JAVA_BYTE, pa + k);
                if (b == 0) return out.toByteArray();
                out.write(b);
            }
            at += n;
        }
        throw new ErrnoException(Errno.ENAMETOOLONG);
    }

    /** A NULL-terminated array of string pointers (argv, envp), bounded like execve's. */
    public java.util.List<String> readStringArray(long va, int maxCount, int maxTotal) throws ErrnoException {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (va == 0) return out;
        long total = 0;
        for (int i = 0; ; i++) {
            if (i >= maxCount) throw new ErrnoException(Errno.E2BIG);
            long p = readLong(va + 8L * i);
            if (p == 0) return out;
            String s = readString(p, 128 * 1024);
            total += s.length() + 1;
            if (total > maxTotal) throw new ErrnoException(Errno.E2BIG);
            out.add(s);
        }
    }
}
