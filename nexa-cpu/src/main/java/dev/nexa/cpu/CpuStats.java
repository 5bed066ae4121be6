package dev.nexa.cpu;

/**
 * Execution counts of every CPU of one machine (all tasks, including those that have exited),
 * for {@code nexa run --stats}. Each {@link Cpu} adds its counts when a {@link Cpu#run} call
 * returns, so reading costs the run loop nothing.
 */
public final class CpuStats {
    private long instructions, blocks, chained, lookupMisses, decoded, tlbMisses;

    void add(long instructions, long blocks, long chained, long lookupMisses, long decoded, long tlbMisses) {
        this.instructions += instructions;
        this.blocks += blocks;
        this.chained += chained;
        this.lookupMisses += lookupMisses;
        this.decoded += decoded;
        this.tlbMisses += tlbMisses;
    }

    /** Guest instructions retired. */
    public long instructions() { return instructions; }

    /** Blocks executed (each a run of instructions ending at a branch, a page end or 64 instructions). */
    public long blocks() { return blocks; }

    /** Blocks found through their predecessor's successor link (direct chaining). */
    public long chained() { return chained; }

    /** Block look-ups that missed the per-CPU table (went to the shared cache or the decoder). */
    public long lookupMisses() { return lookupMisses; }

    /** Blocks decoded: decode-cache misses, including re-decodes after self-modifying code. */
    public long decoded() { return decoded; }

    /**
     * Software-TLB misses (page walks, page-crossing accesses included), from the CPUs' MMUs;
     * guest accesses on the fast path are not counted, so this is not a rate by itself.
     */
    public long tlbMisses() { return tlbMisses; }
}
