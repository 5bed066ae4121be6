package dev.nexa.kernel.vfs.tmpfs;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.FileInode;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tmpfs regular file: 4 KiB pages by index, missing ones being holes that read as zeros
 * (SEEK_DATA/SEEK_HOLE see them at page granularity, as shmem reports them). A file may start as
 * a read-only extent of another memory (the initramfs image) and is copied into pages when it is
 * first modified. Pages count against the file system's size limit while the file has a name.
 */
final class TmpFile extends FileInode {
    private static final int PAGE = TmpFs.PAGE;
    private static final MemorySegment ZERO = MemorySegment.ofArray(new byte[PAGE]);

    private final TreeMap<Long, byte[]> pages = new TreeMap<>();
    private MemorySegment extent;
    private long size;
    /** Unlinked: its pages no longer count against the limit. */
    private boolean detached;

    TmpFile(TmpFs fs, long ino, int mode, int uid, int gid, long nowNs) {
        super(fs, ino, mode, uid, gid, nowNs);
    }

    private TmpFs tmpfs() { return (TmpFs) fs(); }

    void setExtent(MemorySegment e) {
        extent = e;
        size = e.byteSize();
    }

    /** The file lost its last name: its memory stays until the last user lets go, uncounted. */
    void detach() {
        if (!detached) {
            tmpfs().release(pages.size());
            detached = true;
        }
    }

    @Override
    public long size() { return size; }

    @Override
    public long blocks() {
        if (extent != null) return (size + PAGE - 1) / PAGE * (PAGE / 512);
        return (long) pages.size() * (PAGE / 512);
    }

    @Override
    public long read(long pos, MemorySegment dst) {
        if (pos >= size) return 0;
        long n = Math.min(dst.byteSize(), size - pos);
        if (extent != null) {
            MemorySegment.copy(extent, pos, dst, 0, n);
            return n;
        }
        long done = 0;
        while (done < n) {
            long at = pos + done;
            int off = (int) (at & (PAGE - 1));
            int len = (int) Math.min(PAGE - off, n - done);
            byte[] page = pages.get(at / PAGE);
            if (page == null) dst.asSlice(done, len).fill((byte) 0);
            else MemorySegment.copy(page, off, dst, ValueLayout.JAVA_BYTE, done, len);
            done += len;
        }
        return n;
    }

    @Override
    public long write(long pos, MemorySegment src) throws ErrnoException {
        materialize();
        long n = src.byteSize();
        long done = 0;
        while (done < n) {
            long at = pos + done;
            int off = (int) (at & (PAGE - 1));
            int len = (int) Math.min(PAGE - off, n - done);
            byte[] page;
            try {
                page = page(at / PAGE);
            } catch (ErrnoException e) {
                if (done > 0) break;                            // a short write, as shmem_write_begin fails
                throw e;
            }
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, done, page, off, len);
            done += len;
        }
        size = Math.max(size, pos + done);
        return done;
    }

    private byte[] page(long index) throws ErrnoException {
        byte[] p = pages.get(index);
        if (p == null) {
            if (!detached) tmpfs().reserve(1);
            p = new byte[PAGE];
            pages.put(index, p);
        }
        return p;
    }

    /** The initramfs extent becomes private pages (all-zero pages stay holes). */
    private void materialize() throws ErrnoException {
        if (extent == null) return;
        MemorySegment e = extent;
        long n = (size + PAGE - 1) / PAGE;
        if (!detached) {
            tmpfs().reserve(n);                                   // fail before the extent is dropped
            tmpfs().release(n);
        }
        extent = null;
        for (long k = 0; k < n; k++) {
            long len = Math.min(PAGE, size - k * PAGE);
            MemorySegment src = e.asSlice(k * PAGE, len);
            if (src.mismatch(ZERO.asSlice(0, len)) == -1) continue;
            byte[] p = page(k);
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, 0, p, 0, (int) len);
        }
    }

    @Override
    public void truncate(long newSize) throws ErrnoException {
        materialize();
        long end = pages.isEmpty() ? size : Math.max(size, (pages.lastKey() + 1) * PAGE);
        if (newSize < end) zeroRange(newSize, end);
        size = newSize;
    }

    /** Drops whole pages in [from, to) and zeroes the partial ones at the edges. */
    private void zeroRange(long from, long to) {
        long firstWhole = (from + PAGE - 1) / PAGE, endWhole = to / PAGE;
        if (from % PAGE != 0) {
            byte[] p = pages.get(from / PAGE);
            if (p != null) java.util.Arrays.fill(p, (int) (from % PAGE), (int) Math.min(PAGE, to - from / PAGE * PAGE), (byte) 0);
        }
        if (to % PAGE != 0 && to / PAGE >= firstWhole) {
            byte[] p = pages.get(to / PAGE);
            if (p != null) java.util.Arrays.fill(p, 0, (int) (to % PAGE), (byte) 0);
        }
        if (endWhole > firstWhole) {
            Map<Long, byte[]> gone = pages.subMap(firstWhole, endWhole);
            if (!detached) tmpfs().release(gone.size());
            gone.clear();
        }
    }

    @Override
    public void allocate(long off, long len, boolean keepSize) throws ErrnoException {
        if (off < 0 || len <= 0 || off + len < 0) throw new ErrnoException(Errno.EINVAL);
        materialize();
        for (long k = off / PAGE; k <= (off + len - 1) / PAGE; k++) page(k);
        if (!keepSize) size = Math.max(size, off + len);
    }

    @Override
    public void punchHole(long off, long len) throws ErrnoException {
        if (off < 0 || len <= 0) throw new ErrnoException(Errno.EINVAL);
        materialize();
        zeroRange(off, Math.min(size, off + len < 0 ? Long.MAX_VALUE : off + len));
    }

    @Override
    public long seekData(long off) throws ErrnoException {
        if (off >= size) throw new ErrnoException(Errno.ENXIO);
        if (extent != null) return off;
        Long k = pages.ceilingKey(off / PAGE);
        if (k == null || k * PAGE >= size) throw new ErrnoException(Errno.ENXIO);
        return Math.max(off, k * PAGE);
    }

    @Override
    public long seekHole(long off) throws ErrnoException {
        if (off >= size) throw new ErrnoException(Errno.ENXIO);
        if (extent != null) return size;
        long k = off / PAGE;
        while (pages.containsKey(k)) k++;
        return Math.min(size, Math.max(off, k * PAGE));
    }
}
