package dev.nexa.kernel;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.random.RandomGenerator;

/**
 * The guest's entropy (AT_RANDOM, getrandom(2), /dev/urandom) read straight from the host's
 * /dev/urandom, the source {@code SecureRandom}'s default NativePRNG reads as well. Made
 * directly because {@code new SecureRandom()} first loads the security providers and a message
 * digest: tens of milliseconds of a hello world's start-up (docs/performance.md, "Start-up").
 */
final class HostRandom implements RandomGenerator {
    private final byte[] buf = new byte[256];
    private int pos = buf.length;
    private InputStream in;

    @Override
    public synchronized void nextBytes(byte[] bytes) {
        for (int i = 0; i < bytes.length; ) {
            if (pos == buf.length) refill();
            int k = Math.min(bytes.length - i, buf.length - pos);
            System.arraycopy(buf, pos, bytes, i, k);
            pos += k;
            i += k;
        }
    }

    @Override
    public long nextLong() {
        byte[] b = new byte[8];
        nextBytes(b);
        long v = 0;
        for (byte x : b) v = v << 8 | (x & 0xff);
        return v;
    }

    private void refill() {
        try {
            if (in == null) in = new FileInputStream("/dev/urandom");
            int n = 0;
            while (n < buf.length) {
                int r = in.read(buf, n, buf.length - n);
                if (r < 0) throw new IOException("end of file");
                n += r;
            }
            pos = 0;
        } catch (IOException e) {
            throw new UncheckedIOException("host /dev/urandom: " + e.getMessage(), e);
        }
    }
}
