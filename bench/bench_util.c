/* Helpers for the bench programs (see bench_util.h). */
#include "bench_util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

double bench_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

uint64_t bench_env_size(const char *name, uint64_t dflt)
{
    const char *v = getenv(name);
    if (!v || !*v) {
        return dflt;
    }
    char *end;
    errno = 0;
    unsigned long long n = strtoull(v, &end, 0);
    if (errno || end == v) {
        return dflt;
    }
    switch (*end) {
    case 'k': case 'K': n <<= 10; break;
    case 'm': case 'M': n <<= 20; break;
    case 'g': case 'G': n <<= 30; break;
    default: break;
    }
    return (uint64_t)n;
}

double bench_best(int (*fn)(void *), void *arg)
{
    double best = -1.0;
    for (int i = 0; i < 3; i++) {
        double t0 = bench_now();
        if (fn(arg) != 0) {
            return -1.0;
        }
        double t = bench_now() - t0;
        if (best < 0 || t < best) {
            best = t;
        }
        if (i == 0 && t >= BENCH_SHORT_RUN_S) {
            break;
        }
    }
    return best;
}

double bench_memcpy_seconds(uint64_t bytes)
{
    const size_t chunk = 64u << 20;
    uint8_t *src = malloc(chunk), *dst = malloc(chunk);
    if (!src || !dst) {
        free(src);
        free(dst);
        return -1.0;
    }
    /* Fault both buffers in first so the copy measures memory bandwidth. */
    for (size_t i = 0; i < chunk; i++) {
        src[i] = (uint8_t)(i * 131u + 7u);
    }
    memset(dst, 0, chunk);
    double best = -1.0;
    volatile uint8_t sink = 0;
    for (int rep = 0; rep < 3; rep++) {
        double t0 = bench_now();
        for (uint64_t done = 0; done < bytes; done += chunk) {
            size_t n = bytes - done < chunk ? (size_t)(bytes - done) : chunk;
            memcpy(dst, src, n);
            sink ^= dst[(done / chunk) % n];
        }
        double t = bench_now() - t0;
        if (best < 0 || t < best) {
            best = t;
        }
    }
    (void)sink;
    free(src);
    free(dst);
    return best;
}

static double run_once(char *const argv[], int *exit_code)
{
    double t0 = bench_now();
    pid_t pid = fork();
    if (pid < 0) {
        return -1.0;
    }
    if (pid == 0) {
        int fd = open("/dev/null", O_WRONLY);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
            close(fd);
        }
        execv(argv[0], argv);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0) {
        if (errno != EINTR) {
            return -1.0;
        }
    }
    double t = bench_now() - t0;
    *exit_code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return *exit_code == 127 ? -1.0 : t;
}

double bench_cmd_seconds(char *const argv[], int *exit_code)
{
    double best = -1.0;
    int code = 0;
    for (int i = 0; i < 3; i++) {
        double t = run_once(argv, &code);
        if (t < 0) {
            *exit_code = code;
            return -1.0;
        }
        if (best < 0 || t < best) {
            best = t;
        }
        if (i == 0 && t >= BENCH_SHORT_RUN_S) {
            break;
        }
    }
    *exit_code = code;
    return best;
}

bool bench_have(const char *path)
{
    return access(path, X_OK) == 0;
}

uint64_t bench_peak_rss(void)
{
    struct rusage ru;
    if (getrusage(RUSAGE_SELF, &ru) != 0) {
        return 0;
    }
    return (uint64_t)ru.ru_maxrss * 1024u;   /* Linux: kilobytes */
}

/* Free bytes of the file system holding dir (0 when unknown). */
static uint64_t free_bytes(const char *dir)
{
    struct statvfs sv;
    if (statvfs(dir, &sv) != 0) {
        return 0;
    }
    return (uint64_t)sv.f_bavail * (uint64_t)sv.f_frsize;
}

int bench_tmpdir(char *path, size_t len, const char *tag, uint64_t need)
{
    const char *t = getenv("TMPDIR");
    if (!t || !*t) {
        t = "/tmp";
    }
    int n = snprintf(path, len, "%s/dumpbench-%s.XXXXXX", t, tag);
    if (n < 0 || (size_t)n >= len) {
        return -1;
    }
    if (!mkdtemp(path)) {
        return -1;
    }
    if (free_bytes(path) < need) {
        fprintf(stderr, "%s: %s has less than %.1f GiB free\n", tag, t,
                (double)need / (double)BENCH_GIB);
    }
    return 0;
}

void bench_rmtree(const char *dir)
{
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        char p[4096];
        while ((e = readdir(d)) != NULL) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) {
                continue;
            }
            snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
            unlink(p);
        }
        closedir(d);
    }
    rmdir(dir);
}

static double mbps(uint64_t bytes, double secs)
{
    return secs > 0 ? (double)bytes / 1e6 / secs : 0.0;
}

void bench_table_header(const char *title)
{
    printf("# %s\n", title);
    printf("%-40s %10s  %-22s %10s %9s\n", "bench", "MB/s", "baseline", "MB/s", "ratio");
}

void bench_row(const char *name, uint64_t bytes, double secs,
               const char *base_name, uint64_t base_bytes, double base_secs)
{
    double a = mbps(bytes, secs), b = mbps(base_bytes, base_secs);
    printf("%-40s %10.1f  %-22s %10.1f %9.4f\n", name, a, base_name, b,
           b > 0 ? a / b : 0.0);
    fflush(stdout);
}

void bench_row_info(const char *name, uint64_t bytes, double secs)
{
    printf("%-40s %10.1f  %-22s %10s %9s   (%.3f s)\n", name, mbps(bytes, secs), "-", "-",
           "-", secs);
    fflush(stdout);
}

void bench_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("#   ", stdout);
    vprintf(fmt, ap);
    fputc('\n', stdout);
    va_end(ap);
    fflush(stdout);
}
