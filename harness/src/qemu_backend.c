/*
 * QEMU backend: an x86_64 kdump scenario on Debian's stock kernel.
 *
 *  1. start qemu-system-x86_64 (TCG, -nodefaults) with the guest from
 *     ci/guest-x86_64: crashkernel=, nokaslr, panic_on_oops=1, serial
 *     console on FIFOs, QMP and gdbstub on unix sockets, a raw virtio disk
 *     for the capture;
 *  2. learn machine_kexec (guest /proc/kallsyms) and the crashkernel region
 *     (/proc/iomem), load the capture kernel with `kexec -p`;
 *  3. run the steps: plant (seeded pages, frames from pagemap), hotplug-cpu
 *     (device_add + online + reload), hotplug-mem (pc-dimm + online,
 *     reload=yes|no), crash (sysrq c, or kind=oops: a module that oopses),
 *     hang + operator-dump (QMP inject-nmi, unknown_nmi_panic=1);
 *  4. truth snapshot: hardware breakpoint on machine_kexec through the
 *     gdbstub, registers of every vCPU (`g`), QMP pmemsave of all RAM;
 *     detach, the capture kernel copies /proc/vmcore and a
 *     `makedumpfile -c -d 31` dump to the disk; QMP dump-guest-memory
 *     after the capture is the second source;
 *  5. oracles (qemu_oracle.c + here): pages vs truth and vs the second
 *     source, planted pages, NT_PRSTATUS per online CPU, dmesg extracted by
 *     makedumpfile shows the panic, the compressed dump's pages (read with
 *     libkdumpfile) equal the raw vmcore's.
 * Every wait has a timeout; QEMU never outlives the run (qemu_proc.c).
 *
 * DUMPBENCH_RECORD=script (deterministic runs, `dumpbench replay`): the
 * steps up to the crash (boot, plant, crash kind=panic|oops) run inside the
 * guest from `dbscript=` on the kernel command line (token syntax: the
 * header of sim/guest/x86_64/init); the harness types nothing before the
 * crash.  QEMU starts stopped (-S); the machine_kexec breakpoint is armed
 * from the guest's `symbols` file (ci/guest-x86_64 learns the nokaslr
 * address in a probe boot: Debian's System.map is a stub) before the first
 * guest instruction, then the gdbstub continues.  The crash kernel range,
 * the CPU count and the planted frames are read from the console after the
 * fact.  The capture disk's virtio-blk-pci device is plugged (QMP
 * device_add) only at the breakpoint: its presence from the start makes
 * runs diverge (measured, start_qemu), and the production kernel loads no
 * virtio module in this mode.  x86_64 script mode runs 1-CPU scenarios only
 * (2 vCPUs under -icount stop in SMP bring-up).  Host-driven steps (hotplug,
 * hang, operator-dump, run) are refused with their scenario line; under the
 * libvirt launcher script mode is refused.
 */
#include <harness/qemu.h>
#include <harness/replay.h>
#include <harness/report.h>

