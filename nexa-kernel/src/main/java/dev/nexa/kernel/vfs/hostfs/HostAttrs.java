package dev.nexa.kernel.vfs.hostfs;

import dev.nexa.kernel.vfs.Inode;

import java.util.Map;

/** Copies a host lstat result into an inode's attribute fields. */
final class HostAttrs {
    private HostAttrs() {}

    static int mode(Map<String, Object> a) { return ((Number) a.get("mode")).intValue(); }

    static int uid(Map<String, Object> a) { return ((Number) a.get("uid")).intValue(); }

    static int gid(Map<String, Object> a) { return ((Number) a.get("gid")).intValue(); }

    static long ino(Map<String, Object> a) { return ((Number) a.get("ino")).longValue(); }

    static long dev(Map<String, Object> a) { return ((Number) a.get("dev")).longValue(); }

    static long size(Map<String, Object> a) { return ((Number) a.get("size")).longValue(); }

    /** Times, link count and device number, which the Inode constructor does not take. */
    static void apply(Inode in, Map<String, Object> a) {
        in.setNlink(((Number) a.get("nlink")).longValue());
        in.setTimes(HostFs.nanos(a, "lastAccessTime"), HostFs.nanos(a, "lastModifiedTime"), HostFs.nanos(a, "ctime"));
    }
}
