/*
 * QEMU backend, s390x: zfcpdump on the patched QEMU 7.2 (sim/qemu/) with an
 * unmodified Linux 6.1 zfcpdump kernel.
 *
 *  1. start qemu-system-s390x -M s390-ccw-virtio (TCG) with
 *     -object dumpbench-s390 (profile = the scenario's machine profile),
 *     Debian's stock s390x
 *     kernel + the initramfs of sim/guest/s390x (console ttysclp0 on
 *     FIFOs, QMP on a unix socket) and the dump disk at device 0.0.0002,
 *     the device of the dump IPL block the guest stores: a virtio-blk-ccw
 *     disk (`dump transport=virtio`, default), or an FCP adapter
 *     (`transport=fcp`: -device dumpbench-fcp, one or two LUNs backed by
 *     sparse files in the run directory, the FCP dump kernel
 *     DUMPBENCH_ZFCPDUMP_FCP_KERNEL brings zfcp up through sysfs and writes
 *     to the SCSI disk of the dump LUN; -no-shutdown so that the device's
 *     counters can be read after the dump kernel powered off);
 *     profile qemu-7.2 runs without the object (stock QEMU 7.2 behaviour);
 *  2. the guest arms the FCP dump (dump_type fcp, on_panic dump) and
 *     runs one command per console line;
 *  3. steps: hotplug-cpu (QMP device_add s390x-cpu, rescan + online in
 *     the guest), fault sdias (HMP "dumpbench-s390 fault sdias ..."),
 *     fault fcp (HMP "dumpbench-fcp fcp0 fault KIND ..."), crash [cpu=N]
 *     (sysrq c, pinned with taskset), hang (the console shell spins),
 *     operator-dump (HMP "dumpbench-s390 dump");
 *  4. the firmware writes the truth snapshot and IPLs the zfcpdump
 *     kernel, which reads the HSA through SDIAS and copies /proc/vmcore
 *     to the disk (dbcapture, or dd), releases the HSA and powers off;
 *  5. oracles (qemu_s390x_truth.c): every page equals the truth snapshot
 *     (named exemptions 0xa3 and 0x1200..0x13ff), every CPU's notes equal
 *     its registers, the reference agent's vmcore for the same snapshot
 *     (named differing fields), zgetdump -i as a second opinion; with two
 *     FCP LUNs the other LUN must be untouched (all zero).  FCP runs keep
 *     "dumpbench-fcp fcp0 info" in RUN/fcp-info.txt.
 *
 * DUMPBENCH_RECORD=script (deterministic replays, README "replays"): the
 * steps before the capture go to the guest init on the kernel command line
 * (dbscript=, qemu_s390x_script_plan) and the harness types nothing; the
 * dump kernel gets DUMP_CMDLINE_ICOUNT in every -icount mode.
 *
 * Prerequisites (environment, see harness/include/harness/qemu.h):
 * DUMPBENCH_QEMU_S390X, DUMPBENCH_ZFCPDUMP_KERNEL, DUMPBENCH_S390X_GUEST,
 * optional DUMPBENCH_QEMU_S390X_DATA and DUMPBENCH_ZGETDUMP.  A missing
 * one reports SKIPPED with the reason.  Every wait has a timeout scaled
 * by DUMPBENCH_TIMEOUT_SCALE (default 1; loaded hosts: 2-3).
 */
#include <harness/qemu.h>

#include <dumpbench/be.h>
#include <harness/capture_record.h>

#include "qemu_internal.h"

#include <harness/replay.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#define DUMP_DEVNO      "fe.0.0002"
/* The FCP dump target (transport=fcp): the port of -device dumpbench-fcp
 * and its LUNs, index 0 and 1 (sim/guest/s390x/init arms the dump with
 * dbwwpn=/dblun=; the dump kernel adds the IPL block's LUN). */
#define FCP_WWPN        "0x5005076300c7a9b1"
static const char *const fcp_lun_id[2] = { "0x4010400000000000", "0x4011400000000000" };
#define DUMP_CMDLINE    "console=ttysclp0"
/*
 * Every DUMPBENCH_RECORD mode but none (all run -icount sleep=off) adds
 * these to the dump kernel's command line (measured, QEMU 7.2, 2 vCPUs;
 * README "replays"):
 *   nr_cpus=1  the dump kernel brings up no second CPU.  With two, QEMU's
 *              single-threaded round-robin TCG left CPU 1 unscheduled while
 *              CPU 0 spun on it (__cpu_up waiting for CPU 1; later
 *              arch_spin_lock_wait against CPU 1 holding the page-cache
 *              lock in xas_create): the copy stalled (64 MiB of 257) or the
 *              dump kernel never printed.  The save areas of all CPUs are
 *              read at boot by SIGP store status regardless of nr_cpus
 *              (lx61:arch/s390/kernel/smp.c smp_save_dump_cpus), so the
 *              dump is the same.
 *   nohz=off   a periodic tick (HZ=100) while idle, a precaution: with
 *              sleep=off an idle machine jumps to the earliest
 *              QEMU_CLOCK_VIRTUAL timer (softmmu/icount.c
 *              icount_start_warp_timer), so each wait for a host disk write
 *              moves the guest clock by at most one tick instead of to the
 *              next NO_HZ timer (the block layer's 30 s timeout, or a CPU
 *              timer at Linux's maximal vtimer slice: a warp of
 *              2251799805661367615 ns, ~71 years, was seen with gdb).
 * Neither changes the image: it is the crashed system's memory and save
 * areas; the dump kernel only copies it.
 */
#define DUMP_CMDLINE_ICOUNT " nohz=off nr_cpus=1"
/* Profile qemu-7.2 is what stock QEMU 7.2 offers (no HSA, no SDIAS, no
 * DIAG 308 2/4): the backend runs it as stock QEMU, without the object. */
#define PROFILE_STOCK   "qemu-7.2"

struct srun {
    const struct scenario *s;
    FILE *log;
    struct run_result *res;
    const char *dir;
    char sock[64];
    char qemu[512], data[512], dkernel[512], guest[512], zgetdump[512];
    const char *launcher;   /* libvirt backend: started in place of qemu (qemu_s390x_run_with) */
    bool fcp;               /* dump transport=fcp (-device dumpbench-fcp) */
    unsigned fcp_luns;      /* LUNs on the adapter (1..2) */
    unsigned dump_lun;      /* index of the LUN the dump goes to */
    char disk_name[32];     /* dump disk image in the run dir */
    char fcp_fault[160];    /* the HMP fault command armed, "" when none */
    char fcp_deferred[160]; /* `when=copy`: HMP fault command sent once the copy starts */
    int fcp_deferred_line;
    char fcp_info[1024];    /* last "dumpbench-fcp fcp0 info" answer */
    struct qproc p;
    struct qmp q;
    bool qmp_open;
    bool stock;             /* no -object: stock QEMU 7.2 */
    bool fmt_s390;          /* dbcapture --format s390 */
    bool icount;            /* DUMPBENCH_RECORD other than none: -icount sleep=off */
    bool script;            /* DUMPBENCH_RECORD=script: the guest runs the steps (dbscript=) */
    char plan[256];         /* the dbscript= token list (qemu_s390x_script_plan) */
    int64_t corrupt_paddr;  /* `step fault vmcore paddr=` (negative control) or -1 */
    bool armed;             /* the guest accepted dump_type fcp */
    char armline[200];
    bool dumping;           /* a crash/operator dump was started */
    bool captured;
    unsigned seq;
    unsigned cpus_online;
    double t0, t_crash;
    double scale;
    uint64_t disk_size;
    char err[512];
};

static void say(struct srun *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct srun *r, const char *fmt, ...)
{
    if (!r->log)
        return;
    va_list ap;
    va_start(ap, fmt);
    fprintf(r->log, "[%7.2f] ", qnow() - r->t0);
    vfprintf(r->log, fmt, ap);
    fputc('\n', r->log);
    fflush(r->log);
    va_end(ap);
}

static int fail(struct srun *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct srun *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    say(r, "error: %s", r->err);
    return -1;
}

static int tmo(const struct srun *r, int ms)
{
    return (int)(ms * r->scale);
}

static void path_in(const struct srun *r, char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", r->dir, name);
}

/* ---- prerequisites -------------------------------------------------------- */

/* `QEMU -device help` lists `name` (QEMU 7.2: `name "NAME", bus ...`). */
static bool qemu_has_device(const char *qemu, const char *data, const char *name)
{
    int pfd[2];
    if (pipe(pfd) != 0)
        return false;
    pid_t pid = fork();
    if (pid < 0) {
        close(pfd[0]);
        close(pfd[1]);
        return false;
    }
    if (pid == 0) {
        dup2(pfd[1], 1);
        dup2(pfd[1], 2);
        close(pfd[0]);
        close(pfd[1]);
        if (data && *data)
            execl(qemu, qemu, "-L", data, "-M", "s390-ccw-virtio,accel=tcg", "-device", "help",
                  (char *)NULL);
        else
            execl(qemu, qemu, "-M", "s390-ccw-virtio,accel=tcg", "-device", "help", (char *)NULL);
        _exit(127);
    }
    close(pfd[1]);
    char want[96];
    snprintf(want, sizeof want, "\"%s\"", name);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    bool found = false;
    for (;;) {
        ssize_t n = buf ? read(pfd[0], buf + len, cap - len) : -1;
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
        if (len == cap) {
            char *nb = realloc(buf, 2 * cap + 1);
            if (!nb)
                break;
            buf = nb;
            cap *= 2;
        }
    }
    close(pfd[0]);
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (buf) {
        buf[len] = '\0';
        found = strstr(buf, want) != NULL;
    }
    free(buf);
    return found;
}

