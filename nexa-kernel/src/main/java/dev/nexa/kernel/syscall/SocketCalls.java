package dev.nexa.kernel.syscall;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.abi.Signal;
import dev.nexa.kernel.proc.Task;
import dev.nexa.kernel.vfs.Cred;
import dev.nexa.kernel.vfs.FdTable;
import dev.nexa.kernel.vfs.OpenFile;
import dev.nexa.kernel.vfs.PathRef;
import dev.nexa.kernel.vfs.Permission;
import dev.nexa.kernel.vfs.Stat;
import dev.nexa.kernel.vfs.Vfs;
import dev.nexa.kernel.vfs.socket.UnixAddress;
import dev.nexa.kernel.vfs.socket.UnixSocket;

import java.io.ByteArrayOutputStream;

import static dev.nexa.kernel.abi.Sysno.*;
import static dev.nexa.kernel.syscall.ArgFormat.*;

/**
 * The socket calls (net/socket.c) for the one family Nexa has, AF_UNIX (net/unix/af_unix.c);
 * every other family is EAFNOSUPPORT, as on a kernel built without it. The argument handling
 * is the generic layer's: sockaddr lengths (move_addr_to_kernel/user), socket type flags,
 * ENOTSOCK for other descriptors, SIGPIPE on EPIPE unless MSG_NOSIGNAL.
 */
final class SocketCalls {
    private SocketCalls() {}

    static final int AF_MAX = 46, PF_UNIX = 1, SOCK_RAW = 3, SOCK_MAX = 11, SOCK_TYPE_MASK = 0xf;
    static final int SOCK_NONBLOCK = OpenFile.O_NONBLOCK, SOCK_CLOEXEC = OpenFile.O_CLOEXEC;
    /** sizeof(struct sockaddr_storage). */
    static final int SOCKADDR_MAX = 128;
    static final int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_BROADCAST = 6, SO_SNDBUF = 7,
            SO_RCVBUF = 8, SO_KEEPALIVE = 9, SO_PRIORITY = 12, SO_LINGER = 13, SO_PASSCRED = 16, SO_PEERCRED = 17,
            SO_RCVTIMEO = 20, SO_SNDTIMEO = 21, SO_ACCEPTCONN = 30, SO_SNDBUFFORCE = 32, SO_RCVBUFFORCE = 33,
            SO_PROTOCOL = 38, SO_DOMAIN = 39;
    static final int MSG_TRUNC = UnixSocket.MSG_TRUNC, MSG_NOSIGNAL = UnixSocket.MSG_NOSIGNAL;
    static final int SCM_RIGHTS = 1;

    static void register(SyscallTable t) {
        t.add(SOCKET, (task, a) -> socket(task, a.i(0), a.i(1), a.i(2)), INT, CODE, INT);
        t.add(SOCKETPAIR, SocketCalls::socketpair, INT, CODE, INT, PTR);
        t.add(BIND, SocketCalls::bind, FD, PTR, INT);
        t.add(LISTEN, (task, a) -> {
            sock(task, a.i(0)).listen(a.i(1), task);
            return 0;
        }, FD, INT);
        t.add(ACCEPT, (task, a) -> accept(task, a.i(0), a.l(1), a.l(2), 0), FD, PTR, PTR);
        t.add(ACCEPT4, (task, a) -> accept(task, a.i(0), a.l(1), a.l(2), a.i(3)), FD, PTR, PTR, CODE);
        t.add(CONNECT, SocketCalls::connect, FD, PTR, INT);
        t.add(SHUTDOWN, (task, a) -> {
            sock(task, a.i(0)).shutdown(a.i(1));
            return 0;
        }, FD, INT);
        // len is a size_t: compared unsigned, so a "negative" one is huge and is cut to what one send takes.
        t.add(SENDTO, (task, a) -> sendto(task, a.i(0), task.memory().read(a.l(1), (int) a.size(2, UnixSocket.BUFFER * 4L)),
                a.i(3), a.l(4), a.i(5)), FD, BUF_IN, SIZE, CODE, PTR, INT);
        t.add(RECVFROM, SocketCalls::recvfrom, FD, BUF_OUT, SIZE, CODE, PTR, PTR);
        t.add(SENDMSG, SocketCalls::sendmsg, FD, PTR, CODE);
        t.add(RECVMSG, SocketCalls::recvmsg, FD, PTR, CODE);
        t.add(GETSOCKNAME, (task, a) -> {
            UnixSocket s = sock(task, a.i(0));
            writeAddr(task, s.address(), a.l(1), a.l(2));
            return 0;
        }, FD, PTR, PTR);
        t.add(GETPEERNAME, (task, a) -> {
            UnixSocket s = sock(task, a.i(0));
            writeAddr(task, s.peerAddress(), a.l(1), a.l(2));
            return 0;
        }, FD, PTR, PTR);
        t.add(GETSOCKOPT, SocketCalls::getsockopt, FD, INT, INT, PTR, PTR);
        t.add(SETSOCKOPT, SocketCalls::setsockopt, FD, INT, INT, PTR, INT);
    }

