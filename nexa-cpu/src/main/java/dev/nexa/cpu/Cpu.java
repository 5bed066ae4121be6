package dev.nexa.cpu;

import dev.nexa.cpu.decode.Decoder;
import dev.nexa.cpu.decode.Insn;
import dev.nexa.cpu.exec.CpuCore;
import dev.nexa.cpu.exec.Engine;
import dev.nexa.cpu.exec.FxSave;
import dev.nexa.cpu.exec.GuestFault;
import dev.nexa.cpu.exec.Interpreter;
import dev.nexa.cpu.exec.Specializer;
import dev.nexa.cpu.exec.Uop;
import dev.nexa.mem.MemoryFault;
import dev.nexa.mem.Mmu;
import dev.nexa.mem.Paging;

/**
 * One x86-64 CPU in 64-bit user mode (CPL 3). The kernel sets registers, calls {@link #run}
 * with an instruction budget, and gets control back on SYSCALL, on a CPU exception, or when
 * the budget is spent. The CPU knows nothing of Linux.
 * <p>
 * Execution goes block by block: a block is found through its predecessor's successor links
 * (direct chaining), else by the physical address RIP translates to (a per-CPU direct-mapped
 * table in front of the shared {@link CodeCache}), decoded on a miss; then either its
 * {@link CompiledBlock} runs or the interpreter ({@link Engine}) runs its uops. Not
 * thread-safe: one host thread drives all CPUs of a machine.
 */
public final class Cpu {
    private static final int FAST_BITS = 12;
    private static final int FAST_MASK = (1 << FAST_BITS) - 1;

    private final CpuCore core;
    private final Mmu mmu;
    private final CodeCache cache;
    private final Decoder decoder;
    private final Decoder.Bytes fetch;
    private final Block[] fast = new Block[1 << FAST_BITS];
    private Fault fault;
    private long blocksRun, blockMisses, chained, decoded;
    /** What {@link #account} has already reported. */
    private long statBlocks, statChained, statMisses, statDecoded, statTlb;

    public Cpu(Mmu mmu, CodeCache cache) {
        this.mmu = mmu;
        this.cache = cache;
        this.core = new CpuCore(mmu);
        this.decoder = new Decoder();
        this.fetch = mmu::fetch8;
    }

    public Mmu mmu() { return mmu; }

    // ---- running -----------------------------------------------------------------------------

    /**
     * Runs until SYSCALL, a fault, or about {@code budget} more instructions have retired.
     * <p>
     * Within one call the address space cannot change (only the kernel changes mappings, and
     * it runs between calls), so a translation checked once stays good until the call returns:
     * the next block on the page of the previous one is found without the TLB, and a
     * successor link ({@link Block#next}, {@link Block#taken}) needs only its block's
     * {@code valid} bit and physical address checked.
     */
    public StopReason run(long budget) {
        CpuCore c = core;
        long begin = c.retired;
        long limit = c.retired + Math.max(1, budget);
        if (limit < 0) limit = Long.MAX_VALUE;
        c.stop = CpuCore.STOP_NONE;
        Block prev = null;
        long prevVa = 0;
        try {
            while (c.retired < limit) {
                long rip = c.rip;
                Block b;
                try {
                    b = prev == null ? lookup(rip, mmu.fetchPhysical(rip)) : successor(prev, prevVa, rip);
                } catch (MemoryFault f) {
                    return fault(f.vector(), f.errorCode(), f.address(), rip);
                }
                cache.executing(b);
                try {
                    CompiledBlock code = b.compiled;
                    if (code != null) code.run(c, rip);
                    else Engine.run(c, b.uops, rip);
                } catch (MemoryFault f) {
                    Uop u = b.uops[c.faultIndex];
                    c.retired += u.seq;
                    return fault(f.vector(), f.errorCode(), f.address(), rip + u.start);
                } catch (GuestFault f) {
                    Uop u = b.uops[c.faultIndex];
                    c.retired += u.seq;
                    return guestFault(f, rip + u.start, c.rip);
                } catch (CodeCache.CodeModified m) {
                    Uop u = b.uops[c.faultIndex];
                    c.retired += u.seq;
                    c.rip = rip + u.start;
                    StopReason r = stepUncached();
                    if (r != null) return r;
                    prev = null;
                    continue;
                }
                c.retired += b.insns.length;
                blocksRun++;
                if (b.runs < Integer.MAX_VALUE) b.runs++;
                if (c.stop != CpuCore.STOP_NONE) return StopReason.SYSCALL;
                prev = b;
                prevVa = rip;
            }
            return StopReason.BUDGET;
        } finally {
            cache.executing(null);
            account(c.retired - begin);
        }
    }