static const char *prereqs(struct srun *r, char *why, size_t wl)
{
    const struct scenario *s = r->s;
    const char *q = getenv("DUMPBENCH_QEMU_S390X");
    const char *k = getenv("DUMPBENCH_ZFCPDUMP_KERNEL");
    const char *g = getenv("DUMPBENCH_S390X_GUEST");
    const char *d = getenv("DUMPBENCH_QEMU_S390X_DATA");
    const char *z = getenv("DUMPBENCH_ZGETDUMP");
    const char *sc = getenv("DUMPBENCH_TIMEOUT_SCALE");
    r->scale = sc && atof(sc) >= 1.0 ? atof(sc) : 1.0;
    if (strcmp(s->dump.method ? s->dump.method : "", "zfcpdump") != 0)
        return "the s390x qemu backend runs dump method zfcpdump only";
    if (s->dump.format && strcmp(s->dump.format, "elf") != 0 && strcmp(s->dump.format, "s390") != 0)
        return "the s390x qemu backend writes ELF or s390 stand-alone dumps only";
    r->fmt_s390 = s->dump.format && strcmp(s->dump.format, "s390") == 0;
    if (!q || !*q)
        return "DUMPBENCH_QEMU_S390X is not set (patched qemu-system-s390x; ci/real-s390x sets it)";
    if (access(q, X_OK) != 0) {
        snprintf(why, wl, "DUMPBENCH_QEMU_S390X=%s is not executable", q);
        return why;
    }
    snprintf(r->qemu, sizeof r->qemu, "%s", q);
    if (d && *d) {
        snprintf(r->data, sizeof r->data, "%s", d);
    } else {
        /* installed layout: PREFIX/bin/qemu-system-s390x, PREFIX/share/qemu */
        char buf[600];
        snprintf(buf, sizeof buf, "%s", q);
        char *sl = strrchr(buf, '/');
        if (sl) {
            *sl = '\0';
            snprintf(r->data, sizeof r->data, "%.480s/../share/qemu", buf);
        }
    }
    r->fcp = s->dump.transport && strcmp(s->dump.transport, "fcp") == 0;
    r->fcp_luns = r->fcp ? s->dump.fcp_luns : 1;
    r->dump_lun = r->fcp ? s->dump.lun : 0;
    if (r->fcp_luns < 1 || r->fcp_luns > 2 || r->dump_lun >= r->fcp_luns)
        return "dump fcp-luns/lun out of range (the parser allows 1..2 LUNs, lun < fcp-luns)";
    if (r->fcp)
        snprintf(r->disk_name, sizeof r->disk_name, "lun%u.raw", r->dump_lun);
    else
        snprintf(r->disk_name, sizeof r->disk_name, "dump-disk.raw");
    if (r->fcp) {
        const char *fk = getenv("DUMPBENCH_ZFCPDUMP_FCP_KERNEL");
        if (r->s->machine.profile && strcmp(r->s->machine.profile, PROFILE_STOCK) == 0)
            return "dump transport=fcp needs the firmware object (profile qemu-7.2 runs without it)";
        if (!fk || !*fk)
            return "DUMPBENCH_ZFCPDUMP_FCP_KERNEL is not set (ci/build-kernel zfcpdump-fcp-s390x bzImage)";
        if (access(fk, R_OK) != 0) {
            snprintf(why, wl, "DUMPBENCH_ZFCPDUMP_FCP_KERNEL=%s is not readable", fk);
            return why;
        }
        if (!qemu_has_device(q, r->data, "dumpbench-fcp")) {
            snprintf(why, wl, "%.400s has no -device dumpbench-fcp (QEMU without the FCP adapter "
                     "emulation: `-device help` does not list it)", q);
            return why;
        }
        snprintf(r->dkernel, sizeof r->dkernel, "%s", fk);
    } else if (!r->s->machine.profile || strcmp(r->s->machine.profile, PROFILE_STOCK) != 0) {
        if (!k || !*k)
            return "DUMPBENCH_ZFCPDUMP_KERNEL is not set (ci/build-kernel zfcpdump-s390x bzImage)";
        if (access(k, R_OK) != 0) {
            snprintf(why, wl, "DUMPBENCH_ZFCPDUMP_KERNEL=%s is not readable", k);
            return why;
        }
        snprintf(r->dkernel, sizeof r->dkernel, "%s", k);
    } else {
        r->stock = true;
    }
    if (!g || !*g)
        return "DUMPBENCH_S390X_GUEST is not set (sim/guest/s390x/build-guest.sh OUT)";
    snprintf(r->guest, sizeof r->guest, "%s", g);
    char f[600];
    snprintf(f, sizeof f, "%s/done", g);
    if (access(f, R_OK) != 0) {
        snprintf(why, wl, "no s390x guest at %s (sim/guest/s390x/build-guest.sh did not finish)", g);
        return why;
    }
    if (z && *z)
        snprintf(r->zgetdump, sizeof r->zgetdump, "%s", z);
    if (r->fmt_s390) {
        char done[200] = "";
        FILE *df = fopen(f, "r");
        if (df) {
            if (!fgets(done, sizeof done, df))
                done[0] = '\0';
            fclose(df);
        }
        if (!strstr(done, "capture=dbcapture")) {
            snprintf(why, wl, "format s390 needs dbcapture in the guest (%.300s says: %.100s)", f, done);
            return why;
        }
    }
    return NULL;
}

/* ---- console commands ----------------------------------------------------- */

static int guest_cmd(struct srun *r, const char *cmd, int timeout_ms, char *out, size_t outlen)
{
    char line[2048], marker[48];
    unsigned n = ++r->seq;
    snprintf(line, sizeof line, "%s; echo \"@@DO\"\"NE-%u:$?\"\n", cmd, n);
    snprintf(marker, sizeof marker, "@@DONE-%u:", n);
    qproc_pump(&r->p, 0);
    r->p.con_pos = r->p.con_len;
    size_t start = r->p.con_len;
    say(r, "guest$ %s", cmd);
    if (qproc_send(&r->p, line) != 0)
        return fail(r, "cannot write to the guest console");
    const char *ok[] = { marker };
    const char *bad[] = { "Kernel panic - not syncing" };
    int m = qproc_expect(&r->p, ok, 1, bad, 1, tmo(r, timeout_ms));
    if (m != 0)
        return fail(r, "guest command '%s' %s; console tail:\n%s", cmd,
                    m == -100 ? "timed out" : m == -1 ? "ended with QEMU's exit" :
                    "hit a kernel panic", qproc_tail(&r->p, 1500));
    const char *mk = strstr(r->p.con + start, marker);
    int rc = mk ? atoi(mk + strlen(marker)) : -1;
    if (out && outlen) {
        /* output: after the echoed command line, before the marker */
        const char *b = r->p.con + start;
        const char *nl = strchr(b, '\n');
        if (nl && nl < mk)
            b = nl + 1;
        size_t l = mk && mk > b ? (size_t)(mk - b) : 0;
        if (l >= outlen)
            l = outlen - 1;
        memcpy(out, b, l);
        out[l] = '\0';
    }
    return rc;
}

static int hmp(struct srun *r, const char *cmdline, char *out, size_t outlen)
{
    struct json_object *args = json_object_new_object(), *ret = NULL;
    json_object_object_add(args, "command-line", json_object_new_string(cmdline));
    say(r, "hmp: %s", cmdline);
    int rc = qmp_exec(&r->q, "human-monitor-command", args, &ret, tmo(r, 20000), r->err,
                      sizeof r->err);
    json_object_put(args);
    if (rc != 0)
        return fail(r, "HMP '%s': %s", cmdline, r->err);
    const char *txt = ret && json_object_is_type(ret, json_type_string) ?
                      json_object_get_string(ret) : "";
    say(r, "hmp> %s", txt);
    if (out && outlen)
        snprintf(out, outlen, "%s", txt);
    json_object_put(ret);
    return 0;
}

/* ---- DUMPBENCH_RECORD=script ----------------------------------------------- */

/*
 * The scenario's steps before the capture as the guest init's token list
 * (kernel command line dbscript=TOKENS, run by sim/guest/s390x/init after
 * @@READY without console input; comma-separated):
 *   crash      sysrq c from the init shell's CPU
 *   crash:N    sysrq c pinned to CPU N (taskset -c N), like `step crash cpu=N`
 *   sleep:MS   the guest sleeps MS ms (`step run ms=N`; guest time, not the host's)
 * `step boot` is implicit and `step fault vmcore` acts on the captured image
 * after the run.  Every other step before the capture (hotplug-cpu: QMP
 * device_add; fault sdias/fcp: HMP; operator-dump: HMP; hang: a console
 * command) is refused with its line: the host would act at a wall-clock
 * instant.  Nothing may follow the crash before the capture but `run` (a
 * host wait) and `fault vmcore`.  0, or -1 with err.
 */
int qemu_s390x_script_plan(const struct scenario *s, char *out, size_t len, char *err,
                           size_t errlen)
{
    static const int allowed[] = { SCN_STEP_BOOT, SCN_STEP_CRASH, SCN_STEP_RUN, SCN_STEP_FAULT };
    if (qemu_record_script_steps(s, allowed, sizeof allowed / sizeof allowed[0], err, errlen) != 0)
        return -1;
    size_t n = 0;
    bool crashed = false;
    out[0] = '\0';
    for (size_t i = 0; i < s->nsteps; i++) {
        const struct scn_item *it = &s->steps[i];
        char tok[48] = "";
        if (it->kind == SCN_STEP_CAPTURE)
            break;
        switch (it->kind) {
        case SCN_STEP_FAULT:
            if (!it->word || strcmp(it->word, "vmcore") != 0) {
                snprintf(err, errlen, "line %d: step fault %s is host-driven (an HMP command at a "
                         "wall-clock instant); DUMPBENCH_RECORD=script runs only the steps the "
                         "guest does by itself before the capture (boot, crash, run, fault vmcore)",
                         it->line, it->word ? it->word : "?");
                return -1;
            }
            break;
        case SCN_STEP_CRASH: {
            int64_t cpu = scn_get_num(it, "cpu", -1);
            if (crashed) {
                snprintf(err, errlen, "line %d: a second crash step; the guest is already dumping",
                         it->line);
                return -1;
            }
            if (cpu >= (int64_t)s->machine.cpus) {
                snprintf(err, errlen, "line %d: crash cpu=%" PRId64 " but the machine has %u CPU(s) "
                         "(script mode has no hotplug)", it->line, cpu, s->machine.cpus);
                return -1;
            }
            if (cpu >= 0)
                snprintf(tok, sizeof tok, "crash:%" PRId64, cpu);
            else
                snprintf(tok, sizeof tok, "crash");
            crashed = true;
            break;
        }
        case SCN_STEP_RUN: {
            int64_t ms = scn_get_num(it, "ms", 0);
            if (ms < 0 || ms > 3600000) {
                snprintf(err, errlen, "line %d: run ms=%" PRId64 " out of range (0..3600000)",
                         it->line, ms);
                return -1;
            }
            if (!crashed && ms > 0)
                snprintf(tok, sizeof tok, "sleep:%" PRId64, ms);
            break;
        }
        default:
            break;
        }
        if (!tok[0])
            continue;
        int w = snprintf(out + n, len - n, "%s%s", n ? "," : "", tok);
        if (w < 0 || (size_t)w >= len - n) {
            snprintf(err, errlen, "line %d: the step list is too long for dbscript= (%zu bytes)",
                     it->line, len);
            return -1;
        }
        n += (size_t)w;
    }
    return 0;
}

