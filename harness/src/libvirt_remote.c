/*
 * libvirt backend, the pure parts shared by the backend
 * (harness/src/libvirt_backend.c) and its launcher
 * (harness/tools/libvirt_qemu.c): which URIs are remote, the parts of a
 * qemu+ssh URI, the ssh command line of the gdbstub tunnel, and the names of
 * the domain, its pool volumes and the remote gdbstub socket.  No I/O here.
 *
 * URI format: libvirt docs/uri.rst ("Remote URIs"):
 *   driver[+transport]://[username@][hostname][:port]/[path][?extraparameters]
 * extra parameters used here (docs/uri.rst, "Extra parameters"): keyfile,
 * no_verify, no_tty, command (the ssh binary for the ssh transport); the
 * others (socket, netcat, proxy, mode, ...) are libvirt's and ignored here.
 * libvirt's own ssh command (src/rpc/virnetsocket.c,
 * virNetSocketNewConnectSSH): ssh [-p PORT] [-l USER] [-i KEYFILE] -T -e none
 * [-o BatchMode=yes (no_tty)] [-o StrictHostKeyChecking=no (no_verify)] -- HOST
 * ...; the tunnel uses the same options so it reaches the host the same way.
 */
#include <harness/libvirt.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool libvirt_uri_remote(const char *uri)
{
    /* driver[+transport]://[user@][host][:port]/path (libvirt's URI format) */
    const char *sep = strstr(uri, "://");
    if (!sep)
        return false;               /* an alias or a bare name: resolved locally */
    const char *plus = memchr(uri, '+', (size_t)(sep - uri));
    if (plus && !((size_t)(sep - plus - 1) == 4 && strncmp(plus + 1, "unix", 4) == 0))
        return true;                /* +ssh, +libssh, +libssh2, +tls, +tcp, +ext */
    const char *host = sep + 3;
    return *host && *host != '/';   /* qemu://host/system: TLS to that host */
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Copy [s, s+n) percent-decoded into out; -1 on a bad escape or overflow. */
static int pct_copy(char *out, size_t len, const char *s, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '%') {
            int a = i + 1 < n ? hexval(s[i + 1]) : -1;
            int b = i + 2 < n ? hexval(s[i + 2]) : -1;
            if (a < 0 || b < 0 || (a == 0 && b == 0))
                return -1;          /* bad escape, or %00 */
            c = (char)(a * 16 + b);
            i += 2;
        }
        if (o + 1 >= len)
            return -1;
        out[o++] = c;
    }
    out[o] = '\0';
    return 0;
}

static bool truthy(const char *v)
{
    return strcmp(v, "1") == 0 || strcmp(v, "yes") == 0 || strcmp(v, "true") == 0;
}

