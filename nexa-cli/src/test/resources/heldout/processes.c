/* fork, pipes, files, directories, signals and exec of /bin/sh. Written for HeldOutBuildTest.
 * argv[1] is a scratch directory; nothing printed depends on its name, pids or times. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile sig_atomic_t got;
static void on_usr1(int sig) { got = sig; }

static int cmp(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(int argc, char **argv) {
    if (argc < 2 || chdir(argv[1]) != 0) { fprintf(stderr, "usage: processes DIR\n"); return 2; }
    setvbuf(stdout, NULL, _IONBF, 0);

    /* a pipeline of two children */
    int p[2];
    if (pipe(p) != 0) return 3;
    pid_t w = fork();
    if (w == 0) { close(p[0]); for (int i = 0; i < 5; i++) dprintf(p[1], "line %d\n", i); _exit(7); }
    close(p[1]);
    char buf[256]; ssize_t n, total = 0;
    while ((n = read(p[0], buf + total, sizeof buf - 1 - (size_t)total)) > 0) total += n;
    buf[total] = 0;
    int st;
    waitpid(w, &st, 0);
    printf("child wrote %zd bytes, exited %d\n%s", total, WEXITSTATUS(st), buf);

    /* files and directories */
    mkdir("d", 0755);
    for (int i = 0; i < 4; i++) {
        char name[32];
        snprintf(name, sizeof name, "d/f%d", 3 - i);
        int fd = open(name, O_CREAT | O_WRONLY | O_TRUNC, 0644);
        dprintf(fd, "%d\n", i * i);
        close(fd);
    }
    rename("d/f0", "d/zero");
    symlink("zero", "d/link");
    DIR *dir = opendir("d");
    char *names[16]; int k = 0;
    for (struct dirent *e; (e = readdir(dir)) && k < 16;)
        if (e->d_name[0] != '.') names[k++] = strdup(e->d_name);
    closedir(dir);
    qsort(names, (size_t)k, sizeof *names, cmp);
    for (int i = 0; i < k; i++) {
        struct stat sb;
        lstat(names[i], &sb);
        char path[64];
        snprintf(path, sizeof path, "d/%s", names[i]);
        lstat(path, &sb);
        printf("%s %s %lld\n", names[i], S_ISLNK(sb.st_mode) ? "link" : "file", (long long)sb.st_size);
    }
    printf("rmdir non-empty: %s\n", rmdir("d") == 0 ? "ok" : strerror(errno));

    /* signals: a handler, a blocked signal, a child killed by a signal */
    signal(SIGUSR1, on_usr1);
    sigset_t set, old;
    sigemptyset(&set); sigaddset(&set, SIGUSR1);
    sigprocmask(SIG_BLOCK, &set, &old);
    kill(getpid(), SIGUSR1);
    printf("blocked: got %d\n", got);
    sigprocmask(SIG_SETMASK, &old, NULL);
    printf("unblocked: got %d\n", got);
    pid_t c = fork();
    if (c == 0) { pause(); _exit(0); }
    kill(c, SIGTERM);
    waitpid(c, &st, 0);
    printf("child signalled %d (%s)\n", WIFSIGNALED(st) ? WTERMSIG(st) : -1, strsignal(WTERMSIG(st)));

    /* exec /bin/sh from a child, reading its output through a pipe */
    pipe(p);
    c = fork();
    if (c == 0) {
        dup2(p[1], 1); close(p[0]); close(p[1]);
        execl("/bin/sh", "sh", "-c", "for x in a b c; do echo \"sh $x\"; done; cat d/zero; exit 3", (char *)NULL);
        _exit(127);
    }
    close(p[1]);
    total = 0;
    while ((n = read(p[0], buf + total, sizeof buf - 1 - (size_t)total)) > 0) total += n;
    buf[total] = 0;
    waitpid(c, &st, 0);
    printf("%ssh exited %d\n", buf, WEXITSTATUS(st));
    return 0;
}