    /** The block at {@code rip} after {@code prev} (which started at {@code prevVa}): chained when possible. */
    private Block successor(Block prev, long prevVa, long rip) {
        long page = prevVa & ~Paging.PAGE_MASK;
        long pa = rip - page >= 0 && rip - page < Paging.PAGE_SIZE
                ? (prev.pa & ~Paging.PAGE_MASK) + (rip - page)
                : mmu.fetchPhysical(rip);
        Block n = prev.next;
        if (n != null && n.pa == pa && n.valid) {
            chained++;
            return n;
        }
        n = prev.taken;
        if (n != null && n.pa == pa && n.valid) {
            chained++;
            return n;
        }
        n = lookup(rip, pa);
        if (n.pa2 < 0) {
            Block old = prev.next;
            if (old == null || !old.valid) prev.next = n;
            else prev.taken = n;
        }
        return n;
    }

    /**
     * Executes the instruction at RIP without caching it: the recovery path after a block
     * overwrote its own code (its frame is unwatched until the next decode).
     */
    private StopReason stepUncached() {
        CpuCore c = core;
        long rip = c.rip;
        cache.executing(null);
        try {
            Insn i = decoder.decode(fetch, rip, 0);
            c.rip = rip + i.len();
            Interpreter.exec(c, i);
            c.retired++;
        } catch (MemoryFault f) {
            return fault(f.vector(), f.errorCode(), f.address(), rip);
        } catch (GuestFault f) {
            return guestFault(f, rip, c.rip);
        }
        return c.stop != CpuCore.STOP_NONE ? StopReason.SYSCALL : null;
    }

    private StopReason fault(int vector, int errorCode, long address, long rip) {
        core.rip = rip;
        fault = new Fault(vector, errorCode, address, rip);
        return StopReason.FAULT;
    }

    private StopReason guestFault(GuestFault f, long rip, long nextRip) {
        // #BP is a trap: it reports the address after INT3. Everything else is a fault.
        long at = f.vector() == GuestFault.BP ? nextRip : rip;
        if (f.vector() == GuestFault.BP) core.retired++;
        return fault(f.vector(), f.errorCode(), f.address(), at);
    }

    /** The block at {@code rip}, physical address {@code pa}: the per-CPU table, the shared cache, or a new decode. */
    private Block lookup(long rip, long pa) {
        int h = (int) (pa ^ (pa >>> 14)) & FAST_MASK;
        Block b = fast[h];
        if (b != null && b.pa == pa && b.valid && (b.pa2 < 0 || secondPageMatches(b, rip))) return b;
        blockMisses++;
        b = cache.get(pa);
        if (b == null || !b.valid || b.pa2 >= 0 && !secondPageMatches(b, rip)) {
            b = build(rip, pa);
            cache.put(b);
            decoded++;
        }
        fast[h] = b;
        return b;
    }

    private boolean secondPageMatches(Block b, long rip) {
        return mmu.fetchPhysical(Paging.pageDown(rip) + Paging.PAGE_SIZE) == b.pa2;
    }

