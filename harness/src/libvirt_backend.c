/*
 * libvirt backend: the QEMU scenarios with the machine run as a libvirt
 * domain (see <harness/libvirt.h>).
 *
 * The run is the QEMU backend's of the scenario's arch — x86_64 kdump
 * (qemu_x86_run_with: boot, steps, truth snapshot at machine_kexec,
 * capture, the same oracles), s390x zfcpdump (qemu_s390x_run_with), ppc64
 * fadump (qemu_ppc64_run_with) — with build/bin/dumpbench-libvirt-qemu
 * started in place of qemu-system-ARCH; that launcher turns the argv into
 * domain XML (<emulator> = the patched QEMU for s390x/ppc64) and creates
 * the domain through the libvirt C API (harness/tools/libvirt_qemu.c).
 *
 * Remote (qemu+ssh://, x86_64 only): the x86 backend still talks to local
 * paths; the launcher serves them through the connection (console stream,
 * QMP socket answered with virDomainQemuMonitorCommand, kernel/initrd/disk
 * as volumes of the pool DUMPBENCH_LIBVIRT_POOL, the gdbstub's remote unix
 * socket through an `ssh -L` tunnel) and the hooks here fetch what QEMU
 * writes there: the truth snapshot and the post-capture dump
 * (virDomainCoreDumpWithFormat into a volume, downloaded; the RAM ranges cut
 * out of the ELF locally) and the capture disk (volume downloaded after the
 * domain stopped).  Nothing on the remote host is opened as a file.  Other
 * remote transports and s390x/ppc64 are refused with the reason.
 *
 * Daemon: with a local qemu:///system URI and no libvirtd listening on
 * /run/libvirt/libvirt-sock, the backend starts virtlogd and libvirtd (as
 * root) for the scenario and stops exactly those processes afterwards.
 * Whatever is missing (launcher not built, not root, daemon does not come
 * up, the probe cannot connect) makes the scenario SKIPPED with the reason.
 */
#include <harness/libvirt.h>
#include <harness/qemu.h>

#include "qemu_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define LIBVIRT_SOCK "/run/libvirt/libvirt-sock"
#define VIRTLOGD_SOCK "/run/libvirt/virtlogd-sock"

static double lnow(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void lsleep_ms(long ms)
{
    struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

bool libvirt_sock_alive(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return false;
    struct sockaddr_un a;
    memset(&a, 0, sizeof(a));
    a.sun_family = AF_UNIX;
    snprintf(a.sun_path, sizeof(a.sun_path), "%s", path);
    bool ok = connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0;
    close(fd);
    return ok;
}

int libvirt_launcher_path(char *out, size_t len)
{
    const char *env = getenv("DUMPBENCH_LIBVIRT_LAUNCHER");
    if (env && *env) {
        snprintf(out, len, "%s", env);
        return access(out, X_OK) == 0 ? 0 : -1;
    }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    char *sl = strrchr(self, '/');
    if (!sl)
        return -1;
    *sl = '\0';
    /* build/bin/dumpbench, or build/tests/test-harness next to build/bin */
    const char *cands[] = { "%s/dumpbench-libvirt-qemu", "%s/../bin/dumpbench-libvirt-qemu" };
    for (size_t i = 0; i < sizeof(cands) / sizeof(cands[0]); i++) {
        snprintf(out, len, cands[i], self);
        if (access(out, X_OK) == 0)
            return 0;
    }
    return -1;
}

static bool find_sbin(const char *name, char *out, size_t len)
{
    const char *dirs[] = { "/usr/sbin", "/usr/local/sbin", "/sbin", "/usr/bin" };
    for (size_t i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
        snprintf(out, len, "%s/%s", dirs[i], name);
        if (access(out, X_OK) == 0)
            return true;
    }
    return false;
}

/*
 * Run argv with stdout+stderr into out (NUL-terminated, truncated to len);
 * returns the exit status, -1 when it could not run or timed out (killed).
 */
static int run_capture(char *const argv[], int timeout_s, char *out, size_t len)
{
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(pfd[1], 1);
        dup2(pfd[1], 2);
        int nul = open("/dev/null", O_RDONLY);
        if (nul >= 0)
            dup2(nul, 0);
        execv(argv[0], argv);
        _exit(127);
    }
    close(pfd[1]);
    fcntl(pfd[0], F_SETFL, O_NONBLOCK);
    size_t used = 0;
    if (len)
        out[0] = '\0';
    double end = lnow() + timeout_s;
    int st = 0;
    bool done = false;
    while (!done) {
        char b[512];
        ssize_t n;
        while ((n = read(pfd[0], b, sizeof(b))) > 0)
            for (ssize_t i = 0; i < n && used + 1 < len; i++)
                out[used++] = b[i];
        if (len)
            out[used] = '\0';
        pid_t w = waitpid(pid, &st, WNOHANG);
        if (w == pid) {
            done = true;
            while ((n = read(pfd[0], b, sizeof(b))) > 0)
                for (ssize_t i = 0; i < n && used + 1 < len; i++)
                    out[used++] = b[i];
            if (len)
                out[used] = '\0';
        } else if (lnow() > end) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            close(pfd[0]);
            return -1;
        } else {
            lsleep_ms(50);
        }
    }
    close(pfd[0]);
    while (used && (out[used - 1] == '\n' || out[used - 1] == '\r'))
        out[--used] = '\0';
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static pid_t read_pid(const char *path)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return -1;
    long v = -1;
    if (fscanf(f, "%ld", &v) != 1)
        v = -1;
    fclose(f);
    return v > 1 ? (pid_t)v : -1;
}

