package dev.nexa.kernel.vfs.socket;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.proc.Blocked;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.proc.WaitQueue;
import dev.nexa.kernel.vfs.Cred;
import dev.nexa.kernel.vfs.Dentry;
import dev.nexa.kernel.vfs.Inode;
import dev.nexa.kernel.vfs.InodeFile;
import dev.nexa.kernel.vfs.Mount;
import dev.nexa.kernel.vfs.PathRef;
import dev.nexa.kernel.vfs.Stat;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * An AF_UNIX socket (net/unix/af_unix.c) of type SOCK_STREAM, SOCK_DGRAM or SOCK_SEQPACKET,
 * entirely inside the guest: a connection is a pair of sockets each queueing what the other
 * sent; a listener keeps the server ends of connections not yet accepted. Stream sends are
 * limited by the receiver's queue (the default socket buffer); datagrams keep their boundaries.
 * <p>
 * Differences from Linux: a blocking stream send that does not fit returns short once part of
 * it is queued; no descriptor or credential passing (SCM_RIGHTS, SCM_CREDENTIALS); sockets of
 * the host are never reached (connecting to a host socket file is ECONNREFUSED).
 */
public final class UnixSocket extends InodeFile {
    public static final int SOCK_STREAM = 1, SOCK_DGRAM = 2, SOCK_SEQPACKET = 5;
    public static final int MSG_PEEK = 2, MSG_TRUNC = 0x20, MSG_DONTWAIT = 0x40, MSG_NOSIGNAL = 0x4000;
    /** sk_shutdown bits. */
    public static final int RCV_SHUTDOWN = 1, SEND_SHUTDOWN = 2, SHUTDOWN_MASK = 3;
    /** net.core.wmem_default: how much one socket may have queued at its receiver. */
    public static final int BUFFER = 212992;
    /** net.core.somaxconn. */
    static final int SOMAXCONN = 4096;
    static final int FIONREAD = 0x541B, POLLRDHUP = 0x2000;

    /** A queued datagram, or a stream write; {@code from} is the sender's bound address (or null). */
    private record Message(byte[] data, UnixAddress from) {}

    /** SO_PEERCRED: who was at the other end when the connection was made (struct ucred). */
    public record PeerCred(int pid, int uid, int gid) {
        public static PeerCred of(Task t) {
            return t == null ? new PeerCred(0, 0, 0) : new PeerCred(t.process().pid(), t.process().euid, t.process().egid);
        }
    }

    /** What a receive got: the bytes, the message's full length (for MSG_TRUNC), the sender. */
    public record Received(byte[] data, int fullLength, UnixAddress from) {}

    private final int type;
    private final UnixNames names;
    private final WaitQueue queue = new WaitQueue();
    private final ArrayDeque<Message> rx = new ArrayDeque<>();
    /** Bytes of the first queued stream message already read. */
    private int rxOffset;
    private long rxBytes;
    private UnixSocket peer;
    private boolean connected, listening, closed;
    private int backlogMax;
    private final ArrayDeque<UnixSocket> backlog = new ArrayDeque<>();
    private int shutdown;
    /** sk_err: set when the peer went away with data unread (ECONNRESET), reported once. */
    private Errno pendingError;
    private UnixAddress address;
    private Inode boundInode;
    private PeerCred cred, peerCred;

    private UnixSocket(PathRef where, int type, int flags, UnixNames names) {
        super(where, flags | O_RDWR);
        this.type = type;
        this.names = names;
    }

    /** socket(2): a new unconnected socket with its sockfs inode owned by {@code cred}. */
    public static UnixSocket create(Mount sockfs, UnixNames names, int type, int statusFlags, Cred cred, long nowNs) {
        var fs = sockfs.fs();
        Inode inode = new Inode(fs, fs.nextIno(), Stat.S_IFSOCK | 0777, cred.uid(), cred.gid(), nowNs) {};
        PathRef where = new PathRef(sockfs, new Dentry("socket:[" + inode.ino() + "]", sockfs.root(), inode));
        return new UnixSocket(where, type, statusFlags, names);
    }