/* ---- QEMU start and boot ------------------------------------------------- */

/* The dump disk(s), sparse, each disk_size bytes: dump-disk.raw (virtio)
 * or lun0.raw [lun1.raw] (FCP; dumpbench-fcp takes the LUN size from the
 * file). */
static int make_disks(struct srun *r)
{
    char info[600];
    path_in(r, info, sizeof info, "fcp-info.txt");
    unlink(info);           /* fcp_record_info appends */
    for (unsigned i = 0; i < (r->fcp ? r->fcp_luns : 1u); i++) {
        char disk[600], name[32];
        if (r->fcp)
            snprintf(name, sizeof name, "lun%u.raw", i);
        else
            snprintf(name, sizeof name, "%s", r->disk_name);
        path_in(r, disk, sizeof disk, name);
        int fd = open(disk, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        if (fd < 0 || ftruncate(fd, (off_t)r->disk_size) != 0) {
            int e = errno;
            if (fd >= 0)
                close(fd);
            return fail(r, "cannot create %s: %s", disk, strerror(e));
        }
        close(fd);
    }
    return 0;
}

/* -device dumpbench-fcp (interface: /tmp/db/fcp-interface.md, the device
 * engineer's sim/qemu files): one P2P port, LUN i backed by RUN/luni.raw. */
static void fcp_device_arg(const struct srun *r, char *dev, size_t len)
{
    int n = snprintf(dev, len, "dumpbench-fcp,id=fcp0,devno=%s,wwpn=%s", DUMP_DEVNO, FCP_WWPN);
    for (unsigned i = 0; i < r->fcp_luns && n > 0 && (size_t)n < len; i++)
        n += snprintf(dev + n, len - (size_t)n, ",lun%u=%s,file%u=%.250s/lun%u.raw", i,
                      fcp_lun_id[i], i, r->dir, i);
    if (n > 0 && (size_t)n < len)
        snprintf(dev + n, len - (size_t)n, ",log=%.250s/fcp.log", r->dir);
}

static int start_qemu(struct srun *r)
{
    const struct scenario *s = r->s;
    char mem[32], smp[64], kernel[600], initrd[600], disk[600], drive[700];
    char con[128], qmpa[128], obj[2400], dev[2000], append[512];
    unsigned maxc = s->machine.max_cpus > s->machine.cpus ? s->machine.max_cpus : s->machine.cpus;
    snprintf(mem, sizeof mem, "%" PRIu64 "M", s->machine.memory >> 20);
    snprintf(smp, sizeof smp, "%u,maxcpus=%u", s->machine.cpus, maxc);
    snprintf(kernel, sizeof kernel, "%s/vmlinuz", r->guest);
    snprintf(initrd, sizeof initrd, "%s/initrd.gz", r->guest);
    path_in(r, disk, sizeof disk, r->disk_name);
    r->disk_size = s->machine.memory + (64ull << 20);
    if (make_disks(r) != 0)
        return -1;
    char truth[600];
    path_in(r, truth, sizeof truth, "truth.bin");
    unlink(truth);
    snprintf(drive, sizeof drive, "file=%s,format=raw,if=none,id=dump0,cache=unsafe", disk);
    if (r->fcp)
        fcp_device_arg(r, dev, sizeof dev);
    else
        snprintf(dev, sizeof dev, "virtio-blk-ccw,drive=dump0,devno=%s", DUMP_DEVNO);
    snprintf(con, sizeof con, "pipe,id=con,path=%s/con", r->sock);
    snprintf(qmpa, sizeof qmpa, "unix:%s/qmp,server=on,wait=off", r->sock);
    snprintf(append, sizeof append, "console=ttysclp0 dbdev=0.0.0002 loglevel=5%s%s%s%s",
             r->fcp ? " dbwwpn=" FCP_WWPN " dblun=" : "", r->fcp ? fcp_lun_id[r->dump_lun] : "",
             r->script ? " dbscript=" : "", r->script ? r->plan : "");
    const char *prof = s->machine.profile ? s->machine.profile : "z15-32m";
    snprintf(obj, sizeof obj, "dumpbench-s390,id=db0,profile=%s,dump-kernel=%s,dump-initrd=%s,"
             "dump-cmdline=" DUMP_CMDLINE "%s%s,truth=%s,dump-devno=2%s%s", prof, r->dkernel, initrd,
             r->fmt_s390 ? " dbformat=s390" : "", r->icount ? DUMP_CMDLINE_ICOUNT : "", truth,
             r->fcp ? ",dump-wwpn=" FCP_WWPN ",dump-lun=" : "", r->fcp ? fcp_lun_id[r->dump_lun] : "");
    char *argv[48];
    size_t n = 0;
    argv[n++] = r->launcher ? (char *)r->launcher : r->qemu;
    argv[n++] = "-nodefaults";
    argv[n++] = "-no-user-config";
    argv[n++] = "-M";
    argv[n++] = "s390-ccw-virtio,accel=tcg";
    argv[n++] = "-m";
    argv[n++] = mem;
    argv[n++] = "-smp";
    argv[n++] = smp;
    argv[n++] = "-display";
    argv[n++] = "none";
    argv[n++] = "-no-reboot";
    argv[n++] = "-chardev";
    argv[n++] = con;
    argv[n++] = "-serial";
    argv[n++] = "chardev:con";
    argv[n++] = "-qmp";
    argv[n++] = qmpa;
    argv[n++] = "-kernel";
    argv[n++] = kernel;
    argv[n++] = "-initrd";
    argv[n++] = initrd;
    argv[n++] = "-append";
    argv[n++] = append;
    if (!r->fcp) {
        argv[n++] = "-drive";
        argv[n++] = drive;
    }
    argv[n++] = "-device";
    argv[n++] = dev;
    if (r->fcp)
        argv[n++] = "-no-shutdown";   /* fcp_finish reads the device's counters */
    if (!r->stock) {
        argv[n++] = "-object";
        argv[n++] = obj;
    }
    if (r->data[0]) {
        argv[n++] = "-L";
        argv[n++] = r->data;
    }
    argv[n] = NULL;
    struct qemu_record rec;   /* DUMPBENCH_RECORD: -icount, record/replay (qemu_record.c) */
    char rerr[600];
    char **av = qemu_record_argv(&rec, argv, "s390x", r->dir, rerr, sizeof rerr);
    if (!av)
        return fail(r, "%s", rerr);
    if (qemu_record_script(&rec) != r->script)
        return fail(r, "DUMPBENCH_RECORD changed while the backend started (script mode %s)",
                    r->script ? "planned, not in the argv" : "in the argv, not planned");
    say(r, "%s%s%s", rec.what, r->script ? "; the guest runs dbscript=" : "",
        r->script ? r->plan : "");
    char cmdline[4096] = "";
    for (size_t i = 0; av[i]; i++) {
        strncat(cmdline, av[i], sizeof cmdline - strlen(cmdline) - 2);
        strcat(cmdline, " ");
    }
    say(r, "starting %s", cmdline);
    char fifo[128], clog[600];
    snprintf(fifo, sizeof fifo, "%s/con", r->sock);
    path_in(r, clog, sizeof clog, "console.log");
    if (qproc_start(&r->p, av, fifo, clog, r->err, sizeof r->err) != 0)
        return -1;
    char qpath[128];
    snprintf(qpath, sizeof qpath, "%s/qmp", r->sock);
    if (qmp_connect(&r->q, qpath, tmo(r, 20000), r->err, sizeof r->err) != 0)
        return fail(r, "QMP: %s; console tail:\n%s", r->err, qproc_tail(&r->p, 800));
    r->qmp_open = true;
    return 0;
}

static const char *line_at(const struct qproc *p, const char *key, char *buf, size_t len)
{
    const char *h = strstr(p->con, key);
    if (!h) {
        buf[0] = '\0';
        return NULL;
    }
    size_t l = strcspn(h, "\r\n");
    if (l >= len)
        l = len - 1;
    memcpy(buf, h, l);
    buf[l] = '\0';
    return buf;
}

static int boot(struct srun *r)
{
    double t = qnow();
    const char *ok[] = { "@@READY" };
    const char *bad[] = { "Kernel panic - not syncing", "@@EOF" };
    int m = qproc_expect(&r->p, ok, 1, bad, 2, tmo(r, 180000));
    if (m != 0)
        return fail(r, "boot: %s; console tail:\n%s",
                    m == -100 ? "no @@READY within 180 s" : m == -1 ? "QEMU exited" : "kernel panic",
                    qproc_tail(&r->p, 1500));
    r->armed = line_at(&r->p, "@@ARMED", r->armline, sizeof r->armline) != NULL;
    if (!r->armed)
        line_at(&r->p, "@@NODUMP", r->armline, sizeof r->armline);
    char rl[160];
    line_at(&r->p, "@@READY", rl, sizeof rl);
    const char *c = strstr(rl, "cpus=");
    r->cpus_online = c ? (unsigned)atoi(c + 5) : 0;
    say(r, "booted in %.1f s: %s; %s", qnow() - t, rl, r->armline);
    run_result_add_phase(r->res, "boot", qnow() - t);
    return 0;
}

/* ---- steps ---------------------------------------------------------------- */

static int count_online(struct srun *r)
{
    char out[256];
    if (guest_cmd(r, "grep -c ^processor /proc/cpuinfo", 20000, out, sizeof out) != 0)
        return -1;
    return atoi(out);
}

static int step_hotplug_cpu(struct srun *r, const struct scn_item *it)
{
    int64_t count = scn_get_num(it, "count", 1);
    for (int64_t k = 0; k < count; k++) {
        struct json_object *ret = NULL;
        if (qmp_exec(&r->q, "query-hotpluggable-cpus", NULL, &ret, tmo(r, 10000), r->err,
                     sizeof r->err) != 0)
            return -1;
        struct json_object *slot = NULL;
        int64_t core = -1;
        for (size_t i = 0; i < json_object_array_length(ret); i++) {
            struct json_object *c = json_object_array_get_idx(ret, i);
            struct json_object *props, *cid;
            if (json_object_object_get_ex(c, "qom-path", NULL) ||
                !json_object_object_get_ex(c, "props", &props) ||
                !json_object_object_get_ex(props, "core-id", &cid))
                continue;
            int64_t v = json_object_get_int64(cid);
            if (!slot || v < core) {
                slot = c;
                core = v;
            }
        }
        if (!slot) {
            json_object_put(ret);
            return fail(r, "line %d: no free CPU slot (max-cpus %u)", it->line, r->s->machine.max_cpus);
        }
        struct json_object *type = NULL;
        json_object_object_get_ex(slot, "type", &type);
        struct json_object *args = json_object_new_object(), *dret = NULL;
        char id[32];
        snprintf(id, sizeof id, "hpcpu%" PRId64, core);
        json_object_object_add(args, "driver", json_object_new_string(type ? json_object_get_string(type) : "s390x-cpu"));
        json_object_object_add(args, "id", json_object_new_string(id));
        json_object_object_add(args, "core-id", json_object_new_int64(core));
        json_object_put(ret);
        say(r, "device_add s390x-cpu core-id=%" PRId64, core);
        int rc = qmp_exec(&r->q, "device_add", args, &dret, tmo(r, 20000), r->err, sizeof r->err);
        json_object_put(args);
        json_object_put(dret);
        if (rc != 0)
            return fail(r, "line %d: device_add s390x-cpu core-id=%" PRId64 ": %s", it->line, core,
                        r->err);
        /* Linux learns of the CPU from the SCLP CPU-change event or a rescan;
         * it comes up offline (lx61:arch/s390/kernel/smp.c smp_rescan_cpus). */
        char cmd[400];
        snprintf(cmd, sizeof cmd,
                 "i=0; while [ ! -e /sys/devices/system/cpu/cpu%" PRId64 "/online ] && [ $i -lt 100 ]; do "
                 "echo 1 > /sys/devices/system/cpu/rescan; sleep 0.2; i=$((i+1)); done; "
                 "echo 1 > /sys/devices/system/cpu/cpu%" PRId64 "/online && "
                 "cat /sys/devices/system/cpu/cpu%" PRId64 "/online", core, core, core);
        char out[256];
        rc = guest_cmd(r, cmd, 60000, out, sizeof out);
        if (rc != 0)
            return r->err[0] ? -1 : fail(r, "line %d: CPU %" PRId64 " did not come online in the "
                                         "guest (exit %d): %.200s", it->line, core, rc, out);
    }
    int n = count_online(r);
    if (n < 0)
        return -1;
    say(r, "CPUs online in the guest: %d", n);
    r->cpus_online = (unsigned)n;
    return 0;
}

/*
 * `step fault fcp kind=K [lun=N] [at-block=N] [count=N]` -> HMP
 * "dumpbench-fcp fcp0 fault K lun=N at-block=N count=N" (armed before the
 * crash, like the SDIAS fault; the fault lives on the device, so it fires
 * in the dump kernel).  lun defaults to the dump LUN.  when=copy arms it
 * instead once the dump kernel's capture tool starts copying ("DBCAPTURE:
 * copying", printed after dbcapture's in-progress record at the end of the
 * LUN is synced; "@@CAPTURE dd"): a fault at a block inside the dump is
 * then hit by the dump data, not by that record.
 */
static int fcp_arm(struct srun *r, int line, const char *cmd);

static int step_fault_fcp(struct srun *r, const struct scn_item *it)
{
    if (!r->fcp)
        return fail(r, "line %d: fault fcp needs `dump transport=fcp` (this scenario's dump disk is "
                    "virtio-blk)", it->line);
    const char *kind = scn_get_str(it, "kind", "");
    int64_t lun = scn_get_num(it, "lun", r->dump_lun);
    int64_t at = scn_get_num(it, "at-block", -1), cnt = scn_get_num(it, "count", -1);
    if (lun < 0 || lun >= (int64_t)r->fcp_luns)
        return fail(r, "line %d: fault fcp lun=%" PRId64 " but the adapter has %u LUN(s)", it->line,
                    lun, r->fcp_luns);
    char cmd[160];
    int n = snprintf(cmd, sizeof cmd, "dumpbench-fcp fcp0 fault %s lun=%" PRId64, kind, lun);
    if (at >= 0)
        n += snprintf(cmd + n, sizeof cmd - (size_t)n, " at-block=%" PRId64, at);
    if (cnt >= 0)
        snprintf(cmd + n, sizeof cmd - (size_t)n, " count=%" PRId64, cnt);
    if (strcmp(scn_get_str(it, "when", "now"), "copy") == 0) {
        if (r->fcp_deferred[0])
            return fail(r, "line %d: only one `fault fcp ... when=copy` per scenario (the other is "
                        "at line %d)", it->line, r->fcp_deferred_line);
        snprintf(r->fcp_deferred, sizeof r->fcp_deferred, "%s", cmd);
        r->fcp_deferred_line = it->line;
        say(r, "line %d: '%s' is armed when the dump kernel's capture starts copying", it->line, cmd);
        return 0;
    }
    return fcp_arm(r, it->line, cmd);
}

/* Send an FCP fault command; it must be accepted. */
static int fcp_arm(struct srun *r, int line, const char *cmd)
{
    char out[512];
    if (hmp(r, cmd, out, sizeof out) != 0)
        return -1;
    /* accepted: "fault KIND armed on lun N: ..." (dumpbench-fcp-model.c
     * dbf_fault); refused: "fault: why", "unknown ...", "no dumpbench-fcp ..." */
    if (strncmp(out, "fault ", 6) != 0 || !strstr(out, " armed on "))
        return fail(r, "line %d: the FCP device refused '%s': %s", line, cmd, out);
    snprintf(r->fcp_fault, sizeof r->fcp_fault, "%s", cmd + strlen("dumpbench-fcp fcp0 fault "));
    return 0;
}

static int step_fault(struct srun *r, const struct scn_item *it)
{
    if (it->word && strcmp(it->word, "vmcore") == 0) {
        /* negative control: flip a byte of the captured vmcore */
        r->corrupt_paddr = scn_get_num(it, "paddr", -1);
        return 0;
    }
    if (it->word && strcmp(it->word, "fcp") == 0)
        return step_fault_fcp(r, it);
    if (!it->word || strcmp(it->word, "sdias") != 0)
        return fail(r, "line %d: step fault %s is not supported by the s390x qemu backend "
                    "(sdias, fcp, vmcore only)", it->line, it->word ? it->word : "?");
    if (r->stock)
        return fail(r, "line %d: fault sdias needs the firmware object (profile %s has none)",
                    it->line, PROFILE_STOCK);
    char cmd[160], out[512];
    int64_t at = scn_get_num(it, "at-block", -1), cnt = scn_get_num(it, "count", -1);
    int n = snprintf(cmd, sizeof cmd, "dumpbench-s390 fault sdias status=%" PRId64,
                     scn_get_num(it, "status", 3));
    if (at >= 0)
        n += snprintf(cmd + n, sizeof cmd - (size_t)n, " at-block=%" PRId64, at);
    if (cnt >= 0)
        snprintf(cmd + n, sizeof cmd - (size_t)n, " count=%" PRId64, cnt);
    if (hmp(r, cmd, out, sizeof out) != 0)
        return -1;
    if (!strstr(out, "fault sdias armed"))
        return fail(r, "line %d: the firmware refused '%s': %s", it->line, cmd, out);
    return 0;
}

static int step_crash(struct srun *r, const struct scn_item *it)
{
    int64_t cpu = scn_get_num(it, "cpu", -1);
    char line[160];
    r->cpus_online = (unsigned)count_online(r);
    if (cpu >= 0)
        snprintf(line, sizeof line, "taskset -c %" PRId64 " sh -c 'echo c > /proc/sysrq-trigger'\n",
                 cpu);
    else
        snprintf(line, sizeof line, "echo c > /proc/sysrq-trigger\n");
    say(r, "crash: %s", line);
    r->t_crash = qnow();
    r->dumping = true;
    if (qproc_send(&r->p, line) != 0)
        return fail(r, "cannot write to the guest console");
    return 0;
}

/* Script mode: the guest init crashes by itself (dbscript crash[:N]); the
 * harness only notes it.  The CPU count is the @@READY line's. */
static int step_crash_script(struct srun *r, const struct scn_item *it)
{
    say(r, "line %d: crash%s by the guest init (dbscript=%s); the console gets no input",
        it->line, scn_get_num(it, "cpu", -1) >= 0 ? " pinned" : "", r->plan);
    r->t_crash = qnow();
    r->dumping = true;
    return 0;
}

static int step_hang(struct srun *r)
{
    r->cpus_online = (unsigned)count_online(r);
    say(r, "hang: the console shell spins; the guest no longer answers");
    if (qproc_send(&r->p, "echo @@HANG; while :; do :; done\n") != 0)
        return fail(r, "cannot write to the guest console");
    const char *ok[] = { "@@HANG" };
    qproc_expect(&r->p, ok, 1, NULL, 0, tmo(r, 10000));
    for (double end = qnow() + 2; qnow() < end;)
        qproc_pump(&r->p, 100);
    return 0;
}

static int step_operator_dump(struct srun *r)
{
    char out[256];
    r->t_crash = qnow();
    r->dumping = true;
    if (r->stock)
        return fail(r, "operator-dump needs the firmware object (profile %s has none)", PROFILE_STOCK);
    if (hmp(r, "dumpbench-s390 dump", out, sizeof out) != 0)
        return -1;
    if (!strstr(out, "dump IPL requested"))
        return fail(r, "operator dump refused: %s", out);
    return 0;
}

/* ---- capture ---------------------------------------------------------------- */

struct cap {
    bool dump_kernel;       /* the dump kernel ran */
    bool result;            /* a RESULT line was seen */
    enum run_outcome outcome;
    char reason[256];
    uint64_t vmcore_size;
    bool dbcapture;
    double cap_seconds;     /* @@CAPTURE-TIME: the copy (+ dbcapture's read-back), guest clock */
    uint64_t cap_bytes;
};

/* ---- FCP device state ------------------------------------------------------- */

/* HMP without touching r->err (best effort, for the record). */
static int hmp_quiet(struct srun *r, const char *cmdline, char *out, size_t outlen)
{
    struct json_object *args = json_object_new_object(), *ret = NULL;
    char e[256];
    json_object_object_add(args, "command-line", json_object_new_string(cmdline));
    int rc = qmp_exec(&r->q, "human-monitor-command", args, &ret, tmo(r, 10000), e, sizeof e);
    json_object_put(args);
    if (rc == 0)
        snprintf(out, outlen, "%s", ret && json_object_is_type(ret, json_type_string) ? json_object_get_string(ret) : "");
    else
        snprintf(out, outlen, "(HMP failed: %s)", e);
    json_object_put(ret);
    return rc;
}

/* "dumpbench-fcp fcp0 info" into r->fcp_info, the log and RUN/fcp-info.txt
 * (appended, labelled `when`). */
static void fcp_record_info(struct srun *r, const char *when)
{
    if (!r->fcp || !r->qmp_open || qproc_poll_exit(&r->p))
        return;
    char out[1024];
    if (hmp_quiet(r, "dumpbench-fcp fcp0 info", out, sizeof out) != 0) {
        say(r, "dumpbench-fcp fcp0 info (%s): %s", when, out);
        return;
    }
    out[strcspn(out, "\r\n")] = '\0';
    snprintf(r->fcp_info, sizeof r->fcp_info, "%s", out);
    say(r, "fcp0 info (%s): %s", when, out);
    char f[600];
    path_in(r, f, sizeof f, "fcp-info.txt");
    FILE *fp = fopen(f, "a");
    if (fp) {
        fprintf(fp, "%s: %s\n", when, out);
        fclose(fp);
    }
}

/* A number `KEY=N` of the device's info line (sim/qemu/files/hw/s390x/
 * dumpbench-fcp-model.c dbf_info: state=, lunI_written=, lunI_read=,
 * faults_fired=, ...); -1 when absent. */
static int64_t fcp_info_num(const struct srun *r, const char *key)
{
    size_t kl = strlen(key);
    for (const char *p = r->fcp_info; (p = strstr(p, key)) != NULL; p += kl) {
        if ((p == r->fcp_info || p[-1] == ' ') && p[kl] == '=' && p[kl + 1] >= '0' && p[kl + 1] <= '9')
            return (int64_t)strtoull(p + kl + 1, NULL, 10);
    }
    return -1;
}

/* FCP runs have -no-shutdown: wait until the dump kernel's poweroff has
 * stopped the machine (run state "shutdown"), or ms pass, then record the
 * device's counters. */
static void fcp_finish(struct srun *r, int ms)
{
    for (double end = qnow() + ms / 1000.0; qnow() < end && !qproc_poll_exit(&r->p);) {
        struct json_object *ret = NULL, *st = NULL;
        char e[256];
        if (qmp_exec(&r->q, "query-status", NULL, &ret, tmo(r, 5000), e, sizeof e) != 0)
            break;
        /* poweroff stops every CPU: "shutdown"; a disabled wait: "guest-panicked" */
        const char *rs = json_object_object_get_ex(ret, "status", &st) ? json_object_get_string(st) : "";
        bool down = strcmp(rs, "shutdown") == 0 || strcmp(rs, "guest-panicked") == 0 ||
                    strcmp(rs, "internal-error") == 0;
        json_object_put(ret);
        if (down)
            break;
        qproc_pump(&r->p, 200);
    }
    fcp_record_info(r, "after the dump kernel");
}

/*
 * With two LUNs, the one the dump does not go to must be untouched: its
 * sparse file all zero (SEEK_DATA skips the holes).  0 untouched, -1 with
 * why = the first non-zero byte.
 */
static int other_luns_untouched(struct srun *r, char *why, size_t wl)
{
    for (unsigned i = 0; i < r->fcp_luns; i++) {
        if (i == r->dump_lun)
            continue;
        char f[600], name[32];
        snprintf(name, sizeof name, "lun%u.raw", i);
        path_in(r, f, sizeof f, name);
        int fd = open(f, O_RDONLY | O_CLOEXEC);
        struct stat st;
        if (fd < 0 || fstat(fd, &st) != 0) {
            snprintf(why, wl, "LUN %u (%s): cannot open %.180s: %s", i, fcp_lun_id[i], f,
                     strerror(errno));
            if (fd >= 0)
                close(fd);
            return -1;
        }
        if ((uint64_t)st.st_size != r->disk_size) {
            snprintf(why, wl, "LUN %u (%s): its file changed size (%" PRIu64 " -> %" PRIu64 ")", i,
                     fcp_lun_id[i], r->disk_size, (uint64_t)st.st_size);
            close(fd);
            return -1;
        }
        static uint8_t buf[1 << 16];
        off_t pos = 0;
        for (;;) {
            off_t d = lseek(fd, pos, SEEK_DATA);
            if (d < 0)
                break;          /* ENXIO: only holes from pos on */
            off_t h = lseek(fd, d, SEEK_HOLE);
            if (h < 0)
                h = st.st_size;
            for (off_t o = d; o < h;) {
                size_t n = (size_t)(h - o) < sizeof buf ? (size_t)(h - o) : sizeof buf;
                ssize_t got = pread(fd, buf, n, o);
                if (got <= 0) {
                    snprintf(why, wl, "LUN %u (%s): read error at %" PRIu64, i, fcp_lun_id[i],
                             (uint64_t)o);
                    close(fd);
                    return -1;
                }
                for (ssize_t k = 0; k < got; k++)
                    if (buf[k]) {
                        snprintf(why, wl, "LUN %u (%s), not the dump LUN, was written: byte 0x%02x at "
                                 "offset 0x%" PRIx64, i, fcp_lun_id[i], buf[k], (uint64_t)(o + k));
                        close(fd);
                        return -1;
                    }
                o += got;
            }
            pos = h;
        }
        close(fd);
        char key[32];
        snprintf(key, sizeof key, "lun%u_written", i);
        int64_t w = fcp_info_num(r, key);
        if (w > 0) {
            snprintf(why, wl, "LUN %u (%s), not the dump LUN: the device counted %" PRId64 " bytes "
                     "written to it (%s)", i, fcp_lun_id[i], w, key);
            return -1;
        }
        say(r, "LUN %u (%s), not the dump LUN: all %" PRIu64 " bytes zero (untouched), device "
            "counter %s=%" PRId64 "%s", i, fcp_lun_id[i], r->disk_size, key, w,
            w < 0 ? " (no info)" : "");
    }
    return 0;
}

static void kernel_why(const struct srun *r, char *buf, size_t len)
{
    /* the dump kernel's dmesg lines about the HSA read (init's kernel_why) */
    char l[400];
    buf[0] = '\0';
    if (line_at(&r->p, "@@KERNEL-WHY ", l, sizeof l) && l[13])
        snprintf(buf, len, "kernel: %.300s", l + 13);
}

/*
 * dbcapture's result record (last 4 KiB of the dump disk,
 * sim/guest/capture/record.h): its status is the capture's verdict, its
 * data size the vmcore's, and its hash must match the data on the disk.
 */
static void read_record(struct srun *r, struct cap *c, const char *kw)
{
    char disk[600], e[512];
    struct capture_record rec;
    path_in(r, disk, sizeof disk, r->disk_name);
    qproc_stop(&r->p, 2000);
    bool console_bad = c->result && c->outcome != RUN_COMPLETE;
    if (capture_record_read(disk, &rec, e, sizeof e) != 0) {
        if (console_bad) {
            /* the dump disk failed (e.g. an FCP fault) before dbcapture
             * could write its record: its console RESULT line stands */
            say(r, "capture record unreadable (%s); dbcapture's console RESULT line stands", e);
            size_t l = strlen(c->reason);
            snprintf(c->reason + l, sizeof c->reason - l, " (no result record on the dump disk)");
            return;
        }
        c->outcome = RUN_FAILED;
        snprintf(c->reason, sizeof c->reason, "capture record: %.230s", e);
        return;
    }
    say(r, "capture record: status %s, data %" PRIu64 " bytes, hash 0x%016" PRIx64 ", src %" PRIu64
        " of %" PRIu64 " bytes, flags 0x%x%s%.300s", capture_status_name(rec.status), rec.data_size,
        rec.data_hash, rec.src_copied, rec.src_expected, rec.flags, rec.reason[0] ? ", reason: " : "",
        rec.reason);
    if (rec.status == CAPTURE_COMPLETE && console_bad) {
        char was[sizeof c->reason];
        snprintf(was, sizeof was, "%s", c->reason);
        c->outcome = RUN_FAILED;
        snprintf(c->reason, sizeof c->reason, "capture record says complete but dbcapture's console "
                 "RESULT line says: %.150s", was);
        return;
    }
    if (rec.status == CAPTURE_COMPLETE) {
        if (capture_record_check_data(disk, &rec, e, sizeof e) != 0) {
            c->outcome = RUN_FAILED;
            snprintf(c->reason, sizeof c->reason, "capture record: %.230s", e);
            return;
        }
        if (rec.format != (r->fmt_s390 ? 1u : 0u)) {
            c->outcome = RUN_FAILED;
            snprintf(c->reason, sizeof c->reason, "capture record: format %u, the scenario asked "
                     "for %s", rec.format, r->fmt_s390 ? "s390" : "elf");
            return;
        }
        if (!r->fmt_s390 && c->vmcore_size && rec.data_size != c->vmcore_size) {
            c->outcome = RUN_FAILED;
            snprintf(c->reason, sizeof c->reason, "capture record: data size %" PRIu64 " but "
                     "/proc/vmcore is %" PRIu64 " bytes", rec.data_size, c->vmcore_size);
            return;
        }
        c->outcome = RUN_COMPLETE;
        c->vmcore_size = rec.data_size;
        snprintf(c->reason, sizeof c->reason, "dbcapture: %" PRIu64 " bytes, hash verified",
                 rec.data_size);
        return;
    }
    if (console_bad && strncmp(rec.reason, "capture started", 15) == 0) {
        /* only the "in progress" record reached the disk (its final write
         * failed): the console's RESULT line has the reason */
        say(r, "capture record is still the in-progress record; dbcapture's console RESULT line stands");
        size_t l = strlen(c->reason);
        snprintf(c->reason + l, sizeof c->reason - l, " (the disk holds only the in-progress record)");
        return;
    }
    c->outcome = rec.status == CAPTURE_INCOMPLETE ? RUN_INCOMPLETE : RUN_FAILED;
    snprintf(c->reason, sizeof c->reason, "%.150s%s%.100s", rec.reason, kw[0] ? "; " : "", kw);
}

/*
 * -icount modes: the virtual clock at the dump IPL, from the truth header.
 * QEMU 7.2 warps it when its main loop finds every vCPU idle while the DIAG
 * 308 reset request is still pending (softmmu/icount.c
 * icount_start_warp_timer, sleep=off): the clock jumps to the earliest CPU
 * timer, 2251799805661367615 ns away at Linux's maximal vtimer slice
 * (measured), the CPU timers stored in the dump read 0 and the dump kernel
 * runs with its TOD clock ~71 years on.  Whether the vCPU thread stops
 * before the main loop looks is a host race: such a dump does not replay
 * bit-exactly (README "replays").  Fills why and returns true on a warp.
 */
#define S390_WARP_NS 1000000000000000ull    /* 1e15 ns (11.6 days): no boot gets there */
static bool dump_ipl_warped(struct srun *r, char *why, size_t wl)
{
    char truth[600], e[300];
    uint64_t ns = 0;
    why[0] = '\0';
    path_in(r, truth, sizeof truth, "truth.bin");
    if (!r->icount || s390_truth_clock(truth, &ns, e, sizeof e) != 0 || ns < S390_WARP_NS)
        return false;
    snprintf(why, wl, "QEMU warped the virtual clock to %" PRIu64 " ns while the dump IPL's reset "
             "was pending (icount sleep=off host race): the CPU timers in this dump do not replay",
             ns);
    say(r, "%s", why);
    return true;
}

static int capture(struct srun *r, struct cap *c)
{
    memset(c, 0, sizeof *c);
    double t = qnow();
    const char *ok[] = { "@@DUMP-KERNEL" };
    /* script mode: the init's list ended without the crash taking effect,
     * or it did not know a token (sim/guest/s390x/init) */
    const char *bad[] = { "@@EOF", "@@SCRIPT-ERROR", "@@SCRIPT-END" };
    int to = r->armed ? 240000 : 30000;
    int m = qproc_expect(&r->p, ok, 1, bad, r->script ? 3 : 1, tmo(r, to));
    if (m == -3 || m == -4)
        return fail(r, "the guest init %s (dbscript=%s); console tail:\n%s",
                    m == -3 ? "refused a dbscript token" : "ran its whole dbscript list and the "
                    "kernel is still up (the crash did not happen)", r->plan, qproc_tail(&r->p, 1500));
    if (m != 0) {
        if (!r->armed || r->stock || m == -1) {
            c->outcome = RUN_NO_DUMP;
            snprintf(c->reason, sizeof c->reason, "no dump kernel started (%s); %.150s%s",
                     m == -1 ? "QEMU exited" : "waited", r->armline[0] ? r->armline : "",
                     strstr(r->p.con, "Kernel panic") ? "; kernel panicked and stopped" : "");
            say(r, "no dump: %s", c->reason);
            return 0;
        }
        fcp_record_info(r, "no dump kernel");
        return fail(r, "the dump kernel did not start within %d s of the dump; console tail:\n%s",
                    tmo(r, to) / 1000, qproc_tail(&r->p, 1500));
    }
    c->dump_kernel = true;
    double td = qnow();
    run_result_add_phase(r->res, "crash-to-dump-kernel", td - (r->t_crash ? r->t_crash : t));
    if (r->fcp_deferred[0]) {
        const char *go[] = { "DBCAPTURE: copying", "@@CAPTURE dd" };
        const char *end[] = { "@@CAPTURE-END" };
        int g = qproc_expect(&r->p, go, 2, end, 1, tmo(r, 180000));
        if (g < 0) {
            fcp_record_info(r, "capture never started copying");
            return fail(r, "line %d: the capture never started copying (%s), the `when=copy` fault "
                        "was not armed; console tail:\n%s", r->fcp_deferred_line,
                        g == -100 ? "timeout" : g == -1 ? "QEMU exited" : "@@CAPTURE-END first",
                        qproc_tail(&r->p, 1500));
        }
        say(r, "the capture started copying: arming the line %d fault", r->fcp_deferred_line);
        if (fcp_arm(r, r->fcp_deferred_line, r->fcp_deferred) != 0)
            return -1;
    }
    const char *done[] = { "@@CAPTURE-END" };
    m = qproc_expect(&r->p, done, 1, NULL, 0, tmo(r, 300000));
    run_result_add_phase(r->res, "capture", qnow() - td);
    if (m != 0) {
        char warp[300];
        fcp_record_info(r, "dump kernel past its deadline");
        dump_ipl_warped(r, warp, sizeof warp);
        return fail(r, "the dump kernel did not finish within %d s%s%s; console tail:\n%s",
                    tmo(r, 300000) / 1000, warp[0] ? "; " : "", warp, qproc_tail(&r->p, 1500));
    }
    char l[400];
    /* the FCP bring-up of the dump kernel (sim/guest/s390x/init fcp_disk) */
    for (const char *f = strstr(r->p.con, "@@FCP "); f; f = strstr(f + 6, "@@FCP ")) {
        size_t fl = strcspn(f, "\r\n");
        say(r, "dump kernel: %.*s", (int)(fl < 300 ? fl : 300), f);
    }
    if (line_at(&r->p, "@@CAPTURE-TIME ", l, sizeof l)) {
        const char *b = strstr(l, "bytes="), *sec = strstr(l, "seconds=");
        c->cap_bytes = b ? strtoull(b + 6, NULL, 10) : 0;
        c->cap_seconds = sec ? strtod(sec + 8, NULL) : 0;
        if (c->cap_seconds > 0 && strstr(l, " exit=0"))
            say(r, "capture throughput: %.1f MiB/s over %s (%" PRIu64 " bytes in %.2f s guest time: %s)",
                (double)c->cap_bytes / 1048576.0 / c->cap_seconds, r->fcp ? "FCP" : "virtio-blk",
                c->cap_bytes, c->cap_seconds, l + 15);
        else
            say(r, "capture time (the copy failed, no throughput): %s", l + 15);
    }
    if (line_at(&r->p, "@@VMCORE size=", l, sizeof l))
        c->vmcore_size = strtoull(l + strlen("@@VMCORE size="), NULL, 10);
    c->dbcapture = strstr(r->p.con, "@@CAPTURE dbcapture") != NULL;
    const char *res = NULL;
    if (c->dbcapture)
        res = line_at(&r->p, "DBCAPTURE: RESULT ", l, sizeof l);
    else
        res = line_at(&r->p, "@@RESULT ", l, sizeof l);
    if (!res) {
        c->outcome = RUN_FAILED;
        snprintf(c->reason, sizeof c->reason, "the capture printed no RESULT line");
        return 0;
    }
    c->result = true;
    const char *v = strstr(l, "RESULT ") + 7;
    char kw[320];
    kernel_why(r, kw, sizeof kw);
    if (strncmp(v, "complete", 8) == 0) {
        c->outcome = RUN_COMPLETE;
        snprintf(c->reason, sizeof c->reason, "capture: %.200s", v);
    } else {
        c->outcome = strncmp(v, "incomplete", 10) == 0 ? RUN_INCOMPLETE : RUN_FAILED;
        snprintf(c->reason, sizeof c->reason, "%.120s%s%.130s", v, kw[0] ? "; " : "", kw);
    }
    if (line_at(&r->p, "@@RELEASE hsa=", l, sizeof l))
        say(r, "HSA after the capture: %s", l);
    /* -no-reboot: the dump kernel's poweroff ends QEMU (FCP: -no-shutdown,
     * the machine stops and the device's counters are read first) */
    if (r->fcp)
        fcp_finish(r, (int)(20000 * r->scale));
    for (double end = qnow() + 20 * r->scale; !r->fcp && qnow() < end && !qproc_poll_exit(&r->p);)
        qproc_pump(&r->p, 100);
    if (c->dbcapture)
        read_record(r, c, kw);
    if (r->fcp && r->fcp_fault[0] && c->outcome != RUN_COMPLETE) {
        /* say which: the armed device fault (first, so that it survives
         * the reason's length limit) and whether the device fired it */
        char why[sizeof c->reason];
        int64_t fired = fcp_info_num(r, "faults_fired");
        snprintf(why, sizeof why, "%s", c->reason);
        if (fired > 0)
            snprintf(c->reason, sizeof c->reason, "FCP fault %.70s (fired %" PRId64 "x): %.140s",
                     r->fcp_fault, fired, why);
        else
            snprintf(c->reason, sizeof c->reason, "FCP fault %.70s (armed, %s): %.130s", r->fcp_fault,
                     fired == 0 ? "never fired" : "device counters unread", why);
    }
    say(r, "capture %s (%s%s): %s", run_outcome_name(c->outcome), c->dbcapture ? "dbcapture" : "dd",
        r->fcp ? " over FCP" : "", c->reason);
    return 0;
}

/* ---- oracles -------------------------------------------------------------- */

/*
 * Negative control: flip the vmcore byte at physical address paddr (ELF64
 * big-endian: PT_LOAD p_paddr/p_offset/p_filesz, checked against the file).
 */
static int corrupt_byte(struct srun *r, const char *vm, uint64_t paddr)
{
    int fd = open(vm, O_RDWR | O_CLOEXEC);
    uint8_t eh[64], ph[56];
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || pread(fd, eh, sizeof eh, 0) != (ssize_t)sizeof eh ||
        memcmp(eh, "\x7f" "ELF\x02\x02", 6) != 0) {
        if (fd >= 0)
            close(fd);
        return fail(r, "fault vmcore: %s is not an ELF64 big-endian vmcore", vm);
    }
    uint64_t phoff = db_ld_be64(eh + 32);
    unsigned phentsize = db_ld_be16(eh + 54), phnum = db_ld_be16(eh + 56);
    for (unsigned i = 0; i < phnum && phentsize >= sizeof ph; i++) {
        if (pread(fd, ph, sizeof ph, (off_t)(phoff + (uint64_t)i * phentsize)) != (ssize_t)sizeof ph)
            break;
        uint64_t off = db_ld_be64(ph + 8), pa = db_ld_be64(ph + 24), fs = db_ld_be64(ph + 32);
        if (db_ld_be32(ph) != 1 || paddr < pa || paddr - pa >= fs)
            continue;
        uint64_t fo = off + (paddr - pa);
        uint8_t b;
        if (fo >= (uint64_t)st.st_size || pread(fd, &b, 1, (off_t)fo) != 1)
            break;
        b ^= 0xff;
        int ok = pwrite(fd, &b, 1, (off_t)fo) == 1;
        close(fd);
        if (!ok)
            return fail(r, "fault vmcore: cannot write %s", vm);
        say(r, "fault vmcore: flipped the byte at paddr 0x%" PRIx64 " (file offset 0x%" PRIx64 ")",
            paddr, fo);
        return 0;
    }
    close(fd);
    return fail(r, "fault vmcore: paddr 0x%" PRIx64 " is in no PT_LOAD of %s", paddr, vm);
}

