/* Host-compatibility probe: AF_UNIX sockets, POSIX timers, extended attributes.
   Prints one line per check; run natively and under Nexa, the output must be identical. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t fired, fired_value;

static void on_timer(int sig, siginfo_t *si, void *uc) {
    (void) sig; (void) uc;
    fired++;
    fired_value = si->si_value.sival_int;
}

static void sockets(const char *dir) {
    int sv[2];
    char buf[64];
    printf("socketpair stream: %d\n", socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
    printf("write: %zd\n", write(sv[0], "ping", 4));
    printf("read: %zd\n", read(sv[1], buf, sizeof buf));
    close(sv[0]);
    printf("read after close: %zd\n", read(sv[1], buf, sizeof buf));
    close(sv[1]);

    printf("socketpair dgram: %d\n", socketpair(AF_UNIX, SOCK_DGRAM, 0, sv));
    send(sv[0], "ab", 2, 0);
    send(sv[0], "cde", 3, 0);
    printf("dgram 1: %zd\n", recv(sv[1], buf, sizeof buf, 0));
    printf("dgram 2: %zd\n", recv(sv[1], buf, sizeof buf, 0));
    close(sv[0]);
    close(sv[1]);

    int bad = socket(AF_INET6 + 40, SOCK_STREAM, 0);
    printf("bad family: %d %s\n", bad, strerror(errno));

    struct sockaddr_un a = {.sun_family = AF_UNIX};
    snprintf(a.sun_path, sizeof a.sun_path, "%s/sock", dir);
    int srv = socket(AF_UNIX, SOCK_STREAM, 0);
    printf("bind: %d\n", bind(srv, (struct sockaddr *) &a, sizeof a));
    int again = bind(socket(AF_UNIX, SOCK_STREAM, 0), (struct sockaddr *) &a, sizeof a);
    printf("bind again: %d %s\n", again, strerror(errno));
    printf("listen: %d\n", listen(srv, 4));
    fflush(stdout);
    pid_t child = fork();
    if (child == 0) {
        int c = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(c, (struct sockaddr *) &a, sizeof a) != 0) _exit(2);
        write(c, "hello from child", 16);
        _exit(0);
    }
    int conn = accept(srv, NULL, NULL);
    ssize_t n = 0, k;
    while ((k = read(conn, buf + n, sizeof buf - n)) > 0) n += k;
    int st;
    waitpid(child, &st, 0);
    printf("accepted: %.*s (child status %d)\n", (int) n, buf, WEXITSTATUS(st));
    unlink(a.sun_path);
}

static void timers(void) {
    struct sigaction sa = {.sa_sigaction = on_timer, .sa_flags = SA_SIGINFO};
    sigaction(SIGUSR1, &sa, NULL);
    struct sigevent ev = {.sigev_notify = SIGEV_SIGNAL, .sigev_signo = SIGUSR1, .sigev_value.sival_int = 77};
    timer_t id;
    printf("timer_create: %d\n", timer_create(CLOCK_MONOTONIC, &ev, &id));
    struct itimerspec its = {.it_value = {0, 20000000}, .it_interval = {0, 20000000}};
    printf("timer_settime: %d\n", timer_settime(id, 0, &its, NULL));
    while (fired < 3) pause();
    struct itimerspec cur;
    timer_gettime(id, &cur);
    printf("fired >= 3 with value %d, interval %ld ns\n", fired_value, cur.it_interval.tv_nsec);
    printf("timer_delete: %d\n", timer_delete(id));
    int del = timer_delete(id);
    printf("timer_delete again: %d %s\n", del, strerror(errno));
    int bad = timer_create(12345, &ev, &id);
    printf("bad clock: %d %s\n", bad, strerror(errno));
}

static void xattrs(const char *dir) {
    char path[300], buf[64];
    snprintf(path, sizeof path, "%s/file", dir);
    fclose(fopen(path, "w"));
    ssize_t r = lgetxattr("/usr/bin", "user.nothing", buf, sizeof buf);
    printf("lgetxattr user.nothing: %zd %s\n", r, r < 0 ? strerror(errno) : "");
    r = lgetxattr("/proc/self/status", "security.selinux", buf, sizeof buf);
    printf("lgetxattr on /proc: %zd %s\n", r, r < 0 ? strerror(errno) : "");
    r = getxattr(path, "", buf, sizeof buf);
    printf("empty name: %zd %s\n", r, r < 0 ? strerror(errno) : "");
    r = listxattr("/bin", buf, sizeof buf);
    printf("listxattr /bin: %zd\n", r);
    unlink(path);
}

int main(int argc, char **argv) {
    const char *dir = argc > 1 ? argv[1] : "/tmp";
    setvbuf(stdout, NULL, _IOLBF, 0);
    sockets(dir);
    timers();
    xattrs(dir);
    return 0;
}
