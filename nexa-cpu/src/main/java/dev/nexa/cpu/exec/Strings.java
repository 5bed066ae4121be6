package dev.nexa.cpu.exec;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.decode.Prefix;
import dev.nexa.mem.Mmu;
import dev.nexa.mem.Paging;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * The string instructions MOVS, CMPS, STOS, LODS, SCAS with REP / REPE / REPNE (SDM Vol. 2B
 * "REP/REPE/REPZ/REPNE/REPNZ" and per mnemonic). The source is [seg:rSI] (FS/GS overrides
 * apply), the destination [rDI] (ES, no override); DF picks the direction; the 67 prefix makes
 * rSI/rDI/rCX 32-bit (written zero-extended).
 * <p>
 * A repeated instruction commits rSI, rDI and rCX after every element, so a page fault in the
 * middle leaves the registers describing the elements done and re-executing the instruction
 * (RIP still points at it) finishes the job, as on hardware. REP MOVS and REP STOS copy or
 * fill whole page-bounded chunks (in either direction) with bulk segment operations once the
 * pages are translated; a chunk whose translation faults is left to the element loop, which
 * faults at the exact element.
 */
final class Strings {
    private Strings() {}

    /** Below this many elements the element loop is cheaper than setting up a bulk chunk. */
    private static final long BULK_MIN = 16;

    private static long index(CpuCore c, int reg, int asize) {
        return asize == 8 ? c.r[reg] : c.r[reg] & 0xFFFF_FFFFL;
    }

    private static long source(CpuCore c, Insn i, long si) {
        int s = i.seg();
        return s == Insn.SEG_NONE ? si : si + (s == Insn.SEG_FS ? c.fsBase : c.gsBase);
    }

    private static long step(CpuCore c, int size) {
        return (c.flags & Flags.DF) != 0 ? -size : size;
    }

    private static boolean repeated(Insn i) {
        return (i.prefixes() & (Prefix.REP | Prefix.REPNE)) != 0;
    }

    private static long wrap(long v, int asize) {
        return asize == 8 ? v : v & 0xFFFF_FFFFL;
    }

    // ---- MOVS --------------------------------------------------------------------------------

    static void movs(CpuCore c, Insn i) {
        int size = i.size(), a = i.asize();
        long step = step(c, size);
        if (!repeated(i)) {
            long si = index(c, 6, a), di = index(c, 7, a);
            c.store(di, size, c.load(source(c, i, si), size));
            c.setReg(6, a, si + step);
            c.setReg(7, a, di + step);
            return;
        }
        long count = index(c, 1, a);
        while (count != 0) {
            long si = index(c, 6, a), di = index(c, 7, a);
            if (Long.compareUnsigned(count, BULK_MIN) >= 0) {
                long done = movsChunk(c, source(c, i, si), di, count, size, step < 0);
                if (done > 0) {
                    count -= done;
                    c.setReg(6, a, si + done * step);
                    c.setReg(7, a, di + done * step);
                    c.setReg(1, a, count);
                    continue;
                }
            }
            c.store(di, size, c.load(source(c, i, si), size));
            count--;
            c.setReg(6, a, si + step);
            c.setReg(7, a, di + step);
            c.setReg(1, a, count);
        }
    }

    /**
     * How many whole elements, starting with the one at {@code a} and going in the direction
     * of DF, lie in {@code a}'s page.
     */
    private static long pageElements(long a, int size, boolean down) {
        long off = a & Paging.PAGE_MASK;
        if (down) return off + size <= Paging.PAGE_SIZE ? off / size + 1 : 0;
        return (Paging.PAGE_SIZE - off) / size;
    }

    /**
     * Copies as many whole elements as lie in the current source and destination pages, up
     * to {@code count}; returns how many (0: too few to be worth it, the loop does them).
     * Translating both pages first makes the chunk all-or-nothing with respect to faults,
     * and in the order the element loop would fault (source read, then destination write).
     */
    private static long movsChunk(CpuCore c, long src, long dst, long count, int size, boolean down) {
        long n = Math.min(count, Math.min(pageElements(src, size, down), pageElements(dst, size, down)));
        if (n < BULK_MIN) return 0;
        long back = down ? (n - 1) * size : 0;                   // the chunk's lowest addresses
        long ps = c.mmu.translate(src - back, Mmu.READ);
        long pd = c.mmu.translate(dst - back, Mmu.WRITE);
        MemorySegment ram = c.mmu.memory().segment();
        long bytes = n * size;
        // One bulk copy (memmove) equals the element order unless an element would read a byte
        // an earlier element of this chunk wrote: the destination starting inside the source
        // going up, or the source starting inside the destination going down.
        boolean hazard = down ? ps > pd && ps < pd + bytes : pd > ps && pd < ps + bytes;
        if (!hazard) {
            MemorySegment.copy(ram, ps, ram, pd, bytes);
        } else if (!down) {
            for (long k = 0; k < bytes; k += size) put(ram, pd + k, size, get(ram, ps + k, size));
        } else {
            for (long k = bytes - size; k >= 0; k -= size) put(ram, pd + k, size, get(ram, ps + k, size));
        }
        return n;
    }