/*
 * Run DUMPBENCH_ZGETDUMP with `args` (sh words; "$0" = a1, "$1" = a2),
 * output into RUN/log_name and text.  Returns the exit code, 128 when
 * killed, -1 on timeout.
 */
static int zg_run(struct srun *r, const char *args, const char *a1, const char *a2,
                  const char *log_name, char *text, size_t tl)
{
    char outp[600];
    path_in(r, outp, sizeof outp, log_name);
    pid_t pid = fork();
    if (pid < 0)
        return 127;
    if (pid == 0) {
        int fd = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd >= 0) {
            dup2(fd, 1);
            dup2(fd, 2);
        }
        /* DUMPBENCH_ZGETDUMP may be a command with words ("qemu-s390x-static -L ROOT zgetdump") */
        char cmd[1400];
        snprintf(cmd, sizeof cmd, "exec %s %s", r->zgetdump, args);
        execl("/bin/sh", "sh", "-c", cmd, a1, a2 ? a2 : "", (char *)NULL);
        _exit(127);
    }
    int st = 0, code;
    double end = qnow() + 180 * r->scale;
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (qnow() > end) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            code = -1;
            goto out;
        }
        usleep(100000);
    }
    code = WIFEXITED(st) ? WEXITSTATUS(st) : 128;