    private static UnixSocket sock(Task t, int fd) throws ErrnoException {
        if (t.process().files().get(fd) instanceof UnixSocket s) return s;
        throw new ErrnoException(Errno.ENOTSOCK);
    }

    /** The type word of socket/socketpair: the kind in the low bits, SOCK_NONBLOCK/SOCK_CLOEXEC above. */
    private static int kind(int family, int type, int protocol) throws ErrnoException {
        int kind = type & SOCK_TYPE_MASK;
        if ((type & ~SOCK_TYPE_MASK & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) throw new ErrnoException(Errno.EINVAL);
        if (family < 0 || family >= AF_MAX) throw new ErrnoException(Errno.EAFNOSUPPORT);
        if (kind >= SOCK_MAX) throw new ErrnoException(Errno.EINVAL);
        if (family != UnixAddress.AF_UNIX) throw new ErrnoException(Errno.EAFNOSUPPORT);
        if (protocol != 0 && protocol != PF_UNIX) throw new ErrnoException(Errno.EPROTONOSUPPORT);
        return switch (kind) {
            case UnixSocket.SOCK_STREAM, UnixSocket.SOCK_DGRAM, UnixSocket.SOCK_SEQPACKET -> kind;
            case SOCK_RAW -> UnixSocket.SOCK_DGRAM;                 // unix_create: raw is datagram
            default -> throw new ErrnoException(Errno.ESOCKTNOSUPPORT);
        };
    }

    static long socket(Task t, int family, int type, int protocol) throws ErrnoException {
        int kind = kind(family, type, protocol);
        Vfs vfs = t.kernel().vfs();
        UnixSocket s = UnixSocket.create(vfs.socketMount(), vfs.unixNames(), kind, type & SOCK_NONBLOCK,
                Cred.of(t.process()), vfs.now());
        return install(t, s, (type & SOCK_CLOEXEC) != 0);
    }

    private static int install(Task t, OpenFile f, boolean cloexec) throws ErrnoException {
        try {
            return t.process().files().install(f, cloexec);
        } catch (ErrnoException e) {
            f.close();
            throw e;
        }
    }

    static long socketpair(Task t, Args a) throws ErrnoException {
        int kind = kind(a.i(0), a.i(1), a.i(2));
        Vfs vfs = t.kernel().vfs();
        UnixSocket[] pair = UnixSocket.pair(vfs.socketMount(), vfs.unixNames(), kind, a.i(1) & SOCK_NONBLOCK, t, vfs.now());
        boolean cloexec = (a.i(1) & SOCK_CLOEXEC) != 0;
        FdTable files = t.process().files();
        int first = install(t, pair[0], cloexec);
        int second;
        try {
            second = install(t, pair[1], cloexec);
        } catch (ErrnoException e) {
            files.close(first);
            throw e;
        }
        try {
            t.memory().writeInt(a.l(3), first);
            t.memory().writeInt(a.l(3) + 4, second);
        } catch (ErrnoException e) {
            files.close(first);
            files.close(second);
            throw e;
        }
        return 0;
    }

    /** move_addr_to_kernel: a sockaddr of at most sizeof(sockaddr_storage) bytes. */
    private static byte[] readAddr(Task t, long addr, int len) throws ErrnoException {
        if (len < 0 || len > SOCKADDR_MAX) throw new ErrnoException(Errno.EINVAL);
        return len == 0 ? new byte[0] : t.memory().read(addr, len);
    }

    /** move_addr_to_user: as much of the address as fits, and its real length; an unbound socket is just AF_UNIX. */
    private static void writeAddr(Task t, UnixAddress a, long addr, long lenAddr) throws ErrnoException {
        writeRawAddr(t, a == null ? UnixAddress.unnamed() : a.encode(), addr, lenAddr);
    }

    private static void writeRawAddr(Task t, byte[] raw, long addr, long lenAddr) throws ErrnoException {
        int len = t.memory().readInt(lenAddr);
        if (len < 0) throw new ErrnoException(Errno.EINVAL);
        int n = Math.min(len, raw.length);
        if (n > 0) t.memory().write(addr, raw, 0, n);
        t.memory().writeInt(lenAddr, raw.length);
    }

    static long bind(Task t, Args a) throws ErrnoException {
        UnixSocket s = sock(t, a.i(0));
        UnixAddress addr = UnixAddress.decode(readAddr(t, a.l(1), a.i(2)));
        if (addr == null || addr.isAbstract()) {
            s.bindAbstract(addr);
            return 0;
        }
        if (s.bound()) throw new ErrnoException(Errno.EINVAL);
        Vfs vfs = t.kernel().vfs();
        // unix_bind_bsd: the socket file is made like mknod(S_IFSOCK); an existing name is EADDRINUSE.
        try {
            vfs.mknod(t.process(), Vfs.AT_FDCWD, addr.path(), Stat.S_IFSOCK | 0777, 0);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EEXIST) throw new ErrnoException(Errno.EADDRINUSE);
            throw e;
        }
        PathRef ref = vfs.resolve(t.process(), Vfs.AT_FDCWD, addr.path(), Vfs.AT_SYMLINK_NOFOLLOW);
        s.bindPath(addr, ref.inode());
        return 0;
    }