    /** socketpair(2): two sockets connected to each other. */
    public static UnixSocket[] pair(Mount sockfs, UnixNames names, int type, int statusFlags, Task t, long nowNs) {
        Cred c = Cred.of(t == null ? null : t.process());
        UnixSocket a = create(sockfs, names, type, statusFlags, c, nowNs), b = create(sockfs, names, type, statusFlags, c, nowNs);
        a.link(b);
        a.peerCred = b.peerCred = PeerCred.of(t);
        return new UnixSocket[] {a, b};
    }

    private void link(UnixSocket other) {
        peer = other;
        other.peer = this;
        connected = other.connected = true;
    }

    public int type() { return type; }

    public boolean listening() { return listening; }

    public UnixAddress address() { return address; }

    public PeerCred peerCred() { return peerCred; }

    /** The connected peer's bound address (getpeername); ENOTCONN when not connected. */
    public UnixAddress peerAddress() throws ErrnoException {
        if (peer == null || !connected && type != SOCK_DGRAM) throw new ErrnoException(Errno.ENOTCONN);
        return peer.address;
    }

    public boolean hasPeer() { return peer != null; }

    @Override
    public String path() { return location.dentry().name(); }

    // ---- naming ----------------------------------------------------------------------------------

    /** bind(2) to an abstract name, or (null) autobind; EINVAL when already bound. */
    public void bindAbstract(UnixAddress a) throws ErrnoException {
        if (address != null) throw new ErrnoException(Errno.EINVAL);
        if (a == null) {
            address = names.autobind(this);
            return;
        }
        names.bindAbstract(a, this);
        address = a;
    }

    /** bind(2) to the socket inode the caller just created for {@code a}'s path. */
    public void bindPath(UnixAddress a, Inode inode) {
        address = a;
        boundInode = inode;
        names.bindInode(inode, this);
    }

    public boolean bound() { return address != null; }

    // ---- connection setup -------------------------------------------------------------------------

    /** listen(2): only bound stream and seqpacket sockets, not connected ones. */
    public void listen(int backlog, Task t) throws ErrnoException {
        if (type == SOCK_DGRAM) throw new ErrnoException(Errno.EOPNOTSUPP);
        if (address == null || connected) throw new ErrnoException(Errno.EINVAL);
        backlogMax = Math.max(0, Math.min(backlog < 0 ? SOMAXCONN : backlog, SOMAXCONN));
        listening = true;
        cred = PeerCred.of(t);
        queue.wakeAll();
    }

    /**
     * connect(2) of a stream or seqpacket socket to {@code server} (unix_stream_connect): the
     * server end of the connection waits in the listener's backlog until accepted.
     */
    public void connectStream(UnixSocket server, Task t, long nowNs) throws ErrnoException {
        if (connected) throw new ErrnoException(Errno.EISCONN);
        if (listening) throw new ErrnoException(Errno.EINVAL);
        if (server.type != type) throw new ErrnoException(Errno.EPROTOTYPE);
        if (server.closed || !server.listening) throw new ErrnoException(Errno.ECONNREFUSED);
        if (server.backlog.size() > server.backlogMax) {
            if (nonBlocking()) throw new ErrnoException(Errno.EAGAIN);
            throw Blocked.on(server.queue);
        }
        Mount sockfs = location.mount();
        Inode in = location.inode();
        UnixSocket embryo = create(sockfs, names, type, 0, new Cred(in.uid(), in.gid()), nowNs);
        embryo.address = server.address;
        embryo.peerCred = PeerCred.of(t);
        peerCred = server.cred;
        link(embryo);
        server.backlog.add(embryo);
        server.queue.wakeAll();
    }

    /** accept(2): the oldest pending connection; EAGAIN or a wait when there is none. */
    public UnixSocket accept(int statusFlags) throws ErrnoException {
        if (!listening) throw new ErrnoException(Errno.EINVAL);
        UnixSocket s = backlog.poll();
        if (s == null) {
            if (nonBlocking()) throw new ErrnoException(Errno.EAGAIN);
            throw Blocked.on(queue);
        }
        s.setStatusFlags(statusFlags);
        queue.wakeAll();          // a connect waiting for backlog room
        return s;
    }

    /** connect(2) of a datagram socket: the default destination (null: AF_UNSPEC, disconnect). */
    public void connectDgram(UnixSocket dest) throws ErrnoException {
        if (dest != null && dest.type != type) throw new ErrnoException(Errno.EPROTOTYPE);
        peer = dest;
    }