/* Stop a daemon we started: SIGTERM, up to grace_s, then SIGKILL. */
static void stop_pid(pid_t pid, int grace_s, FILE *log, const char *what)
{
    if (pid <= 1 || kill(pid, 0) != 0)
        return;
    kill(pid, SIGTERM);
    double end = lnow() + grace_s;
    while (kill(pid, 0) == 0 && lnow() < end)
        lsleep_ms(100);
    if (kill(pid, 0) == 0) {
        kill(pid, SIGKILL);
        fprintf(log, "libvirt: %s (pid %d) did not stop in %d s: killed\n", what, (int)pid, grace_s);
    } else {
        fprintf(log, "libvirt: stopped %s (pid %d) that this run started\n", what, (int)pid);
    }
}

/* Start DAEMON -d -p PIDFILE and wait for SOCK; pid of the daemon or -1 (why set). */
static pid_t start_daemon(const char *name, const char *sock, const char *piddir, FILE *log,
                          char *why, size_t whylen)
{
    char bin[PATH_MAX], pidf[PATH_MAX], out[1024];
    if (!find_sbin(name, bin, sizeof(bin))) {
        snprintf(why, whylen, "%s not installed (ci/setup libvirt)", name);
        return -1;
    }
    snprintf(pidf, sizeof(pidf), "%s/%s.pid", piddir, name);
    char *argv[] = { bin, "-d", "-p", pidf, NULL };
    fprintf(log, "libvirt: no %s listening on %s: starting %s -d -p %s\n", name, sock, bin, pidf);
    int rc = run_capture(argv, 60, out, sizeof(out));
    if (rc != 0) {
        snprintf(why, whylen, "%.200s -d failed (exit %d): %.300s", bin, rc, out);
        return -1;
    }
    /* -d returns when the daemon has forked; it listens a little later (x3 for a loaded host) */
    for (double end = lnow() + 90; lnow() < end; lsleep_ms(200))
        if (libvirt_sock_alive(sock)) {
            pid_t pid = -1;
            for (int i = 0; i < 50 && (pid = read_pid(pidf)) <= 0; i++)
                lsleep_ms(100);
            if (pid <= 0)
                fprintf(log, "libvirt: %s listens but wrote no pid to %s: it will not be stopped\n",
                        name, pidf);
            return pid;
        }
    pid_t pid = read_pid(pidf);
    stop_pid(pid, 10, log, name);
    snprintf(why, whylen, "%s started but %s did not answer within 90 s", name, sock);
    return -1;
}