#include "qemu_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <libkdumpfile/kdumpfile.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* as RHEL's kdump.sysconfig.x86_64: acpi_no_memhotplug keeps the capture
 * kernel from hot-adding the DIMMs of the crashed machine (seen: "System is
 * deadlocked on memory" in the 128 MiB capture kernel otherwise) */
#define CAPTURE_APPEND "console=ttyS0 nokaslr irqpoll nr_cpus=1 reset_devices loglevel=4 " \
    "acpi_no_memhotplug cgroup_disable=memory numa=off"
#define MAX_DIMMS 4
/*
 * Bound on pages that may differ between the truth snapshot (breakpoint on
 * machine_kexec) and the vmcore.  Every such page must also be attributed
 * and equal the post-capture dump-guest-memory, so a corrupted vmcore page
 * fails regardless of the bound.  Measured: 2 on an idle host; 9 on a
 * heavily loaded one, where a second vCPU reaches its crash NMI handler
 * after machine_kexec started (nmi_shootdown_cpus waits at most 1 s) and
 * writes waiting_for_crash_ipi and a few of its own pages.
 */
#define MAX_DIFF_DEFAULT 24

struct qrun {
    const struct scenario *s;
    FILE *log;
    struct run_result *res;
    const char *dir;
    char sock[64];              /* short private dir for unix sockets */
    char guest[512];
    char qemu[256];
    struct qproc p;
    struct qmp q;
    struct qgdb g;
    bool qmp_open, gdb_open, armed, crashed;
    unsigned seq;
    double t0;
    uint64_t mem, crash_start, crash_end, machine_kexec;
    unsigned cpus_online;
    uint64_t plant_seed;
    size_t nplant;
    uint64_t *plant_pfn;
    size_t ndimm;
    struct { uint64_t addr, size; bool reload; } dimm[MAX_DIMMS];
    struct qemu_range ranges[16];
    size_t nranges;
    const char *expect_text;    /* message the dmesg must show */
    bool expect_panic;          /* "Kernel panic - not syncing" too (not for oops:
                                 * oops_end() calls crash_kexec() before panic()) */
    int64_t corrupt_paddr;      /* `step fault vmcore paddr=` or -1 */
    const struct qemu_x86_hooks *hooks;  /* libvirt backend: dumps through libvirt */
    bool script;                /* DUMPBENCH_RECORD=script: steps run in the guest */
    char script_tokens[512];    /* dbscript= value (qemu_x86_script_tokens) */
    char err[512];
};

static void say(struct qrun *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static void say(struct qrun *r, const char *fmt, ...)
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

static int fail(struct qrun *r, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static int fail(struct qrun *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    say(r, "error: %s", r->err);
    return -1;
}

static void path_in(const struct qrun *r, char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", r->dir, name);
}

/* ---- prerequisites -------------------------------------------------------- */

static int find_in_path(const char *name, char *out, size_t len)
{
    const char *path = getenv("PATH");
    if (strchr(name, '/')) {
        snprintf(out, len, "%s", name);
        return access(out, X_OK);
    }
    if (!path)
        path = "/usr/bin:/bin";
    while (*path) {
        const char *c = strchr(path, ':');
        size_t l = c ? (size_t)(c - path) : strlen(path);
        snprintf(out, len, "%.*s/%s", (int)l, path, name);
        if (access(out, X_OK) == 0)
            return 0;
        path += l + (c ? 1 : 0);
    }
    return -1;
}

static int find_guest(struct qrun *r)
{
    const char *g = getenv("DUMPBENCH_GUEST_X86_64");
    const char *cache = getenv("DUMPBENCH_CACHE");
    const char *home = getenv("HOME");
    if (g && *g)
        snprintf(r->guest, sizeof r->guest, "%s", g);
    else if (cache && *cache)
        snprintf(r->guest, sizeof r->guest, "%s/x86_64/current", cache);
    else if (access("/var/cache/dumpbench/x86_64/current/done", R_OK) == 0)
        /* ci/lib/cache.sh's default cache */
        snprintf(r->guest, sizeof r->guest, "/var/cache/dumpbench/x86_64/current");
    else
        snprintf(r->guest, sizeof r->guest, "%s/.cache/dumpbench/x86_64/current",
                 home ? home : "/root");
    char f[600];
    snprintf(f, sizeof f, "%s/done", r->guest);
    if (access(f, R_OK) != 0)
        return -1;
    /* the build the run uses, not the moving `current` link: the QEMU
     * command line in run.record then names it (a replay after a guest
     * rebuild shows which guest each run had) */
    char real[PATH_MAX];
    if (realpath(r->guest, real) && strlen(real) < sizeof r->guest)
        snprintf(r->guest, sizeof r->guest, "%s", real);
    return 0;
}

/* ---- guest commands ------------------------------------------------------- */

/* Run one shell command line in the guest; output (without the marker)
 * into out.  Returns the command's exit status, or -1 on timeout/exit. */
static int guest_cmd(struct qrun *r, const char *cmd, int timeout_ms, char *out, size_t outlen)
{
    char line[4096], marker[48];
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
    int m = qproc_expect(&r->p, ok, 1, bad, 1, timeout_ms);
    if (m != 0) {
        return fail(r, "guest command '%s' %s; console tail:\n%s", cmd,
                    m == -100 ? "timed out" : m == -1 ? "ended with QEMU's exit" :
                    "hit a kernel panic", qproc_tail(&r->p, 1500));
    }
    const char *mk = strstr(r->p.con + start, marker);
    int rc = mk ? atoi(mk + strlen(marker)) : -1;
    if (out && outlen) {
        size_t l = mk ? (size_t)(mk - (r->p.con + start)) : 0;
        if (l >= outlen)
            l = outlen - 1;
        memcpy(out, r->p.con + start, l);
        out[l] = '\0';
    }
    return rc;
}

static int load_capture_kernel(struct qrun *r, bool unload_first)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%skexec -p /boot/vmlinuz --initrd=/boot/initrd-capture "
             "--append=\"" CAPTURE_APPEND "\"", unload_first ? "kexec -p -u; " : "");
    char out[1024];
    int rc = guest_cmd(r, cmd, 120000, out, sizeof out);
    if (rc != 0)
        return r->err[0] ? -1 : fail(r, "kexec -p failed (exit %d): %.400s", rc, out);
    return 0;
}

static int count_online(struct qrun *r)
{
    char out[256];
    if (guest_cmd(r, "grep -c ^processor /proc/cpuinfo", 10000, out, sizeof out) != 0)
        return -1;
    return atoi(out);
}

/* ---- QEMU start and boot ------------------------------------------------- */

static uint64_t total_dimm(const struct scenario *s)
{
    uint64_t t = 0;
    for (size_t i = 0; i < s->nsteps; i++)
        if (s->steps[i].kind == SCN_STEP_HOTPLUG_MEM)
            t += (uint64_t)scn_get_num(&s->steps[i], "size", 0);
    return t;
}

static int start_qemu(struct qrun *r)
{
    const struct scenario *s = r->s;
    char mem[96], smp[64], kernel[600], initrd[600], disk[600], drive[700];
    char con[128], serial[64], qmp[128], gdb[128], append[1024];
    uint64_t dimms = total_dimm(s);
    r->mem = s->machine.memory;
    if (dimms)
        snprintf(mem, sizeof mem, "%" PRIu64 "M,slots=%d,maxmem=%" PRIu64 "M",
                 r->mem >> 20, MAX_DIMMS, (r->mem + dimms) >> 20);
    else
        snprintf(mem, sizeof mem, "%" PRIu64 "M", r->mem >> 20);
    unsigned maxc = s->machine.max_cpus > s->machine.cpus ? s->machine.max_cpus : s->machine.cpus;
    snprintf(smp, sizeof smp, "%u,maxcpus=%u", s->machine.cpus, maxc);
    snprintf(kernel, sizeof kernel, "%s/vmlinuz", r->guest);
    snprintf(initrd, sizeof initrd, "%s/initrd.img", r->guest);
    path_in(r, disk, sizeof disk, "capture-disk.raw");
    /* 128 MiB of header/kallsyms/kdump, then the vmcore (<= RAM + slack) */
    int fd = open(disk, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || ftruncate(fd, (off_t)(128ull << 20) + (off_t)(r->mem + dimms) + (64ll << 20)) != 0) {
        if (fd >= 0)
            close(fd);
        return fail(r, "cannot create %s: %s", disk, strerror(errno));
    }
    close(fd);
    snprintf(drive, sizeof drive, "file=%s,format=raw,if=none,id=capture,cache=unsafe", disk);
    snprintf(con, sizeof con, "pipe,id=con,path=%s/con", r->sock);
    snprintf(serial, sizeof serial, "chardev:con");
    snprintf(qmp, sizeof qmp, "unix:%s/qmp,server=on,wait=off", r->sock);
    snprintf(gdb, sizeof gdb, "unix:%s/gdb,server=on,wait=off", r->sock);
    /* script mode: the steps for the init, the capture kernel's command line
     * with '+' for ' ' (one kernel parameter) */
    char capture_append[] = CAPTURE_APPEND;
    for (char *c = capture_append; *c; c++)
        if (*c == ' ')
            *c = '+';
    snprintf(append, sizeof append, "console=ttyS0 nokaslr crashkernel=128M loglevel=4 "
             "unknown_nmi_panic=1 mitigations=off%s%s%s%s",
             r->script ? " dbscript=" : "", r->script ? r->script_tokens : "",
             r->script ? " dbcapture=" : "", r->script ? capture_append : "");
    char *argv[] = {
        r->qemu, "-nodefaults", "-no-user-config", "-machine", "pc,accel=tcg",
        "-m", mem, "-smp", smp, "-display", "none", "-vga", "none", "-no-reboot",
        "-rtc", "base=2024-01-01T00:00:00,clock=vm",
        "-kernel", kernel, "-initrd", initrd,
        "-append", append,
        "-chardev", con, "-serial", serial, "-qmp", qmp, "-gdb", gdb,
        "-drive", drive, "-device", "virtio-blk-pci,drive=capture",
        NULL,
    };
    /* Script mode: stopped until the breakpoint is armed (arm_breakpoint),
     * and no capture disk device until the crash (attach_capture_disk).
     * Measured: with the virtio-blk-pci device present from the start, three
     * direct runs of the same guest (no harness, no gdbstub/QMP, no driver
     * loaded in the kernel) crashed at three different guest times with
     * different planted frames; with only the -drive (no device), three of
     * three were identical. */
    if (r->script) {
        argv[sizeof argv / sizeof argv[0] - 3] = "-S";
        argv[sizeof argv / sizeof argv[0] - 2] = NULL;
    }
    /* DUMPBENCH_RECORD: -icount / record-replay (qemu_record.c) */
    struct qemu_record rec;
    char rerr[600];
    char **av = qemu_record_argv(&rec, argv, "x86_64", r->dir, rerr, sizeof rerr);
    if (!av)
        return fail(r, "%s", rerr);
    if (r->script != qemu_record_script(&rec))
        return fail(r, "record mode changed between the checks (%s)", rec.what);
    char cmdline[3072] = "";
    for (char **a = av; *a; a++) {
        strncat(cmdline, *a, sizeof cmdline - strlen(cmdline) - 2);
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
    if (qmp_connect(&r->q, qpath, 20000, r->err, sizeof r->err) != 0)
        return fail(r, "QMP: %s; console tail:\n%s", r->err, qproc_tail(&r->p, 800));
    r->qmp_open = true;
    return 0;
}

static int boot(struct qrun *r)
{
    double t = qnow();
    const char *ok[] = { "@@READY" };
    const char *bad[] = { "Kernel panic - not syncing", "@@EOF" };
    int m = qproc_expect(&r->p, ok, 1, bad, 2, 240000);
    if (m != 0)
        return fail(r, "boot: %s; console tail:\n%s",
                    m == -100 ? "no @@READY within 240 s" : m == -1 ? "QEMU exited" : "kernel panic",
                    qproc_tail(&r->p, 1500));
    char out[2048];
    if (guest_cmd(r, "grep -w machine_kexec /proc/kallsyms; grep 'Crash kernel' /proc/iomem",
                  20000, out, sizeof out) != 0)
        return r->err[0] ? -1 : fail(r, "cannot read kallsyms/iomem");
    unsigned long long a = 0, cs = 0, ce = 0;
    const char *mk = strstr(out, " T machine_kexec");
    if (!mk)
        return fail(r, "machine_kexec not in /proc/kallsyms: %s", out);
    const char *ls = mk;
    while (ls > out && ls[-1] != '\n')
        ls--;
    a = strtoull(ls, NULL, 16);
    const char *ck = strstr(out, " : Crash kernel");
    if (!ck)
        return fail(r, "no 'Crash kernel' range in /proc/iomem (crashkernel= not honoured)");
    const char *cl = ck;
    while (cl > out && cl[-1] != '\n')
        cl--;
    if (sscanf(cl, " %llx-%llx", &cs, &ce) != 2)
        return fail(r, "cannot parse the crash kernel range: %.80s", cl);
    r->machine_kexec = a;
    r->crash_start = cs;
    r->crash_end = ce + 1;
    say(r, "booted in %.1f s: machine_kexec=0x%llx crashkernel=[0x%llx, 0x%llx)",
        qnow() - t, a, cs, ce + 1);
    run_result_add_phase(r->res, "boot", qnow() - t);
    run_result_add_exempt(r->res, r->crash_start, r->crash_end - r->crash_start,
                          "crashkernel region (capture kernel's memory)");
    /* kernel.panic_on_oops is a sysctl, not a boot parameter */
    if (guest_cmd(r, "echo 1 > /proc/sys/kernel/panic_on_oops; echo 1 > /proc/sys/kernel/unknown_nmi_panic",
                  10000, NULL, 0) != 0)
        return r->err[0] ? -1 : fail(r, "cannot set panic_on_oops/unknown_nmi_panic");
    if (load_capture_kernel(r, false) != 0)
        return -1;
    return 0;
}

/* ---- steps ---------------------------------------------------------------- */

/* The "@@PLANT <index> <pfn>" lines of plant's output in text (n pages,
 * r->plant_pfn allocated). */
static int plant_frames(struct qrun *r, const char *text, uint64_t n)
{
    size_t got = 0;
    for (const char *l = strstr(text, "@@PLANT "); l; l = strstr(l + 1, "@@PLANT ")) {
        unsigned long long idx, pfn;
        if (sscanf(l, "@@PLANT %llu %llx", &idx, &pfn) == 2 && idx < n) {
            r->plant_pfn[idx] = pfn;
            got++;
        }
    }
    if (got != n)
        return fail(r, "plant reported %zu of %" PRIu64 " frames", got, n);
    r->nplant = n;
    say(r, "planted %" PRIu64 " pages (seed 0x%" PRIx64 "), first frame 0x%" PRIx64,
        n, r->plant_seed, r->plant_pfn[0]);
    return 0;
}

static int step_plant(struct qrun *r, const struct scn_item *it)
{
    uint64_t len = (uint64_t)scn_get_num(it, "len", 4096);
    uint64_t n = (len + QPAGE - 1) / QPAGE;
    if (n == 0 || n > 65536 || r->nplant)
        return fail(r, "line %d: plant: 1..65536 pages, once per scenario", it->line);
    r->plant_seed = (uint64_t)scn_get_num(it, "seed", (int64_t)r->s->machine.seed);
    char cmd[256];
    snprintf(cmd, sizeof cmd,
             "(plant %" PRIu64 " %" PRIu64 " > /tmp/plant.out 2>&1 &); i=0; "
             "while ! grep -q @@PLANT-END /tmp/plant.out && [ $i -lt 300 ]; do sleep 0.2; i=$((i+1)); done; "
             "cat /tmp/plant.out", r->plant_seed, n);
    size_t cap = n * 40 + 4096;
    char *out = malloc(cap);
    if (!out)
        return fail(r, "out of memory");
    int rc = guest_cmd(r, cmd, 120000, out, cap);
    r->plant_pfn = calloc(n, sizeof *r->plant_pfn);
    if (rc != 0 || !r->plant_pfn) {
        free(out);
        return r->err[0] ? -1 : fail(r, "plant failed (exit %d)", rc);
    }
    rc = plant_frames(r, out, n);
    free(out);
    return rc;
}

static int step_hotplug_cpu(struct qrun *r, const struct scn_item *it)
{
    int64_t count = scn_get_num(it, "count", 1);
    int before = count_online(r);
    if (before < 0)
        return -1;
    if (r->hooks && r->hooks->add_vcpus) {
        say(r, "hotplug %" PRId64 " vCPU(s) through %s", count, r->hooks->name);
        if (r->hooks->add_vcpus(r->hooks->ctx, r->dir, (unsigned)count, r->err, sizeof r->err) != 0)
            return -1;
    }
    for (int64_t k = 0; !(r->hooks && r->hooks->add_vcpus) && k < count; k++) {
        struct json_object *ret = NULL;
        if (qmp_exec(&r->q, "query-hotpluggable-cpus", NULL, &ret, 10000, r->err, sizeof r->err) != 0)
            return -1;
        struct json_object *slot = NULL;
        for (size_t i = 0; i < json_object_array_length(ret); i++) {
            struct json_object *c = json_object_array_get_idx(ret, i);
            if (!json_object_object_get_ex(c, "qom-path", NULL)) {
                slot = c;
                break;
            }
        }
        if (!slot) {
            json_object_put(ret);
            return fail(r, "line %d: no free CPU slot (max-cpus %u)", it->line, r->s->machine.max_cpus);
        }
        struct json_object *type = NULL, *props = NULL;
        json_object_object_get_ex(slot, "type", &type);
        json_object_object_get_ex(slot, "props", &props);
        struct json_object *args = json_object_new_object();
        char id[32];
        snprintf(id, sizeof id, "hpcpu%" PRId64, k);
        json_object_object_add(args, "driver", json_object_new_string(json_object_get_string(type)));
        json_object_object_add(args, "id", json_object_new_string(id));
        json_object_object_foreach(props, key, val)
            json_object_object_add(args, key, json_object_get(val));
        say(r, "QMP device_add %s", json_object_to_json_string(args));
        int rc = qmp_exec(&r->q, "device_add", args, NULL, 10000, r->err, sizeof r->err);
        json_object_put(args);
        json_object_put(ret);
        if (rc != 0)
            return -1;
    }
    int want = before + (int)count, now = before;
    for (int tries = 0; tries < 40 && now < want; tries++) {
        guest_cmd(r, "for c in /sys/devices/system/cpu/cpu[0-9]*; do "
                     "[ -f $c/online ] && [ \"$(cat $c/online)\" = 0 ] && echo 1 > $c/online; done; sleep 0.5",
                  20000, NULL, 0);
        now = count_online(r);
        if (now < 0)
            return -1;
    }
    if (now != want)
        return fail(r, "line %d: %d CPUs online after hotplug, expected %d", it->line, now, want);
    say(r, "hotplugged %" PRId64 " CPU(s): %d online; reloading the capture kernel", count, now);
    return load_capture_kernel(r, true);
}

static int step_hotplug_mem(struct qrun *r, const struct scn_item *it)
{
    uint64_t size = (uint64_t)scn_get_num(it, "size", 0);
    bool reload = strcmp(scn_get_str(it, "reload", "yes"), "yes") == 0;
    if (r->ndimm == MAX_DIMMS || size % (128u << 20))
        return fail(r, "line %d: hotplug-mem: size must be a multiple of 128M, at most %d DIMMs",
                    it->line, MAX_DIMMS);
    char mid[16], did[16];
    snprintf(mid, sizeof mid, "hpmem%u", (unsigned)r->ndimm);
    snprintf(did, sizeof did, "hpdimm%u", (unsigned)r->ndimm);
    struct json_object *a;
    int rc;
    if (r->hooks && r->hooks->attach_dimm) {
        /* the DIMM's QEMU id comes back from the hook (libvirt: user alias "ua-...") */
        if (r->hooks->attach_dimm(r->hooks->ctx, r->dir, size, did, sizeof did, r->err,
                                  sizeof r->err) != 0)
            return -1;
        say(r, "DIMM %s (0x%" PRIx64 " bytes) attached through %s", did, size, r->hooks->name);
        goto attached;
    }
    a = json_object_new_object();
    json_object_object_add(a, "qom-type", json_object_new_string("memory-backend-ram"));
    json_object_object_add(a, "id", json_object_new_string(mid));
    json_object_object_add(a, "size", json_object_new_int64((int64_t)size));
    rc = qmp_exec(&r->q, "object-add", a, NULL, 10000, r->err, sizeof r->err);
    json_object_put(a);
    if (rc != 0)
        return -1;
    a = json_object_new_object();
    json_object_object_add(a, "driver", json_object_new_string("pc-dimm"));
    json_object_object_add(a, "id", json_object_new_string(did));
    json_object_object_add(a, "memdev", json_object_new_string(mid));
    rc = qmp_exec(&r->q, "device_add", a, NULL, 10000, r->err, sizeof r->err);
    json_object_put(a);
    if (rc != 0)
        return -1;
attached:;
    struct json_object *ret = NULL;
    if (qmp_exec(&r->q, "query-memory-devices", NULL, &ret, 10000, r->err, sizeof r->err) != 0)
        return -1;
    uint64_t addr = 0;
    for (size_t i = 0; i < json_object_array_length(ret); i++) {
        struct json_object *d = json_object_array_get_idx(ret, i), *data, *id, *ad;
        if (json_object_object_get_ex(d, "data", &data) &&
            json_object_object_get_ex(data, "id", &id) &&
            strcmp(json_object_get_string(id), did) == 0 &&
            json_object_object_get_ex(data, "addr", &ad))
            addr = (uint64_t)json_object_get_int64(ad);
    }
    json_object_put(ret);
    if (!addr)
        return fail(r, "line %d: QEMU did not report the address of %s", it->line, did);
    /* online the new memory blocks (Debian: CONFIG_MEMORY_HOTPLUG_DEFAULT_ONLINE is not set) */
    char cmd[512], out[256];
    snprintf(cmd, sizeof cmd,
             "i=0; while [ $i -lt 40 ]; do n=0; for m in /sys/devices/system/memory/memory*; do "
             "[ \"$(cat $m/state)\" = offline ] && echo online > $m/state && n=$((n+1)); done; "
             "[ $n -gt 0 ] && break; sleep 0.25; i=$((i+1)); done; grep MemTotal /proc/meminfo");
    if (guest_cmd(r, cmd, 60000, out, sizeof out) != 0)
        return r->err[0] ? -1 : fail(r, "line %d: onlining the DIMM failed", it->line);
    r->dimm[r->ndimm].addr = addr;
    r->dimm[r->ndimm].size = size;
    r->dimm[r->ndimm].reload = reload;
    r->ndimm++;
    struct qemu_range *g = &r->ranges[r->nranges++];
    g->start = addr;
    g->end = addr + size;
    g->kind = reload ? QEMU_RANGE_REQUIRED : QEMU_RANGE_ABSENT;
    snprintf(g->why, sizeof g->why, reload ? "hotplugged %.8s (capture kernel reloaded)" :
             "%.8s: elfcorehdr loaded before the hotplug (reload=no)", did);
    say(r, "hotplugged %s at 0x%" PRIx64 " size 0x%" PRIx64 " (%s)", did, addr, size,
        reload ? "reloading the capture kernel" : "no reload");
    if (!reload)
        run_result_add_exempt(r->res, addr, size, "hotplugged DIMM not in the elfcorehdr (reload=no)");
    return reload ? load_capture_kernel(r, true) : 0;
}

/* Connect the gdbstub (stops the VM), set a hardware breakpoint on
 * machine_kexec, continue. */
static int arm_breakpoint(struct qrun *r)
{
    char path[128], reply[256], pkt[64];
    if (!r->script)     /* script mode: the init prints it (boot_script) */
        r->cpus_online = (unsigned)count_online(r);
    snprintf(path, sizeof path, "%s/gdb", r->sock);
    if (qgdb_connect(&r->g, path, 10000, r->err, sizeof r->err) != 0)
        return -1;
    r->gdb_open = true;
    if (qgdb_cmd(&r->g, "?", reply, sizeof reply, 10000) != 0)
        return fail(r, "gdbstub: no answer to '?'");
    snprintf(pkt, sizeof pkt, "Z1,%" PRIx64 ",1", r->machine_kexec);
    if (qgdb_cmd(&r->g, pkt, reply, sizeof reply, 10000) != 0 || strcmp(reply, "OK") != 0)
        return fail(r, "gdbstub: %s -> '%s'", pkt, reply);
    if (qgdb_cmd(&r->g, "c", NULL, 0, 10000) != 0)
        return fail(r, "gdbstub: continue failed");
    r->armed = true;
    if (r->script)
        say(r, "breakpoint on machine_kexec (0x%" PRIx64 ", from %s/symbols) before the first "
            "guest instruction; continued", r->machine_kexec, r->guest);
    else
        say(r, "breakpoint on machine_kexec (0x%" PRIx64 "), %u CPUs online", r->machine_kexec,
            r->cpus_online);
    return 0;
}

/* What the dmesg oracle expects for a crash of `kind`. */
static void crash_expect(struct qrun *r, const char *kind)
{
    if (strcmp(kind, "oops") == 0) {
        r->expect_text = "BUG: kernel NULL pointer dereference";
    } else {
        r->expect_text = "sysrq triggered crash";
        r->expect_panic = true;
    }
}

static int step_crash(struct qrun *r, const struct scn_item *it)
{
    const char *kind = scn_get_str(it, "kind", "panic");
    if (arm_breakpoint(r) != 0)
        return -1;
    char cmd[256];
    crash_expect(r, kind);
    if (strcmp(kind, "oops") == 0) {
        snprintf(cmd, sizeof cmd, "insmod /lib/modules/dumpbench_oops.ko\n");
    } else {
        int64_t cpu = scn_get_num(it, "cpu", -1);
        if (cpu >= 0)
            snprintf(cmd, sizeof cmd, "taskset 0x%llx sh -c 'echo c > /proc/sysrq-trigger'\n",
                     1ull << (cpu & 63));
        else
            snprintf(cmd, sizeof cmd, "echo c > /proc/sysrq-trigger\n");
    }
    say(r, "crash (%s): %s", kind, cmd);
    r->crashed = true;
    return qproc_send(&r->p, cmd);
}

static int step_hang(struct qrun *r)
{
    /* the command loop is replaced by a busy loop: the guest stops answering */
    if (qproc_send(&r->p, "exec sh -c 'while :; do :; done'\n") != 0)
        return fail(r, "cannot write to the guest console");
    qproc_pump(&r->p, 0);
    r->p.con_pos = r->p.con_len;
    qproc_send(&r->p, "echo \"@@ALI\"\"VE\"\n");
    const char *ok[] = { "@@ALIVE" };
    int m = qproc_expect(&r->p, ok, 1, NULL, 0, 3000);
    if (m == 0)
        return fail(r, "hang: the guest still answers");
    say(r, "guest hung (no answer within 3 s)");
    return 0;
}

static int step_operator_dump(struct qrun *r)
{
    if (!r->gdb_open) {
        /* the busy loop still runs; count_online would hang: use the last count */
        char path[128], reply[256], pkt[64];
        snprintf(path, sizeof path, "%s/gdb", r->sock);
        if (qgdb_connect(&r->g, path, 10000, r->err, sizeof r->err) != 0)
            return -1;
        r->gdb_open = true;
        if (qgdb_cmd(&r->g, "?", reply, sizeof reply, 10000) != 0)
            return fail(r, "gdbstub: no answer to '?'");
        snprintf(pkt, sizeof pkt, "Z1,%" PRIx64 ",1", r->machine_kexec);
        if (qgdb_cmd(&r->g, pkt, reply, sizeof reply, 10000) != 0 || strcmp(reply, "OK") != 0)
            return fail(r, "gdbstub: %s -> '%s'", pkt, reply);
        if (qgdb_cmd(&r->g, "c", NULL, 0, 10000) != 0)
            return fail(r, "gdbstub: continue failed");
        r->armed = true;
    }
    r->expect_text = "NMI";
    r->expect_panic = true;
    r->crashed = true;
    if (r->hooks && r->hooks->inject_nmi) {
        say(r, "inject NMI through %s", r->hooks->name);
        return r->hooks->inject_nmi(r->hooks->ctx, r->dir, r->err, sizeof r->err);
    }
    say(r, "QMP inject-nmi");
    return qmp_exec(&r->q, "inject-nmi", NULL, NULL, 10000, r->err, sizeof r->err);
}

/* ---- script mode (DUMPBENCH_RECORD=script) -------------------------------- */

int qemu_x86_script_tokens(const struct scenario *s, char *out, size_t len,
                           char *err, size_t errlen)
{
    static const int allowed[] = { SCN_STEP_BOOT, SCN_STEP_PLANT, SCN_STEP_CRASH, SCN_STEP_FAULT };
    if (qemu_record_script_steps(s, allowed, sizeof allowed / sizeof allowed[0], err, errlen) != 0)
        return -1;
    size_t used = 0;
    bool crash = false, plant = false;
    int n = snprintf(out, len, "load");
    if (n < 0 || (size_t)n >= len)
        goto full;
    used = (size_t)n;
    for (size_t i = 0; i < s->nsteps; i++) {
        const struct scn_item *it = &s->steps[i];
        char tok[96] = "";
        if (it->kind == SCN_STEP_CAPTURE)
            break;
        switch (it->kind) {
        case SCN_STEP_BOOT:
            break;
        case SCN_STEP_FAULT:
            /* the only fault the backend knows: a byte of the captured file,
             * flipped by the harness after the capture */
            if (!it->word || strcmp(it->word, "vmcore") != 0) {
                snprintf(err, errlen, "line %d: step fault %s is host-driven; DUMPBENCH_RECORD=script "
                         "runs only the steps the guest does by itself before the capture",
                         it->line, it->word ? it->word : "(no target)");
                return -1;
            }
            break;
        case SCN_STEP_PLANT: {
            int64_t bytes = scn_get_num(it, "len", 4096);
            int64_t pages = (bytes + (int64_t)QPAGE - 1) / (int64_t)QPAGE;
            if (crash || plant || pages < 1 || pages > 65536) {
                snprintf(err, errlen, "line %d: plant: %s", it->line,
                         crash ? "after the crash step" : plant ? "once per scenario" :
                         "len= must be 1..65536 pages");
                return -1;
            }
            plant = true;
            snprintf(tok, sizeof tok, "plant:0x%" PRIx64 ":%" PRId64,
                     (uint64_t)scn_get_num(it, "seed", (int64_t)s->machine.seed), pages);
            break;
        }
        case SCN_STEP_CRASH: {
            if (crash) {
                snprintf(err, errlen, "line %d: a second crash step", it->line);
                return -1;
            }
            crash = true;
            const char *kind = scn_get_str(it, "kind", "panic");
            int64_t cpu = scn_get_num(it, "cpu", -1);
            if (strcmp(kind, "oops") == 0) {
                snprintf(tok, sizeof tok, "crash:oops");
            } else if (cpu >= 0) {
                unsigned ncpu = s->machine.max_cpus > s->machine.cpus ? s->machine.max_cpus
                                                                      : s->machine.cpus;
                if (cpu >= (int64_t)ncpu || cpu > 63) {
                    snprintf(err, errlen, "line %d: crash cpu=%" PRId64 ": the machine has %u CPU(s)",
                             it->line, cpu, ncpu);
                    return -1;
                }
                snprintf(tok, sizeof tok, "crash:panic:%" PRId64, cpu);
            } else {
                snprintf(tok, sizeof tok, "crash:panic");
            }
            break;
        }
        default:        /* refused by qemu_record_script_steps */
            break;
        }
        if (tok[0]) {
            n = snprintf(out + used, len - used, ",%s", tok);
            if (n < 0 || (size_t)n >= len - used)
                goto full;
            used += (size_t)n;
        }
    }
    if (!crash) {
        snprintf(err, errlen, "DUMPBENCH_RECORD=script: the scenario has no crash step before "
                 "the capture (the guest runs the steps up to the crash by itself)");
        return -1;
    }
    return 0;
full:
    snprintf(err, errlen, "DUMPBENCH_RECORD=script: the step list does not fit in %zu bytes", len);
    return -1;
}

int qemu_x86_symbol(const char *path, const char *sym, uint64_t *addr, char *err, size_t errlen)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char line[512];
    int rc = -1;
    while (rc != 0 && fgets(line, sizeof line, f)) {
        unsigned long long a;
        char type[4], name[256];
        if (sscanf(line, "%llx %3s %255s", &a, type, name) == 3 && strcmp(name, sym) == 0 &&
            (type[0] == 'T' || type[0] == 't') && type[1] == '\0') {
            *addr = a;
            rc = 0;
        }
    }
    fclose(f);
    if (rc != 0)
        snprintf(err, errlen, "%s: no text symbol %s", path, sym);
    return rc;
}

/* Script mode up to the crash: the init runs the steps; read what the
 * harness needs from the console (machine_kexec as the guest sees it, the
 * crashkernel range, the CPU count, the planted frames). */
static int boot_script(struct qrun *r)
{
    double t = qnow();
    const char *ok[] = { "@@READY" };
    const char *bad[] = { "Kernel panic - not syncing", "@@EOF", "@@SCRIPT-FAIL" };
    int m = qproc_expect(&r->p, ok, 1, bad, 3, 240000);
    if (m != 0)
        return fail(r, "boot: %s; console tail:\n%s",
                    m == -100 ? "no @@READY within 240 s" : m == -1 ? "QEMU exited" :
                    m == -2 ? "kernel panic" : m == -3 ? "init ended" : "script failed",
                    qproc_tail(&r->p, 1500));
    say(r, "booted in %.1f s; the init runs dbscript=%s", qnow() - t, r->script_tokens);
    run_result_add_phase(r->res, "boot", qnow() - t);
    double ts = qnow();
    const char *ok2[] = { "@@SCRIPT-CRASH" };
    const char *bad2[] = { "@@SCRIPT-FAIL", "@@EOF" };
    m = qproc_expect(&r->p, ok2, 1, bad2, 2, 300000);
    if (m != 0) {
        const char *f = strstr(r->p.con, "@@SCRIPT-FAIL");
        return fail(r, "script: %s; console tail:\n%s",
                    m == -100 ? "no @@SCRIPT-CRASH within 300 s" : m == -1 ? "QEMU exited" :
                    m == -2 ? "a step failed in the guest" : "init ended",
                    f ? f : qproc_tail(&r->p, 1500));
    }
    run_result_add_phase(r->res, "script", qnow() - ts);
    const char *con = r->p.con;
    const char *k = strstr(con, "@@SCRIPT-KALLSYMS ");
    unsigned long long a = 0, cs = 0, ce = 0;
    if (!k || sscanf(k + 18, "%llx", &a) != 1)
        return fail(r, "script: no machine_kexec line (@@SCRIPT-KALLSYMS) on the console");
    if (a != r->machine_kexec)
        return fail(r, "script: the guest has machine_kexec at 0x%llx, %s/symbols says 0x%" PRIx64
                    " (the breakpoint is armed at the wrong address: rebuild with ci/guest-x86_64)",
                    a, r->guest, r->machine_kexec);
    const char *io = strstr(con, "@@SCRIPT-IOMEM ");
    if (!io || sscanf(io + 15, " %llx-%llx", &cs, &ce) != 2 || ce <= cs)
        return fail(r, "script: no 'Crash kernel' range in /proc/iomem (@@SCRIPT-IOMEM): %.80s",
                    io ? io : "missing");
    r->crash_start = cs;
    r->crash_end = ce + 1;
    run_result_add_exempt(r->res, r->crash_start, r->crash_end - r->crash_start,
                          "crashkernel region (capture kernel's memory)");
    const char *cp = strstr(con, "@@SCRIPT-CPUS ");
    int cpus = cp ? atoi(cp + 14) : 0;
    if (cpus < 1)
        return fail(r, "script: no CPU count (@@SCRIPT-CPUS) on the console");
    r->cpus_online = (unsigned)cpus;
    say(r, "script ran to the crash in %.1f s: machine_kexec=0x%llx crashkernel=[0x%llx, 0x%llx), "
        "%d CPUs online", qnow() - ts, a, cs, ce + 1, cpus);
    for (size_t i = 0; i < r->s->nsteps; i++) {
        const struct scn_item *it = &r->s->steps[i];
        if (it->kind == SCN_STEP_CAPTURE)
            break;
        if (it->kind == SCN_STEP_PLANT) {
            uint64_t n = ((uint64_t)scn_get_num(it, "len", 4096) + QPAGE - 1) / QPAGE;
            r->plant_seed = (uint64_t)scn_get_num(it, "seed", (int64_t)r->s->machine.seed);
            r->plant_pfn = calloc(n, sizeof *r->plant_pfn);
            if (!r->plant_pfn)
                return fail(r, "out of memory");
            const char *pl = strstr(con, "@@SCRIPT-STEP plant:");
            if (!pl || plant_frames(r, pl, n) != 0)
                return r->err[0] ? -1 : fail(r, "script: no plant output on the console");
        }
        if (it->kind == SCN_STEP_CRASH) {
            crash_expect(r, scn_get_str(it, "kind", "panic"));
            r->crashed = true;
        }
    }
    return 0;
}

/* ---- truth snapshot and capture ------------------------------------------ */

/* x86_64 4-level page walk in the truth image (lx61:arch/x86/include/asm/
 * pgtable_types.h: _PAGE_PRESENT bit 0, _PAGE_PSE bit 7, address bits 12-51). */
static int64_t walk(int fd, uint64_t ram, uint64_t cr3, uint64_t va)
{
    uint64_t table = cr3 & 0x000ffffffffff000ull;
    static const int shift[4] = { 39, 30, 21, 12 };
    for (int lvl = 0; lvl < 4; lvl++) {
        uint64_t idx = (va >> shift[lvl]) & 511, e;
        if (table + idx * 8 + 8 > ram || pread(fd, &e, 8, (off_t)(table + idx * 8)) != 8 || !(e & 1))
            return -1;
        uint64_t addr = e & 0x000ffffffffff000ull;
        if (lvl == 3 || (lvl > 0 && (e & 0x80))) {
            uint64_t mask = (1ull << shift[lvl]) - 1;
            return (int64_t)((addr & ~mask) | (va & mask));
        }
        table = addr;
    }
    return -1;
}

static void save_registers(struct qrun *r)
{
    char path[600], reply[4096], pkt[64], ids[64][16];
    size_t nids = 0;
    path_in(r, path, sizeof path, "truth-regs.txt");
    FILE *f = fopen(path, "w");
    if (!f)
        return;
    const char *q = "qfThreadInfo";
    while (nids < 64 && qgdb_cmd(&r->g, q, reply, sizeof reply, 5000) == 0 && reply[0] == 'm') {
        for (char *t = strtok(reply + 1, ","); t && nids < 64; t = strtok(NULL, ","))
            snprintf(ids[nids++], sizeof ids[0], "%.15s", t);
        q = "qsThreadInfo";
    }
    char truth[600];
    path_in(r, truth, sizeof truth, "truth-ram.bin");
    int tfd = open(truth, O_RDONLY | O_CLOEXEC);
    for (size_t k = 0; k < nids; k++) {
        snprintf(pkt, sizeof pkt, "Hg%.15s", ids[k]);
        if (qgdb_cmd(&r->g, pkt, reply, sizeof reply, 5000) != 0)
            continue;
        if (qgdb_cmd(&r->g, "g", reply, sizeof reply, 5000) != 0)
            continue;
        /* x86_64 'g' layout (QEMU gdb-xml/i386-64bit.xml order): rax rbx rcx
         * rdx rsi rdi rbp rsp r8..r15 (8 bytes LE each, @0), rip @128,
         * eflags @136 (4), cs ss ds es fs gs @140 (4 each), fs_base @164,
         * gs_base @172, k_gs_base @180, cr0 @188, cr2 @196, cr3 @204. */
        uint64_t v[27] = { 0 };
        size_t hexlen = strlen(reply);
        for (int i = 0; i < 27; i++) {
            size_t boff = i < 17 ? (size_t)i * 8 : i == 17 ? 204 : 0;
            if (i > 17 || hexlen < (boff + 8) * 2)
                continue;
            for (int b = 7; b >= 0; b--) {
                unsigned byte = 0;
                sscanf(reply + (boff + (size_t)b) * 2, "%2x", &byte);
                v[i] = (v[i] << 8) | byte;
            }
        }
        fprintf(f, "thread %s rip %016" PRIx64 " rsp %016" PRIx64 " cr3 %016" PRIx64 "\n",
                ids[k], v[16], v[7], v[17]);
        fprintf(f, "  g %s\n", reply);
        say(r, "thread %s at the breakpoint: rip 0x%" PRIx64 " rsp 0x%" PRIx64 " cr3 0x%" PRIx64,
            ids[k], v[16], v[7], v[17]);
        /* the stack below rsp is where machine_kexec keeps running */
        for (uint64_t va = (v[7] & ~(uint64_t)(QPAGE - 1)) - 2 * QPAGE;
             tfd >= 0 && v[7] && va <= v[7] && r->nranges < sizeof r->ranges / sizeof r->ranges[0];
             va += QPAGE) {
            int64_t pa = walk(tfd, r->mem, v[17], va);
            if (pa < 0)
                continue;
            struct qemu_range *g = &r->ranges[r->nranges++];
            g->kind = QEMU_RANGE_KNOWN;
            g->start = (uint64_t)pa & ~(uint64_t)(QPAGE - 1);
            g->end = g->start + QPAGE;
            snprintf(g->why, sizeof g->why, "stack of vCPU %.6s (rsp 0x%" PRIx64 "), used after the breakpoint",
                     ids[k], v[7]);
        }
    }
    if (tfd >= 0)
        close(tfd);
    fclose(f);
}

static int pmemsave(struct qrun *r, uint64_t addr, uint64_t size, const char *name)
{
    char path[600];
    path_in(r, path, sizeof path, name);
    if (r->hooks && r->hooks->save_ram)     /* remote libvirt: through a storage volume */
        return r->hooks->save_ram(r->hooks->ctx, r->dir, addr, size, path, r->err, sizeof r->err);
    struct json_object *a = json_object_new_object();
    json_object_object_add(a, "val", json_object_new_int64((int64_t)addr));
    json_object_object_add(a, "size", json_object_new_int64((int64_t)size));
    json_object_object_add(a, "filename", json_object_new_string(path));
    int rc = qmp_exec(&r->q, "pmemsave", a, NULL, 300000, r->err, sizeof r->err);
    json_object_put(a);
    return rc;
}

/* Script mode: the capture disk's device is plugged while the crashed
 * kernel is stopped at machine_kexec (interrupts off since panic()/oops_end(),
 * so the ACPI hotplug event never reaches it and its memory does not
 * change); the capture kernel finds the device when it enumerates PCI. */
static int attach_capture_disk(struct qrun *r)
{
    struct json_object *a = json_object_new_object();
    json_object_object_add(a, "driver", json_object_new_string("virtio-blk-pci"));
    json_object_object_add(a, "drive", json_object_new_string("capture"));
    json_object_object_add(a, "id", json_object_new_string("capture-disk"));
    int rc = qmp_exec(&r->q, "device_add", a, NULL, 10000, r->err, sizeof r->err);
    json_object_put(a);
    if (rc != 0)
        return fail(r, "QMP device_add of the capture disk: %s", r->err);
    say(r, "capture disk plugged (QMP device_add virtio-blk-pci) at the breakpoint");
    return 0;
}

static int capture(struct qrun *r)
{
    if (!r->armed)
        return fail(r, "capture without a crash step");
    double t = qnow();
    char reply[512];
    bool hit = false;
    while (!hit && qnow() - t < 180) {
        hit = qgdb_wait_stop(&r->g, reply, sizeof reply, 500) == 0;
        qproc_pump(&r->p, 0);
        if (!hit && qproc_poll_exit(&r->p))
            break;
    }
    if (!hit)
        return fail(r, "machine_kexec breakpoint not hit %s; console tail:\n%s",
                    r->p.exited ? "before QEMU exited" : "within 180 s", qproc_tail(&r->p, 2000));
    say(r, "breakpoint hit after %.1f s: %s", qnow() - t, reply);
    run_result_add_phase(r->res, "crash", qnow() - t);
    double ts = qnow();
    if (pmemsave(r, 0, r->mem, "truth-ram.bin") != 0)
        return -1;
    for (size_t i = 0; i < r->ndimm; i++) {
        char name[32];
        snprintf(name, sizeof name, "truth-dimm%zu.bin", i);
        if (pmemsave(r, r->dimm[i].addr, r->dimm[i].size, name) != 0)
            return -1;
    }
    say(r, "truth snapshot (pmemsave) in %.1f s", qnow() - ts);
    save_registers(r);
    run_result_add_phase(r->res, "truth", qnow() - ts);
    if (r->script && attach_capture_disk(r) != 0)
        return -1;
    qproc_pump(&r->p, 0);
    r->p.con_pos = r->p.con_len;
    if (qgdb_cmd(&r->g, "D", reply, sizeof reply, 10000) != 0)
        return fail(r, "gdbstub: detach failed");
    qgdb_close(&r->g);
    r->gdb_open = false;

    double tc = qnow();
    int budget = 120000 + (int)(r->mem >> 20) * 1000 / 4;   /* >= 4 MB/s */
    const char *ok[] = { "@@CAPTURE-DONE" };
    const char *bad[] = { "@@CAPTURE-FAIL", "Kernel panic - not syncing", "@@EOF" };
    int m = qproc_expect(&r->p, ok, 1, bad, 3, budget);
    if (m != 0)
        return fail(r, "capture kernel: %s; console tail:\n%s",
                    m == -100 ? "no @@CAPTURE-DONE in time" : m == -1 ? "QEMU exited" :
                    m == -2 ? "capture failed" : "capture kernel panicked",
                    qproc_tail(&r->p, 2000));
    say(r, "capture done in %.1f s", qnow() - tc);
    run_result_add_phase(r->res, "capture", qnow() - tc);

    /* second source: the whole guest as QEMU sees it after the capture */
    char post[600], proto[620];
    path_in(r, post, sizeof post, "post-capture.elf");
    snprintf(proto, sizeof proto, "file:%s", post);
    struct json_object *a = json_object_new_object();
    json_object_object_add(a, "paging", json_object_new_boolean(0));
    json_object_object_add(a, "protocol", json_object_new_string(proto));
    double td = qnow();
    int rc = r->hooks && r->hooks->post_dump
             ? r->hooks->post_dump(r->hooks->ctx, r->dir, post, r->err, sizeof r->err)
             : qmp_exec(&r->q, "dump-guest-memory", a, NULL, 300000, r->err, sizeof r->err);
    json_object_put(a);
    if (rc != 0)
        return -1;
    say(r, "%s after the capture in %.1f s", r->hooks && r->hooks->post_dump ?
        r->hooks->post_dump_name : "dump-guest-memory", qnow() - td);
    qproc_send(&r->p, "sync; poweroff -f\n");
    for (int i = 0; i < 200 && !qproc_poll_exit(&r->p); i++)
        qproc_pump(&r->p, 100);
    return 0;
}

/* ---- reading the capture disk ------------------------------------------- */

static int copy_region(struct qrun *r, int dfd, uint64_t off, uint64_t size, const char *name)
{
    char path[600];
    path_in(r, path, sizeof path, name);
    int o = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (o < 0)
        return fail(r, "%s: %s", path, strerror(errno));
    char *buf = malloc(1 << 20);
    int rc = buf ? 0 : -1;
    while (rc == 0 && size) {
        size_t c = size > (1u << 20) ? (1u << 20) : (size_t)size;
        ssize_t n = pread(dfd, buf, c, (off_t)off);
        if (n != (ssize_t)c || write(o, buf, c) != (ssize_t)c)
            rc = -1;
        off += c;
        size -= c;
    }
    free(buf);
    close(o);
    return rc == 0 ? 0 : fail(r, "copying %s from the capture disk failed", name);
}

static int read_disk(struct qrun *r, uint64_t *vmsize, int *kdump_rc)
{
    char disk[600], hdr[4097];
    path_in(r, disk, sizeof disk, "capture-disk.raw");
    int fd = open(disk, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return fail(r, "%s: %s", disk, strerror(errno));
    ssize_t n = pread(fd, hdr, 4096, 0);
    hdr[n > 0 ? n : 0] = '\0';
    if (strncmp(hdr, "DUMPBENCH-CAPTURE 1\n", 20) != 0) {
        close(fd);
        return fail(r, "capture disk has no DUMPBENCH-CAPTURE header (capture agent did not finish)");
    }
    struct stat st;
    fstat(fd, &st);
    const char *names[3] = { "vmcore", "kallsyms", "kdump" };
    const char *files[3] = { "vmcore", "kallsyms.txt", "vmcore.kdump" };
    int rc = 0;
    for (int i = 0; i < 3 && rc == 0; i++) {
        char key[32];
        snprintf(key, sizeof key, "\n%s ", names[i]);
        const char *l = strstr(hdr, key);
        unsigned long long off, size;
        int xrc;
        if (!l || sscanf(l + strlen(key), "%llu %llu %d", &off, &size, &xrc) != 3) {
            rc = fail(r, "capture header lacks '%s'", names[i]);
            break;
        }
        if (off > (unsigned long long)st.st_size || size > (unsigned long long)st.st_size - off) {
            rc = fail(r, "capture header: %s [%llu, +%llu) beyond the disk", names[i], off, size);
            break;
        }
        say(r, "capture disk: %s at %llu, %llu bytes, exit %d", names[i], off, size, xrc);
        if (i == 0) {
            if (xrc != 0 || size == 0) {
                rc = fail(r, "copying /proc/vmcore failed in the capture kernel (exit %d)", xrc);
                break;
            }
            *vmsize = size;
        }
        if (i == 2)
            *kdump_rc = xrc;
        if (size)
            rc = copy_region(r, fd, off, size, files[i]);
    }
    close(fd);
    return rc;
}

static int corrupt_byte(struct qrun *r, uint64_t paddr)
{
    char path[600], e[256];
    path_in(r, path, sizeof path, "vmcore");
    struct qelf el;
    if (qelf_open(&el, path, e, sizeof e) != 0)
        return fail(r, "%s", e);
    const uint8_t *pg = qelf_page(&el, paddr & ~(uint64_t)(QPAGE - 1));
    long long off = pg ? (long long)(pg - el.map) + (long long)(paddr & (QPAGE - 1)) : -1;
    uint8_t b = pg ? pg[paddr & (QPAGE - 1)] : 0;
    qelf_close(&el);
    if (off < 0)
        return fail(r, "fault vmcore: 0x%" PRIx64 " is not in the vmcore", paddr);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    b ^= 0x5a;
    if (fd < 0 || pwrite(fd, &b, 1, off) != 1) {
        if (fd >= 0)
            close(fd);
        return fail(r, "fault vmcore: cannot write %s", path);
    }
    close(fd);
    say(r, "fault: flipped byte 0x%" PRIx64 " of the captured vmcore (file offset %lld)", paddr, off);
    return 0;
}

/* ---- external oracles ----------------------------------------------------- */

static int run_prog(struct qrun *r, char *const argv[], int timeout_s)
{
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid == 0) {
        int nul = open("/dev/null", O_RDWR);
        if (nul >= 0) {
            dup2(nul, 0);
            dup2(nul, 1);
            dup2(nul, 2);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    double end = qnow() + timeout_s;
    int st;
    while (waitpid(pid, &st, WNOHANG) == 0) {
        if (qnow() > end) {
            kill(pid, SIGKILL);
            waitpid(pid, &st, 0);
            say(r, "%s timed out", argv[0]);
            return -1;
        }
        usleep(20000);
    }
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int check_dmesg(struct qrun *r, char *why, size_t len)
{
    char vm[600], out[600], mdf[300];
    path_in(r, vm, sizeof vm, "vmcore");
    path_in(r, out, sizeof out, "dmesg.txt");
    unlink(out);
    if (find_in_path("makedumpfile", mdf, sizeof mdf) != 0) {
        snprintf(why, len, "makedumpfile not installed on the host");
        return -1;
    }
    char *argv[] = { mdf, "--dump-dmesg", vm, out, NULL };
    int rc = run_prog(r, argv, 120);
    FILE *f = fopen(out, "r");
    if (rc != 0 || !f) {
        if (f)
            fclose(f);
        snprintf(why, len, "makedumpfile --dump-dmesg failed (exit %d)", rc);
        return -1;
    }
    char line[1024];
    bool panic = false, text = false;
    while (fgets(line, sizeof line, f)) {
        if (strstr(line, "Kernel panic - not syncing"))
            panic = true;
        if (r->expect_text && strstr(line, r->expect_text))
            text = true;
    }
    fclose(f);
    if ((r->expect_panic && !panic) || (r->expect_text && !text)) {
        snprintf(why, len, "dmesg from the vmcore lacks '%s'",
                 r->expect_panic && !panic ? "Kernel panic - not syncing" : r->expect_text);
        return -1;
    }
    say(r, "dmesg from the vmcore (makedumpfile --dump-dmesg) shows %s'%s'",
        r->expect_panic ? "the panic and " : "", r->expect_text ? r->expect_text : "");
    return 0;
}

/* Every page the kdump-compressed dump holds equals the raw vmcore's. */
static int check_kdump(struct qrun *r, uint64_t *pages, char *why, size_t len)
{
    char vm[600], kd[600], e[256];
    path_in(r, vm, sizeof vm, "vmcore");
    path_in(r, kd, sizeof kd, "vmcore.kdump");
    struct qelf el;
    if (qelf_open(&el, vm, e, sizeof e) != 0) {
        snprintf(why, len, "%s", e);
        return -1;
    }
    int fd = open(kd, O_RDONLY | O_CLOEXEC);
    kdump_ctx_t *ctx = fd >= 0 ? kdump_new() : NULL;
    int rc = -1;
    if (!ctx || kdump_open_fd(ctx, fd) != KDUMP_OK) {
        snprintf(why, len, "libkdumpfile cannot open the makedumpfile dump: %s",
                 ctx ? kdump_get_err(ctx) : strerror(errno));
        goto out;
    }
    uint8_t buf[QPAGE];
    *pages = 0;
    rc = 0;
    for (size_t li = 0; li < el.nload && rc == 0; li++) {
        const struct qelf_load *l = &el.loads[li];
        for (uint64_t pa = (l->paddr + QPAGE - 1) & ~(uint64_t)(QPAGE - 1);
             pa + QPAGE <= l->paddr + l->filesz; pa += QPAGE) {
            size_t sz = QPAGE;
            if (kdump_read(ctx, KDUMP_MACHPHYSADDR, pa, buf, &sz) != KDUMP_OK || sz != QPAGE)
                continue;       /* filtered out by -d 31 */
            (*pages)++;
            if (memcmp(buf, el.map + l->off + (pa - l->paddr), QPAGE) != 0) {
                snprintf(why, len, "page 0x%" PRIx64 " in the makedumpfile dump differs from the raw vmcore", pa);
                rc = -1;
                break;
            }
        }
    }
    if (rc == 0 && *pages == 0) {
        snprintf(why, len, "the makedumpfile dump holds no page of the vmcore");
        rc = -1;
    }
out:
    if (ctx)
        kdump_free(ctx);
    if (fd >= 0)
        close(fd);
    qelf_close(&el);
    return rc;
}

static void oracles(struct qrun *r, uint64_t vmsize, int kdump_rc)
{
    struct run_result *res = r->res;
    char vm[600], post[600], ks[600], truth[600], dimmp[MAX_DIMMS][600];
    path_in(r, vm, sizeof vm, "vmcore");
    path_in(r, post, sizeof post, "post-capture.elf");
    path_in(r, ks, sizeof ks, "kallsyms.txt");
    path_in(r, truth, sizeof truth, "truth-ram.bin");
    struct qemu_mem_file mem[1 + MAX_DIMMS];
    size_t nmem = 0;
    mem[nmem++] = (struct qemu_mem_file){ 0, r->mem, truth };
    for (size_t i = 0; i < r->ndimm; i++) {
        char name[32];
        snprintf(name, sizeof name, "truth-dimm%zu.bin", i);
        path_in(r, dimmp[i], sizeof dimmp[i], name);
        mem[nmem++] = (struct qemu_mem_file){ r->dimm[i].addr, r->dimm[i].size, dimmp[i] };
    }
    struct qemu_oracle_in in = {
        .vmcore = vm, .nmem = nmem, .mem = mem,
        .crash_start = r->crash_start, .crash_end = r->crash_end,
        .max_differ = MAX_DIFF_DEFAULT,
        .nplant = r->nplant, .plant_pfn = r->plant_pfn, .plant_seed = r->plant_seed,
        .post_elf = post, .kallsyms = ks, .expect_cpus = r->cpus_online,
        .nranges = r->nranges, .ranges = r->ranges,
    };
    struct qemu_oracle_out *o = calloc(1, sizeof *o);
    char e[512];
    double t = qnow();
    if (!o || qemu_oracle_compare(&in, o, e, sizeof e) != 0) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "oracle: %.240s", o ? e : "out of memory");
        free(o);
        return;
    }
    say(r, "pages: %" PRIu64 " compared (vmcore %" PRIu64 " bytes, outside the crashkernel region), "
        "%" PRIu64 " differ from the truth snapshot, %" PRIu64 " vmcore pages outside it; "
        "second source: %" PRIu64 " compared, %" PRIu64 " differ; %" PRIu64 " pages absent by design",
        o->pages_compared, vmsize, o->pages_differ, o->pages_missing, o->post_compared,
        o->post_differ, o->pages_absent);
    for (size_t i = 0; i < o->ndiff; i++) {
        say(r, "  differing page 0x%" PRIx64 ": %s", o->diff[i].paddr, o->diff[i].why);
        run_result_add_exempt(res, o->diff[i].paddr, QPAGE, o->diff[i].why);
    }
    for (size_t i = 0; i < r->nranges; i++)
        if (r->ranges[i].kind == QEMU_RANGE_ABSENT)
            say(r, "  absent range [0x%" PRIx64 ", 0x%" PRIx64 "): %s", r->ranges[i].start,
                r->ranges[i].end, r->ranges[i].why);
    say(r, "planted pages checked: %" PRIu64 "; NT_PRSTATUS notes: %u (CPUs online: %u); VMCOREINFO: %s",
        o->plant_checked, o->prstatus, r->cpus_online, o->vmcoreinfo ? "yes" : "no");
    char why[256] = "";
    uint64_t kpages = 0;
    if (o->fail[0]) {
        snprintf(why, sizeof why, "%s", o->fail);
    } else if (check_dmesg(r, why, sizeof why) != 0) {
        /* why filled */
    } else if (kdump_rc != 0) {
        snprintf(why, sizeof why, "makedumpfile -c -d 31 failed in the capture kernel (exit %d)", kdump_rc);
    } else if (check_kdump(r, &kpages, why, sizeof why) != 0) {
        /* why filled */
    } else {
        say(r, "makedumpfile dump: %" PRIu64 " pages read with libkdumpfile, all equal the raw vmcore", kpages);
    }
    run_result_add_phase(res, "verify", qnow() - t);
    res->cpus_online = r->cpus_online;
    res->oracle_pages_compared = o->pages_compared;
    res->oracle_pages_differ = o->pages_differ;
    if (why[0]) {
        res->outcome = RUN_FAILED;
        snprintf(res->reason, sizeof res->reason, "oracle: %s", why);
        say(r, "FAILED: %s", why);
        if (o->fail[0])     /* the failing bytes for the HTML report */
            report_qemu_first_diff(&in, o, &res->first_diff);
    } else {
        res->outcome = RUN_COMPLETE;
        snprintf(res->reason, sizeof res->reason,
                 "kdump verified: %" PRIu64 " pages compared, %" PRIu64 " differ (each attributed, bound %d), "
                 "%" PRIu64 " absent by design, %" PRIu64 " planted, %u CPU notes, %" PRIu64 " compressed pages",
                 o->pages_compared, o->pages_differ, MAX_DIFF_DEFAULT, o->pages_absent,
                 o->plant_checked, o->prstatus, kpages);
        say(r, "PASSED: %s", res->reason);
    }
    free(o);
}

/* ---- entry ---------------------------------------------------------------- */

/* DUMPBENCH_RECORD=script: the mode, the token list, machine_kexec from the
 * guest's symbols file; nothing to do in the other modes. */
static int script_setup(struct qrun *r)
{
    char e[512];
    int mode = qemu_record_mode_env(e, sizeof e);
    if (mode < 0)
        return fail(r, "%s", e);
    if (mode != REPLAY_EXEC_SCRIPT)
        return 0;
    if (r->hooks)
        return fail(r, "DUMPBENCH_RECORD=script is not supported by the %s backend: it needs QEMU "
                    "started stopped (-S) and the gdbstub armed before the first guest instruction "
                    "(run the scenario with backend qemu)", r->hooks->name ? r->hooks->name : "launcher");
    unsigned ncpu = r->s->machine.max_cpus > r->s->machine.cpus ? r->s->machine.max_cpus
                                                                : r->s->machine.cpus;
    if (ncpu > 1)
        return fail(r, "DUMPBENCH_RECORD=script on x86_64 runs 1-CPU scenarios only (this one has "
                    "%u CPUs): a guest with 2 vCPUs under -icount stops in SMP bring-up after "
                    "\"x86: Booting SMP configuration\" (measured, QEMU 7.2); use a 1-CPU variant "
                    "(cpus=1, no crash cpu=) as ci/replay-real does", ncpu);
    r->script = true;
    if (qemu_x86_script_tokens(r->s, r->script_tokens, sizeof r->script_tokens, e, sizeof e) != 0)
        return fail(r, "%s", e);
    char sym[600];
    snprintf(sym, sizeof sym, "%s/symbols", r->guest);
    if (access(sym, R_OK) != 0)
        return fail(r, "DUMPBENCH_RECORD=script: the guest %s has no symbols file (built before "
                    "script mode): rebuild it with ci/guest-x86_64", r->guest);
    if (qemu_x86_symbol(sym, "machine_kexec", &r->machine_kexec, e, sizeof e) != 0)
        return fail(r, "%s", e);
    say(r, "record mode script: dbscript=%s, machine_kexec 0x%" PRIx64 " (%s)", r->script_tokens,
        r->machine_kexec, sym);
    return 0;
}

static void cleanup(struct qrun *r, bool keep_big)
{
    if (r->gdb_open)
        qgdb_close(&r->g);
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
    snprintf(f, sizeof f, "%s/gdb", r->sock);
    unlink(f);
    rmdir(r->sock);
    if (!keep_big) {
        /* large intermediates: kept only when a run fails */
        const char *big[] = { "capture-disk.raw", "truth-ram.bin", "post-capture.elf",
                              "truth-dimm0.bin", "truth-dimm1.bin", "truth-dimm2.bin",
                              "truth-dimm3.bin" };
        char p[600];
        for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
            path_in(r, p, sizeof p, big[i]);
            unlink(p);
        }
    }
    free(r->plant_pfn);
}

int qemu_backend_run(const struct scenario *s, const char *run_dir, FILE *log,
                     struct run_result *res, char *errbuf, size_t errlen)
{
    if (s->machine.arch == SCN_ARCH_S390X)
        return qemu_s390x_run(s, run_dir, log, res, errbuf, errlen);
    if (s->machine.arch == SCN_ARCH_PPC64)
        return qemu_ppc64_run(s, run_dir, log, res, errbuf, errlen);
    return qemu_x86_run_with(NULL, NULL, s, run_dir, log, res, errbuf, errlen);
}

int qemu_x86_run_with(const char *emulator, const struct qemu_x86_hooks *hooks,
                      const struct scenario *s, const char *run_dir,
                      FILE *log, struct run_result *res, char *errbuf, size_t errlen)
{
    struct qrun *r = calloc(1, sizeof *r);
    if (!r) {
        snprintf(errbuf, errlen, "out of memory");
        return QEMU_BACKEND_ERROR;
    }
    r->s = s;
    r->log = log;
    r->res = res;
    r->dir = run_dir;
    r->t0 = qnow();
    r->p.pid = -1;
    r->p.con_in = r->p.con_out = r->p.con_log = -1;
    r->corrupt_paddr = -1;
    r->hooks = hooks;
    int ret = 0;

    const char *qbin = emulator ? emulator : getenv("DUMPBENCH_QEMU_X86_64");
    const char *skip = NULL;
    char skipbuf[700];
    if (s->machine.arch != SCN_ARCH_X86_64)
        skip = "the qemu backend runs x86_64 scenarios only";
    else if (strcmp(s->dump.method ? s->dump.method : "", "kdump") != 0)
        skip = "the qemu backend runs dump method kdump only";
    else if (find_in_path(qbin && *qbin ? qbin : "qemu-system-x86_64", r->qemu, sizeof r->qemu) != 0)
        skip = "qemu-system-x86_64 not installed (ci/setup x86_64)";
    else if (find_guest(r) != 0) {
        snprintf(skipbuf, sizeof skipbuf, "no x86_64 guest at %s (ci/guest-x86_64 failed or not run)",
                 r->guest);
        skip = skipbuf;
    }
    if (skip) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "SKIPPED: %.240s", skip);
        snprintf(errbuf, errlen, "SKIPPED: %s", skip);
        say(r, "SKIPPED: %s", skip);
        free(r);
        return QEMU_BACKEND_SKIPPED;
    }
    snprintf(r->sock, sizeof r->sock, "/tmp/dbq.XXXXXX");
    if (!mkdtemp(r->sock)) {
        snprintf(errbuf, errlen, "mkdtemp: %s", strerror(errno));
        free(r);
        return QEMU_BACKEND_ERROR;
    }
    say(r, "scenario %s: guest %s, qemu %s", s->name, r->guest, r->qemu);

    int rc = script_setup(r);
    if (rc == 0)
        rc = start_qemu(r);
    if (rc == 0 && r->script)
        rc = arm_breakpoint(r);
    if (rc == 0)
        rc = r->script ? boot_script(r) : boot(r);
    bool captured = false;
    for (size_t i = 0; rc == 0 && i < s->nsteps; i++) {
        const struct scn_item *it = &s->steps[i];
        if (r->script && !captured && (it->kind == SCN_STEP_BOOT || it->kind == SCN_STEP_PLANT ||
                                       it->kind == SCN_STEP_CRASH))
            continue;       /* done by the guest's init (boot_script) */
        switch (it->kind) {
        case SCN_STEP_BOOT:
            break;
        case SCN_STEP_PLANT:
            rc = step_plant(r, it);
            break;
        case SCN_STEP_HOTPLUG_CPU:
            rc = step_hotplug_cpu(r, it);
            break;
        case SCN_STEP_HOTPLUG_MEM:
            rc = step_hotplug_mem(r, it);
            break;
        case SCN_STEP_CRASH:
            rc = step_crash(r, it);
            break;
        case SCN_STEP_HANG:
            r->cpus_online = (unsigned)count_online(r);
            rc = step_hang(r);
            break;
        case SCN_STEP_OPERATOR_DUMP:
            rc = step_operator_dump(r);
            break;
        case SCN_STEP_CAPTURE:
            rc = capture(r);
            captured = rc == 0;
            break;
        case SCN_STEP_RUN:
            for (double end = qnow() + scn_get_num(it, "ms", 0) / 1000.0; qnow() < end;)
                qproc_pump(&r->p, 50);
            break;
        case SCN_STEP_FAULT:
            if (it->word && strcmp(it->word, "vmcore") == 0) {
                r->corrupt_paddr = scn_get_num(it, "paddr", -1);
                break;
            }
            /* fall through */
        default:
            rc = fail(r, "line %d: step %s is not supported by the qemu backend", it->line,
                      scn_step_name(it->kind));
            break;
        }
    }
    if (rc == 0 && r->crashed && !captured)
        rc = capture(r);
    uint64_t vmsize = 0;
    int kdump_rc = -1;
    if (rc == 0 && !r->crashed) {
        res->outcome = RUN_NO_DUMP;
        snprintf(res->reason, sizeof res->reason, "no crash step");
    } else if (rc == 0) {
        qproc_stop(&r->p, 2000);
        if (r->hooks && r->hooks->fetch_disk) {  /* remote libvirt: the disk is a volume there */
            char disk[600];
            path_in(r, disk, sizeof disk, "capture-disk.raw");
            rc = r->hooks->fetch_disk(r->hooks->ctx, r->dir, disk, r->err, sizeof r->err);
        }
        if (rc == 0)
            rc = read_disk(r, &vmsize, &kdump_rc);
        if (rc == 0 && r->corrupt_paddr >= 0)
            rc = corrupt_byte(r, (uint64_t)r->corrupt_paddr);
        if (rc == 0) {
            path_in(r, res->image_path, sizeof res->image_path, "vmcore");
            oracles(r, vmsize, kdump_rc);
        }
    }
    if (rc != 0) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "%.255s", r->err);
        snprintf(errbuf, errlen, "%s", r->err);
        ret = QEMU_BACKEND_ERROR;
    }
    say(r, "total %.1f s", qnow() - r->t0);
    cleanup(r, res->outcome != RUN_COMPLETE);
    free(r);
    return ret;
}