    /** shutdown(2): this side's bits, and the mirrored ones on a connected peer. */
    public void shutdown(int how) throws ErrnoException {
        if (how < 0 || how > 2) throw new ErrnoException(Errno.EINVAL);
        if (!connected && !(type == SOCK_DGRAM && peer != null)) throw new ErrnoException(Errno.ENOTCONN);
        int mode = how + 1;
        shutdown |= mode;
        if (type != SOCK_DGRAM && peer != null) {
            int peerMode = (mode & RCV_SHUTDOWN) != 0 ? SEND_SHUTDOWN : 0;
            if ((mode & SEND_SHUTDOWN) != 0) peerMode |= RCV_SHUTDOWN;
            peer.shutdown |= peerMode;
            peer.queue.wakeAll();
        }
        queue.wakeAll();
    }

    // ---- data -------------------------------------------------------------------------------------

    /**
     * sendmsg: a stream queues what fits at the peer (at least one byte, or waits), datagrams and
     * seqpackets go whole or not at all. {@code dest} is a sendto address (datagrams only).
     */
    public long send(byte[] data, int flags, UnixSocket dest) throws ErrnoException {
        boolean nonblock = nonBlocking() || (flags & MSG_DONTWAIT) != 0;
        if (type == SOCK_DGRAM) {
            UnixSocket to = dest != null ? dest : peer;
            if (to == null) throw new ErrnoException(Errno.ENOTCONN);
            if (to.closed) throw new ErrnoException(Errno.ECONNREFUSED);
            if (to.type != type) throw new ErrnoException(Errno.EPROTOTYPE);
            if (data.length > BUFFER) throw new ErrnoException(Errno.EMSGSIZE);
            if (to.rxBytes + data.length > BUFFER) {
                if (nonblock) throw new ErrnoException(Errno.EAGAIN);
                throw Blocked.on(to.queue);
            }
            to.enqueue(data, address);
            return data.length;
        }
        if (dest != null) throw new ErrnoException(connected ? Errno.EISCONN : Errno.EOPNOTSUPP);
        if (!connected) throw new ErrnoException(Errno.ENOTCONN);
        if ((shutdown & SEND_SHUTDOWN) != 0 || peer.closed || (peer.shutdown & RCV_SHUTDOWN) != 0) {
            throw new ErrnoException(Errno.EPIPE);
        }
        if (type == SOCK_SEQPACKET && data.length > BUFFER) throw new ErrnoException(Errno.EMSGSIZE);
        long room = BUFFER - peer.rxBytes;
        boolean fits = type == SOCK_SEQPACKET ? room >= data.length : room > 0;
        if (!fits) {
            if (nonblock) throw new ErrnoException(Errno.EAGAIN);
            throw Blocked.on(peer.queue, queue);
        }
        int n = (int) Math.min(data.length, room);
        peer.enqueue(n == data.length ? data : Arrays.copyOf(data, n), address);
        return n;
    }

    private void enqueue(byte[] data, UnixAddress from) {
        rx.add(new Message(data, from));
        rxBytes += data.length;
        queue.wakeAll();
    }