/* The hooks' context: the launcher, and the backend log for what the remote
 * transfers took. */
struct lv_ctx {
    char *launcher;
    FILE *log;
};

static char *lv_launcher(void *ctx)
{
    return ((struct lv_ctx *)ctx)->launcher;
}

/* Post-capture dump through libvirt (the oracles' second source). */
static int lv_post_dump(void *ctx, const char *run_dir, const char *path, char *err, size_t errlen)
{
    char *argv[] = { lv_launcher(ctx), "--coredump", (char *)run_dir, (char *)path, NULL };
    char out[1024];
    int rc = run_capture(argv, 600, out, sizeof(out));
    if (rc != 0) {
        snprintf(err, errlen, "virDomainCoreDumpWithFormat (memory-only) failed (%s %d): %.400s",
                 rc < 0 ? "timeout/kill" : "exit", rc, out);
        return -1;
    }
    if (out[0])             /* remote: the volume it went through */
        fprintf(((struct lv_ctx *)ctx)->log, "libvirt: %s\n", out);
    return 0;
}

static int lv_nmi(void *ctx, const char *run_dir, char *err, size_t errlen)
{
    char *argv[] = { lv_launcher(ctx), "--nmi", (char *)run_dir, NULL };
    char out[1024];
    int rc = run_capture(argv, 120, out, sizeof(out));
    if (rc != 0)
        snprintf(err, errlen, "virDomainInjectNMI failed (exit %d): %.400s", rc, out);
    return rc == 0 ? 0 : -1;
}

static int lv_add_vcpus(void *ctx, const char *run_dir, unsigned count, char *err, size_t errlen)
{
    char n[16], out[1024];
    snprintf(n, sizeof(n), "%u", count);
    char *argv[] = { lv_launcher(ctx), "--add-vcpus", (char *)run_dir, n, NULL };
    int rc = run_capture(argv, 120, out, sizeof(out));
    if (rc != 0)
        snprintf(err, errlen, "virDomainSetVcpusFlags failed (exit %d): %.400s", rc, out);
    return rc == 0 ? 0 : -1;
}

static int lv_attach_dimm(void *ctx, const char *run_dir, uint64_t size, char *id, size_t idlen,
                          char *err, size_t errlen)
{
    char sz[32], out[1024], alias[64];
    snprintf(sz, sizeof(sz), "%llu", (unsigned long long)size);
    snprintf(alias, sizeof(alias), "%s", id);
    char *argv[] = { lv_launcher(ctx), "--attach-dimm", (char *)run_dir, sz, alias, NULL };
    int rc = run_capture(argv, 120, out, sizeof(out));
    if (rc != 0 || strncmp(out, "ua-", 3) != 0 || strlen(out) >= idlen) {
        snprintf(err, errlen, "virDomainAttachDeviceFlags (dimm) failed (exit %d): %.400s", rc, out);
        return -1;
    }
    snprintf(id, idlen, "%s", out);
    return 0;
}

/*
 * The domain must not outlive the run: the launcher's connection has
 * AUTODESTROY, and on SIGTERM it destroys the domain; if libvirtd is gone
 * (nothing would ever stop a QEMU started with -no-shutdown) the QEMU named
 * in /run/libvirt/qemu/NAME.pid is killed.
 */
