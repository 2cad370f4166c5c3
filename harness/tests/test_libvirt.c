/* libvirt backend: SKIPPED reasons, socket probe, the launcher's domain XML. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <CUnit/CUnit.h>

#include <harness/libvirt.h>
#include <harness/qemu.h>
#include <harness/scenario.h>

#include "tests.h"

int register_libvirt_tests(void);

static struct scenario *parse(const char *text)
{
    struct scenario *s = NULL;
    struct scn_error e;
    if (scn_parse_buffer("t.scn", text, strlen(text), &s, &e) != 0)
        fprintf(stderr, "\n%s\n", e.msg);
    return s;
}

static int run_skip(const char *text, char *reason, size_t len)
{
    struct scenario *s = parse(text);
    CU_ASSERT_PTR_NOT_NULL_FATAL(s);
    char *dir = th_mkdtemp();
    FILE *log = tmpfile();
    struct run_result *res = calloc(1, sizeof(*res));
    run_result_init(res);
    char err[1024] = "";
    int rc = libvirt_backend_run(s, dir, log, res, err, sizeof(err));
    snprintf(reason, len, "%s", err);
    CU_ASSERT_EQUAL(res->outcome, RUN_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(res->reason, "SKIPPED: "));
    fclose(log);
    run_result_clear(res);
    free(res);
    th_rmtree(dir);
    free(dir);
    scn_free(s);
    return rc;
}

/* setenv/unsetenv NAME for one call, the old value back afterwards */
struct env_save {
    const char *name;
    char *old;
};

static struct env_save env_set(const char *name, const char *val)
{
    struct env_save e = { name, getenv(name) ? strdup(getenv(name)) : NULL };
    if (val)
        setenv(name, val, 1);
    else
        unsetenv(name);
    return e;
}

static void env_restore(struct env_save *e)
{
    if (e->old)
        setenv(e->name, e->old, 1);
    else
        unsetenv(e->name);
    free(e->old);
}

static void test_skip_reasons(void)
{
    char why[1024];
    /* s390x/ppc64: the patched QEMU (the domain's <emulator>) is named before
     * anything else (no libvirtd is started for a run that cannot happen) */
    struct env_save q = env_set("DUMPBENCH_QEMU_S390X", NULL);
    int rc = run_skip("scenario s\nbackend libvirt\nmachine arch=s390x memory=64M cpus=1\n"
                      "dump method=zfcpdump\nstep boot\nexpect outcome complete\n", why, sizeof(why));
    env_restore(&q);
    CU_ASSERT_EQUAL(rc, QEMU_BACKEND_SKIPPED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "SKIPPED: DUMPBENCH_QEMU_S390X is not set (the patched "
                                       "qemu-system-s390x, the domain's <emulator>"));
    q = env_set("DUMPBENCH_QEMU_PPC64", "/nonexistent/qemu-system-ppc64");
    rc = run_skip("scenario p\nbackend libvirt\nmachine arch=ppc64 memory=3G cpus=2\n"
                  "dump method=fadump\nstep boot\nexpect outcome complete\n", why, sizeof(why));
    env_restore(&q);
    CU_ASSERT_EQUAL(rc, QEMU_BACKEND_SKIPPED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "SKIPPED: DUMPBENCH_QEMU_PPC64 is not executable"));
    /* launcher missing: named, with how to get it */
    setenv("DUMPBENCH_LIBVIRT_LAUNCHER", "/nonexistent/dumpbench-libvirt-qemu", 1);
    rc = run_skip("scenario x\nbackend libvirt\nmachine arch=x86_64 memory=384M cpus=2\n"
                  "dump method=kdump format=elf\nstep boot\nstep crash\nexpect outcome complete\n",
                  why, sizeof(why));
    unsetenv("DUMPBENCH_LIBVIRT_LAUNCHER");
    CU_ASSERT_EQUAL(rc, QEMU_BACKEND_SKIPPED);
    CU_ASSERT_PTR_NOT_NULL(strstr(why, "dumpbench-libvirt-qemu not built (libvirt-dev missing"));
}