    /**
     * The socket bound to {@code addr} (unix_find_other): for a path, the lookup's own errors,
     * EACCES without write permission, ECONNREFUSED when no guest socket listens there.
     */
    private static UnixSocket find(Task t, UnixAddress addr) throws ErrnoException {
        Vfs vfs = t.kernel().vfs();
        UnixSocket other;
        if (addr.isAbstract()) {
            other = vfs.unixNames().bound(addr);
        } else {
            PathRef ref = vfs.resolve(t.process(), Vfs.AT_FDCWD, addr.path(), 0);
            Permission.check(Cred.of(t.process()), ref, Permission.MAY_WRITE);
            if (ref.inode().type() != Stat.S_IFSOCK) throw new ErrnoException(Errno.ECONNREFUSED);
            other = vfs.unixNames().bound(ref.inode());
        }
        if (other == null) throw new ErrnoException(Errno.ECONNREFUSED);
        return other;
    }

    static long connect(Task t, Args a) throws ErrnoException {
        UnixSocket s = sock(t, a.i(0));
        byte[] raw = readAddr(t, a.l(1), a.i(2));
        if (s.type() == UnixSocket.SOCK_DGRAM) {
            // unix_dgram_connect: AF_UNSPEC breaks the association
            if (raw.length >= 2 && raw[0] == UnixAddress.AF_UNSPEC && raw[1] == 0) {
                s.connectDgram(null);
                return 0;
            }
            UnixAddress addr = UnixAddress.decode(raw);
            if (addr == null) throw new ErrnoException(Errno.EINVAL);
            s.connectDgram(find(t, addr));
            return 0;
        }
        UnixAddress addr = UnixAddress.decode(raw);
        if (addr == null) throw new ErrnoException(Errno.EINVAL);
        s.connectStream(find(t, addr), t, t.kernel().vfs().now());
        return 0;
    }