out:;
    FILE *f = fopen(outp, "r");
    size_t n = f ? fread(text, 1, tl - 1, f) : 0;
    text[n] = '\0';
    if (f)
        fclose(f);
    return code;
}

/* zgetdump -i on the dump (s390x binary under qemu-user, or a native
 * one): 0 ran and agreed, 1 skipped (why), -1 it disagreed. */
static int zgetdump_check(struct srun *r, const char *vmcore, unsigned want_cpus,
                          uint64_t want_mb, char *why, size_t wl)
{
    if (!r->zgetdump[0]) {
        snprintf(why, wl, "SKIPPED: DUMPBENCH_ZGETDUMP not set (s390-tools:s390x zgetdump under "
                 "qemu-s390x-static; ci/real-s390x sets it when available)");
        return 1;
    }
    char text[4096];
    int code = zg_run(r, "-i \"$0\"", vmcore, NULL, "zgetdump-i.txt", text, sizeof text);
    if (code == 127 || code == 126) {
        snprintf(why, wl, "SKIPPED: zgetdump could not be executed (exit %d): %.200s", code, text);
        return 1;
    }
    say(r, "zgetdump -i (exit %d):\n%s", code, text);
    if (code != 0) {
        snprintf(why, wl, "zgetdump -i rejected the dump (exit %d): %.200s", code, text);
        return -1;
    }
    /* s390-tools zgetdump/dt.c dt_info_print: "CPU count (online).: N",
     * "Dump memory range..: N MB" */
    const char *cc = strstr(text, "CPU count (online).: ");
    const char *mr = strstr(text, "Dump memory range..: ");
    const char *fm = strstr(text, "Dump format........: ");
    if (!cc || !mr || !fm) {
        snprintf(why, wl, "zgetdump -i output lacks %s", !cc ? "the CPU count" :
                 !mr ? "the memory range" : "the dump format");
        return -1;
    }
    unsigned cpus = (unsigned)strtoul(cc + 21, NULL, 10);
    uint64_t mb = strtoull(mr + 21, NULL, 10);
    char fmt[16] = "";
    sscanf(fm + 21, "%15s", fmt);
    if (cpus != want_cpus || mb != want_mb) {
        snprintf(why, wl, "zgetdump -i: %u CPUs and %" PRIu64 " MB, expected %u CPUs and %" PRIu64
                 " MB", cpus, mb, want_cpus, want_mb);
        return -1;
    }
    snprintf(why, wl, "zgetdump -i: format %s, %u CPUs, %" PRIu64 " MB", fmt, cpus, mb);
    return 0;
}

