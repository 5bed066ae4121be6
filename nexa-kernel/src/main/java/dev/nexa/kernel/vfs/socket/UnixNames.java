package dev.nexa.kernel.vfs.socket;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;
import dev.nexa.kernel.vfs.Inode;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The bound AF_UNIX sockets of one kernel (af_unix's bsd and abstract hash tables): a path-bound
 * socket is found through the socket inode its bind created, an abstract one by its name.
 */
public final class UnixNames {
    private final Map<Inode, UnixSocket> byInode = new IdentityHashMap<>();
    private final Map<String, UnixSocket> byName = new HashMap<>();
    private int nextAuto = 1;

    /** unix_find_bsd's last step: the socket bound to {@code inode}, or null. */
    public UnixSocket bound(Inode inode) { return byInode.get(inode); }

    /** unix_find_abstract: the socket bound to the abstract name, or null. */
    public UnixSocket bound(UnixAddress abstractAddress) { return byName.get(abstractAddress.key()); }

    void bindInode(Inode inode, UnixSocket s) { byInode.put(inode, s); }

    void bindAbstract(UnixAddress a, UnixSocket s) throws ErrnoException {
        if (byName.putIfAbsent(a.key(), s) != null) throw new ErrnoException(Errno.EADDRINUSE);
    }

    /** unix_autobind: the next free abstract name of five hex digits. */
    UnixAddress autobind(UnixSocket s) throws ErrnoException {
        for (int tries = 0; tries < 0x100000; tries++) {
            String n = String.format("%05x", nextAuto);
            nextAuto = (nextAuto + 1) & 0xFFFFF;
            UnixAddress a = new UnixAddress(null, n.getBytes(StandardCharsets.US_ASCII));
            if (!byName.containsKey(a.key())) {
                byName.put(a.key(), s);
                return a;
            }
        }
        throw new ErrnoException(Errno.ENOSPC);
    }

    void unbind(UnixSocket s, UnixAddress a, Inode inode) {
        if (inode != null) byInode.remove(inode, s);
        if (a != null && a.isAbstract()) byName.remove(a.key(), s);
    }
}