    // ---- STOS --------------------------------------------------------------------------------

    static void stos(CpuCore c, Insn i) {
        int size = i.size(), a = i.asize();
        long step = step(c, size);
        long v = c.reg(0, size);
        if (!repeated(i)) {
            long di = index(c, 7, a);
            c.store(di, size, v);
            c.setReg(7, a, di + step);
            return;
        }
        long count = index(c, 1, a);
        while (count != 0) {
            long di = index(c, 7, a);
            if (Long.compareUnsigned(count, BULK_MIN) >= 0) {
                long done = stosChunk(c, di, count, size, v, step < 0);
                if (done > 0) {
                    count -= done;
                    c.setReg(7, a, di + done * step);
                    c.setReg(1, a, count);
                    continue;
                }
            }
            c.store(di, size, v);
            count--;
            c.setReg(7, a, di + step);
            c.setReg(1, a, count);
        }
    }

    private static long stosChunk(CpuCore c, long dst, long count, int size, long v, boolean down) {
        long n = Math.min(count, pageElements(dst, size, down));
        if (n < BULK_MIN) return 0;
        long pd = c.mmu.translate(down ? dst - (n - 1) * size : dst, Mmu.WRITE);
        MemorySegment ram = c.mmu.memory().segment();
        long bytes = n * size;
        if (size == 1 || v == (v & 0xFF) * (0x0101_0101_0101_0101L & Flags.mask(size))) {
            ram.asSlice(pd, bytes).fill((byte) v);
        } else {
            for (long k = 0; k < bytes; k += size) put(ram, pd + k, size, v);
        }
        return n;
    }

    // ---- LODS --------------------------------------------------------------------------------

    static void lods(CpuCore c, Insn i) {
        int size = i.size(), a = i.asize();
        long step = step(c, size);
        if (!repeated(i)) {
            long si = index(c, 6, a);
            c.setReg(0, size, c.load(source(c, i, si), size));
            c.setReg(6, a, si + step);
            return;
        }
        long count = index(c, 1, a);
        while (count != 0) {
            long si = index(c, 6, a);
            long v = c.load(source(c, i, si), size);
            count--;
            c.setReg(0, size, v);
            c.setReg(6, a, si + step);
            c.setReg(1, a, count);
        }
    }

    // ---- CMPS and SCAS -----------------------------------------------------------------------

    /** CMPS: flags of [seg:rSI] - [rDI]; REPE stops on a difference, REPNE on equality. */
    static void cmps(CpuCore c, Insn i) {
        int size = i.size(), a = i.asize();
        long step = step(c, size);
        boolean rep = repeated(i);
        long count = rep ? index(c, 1, a) : 1;
        boolean untilEqual = i.has(Prefix.REPNE);
        while (count != 0) {
            long si = index(c, 6, a), di = index(c, 7, a);
            long x = c.load(source(c, i, si), size);
            long y = c.load(di, size);
            c.setReg(6, a, si + step);
            c.setReg(7, a, di + step);
            c.setCc(Flags.SUB, size, (x - y) & Flags.mask(size), y);
            if (!rep) return;
            c.setReg(1, a, --count);
            if ((x == y) == untilEqual) return;
        }
    }

    /** SCAS: flags of rAX - [rDI]; REPE stops on a difference, REPNE on equality. */
    static void scas(CpuCore c, Insn i) {
        int size = i.size(), a = i.asize();
        long step = step(c, size);
        boolean rep = repeated(i);
        long count = rep ? index(c, 1, a) : 1;
        boolean untilEqual = i.has(Prefix.REPNE);
        long x = c.reg(0, size);
        while (count != 0) {
            long di = index(c, 7, a);
            long y = c.load(di, size);
            c.setReg(7, a, di + step);
            c.setCc(Flags.SUB, size, (x - y) & Flags.mask(size), y);
            if (!rep) return;
            c.setReg(1, a, --count);
            if ((x == y) == untilEqual) return;
        }
    }

    // ---- physical element access for the bulk paths ------------------------------------------

    private static long get(MemorySegment ram, long pa, int size) {
        return switch (size) {
            case 8 -> ram.get(ValueLayout.JAVA_LONG_UNALIGNED, pa);
            case 4 -> ram.get(ValueLayout.JAVA_INT_UNALIGNED, pa);
            case 2 -> ram.get(ValueLayout.JAVA_SHORT_UNALIGNED, pa);
            default -> ram.get(ValueLayout.JAVA_BYTE, pa);
        };
    }

    private static void put(MemorySegment ram, long pa, int size, long v) {
        switch (size) {
            case 8 -> ram.set(ValueLayout.JAVA_LONG_UNALIGNED, pa, v);
            case 4 -> ram.set(ValueLayout.JAVA_INT_UNALIGNED, pa, (int) v);
            case 2 -> ram.set(ValueLayout.JAVA_SHORT_UNALIGNED, pa, (short) v);
            default -> ram.set(ValueLayout.JAVA_BYTE, pa, (byte) v);
        }
    }
}
