package dev.nexa.kernel.vfs;

import dev.nexa.kernel.proc.Process;

/**
 * The identity file operations are checked against: the effective ids (Linux's fsuid/fsgid), or
 * the real ids for access(2). uid 0 holds every capability (CAP_DAC_OVERRIDE, CAP_FOWNER, ...).
 */
public record Cred(int uid, int gid) {
    public static final Cred ROOT = new Cred(0, 0);

    /** The credentials of {@code p} for file access; kernel-internal calls (null) act as root. */
    public static Cred of(Process p) { return p == null ? ROOT : new Cred(p.euid, p.egid); }

    /** The real ids, which access(2) checks unless AT_EACCESS. */
    public static Cred real(Process p) { return p == null ? ROOT : new Cred(p.uid, p.gid); }

    /**
     * The user and group Nexa itself runs as on the host (the owner of the host's /proc/self),
     * or root when that cannot be told.
     */
    public static Cred host() {
        try {
            var p = java.nio.file.Path.of("/proc/self");
            int uid = (Integer) java.nio.file.Files.getAttribute(p, "unix:uid");
            int gid = (Integer) java.nio.file.Files.getAttribute(p, "unix:gid");
            return new Cred(uid, gid);
        } catch (java.io.IOException | RuntimeException e) {
            return ROOT;
        }
    }

    public boolean isRoot() { return uid == 0; }

    public boolean inGroup(int g) { return gid == g; }
}
