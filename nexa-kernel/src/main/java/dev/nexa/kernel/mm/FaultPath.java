package dev.nexa.kernel.mm;

/**
 * Which way {@link AddressSpace#handleFault} supplied the page when it returned
 * {@link FaultResult#RESOLVED} (mm/memory.c: do_anonymous_page, do_read_fault, do_wp_page).
 */
public enum FaultPath {
    /** An anonymous page: a fresh zeroed frame. */
    ZERO_FILL,
    /** A private file page: the file's bytes copied into a fresh frame. */
    FILE_COPY,
    /** A write to a shared copy-on-write page: the frame was copied. */
    COW_COPY,
    /** A write to a copy-on-write page with no other sharer: reused in place. */
    COW_REUSE,
    /** The page was present and allowed: the translation was re-installed. */
    REFRESH
}