int libvirt_uri_parse(const char *uri, struct libvirt_uri *u, char *err, size_t errlen)
{
    memset(u, 0, sizeof(*u));
    const char *sep = strstr(uri, "://");
    if (!sep) {
        snprintf(err, errlen, "URI %.200s: no scheme (driver[+transport]://...)", uri);
        return -1;
    }
    size_t sl = (size_t)(sep - uri);
    const char *plus = memchr(uri, '+', sl);
    size_t dl = plus ? (size_t)(plus - uri) : sl;
    size_t tl = plus ? sl - dl - 1 : 0;
    if (dl == 0 || dl >= sizeof(u->driver) || tl >= sizeof(u->transport) || (plus && tl == 0)) {
        snprintf(err, errlen, "URI %.200s: bad scheme", uri);
        return -1;
    }
    memcpy(u->driver, uri, dl);
    if (plus)
        memcpy(u->transport, plus + 1, tl);
    const char *a = sep + 3;                 /* authority up to '/', '?' or end */
    size_t al = strcspn(a, "/?");
    const char *at = memchr(a, '@', al);
    if (at) {
        if (pct_copy(u->user, sizeof(u->user), a, (size_t)(at - a)) != 0 || !u->user[0]) {
            snprintf(err, errlen, "URI %.200s: bad user name", uri);
            return -1;
        }
        al -= (size_t)(at + 1 - a);
        a = at + 1;
    }
    const char *hend = a + al;
    const char *colon = NULL;
    if (al && a[0] == '[') {                 /* [IPv6]:port */
        const char *rb = memchr(a, ']', al);
        if (!rb) {
            snprintf(err, errlen, "URI %.200s: unterminated [IPv6 address]", uri);
            return -1;
        }
        if (pct_copy(u->host, sizeof(u->host), a + 1, (size_t)(rb - a - 1)) != 0) {
            snprintf(err, errlen, "URI %.200s: host name too long", uri);
            return -1;
        }
        colon = rb + 1 < hend && rb[1] == ':' ? rb + 1 : NULL;
        if (rb + 1 < hend && !colon) {
            snprintf(err, errlen, "URI %.200s: junk after ]", uri);
            return -1;
        }
    } else {
        colon = memchr(a, ':', al);
        if (pct_copy(u->host, sizeof(u->host), a, colon ? (size_t)(colon - a) : al) != 0) {
            snprintf(err, errlen, "URI %.200s: host name too long", uri);
            return -1;
        }
    }
    if (colon) {
        char *end = NULL;
        long p = strtol(colon + 1, &end, 10);
        if (end != hend || colon + 1 == hend || p < 1 || p > 65535) {
            snprintf(err, errlen, "URI %.200s: port must be 1..65535", uri);
            return -1;
        }
        u->port = (int)p;
    }
    const char *path = hend;
    size_t pl = strcspn(path, "?");
    if (pct_copy(u->path, sizeof(u->path), path, pl) != 0) {
        snprintf(err, errlen, "URI %.200s: path too long", uri);
        return -1;
    }
    const char *q = path[pl] == '?' ? path + pl + 1 : NULL;
    while (q && *q) {
        size_t n = strcspn(q, "&");
        const char *eq = memchr(q, '=', n);
        size_t kl = eq ? (size_t)(eq - q) : n;
        char key[32], val[sizeof(u->keyfile)];
        if (kl >= sizeof(key) || pct_copy(key, sizeof(key), q, kl) != 0 ||
            pct_copy(val, sizeof(val), eq ? eq + 1 : q + n, eq ? n - kl - 1 : 0) != 0) {
            snprintf(err, errlen, "URI %.200s: bad parameter '%.*s'", uri, (int)(n > 80 ? 80 : n), q);
            return -1;
        }
        if (strcmp(key, "keyfile") == 0)
            snprintf(u->keyfile, sizeof(u->keyfile), "%s", val);
        else if (strcmp(key, "command") == 0)
            snprintf(u->command, sizeof(u->command), "%s", val);
        else if (strcmp(key, "no_verify") == 0)
            u->no_verify = truthy(val);
        else if (strcmp(key, "no_tty") == 0)
            u->no_tty = truthy(val);
        q = q[n] ? q + n + 1 : NULL;
    }
    u->remote = libvirt_uri_remote(uri);
    return 0;
}

/* The characters allowed in an ssh option value we build (no option
 * injection through a host or user name beginning with '-'). */
static bool ssh_word_ok(const char *s)
{
    if (!s[0] || s[0] == '-')
        return false;
    for (; *s; s++)
        if ((unsigned char)*s <= ' ' || *s == '\'' || *s == '"' || *s == '\\')
            return false;
    return true;
}

int libvirt_ssh_tunnel_argv(const struct libvirt_uri *u, const char *local, const char *remote,
                            struct libvirt_argv *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof(*out));
    if (strcmp(u->transport, "ssh") != 0) {
        snprintf(err, errlen, "transport '%s': the gdbstub tunnel needs qemu+ssh://",
                 u->transport[0] ? u->transport : "(none)");
        return -1;
    }
    if (!ssh_word_ok(u->host) || (u->user[0] && !ssh_word_ok(u->user))) {
        snprintf(err, errlen, "host '%.100s' / user '%.60s' not usable on an ssh command line",
                 u->host, u->user);
        return -1;
    }
    if (local[0] != '/' || remote[0] != '/' || strchr(local, ':') || strchr(remote, ':')) {
        snprintf(err, errlen, "tunnel socket paths must be absolute and without ':' (%.100s, %.100s)",
                 local, remote);
        return -1;
    }
    char port[16];
    snprintf(port, sizeof(port), "%d", u->port);
    const char *words[LIBVIRT_ARGV_MAX];
    size_t n = 0;
    char fwd[sizeof(out->buf)];
    snprintf(fwd, sizeof(fwd), "%s:%s", local, remote);
    words[n++] = u->command[0] ? u->command : "ssh";
    if (u->port) {
        words[n++] = "-p";
        words[n++] = port;
    }
    if (u->user[0]) {
        words[n++] = "-l";
        words[n++] = u->user;
    }
    if (u->keyfile[0]) {
        words[n++] = "-i";
        words[n++] = u->keyfile;
    }
    words[n++] = "-T";
    words[n++] = "-N";
    words[n++] = "-e";
    words[n++] = "none";
    if (u->no_tty) {
        words[n++] = "-o";
        words[n++] = "BatchMode=yes";
    }
    if (u->no_verify) {
        /* libvirt passes StrictHostKeyChecking=no; not recording the key
         * either keeps a later, changed host key from making ssh refuse the
         * forwarding ("Port forwarding is disabled to avoid man-in-the-middle") */
        words[n++] = "-o";
        words[n++] = "StrictHostKeyChecking=no";
        words[n++] = "-o";
        words[n++] = "UserKnownHostsFile=/dev/null";
    }
    words[n++] = "-o";
    words[n++] = "ExitOnForwardFailure=yes";
    words[n++] = "-o";
    words[n++] = "StreamLocalBindUnlink=yes";
    words[n++] = "-o";
    words[n++] = "ServerAliveInterval=15";
    words[n++] = "-o";
    words[n++] = "LogLevel=ERROR";
    words[n++] = "-L";
    words[n++] = fwd;
    words[n++] = "--";
    words[n++] = u->host;
    size_t used = 0;
    for (size_t i = 0; i < n; i++) {
        size_t l = strlen(words[i]) + 1;
        if (used + l > sizeof(out->buf) || i + 1 >= LIBVIRT_ARGV_MAX) {
            snprintf(err, errlen, "ssh command line too long");
            return -1;
        }
        memcpy(out->buf + used, words[i], l);
        out->argv[i] = out->buf + used;
        used += l;
    }
    out->argv[n] = NULL;
    out->argc = n;
    return 0;
}