static void reap_domain(const char *launcher, const char *run_dir, FILE *log)
{
    char p[PATH_MAX + 32], name[256] = "", out[512];
    snprintf(p, sizeof(p), "%s/libvirt-domain", run_dir);
    FILE *f = fopen(p, "r");
    if (!f)
        return;
    if (!fgets(name, sizeof(name), f))
        name[0] = '\0';
    fclose(f);
    name[strcspn(name, "\n")] = '\0';
    if (!name[0] || strchr(name, '/'))
        return;
    if (libvirt_sock_alive(LIBVIRT_SOCK)) {
        char *argv[] = { (char *)launcher, "--destroy", (char *)run_dir, NULL };
        if (run_capture(argv, 60, out, sizeof(out)) == 0 && out[0])
            fprintf(log, "libvirt: %s\n", out);
    }
    snprintf(p, sizeof(p), "/run/libvirt/qemu/%s.pid", name);
    pid_t pid = read_pid(p);
    if (pid <= 1 || kill(pid, 0) != 0)
        return;
    char cmd[4096] = "", want[300];
    snprintf(p, sizeof(p), "/proc/%d/cmdline", (int)pid);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? read(fd, cmd, sizeof(cmd) - 1) : -1;
    if (fd >= 0)
        close(fd);
    if (n <= 0)
        return;
    for (ssize_t i = 0; i < n; i++)
        if (cmd[i] == '\0')
            cmd[i] = ' ';
    cmd[n] = '\0';
    snprintf(want, sizeof(want), "guest=%s,", name);
    if (!strstr(cmd, want))
        return;
    kill(pid, SIGKILL);
    fprintf(log, "libvirt: domain %s still running without libvirtd: killed its QEMU (pid %d)\n",
            name, (int)pid);
}

/* A harness error: the launcher's last libvirt message usually says why (e.g.
 * virDomainCreateXML refused the domain); append it. */
static void add_launcher_error(const char *run_dir, FILE *log, char *errbuf, size_t errlen)
{
    char p[PATH_MAX + 32], line[512] = "", last[512] = "";
    snprintf(p, sizeof(p), "%s/libvirt.log", run_dir);
    FILE *f = fopen(p, "r");
    if (!f)
        return;
    while (fgets(line, sizeof(line), f))
        if (strstr(line, ": ") && !strstr(line, " running") && !strstr(line, "creating domain"))
            snprintf(last, sizeof(last), "%s", line);
    fclose(f);
    last[strcspn(last, "\n")] = '\0';
    if (!last[0])
        return;
    size_t n = strlen(errbuf);
    snprintf(errbuf + n, errlen > n ? errlen - n : 0, " [libvirt.log: %s]", last);
    fprintf(log, "libvirt.log: %s\n", last);
}

static bool local_system_uri(const char *uri)
{
    return strcmp(uri, "qemu:///system") == 0;
}

/* libvirt_uri_remote: harness/src/libvirt_remote.c (shared with the launcher) */

int libvirt_core_extract(const char *elf, uint64_t addr, uint64_t size, const char *out,
                         uint64_t *covered, char *err, size_t errlen)
{
    struct qelf e;
    char e2[256];
    *covered = 0;
    if (qelf_open(&e, elf, e2, sizeof(e2)) != 0) {
        snprintf(err, errlen, "%s: %s", elf, e2);
        return -1;
    }
    int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    int rc = fd >= 0 && ftruncate(fd, (off_t)size) == 0 ? 0 : -1;
    if (rc != 0)
        snprintf(err, errlen, "%s: %s", out, strerror(errno));
    /* every PT_LOAD's part inside [addr, addr+size) at its physical offset;
     * what no PT_LOAD holds stays zero (not RAM: the vmcore has no such page) */
    for (size_t i = 0; rc == 0 && i < e.nload; i++) {
        const struct qelf_load *l = &e.loads[i];
        uint64_t lo = l->paddr > addr ? l->paddr : addr;
        uint64_t lend = l->paddr + l->filesz < l->paddr ? UINT64_MAX : l->paddr + l->filesz;
        uint64_t hi = addr + size < lend ? addr + size : lend;
        for (uint64_t pa = lo; pa < hi;) {
            size_t n = hi - pa > (1u << 20) ? (1u << 20) : (size_t)(hi - pa);
            if (pwrite(fd, e.map + l->off + (pa - l->paddr), n, (off_t)(pa - addr)) != (ssize_t)n) {
                snprintf(err, errlen, "%s: %s", out, strerror(errno));
                rc = -1;
                break;
            }
            pa += n;
            *covered += n;
        }
    }
    if (rc == 0 && *covered == 0) {
        snprintf(err, errlen, "%s: no PT_LOAD holds guest memory [0x%llx, +0x%llx)", elf,
                 (unsigned long long)addr, (unsigned long long)size);
        rc = -1;
    }
    if (fd >= 0 && close(fd) != 0 && rc == 0) {
        snprintf(err, errlen, "%s: %s", out, strerror(errno));
        rc = -1;
    }
    qelf_close(&e);
    return rc;
}

