/* Hostile guest behaviours for HostileGuestTest: each mode reports what the kernel answered. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *name(int e) {
    switch (e) {
    case 0: return "OK";
    case ENOMEM: return "ENOMEM";
    case EAGAIN: return "EAGAIN";
    case EMFILE: return "EMFILE";
    case ENFILE: return "ENFILE";
    case EINVAL: return "EINVAL";
    default: return strerror(e);
    }
}

static int try_mmap(size_t len, int extra) {
    void *p = mmap(0, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | extra, -1, 0);
    if (p == MAP_FAILED) return errno;
    munmap(p, len);
    return 0;
}

int main(int argc, char **argv) {
    const char *mode = argc > 1 ? argv[1] : "";
    size_t mib = argc > 2 ? strtoull(argv[2], 0, 0) : 0;
    if (!strcmp(mode, "mmap")) {                 /* mmap MIB: one private writable mapping of MIB MiB */
        printf("mmap %zu MiB: %s\n", mib, name(try_mmap(mib << 20, 0)));
        printf("mmap %zu MiB noreserve: %s\n", mib, name(try_mmap(mib << 20, MAP_NORESERVE)));
        return 0;
    }
    if (!strcmp(mode, "brk")) {                  /* brk MIB: grow the heap by MIB MiB */
        void *old = sbrk(0);
        void *r = sbrk((intptr_t) (mib << 20));
        printf("sbrk %zu MiB: %s\n", mib, name(r == (void *) -1 ? errno : 0));
        printf("break unchanged: %s\n", r == (void *) -1 && sbrk(0) == old ? "yes" : "no");
        return 0;
    }
    if (!strcmp(mode, "touch")) {                /* touch MIB: map MIB MiB in 8 MiB pieces, then write every page */
        /* Each piece alone fits the guest's memory, so the overcommit heuristic promises it; together they do not. */
        size_t piece = 8 << 20, n = (mib << 20) / piece;
        char *p[64];
        for (size_t k = 0; k < n && k < 64; k++) {
            p[k] = mmap(0, piece, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            if (p[k] == MAP_FAILED) { printf("mmap: %s\n", name(errno)); return 1; }
        }
        printf("mapped\n");
        fflush(stdout);
        for (size_t k = 0; k < n && k < 64; k++)
            for (size_t i = 0; i < piece; i += 4096) p[k][i] = 1;
        printf("touched all\n");
        return 0;
    }
    if (!strcmp(mode, "forks")) {                /* forks: fork until refused, then clean up */
        static pid_t kids[100000];
        int n = 0, e = 0;
        for (;;) {
            pid_t c = fork();
            if (c == 0) { pause(); _exit(0); }
            if (c < 0) { e = errno; break; }
            kids[n++] = c;
        }
        printf("fork refused after %d children: %s\n", n, name(e));
        for (int i = 0; i < n; i++) kill(kids[i], SIGKILL);
        int reaped = 0;
        while (wait(0) > 0) reaped++;
        printf("reaped %d\n", reaped);
        return 0;
    }
    if (!strcmp(mode, "forkbomb")) {             /* forkbomb: every process forks forever */
        for (;;) fork();
    }
    if (!strcmp(mode, "fds")) {                  /* fds: open until refused */
        int n = 0, e = 0;
        for (;;) {
            int fd = open("/dev/null", O_RDONLY);
            if (fd < 0) { e = errno; break; }
            n++;
        }
        printf("open refused after %d descriptors: %s\n", n, name(e));
        printf("pipe: %s\n", name(pipe((int[2]){0, 0}) < 0 ? errno : 0));
        close(3);
        printf("after close: %s\n", name(open("/dev/null", O_RDONLY) == 3 ? 0 : errno));
        return 0;
    }
    if (!strcmp(mode, "spin")) {                 /* spin: burn CPU forever */
        for (volatile unsigned long i = 0;; i++) { }
    }
    if (!strcmp(mode, "sleep")) {                /* sleep: block forever */
        for (;;) pause();
    }
    fprintf(stderr, "unknown mode %s\n", mode);
    return 2;
}
