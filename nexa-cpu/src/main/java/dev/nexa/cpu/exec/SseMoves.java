package dev.nexa.cpu.exec;

import static dev.nexa.cpu.exec.Sse.x;

import dev.nexa.cpu.decode.Insn;
import dev.nexa.mem.Mmu;

/** SSE/MMX data movement (SDM Vol. 2 per instruction). */
final class SseMoves {
    private SseMoves() {}

    /** MOVUPS/MOVAPS/MOVDQA/MOVDQU/MOVNTxx, LDDQU: a 128-bit load or store. */
    static void mov128(CpuCore c, Insn i, boolean aligned) {
        int d = i.o0();
        if (d == Insn.MEM) {
            long a = Sse.ea(c, i, aligned);
            int s = x(i.o1());
            long lo = c.xmm[s], hi = c.xmm[s + 1];
            store128(c, a, lo, hi);
            return;
        }
        long a = Sse.addr(c, i, aligned);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        Sse.set(c, d, lo, hi);
    }

    /** Stores 16 bytes; a fault on the second half must not leave the first half written. */
    static void store128(CpuCore c, long a, long lo, long hi) {
        if (((a + 15) & 0xFFF) < 15) c.mmu.translate(a + 8, Mmu.WRITE);
        c.mmu.write64(a, lo);
        c.mmu.write64(a + 8, hi);
    }

    /** MOVSS/MOVSD: register forms merge the low element, loads zero the rest, stores write it. */
    static void movScalar(CpuCore c, Insn i, int size) {
        int d = i.o0(), s = i.o1();
        long mask = size == 8 ? -1L : 0xFFFF_FFFFL;
        if (d == Insn.MEM) {
            c.store(c.ea(i), size, c.xmm[x(s)] & mask);
        } else if (s == Insn.MEM) {
            Sse.set(c, d, c.load(c.ea(i), size), 0);
        } else {
            int k = x(d);
            c.xmm[k] = (c.xmm[k] & ~mask) | (c.xmm[x(s)] & mask);
        }
    }

    /** MOVLPS/MOVLPD ({@code high} false) and MOVHPS/MOVHPD: one quadword to or from memory. */
    static void movHalf(CpuCore c, Insn i, boolean high) {
        int half = high ? 1 : 0;
        if (i.o0() == Insn.MEM) {
            c.mmu.write64(c.ea(i), c.xmm[x(i.o1()) + half]);
        } else {
            long v = c.mmu.read64(c.ea(i));
            c.xmm[x(i.o0()) + half] = v;
        }
    }

    /** MOVHLPS (high to low) and MOVLHPS (low to high), register forms only. */
    static void movHalves(CpuCore c, Insn i, boolean highToLow) {
        int d = x(i.o0()), s = x(i.o1());
        if (highToLow) c.xmm[d] = c.xmm[s + 1];
        else c.xmm[d + 1] = c.xmm[s];
    }

    /**
     * MOVD/MOVQ between a vector register and a GPR or memory: loads zero-extend into the whole
     * XMM register (or MMX register); stores take the low 32 or 64 bits.
     */
    static void movd(CpuCore c, Insn i) {
        int d = i.o0();
        if (Sse.isXmm(d)) {
            Sse.set(c, d, c.read(i, i.o1(), i.ssize()), 0);
        } else if (Sse.isMmx(d)) {
            long v = c.read(i, i.o1(), i.ssize());
            Sse.setMmx(c, d, v);
        } else {
            int s = i.o1();
            int size = i.size();
            if (Sse.isMmx(s)) {
                long v = c.mmx.get(Sse.mm(s));
                c.write(i, d, size, v);       // the store comes before the transition
                c.mmx.enter();
            } else {
                c.write(i, d, size, c.xmm[x(s)]);
            }
        }
    }

    /** MOVQ: mm/m64 to mm and back (0F 6F/7F), xmm/m64 to xmm (F3 0F 7E), xmm to xmm/m64 (66 0F D6). */
    static void movq(CpuCore c, Insn i) {
        int d = i.o0(), s = i.o1();
        if (Sse.isMmx(d)) {
            long v = Sse.mmxSrc(c, i);
            Sse.setMmx(c, d, v);
        } else if (Sse.isMmx(s)) {
            c.mmu.write64(c.ea(i), c.mmx.get(Sse.mm(s)));
            c.mmx.enter();
        } else if (d == Insn.MEM) {
            c.mmu.write64(c.ea(i), c.xmm[x(s)]);
        } else {
            Sse.set(c, d, Sse.low(c, i, s, 8), 0);
        }
    }

    static void movq2dq(CpuCore c, Insn i) {
        long v = c.mmx.get(Sse.mm(i.o1()));
        c.mmx.enter();
        Sse.set(c, i.o0(), v, 0);
    }

    static void movdq2q(CpuCore c, Insn i) {
        Sse.setMmx(c, i.o0(), c.xmm[x(i.o1())]);
    }

    static void movntq(CpuCore c, Insn i) {
        c.mmu.write64(c.ea(i), c.mmx.get(Sse.mm(i.o1())));
        c.mmx.enter();
    }

