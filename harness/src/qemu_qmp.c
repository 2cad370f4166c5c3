/*
 * QMP client (q72:docs/interop/qmp-spec.txt): greeting, qmp_capabilities,
 * then one {"execute": ..., "arguments": ...} at a time; replies are
 * {"return": ...} or {"error": {"class", "desc"}}, asynchronous
 * {"event": ...} messages are skipped.  One JSON object per line.
 */
#include "qemu_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static int unix_connect(const char *path, int timeout_ms, char *err, size_t errlen)
{
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof sa);
    sa.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sa.sun_path) {
        snprintf(err, errlen, "socket path too long: %s", path);
        return -1;
    }
    strcpy(sa.sun_path, path);
    double end = qnow() + timeout_ms / 1000.0;
    for (;;) {
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            snprintf(err, errlen, "socket: %s", strerror(errno));
            return -1;
        }
        if (connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0)
            return fd;
        int e = errno;
        close(fd);
        if (qnow() > end) {
            snprintf(err, errlen, "connect %s: %s", path, strerror(e));
            return -1;
        }
        usleep(50000);
    }
}

/* Read one line (one JSON message) into a parsed object. */
static int qmp_read_msg(struct qmp *q, struct json_object **obj, int timeout_ms,
                        char *err, size_t errlen)
{
    double end = qnow() + timeout_ms / 1000.0;
    for (;;) {
        char *nl = memchr(q->buf, '\n', q->len);
        if (nl) {
            *nl = '\0';
            *obj = json_tokener_parse(q->buf);
            size_t used = (size_t)(nl + 1 - q->buf);
            memmove(q->buf, nl + 1, q->len - used);
            q->len -= used;
            if (!*obj) {
                snprintf(err, errlen, "QMP: unparsable message");
                return -1;
            }
            return 0;
        }
        if (q->len == sizeof q->buf) {
            snprintf(err, errlen, "QMP: message longer than %zu bytes", sizeof q->buf);
            return -1;
        }
        double left = end - qnow();
        if (left <= 0) {
            snprintf(err, errlen, "QMP: timeout after %d ms", timeout_ms);
            return -1;
        }
        struct pollfd pfd = { .fd = q->fd, .events = POLLIN };
        if (poll(&pfd, 1, (int)(left * 1000) + 1) <= 0)
            continue;
        ssize_t n = read(q->fd, q->buf + q->len, sizeof q->buf - q->len);
        if (n <= 0) {
            snprintf(err, errlen, "QMP: connection closed");
            return -1;
        }
        q->len += (size_t)n;
    }
}

int qmp_connect(struct qmp *q, const char *path, int timeout_ms,
                char *err, size_t errlen)
{
    memset(q, 0, sizeof *q);
    q->fd = unix_connect(path, timeout_ms, err, errlen);
    if (q->fd < 0)
        return -1;
    struct json_object *greet = NULL;
    if (qmp_read_msg(q, &greet, timeout_ms, err, errlen) != 0)
        goto fail;
    int ok = json_object_object_get_ex(greet, "QMP", NULL);
    json_object_put(greet);
    if (!ok) {
        snprintf(err, errlen, "QMP: no greeting");
        goto fail;
    }
    if (qmp_exec(q, "qmp_capabilities", NULL, NULL, timeout_ms, err, errlen) != 0)
        goto fail;
    return 0;
fail:
    qmp_close(q);
    return -1;
}

void qmp_close(struct qmp *q)
{
    if (q->fd > 0)
        close(q->fd);
    q->fd = -1;
}

int qmp_exec(struct qmp *q, const char *cmd, struct json_object *args,
             struct json_object **ret, int timeout_ms, char *err, size_t errlen)
{
    struct json_object *req = json_object_new_object();
    json_object_object_add(req, "execute", json_object_new_string(cmd));
    if (args)
        json_object_object_add(req, "arguments", json_object_get(args));
    const char *txt = json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN);
    size_t len = strlen(txt);
    int rc = -1;
    if (write(q->fd, txt, len) != (ssize_t)len || write(q->fd, "\n", 1) != 1) {
        snprintf(err, errlen, "QMP %s: write: %s", cmd, strerror(errno));
        json_object_put(req);
        return -1;
    }
    json_object_put(req);
    double end = qnow() + timeout_ms / 1000.0;
    for (;;) {
        struct json_object *msg = NULL, *v = NULL;
        int left = (int)((end - qnow()) * 1000);
        if (left <= 0) {
            snprintf(err, errlen, "QMP %s: timeout after %d ms", cmd, timeout_ms);
            return -1;
        }
        if (qmp_read_msg(q, &msg, left, err, errlen) != 0)
            return -1;
        if (json_object_object_get_ex(msg, "return", &v)) {
            if (ret)
                *ret = json_object_get(v);
            rc = 0;
        } else if (json_object_object_get_ex(msg, "error", &v)) {
            struct json_object *d = NULL;
            json_object_object_get_ex(v, "desc", &d);
            snprintf(err, errlen, "QMP %s: %s", cmd, d ? json_object_get_string(d) : "error");
            rc = -1;
        } else {
            json_object_put(msg);   /* event */
            continue;
        }
        json_object_put(msg);
        return rc;
    }
}