/*
 * s390 stand-alone dump: zgetdump converts it to ELF ("-f elf"); every
 * page of the conversion must equal the truth snapshot (same exemptions).
 * 0 agreed (why = summary), -1 differs.
 */
static int zgetdump_convert(struct srun *r, const char *dump, const struct df_dump *truth,
                            const struct s390_exempt *ex, size_t nex, char *why, size_t wl)
{
    char elf[600], text[2048], e2[300];
    path_in(r, elf, sizeof elf, "zgetdump.elf");
    unlink(elf);
    int code = zg_run(r, "-f elf \"$0\" > \"$1\"", dump, elf, "zgetdump-f-elf.txt", text, sizeof text);
    if (code != 0) {
        snprintf(why, wl, "zgetdump -f elf failed (exit %d): %.200s", code, text);
        return -1;
    }
    struct df_err de;
    struct df_dump *conv = NULL;
    if (df_read_file(elf, &conv, &de) != 0) {
        snprintf(why, wl, "zgetdump -f elf output unreadable: %.200s", de.msg);
        return -1;
    }
    struct s390_oracle_out *o = calloc(1, sizeof *o);
    int rc = -1;
    if (o) {
        s390_oracle_pages(truth, conv, ex, nex, o);
        snprintf(e2, sizeof e2, "%.290s", o->fail);
        s390_oracle_regs(truth, conv, o);
        say(r, "zgetdump -f elf: %" PRIu64 " pages compared with the truth, %" PRIu64 " differ; "
            "%u CPUs, registers: %s", o->pages_compared, o->pages_differ + o->pages_missing,
            o->cpus_dump, o->regs_differ ? o->fail : "equal");
        if (e2[0]) {
            snprintf(why, wl, "zgetdump -f elf: %.300s", e2);
        } else {
            snprintf(why, wl, "zgetdump -i agrees; zgetdump -f elf: %" PRIu64 " pages equal the truth",
                     o->pages_compared);
            rc = 0;
        }
    }
    free(o);
    df_dump_free(conv);
    unlink(elf);
    return rc;
}

