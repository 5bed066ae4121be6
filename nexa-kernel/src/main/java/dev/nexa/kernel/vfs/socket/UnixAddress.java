package dev.nexa.kernel.vfs.socket;

import dev.nexa.kernel.abi.Errno;
import dev.nexa.kernel.abi.ErrnoException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A struct sockaddr_un as af_unix keeps it (unix_mkname_bsd, unix_validate_addr): a path name,
 * or an abstract name (sun_path starting with a NUL byte, every following byte significant).
 *
 * @param path     the file system name, or null for an abstract address
 * @param abstractName the bytes after the leading NUL, or null for a path
 */
public record UnixAddress(String path, byte[] abstractName) {
    public static final int AF_UNSPEC = 0, AF_UNIX = 1;
    /** offsetof(struct sockaddr_un, sun_path) and sizeof(struct sockaddr_un). */
    public static final int PATH_OFFSET = 2, SIZE = 110;

    /**
     * Decodes the {@code len} bytes of a sockaddr the guest passed: EINVAL for a length outside
     * [2, 110] or another family; an address of just the family is null (autobind).
     */
    public static UnixAddress decode(byte[] raw) throws ErrnoException {
        if (raw.length < PATH_OFFSET || raw.length > SIZE) throw new ErrnoException(Errno.EINVAL);
        int family = (raw[0] & 0xff) | (raw[1] & 0xff) << 8;
        if (family != AF_UNIX) throw new ErrnoException(Errno.EINVAL);
        if (raw.length == PATH_OFFSET) return null;
        if (raw[PATH_OFFSET] == 0) return new UnixAddress(null, Arrays.copyOfRange(raw, PATH_OFFSET + 1, raw.length));
        int end = PATH_OFFSET;
        while (end < raw.length && raw[end] != 0) end++;
        return new UnixAddress(new String(raw, PATH_OFFSET, end - PATH_OFFSET, StandardCharsets.UTF_8), null);
    }

    public boolean isAbstract() { return path == null; }

    /** The sockaddr_un bytes getsockname reports: a path with its NUL, an abstract name as bound. */
    public byte[] encode() {
        byte[] name = isAbstract() ? abstractName : path.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[PATH_OFFSET + 1 + name.length];
        out[0] = AF_UNIX;
        System.arraycopy(name, 0, out, isAbstract() ? PATH_OFFSET + 1 : PATH_OFFSET, name.length);
        return out;
    }

    /** The address of an unbound socket: the family alone. */
    public static byte[] unnamed() { return new byte[] {AF_UNIX, 0}; }

    /** Abstract names compare as bytes (a key for maps). */
    String key() { return new String(abstractName, StandardCharsets.ISO_8859_1); }

    @Override
    public boolean equals(Object o) {
        return o instanceof UnixAddress u && java.util.Objects.equals(path, u.path) && Arrays.equals(abstractName, u.abstractName);
    }

    @Override
    public int hashCode() { return java.util.Objects.hashCode(path) * 31 + Arrays.hashCode(abstractName); }

    @Override
    public String toString() { return isAbstract() ? "@" + key() : path; }
}