    static long accept(Task t, int fd, long addr, long lenAddr, int flags) throws ErrnoException {
        if ((flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC)) != 0) throw new ErrnoException(Errno.EINVAL);
        UnixSocket listener = sock(t, fd);
        if (listener.type() == UnixSocket.SOCK_DGRAM) throw new ErrnoException(Errno.EOPNOTSUPP);
        UnixSocket s = listener.accept(flags & SOCK_NONBLOCK);
        int newFd = install(t, s, (flags & SOCK_CLOEXEC) != 0);
        if (addr != 0) {
            try {
                writeAddr(t, s.peerAddress(), addr, lenAddr);
            } catch (ErrnoException e) {
                t.process().files().close(newFd);
                throw e;
            }
        }
        return newFd;
    }

    private static long send(Task t, UnixSocket s, byte[] data, int flags, UnixSocket dest) throws ErrnoException {
        try {
            return s.send(data, flags, dest);
        } catch (ErrnoException e) {
            if (e.errno() == Errno.EPIPE && (flags & MSG_NOSIGNAL) == 0) t.kernel().signals().sendTask(t, Signal.SIGPIPE);
            throw e;
        }
    }

    static long sendto(Task t, int fd, byte[] data, int flags, long addr, int len) throws ErrnoException {
        UnixSocket s = sock(t, fd);
        UnixSocket dest = null;
        if (addr != 0 && len != 0) {
            UnixAddress a = UnixAddress.decode(readAddr(t, addr, len));
            if (s.type() != UnixSocket.SOCK_DGRAM) throw new ErrnoException(s.hasPeer() ? Errno.EISCONN : Errno.EOPNOTSUPP);
            if (a == null) throw new ErrnoException(Errno.EINVAL);
            dest = find(t, a);
        }
        return send(t, s, data, flags, dest);
    }

    static long recvfrom(Task t, Args a) throws ErrnoException {
        UnixSocket s = sock(t, a.i(0));
        int flags = a.i(3);
        UnixSocket.Received r = s.receive((int) a.size(2, Integer.MAX_VALUE - 8), flags);
        t.memory().write(a.l(1), r.data());
        if (a.l(4) != 0 && a.l(5) != 0) writeRawAddr(t, r.from() == null ? new byte[0] : r.from().encode(), a.l(4), a.l(5));
        return (flags & MSG_TRUNC) != 0 ? r.fullLength() : r.data().length;
    }

    /** struct msghdr offsets: name, namelen, iov, iovlen, control, controllen, flags. */
    static final int MH_NAME = 0, MH_NAMELEN = 8, MH_IOV = 16, MH_IOVLEN = 24, MH_CONTROL = 32, MH_CONTROLLEN = 40,
            MH_FLAGS = 48;

    private static long[][] iovecs(Task t, long msg) throws ErrnoException {
        long iov = t.memory().readLong(msg + MH_IOV), count = t.memory().readLong(msg + MH_IOVLEN);
        if (count < 0 || count > IoCalls.IOV_MAX) throw new ErrnoException(Errno.EMSGSIZE);
        long[][] v = new long[(int) count][];
        long total = 0;
        for (int k = 0; k < count; k++) {
            long base = t.memory().readLong(iov + 16L * k), len = t.memory().readLong(iov + 16L * k + 8);
            if (len < 0 || (total += len) > IoCalls.MAX_RW) throw new ErrnoException(Errno.EINVAL);
            v[k] = new long[] {base, len};
        }
        return v;
    }

    static long sendmsg(Task t, Args a) throws ErrnoException {
        UnixSocket s = sock(t, a.i(0));
        long msg = a.l(1);
        if (t.memory().readLong(msg + MH_CONTROLLEN) != 0) {
            // Descriptor and credential passing are not modelled: refuse rather than drop them.
            throw new ErrnoException(Errno.EOPNOTSUPP);
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        for (long[] v : iovecs(t, msg)) {
            if (v[1] > 0) data.writeBytes(t.memory().read(v[0], (int) Math.min(v[1], UnixSocket.BUFFER * 4L)));
        }
        return sendto(t, a.i(0), data.toByteArray(), a.i(2), t.memory().readLong(msg + MH_NAME),
                t.memory().readInt(msg + MH_NAMELEN));
    }

    static long recvmsg(Task t, Args a) throws ErrnoException {
        UnixSocket s = sock(t, a.i(0));
        long msg = a.l(1);
        int flags = a.i(2);
        long[][] iov = iovecs(t, msg);
        long room = 0;
        for (long[] v : iov) room += v[1];
        UnixSocket.Received r = s.receive((int) Math.min(room, Integer.MAX_VALUE - 8), flags);
        byte[] d = r.data();
        int at = 0;
        for (long[] v : iov) {
            if (at >= d.length) break;
            int n = (int) Math.min(v[1], d.length - at);
            t.memory().write(v[0], d, at, n);
            at += n;
        }
        long name = t.memory().readLong(msg + MH_NAME);
        if (name != 0) {
            byte[] from = r.from() == null ? new byte[0] : r.from().encode();
            int len = Math.min(t.memory().readInt(msg + MH_NAMELEN), from.length);
            if (len > 0) t.memory().write(name, from, 0, len);
            t.memory().writeInt(msg + MH_NAMELEN, from.length);
        }
        t.memory().writeLong(msg + MH_CONTROLLEN, 0);
        t.memory().writeInt(msg + MH_FLAGS, r.fullLength() > d.length ? MSG_TRUNC : 0);
        return (flags & MSG_TRUNC) != 0 ? r.fullLength() : d.length;
    }

    /** sock_getsockopt for the SOL_SOCKET options af_unix users ask about; unix has no other level. */
    static long getsockopt(Task t, Args a) throws ErrnoException {
        UnixSocket s = sock(t, a.i(0));
        if (a.i(1) != SOL_SOCKET) throw new ErrnoException(Errno.EOPNOTSUPP);
        int len = t.memory().readInt(a.l(4));
        if (len < 0) throw new ErrnoException(Errno.EINVAL);
        byte[] v = switch (a.i(2)) {
            case SO_TYPE -> intValue(s.type());
            case SO_DOMAIN -> intValue(UnixAddress.AF_UNIX);
            case SO_ACCEPTCONN -> intValue(s.listening() ? 1 : 0);
            case SO_SNDBUF, SO_RCVBUF -> intValue(UnixSocket.BUFFER);
            case SO_ERROR, SO_PROTOCOL, SO_PASSCRED, SO_REUSEADDR, SO_KEEPALIVE, SO_BROADCAST, SO_PRIORITY -> intValue(0);
            case SO_RCVTIMEO, SO_SNDTIMEO -> new byte[16];
            case SO_LINGER -> new byte[8];
            case SO_PEERCRED -> {
                UnixSocket.PeerCred c = s.peerCred();
                var b = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
                if (c == null) b.putInt(0).putInt(-1).putInt(-1);
                else b.putInt(c.pid()).putInt(c.uid()).putInt(c.gid());
                yield b.array();
            }
            default -> throw new ErrnoException(Errno.ENOPROTOOPT);
        };
        int n = Math.min(len, v.length);
        t.memory().write(a.l(3), v, 0, n);
        t.memory().writeInt(a.l(4), n);
        return 0;
    }

    private static byte[] intValue(int v) {
        return new byte[] {(byte) v, (byte) (v >> 8), (byte) (v >> 16), (byte) (v >> 24)};
    }

    /** sock_setsockopt: the common SOL_SOCKET options are accepted (buffer sizes and timeouts have no effect). */
    static long setsockopt(Task t, Args a) throws ErrnoException {
        sock(t, a.i(0));
        if (a.i(1) != SOL_SOCKET) throw new ErrnoException(Errno.EOPNOTSUPP);
        int optlen = a.i(4);
        return switch (a.i(2)) {
            case SO_REUSEADDR, SO_KEEPALIVE, SO_SNDBUF, SO_RCVBUF, SO_PASSCRED, SO_BROADCAST, SO_PRIORITY,
                 SO_SNDBUFFORCE, SO_RCVBUFFORCE -> {
                if (optlen < 4) throw new ErrnoException(Errno.EINVAL);
                yield 0;
            }
            case SO_RCVTIMEO, SO_SNDTIMEO -> {
                if (optlen < 16) throw new ErrnoException(Errno.EINVAL);
                yield 0;
            }
            case SO_LINGER -> {
                if (optlen < 8) throw new ErrnoException(Errno.EINVAL);
                yield 0;
            }
            default -> throw new ErrnoException(Errno.ENOPROTOOPT);
        };
    }
}