static void oracles(struct srun *r, const struct cap *c)
{
    struct run_result *res = r->res;
    double t = qnow();
    char disk[600], vm[600], truth[600];
    path_in(r, disk, sizeof disk, r->disk_name);
    path_in(r, vm, sizeof vm, "vmcore");
    path_in(r, truth, sizeof truth, "truth.bin");
    if (c->vmcore_size == 0 || c->vmcore_size > r->disk_size) {
        res->outcome = RUN_FAILED;
        snprintf(res->reason, sizeof res->reason, "vmcore size %" PRIu64 " reported by the dump "
                 "kernel does not fit the %" PRIu64 "-byte dump disk", c->vmcore_size, r->disk_size);
        return;
    }
    /* the vmcore is the disk's first vmcore_size bytes */
    if (truncate(disk, (off_t)c->vmcore_size) != 0 || rename(disk, vm) != 0) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "cannot cut the vmcore from %.150s: %s", disk,
                 strerror(errno));
        return;
    }
    snprintf(res->image_path, sizeof res->image_path, "%.500s", vm);
    if (r->corrupt_paddr >= 0 && corrupt_byte(r, vm, (uint64_t)r->corrupt_paddr) != 0) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "%.250s", r->err);
        return;
    }
    struct s390_truth tr;
    char e[512];
    if (s390_truth_open(&tr, truth, e, sizeof e) != 0) {
        res->outcome = RUN_FAILED;
        snprintf(res->reason, sizeof res->reason, "truth snapshot: %.230s", e);
        return;
    }
    struct df_err de;
    struct df_dump *img = NULL;
    if (df_read_file(vm, &img, &de) != 0) {
        s390_truth_close(&tr);
        res->outcome = RUN_FAILED;
        snprintf(res->reason, sizeof res->reason, "vmcore unreadable: %.220s", de.msg);
        return;
    }
    struct df_dump *td = s390_truth_dump(&tr, e, sizeof e);
    if (!td) {
        df_dump_free(img);
        s390_truth_close(&tr);
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "%.250s", e);
        return;
    }
    struct s390_oracle_out *o = calloc(1, sizeof *o);
    if (!o) {
        df_dump_free(img);
        df_dump_free(td);
        s390_truth_close(&tr);
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "out of memory");
        return;
    }
    say(r, "truth: %u CPU slots, %u online, IPL CPU %u%s, RAM %" PRIu64 " MiB, HSA %" PRIu64 " MiB, "
        "virtual clock %" PRIu64 " ns", tr.ncpu, s390_truth_online(&tr), tr.ipl_cpu,
        tr.flags & S390_TRUTH_FLAG_OPERATOR ? " (operator dump)" : "", tr.ram_size >> 20,
        tr.hsa_size >> 20, tr.clock_ns);
    char warp[300];
    dump_ipl_warped(r, warp, sizeof warp);
    /* s390 stand-alone format: every CPU's registers are stored into its
     * lowcore save area (prefix + 0x1200, zgetdump dfo_s390.c cpu2lc_64) */
    struct s390_exempt ex[S390_DUMP_IPL_NEXEMPT + 64];
    char exwhy[64][64];
    size_t nex = 0;
    for (size_t i = 0; i < S390_DUMP_IPL_NEXEMPT; i++)
        ex[nex++] = s390_dump_ipl_exempt[i];
    for (uint32_t i = 0; r->fmt_s390 && i < tr.ncpu && nex < sizeof ex / sizeof ex[0]; i++) {
        if (!tr.cpus[i].regs.online || tr.cpus[i].regs.prefix == 0)
            continue;
        snprintf(exwhy[nex - S390_DUMP_IPL_NEXEMPT], sizeof exwhy[0],
                 "s390 format: CPU %u registers in its lowcore save area", i);
        ex[nex] = (struct s390_exempt){ tr.cpus[i].regs.prefix + 0x1200u, 0x200,
                                        exwhy[nex - S390_DUMP_IPL_NEXEMPT] };
        nex++;
    }
    s390_oracle_pages(td, img, ex, nex, o);
    s390_oracle_regs(td, img, o);
    say(r, "pages: %" PRIu64 " compared, %" PRIu64 " differ, %" PRIu64 " missing, %" PRIu64
        " beyond the truth; %" PRIu64 " pages differ only inside the named exemptions (%" PRIu64
        " bytes)", o->pages_compared, o->pages_differ, o->pages_missing, o->pages_extra,
        o->pages_exempt, o->bytes_exempt_differ);
    say(r, "registers: %" PRIu64 " compared on %u CPUs in the dump (%u online in the truth)%s",
        o->regs_compared, o->cpus_dump, s390_truth_online(&tr), o->regs_differ ? ", DIFFER" : "");
    for (size_t i = 0; i < nex; i++)
        run_result_add_exempt(res, ex[i].addr, ex[i].len, ex[i].reason);
    int rr = s390_oracle_reference(&tr, img, ex, nex, o);
    say(r, "reference agent: %s", o->ref);
    for (size_t i = 0; i < o->nref_field; i++)
        say(r, "  differing field: %s", o->ref_field[i]);
    char zw[400];
    int zr = zgetdump_check(r, vm, s390_truth_online(&tr), tr.ram_size >> 20, zw, sizeof zw);
    say(r, "zgetdump: %s", zw);
    if (zr == 0 && r->fmt_s390)
        zr = zgetdump_convert(r, vm, td, ex, nex, zw, sizeof zw);
    run_result_add_phase(res, "verify", qnow() - t);
    res->oracle_pages_compared = o->pages_compared;
    res->oracle_pages_differ = o->pages_differ + o->pages_missing + o->pages_extra;
    res->oracle_regs_compared = o->regs_compared;
    res->cpus_online = s390_truth_online(&tr);
    char why[512] = "";
    if (o->fail[0])
        snprintf(why, sizeof why, "%.500s", o->fail);
    else if (o->cpus_dump != s390_truth_online(&tr))
        snprintf(why, sizeof why, "%u CPUs in the dump, %u online in the truth snapshot",
                 o->cpus_dump, s390_truth_online(&tr));
    else if (rr < 0)
        snprintf(why, sizeof why, "reference agent: %.400s", o->ref);
    else if (rr == 0 && o->ref_pages == 0)
        snprintf(why, sizeof why, "reference agent compared no pages");
    else if (zr < 0)
        snprintf(why, sizeof why, "%.500s", zw);
    char lunw[300] = "";
    if (!why[0] && r->fcp && r->fcp_luns > 1 && other_luns_untouched(r, lunw, sizeof lunw) != 0)
        snprintf(why, sizeof why, "%.500s", lunw);
    /* reference: memory must be equal; the named note/VMCOREINFO fields are
     * reported, not failed (see the log) */
    for (size_t i = 0; !why[0] && i < o->nref_field; i++)
        if (strncmp(o->ref_field[i], "pages:", 6) == 0)
            snprintf(why, sizeof why, "reference agent %.480s", o->ref_field[i]);
    if (why[0]) {
        res->outcome = RUN_FAILED;
        snprintf(res->reason, sizeof res->reason, "oracle: %.240s", why);
        say(r, "FAILED: %s", why);
    } else {
        res->outcome = RUN_COMPLETE;
        char via[96] = "";
        if (r->fcp)
            snprintf(via, sizeof via, " on FCP LUN %u (%s)%s", r->dump_lun, fcp_lun_id[r->dump_lun],
                     r->fcp_luns > 1 ? ", the other LUN untouched" : "");
        snprintf(res->reason, sizeof res->reason,
                 "zfcpdump verified%s: %" PRIu64 " pages compared, 0 differ (%" PRIu64 " bytes inside "
                 "named exemptions), %" PRIu64 " registers on %u CPUs; reference %s; %.100s", via,
                 o->pages_compared, o->bytes_exempt_differ, o->regs_compared, o->cpus_dump,
                 rr == 0 ? (o->nref_field ? "memory equal, fields differ (log)" : "equal") :
                 "skipped", zr == 0 ? zw : "zgetdump SKIPPED");
        say(r, "PASSED: %s", res->reason);
    }
    free(o);
    s390_truth_close(&tr);
    res->truth = td;
    res->image = img;
}

