package dev.nexa.kernel.syscall;

import dev.nexa.kernel.proc.WaitQueue;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.Stat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An epoll instance (fs/eventpoll.c): the interest list, keyed like Linux's by (file, fd), and
 * readiness computed on demand from each file's {@link OpenFile#poll}. A registration does not
 * keep its file alive; once the file's last reference is gone the entry disappears, as Linux
 * removes it when the file is released.
 * <p>
 * Edge-triggered entries (EPOLLET) are reported when their readiness bits differ from those
 * last reported: without wake-up callbacks, new data arriving at an already readable file is
 * not seen as a new edge (Linux would report it again).
 */
final class EpollFile extends OpenFile {
    static final int EPOLLIN = 0x001, EPOLLPRI = 0x002, EPOLLOUT = 0x004, EPOLLERR = 0x008, EPOLLHUP = 0x010,
            EPOLLRDHUP = 0x2000, EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30,
            EPOLLET = 1 << 31;
    /** Bits that select behaviour, not events. */
    static final int EP_PRIVATE_BITS = EPOLLWAKEUP | EPOLLONESHOT | EPOLLET | EPOLLEXCLUSIVE;

    private static int nextIno = 1;

    /** One registration. */
    static final class Entry {
        final int fd;
        final OpenFile file;
        int events;
        long data;
        /** EPOLLONESHOT fired: no more reports until EPOLL_CTL_MOD. */
        boolean disabled;
        int lastReported;

        Entry(int fd, OpenFile file, int events, long data) {
            this.fd = fd;
            this.file = file;
            this.events = events;
            this.data = data;
        }
    }

    private record Key(OpenFile file, int fd) {}

    private final Map<Key, Entry> interest = new LinkedHashMap<>();
    private final int ino = nextIno++;

    EpollFile(int flags) { super(O_RDWR | flags); }

    Entry find(OpenFile file, int fd) { return interest.get(new Key(file, fd)); }

    void add(Entry e) { interest.put(new Key(e.file, e.fd), e); }

    void remove(Entry e) { interest.remove(new Key(e.file, e.fd)); }

    /** Ready events, at most {@code max}, as (events, data) pairs; updates one-shot and edge state. */
    List<long[]> collect(int max) {
        List<long[]> out = new ArrayList<>();
        for (Entry e : List.copyOf(interest.values())) {
            if (e.file.references() == 0) {
                remove(e);
                continue;
            }
            if (e.disabled) continue;
            int filter = (e.events & ~EP_PRIVATE_BITS) | EPOLLERR | EPOLLHUP;
            int ready = e.file.poll(filter) & filter;
            if ((e.events & EPOLLET) != 0) {
                int edge = ready & ~e.lastReported;
                e.lastReported = ready;
                if (edge == 0) continue;
            }
            if (ready == 0) continue;
            if (out.size() >= max) break;
            out.add(new long[] {ready, e.data});
            if ((e.events & EPOLLONESHOT) != 0) e.disabled = true;
        }
        return out;
    }

    /** The wait queues of every watched file, for a blocking epoll_wait. */
    List<WaitQueue> queues() {
        List<WaitQueue> out = new ArrayList<>();
        for (Entry e : interest.values()) {
            WaitQueue q = e.file.waitQueue();
            if (q != null) out.add(q);
        }
        return out;
    }

    /** An epoll file is readable when one of its entries is ready (nested epoll, poll on epoll). */
    @Override
    public int poll(int events) {
        for (Entry e : interest.values()) {
            if (e.disabled || e.file.references() == 0) continue;
            int filter = (e.events & ~EP_PRIVATE_BITS) | EPOLLERR | EPOLLHUP;
            if ((e.file.poll(filter) & filter) != 0) return events & (POLLIN | POLLRDNORM);
        }
        return 0;
    }

    @Override
    public String path() { return "anon_inode:[eventpoll]"; }

    @Override
    public Stat stat() { return new Stat(0, 0x1000 + ino, 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0); }
}
