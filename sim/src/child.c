/*
 * Child-process runner for the sim backend (see <sim/child.h>).
 *
 * Pipe protocol (child -> parent), native byte order, one process only:
 *   'P' u64                 progress: bytes written so far
 *   'H' u64 (0)             heartbeat: alive and working, nothing written
 *   'R' u64 len, len bytes  the result record (exactly outlen bytes)
 */
#include <sim/child.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

struct sim_child {
    int fd;
};

static double mono(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void write_all(int fd, const void *buf, size_t len)
{
    const uint8_t *p = buf;
    while (len) {
        ssize_t n = write(fd, p, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return;     /* parent gone: nothing to tell */
        }
        p += n;
        len -= (size_t)n;
    }
}

void sim_child_progress(struct sim_child *c, uint64_t bytes)
{
    if (!c) {
        return;
    }
    uint8_t rec[9];
    rec[0] = 'P';
    memcpy(rec + 1, &bytes, 8);
    write_all(c->fd, rec, sizeof(rec));
}

void sim_child_heartbeat(struct sim_child *c)
{
    if (!c) {
        return;
    }
    uint8_t rec[9] = { 'H' };
    write_all(c->fd, rec, sizeof(rec));
}

void sim_child_kill(struct sim_child *c, uint64_t bytes)
{
    sim_child_progress(c, bytes);
    signal(SIGKILL, SIG_DFL);
    kill(getpid(), SIGKILL);
    for (;;) {
        pause();
    }
}

void sim_child_hang(struct sim_child *c, uint64_t bytes)
{
    sim_child_progress(c, bytes);
    for (;;) {
        pause();
    }
}

static void child_main(int fd, sim_child_fn fn, void *arg, void *out, size_t outlen,
                       const struct sim_child_opts *o)
{
    /* Never outlive the harness (no orphan if it is killed). */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (o && o->file_limit) {
        struct rlimit rl = { (rlim_t)o->file_limit, (rlim_t)o->file_limit };
        signal(SIGXFSZ, SIG_IGN);       /* EFBIG instead of a signal */
        if (setrlimit(RLIMIT_FSIZE, &rl) != 0) {
            _exit(3);
        }
    }
    struct sim_child c = { fd };
    memset(out, 0, outlen);
    fn(&c, arg, out, outlen);
    uint8_t hdr[9];
    uint64_t len = outlen;
    hdr[0] = 'R';
    memcpy(hdr + 1, &len, 8);
    write_all(fd, hdr, sizeof(hdr));
    write_all(fd, out, outlen);
    close(fd);
    _exit(0);   /* no atexit handlers, no stdio buffers of the parent */
}

/* Parse what the child sent: progress records and the result record. */
static bool parse(const uint8_t *b, size_t n, void *out, size_t outlen,
                  struct sim_child_exit *ex)
{
    bool got = false;
    size_t i = 0;
    while (i < n) {
        if (b[i] == 'H' && n - i >= 9) {
            i += 9;
        } else if (b[i] == 'P' && n - i >= 9) {
            memcpy(&ex->progress, b + i + 1, 8);
            ex->has_progress = true;
            i += 9;
        } else if (b[i] == 'R' && n - i >= 9) {
            uint64_t len;
            memcpy(&len, b + i + 1, 8);
            if (len != outlen || n - i - 9 < len) {
                return false;
            }
            memcpy(out, b + i + 9, outlen);
            got = true;
            i += 9 + (size_t)len;
        } else {
            return false;
        }
    }
    return got;
}

int sim_child_run(sim_child_fn fn, void *arg, void *out, size_t outlen,
                  const struct sim_child_opts *opts, struct sim_child_exit *ex,
                  char *err, size_t errlen)
{
    memset(ex, 0, sizeof(*ex));
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);   /* the child must not repeat buffered output */
    double t0 = mono();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        close(p[0]);
        close(p[1]);
        return -1;
    }
    if (pid == 0) {
        close(p[0]);
        child_main(p[1], fn, arg, out, outlen, opts);
    }
    close(p[1]);
    size_t cap = 4096 + 2 * outlen, n = 0;
    uint8_t *buf = malloc(cap);
    double deadline = opts && opts->timeout_s > 0 ? t0 + opts->timeout_s : 0;
    bool eof = false;
    while (!eof) {
        int ms = -1;
        if (deadline) {
            double left = deadline - mono();
            if (left <= 0) {
                ex->timed_out = true;
                break;
            }
            ms = (int)(left * 1000.0) + 1;
        }
        struct pollfd pf = { p[0], POLLIN, 0 };
        int pr = poll(&pf, 1, ms);
        if (pr < 0 && errno == EINTR) {
            continue;
        }
        if (pr < 0) {
            break;
        }
        if (pr == 0) {
            continue;       /* re-check the deadline */
        }
        uint8_t tmp[4096];
        ssize_t r = read(p[0], tmp, sizeof(tmp));
        if (r < 0 && errno == EINTR) {
            continue;
        }
        if (r <= 0) {
            eof = true;
            break;
        }
        if (buf && n + (size_t)r > cap) {
            size_t nc = (n + (size_t)r) * 2;
            uint8_t *nb = realloc(buf, nc);
            if (!nb) {
                free(buf);
                buf = NULL;
            } else {
                buf = nb;
                cap = nc;
            }
        }
        if (buf) {
            memcpy(buf + n, tmp, (size_t)r);
            n += (size_t)r;
        }
        if (deadline) {
            deadline = mono() + opts->timeout_s;   /* progress: the clock restarts */
        }
    }
    close(p[0]);
    if (ex->timed_out) {
        kill(pid, SIGKILL);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    ex->seconds = mono() - t0;
    bool got = buf && parse(buf, n, out, outlen, ex);
    free(buf);
    if (ex->timed_out) {
        return 0;
    }
    if (WIFSIGNALED(st)) {
        ex->signaled = true;
        ex->signo = WTERMSIG(st);
    } else if (WIFEXITED(st)) {
        ex->exit_code = WEXITSTATUS(st);
        ex->finished = got && ex->exit_code == 0;
    }
    return 0;
}