/* Remote: the truth snapshot.  The first range of the stop dumps the held
 * guest once (RUN_DIR/truth-core.elf: --coredump-live, through a volume);
 * every range (RAM, each DIMM) is cut out of it. */
static int lv_save_ram(void *ctx, const char *run_dir, uint64_t addr, uint64_t size,
                       const char *path, char *err, size_t errlen)
{
    char core[PATH_MAX + 16], out[1024];
    snprintf(core, sizeof(core), "%s/truth-core.elf", run_dir);
    if (access(core, R_OK) != 0) {
        char *argv[] = { lv_launcher(ctx), "--coredump-live", (char *)run_dir, core, NULL };
        double t = lnow();
        int rc = run_capture(argv, 900, out, sizeof(out));
        if (rc == 0)
            fprintf(((struct lv_ctx *)ctx)->log, "libvirt: truth snapshot %s in %.1f s\n", out,
                    lnow() - t);
        if (rc != 0) {
            snprintf(err, errlen, "truth snapshot: virDomainCoreDumpWithFormat (memory-only, live) "
                     "into a pool volume + virStorageVolDownload failed (%s %d): %.400s",
                     rc < 0 ? "timeout/kill" : "exit", rc, out);
            unlink(core);
            return -1;
        }
    }
    uint64_t got = 0;
    if (libvirt_core_extract(core, addr, size, path, &got, err, errlen) != 0)
        return -1;
    fprintf(((struct lv_ctx *)ctx)->log, "libvirt: %s [0x%llx, +0x%llx) from %s: 0x%llx bytes in "
            "PT_LOADs\n", path, (unsigned long long)addr, (unsigned long long)size, core,
            (unsigned long long)got);
    return 0;
}

/* Remote: the capture disk, from its volume, after the domain stopped. */
static int lv_fetch_disk(void *ctx, const char *run_dir, const char *path, char *err, size_t errlen)
{
    char *argv[] = { lv_launcher(ctx), "--fetch-disk", (char *)run_dir, (char *)path, NULL };
    char out[1024];
    double t = lnow();
    int rc = run_capture(argv, 900, out, sizeof(out));
    if (rc != 0)
        snprintf(err, errlen, "capture disk: virStorageVolDownload failed (%s %d): %.400s",
                 rc < 0 ? "timeout/kill" : "exit", rc, out);
    else
        fprintf(((struct lv_ctx *)ctx)->log, "libvirt: %s in %.1f s\n", out, lnow() - t);
    return rc == 0 ? 0 : -1;
}

/* Remote: destroy the run's domain if it still runs, delete its volumes. */
static void reap_remote(const char *launcher, const char *run_dir, FILE *log)
{
    char out[1024];
    char *d[] = { (char *)launcher, "--destroy", (char *)run_dir, NULL };
    char *c[] = { (char *)launcher, "--cleanup", (char *)run_dir, NULL };
    if (run_capture(d, 120, out, sizeof(out)) == 0 && strncmp(out, "destroyed", 9) == 0)
        fprintf(log, "libvirt: %s\n", out);
    int rc = run_capture(c, 120, out, sizeof(out));
    if (rc != 0 || out[0])
        fprintf(log, "libvirt: %s%s\n", rc ? "--cleanup failed: " : "", out);
    char p[PATH_MAX + 16];
    snprintf(p, sizeof(p), "%s/truth-core.elf", run_dir);
    unlink(p);              /* truth-ram.bin (kept when the run fails) has its pages */
}

