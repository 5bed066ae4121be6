package dev.nexa.cpu.exec;

/** Test access to the package-private RCP/RSQRT approximation. */
public final class ApproxAccess {
    private ApproxAccess() {}

    public static int rcp(int bits) { return Approx.of(bits, false); }

    public static int rsqrt(int bits) { return Approx.of(bits, true); }
}