/* ---- entry ---------------------------------------------------------------- */

static void cleanup(struct srun *r, bool keep_big)
{
    if (r->qmp_open)
        qmp_close(&r->q);
    qproc_stop(&r->p, 2000);
    free(r->p.con);
    r->p.con = NULL;
    char f[200];
    snprintf(f, sizeof f, "%s/con.in", r->sock);
    unlink(f);
    snprintf(f, sizeof f, "%s/con.out", r->sock);
    unlink(f);
    snprintf(f, sizeof f, "%s/qmp", r->sock);
    unlink(f);
    rmdir(r->sock);
    if (!keep_big) {
        /* the vmcore stays (the run record hashes it); the truth goes */
        const char *big[] = { "dump-disk.raw", "truth.bin", "lun0.raw", "lun1.raw" };
        char p[600];
        for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
            path_in(r, p, sizeof p, big[i]);
            unlink(p);
        }
    }
}

int qemu_s390x_run(const struct scenario *s, const char *run_dir, FILE *log,
                   struct run_result *res, char *errbuf, size_t errlen)
{
    return qemu_s390x_run_with(NULL, s, run_dir, log, res, errbuf, errlen);
}

int qemu_s390x_run_with(const char *launcher, const struct scenario *s, const char *run_dir,
                        FILE *log, struct run_result *res, char *errbuf, size_t errlen)
{
    struct srun *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(errbuf, errlen, "out of memory");
        return QEMU_BACKEND_ERROR;
    }
    r->launcher = launcher;
    r->s = s;
    r->log = log;
    r->res = res;
    r->dir = run_dir;
    r->t0 = qnow();
    r->p.pid = -1;
    r->p.con_in = r->p.con_out = r->p.con_log = -1;
    r->corrupt_paddr = -1;
    char whybuf[700];
    const char *skip = prereqs(r, whybuf, sizeof whybuf);
    if (skip) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "SKIPPED: %.240s", skip);
        snprintf(errbuf, errlen, "SKIPPED: %s", skip);
        say(r, "SKIPPED: %s", skip);
        free(r);
        return QEMU_BACKEND_SKIPPED;
    }
    char merr[300];
    int mode = qemu_record_mode_env(merr, sizeof merr);
    if (mode < 0) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "%.255s", merr);
        snprintf(errbuf, errlen, "%s", merr);
        say(r, "error: %s", merr);
        free(r);
        return QEMU_BACKEND_ERROR;
    }
    r->script = mode == REPLAY_EXEC_SCRIPT;
    r->icount = mode != REPLAY_EXEC_NONE;
    if (r->script && qemu_s390x_script_plan(s, r->plan, sizeof r->plan, merr, sizeof merr) != 0) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "DUMPBENCH_RECORD=script: %.230s", merr);
        snprintf(errbuf, errlen, "DUMPBENCH_RECORD=script: %s", merr);
        say(r, "error: %s", errbuf);
        free(r);
        return QEMU_BACKEND_ERROR;
    }
    snprintf(r->sock, sizeof r->sock, "/tmp/dbs.XXXXXX");
    if (!mkdtemp(r->sock)) {
        snprintf(errbuf, errlen, "mkdtemp: %s", strerror(errno));
        free(r);
        return QEMU_BACKEND_ERROR;
    }
    say(r, "scenario %s: qemu %s, zfcpdump kernel %s, guest %s%s; dump disk: %s", s->name, r->qemu,
        r->stock ? "-" : r->dkernel, r->guest, r->stock ? " (stock: no firmware object)" : "",
        r->fcp ? (r->fcp_luns > 1 ? (r->dump_lun ? "FCP, 2 LUNs, dump to LUN 1" :
                                     "FCP, 2 LUNs, dump to LUN 0") : "FCP, 1 LUN") :
        "virtio-blk-ccw");
    int rc = start_qemu(r);
    if (rc == 0)
        rc = boot(r);
    bool capture_step = false;
    struct cap c;
    memset(&c, 0, sizeof c);
    for (size_t i = 0; rc == 0 && i < s->nsteps; i++) {
        const struct scn_item *it = &s->steps[i];
        switch (it->kind) {
        case SCN_STEP_BOOT:
            break;
        case SCN_STEP_HOTPLUG_CPU:
            rc = step_hotplug_cpu(r, it);
            break;
        case SCN_STEP_FAULT:
            rc = step_fault(r, it);
            break;
        case SCN_STEP_CRASH:
            rc = r->script ? step_crash_script(r, it) : step_crash(r, it);
            break;
        case SCN_STEP_HANG:
            rc = step_hang(r);
            break;
        case SCN_STEP_OPERATOR_DUMP:
            rc = step_operator_dump(r);
            break;
        case SCN_STEP_CAPTURE:
            if (!r->dumping) {
                rc = fail(r, "line %d: capture without a crash or operator dump", it->line);
                break;
            }
            rc = capture(r, &c);
            capture_step = true;
            break;
        case SCN_STEP_RUN:
            if (r->script)
                break;      /* the guest sleeps (dbscript sleep:MS) */
            for (double end = qnow() + scn_get_num(it, "ms", 0) / 1000.0; qnow() < end;)
                qproc_pump(&r->p, 50);
            break;
        default:
            rc = fail(r, "line %d: step %s is not supported by the s390x qemu backend", it->line,
                      scn_step_name(it->kind));
            break;
        }
    }
    if (rc == 0 && r->dumping && !capture_step)
        rc = capture(r, &c);
    if (rc == 0) {
        qproc_stop(&r->p, 2000);
        if (!r->dumping) {
            res->outcome = RUN_NO_DUMP;
            snprintf(res->reason, sizeof res->reason, "no crash step");
        } else if (!c.dump_kernel || c.outcome != RUN_COMPLETE) {
            res->outcome = c.outcome;
            snprintf(res->reason, sizeof res->reason, "%s", c.reason);
            res->cpus_online = r->cpus_online;
            say(r, "outcome %s: %s", run_outcome_name(res->outcome), res->reason);
        } else {
            oracles(r, &c);
        }
    }
    int ret = 0;
    if (rc != 0) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "%.255s", r->err);
        snprintf(errbuf, errlen, "%s", r->err);
        ret = QEMU_BACKEND_ERROR;
    }
    say(r, "total %.1f s", qnow() - r->t0);
    cleanup(r, res->outcome != RUN_COMPLETE && res->outcome != RUN_NO_DUMP);
    free(r);
    return ret;
}