    private Block build(long rip, long pa) {
        Insn[] buf = new Insn[Block.MAX_INSNS];
        int n = 0, off = 0;
        long pageEnd = Paging.pageDown(rip) + Paging.PAGE_SIZE;
        long pa2 = -1;
        while (n < Block.MAX_INSNS) {
            Insn i;
            try {
                i = decoder.decode(fetch, rip + off, off);
            } catch (MemoryFault f) {
                if (n == 0) throw f;
                break;          // fault when (if) execution gets there
            }
            buf[n++] = i;
            off += i.len();
            if (rip + off > pageEnd) {
                pa2 = mmu.fetchPhysical(pageEnd);
                break;
            }
            if (i.op().endsBlock || rip + off == pageEnd) break;
        }
        Insn[] insns = new Insn[n];
        System.arraycopy(buf, 0, insns, 0, n);
        Uop[] uops = new Uop[n];
        for (int k = 0; k < n; k++) uops[k] = Specializer.uop(insns[k], k);
        return new Block(pa, pa2, insns, Specializer.fuse(uops), off);
    }

    /** Adds this CPU's counts since the last call to the machine's {@link CpuStats}. */
    private void account(long instructions) {
        CpuStats s = cache.stats();
        long tlb = mmu.tlbMisses();
        s.add(instructions, blocksRun - statBlocks, chained - statChained, blockMisses - statMisses,
                decoded - statDecoded, tlb - statTlb);
        statBlocks = blocksRun;
        statChained = chained;
        statMisses = blockMisses;
        statDecoded = decoded;
        statTlb = tlb;
    }

    /** Forgets the per-CPU block lookup table (after the address space changed wholesale). */
    public void flushBlockLookup() { java.util.Arrays.fill(fast, null); }

    // ---- state -------------------------------------------------------------------------------

    /** The exception behind the last {@link StopReason#FAULT}. */
    public Fault fault() { return fault; }

    public long reg(int n) { return core.r[n]; }

    public void setReg(int n, long v) { core.r[java.util.Objects.checkIndex(n, 16)] = v; }

    public long rip() { return core.rip; }

    public void setRip(long rip) { core.rip = rip; }

    public long rflags() { return core.rflags(); }

    public void setRflags(long v) { core.setRflags(v); }

    public long fsBase() { return core.fsBase; }

    public void setFsBase(long v) { core.fsBase = v; }

    public long gsBase() { return core.gsBase; }

    public void setGsBase(long v) { core.gsBase = v; }

    public long xmmLow(int n) { return core.xmm[2 * n]; }

    public long xmmHigh(int n) { return core.xmm[2 * n + 1]; }

    public void setXmm(int n, long low, long high) {
        core.xmm[2 * n] = low;
        core.xmm[2 * n + 1] = high;
    }

    public int mxcsr() { return core.mxcsr; }

    public void setMxcsr(int v) { core.mxcsr = v; }

    /** The x87 control word (FCW). */
    public int fpuControl() { return core.fcw; }

    /** The x87 status word (FSW, TOP included): with {@link #fpuControl} it gives SIGFPE's si_code. */
    public int fpuStatus() { return core.fpuStatus(); }

    /**
     * Writes the x87, MMX and SSE state as the 512-byte FXSAVE64 image (SDM Vol. 1 §10.5.1,
     * Table 10-2; Linux's {@code struct _fpstate_64}): bytes 0-415 are written, 416-511 are left
     * as they are (the kernel puts its software-reserved bytes there).
     */
    public void saveFxState(byte[] area512) {
        checkFxArea(area512);
        FxSave.save(core, area512, true);
    }

    /**
     * Loads the x87, MMX and SSE state from an FXSAVE64 image, as FXRSTOR64 would.
     *
     * @throws IllegalArgumentException when the area is not 512 bytes or MXCSR has a reserved bit
     *         set (FXRSTOR would raise #GP; sigreturn then fails with SIGSEGV)
     */
    public void restoreFxState(byte[] area512) {
        checkFxArea(area512);
        int mxcsr = (area512[24] & 0xFF) | (area512[25] & 0xFF) << 8 | (area512[26] & 0xFF) << 16
                | (area512[27] & 0xFF) << 24;
        if (!FxSave.validMxcsr(mxcsr)) {
            throw new IllegalArgumentException("MXCSR 0x%x has reserved bits set (MXCSR_MASK 0x%x)"
                    .formatted(mxcsr, FxSave.MXCSR_MASK));
        }
        FxSave.restore(core, area512, true);
    }