    /** recvmsg: a stream takes up to {@code max} bytes across writes; a datagram or seqpacket one message. */
    public Received receive(int max, int flags) throws ErrnoException {
        boolean nonblock = nonBlocking() || (flags & MSG_DONTWAIT) != 0;
        boolean peek = (flags & MSG_PEEK) != 0;
        if (type != SOCK_DGRAM && !connected) throw new ErrnoException(type == SOCK_STREAM ? Errno.EINVAL : Errno.ENOTCONN);
        if (pendingError != null) {
            Errno e = pendingError;
            pendingError = null;
            throw new ErrnoException(e);
        }
        if (rx.isEmpty()) {
            if ((shutdown & RCV_SHUTDOWN) != 0 || max == 0) return new Received(new byte[0], 0, null);
            if (nonblock) throw new ErrnoException(Errno.EAGAIN);
            throw Blocked.on(queue);
        }
        if (type != SOCK_STREAM) {
            Message m = peek ? rx.peek() : rx.poll();
            if (!peek) rxBytes -= m.data.length;
            wakePeerWriters();
            int n = Math.min(max, m.data.length);
            return new Received(Arrays.copyOf(m.data, n), m.data.length, m.from);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        UnixAddress from = rx.peek().from;
        int offset = rxOffset;
        for (Message m : rx) {
            if (out.size() >= max) break;
            int n = Math.min(max - out.size(), m.data.length - offset);
            out.write(m.data, offset, n);
            offset = 0;
        }
        byte[] b = out.toByteArray();
        if (!peek) consume(b.length);
        wakePeerWriters();
        return new Received(b, b.length, from);
    }

    /** Drops {@code n} bytes from the front of a stream's queue. */
    private void consume(int n) {
        while (n > 0) {
            Message first = rx.peek();
            int avail = first.data.length - rxOffset;
            if (n >= avail) {
                rx.poll();
                rxOffset = 0;
                rxBytes -= avail;
                n -= avail;
            } else {
                rxOffset += n;
                rxBytes -= n;
                n = 0;
            }
        }
    }

    private void wakePeerWriters() {
        queue.wakeAll();
        if (peer != null) peer.queue.wakeAll();
    }

    // ---- file operations ----------------------------------------------------------------------------

    @Override
    public long read(Task task, long va, long len) throws ErrnoException {
        Received r = receive((int) Math.min(len, Integer.MAX_VALUE - 8), 0);
        task.memory().write(va, r.data());
        return r.data().length;
    }

    @Override
    public long write(Task task, long va, long len) throws ErrnoException {
        byte[] data = task.memory().read(va, (int) Math.min(len, BUFFER));
        return send(data, 0, null);
    }

    @Override
    public long read(MemorySegment dst) throws ErrnoException {
        Received r = receive((int) Math.min(dst.byteSize(), Integer.MAX_VALUE - 8), 0);
        MemorySegment.copy(r.data(), 0, dst, ValueLayout.JAVA_BYTE, 0, r.data().length);
        return r.data().length;
    }

    @Override
    public long write(MemorySegment src) throws ErrnoException {
        return send(src.toArray(ValueLayout.JAVA_BYTE), 0, null);
    }

    @Override
    public long ioctl(Task task, int request, long arg) throws ErrnoException {
        if (request == FIONREAD) {
            long n = type == SOCK_STREAM ? rxBytes : rx.isEmpty() ? 0 : rx.peek().data.length;
            task.memory().writeInt(arg, (int) n);
            return 0;
        }
        return super.ioctl(task, request, arg);
    }

    /** unix_poll / unix_dgram_poll. */
    @Override
    public int poll(int events) {
        int mask = 0;
        if (listening) return (backlog.isEmpty() ? 0 : POLLIN | POLLRDNORM) & events;
        if (pendingError != null) mask |= POLLERR;
        if (shutdown == SHUTDOWN_MASK) mask |= POLLHUP;
        if ((shutdown & RCV_SHUTDOWN) != 0) mask |= POLLRDHUP | POLLIN | POLLRDNORM;
        if (!rx.isEmpty()) mask |= POLLIN | POLLRDNORM;
        if (type != SOCK_DGRAM && !connected) mask |= POLLHUP;
        UnixSocket to = peer;
        boolean writable = to == null ? type == SOCK_DGRAM || !connected : to.closed || to.rxBytes < BUFFER;
        if (writable) mask |= POLLOUT | POLLWRNORM;
        return mask & (events | POLLERR | POLLHUP);
    }

    @Override
    public WaitQueue waitQueue() { return queue; }

    /** unix_release_sock: unbind, hang up the peer (ECONNRESET if we leave data unread), drop embryos. */
    @Override
    protected void release() throws ErrnoException {
        closed = true;
        names.unbind(this, address, boundInode);
        if (peer != null && type != SOCK_DGRAM && peer.peer == this) {
            peer.shutdown = SHUTDOWN_MASK;
            if (!rx.isEmpty()) peer.pendingError = Errno.ECONNRESET;
            peer.queue.wakeAll();
        }
        for (UnixSocket embryo : backlog) embryo.release();
        backlog.clear();
        rx.clear();
        rxBytes = 0;
        queue.wakeAll();
    }
}