/* Append s to out[*o] with every character outside [A-Za-z0-9._-] as '_', at most max. */
static void put_clean(char *out, size_t len, size_t *o, const char *s, size_t max)
{
    for (size_t i = 0; s && s[i] && i < max && *o + 1 < len; i++) {
        char c = s[i];
        bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                  c == '.' || c == '_' || c == '-';
        out[(*o)++] = ok ? c : '_';
    }
    out[*o] = '\0';
}

int libvirt_domain_name(char *out, size_t len, const char *run_dir, const char *host, long pid)
{
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", run_dir && *run_dir ? run_dir : ".");
    size_t dl = strlen(dir);
    while (dl > 1 && dir[dl - 1] == '/')
        dir[--dl] = '\0';
    const char *base = strrchr(dir, '/');
    base = base && base[1] ? base + 1 : dir;
    int n;
    if (!host) {
        /* a local domain: the name the launcher always used */
        n = snprintf(out, len, "dumpbench-%.80s-%ld", base, pid);
        return n > 0 && (size_t)n < len ? 0 : -1;
    }
    /* remote: many CI hosts share one libvirt host, so the name carries this
     * host's name next to the pid, and only file-name-safe characters (it
     * also names the pool volumes) */
    size_t o = 0;
    if (len < 64)
        return -1;
    put_clean(out, len, &o, "dumpbench-", 10);
    put_clean(out, len, &o, base, 48);
    put_clean(out, len, &o, "-", 1);
    put_clean(out, len, &o, host[0] ? host : "host", 24);
    n = snprintf(out + o, len - o, "-%ld", pid);
    return n > 0 && (size_t)n < len - o ? 0 : -1;
}

int libvirt_vol_name(char *out, size_t len, const char *domain, const char *role)
{
    if (!domain[0] || !role[0] || domain[0] == '.' || strlen(domain) + strlen(role) + 2 > 200)
        return -1;
    for (const char *p = role; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '.' || *p == '-'))
            return -1;
    size_t o = 0;
    out[0] = '\0';
    put_clean(out, len, &o, domain, 200);
    if (strcmp(out, domain) != 0)
        return -1;                   /* not a name this file made */
    int n = snprintf(out + o, len - o, ".%s", role);
    return n > 0 && (size_t)n < len - o ? 0 : -1;
}

int libvirt_gdb_sock_path(char *out, size_t len, const char *pool_dir, const char *domain)
{
    /* sockaddr_un.sun_path: 108 bytes with the NUL (Linux unix(7)) */
    const size_t max = 107;
    if (pool_dir[0] != '/')
        return -1;
    size_t pl = strlen(pool_dir);
    while (pl > 1 && pool_dir[pl - 1] == '/')
        pl--;
    int n = snprintf(out, len, "%.*s/%s.gdb", (int)pl, pool_dir, domain);
    if (n > 0 && (size_t)n < len && (size_t)n <= max)
        return 0;
    /* too long for a socket: FNV-1a of the domain name */
    uint32_t h = 2166136261u;
    for (const char *p = domain; *p; p++)
        h = (h ^ (uint8_t)*p) * 16777619u;
    n = snprintf(out, len, "%.*s/dbgdb-%08x.gdb", (int)pl, pool_dir, (unsigned)h);
    return n > 0 && (size_t)n < len && (size_t)n <= max ? 0 : -1;
}