    private static void checkFxArea(byte[] area) {
        if (area.length != 512) throw new IllegalArgumentException("FXSAVE area must be 512 bytes, got " + area.length);
    }

    /** Instructions retired since this CPU was created. */
    public long instructions() { return core.retired; }

    public long blocksRun() { return blocksRun; }

    public long blockLookupMisses() { return blockMisses; }

    /** Copies every register (general, flags, segment bases, SSE, x87) from another CPU (fork). */
    public void copyStateFrom(Cpu other) {
        CpuCore o = other.core;
        System.arraycopy(o.r, 0, core.r, 0, 16);
        System.arraycopy(o.xmm, 0, core.xmm, 0, 32);
        core.rip = o.rip;
        core.setRflags(o.rflags());
        core.fsBase = o.fsBase;
        core.gsBase = o.gsBase;
        core.mxcsr = o.mxcsr;
        FxSave.save(o, o.fxImage, true);
        FxSave.restore(core, o.fxImage, true);
        core.fpuCs = o.fpuCs;
        core.fpuDs = o.fpuDs;
    }

    /** Architectural reset for exec: zero registers, default flags/MXCSR, the x87 as after FNINIT. */
    public void reset() {
        java.util.Arrays.fill(core.r, 0);
        java.util.Arrays.fill(core.xmm, 0);
        core.setRflags(0x202);
        core.fsBase = 0;
        core.gsBase = 0;
        resetFpuState();
    }

    // ---- FPU/SSE state as FXSAVE lays it out (signal frames) -----------------------------------

    /** Size of the FXSAVE image (SDM Vol. 1 §10.5.1, Table 10-2). */
    public static final int FXSAVE_SIZE = 512;

    /**
     * Writes the whole x87/MMX/SSE state in 64-bit FXSAVE format into {@code area} (at least
     * 512 bytes; bytes 464..511, software-available, are zeroed): what Linux puts in a signal
     * frame's fpstate.
     */
    public void saveFpuState(byte[] area) {
        if (area.length < FXSAVE_SIZE) throw new IllegalArgumentException("FXSAVE area needs 512 bytes");
        byte[] image = new byte[FXSAVE_SIZE];
        saveFxState(image);
        System.arraycopy(image, 0, area, 0, FXSAVE_SIZE);
        java.util.Arrays.fill(area, 464, FXSAVE_SIZE, (byte) 0);
    }

    /**
     * Loads the state {@link #saveFpuState} writes, as FXRSTOR does. Returns false, changing
     * nothing, when MXCSR has a reserved bit set (FXRSTOR raises #GP for that; Linux then
     * refuses the signal frame).
     */
    public boolean restoreFpuState(byte[] area) {
        if (area.length < FXSAVE_SIZE) throw new IllegalArgumentException("FXSAVE area needs 512 bytes");
        try {
            restoreFxState(java.util.Arrays.copyOf(area, FXSAVE_SIZE));
            return true;
        } catch (IllegalArgumentException badMxcsr) {
            return false;
        }
    }

    /**
     * The FPU/SSE init state, Linux's init_fpstate: FNINIT, MXCSR 0x1F80, and every x87/MMX and
     * XMM register zero (FNINIT alone only empties the tags). How Linux starts a signal handler
     * (fpu__clear_user_states) and a new program.
     */
    public void resetFpuState() {
        java.util.Arrays.fill(core.xmm, 0);
        core.mxcsr = 0x1F80;
        core.fninit();
        for (var r : core.fpr) r.set(0, 0);
    }

    /** Test and JIT access to the internal state. */
    public CpuCore core() { return core; }
}
