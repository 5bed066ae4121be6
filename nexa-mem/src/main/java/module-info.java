/** Guest physical RAM, frame allocation, x86-64 4-level page tables, the MMU walk and the TLB. */
module dev.nexa.mem {
    exports dev.nexa.mem;
}