static void test_remote_uri(void)
{
    const struct { const char *uri; bool remote; } t[] = {
        { "qemu:///system", false },
        { "qemu:///session", false },
        { "qemu+unix:///system", false },
        { "qemu+unix:///system?socket=/run/x", false },
        { "test:///default", false },
        { "default", false },                  /* an alias: resolved locally */
        { "qemu+ssh://host/system", true },
        { "qemu+ssh://user@host:2222/system", true },
        { "qemu+libssh2://host/system", true },
        { "qemu+tls://host/system", true },
        { "qemu+tcp://10.0.0.1/system", true },
        { "qemu://host/system", true },        /* no transport: TLS to host */
        { "qemu+ext:///system?command=/bin/x", true },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        CU_ASSERT_EQUAL(libvirt_uri_remote(t[i].uri), t[i].remote);
        if (libvirt_uri_remote(t[i].uri) != t[i].remote)
            fprintf(stderr, "\n%s: remote %d expected\n", t[i].uri, t[i].remote);
    }
    /* what the backend refuses as an error (not SKIPPED), naming why: a
     * remote transport without ssh (no gdbstub tunnel), and s390x/ppc64 on
     * any remote URI; neither is tried (no connection) */
    const struct { const char *uri, *arch, *why; } ref[] = {
        { "qemu+tls://buildhost/system", "x86_64", "only qemu+ssh:// runs remotely" },
        { "qemu://buildhost/system", "x86_64", "only qemu+ssh:// runs remotely" },
        { "qemu+ssh://buildhost:99999/system", "x86_64", "port must be 1..65535" },
        { "qemu+ssh://buildhost/system", "s390x", "s390x scenarios run on a local libvirt only" },
        { "qemu+ssh://buildhost/system", "ppc64", "QEMU's stderr" },
    };
    for (size_t i = 0; i < sizeof(ref) / sizeof(ref[0]); i++) {
        struct env_save u = env_set("DUMPBENCH_LIBVIRT_URI", ref[i].uri);
        char text[512];
        snprintf(text, sizeof(text), "scenario x\nbackend libvirt\nmachine arch=%s memory=384M "
                 "cpus=2\ndump method=%s format=elf\nstep boot\nstep crash\n"
                 "expect outcome complete\n", ref[i].arch,
                 strcmp(ref[i].arch, "x86_64") == 0 ? "kdump" :
                 strcmp(ref[i].arch, "s390x") == 0 ? "zfcpdump" : "fadump");
        struct scenario *s = parse(text);
        CU_ASSERT_PTR_NOT_NULL_FATAL(s);
        char *dir = th_mkdtemp();
        FILE *log = tmpfile();
        struct run_result *res = calloc(1, sizeof(*res));
        run_result_init(res);
        char err[1024] = "", want[256];
        int rc = libvirt_backend_run(s, dir, log, res, err, sizeof(err));
        env_restore(&u);
        CU_ASSERT_EQUAL(rc, QEMU_BACKEND_ERROR);
        CU_ASSERT_EQUAL(res->outcome, RUN_ERROR);
        snprintf(want, sizeof(want), "DUMPBENCH_LIBVIRT_URI=%s is a remote URI: ", ref[i].uri);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
        CU_ASSERT_PTR_NOT_NULL(strstr(err, ref[i].why));
        if (!strstr(err, ref[i].why))
            fprintf(stderr, "\n%s %s: %s\n", ref[i].uri, ref[i].arch, err);
        CU_ASSERT_PTR_NULL(strstr(err, "SKIPPED"));
        fclose(log);
        run_result_clear(res);
        free(res);
        th_rmtree(dir);
        free(dir);
        scn_free(s);
    }
}