    static void movnti(CpuCore c, Insn i) {
        c.write(i, Insn.MEM, i.size(), c.reg(i.o1(), i.size()));
    }

    /** MOVMSKPS/MOVMSKPD: the sign bits of the elements into a GPR (upper bits cleared). */
    static void movmsk(CpuCore c, Insn i, boolean dbl) {
        int s = x(i.o1());
        long lo = c.xmm[s], hi = c.xmm[s + 1];
        long m = dbl ? (lo >>> 63) | (hi >>> 63) << 1
                : (lo >>> 31) & 1 | (lo >>> 62) & 2 | ((hi >>> 31) & 1) << 2 | ((hi >>> 62) & 2) << 2;
        c.setReg(i.o0(), 4, m);
    }

    /** PMOVMSKB: the top bit of each byte. */
    static void pmovmskb(CpuCore c, Insn i) {
        int s = i.o1();
        long m;
        if (Sse.isMmx(s)) {
            m = byteSigns(c.mmx.get(Sse.mm(s)));
            c.mmx.enter();
        } else {
            m = byteSigns(c.xmm[x(s)]) | byteSigns(c.xmm[x(s) + 1]) << 8;
        }
        c.setReg(i.o0(), 4, m);
    }

    static long byteSigns(long v) {
        // Gather bit 7 of every byte into one byte (a multiply-based bit gather).
        return ((v & 0x8080_8080_8080_8080L) >>> 7) * 0x0102_0408_1020_4080L >>> 56;
    }

    /**
     * MASKMOVQ / MASKMOVDQU: stores the bytes of the first operand whose mask byte (second
     * operand) has its top bit set, to DS:rDI. The selected range is probed for writing first.
     */
    static void maskmov(CpuCore c, Insn i) {
        boolean mmx = Sse.isMmx(i.o0());
        long lo, hi, mlo, mhi;
        if (mmx) {
            lo = c.mmx.get(Sse.mm(i.o0()));
            mlo = c.mmx.get(Sse.mm(i.o1()));
            hi = mhi = 0;
        } else {
            int d = x(i.o0()), s = x(i.o1());
            lo = c.xmm[d];
            hi = c.xmm[d + 1];
            mlo = c.xmm[s];
            mhi = c.xmm[s + 1];
        }
        long sel = byteSigns(mlo) | byteSigns(mhi) << 8;
        long a = i.asize() == 4 ? c.r[7] & 0xFFFF_FFFFL : c.r[7];
        if (i.seg() != Insn.SEG_NONE) a += i.seg() == Insn.SEG_FS ? c.fsBase : c.gsBase;
        if (sel != 0) {
            c.mmu.translate(a + Long.numberOfTrailingZeros(sel), Mmu.WRITE);
            c.mmu.translate(a + 63 - Long.numberOfLeadingZeros(sel), Mmu.WRITE);
            for (int k = 0; k < 16; k++) {
                if ((sel >>> k & 1) != 0) c.mmu.write8(a + k, (byte) ((k < 8 ? lo : hi) >>> (8 * (k & 7))));
            }
        }
        if (mmx) c.mmx.enter();
    }

    /** MOVDDUP: the low quadword (register or m64) into both halves. */
    static void movddup(CpuCore c, Insn i) {
        long v = Sse.low(c, i, i.o1(), 8);
        Sse.set(c, i.o0(), v, v);
    }

    /** MOVSLDUP (even dwords duplicated) and MOVSHDUP (odd dwords duplicated). */
    static void movDup(CpuCore c, Insn i, boolean odd) {
        long a = Sse.addr(c, i, true);
        long lo = Sse.lo(c, i, a), hi = Sse.hi(c, i, a);
        Sse.set(c, i.o0(), dupDwords(lo, odd), dupDwords(hi, odd));
    }

    private static long dupDwords(long v, boolean odd) {
        long d = odd ? v >>> 32 : v & 0xFFFF_FFFFL;
        return d | d << 32;
    }

    /**
     * PMOVSX/PMOVZX: {@code from}-byte elements of the low part of the source, sign- or
     * zero-extended to {@code to} bytes (SDM Vol. 2B PMOVSX). The memory form reads only the
     * bytes used, without an alignment requirement.
     */
    static void pmovx(CpuCore c, Insn i, int from, int to, boolean signed) {
        int n = 16 / to;
        long src = Sse.low(c, i, i.o1(), n * from);
        long lo = 0, hi = 0;
        int fromBits = from * 8, toBits = to * 8;
        long toMask = to == 8 ? -1L : (1L << toBits) - 1;
        for (int k = 0; k < n; k++) {
            long e = src >>> (k * fromBits);
            e = signed ? e << (64 - fromBits) >> (64 - fromBits) : e & ((1L << fromBits) - 1);
            e &= toMask;
            int bit = k * toBits;
            if (bit < 64) lo |= e << bit;
            else hi |= e << (bit - 64);
        }
        Sse.set(c, i.o0(), lo, hi);
    }
}
