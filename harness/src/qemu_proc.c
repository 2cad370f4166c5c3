/*
 * QEMU process and serial console.
 *
 * The child runs in its own process group with PR_SET_PDEATHSIG(SIGKILL),
 * so QEMU dies with the harness even when the harness is killed -9; the
 * harness stops it with SIGTERM then SIGKILL to the whole group.  The
 * console is a `-chardev pipe` (FIFOs PATH.in / PATH.out) opened here
 * before QEMU starts, so no output is lost and no connect race exists.
 */
#include "qemu_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

double qnow(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int qproc_start(struct qproc *p, char *const argv[], const char *fifo_base,
                const char *console_log, char *err, size_t errlen)
{
    char in[512], out[512];
    memset(p, 0, sizeof *p);
    p->pid = -1;
    p->con_in = p->con_out = p->con_log = -1;
    snprintf(in, sizeof in, "%s.in", fifo_base);
    snprintf(out, sizeof out, "%s.out", fifo_base);
    unlink(in);
    unlink(out);
    if (mkfifo(in, 0600) != 0 || mkfifo(out, 0600) != 0) {
        snprintf(err, errlen, "mkfifo %s: %s", fifo_base, strerror(errno));
        return -1;
    }
    /* O_RDWR on both ends: opening never blocks and EOF never happens while
     * we hold them; QEMU's exit is seen through waitpid. */
    p->con_out = open(out, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    p->con_in = open(in, O_RDWR | O_NONBLOCK | O_CLOEXEC);
    if (p->con_out < 0 || p->con_in < 0) {
        snprintf(err, errlen, "open console FIFOs: %s", strerror(errno));
        qproc_stop(p, 0);
        return -1;
    }
    if (console_log)
        p->con_log = open(console_log, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    p->con_cap = 1 << 16;
    p->con = malloc(p->con_cap);
    if (!p->con) {
        snprintf(err, errlen, "out of memory");
        qproc_stop(p, 0);
        return -1;
    }
    p->con[0] = '\0';

    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "fork: %s", strerror(errno));
        qproc_stop(p, 0);
        return -1;
    }
    if (pid == 0) {
        setpgid(0, 0);
        prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (getppid() != parent)
            _exit(127);
        int nul = open("/dev/null", O_RDWR);
        if (nul >= 0) {
            dup2(nul, 0);
            if (p->con_log >= 0) {
                dup2(p->con_log, 1);
                dup2(p->con_log, 2);
            }
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    setpgid(pid, pid);
    p->pid = pid;
    return 0;
}

bool qproc_poll_exit(struct qproc *p)
{
    if (p->exited || p->pid <= 0)
        return true;
    int st;
    pid_t r = waitpid(p->pid, &st, WNOHANG);
    if (r == p->pid) {
        p->exited = true;
        p->status = st;
    }
    return p->exited;
}

void qproc_stop(struct qproc *p, int grace_ms)
{
    if (p->pid > 0 && !qproc_poll_exit(p)) {
        kill(-p->pid, SIGTERM);
        kill(p->pid, SIGTERM);
        double end = qnow() + grace_ms / 1000.0;
        while (!qproc_poll_exit(p) && qnow() < end)
            usleep(20000);
        if (!p->exited) {
            kill(-p->pid, SIGKILL);
            kill(p->pid, SIGKILL);
            int st;
            if (waitpid(p->pid, &st, 0) == p->pid) {
                p->exited = true;
                p->status = st;
            }
        }
    }
    if (p->con_in >= 0)
        close(p->con_in);
    if (p->con_out >= 0)
        close(p->con_out);
    if (p->con_log >= 0)
        close(p->con_log);
    p->con_in = p->con_out = p->con_log = -1;
}

static void con_append(struct qproc *p, const char *buf, size_t n)
{
    if (p->con_log >= 0 && write(p->con_log, buf, n) < 0) {
        close(p->con_log);
        p->con_log = -1;
    }
    if (p->con_len + n + 1 > p->con_cap) {
        size_t ncap = p->con_cap;
        while (p->con_len + n + 1 > ncap)
            ncap *= 2;
        char *nc = realloc(p->con, ncap);
        if (!nc)
            return;
        p->con = nc;
        p->con_cap = ncap;
    }
    /* drop NULs and CRs so strstr works on the text */
    for (size_t i = 0; i < n; i++)
        if (buf[i] != '\0' && buf[i] != '\r')
            p->con[p->con_len++] = buf[i];
    p->con[p->con_len] = '\0';
}

void qproc_pump(struct qproc *p, int ms)
{
    if (p->con_out < 0)
        return;
    struct pollfd pfd = { .fd = p->con_out, .events = POLLIN };
    if (poll(&pfd, 1, ms) <= 0)
        return;
    char buf[8192];
    for (;;) {
        ssize_t n = read(p->con_out, buf, sizeof buf);
        if (n <= 0)
            break;
        con_append(p, buf, (size_t)n);
    }
}

int qproc_expect(struct qproc *p, const char *const *ok, size_t nok,
                 const char *const *fail, size_t nfail, int timeout_ms)
{
    double end = qnow() + timeout_ms / 1000.0;
    for (;;) {
        const char *from = p->con + p->con_pos;
        for (size_t i = 0; i < nfail; i++)
            if (strstr(from, fail[i]))
                return -2 - (int)i;
        for (size_t i = 0; i < nok; i++) {
            const char *m = strstr(from, ok[i]);
            if (m) {
                const char *nl = strchr(m, '\n');
                if (!nl)
                    continue;       /* wait for the whole line */
                p->con_pos = (size_t)(nl + 1 - p->con);
                return (int)i;
            }
        }
        if (qproc_poll_exit(p)) {
            qproc_pump(p, 0);
            return -1;
        }
        double left = end - qnow();
        if (left <= 0)
            return -100;
        qproc_pump(p, left > 0.2 ? 200 : (int)(left * 1000) + 1);
    }
}

int qproc_send(struct qproc *p, const char *line)
{
    size_t len = strlen(line), off = 0;
    double end = qnow() + 5.0;
    while (off < len) {
        ssize_t n = write(p->con_in, line + off, len - off);
        if (n > 0) {
            off += (size_t)n;
            continue;
        }
        if (n < 0 && errno != EAGAIN)
            return -1;
        if (qnow() > end)
            return -1;
        qproc_pump(p, 10);
    }
    return 0;
}

const char *qproc_tail(const struct qproc *p, size_t n)
{
    if (!p->con)
        return "";
    return p->con_len > n ? p->con + p->con_len - n : p->con;
}
