/*
 * GDB remote serial protocol, the subset the truth snapshot needs
 * (q72:gdbstub/gdbstub.c): packets "$data#cc" acknowledged with '+',
 * `?` (stop reason), `Z1,addr,kind` / `z1,...` (hardware breakpoint),
 * `c` (continue), `Hg<thread>` + `g` (registers), `D` (detach: removes
 * breakpoints and resumes).  Stop replies look like "T05thread:p01.02;".
 * QEMU stops the VM when a debugger connects.
 */
#include "qemu_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

int qgdb_connect(struct qgdb *g, const char *path, int timeout_ms,
                 char *err, size_t errlen)
{
    memset(g, 0, sizeof *g);
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errlen, "gdb socket path too long");
        return -1;
    }
    strcpy(sa.sun_path, path);
    double end = qnow() + timeout_ms / 1000.0;
    for (;;) {
        g->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (g->fd < 0) {
            snprintf(err, errlen, "socket: %s", strerror(errno));
            return -1;
        }
        if (connect(g->fd, (struct sockaddr *)&sa, sizeof sa) == 0)
            return 0;
        int e = errno;
        close(g->fd);
        g->fd = -1;
        if (qnow() > end) {
            snprintf(err, errlen, "connect %s: %s", path, strerror(e));
            return -1;
        }
        usleep(50000);
    }
}

void qgdb_close(struct qgdb *g)
{
    if (g->fd > 0)
        close(g->fd);
    g->fd = -1;
}

static int fill(struct qgdb *g, double end)
{
    if (g->len == sizeof g->buf)
        return -1;
    double left = end - qnow();
    if (left <= 0)
        return -1;
    struct pollfd pfd = { .fd = g->fd, .events = POLLIN };
    if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
        return 0;
    ssize_t n = read(g->fd, g->buf + g->len, sizeof g->buf - g->len);
    if (n <= 0)
        return -1;
    g->len += (size_t)n;
    return 0;
}

static void consume(struct qgdb *g, size_t n)
{
    memmove(g->buf, g->buf + n, g->len - n);
    g->len -= n;
}

/* Next packet payload into reply (acknowledged); skips stray '+'/'-'. */
static int read_packet(struct qgdb *g, char *reply, size_t rlen, double end)
{
    for (;;) {
        while (g->len && g->buf[0] != '$')
            consume(g, 1);
        char *hash = g->len ? memchr(g->buf, '#', g->len) : NULL;
        if (hash && (size_t)(hash - g->buf) + 3 <= g->len) {
            size_t plen = (size_t)(hash - g->buf) - 1;
            if (reply) {
                size_t c = plen < rlen - 1 ? plen : rlen - 1;
                memcpy(reply, g->buf + 1, c);
                reply[c] = '\0';
            }
            consume(g, plen + 4);
            if (write(g->fd, "+", 1) != 1)
                return -1;
            return 0;
        }
        if (fill(g, end) != 0)
            return -1;
    }
}

static int send_packet(struct qgdb *g, const char *pkt, double end)
{
    unsigned sum = 0;
    for (const char *c = pkt; *c; c++)
        sum += (unsigned char)*c;
    char buf[512];
    int n = snprintf(buf, sizeof buf, "$%s#%02x", pkt, sum & 0xff);
    if (n < 0 || (size_t)n >= sizeof buf || write(g->fd, buf, (size_t)n) != n)
        return -1;
    /* wait for the '+' acknowledgement; a packet before it is an
     * unsolicited stop notification (QEMU sends one when a debugger
     * attaches): acknowledge and drop it */
    for (;;) {
        while (g->len && g->buf[0] != '+' && g->buf[0] != '$')
            consume(g, 1);
        if (g->len && g->buf[0] == '+') {
            consume(g, 1);
            return 0;
        }
        char *hash = g->len ? memchr(g->buf, '#', g->len) : NULL;
        if (hash && (size_t)(hash - g->buf) + 3 <= g->len) {
            consume(g, (size_t)(hash - g->buf) + 3);
            if (write(g->fd, "+", 1) != 1)
                return -1;
            continue;
        }
        if (fill(g, end) != 0)
            return -1;
    }
}

int qgdb_cmd(struct qgdb *g, const char *pkt, char *reply, size_t rlen,
             int timeout_ms)
{
    double end = qnow() + timeout_ms / 1000.0;
    if (send_packet(g, pkt, end) != 0)
        return -1;
    if (!reply)
        return 0;
    return read_packet(g, reply, rlen, end);
}

int qgdb_wait_stop(struct qgdb *g, char *reply, size_t rlen, int timeout_ms)
{
    double end = qnow() + timeout_ms / 1000.0;
    for (;;) {
        if (read_packet(g, reply, rlen, end) != 0)
            return -1;
        if (reply[0] == 'T' || reply[0] == 'S')
            return 0;
        if (reply[0] == 'W' || reply[0] == 'X')
            return -1;          /* target exited */
    }
}