static void test_uri_parse(void)
{
    struct libvirt_uri u;
    char err[512];
    CU_ASSERT_EQUAL_FATAL(libvirt_uri_parse("qemu+ssh://root@127.0.0.1:2222/system?keyfile=/t/k%20ey"
                                            "&no_verify=1&no_tty=1&socket=/x&command=/t/ssh",
                                            &u, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(u.driver, "qemu");
    CU_ASSERT_STRING_EQUAL(u.transport, "ssh");
    CU_ASSERT_STRING_EQUAL(u.user, "root");
    CU_ASSERT_STRING_EQUAL(u.host, "127.0.0.1");
    CU_ASSERT_EQUAL(u.port, 2222);
    CU_ASSERT_STRING_EQUAL(u.path, "/system");
    CU_ASSERT_STRING_EQUAL(u.keyfile, "/t/k ey");        /* percent-decoded */
    CU_ASSERT_STRING_EQUAL(u.command, "/t/ssh");
    CU_ASSERT_TRUE(u.no_verify);
    CU_ASSERT_TRUE(u.no_tty);
    CU_ASSERT_TRUE(u.remote);
    CU_ASSERT_EQUAL_FATAL(libvirt_uri_parse("qemu+ssh://[fe80::1]:22/system?no_verify=0", &u, err,
                                            sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(u.host, "fe80::1");
    CU_ASSERT_EQUAL(u.port, 22);
    CU_ASSERT_FALSE(u.no_verify);
    CU_ASSERT_STRING_EQUAL(u.user, "");
    CU_ASSERT_EQUAL_FATAL(libvirt_uri_parse("qemu:///system", &u, err, sizeof(err)), 0);
    CU_ASSERT_STRING_EQUAL(u.transport, "");
    CU_ASSERT_STRING_EQUAL(u.host, "");
    CU_ASSERT_EQUAL(u.port, 0);
    CU_ASSERT_FALSE(u.remote);
    const struct { const char *uri, *why; } bad[] = {
        { "default", "no scheme" },
        { "+ssh://h/system", "bad scheme" },
        { "qemu+://h/system", "bad scheme" },
        { "qemu+ssh://h:0/system", "port must be 1..65535" },
        { "qemu+ssh://h:22x/system", "port must be 1..65535" },
        { "qemu+ssh://h:/system", "port must be 1..65535" },
        { "qemu+ssh://@h/system", "bad user name" },
        { "qemu+ssh://[fe80::1/system", "unterminated [IPv6 address]" },
        { "qemu+ssh://h/system?keyfile=%zz", "bad parameter 'keyfile=%zz'" },
        { "qemu+ssh://h/system?keyfile=a%00b", "bad parameter" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err[0] = '\0';
        CU_ASSERT_EQUAL(libvirt_uri_parse(bad[i].uri, &u, err, sizeof(err)), -1);
        CU_ASSERT_PTR_NOT_NULL(strstr(err, bad[i].why));
        if (!strstr(err, bad[i].why))
            fprintf(stderr, "\n%s: '%s'\n", bad[i].uri, err);
    }
}

static void join_argv(const struct libvirt_argv *a, char *out, size_t len)
{
    out[0] = '\0';
    for (size_t i = 0; i < a->argc; i++)
        snprintf(out + strlen(out), len - strlen(out), "%s%s", i ? " " : "", a->argv[i]);
}

static void test_ssh_tunnel_argv(void)
{
    struct libvirt_uri u;
    struct libvirt_argv a;
    char err[512], line[2048];
    CU_ASSERT_EQUAL_FATAL(libvirt_uri_parse("qemu+ssh://ci@h.example:2200/system?keyfile=/k/id"
                                            "&no_verify=1&no_tty=1", &u, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL_FATAL(libvirt_ssh_tunnel_argv(&u, "/tmp/dbq.x/gdb", "/pool/d.gdb", &a, err,
                                                  sizeof(err)), 0);
    join_argv(&a, line, sizeof(line));
    CU_ASSERT_STRING_EQUAL(line, "ssh -p 2200 -l ci -i /k/id -T -N -e none -o BatchMode=yes "
                           "-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null "
                           "-o ExitOnForwardFailure=yes -o StreamLocalBindUnlink=yes "
                           "-o ServerAliveInterval=15 -o LogLevel=ERROR "
                           "-L /tmp/dbq.x/gdb:/pool/d.gdb -- h.example");
    CU_ASSERT_PTR_NULL(a.argv[a.argc]);
    /* no user/port/keyfile/flags: only what the URI says; command= is the ssh */
    CU_ASSERT_EQUAL_FATAL(libvirt_uri_parse("qemu+ssh://h/system?command=/opt/ssh", &u, err,
                                            sizeof(err)), 0);
    CU_ASSERT_EQUAL_FATAL(libvirt_ssh_tunnel_argv(&u, "/l", "/r", &a, err, sizeof(err)), 0);
    join_argv(&a, line, sizeof(line));
    CU_ASSERT_STRING_EQUAL(line, "/opt/ssh -T -N -e none -o ExitOnForwardFailure=yes "
                           "-o StreamLocalBindUnlink=yes -o ServerAliveInterval=15 "
                           "-o LogLevel=ERROR -L /l:/r -- h");
    /* refused: not ssh, an option-looking host, relative or ':' paths */
    CU_ASSERT_EQUAL_FATAL(libvirt_uri_parse("qemu+tls://h/system", &u, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(libvirt_ssh_tunnel_argv(&u, "/l", "/r", &a, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "transport 'tls': the gdbstub tunnel needs qemu+ssh://"));
    CU_ASSERT_EQUAL_FATAL(libvirt_uri_parse("qemu+ssh://-oProxyCommand=x/system", &u, err,
                                            sizeof(err)), 0);
    CU_ASSERT_EQUAL(libvirt_ssh_tunnel_argv(&u, "/l", "/r", &a, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "not usable on an ssh command line"));
    CU_ASSERT_EQUAL_FATAL(libvirt_uri_parse("qemu+ssh://h/system", &u, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(libvirt_ssh_tunnel_argv(&u, "rel", "/r", &a, err, sizeof(err)), -1);
    CU_ASSERT_EQUAL(libvirt_ssh_tunnel_argv(&u, "/l", "/r:x", &a, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "must be absolute and without ':'"));
}

static void test_names(void)
{
    char n[160], v[256], g[200];
    /* local: the launcher's old name, unchanged */
    CU_ASSERT_EQUAL(libvirt_domain_name(n, sizeof(n), "/runs/kdump-oops/", NULL, 42), 0);
    CU_ASSERT_STRING_EQUAL(n, "dumpbench-kdump-oops-42");
    /* remote: this host's name too, unsafe characters replaced, bounded */
    CU_ASSERT_EQUAL(libvirt_domain_name(n, sizeof(n), "/runs/a b:c", "ci-7.example.com", 42), 0);
    CU_ASSERT_STRING_EQUAL(n, "dumpbench-a_b_c-ci-7.example.com-42");
    CU_ASSERT_EQUAL(libvirt_domain_name(n, sizeof(n), "/r/" "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                                        "hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh", 123456), 0);
    CU_ASSERT_STRING_EQUAL(n, "dumpbench-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx-"
                              "hhhhhhhhhhhhhhhhhhhhhhhh-123456");
    CU_ASSERT_EQUAL(libvirt_domain_name(n, 32, "/r/x", "h", 1), -1);   /* too small */
    /* volumes */
    CU_ASSERT_EQUAL(libvirt_vol_name(v, sizeof(v), "dumpbench-x-h-1", "capture.raw"), 0);
    CU_ASSERT_STRING_EQUAL(v, "dumpbench-x-h-1.capture.raw");
    CU_ASSERT_EQUAL(libvirt_vol_name(v, sizeof(v), "dumpbench-x-h-1", "truth.elf"), 0);
    CU_ASSERT_STRING_EQUAL(v, "dumpbench-x-h-1.truth.elf");
    CU_ASSERT_EQUAL(libvirt_vol_name(v, sizeof(v), "dumpbench-x-h-1", "../etc"), -1);
    CU_ASSERT_EQUAL(libvirt_vol_name(v, sizeof(v), "dumpbench x", "vmlinuz"), -1);
    CU_ASSERT_EQUAL(libvirt_vol_name(v, sizeof(v), "../d", "vmlinuz"), -1);
    CU_ASSERT_EQUAL(libvirt_vol_name(v, sizeof(v), "", "vmlinuz"), -1);
    CU_ASSERT_EQUAL(libvirt_vol_name(v, 10, "dumpbench-x-h-1", "vmlinuz"), -1);
    /* the remote gdbstub socket: in the pool, hashed when sun_path is too short */
    CU_ASSERT_EQUAL(libvirt_gdb_sock_path(g, sizeof(g), "/var/tmp/pool/", "dumpbench-x-h-1"), 0);
    CU_ASSERT_STRING_EQUAL(g, "/var/tmp/pool/dumpbench-x-h-1.gdb");
    CU_ASSERT_EQUAL(libvirt_domain_name(n, sizeof(n), "/r/xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
                                        "hhhhhhhhhhhhhhhhhhhhhhhh", 123456), 0);
    CU_ASSERT_EQUAL(libvirt_gdb_sock_path(g, sizeof(g), "/var/lib/libvirt/images/dumpbench", n), 0);
    CU_ASSERT_EQUAL(strncmp(g, "/var/lib/libvirt/images/dumpbench/dbgdb-", 40), 0);
    CU_ASSERT_EQUAL(strlen(g), 40 + 8 + 4);
    CU_ASSERT_STRING_EQUAL(g + strlen(g) - 4, ".gdb");
    char same[200];
    CU_ASSERT_EQUAL(libvirt_gdb_sock_path(same, sizeof(same), "/var/lib/libvirt/images/dumpbench", n), 0);
    CU_ASSERT_STRING_EQUAL(g, same);                      /* deterministic */
    char longdir[120];
    memset(longdir, 'p', sizeof(longdir) - 1);
    longdir[0] = '/';
    longdir[sizeof(longdir) - 1] = '\0';
    CU_ASSERT_EQUAL(libvirt_gdb_sock_path(g, sizeof(g), longdir, "d"), -1);
    CU_ASSERT_EQUAL(libvirt_gdb_sock_path(g, sizeof(g), "pool", "d"), -1);
}

/* put64/put32/put16: little-endian fields of the test ELF */
static void put64(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 8; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void test_core_extract(void)
{
    /* ELF64 core: two PT_LOADs (paddr 0x0 2 pages, paddr 0x3000 1 page),
     * the layout of QEMU's dump-guest-memory (q72:dump/dump.c) */
    char *dir = th_mkdtemp();
    char elf[512], out[512], err[512];
    snprintf(elf, sizeof(elf), "%s/core.elf", dir);
    snprintf(out, sizeof(out), "%s/ram.bin", dir);
    size_t fsz = 0x1000 + 3 * 0x1000;
    uint8_t *f = calloc(1, fsz);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    memcpy(f, "\177ELF", 4);
    f[4] = 2;
    f[5] = 1;
    f[6] = 1;
    f[16] = 4;                       /* ET_CORE */
    f[18] = 62;                      /* EM_X86_64 */
    put64(f + 32, 64);               /* e_phoff */
    f[52] = 64;                      /* e_ehsize */
    f[54] = 56;                      /* e_phentsize */
    f[56] = 2;                       /* e_phnum */
    const uint64_t loads[2][3] = { { 0x1000, 0x0, 0x2000 }, { 0x3000, 0x3000, 0x1000 } };
    for (int i = 0; i < 2; i++) {
        uint8_t *ph = f + 64 + 56 * i;
        ph[0] = 1;                   /* PT_LOAD */
        put64(ph + 8, loads[i][0]);
        put64(ph + 24, loads[i][1]);
        put64(ph + 32, loads[i][2]);
        put64(ph + 40, loads[i][2]);
    }
    for (size_t i = 0x1000; i < fsz; i++)
        f[i] = (uint8_t)(0x11 * (i / 0x1000));       /* page k of the data: 0x11*k */
    FILE *w = fopen(elf, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(fwrite(f, 1, fsz, w), fsz);
    fclose(w);
    uint64_t got = 0;
    /* [0x1000, +0x3000): paddr 0x1000 (from load 0), 0x2000 (no load: zero), 0x3000 (load 1) */
    CU_ASSERT_EQUAL_FATAL(libvirt_core_extract(elf, 0x1000, 0x3000, out, &got, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(got, 0x2000);
    FILE *r = fopen(out, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(r);
    uint8_t b[0x3000];
    CU_ASSERT_EQUAL(fread(b, 1, sizeof(b), r), sizeof(b));
    CU_ASSERT_EQUAL(fgetc(r), EOF);                   /* exactly size bytes */
    fclose(r);
    CU_ASSERT_EQUAL(b[0], 0x22);                      /* paddr 0x1000 = file page 2 */
    CU_ASSERT_EQUAL(b[0xfff], 0x22);
    CU_ASSERT_EQUAL(b[0x1000], 0x00);                 /* paddr 0x2000: not RAM */
    CU_ASSERT_EQUAL(b[0x1fff], 0x00);
    CU_ASSERT_EQUAL(b[0x2000], 0x33);                 /* paddr 0x3000 = file page 3 */
    /* a range no PT_LOAD meets, and a file that is not an ELF core */
    CU_ASSERT_EQUAL(libvirt_core_extract(elf, 0x100000, 0x1000, out, &got, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "no PT_LOAD holds guest memory [0x100000, +0x1000)"));
    f[16] = 2;                                        /* ET_EXEC */
    w = fopen(elf, "wb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(w);
    CU_ASSERT_EQUAL(fwrite(f, 1, fsz, w), fsz);
    fclose(w);
    CU_ASSERT_EQUAL(libvirt_core_extract(elf, 0, 0x1000, out, &got, err, sizeof(err)), -1);
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "is not ET_CORE"));
    free(f);
    th_rmtree(dir);
    free(dir);
}

static void test_sock_alive(void)
{
    char *dir = th_mkdtemp();
    char path[512];
    snprintf(path, sizeof(path), "%s/s", dir);
    CU_ASSERT_FALSE(libvirt_sock_alive(path));
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a;
    memset(&a, 0, sizeof(a));
    a.sun_family = AF_UNIX;
    snprintf(a.sun_path, sizeof(a.sun_path), "%.100s", path);
    CU_ASSERT_EQUAL(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    CU_ASSERT_EQUAL(listen(fd, 1), 0);
    CU_ASSERT_TRUE(libvirt_sock_alive(path));
    close(fd);
    CU_ASSERT_FALSE(libvirt_sock_alive(path));   /* stale socket file */
    th_rmtree(dir);
    free(dir);
}

/* Run the launcher with args; stdout+stderr into a malloc'd string; exit status. */
static int launcher(char *const *args, char **out)
{
    int p[2];
    CU_ASSERT_EQUAL_FATAL(pipe(p), 0);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(p[1], 1);
        dup2(p[1], 2);
        close(p[0]);
        execv(args[0], args);
        _exit(127);
    }
    close(p[1]);
    size_t len = 0, cap = 65536;
    *out = calloc(1, cap);
    ssize_t n;
    while (len + 1 < cap && (n = read(p[0], *out + len, cap - 1 - len)) > 0)
        len += (size_t)n;
    close(p[0]);
    int st;
    waitpid(pid, &st, 0);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* Each of want[] in x (reported by name when missing). */
static void want_all(const char *x, const char *const *want, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_PTR_NOT_NULL(strstr(x, want[i]));
        if (!strstr(x, want[i]))
            fprintf(stderr, "\nmissing: %s\n", want[i]);
    }
}

static void test_launcher_xml(void)
{
    char path[4096];
    if (libvirt_launcher_path(path, sizeof(path)) != 0) {
        /* built without libvirt-dev: the backend SKIPs (test_skip_reasons) */
        fprintf(stderr, "(launcher not built: XML translation not tested) ");
        return;
    }
    /* exactly the argv harness/src/qemu_backend.c passes, with DIMM slots */
    char *args[] = {
        path, "--xml", "-nodefaults", "-no-user-config", "-machine", "pc,accel=tcg",
        "-m", "512M,slots=4,maxmem=768M", "-smp", "2,maxcpus=4", "-display", "none",
        "-vga", "none", "-no-reboot", "-rtc", "base=2024-01-01T00:00:00,clock=vm",
        "-kernel", "/g/vmlinuz", "-initrd", "/g/initrd.img",
        "-append", "console=ttyS0 crashkernel=128M <&>", "-chardev",
        "pipe,id=con,path=/tmp/dbq.x/con", "-serial", "chardev:con",
        "-qmp", "unix:/tmp/dbq.x/qmp,server=on,wait=off",
        "-gdb", "unix:/tmp/dbq.x/gdb,server=on,wait=off",
        "-drive", "file=/runs/a/capture-disk.raw,format=raw,if=none,id=capture,cache=unsafe",
        "-device", "virtio-blk-pci,drive=capture", NULL,
    };
    char *x = NULL;
    CU_ASSERT_EQUAL(launcher(args, &x), 0);
    const char *want[] = {
        "<domain type='qemu' xmlns:qemu='http://libvirt.org/schemas/domain/qemu/1.0'>",
        "<memory unit='MiB'>512</memory>",
        "<maxMemory slots='4' unit='MiB'>768</maxMemory>",
        "<vcpu placement='static' current='2'>4</vcpu>",
        "<kernel>/g/vmlinuz</kernel>", "<initrd>/g/initrd.img</initrd>",
        "<cmdline>console=ttyS0 crashkernel=128M &lt;&amp;&gt;</cmdline>",
        "<cell id='0' cpus='0-3' memory='512' unit='MiB'/>",
        "<clock offset='absolute' start='1704067200'/>",
        "<on_reboot>destroy</on_reboot>", "<on_crash>destroy</on_crash>",
        "<driver name='qemu' type='raw' cache='unsafe'/>",
        "<source file='/runs/a/capture-disk.raw'/>", "<target dev='vda' bus='virtio'/>",
        "<serial type='pipe'>", "<source path='/tmp/dbq.x/con'/>",
        "<qemu:arg value=\"unix:/tmp/dbq.x/qmp,server=on,wait=off\"/>",
        "<qemu:arg value=\"-gdb\"/>",
        "<label>+0:+0</label>", "<name>dumpbench-a-",
    };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        CU_ASSERT_PTR_NOT_NULL(strstr(x, want[i]));
        if (!strstr(x, want[i]))
            fprintf(stderr, "\nmissing: %s\n", want[i]);
    }
    free(x);
    /* DUMPBENCH_LIBVIRT_CONSOLE=stream: a pty (bridged by virDomainOpenConsole),
     * no FIFO path in the XML; anything else but pipe is refused */
    struct env_save cm = env_set("DUMPBENCH_LIBVIRT_CONSOLE", "stream");
    CU_ASSERT_EQUAL(launcher(args, &x), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "<serial type='pty'>\n      <target port='0'/>\n    </serial>"));
    CU_ASSERT_PTR_NULL(strstr(x, "/tmp/dbq.x/con"));
    free(x);
    env_restore(&cm);
    cm = env_set("DUMPBENCH_LIBVIRT_CONSOLE", "tcp");
    CU_ASSERT_EQUAL(launcher(args, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "DUMPBENCH_LIBVIRT_CONSOLE=tcp: pipe or stream"));
    free(x);
    env_restore(&cm);
    /* a remote URI: kernel, initrd and disk are pool volumes there, the
     * console a pty (stream), QMP served by the launcher (no -qmp), the
     * gdbstub a unix socket in the pool (the ssh tunnel's far end), no
     * <emulator> (the remote's default); nothing is connected for --xml */
    struct env_save ru = env_set("DUMPBENCH_LIBVIRT_URI", "qemu+ssh://root@h:2222/system");
    struct env_save rp = env_set("DUMPBENCH_LIBVIRT_POOL_DIR", "/pool");
    CU_ASSERT_EQUAL(launcher(args, &x), 0);
    const char *rwant[] = {
        "<name>dumpbench-a-", "<kernel>/pool/dumpbench-a-", ".vmlinuz</kernel>",
        ".initrd</initrd>", "<source file='/pool/dumpbench-a-", ".capture.raw'/>",
        "<serial type='pty'>", "<qemu:arg value=\"-gdb\"/>",
        "<qemu:arg value=\"unix:/pool/dumpbench-a-", ".gdb,server=on,wait=off\"/>",
    };
    want_all(x, rwant, sizeof(rwant) / sizeof(rwant[0]));
    CU_ASSERT_PTR_NULL(strstr(x, "-qmp"));
    CU_ASSERT_PTR_NULL(strstr(x, "/tmp/dbq.x"));
    CU_ASSERT_PTR_NULL(strstr(x, "/g/vmlinuz"));
    CU_ASSERT_PTR_NULL(strstr(x, "<emulator>"));
    free(x);
    env_restore(&rp);
    env_restore(&ru);
    /* an option it cannot translate is refused by name, nothing started */
    char *bad[] = { path, "--xml", "-kernel", "/k", "-m", "64M", "-cdrom", "x.iso", NULL };
    CU_ASSERT_EQUAL(launcher(bad, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "QEMU option '-cdrom' is not translated to domain XML"));
    free(x);
    char *nodisk[] = { path, "--xml", "-kernel", "/k", "-m", "64M", NULL };
    CU_ASSERT_EQUAL(launcher(nodisk, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "need -kernel, -m, -chardev pipe and -drive"));
    free(x);
}

static void test_launcher_xml_s390x(void)
{
    char path[4096];
    if (libvirt_launcher_path(path, sizeof(path)) != 0) {
        fprintf(stderr, "(launcher not built: XML translation not tested) ");
        return;
    }
    /* the argv harness/src/qemu_s390x.c builds (zfcpdump, virtio-blk-ccw dump disk) */
    char *args[] = {
        path, "--xml", "--emulator", "/q/bin/qemu-system-s390x",
        "-nodefaults", "-no-user-config", "-M", "s390-ccw-virtio,accel=tcg",
        "-m", "256M", "-smp", "2,maxcpus=3", "-display", "none", "-no-reboot",
        "-chardev", "pipe,id=con,path=/tmp/dbs.x/con", "-serial", "chardev:con",
        "-qmp", "unix:/tmp/dbs.x/qmp,server=on,wait=off",
        "-kernel", "/g/vmlinuz", "-initrd", "/g/initrd.gz",
        "-append", "console=ttysclp0 dbdev=0.0.0002 loglevel=5",
        "-drive", "file=/runs/z/dump-disk.raw,format=raw,if=none,id=dump0,cache=unsafe",
        "-device", "virtio-blk-ccw,drive=dump0,devno=fe.0.0002",
        "-object", "dumpbench-s390,id=db0,profile=z15-32m,dump-kernel=/k/bzImage,"
                   "dump-initrd=/g/initrd.gz,dump-cmdline=console=ttysclp0,truth=/runs/z/truth.bin,"
                   "dump-devno=2",
        "-L", "/q/share/qemu", NULL,
    };
    char *x = NULL;
    CU_ASSERT_EQUAL(launcher(args, &x), 0);
    const char *want[] = {
        "<type arch='s390x' machine='s390-ccw-virtio'>hvm</type>",
        "<emulator>/q/bin/qemu-system-s390x</emulator>",
        "<memory unit='MiB'>256</memory>", "<vcpu placement='static' current='2'>3</vcpu>",
        "<topology sockets='1' dies='1' cores='3' threads='1'/>",
        "<cmdline>console=ttysclp0 dbdev=0.0.0002 loglevel=5</cmdline>",
        /* -no-reboot: every lifecycle event ends the domain, as QEMU exits */
        "<on_poweroff>destroy</on_poweroff>", "<on_reboot>destroy</on_reboot>",
        "<on_crash>destroy</on_crash>",
        "<source file='/runs/z/dump-disk.raw'/>",
        "<address type='ccw' cssid='0xfe' ssid='0x0' devno='0x0002'/>",
        "<target type='sclp-serial' port='0'><model name='sclpconsole'/></target>",
        "<memballoon model='none'/>", "<label>+0:+0</label>",
        "<qemu:arg value=\"-object\"/>",
        "<qemu:arg value=\"dumpbench-s390,id=db0,profile=z15-32m,dump-kernel=/k/bzImage,",
        "truth=/runs/z/truth.bin,dump-devno=2\"/>",
        "<qemu:arg value=\"-L\"/>\n    <qemu:arg value=\"/q/share/qemu\"/>",
        "<qemu:arg value=\"unix:/tmp/dbs.x/qmp,server=on,wait=off\"/>",
        "<name>dumpbench-z-",
    };
    want_all(x, want, sizeof(want) / sizeof(want[0]));
    /* s390-ccw-virtio has no USB or video: none asked for; no features, no -drive left */
    CU_ASSERT_PTR_NULL(strstr(x, "<controller type='usb'"));
    CU_ASSERT_PTR_NULL(strstr(x, "<acpi/>"));
    CU_ASSERT_PTR_NULL(strstr(x, "\"-drive\""));
    CU_ASSERT_PTR_NULL(strstr(x, "accel"));
    free(x);

    /* a device libvirt has no element for (the FCP adapter, its LUNs as its
     * own files, no -drive) is passed through; the run dir is truth='s;
     * -no-shutdown keeps the domain after a poweroff */
    char *fcp[] = {
        path, "--xml", "--emulator", "/q/bin/qemu-system-s390x", "-M", "s390-ccw-virtio",
        "-m", "256M", "-chardev", "pipe,id=con,path=/c", "-serial", "chardev:con",
        "-kernel", "/g/vmlinuz", "-device", "dumpbench-fcp,id=fcp0,devno=fe.0.0002,file0=/r/lun0.raw",
        "-no-shutdown", "-object", "dumpbench-s390,id=db0,truth=/runs/f/truth.bin",
        "-icount", "shift=5,align=off,sleep=off", NULL,
    };
    CU_ASSERT_EQUAL(launcher(fcp, &x), 0);
    const char *want_fcp[] = {
        "<qemu:arg value=\"-device\"/>",
        "<qemu:arg value=\"dumpbench-fcp,id=fcp0,devno=fe.0.0002,file0=/r/lun0.raw\"/>",
        "<qemu:arg value=\"-icount\"/>", "<on_poweroff>preserve</on_poweroff>",
        "<on_reboot>restart</on_reboot>", "<name>dumpbench-f-",
    };
    want_all(x, want_fcp, sizeof(want_fcp) / sizeof(want_fcp[0]));
    CU_ASSERT_PTR_NULL(strstr(x, "<disk"));
    free(x);

    /* refused by name, nothing started */
    char *badm[] = { path, "--xml", "-M", "virt", "-m", "64M", NULL };
    CU_ASSERT_EQUAL(launcher(badm, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "machine 'virt': only pc, s390-ccw-virtio and pseries"));
    free(x);
    char *nodrive[] = { path, "--xml", "--emulator", "/q", "-M", "s390-ccw-virtio", "-m", "64M",
                        "-kernel", "/k", "-chardev", "pipe,id=con,path=/c",
                        "-drive", "file=/r/d.raw,format=raw,id=dump0",
                        "-device", "virtio-blk-ccw,drive=dump1,devno=fe.0.0002", NULL };
    CU_ASSERT_EQUAL(launcher(nodrive, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "device 'virtio-blk-ccw,drive=dump1,devno=fe.0.0002': "
                                     "no -drive with id=dump1"));
    free(x);
    char *baddev[] = { path, "--xml", "--emulator", "/q", "-M", "s390-ccw-virtio", "-m", "64M",
                       "-kernel", "/k", "-chardev", "pipe,id=con,path=/c",
                       "-drive", "file=/r/d.raw,format=raw,id=dump0",
                       "-device", "virtio-blk-ccw,drive=dump0,devno=fe.2", NULL };
    CU_ASSERT_EQUAL(launcher(baddev, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "devno must be CSSID.SSID.DEVNO"));
    free(x);
}

static void test_launcher_xml_ppc64(void)
{
    char path[4096];
    if (libvirt_launcher_path(path, sizeof(path)) != 0) {
        fprintf(stderr, "(launcher not built: XML translation not tested) ");
        return;
    }
    /* the argv harness/src/qemu_ppc64.c builds (hotplug-mem, oops: gdbstub) */
    char *args[] = {
        path, "--xml", "--emulator", "/q/bin/qemu-system-ppc64", "-L", "/q/share/qemu",
        "-nodefaults", "-no-user-config", "-M", "pseries,x-vof=on", "-accel", "tcg",
        "-cpu", "power9", "-m", "3072M,slots=2,maxmem=3584M", "-smp", "2",
        "-display", "none", "-action", "panic=none",
        "-chardev", "pipe,id=con,path=/tmp/dbp.x/con", "-device", "spapr-vty,chardev=con",
        "-qmp", "unix:/tmp/dbp.x/qmp,server=on,wait=off",
        "-object", "dumpbench-spapr,id=db1,profile=phyp-default,truth=/runs/p/truth.bin",
        "-kernel", "/k/vmlinux", "-initrd", "/i/initrd.cpio",
        "-append", "console=hvc0 fadump=on crashkernel=768M dbmode=harness panic=1 loglevel=7",
        "-drive", "file=/runs/p/capture-disk.raw,format=raw,if=none,id=capture,cache=unsafe",
        "-device", "virtio-blk-pci,drive=capture",
        "-gdb", "unix:/tmp/dbp.x/gdb,server=on,wait=off", NULL,
    };
    char *x = NULL;
    CU_ASSERT_EQUAL(launcher(args, &x), 0);
    const char *want[] = {
        "<type arch='ppc64' machine='pseries'>hvm</type>",
        "<emulator>/q/bin/qemu-system-ppc64</emulator>",
        "<memory unit='MiB'>3072</memory>", "<maxMemory slots='2' unit='MiB'>3584</maxMemory>",
        "<topology sockets='1' dies='1' cores='2' threads='1'/>",
        "<kernel>/k/vmlinux</kernel>", "<initrd>/i/initrd.cpio</initrd>",
        /* no -no-reboot: the fadump reset restarts in the same QEMU; panic=none:
         * libvirt must not destroy the guest on the panic event */
        "<on_poweroff>destroy</on_poweroff>", "<on_reboot>restart</on_reboot>",
        "<on_crash>preserve</on_crash>",
        "<source file='/runs/p/capture-disk.raw'/>", "<target dev='vda' bus='virtio'/>",
        "<target type='spapr-vio-serial' port='0'><model name='spapr-vty'/></target>",
        "<source path='/tmp/dbp.x/con'/>",
        "<controller type='usb' model='none'/>", "<video><model type='none'/></video>",
        "<memballoon model='none'/>",
        "<qemu:arg value=\"-machine\"/>\n    <qemu:arg value=\"x-vof=on\"/>",
        "<qemu:arg value=\"-cpu\"/>\n    <qemu:arg value=\"power9\"/>",
        "<qemu:arg value=\"-action\"/>\n    <qemu:arg value=\"panic=none\"/>",
        "<qemu:arg value=\"dumpbench-spapr,id=db1,profile=phyp-default,truth=/runs/p/truth.bin\"/>",
        "<qemu:arg value=\"-gdb\"/>", "<qemu:arg value=\"/q/share/qemu\"/>",
    };
    want_all(x, want, sizeof(want) / sizeof(want[0]));
    CU_ASSERT_PTR_NULL(strstr(x, "<address type='ccw'"));
    CU_ASSERT_PTR_NULL(strstr(x, "spapr-vty,chardev"));   /* the console is the <serial> */
    CU_ASSERT_PTR_NULL(strstr(x, "<numa>"));
    free(x);
    char *kvm[] = { path, "--xml", "-M", "pseries", "-accel", "kvm", NULL };
    CU_ASSERT_EQUAL(launcher(kvm, &x), 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(x, "-accel kvm: only tcg is translated"));
    free(x);
}

int register_libvirt_tests(void)
{
    CU_pSuite s = CU_add_suite("libvirt", NULL, NULL);
    if (!s)
        return -1;
    if (!CU_add_test(s, "SKIPPED reasons (arch, launcher missing)", test_skip_reasons) ||
        !CU_add_test(s, "daemon socket probe", test_sock_alive) ||
        !CU_add_test(s, "remote URIs: which, and what is refused", test_remote_uri) ||
        !CU_add_test(s, "remote URI parts (qemu+ssh parameters)", test_uri_parse) ||
        !CU_add_test(s, "gdbstub ssh tunnel command line", test_ssh_tunnel_argv) ||
        !CU_add_test(s, "domain, volume and gdbstub socket names", test_names) ||
        !CU_add_test(s, "truth RAM cut out of a dump ELF", test_core_extract) ||
        !CU_add_test(s, "launcher: QEMU argv to domain XML", test_launcher_xml) ||
        !CU_add_test(s, "launcher: s390x argv to domain XML", test_launcher_xml_s390x) ||
        !CU_add_test(s, "launcher: ppc64 argv to domain XML", test_launcher_xml_ppc64))
        return -1;
    return 0;
}
