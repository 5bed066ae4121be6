package dev.nexa.kernel;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;

import static org.junit.jupiter.api.Assertions.*;

/** The guest's entropy comes from the host's /dev/urandom, across buffer refills. */
class HostRandomTest {
    @Test
    void bytesDifferBetweenDrawsAndAcrossRefills() {
        var r = new HostRandom();
        byte[] a = new byte[1000], b = new byte[1000];      // longer than the 256-byte buffer
        r.nextBytes(a);
        r.nextBytes(b);
        assertFalse(Arrays.equals(a, b));
        // 1000 uniform bytes show (nearly) every value; an all-zero or stuck buffer would not.
        var seen = new HashSet<Byte>();
        for (byte x : a) seen.add(x);
        assertTrue(seen.size() > 200, "distinct byte values: " + seen.size());
    }

    @Test
    void longsAndBoundedIntsVary() {
        var r = new HostRandom();
        var longs = new HashSet<Long>();
        for (int i = 0; i < 64; i++) longs.add(r.nextLong());
        assertEquals(64, longs.size());
        for (int i = 0; i < 100; i++) {
            int v = r.nextInt(10);
            assertTrue(v >= 0 && v < 10, "nextInt(10) = " + v);
        }
    }
}