int libvirt_backend_run(const struct scenario *s, const char *run_dir, FILE *log,
                        struct run_result *res, char *errbuf, size_t errlen)
{
    char launcher[PATH_MAX], why[1024] = "";
    const char *uri = getenv("DUMPBENCH_LIBVIRT_URI");
    if (!uri || !*uri)
        uri = "qemu:///system";
    pid_t started[2] = { -1, -1 };
    const char *names[2] = { "virtlogd", "libvirtd" };
    double t0 = lnow();
    char piddir[] = "/tmp/dblv.XXXXXX";
    bool have_piddir = false;

    const char *arch = s->machine.arch == SCN_ARCH_S390X ? "s390x" :
                       s->machine.arch == SCN_ARCH_PPC64 ? "ppc64" :
                       s->machine.arch == SCN_ARCH_X86_64 ? "x86_64" : NULL;
    const char *qenv = s->machine.arch == SCN_ARCH_S390X ? "DUMPBENCH_QEMU_S390X" :
                       s->machine.arch == SCN_ARCH_PPC64 ? "DUMPBENCH_QEMU_PPC64" : NULL;
    const char *qbin = qenv ? getenv(qenv) : NULL;
    const bool remote = libvirt_uri_remote(uri);
    if (remote) {
        /* not SKIPPED: the URI asks for something this backend cannot do */
        struct libvirt_uri u;
        char perr[512] = "";
        if (s->machine.arch != SCN_ARCH_X86_64)
            snprintf(perr, sizeof(perr), "%s scenarios run on a local libvirt only: the "
                     "firmware object reads its dump kernel and writes its truth snapshot as "
                     "files on QEMU's host, and reports in QEMU's stderr (the domain log), "
                     "which the libvirt API does not carry", arch ? arch : "these");
        else if (libvirt_uri_parse(uri, &u, perr, sizeof(perr)) != 0)
            ;
        else if (strcmp(u.transport, "ssh") != 0)
            snprintf(perr, sizeof(perr), "only qemu+ssh:// runs remotely (the gdbstub's "
                     "breakpoint on machine_kexec is reached through an ssh tunnel)");
        if (perr[0]) {
            fprintf(log, "error: DUMPBENCH_LIBVIRT_URI=%s: %s\n", uri, perr);
            res->outcome = RUN_ERROR;
            snprintf(res->reason, sizeof(res->reason), "remote libvirt URI %.120s refused", uri);
            snprintf(errbuf, errlen, "DUMPBENCH_LIBVIRT_URI=%s is a remote URI: %s "
                     "(README: libvirt backend)", uri, perr);
            return QEMU_BACKEND_ERROR;
        }
    }
    if (!arch)
        snprintf(why, sizeof(why), "the libvirt backend runs x86_64, s390x and ppc64 scenarios");
    else if (qenv && (!qbin || !*qbin || access(qbin, X_OK) != 0))
        /* the patched QEMU is the domain's <emulator>: nothing to start libvirtd for */
        snprintf(why, sizeof(why), "%s %s (the patched qemu-system-%s, the domain's <emulator>; "
                 "ci/real-libvirt sets it)", qenv, qbin && *qbin ? "is not executable" : "is not set",
                 arch);
    else if (libvirt_launcher_path(launcher, sizeof(launcher)) != 0)
        snprintf(why, sizeof(why), "dumpbench-libvirt-qemu not built (libvirt-dev missing: "
                 "ci/setup libvirt, then make)");
    else if (local_system_uri(uri) && !libvirt_sock_alive(LIBVIRT_SOCK)) {
        if (geteuid() != 0) {
            snprintf(why, sizeof(why), "no libvirtd on %s and not root (cannot start one)",
                     LIBVIRT_SOCK);
        } else if (!mkdtemp(piddir)) {
            snprintf(why, sizeof(why), "mkdtemp: %s", strerror(errno));
        } else {
            have_piddir = true;
            if (!libvirt_sock_alive(VIRTLOGD_SOCK))
                started[0] = start_daemon("virtlogd", VIRTLOGD_SOCK, piddir, log, why,
                                          sizeof(why));
            if (!why[0])
                started[1] = start_daemon("libvirtd", LIBVIRT_SOCK, piddir, log, why,
                                          sizeof(why));
        }
    }
    if (!why[0]) {
        char *argv[] = { launcher, "--probe", qenv ? (char *)arch : NULL, NULL };
        char out[1024];
        int rc = run_capture(argv, 120, out, sizeof(out));
        if (rc != 0)
            snprintf(why, sizeof(why), "libvirt probe failed%s: %.700s",
                     rc == 77 ? "" : " (launcher error)", out[0] ? out : "no output");
        else
            fprintf(log, "libvirt: %s\n", out);
    }
    if (started[0] > 0 || started[1] > 0)
        run_result_add_phase(res, "libvirtd-start", lnow() - t0);
    int ret;
    if (why[0]) {
        fprintf(log, "SKIPPED: %s\n", why);
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof(res->reason), "SKIPPED: %.240s", why);
        snprintf(errbuf, errlen, "SKIPPED: %s", why);
        ret = QEMU_BACKEND_SKIPPED;
    } else {
        fprintf(log, "libvirt: running the %s scenario as a domain on %s through %s\n",
                arch, uri, launcher);
        fflush(log);
        struct lv_ctx lctx = { launcher, log };
        const struct qemu_x86_hooks hooks = {
            .post_dump = lv_post_dump,
            .post_dump_name = remote ? "virDomainCoreDumpWithFormat (memory-only) into a pool "
                                       "volume + virStorageVolDownload"
                                     : "virDomainCoreDumpWithFormat (memory-only)",
            .inject_nmi = lv_nmi,
            .add_vcpus = lv_add_vcpus,
            .attach_dimm = lv_attach_dimm,
            .save_ram = remote ? lv_save_ram : NULL,
            .fetch_disk = remote ? lv_fetch_disk : NULL,
            .name = remote ? "libvirt (remote)" : "libvirt",
            .ctx = &lctx,
        };
        /* QEMU runs in libvirtd's working directory: every path it is given
         * (pmemsave, the disk) must be absolute */
        char absdir[PATH_MAX];
        if (!realpath(run_dir, absdir))
            snprintf(absdir, sizeof(absdir), "%s", run_dir);
        else
            run_dir = absdir;
        if (remote) {
            /* lv_save_ram dumps once per run: no snapshot of an earlier run */
            char p[PATH_MAX + 16];
            snprintf(p, sizeof(p), "%s/truth-core.elf", run_dir);
            unlink(p);
        }
        if (s->machine.arch == SCN_ARCH_S390X)
            ret = qemu_s390x_run_with(launcher, s, run_dir, log, res, errbuf, errlen);
        else if (s->machine.arch == SCN_ARCH_PPC64)
            ret = qemu_ppc64_run_with(launcher, s, run_dir, log, res, errbuf, errlen);
        else
            ret = qemu_x86_run_with(launcher, &hooks, s, run_dir, log, res, errbuf, errlen);
        if (remote)
            reap_remote(launcher, run_dir, log);
        else
            reap_domain(launcher, run_dir, log);
        if (ret == QEMU_BACKEND_ERROR)
            add_launcher_error(run_dir, log, errbuf, errlen);
    }
    double ts = lnow();
    for (int i = 1; i >= 0; i--)
        if (started[i] > 0)
            stop_pid(started[i], 30, log, names[i]);
    if (started[0] > 0 || started[1] > 0)
        run_result_add_phase(res, "libvirtd-stop", lnow() - ts);
    if (have_piddir) {
        char p[PATH_MAX];
        for (int i = 0; i < 2; i++) {
            snprintf(p, sizeof(p), "%s/%s.pid", piddir, names[i]);
            unlink(p);
        }
        rmdir(piddir);
    }
    return ret;
}
