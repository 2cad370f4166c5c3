/*
 * QEMU backend, ppc64: POWER firmware-assisted dump (fadump) of an
 * unmodified Linux 6.1 FA_DUMP kernel on the patched QEMU 7.2 pseries
 * (dumpbench-spapr object: libphyp behind ibm,configure-kernel-dump;
 * sim/qemu/README-ppc64.md).
 *
 *  1. start qemu-system-ppc64 -M pseries,x-vof=on (TCG, -cpu power9) with
 *     -object dumpbench-spapr,truth=RUN/truth.bin, the initramfs of
 *     sim/guest/ppc64/mkinitrd.sh (init.sh, dbmode=harness), a raw virtio
 *     disk for the capture, QMP (faults, NMI, hotplug), `-action panic=none`
 *     and `panic=1` so a crash without a dump reboots normally;
 *  2. boot 1: the kernel REGISTERs (fadump=on crashkernel=768M); every
 *     configure-kernel-dump call is logged by QEMU ("dumpbench: rtas ...
 *     cmd=C rc=R") and recorded, the kernel's reaction read from the console;
 *  3. steps: register (the boot registration, later `registered` = 1),
 *     unregister, fault rtas (fault-cmd/-rc/-count object properties: on the
 *     command line when armed before the first register, else qom-set),
 *     crash (sysrq c; kind=oops: a kernel-mode jump to 0 forced through the
 *     gdbstub at sysrq_handle_crash, with panic_on_oops=1), hang +
 *     operator-dump (QMP inject-nmi = system reset), hotplug-cpu (QMP
 *     device_add of a spapr CPU core), hotplug-mem (pc-dimm; reload=yes
 *     re-registers: echo 1 > registered);
 *  4. ibm,os-term: QEMU writes the truth snapshot (all boot RAM, every CPU),
 *     libphyp preserves boot memory and resets; boot 2 copies the whole
 *     /proc/vmcore to the disk (dbcapture, or dd) and releases the memory;
 *  5. oracles (qemu_ppc64_oracle.c): every vmcore page vs the truth RAM,
 *     truth pages absent from the vmcore only inside the reserved dump area,
 *     NT_PRSTATUS vs the truth registers, the printk ring (via VMCOREINFO)
 *     holds the panic text; `makedumpfile --dump-dmesg` shows it too
 *     (DUMPBENCH_PPC64_MAKEDUMPFILE: Debian's ppc64el build under
 *     qemu-ppc64le-static; unset => that oracle SKIPPED, logged).
 *
 * Prerequisites (environment, documented in harness/include/harness/qemu.h):
 * DUMPBENCH_QEMU_PPC64, DUMPBENCH_FADUMP_KERNEL, DUMPBENCH_PPC64_INITRD,
 * optional DUMPBENCH_QEMU_PPC64_DATA.  Missing => SKIPPED with the reason.
 * Optional DUMPBENCH_PPC64_MAKEDUMPFILE (a command of sh words).
 */
#include <harness/qemu.h>

#include <harness/capture_record.h>
#include <harness/replay.h>

#include "qemu_internal.h"

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

#define BOOTMEM "768M"          /* >= 768 MiB: spec phyp.md 6.7(3) */
#define MAX_DIMMS 2
#define T_BOOT_MS 300000
#define T_DUMP_MS 600000        /* os-term -> dump boot (3 GiB truth write) */

struct prun {
    const struct scenario *s;
    FILE *log;
    struct run_result *res;
    const char *dir;
    char sock[64];
    char qemu[512], data[512], kernel[512], initrd[512], sysmap[600];
    const char *launcher;   /* libvirt backend: started in place of qemu (qemu_ppc64_run_with) */
    struct qproc p;
    struct qmp q;
    struct qgdb g;
    bool qmp_open, gdb_open, want_gdb;
    unsigned seq;
    double t0, t_crash;
    uint64_t mem;
    uint64_t resv_start, resv_size;     /* boot 1: "Reserved NMB of memory at A" */
    size_t nregister;                   /* `step register` seen */
    long rtas_pos;                      /* console.log offset of the next QEMU rtas line */
    int boot_fault_cmd, boot_fault_rc, boot_fault_count;
    bool crashed;
    const char *dmesg_text;
    bool dmesg_no_panic;                /* NMI: dmesg_text is the boot's registration */
    char kmsg[160];                     /* kernel reaction to the last REGISTER */
    size_t ndimm;
    struct { uint64_t addr, size; bool reload; } dimm[MAX_DIMMS];
    unsigned cpus_online;
    /* DUMPBENCH_RECORD=script: the steps up to the crash run in the guest
     * init (dbscript= on the first boot's command line, sim/guest/ppc64/
     * init.sh); stok[i] = token number (1-based) of step i, 0 = none */
    bool script;
    int *stok;
    char append[256];                   /* the command line without the script */
    char script_toks[256];              /* dbscript= value */
    size_t ready_pos;                   /* console offset of the first boot's @@READY */
    char err[512];
};

static void say(struct prun *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(struct prun *r, const char *fmt, ...)
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

static int fail(struct prun *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(struct prun *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(r->err, sizeof r->err, fmt, ap);
    va_end(ap);
    say(r, "error: %s", r->err);
    return -1;
}

static void path_in(const struct prun *r, char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", r->dir, name);
}

/* ---- prerequisites -------------------------------------------------------- */

static const char *prereq(struct prun *r, char *buf, size_t len)
{
    const char *q = getenv("DUMPBENCH_QEMU_PPC64"), *k = getenv("DUMPBENCH_FADUMP_KERNEL");
    const char *i = getenv("DUMPBENCH_PPC64_INITRD"), *d = getenv("DUMPBENCH_QEMU_PPC64_DATA");
    if (r->s->machine.arch != SCN_ARCH_PPC64)
        return "not a ppc64 scenario";
    if (strcmp(r->s->dump.method ? r->s->dump.method : "", "fadump") != 0)
        return "the ppc64 qemu backend runs dump method fadump only";
    if (!q || !*q)
        return "DUMPBENCH_QEMU_PPC64 is not set (patched qemu-system-ppc64; ci/real-ppc64 sets it)";
    if (access(q, X_OK) != 0) {
        snprintf(buf, len, "DUMPBENCH_QEMU_PPC64=%s is not executable", q);
        return buf;
    }
    if (!k || !*k || access(k, R_OK) != 0) {
        snprintf(buf, len, "DUMPBENCH_FADUMP_KERNEL=%s: no FA_DUMP vmlinux (ci/build-kernel fadump-ppc64le)",
                 k ? k : "(unset)");
        return buf;
    }
    if (!i || !*i || access(i, R_OK) != 0) {
        snprintf(buf, len, "DUMPBENCH_PPC64_INITRD=%s: no initramfs (sim/guest/ppc64/mkinitrd.sh)",
                 i ? i : "(unset)");
        return buf;
    }
    snprintf(r->qemu, sizeof r->qemu, "%s", q);
    snprintf(r->kernel, sizeof r->kernel, "%s", k);
    snprintf(r->initrd, sizeof r->initrd, "%s", i);
    if (d && *d) {
        snprintf(r->data, sizeof r->data, "%s", d);
    } else {
        /* PREFIX/bin/qemu-system-ppc64 -> PREFIX/share/qemu */
        snprintf(r->data, sizeof r->data, "%s", q);
        char *sl = strrchr(r->data, '/');
        if (sl)
            *sl = '\0';
        sl = strrchr(r->data, '/');
        if (sl)
            snprintf(sl, sizeof r->data - (size_t)(sl - r->data), "/share/qemu");
    }
    char vof[600];
    snprintf(vof, sizeof vof, "%s/vof.bin", r->data);
    if (access(vof, R_OK) != 0) {
        snprintf(buf, len, "no vof.bin in %s (set DUMPBENCH_QEMU_PPC64_DATA)", r->data);
        return buf;
    }
    snprintf(r->sysmap, sizeof r->sysmap, "%s", r->kernel);
    char *sl = strrchr(r->sysmap, '/');
    snprintf(sl ? sl + 1 : r->sysmap, sizeof r->sysmap - (sl ? (size_t)(sl + 1 - r->sysmap) : 0),
             "System.map");
    if (r->s->machine.memory < (3ull << 30))
        return "fadump on QEMU needs memory >= 3G (boot memory 768M is capped at RAM/4)";
    return NULL;
}

/* ---- guest commands ------------------------------------------------------- */

static int guest_cmd(struct prun *r, const char *cmd, int timeout_ms, char *out, size_t outlen)
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
    if (m != 0)
        return fail(r, "guest command '%s' %s; console tail:\n%s", cmd,
                    m == -100 ? "timed out" : m == -1 ? "ended with QEMU's exit" : "hit a kernel panic",
                    qproc_tail(&r->p, 1500));
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

/* Run a shell expression in the guest and return its value printed as
 * "@@VAL=<n>" (the console also echoes the command, without the marker
 * since it is written split).  -1 on failure. */
static long long guest_value(struct prun *r, const char *expr, int timeout_ms)
{
    char cmd[1024], out[4096];
    snprintf(cmd, sizeof cmd, "echo \"@@VA\"\"L=$(%s)\"", expr);
    if (guest_cmd(r, cmd, timeout_ms, out, sizeof out) != 0)
        return -1;
    const char *v = strstr(out, "@@VAL=");
    if (!v || v[6] < '0' || v[6] > '9')
        return -1;
    return strtoll(v + 6, NULL, 10);
}

/* RTAS busy replies: the kernel calls again (rtas_busy_delay) */
static bool rtas_busy(int rc)
{
    return rc == -2 || (rc >= 9900 && rc <= 9905);
}

/* QEMU's "dumpbench: rtas ibm,configure-kernel-dump cmd=C rc=R" lines (in
 * console.log: QEMU's stderr) since the last call; each becomes a run_rc.
 * Returns the number found; *last gets the last rc of command want_cmd.
 * Script mode (stop): the guest runs its steps without waiting for the
 * harness, so console.log may already hold later steps' calls: read only up
 * to the first non-busy reply to want_cmd (each reg/unreg step ends with
 * one; an UNREGISTER inside a re-registration comes before it). */
static int harvest_rtas_once(struct prun *r, int line, int want_cmd, int64_t *last, bool stop)
{
    char path[600];
    path_in(r, path, sizeof path, "console.log");
    FILE *f = fopen(path, "r");
    if (!f)
        return 0;
    if (fseek(f, r->rtas_pos, SEEK_SET) != 0) {
        fclose(f);
        return 0;
    }
    static const char *const ops[] = { "cmd0", "register", "unregister", "invalidate" };
    char buf[1024];
    int n = 0;
    long pos = r->rtas_pos;
    while (fgets(buf, sizeof buf, f)) {
        size_t l = strlen(buf);
        if (l == 0 || buf[l - 1] != '\n')
            break;              /* partial line: read again later */
        pos += (long)l;
        const char *m = strstr(buf, "dumpbench: rtas ibm,configure-kernel-dump cmd=");
        unsigned cmd;
        int rc;
        if (!m || sscanf(m, "dumpbench: rtas ibm,configure-kernel-dump cmd=%u rc=%d", &cmd, &rc) != 2)
            continue;
        run_result_add_rc(r->res, cmd < 4 ? ops[cmd] : "configure-kernel-dump", rc, line);
        say(r, "firmware: configure-kernel-dump %s -> %d", cmd < 4 ? ops[cmd] : "?", rc);
        if ((int)cmd == want_cmd && last)
            *last = rc;
        n++;
        if (stop && (int)cmd == want_cmd && !rtas_busy(rc))
            break;
    }
    r->rtas_pos = pos;
    fclose(f);
    return n;
}

/* Under the libvirt launcher QEMU's stderr reaches console.log through
 * virtlogd and the launcher's copy, possibly after the guest's reaction the
 * caller just saw: wait up to 3 s for a line of the awaited command. */
static int harvest_rtas(struct prun *r, int line, int want_cmd, int64_t *last)
{
    bool stop = r->script && want_cmd > 0;
    int n = harvest_rtas_once(r, line, want_cmd, last, stop);
    for (double end = qnow() + 3; (r->launcher || r->script) && want_cmd > 0 && last &&
                                  (*last == INT64_MIN || (stop && rtas_busy((int)*last))) &&
                                  qnow() < end;) {
        usleep(20000);
        n += harvest_rtas_once(r, line, want_cmd, last, stop);
    }
    return n;
}

/* Kernel reaction to a REGISTER (lx61:arch/powerpc/platforms/pseries/
 * rtas-fadump.c:156-178), searched in console text from `from`. */
static bool kernel_register_msg(const char *from, int64_t *rc, char *msg, size_t len)
{
    static const struct { const char *text; int64_t rc; } k[] = {
        { "rtas fadump: Registration is successful!", 0 },
        { "Failed to register. Hardware Error(", -1 },
        { "Failed to register. Parameter Error(", -3 },
        { "rtas fadump: Already registered!", -9 },
        { "Failed to register. Unknown Error(", 1 },
    };
    const char *best = NULL;
    size_t bi = 0;
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        const char *m = from, *last = NULL;
        while ((m = strstr(m, k[i].text)) != NULL)
            last = m++;
        if (last && (!best || last > best)) {
            best = last;
            bi = i;
        }
    }
    if (!best)
        return false;
    const char *nl = strchr(best, '\n');
    size_t l = nl ? (size_t)(nl - best) : strlen(best);
    while (l && best[l - 1] == '\r')
        l--;
    snprintf(msg, len, "%.*s", (int)l, best);
    *rc = k[bi].rc;
    if (bi == 4)
        *rc = strtoll(best + strlen(k[4].text), NULL, 10);
    return true;
}

/* ---- script mode (DUMPBENCH_RECORD=script) --------------------------------- */

static int oops_arm(struct prun *r);

/* Steps the guest init runs by itself (sim/guest/ppc64/init.sh "script
 * mode"); everything else before the capture needs the host at a wall-clock
 * moment. */
static const int script_kinds[] = {
    SCN_STEP_BOOT, SCN_STEP_REGISTER, SCN_STEP_UNREGISTER, SCN_STEP_FAULT, SCN_STEP_CRASH, SCN_STEP_RUN,
};

struct tokbuf {
    char *out;
    size_t len;
    int *stok;
    int n;
    char *err;
    size_t errlen;
};

static int tok_add(struct tokbuf *t, const struct scn_item *it, size_t i, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static int tok_add(struct tokbuf *t, const struct scn_item *it, size_t i, const char *fmt, ...)
{
    char w[48];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w, sizeof w, fmt, ap);
    va_end(ap);
    size_t l = strlen(t->out);
    /* 200: well inside the kernel's 2048-byte command line with the rest */
    size_t cap = t->len < 201 ? t->len : 201;
    if (l + strlen(w) + 2 > cap) {
        snprintf(t->err, t->errlen, "line %d: DUMPBENCH_RECORD=script: the step list is too long for the "
                 "kernel command line (dbscript= over %zu characters)", it->line, cap - 1);
        return -1;
    }
    snprintf(t->out + l, t->len - l, "%s%s", l ? "," : "", w);
    if (t->stok)
        t->stok[i] = ++t->n;
    else
        ++t->n;
    return 0;
}

int qemu_ppc64_script_tokens(const struct scenario *s, char *out, size_t len, int *stok, char *err,
                             size_t errlen)
{
    struct tokbuf t = { .out = out, .len = len, .stok = stok, .err = err, .errlen = errlen };
    if (len == 0)
        return -1;
    out[0] = '\0';
    if (stok)
        memset(stok, 0, s->nsteps * sizeof *stok);
    if (qemu_record_script_steps(s, script_kinds, sizeof script_kinds / sizeof script_kinds[0], err,
                                 errlen) != 0)
        return -1;
    bool reg = false, crashed = false;
    for (size_t i = 0; i < s->nsteps; i++) {
        const struct scn_item *it = &s->steps[i];
        if (it->kind == SCN_STEP_CAPTURE)
            break;
        if (crashed && it->kind != SCN_STEP_RUN) {
            snprintf(err, errlen, "line %d: step %s after the crash; DUMPBENCH_RECORD=script runs the steps "
                     "up to the crash in the guest", it->line, scn_step_name(it->kind));
            return -1;
        }
        int rc = 0;
        switch (it->kind) {
        case SCN_STEP_REGISTER:
            reg = true;
            rc = tok_add(&t, it, i, "reg");
            break;
        case SCN_STEP_UNREGISTER:
            rc = tok_add(&t, it, i, "unreg");
            break;
        case SCN_STEP_FAULT:
            /* before the first register: a QEMU command-line property;
             * later it would be a qom-set at a wall-clock moment */
            if (reg || !it->word || strcmp(it->word, "rtas") != 0) {
                snprintf(err, errlen, "line %d: step fault %s%s is host-driven (qom-set while the guest "
                         "runs); DUMPBENCH_RECORD=script takes only fault rtas before the first register "
                         "(set on the QEMU command line)", it->line, it->word ? it->word : "?",
                         reg ? " after register" : "");
                return -1;
            }
            break;
        case SCN_STEP_CRASH: {
            const char *kind = scn_get_str(it, "kind", "panic");
            int64_t cpu = scn_get_num(it, "cpu", -1);
            crashed = true;
            if (strcmp(kind, "panic") != 0 && strcmp(kind, "oops") != 0) {
                snprintf(err, errlen, "line %d: crash kind=%s: the ppc64 backend crashes with kind=panic or "
                         "kind=oops", it->line, kind);
                return -1;
            }
            if (cpu >= (int64_t)s->machine.cpus) {
                snprintf(err, errlen, "line %d: crash cpu=%" PRId64 ", but the machine boots %u CPUs "
                         "(DUMPBENCH_RECORD=script runs no hotplug)", it->line, cpu, s->machine.cpus);
                return -1;
            }
            rc = cpu >= 0 ? tok_add(&t, it, i, "crash.%" PRId64, cpu) : tok_add(&t, it, i, "crash");
            break;
        }
        case SCN_STEP_RUN: {
            int64_t ms = scn_get_num(it, "ms", 0);
            if (ms < 0 || ms > 3600000) {
                snprintf(err, errlen, "line %d: run ms=%" PRId64 ": 0..3600000", it->line, ms);
                return -1;
            }
            if (!crashed)
                rc = tok_add(&t, it, i, "sleep.%" PRId64, ms);
            break;
        }
        default:
            break;
        }
        if (rc != 0)
            return -1;
    }
    return t.n;
}

/* The dbscript= token list of the steps up to the crash (r->stok maps each
 * step to its token); -1 with r->err naming the line of a step the guest
 * cannot do by itself. */
static int script_plan(struct prun *r)
{
    const struct scenario *s = r->s;
    if (r->launcher)
        return fail(r, "DUMPBENCH_RECORD=script is not supported through the libvirt launcher (the "
                    "backend starts QEMU stopped and sets the later boots' command line over QMP)");
    r->stok = calloc(s->nsteps ? s->nsteps : 1, sizeof *r->stok);
    if (!r->stok)
        return fail(r, "out of memory");
    char e[512];
    int n = qemu_ppc64_script_tokens(s, r->script_toks, sizeof r->script_toks, r->stok, e, sizeof e);
    if (n < 0)
        return fail(r, "%s", e);
    say(r, "script mode: the guest init runs dbscript=%s (%d steps) with no console input; virtio_blk "
        "not bound in the first boot", r->script_toks[0] ? r->script_toks : "(none)", n);
    return 0;
}

/* QEMU was started with -S: kind=oops arms its breakpoint before the guest
 * runs, then `cont`.  The later boots' command line (r->append: no
 * dbscript=, virtio_blk bound for the capture) is set with qom-set /machine
 * append once the first kernel prints its command line: QEMU 7.2 with x-vof
 * copies machine->kernel_cmdline into /chosen at the guest's
 * client-architecture-support call in prom_init (hw/ppc/spapr_hcall.c
 * spapr_build_fdt -> spapr_dt_chosen), which is over by then, and next at
 * the reset after ibm,os-term.  Nothing the running guest can read changes
 * (the qom-set only replaces QEMU's copy of -append), so its wall-clock
 * moment does not reach the guest; it only has to come before the crash,
 * seconds later (the dump boot's command line is checked in await_dump). */
static int script_start(struct prun *r)
{
    if (r->want_gdb && oops_arm(r) != 0)
        return -1;
    if (qmp_exec(&r->q, "cont", NULL, NULL, 10000, r->err, sizeof r->err) != 0)
        return fail(r, "QMP cont: %s", r->err);
    size_t pos0 = r->p.con_pos;
    const char *ok[] = { "Kernel command line: " };
    int m = qproc_expect(&r->p, ok, 1, NULL, 0, T_BOOT_MS);
    r->p.con_pos = pos0;
    if (m != 0)
        return fail(r, "script mode: the first kernel printed no 'Kernel command line:' (%s); console tail:\n%s",
                    m == -1 ? "QEMU exited" : "timeout", qproc_tail(&r->p, 1500));
    struct json_object *a = json_object_new_object();
    json_object_object_add(a, "path", json_object_new_string("/machine"));
    json_object_object_add(a, "property", json_object_new_string("append"));
    json_object_object_add(a, "value", json_object_new_string(r->append));
    int rc = qmp_exec(&r->q, "qom-set", a, NULL, 10000, r->err, sizeof r->err);
    json_object_put(a);
    if (rc != 0)
        return fail(r, "qom-set /machine append: %s", r->err);
    say(r, "script mode: the first kernel runs; later boots get '%s' (qom-set /machine append)", r->append);
    return 0;
}

/* Like qproc_expect, but a fail[] text counts only when it comes before the
 * first ok[] line: in script mode the console runs ahead of the harness
 * (the crash may already be printed when @@READY is read). */
static int sexpect(struct prun *r, const char *const *ok, size_t nok, const char *const *bad, size_t nbad,
                   int timeout_ms)
{
    struct qproc *p = &r->p;
    double end = qnow() + timeout_ms / 1000.0;
    for (;;) {
        const char *from = p->con + p->con_pos, *okm = NULL, *okl = NULL, *badm = NULL;
        int oki = -1, badi = -1;
        for (size_t i = 0; i < nok; i++) {
            const char *m = strstr(from, ok[i]);
            const char *nl = m ? strchr(m, '\n') : NULL;
            if (nl && (!okm || m < okm)) {
                okm = m;
                okl = nl;
                oki = (int)i;
            }
        }
        for (size_t i = 0; i < nbad; i++) {
            const char *m = strstr(from, bad[i]);
            if (m && (!badm || m < badm)) {
                badm = m;
                badi = (int)i;
            }
        }
        if (badm && (!okm || badm < okm))
            return -2 - badi;
        if (okm) {
            p->con_pos = (size_t)(okl + 1 - p->con);
            return oki;
        }
        if (qproc_poll_exit(p)) {
            qproc_pump(p, 0);
            if (p->con_pos < p->con_len)
                continue;   /* one more look at the last output */
            return -1;
        }
        double left = end - qnow();
        if (left <= 0)
            return -100;
        qproc_pump(p, left > 0.2 ? 200 : (int)(left * 1000) + 1);
    }
}

/* Token k of the script: wait for "@@STEP-k " (its console offset into
 * *from) and, unless begin_only, "@@SDONE-k:RC"; out gets the text between
 * them.  Returns RC (the shell's exit status), or -1 with r->err. */
static int script_step(struct prun *r, const struct scn_item *it, int k, bool begin_only, int timeout_ms,
                       char *out, size_t outlen, size_t *from)
{
    char b[32], d[32];
    snprintf(b, sizeof b, "@@STEP-%d ", k);
    snprintf(d, sizeof d, "@@SDONE-%d:", k);
    const char *okb[] = { b }, *okd[] = { d };
    const char *bad[] = { "Kernel panic - not syncing", "@@DUMP-BOOT", "@@SCRIPT-ERROR" };
    int m = sexpect(r, okb, 1, bad, begin_only ? 0 : 3, timeout_ms);
    if (m != 0)
        return fail(r, "line %d: script step %d (%s): %s; console tail:\n%s", it->line, k,
                    scn_step_name(it->kind), m == -100 ? "not started in time" : m == -1 ? "QEMU exited" :
                    "the guest failed before it", qproc_tail(&r->p, 1500));
    size_t f = r->p.con_pos;
    if (from)
        *from = f;
    if (begin_only)
        return 0;
    m = sexpect(r, okd, 1, bad, 3, timeout_ms);
    if (m != 0)
        return fail(r, "line %d: script step %d (%s): %s; console tail:\n%s", it->line, k,
                    scn_step_name(it->kind), m == -100 ? "not done in time" : m == -1 ? "QEMU exited" :
                    m == -2 ? "kernel panic" : m == -3 ? "unexpected dump boot" : "init script error",
                    qproc_tail(&r->p, 1500));
    const char *dm = strstr(r->p.con + f, d);
    if (out && outlen) {
        size_t l = (size_t)(dm - (r->p.con + f));
        if (l >= outlen)
            l = outlen - 1;
        memcpy(out, r->p.con + f, l);
        out[l] = '\0';
    }
    return atoi(dm + strlen(d));
}

/* ---- QEMU start and boot -------------------------------------------------- */

static int start_qemu(struct prun *r)
{
    const struct scenario *s = r->s;
    char mem[96], smp[64], disk[600], drive[700], con[128], qmp[128], gdb[128];
    char obj[1200], append[600], truth[600];
    uint64_t dimms = 0;
    for (size_t i = 0; i < s->nsteps; i++)
        if (s->steps[i].kind == SCN_STEP_HOTPLUG_MEM)
            dimms += (uint64_t)scn_get_num(&s->steps[i], "size", 0);
    r->mem = s->machine.memory;
    if (dimms)
        snprintf(mem, sizeof mem, "%" PRIu64 "M,slots=%d,maxmem=%" PRIu64 "M", r->mem >> 20,
                 MAX_DIMMS, (r->mem + dimms) >> 20);
    else
        snprintf(mem, sizeof mem, "%" PRIu64 "M", r->mem >> 20);
    /* maxcpus > cpus only for hotplug: the 6.1 kernel accepts the larger
     * -sizes (spec phyp.md 4.3 Q6) */
    unsigned maxc = s->machine.max_cpus > s->machine.cpus ? s->machine.max_cpus : s->machine.cpus;
    if (maxc > s->machine.cpus)
        snprintf(smp, sizeof smp, "%u,maxcpus=%u", s->machine.cpus, maxc);
    else
        snprintf(smp, sizeof smp, "%u", s->machine.cpus);
    path_in(r, disk, sizeof disk, "capture-disk.raw");
    int fd = open(disk, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0 || ftruncate(fd, (off_t)(r->mem + dimms + (64ull << 20))) != 0) {
        if (fd >= 0)
            close(fd);
        return fail(r, "cannot create %s: %s", disk, strerror(errno));
    }
    close(fd);
    path_in(r, truth, sizeof truth, "truth.bin");
    const char *prof = s->machine.profile ? s->machine.profile : "phyp-default";
    int n = snprintf(obj, sizeof obj, "dumpbench-spapr,id=db1,profile=%s,truth=%s", prof, truth);
    if (r->boot_fault_count)
        snprintf(obj + n, sizeof obj - (size_t)n, ",fault-cmd=%d,fault-rc=%d,fault-count=%d",
                 r->boot_fault_cmd, r->boot_fault_rc, r->boot_fault_count);
    snprintf(r->append, sizeof r->append,
             "console=hvc0 fadump=on crashkernel=%s dbmode=harness panic=1 loglevel=7", BOOTMEM);
    /* script mode: the first boot runs the steps (dbscript=) and does not
     * bind virtio_blk, whose probe reads complete at host-timed moments
     * (QEMU's thread pool) and would shift everything after them.  The
     * later boots (the dump boot captures to that disk) get r->append:
     * qom-set /machine append once the first kernel has read its own
     * (script_start) */
    if (r->script)
        snprintf(append, sizeof append, "%s dbscript=%s initcall_blacklist=virtio_blk_init", r->append,
                 r->script_toks);
    else
        snprintf(append, sizeof append, "%s", r->append);
    snprintf(drive, sizeof drive, "file=%s,format=raw,if=none,id=capture,cache=unsafe", disk);
    snprintf(con, sizeof con, "pipe,id=con,path=%s/con", r->sock);
    snprintf(qmp, sizeof qmp, "unix:%s/qmp,server=on,wait=off", r->sock);
    snprintf(gdb, sizeof gdb, "unix:%s/gdb,server=on,wait=off", r->sock);
    char *argv[48];
    size_t a = 0;
    char *fixed[] = {
        r->launcher ? (char *)r->launcher : r->qemu, "-L", r->data, "-nodefaults", "-no-user-config",
        "-M", "pseries,x-vof=on", "-accel", "tcg", "-cpu", "power9",
        "-m", mem, "-smp", smp, "-display", "none", "-action", "panic=none",
        "-chardev", con, "-device", "spapr-vty,chardev=con", "-qmp", qmp,
        "-object", obj, "-kernel", r->kernel, "-initrd", r->initrd, "-append", append,
        "-drive", drive, "-device", "virtio-blk-pci,drive=capture",
    };
    for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
        argv[a++] = fixed[i];
    if (r->want_gdb) {
        argv[a++] = "-gdb";
        argv[a++] = gdb;
    }
    if (r->script)
        argv[a++] = "-S";
    argv[a] = NULL;
    struct qemu_record rec;   /* DUMPBENCH_RECORD: -icount, record/replay (qemu_record.c) */
    char rerr[600];
    char **av = qemu_record_argv(&rec, argv, "ppc64", r->dir, rerr, sizeof rerr);
    if (!av)
        return fail(r, "%s", rerr);
    char cmdline[3000] = "";
    for (char **p = av; *p; p++) {
        strncat(cmdline, *p, sizeof cmdline - strlen(cmdline) - 2);
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
    if (qmp_connect(&r->q, qpath, 30000, r->err, sizeof r->err) != 0)
        return fail(r, "QMP: %s; console tail:\n%s", r->err, qproc_tail(&r->p, 800));
    r->qmp_open = true;
    return r->script ? script_start(r) : 0;
}

static int boot(struct prun *r)
{
    double t = r->t0;
    /* "register" phase: QEMU start to the kernel's registration result
     * (setup_fadump, subsys_initcall); "boot": QEMU start to init ready */
    const char *reg[] = { "rtas fadump: Registration is successful", "Failed to register",
                          "rtas fadump: Already registered", "@@READY" };
    const char *bad[] = { "Kernel panic - not syncing", "@@DUMP-BOOT" };
    size_t pos0 = r->p.con_pos;
    if (sexpect(r, reg, 4, bad, 2, T_BOOT_MS) >= 0)
        run_result_add_phase(r->res, "register", qnow() - t);
    r->p.con_pos = pos0;
    const char *ok[] = { "@@READY" };
    int m = sexpect(r, ok, 1, bad, 2, T_BOOT_MS);
    if (m != 0)
        return fail(r, "boot: %s; console tail:\n%s",
                    m == -100 ? "no @@READY in time" : m == -1 ? "QEMU exited" :
                    m == -2 ? "kernel panic" : "unexpected dump boot", qproc_tail(&r->p, 1500));
    run_result_add_phase(r->res, "boot", qnow() - t);
    const char *rd = strstr(r->p.con, "@@READY");
    r->ready_pos = rd ? (size_t)(rd - r->p.con) : r->p.con_len;
    const char *rs = strstr(r->p.con, "fadump: Reserved ");
    unsigned long long mb = 0, at = 0;
    if (rs && sscanf(rs, "fadump: Reserved %lluMB of memory at %llx", &mb, &at) == 2) {
        r->resv_start = at;
        r->resv_size = mb << 20;
    }
    const char *c = strstr(r->p.con, "@@READY cpus=");
    r->cpus_online = c ? (unsigned)atoi(c + 13) : 0;
    say(r, "booted in %.1f s: %u CPUs, fadump reserved %lluMB at 0x%llx", qnow() - t,
        r->cpus_online, mb, at);
    /* the exact size of the reservation ("Reserved NMB" is rounded down);
     * script mode: the guest init sets panic_on_oops and prints it */
    long long rbv = -1;
    if (r->script) {
        const char *okm[] = { "@@MEMRESV=" };
        if (sexpect(r, okm, 1, bad, 2, 60000) != 0)
            return fail(r, "boot: the script-mode init printed no @@MEMRESV; console tail:\n%s",
                        qproc_tail(&r->p, 1500));
        const char *v = strstr(r->p.con + r->ready_pos, "@@MEMRESV=");
        rbv = v && v[10] >= '0' && v[10] <= '9' ? strtoll(v + 10, NULL, 10) : -1;
    } else {
        if (guest_cmd(r, "echo 1 > /proc/sys/kernel/panic_on_oops", 10000, NULL, 0) != 0)
            return r->err[0] ? -1 : fail(r, "cannot set panic_on_oops");
        rbv = guest_value(r, "cat /sys/kernel/fadump/mem_reserved", 10000);
    }
    unsigned long long rb = rbv > 0 ? (unsigned long long)rbv : 0;
    if (rb >= r->resv_size && rb < r->resv_size + (64ull << 20)) {
        r->resv_size = rb;
        say(r, "fadump mem_reserved: %llu bytes: reserved area [0x%" PRIx64 ", 0x%" PRIx64 ")", rb,
            r->resv_start, r->resv_start + r->resv_size);
    } else {
        say(r, "fadump mem_reserved unreadable (%lld); using the rounded size", rbv);
    }
    return 0;
}

/* ---- steps ---------------------------------------------------------------- */

static int op_cmd(const char *op)
{
    return strcmp(op, "register") == 0 ? 1 : strcmp(op, "unregister") == 0 ? 2 :
           strcmp(op, "invalidate") == 0 ? 3 : -1;
}

static int step_register(struct prun *r, const struct scn_item *it)
{
    double t = qnow();
    int64_t krc = 0, qrc = INT64_MIN;
    char msg[160];
    int k = r->script ? r->stok[it - r->s->steps] : 0;
    if (r->nregister++ == 0) {
        /* the boot-time registration (setup_fadump, subsys_initcall); in
         * script mode only the text before @@READY (later steps' messages
         * may already be on the console) */
        if (k && script_step(r, it, k, false, 60000, NULL, 0, NULL) < 0)
            return -1;
        harvest_rtas(r, it->line, 1, &qrc);
        char save = 0;
        if (r->script) {
            save = r->p.con[r->ready_pos];
            r->p.con[r->ready_pos] = '\0';
        }
        bool found = kernel_register_msg(r->p.con, &krc, msg, sizeof msg);
        if (r->script)
            r->p.con[r->ready_pos] = save;
        if (!found)
            return fail(r, "line %d: boot 1 printed no fadump registration result", it->line);
    } else if (k) {
        char out[4096];
        int rc = script_step(r, it, k, false, 60000, out, sizeof out, NULL);
        if (rc < 0)
            return -1;
        harvest_rtas(r, it->line, 1, &qrc);
        if (!kernel_register_msg(out, &krc, msg, sizeof msg))
            return fail(r, "line %d: no fadump registration message after 'registered=1' (exit %d): %.200s",
                        it->line, rc, out);
    } else {
        size_t from = r->p.con_len;
        char out[512];
        int rc = guest_cmd(r, "echo 1 > /sys/kernel/fadump/registered; cat /sys/kernel/fadump/registered",
                           60000, out, sizeof out);
        if (rc < 0)
            return -1;
        harvest_rtas(r, it->line, 1, &qrc);
        if (!kernel_register_msg(r->p.con + from, &krc, msg, sizeof msg))
            return fail(r, "line %d: no fadump registration message after 'registered=1' (exit %d): %.200s",
                        it->line, rc, out);
    }
    snprintf(r->kmsg, sizeof r->kmsg, "%s", msg);
    if (qrc == INT64_MIN) {
        /* QEMU without the rtas log line (cached build older than the
         * patch): the kernel's message is the only witness */
        run_result_add_rc(r->res, "register", krc, it->line);
        say(r, "register: kernel says '%s' (rc %" PRId64 ", from the console)", msg, krc);
    } else if (qrc != krc && !(krc == 1 && qrc < -9)) {
        return fail(r, "line %d: firmware returned %" PRId64 " but the kernel reacted with '%s'",
                    it->line, qrc, msg);
    } else {
        say(r, "register: firmware rc %" PRId64 ", kernel reaction '%s'", qrc, msg);
    }
    if (r->nregister > 1)
        run_result_add_phase(r->res, "re-register", qnow() - t);
    return 0;
}

static int step_unregister(struct prun *r, const struct scn_item *it)
{
    int k = r->script ? r->stok[it - r->s->steps] : 0;
    char out[4096];
    int rc = k ? script_step(r, it, k, false, 30000, out, sizeof out, NULL)
               : guest_cmd(r, "echo 0 > /sys/kernel/fadump/registered", 30000, NULL, 0);
    if (rc < 0)
        return -1;
    int64_t qrc = INT64_MIN;
    harvest_rtas(r, it->line, 2, &qrc);
    long long now = -1;
    if (k) {
        const char *v = strstr(out, "@@REGISTERED=");
        now = v && v[13] >= '0' && v[13] <= '9' ? strtoll(v + 13, NULL, 10) : -1;
    } else {
        now = guest_value(r, "cat /sys/kernel/fadump/registered", 10000);
    }
    if (qrc == INT64_MIN)   /* QEMU without the rtas log line: the kernel's view */
        run_result_add_rc(r->res, "unregister", rc == 0 && now == 0 ? 0 : -1, it->line);
    say(r, "unregister: exit %d, /sys/kernel/fadump/registered now %lld", rc, now);
    return 0;
}

static int step_fault(struct prun *r, const struct scn_item *it, bool before_register)
{
    if (!it->word || strcmp(it->word, "rtas") != 0)
        return fail(r, "line %d: fault %s is not supported by the ppc64 qemu backend", it->line,
                    it->word ? it->word : "?");
    int cmd = op_cmd(scn_get_str(it, "op", ""));
    int64_t rc = scn_get_num(it, "rc", 0), count = scn_get_num(it, "count", 1);
    if (cmd < 0 || count < 1 || count > 1000 || rc < INT32_MIN || rc > INT32_MAX)
        return fail(r, "line %d: fault rtas: op must be register|unregister|invalidate, count 1..1000",
                    it->line);
    if (before_register) {
        say(r, "fault rtas cmd=%d rc=%" PRId64 " count=%" PRId64 " armed on the command line "
            "(before the boot registration)", cmd, rc, count);
        return 0;
    }
    const struct { const char *prop; int64_t v; } set[] = {
        { "fault-cmd", cmd }, { "fault-rc", rc }, { "fault-count", count },
    };
    for (size_t i = 0; i < 3; i++) {
        struct json_object *a = json_object_new_object();
        json_object_object_add(a, "path", json_object_new_string("/objects/db1"));
        json_object_object_add(a, "property", json_object_new_string(set[i].prop));
        json_object_object_add(a, "value", json_object_new_int64(set[i].v));
        int e = qmp_exec(&r->q, "qom-set", a, NULL, 10000, r->err, sizeof r->err);
        json_object_put(a);
        if (e != 0)
            return fail(r, "line %d: qom-set %s: %s", it->line, set[i].prop, r->err);
    }
    say(r, "fault rtas cmd=%d rc=%" PRId64 " count=%" PRId64 " armed (qom-set)", cmd, rc, count);
    return 0;
}

static uint64_t sysmap_addr(const char *path, const char *sym)
{
    FILE *f = fopen(path, "r");
    char line[256], name[200], type;
    unsigned long long a;
    uint64_t found = 0;
    while (f && fgets(line, sizeof line, f))
        if (sscanf(line, "%llx %c %199s", &a, &type, name) == 3 && strcmp(name, sym) == 0) {
            found = a;
            break;
        }
    if (f)
        fclose(f);
    return found;
}

/* kind=oops: stop at sysrq_handle_crash through the gdbstub and continue at
 * NIP 0: the kernel takes an instruction storage interrupt in kernel mode
 * ("Kernel attempted to execute user page (0)"), die() -> oops_end() ->
 * crash_fadump() (panic_on_oops=1), i.e. the real oops path. */
static int oops_arm(struct prun *r)
{
    uint64_t a = sysmap_addr(r->sysmap, "sysrq_handle_crash");
    if (!a)
        return fail(r, "sysrq_handle_crash not in %s", r->sysmap);
    char path[128], reply[512], pkt[64];
    snprintf(path, sizeof path, "%s/gdb", r->sock);
    if (qgdb_connect(&r->g, path, 10000, r->err, sizeof r->err) != 0)
        return -1;
    r->gdb_open = true;
    if (qgdb_cmd(&r->g, "?", reply, sizeof reply, 10000) != 0)
        return fail(r, "gdbstub: no answer to '?'");
    /* QEMU 7.2 answers 'P' (write one register) only after the client read
     * the target description (gdbstub.c: gdb_has_xml) */
    if (qgdb_cmd(&r->g, "qXfer:features:read:target.xml:0,200", reply, sizeof reply, 10000) != 0)
        return fail(r, "gdbstub: no target description");
    snprintf(pkt, sizeof pkt, "Z1,%" PRIx64 ",4", a);
    if (qgdb_cmd(&r->g, pkt, reply, sizeof reply, 10000) != 0 || strcmp(reply, "OK") != 0)
        return fail(r, "gdbstub: %s -> '%s'", pkt, reply);
    if (qgdb_cmd(&r->g, "c", NULL, 0, 10000) != 0)
        return fail(r, "gdbstub: continue failed");
    return 0;
}

/* The breakpoint armed by oops_arm is hit (sysrq c): continue at NIP 0. */
static int oops_fire(struct prun *r)
{
    uint64_t a = sysmap_addr(r->sysmap, "sysrq_handle_crash");
    char reply[512], pkt[64];
    if (qgdb_wait_stop(&r->g, reply, sizeof reply, 60000) != 0)
        return fail(r, "gdbstub: sysrq_handle_crash (0x%" PRIx64 ") not reached in 60 s", a);
    say(r, "stopped at sysrq_handle_crash: %s", reply);
    /* register 64 = pc (QEMU target/ppc/gdbstub.c); 0 reads the same in
     * either byte order */
    if (qgdb_cmd(&r->g, "P40=0000000000000000", reply, sizeof reply, 10000) != 0 ||
        strcmp(reply, "OK") != 0)
        return fail(r, "gdbstub: setting pc failed ('%s')", reply);
    snprintf(pkt, sizeof pkt, "z1,%" PRIx64 ",4", a);
    qgdb_cmd(&r->g, pkt, reply, sizeof reply, 10000);
    if (qgdb_cmd(&r->g, "D", reply, sizeof reply, 10000) != 0)
        return fail(r, "gdbstub: detach failed");
    qgdb_close(&r->g);
    r->gdb_open = false;
    return 0;
}

static int step_crash(struct prun *r, const struct scn_item *it)
{
    const char *kind = scn_get_str(it, "kind", "panic");
    bool oops = strcmp(kind, "oops") == 0;
    r->crashed = true;
    r->dmesg_text = oops ? "BUG: Unable to handle kernel instruction fetch"
                         : "Kernel panic - not syncing: sysrq triggered crash";
    if (r->script) {
        /* the guest init crashes by itself (token crash / crash.N): only
         * watch.  kind=oops: the breakpoint was armed before the guest ran;
         * its stop is at a guest-determined instruction, but until QEMU's
         * main loop turns it into vm_stop the other vCPUs go on for a
         * host-timed while (QEMU 7.2 cpu_handle_guest_debug stops only the
         * current one): replays with 1 vCPU only (measured) */
        int k = r->stok[it - r->s->steps];
        if (script_step(r, it, k, true, T_BOOT_MS, NULL, 0, NULL) < 0)
            return -1;
        r->t_crash = qnow();
        say(r, "crash%s: the guest init ran script step %d", oops ? " (oops via the armed breakpoint)" : "", k);
        return oops ? oops_fire(r) : 0;
    }
    qproc_pump(&r->p, 0);
    r->p.con_pos = r->p.con_len;
    r->t_crash = qnow();
    if (oops) {
        say(r, "crash (oops): jump to 0 in kernel mode at sysrq_handle_crash");
        if (oops_arm(r) != 0)
            return -1;
        if (qproc_send(&r->p, "echo c > /proc/sysrq-trigger\n") != 0)
            return fail(r, "cannot write to the guest console");
        return oops_fire(r);
    }
    char cmd[160];
    int64_t cpu = scn_get_num(it, "cpu", -1);
    if (cpu >= 0)
        snprintf(cmd, sizeof cmd, "taskset -c %" PRId64 " sh -c 'echo c > /proc/sysrq-trigger'\n", cpu);
    else
        snprintf(cmd, sizeof cmd, "echo c > /proc/sysrq-trigger\n");
    say(r, "crash: %s", cmd);
    return qproc_send(&r->p, cmd);
}

static int step_hang(struct prun *r)
{
    if (qproc_send(&r->p, "exec sh -c 'while :; do :; done'\n") != 0)
        return fail(r, "cannot write to the guest console");
    qproc_pump(&r->p, 0);
    r->p.con_pos = r->p.con_len;
    qproc_send(&r->p, "echo \"@@ALI\"\"VE\"\n");
    const char *ok[] = { "@@ALIVE" };
    if (qproc_expect(&r->p, ok, 1, NULL, 0, 3000) == 0)
        return fail(r, "hang: the guest still answers");
    say(r, "guest hung (no answer within 3 s)");
    return 0;
}

static int step_operator_dump(struct prun *r)
{
    r->crashed = true;
    /* the 6.1 system reset handler calls crash_fadump() before die() prints
     * anything (lx61:arch/powerpc/kernel/traps.c:475-481): the ring can only
     * show the boot; the registration message proves it was read */
    r->dmesg_text = "rtas fadump: Registration is successful!";
    r->dmesg_no_panic = true;
    r->t_crash = qnow();
    qproc_pump(&r->p, 0);
    r->p.con_pos = r->p.con_len;
    say(r, "QMP inject-nmi (pseries: system reset on every vCPU)");
    return qmp_exec(&r->q, "inject-nmi", NULL, NULL, 10000, r->err, sizeof r->err);
}

static int count_online(struct prun *r)
{
    return (int)guest_value(r, "grep -c ^processor /proc/cpuinfo", 10000);
}

static int step_hotplug_cpu(struct prun *r, const struct scn_item *it)
{
    int64_t count = scn_get_num(it, "count", 1);
    int before = count_online(r);
    if (before < 0)
        return -1;
    for (int64_t k = 0; k < count; k++) {
        struct json_object *ret = NULL;
        if (qmp_exec(&r->q, "query-hotpluggable-cpus", NULL, &ret, 10000, r->err, sizeof r->err) != 0)
            return -1;
        struct json_object *slot = NULL;
        for (size_t i = 0; i < json_object_array_length(ret); i++) {
            struct json_object *c = json_object_array_get_idx(ret, i);
            if (!json_object_object_get_ex(c, "qom-path", NULL)) {
                slot = c;       /* pick the lowest free core-id (list is descending) */
            }
        }
        if (!slot) {
            json_object_put(ret);
            return fail(r, "line %d: no free CPU core slot (max-cpus %u)", it->line, r->s->machine.max_cpus);
        }
        struct json_object *type = NULL, *props = NULL;
        json_object_object_get_ex(slot, "type", &type);
        json_object_object_get_ex(slot, "props", &props);
        struct json_object *args = json_object_new_object();
        char id[32];
        snprintf(id, sizeof id, "hpcore%" PRId64, k);
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
    for (int tries = 0; tries < 60 && now < want; tries++) {
        guest_cmd(r, "for c in /sys/devices/system/cpu/cpu[0-9]*; do "
                     "[ -f $c/online ] && [ \"$(cat $c/online)\" = 0 ] && echo 1 > $c/online; done; sleep 0.5",
                  20000, NULL, 0);
        now = count_online(r);
        if (now < 0)
            return -1;
    }
    if (now != want)
        return fail(r, "line %d: %d CPUs online after the core hotplug, expected %d", it->line, now, want);
    r->cpus_online = (unsigned)now;
    say(r, "hot-plugged %" PRId64 " core(s): %d CPUs online", count, now);
    return 0;
}

static int step_hotplug_mem(struct prun *r, const struct scn_item *it)
{
    uint64_t size = (uint64_t)scn_get_num(it, "size", 0);
    bool reload = strcmp(scn_get_str(it, "reload", "yes"), "yes") == 0;
    if (r->ndimm == MAX_DIMMS || size == 0 || size % (256u << 20))
        return fail(r, "line %d: hotplug-mem: size must be a multiple of 256M (pseries LMB), at most %d DIMMs",
                    it->line, MAX_DIMMS);
    char mid[16], did[16];
    snprintf(mid, sizeof mid, "hpmem%u", (unsigned)r->ndimm);
    snprintf(did, sizeof did, "hpdimm%u", (unsigned)r->ndimm);
    struct json_object *a = json_object_new_object();
    json_object_object_add(a, "qom-type", json_object_new_string("memory-backend-ram"));
    json_object_object_add(a, "id", json_object_new_string(mid));
    json_object_object_add(a, "size", json_object_new_int64((int64_t)size));
    int rc = qmp_exec(&r->q, "object-add", a, NULL, 10000, r->err, sizeof r->err);
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
    struct json_object *ret = NULL;
    if (qmp_exec(&r->q, "query-memory-devices", NULL, &ret, 10000, r->err, sizeof r->err) != 0)
        return -1;
    uint64_t addr = 0;
    for (size_t i = 0; i < json_object_array_length(ret); i++) {
        struct json_object *d = json_object_array_get_idx(ret, i), *data, *id, *ad;
        if (json_object_object_get_ex(d, "data", &data) && json_object_object_get_ex(data, "id", &id) &&
            strcmp(json_object_get_string(id), did) == 0 && json_object_object_get_ex(data, "addr", &ad))
            addr = (uint64_t)json_object_get_int64(ad);
    }
    json_object_put(ret);
    if (!addr)
        return fail(r, "line %d: QEMU did not report the address of %s", it->line, did);
    /* pseries: the kernel adds the LMBs itself (DLPAR hotplug event); online
     * any block left offline, until MemTotal has grown by the DIMM */
    char cmd[700], out[512];
    snprintf(cmd, sizeof cmd,
             "b=$(sed -n 's/^MemTotal: *\\([0-9]*\\).*/\\1/p' /proc/meminfo); i=0; while [ $i -lt 120 ]; do "
             "for m in /sys/devices/system/memory/memory*; do read s < $m/state; "
             "[ \"$s\" = offline ] && echo online > $m/state; done; "
             "t=$(sed -n 's/^MemTotal: *\\([0-9]*\\).*/\\1/p' /proc/meminfo); "
             "[ $((t - b)) -ge %" PRIu64 " ] && break; sleep 0.5; i=$((i+1)); done; echo $((t - b))",
             size / 1024 * 9 / 10);
    long long gv = guest_value(r, cmd, 180000);
    if (gv < 0)
        return r->err[0] ? -1 : fail(r, "line %d: onlining the DIMM failed", it->line);
    unsigned long long grew = (unsigned long long)gv;
    if (grew < size / 1024 * 9 / 10)
        return fail(r, "line %d: MemTotal grew by %llu KiB only after hot-adding %s (%" PRIu64 " KiB)",
                    it->line, grew, did, size / 1024);
    r->dimm[r->ndimm].addr = addr;
    r->dimm[r->ndimm].size = size;
    r->dimm[r->ndimm].reload = reload;
    r->ndimm++;
    say(r, "hot-plugged %s at 0x%" PRIx64 " size 0x%" PRIx64 ": MemTotal +%llu KiB", did, addr, size, grew);
    if (!reload)
        return 0;
    /* the 6.1 elfcorehdr is built at registration: re-register as the
     * distribution's udev rule does (UNREGISTER + REGISTER) */
    size_t from = r->p.con_len;
    rc = guest_cmd(r, "echo 1 > /sys/kernel/fadump/registered", 60000, out, sizeof out);
    if (rc < 0)
        return -1;
    int64_t krc = 0, qrc = INT64_MIN;
    harvest_rtas(r, it->line, 1, &qrc);
    char msg[160];
    if (!kernel_register_msg(r->p.con + from, &krc, msg, sizeof msg) || krc != 0)
        return fail(r, "line %d: re-registration after the hotplug failed: %s", it->line,
                    msg[0] ? msg : "no message");
    say(r, "re-registered after the hotplug: %s", msg);
    return 0;
}

/* ---- the dump boot ---------------------------------------------------------- */

/* After the crash: dump boot + capture, or a normal reboot (no dump). */
static int await_dump(struct prun *r, bool *dumped)
{
    double t = qnow();
    const char *ok[] = { "Firmware-assisted dump is active", "@@READY" };
    int m = qproc_expect(&r->p, ok, 2, NULL, 0, T_DUMP_MS);
    harvest_rtas(r, 0, 0, NULL);
    if (m == 1) {
        *dumped = false;
        say(r, "no dump: the machine rebooted normally in %.1f s", qnow() - t);
        run_result_add_phase(r->res, "crash-to-reboot", qnow() - t);
        return 0;
    }
    if (m != 0)
        return fail(r, "after the crash: %s; console tail:\n%s",
                    m == -100 ? "neither a dump boot nor a reboot in time" : "QEMU exited",
                    qproc_tail(&r->p, 2000));
    *dumped = true;
    const char *ok2[] = { "@@DUMP-BOOT" };
    const char *bad2[] = { "Kernel panic - not syncing" };
    m = qproc_expect(&r->p, ok2, 1, bad2, 1, T_BOOT_MS);
    if (m != 0)
        return fail(r, "dump boot: %s; console tail:\n%s",
                    m == -100 ? "init not reached" : m == -1 ? "QEMU exited" : "dump kernel panicked",
                    qproc_tail(&r->p, 2000));
    if (r->script) {
        /* the qom-set of script_start must have come before the crash */
        const char *kc = NULL;
        for (const char *m2 = r->p.con; (m2 = strstr(m2, "Kernel command line: ")) != NULL; m2++)
            kc = m2;
        const char *nl = kc ? strchr(kc, '\n') : NULL;
        if (!kc || !nl || memmem(kc, (size_t)(nl - kc), "dbscript=", 9))
            return fail(r, "script mode: the dump boot did not get the command line without dbscript= (the "
                        "qom-set /machine append came after the crash?)");
    }
    say(r, "crash to dump boot (init) in %.1f s", qnow() - r->t_crash);
    run_result_add_phase(r->res, "crash-to-second-boot", qnow() - r->t_crash);
    double tc = qnow();
    int budget = 120000 + (int)(r->mem >> 20) * 250;     /* >= 4 MB/s */
    const char *ok3[] = { "@@CAPTURE-DONE" };
    const char *bad3[] = { "Kernel panic - not syncing" };
    m = qproc_expect(&r->p, ok3, 1, bad3, 1, budget);
    if (m != 0)
        return fail(r, "capture: %s; console tail:\n%s",
                    m == -100 ? "no @@CAPTURE-DONE in time" : m == -1 ? "QEMU exited" : "panic",
                    qproc_tail(&r->p, 2000));
    say(r, "capture done in %.1f s", qnow() - tc);
    run_result_add_phase(r->res, "capture", qnow() - tc);
    return 0;
}

/* vmcore size and status from the console (dd path or dbcapture). */
static int capture_result(struct prun *r, uint64_t *size)
{
    const char *c = r->p.con;
    const char *d = strstr(c, "@@VMCORE-COPIED bytes=");
    const char *k = strstr(c, "DBCAPTURE: RESULT ");
    const char *b = strstr(c, "@@DUMP-BOOT vmcore=");
    unsigned long long vs = b ? strtoull(b + 19, NULL, 10) : 0;
    if (k) {
        char line[300];
        const char *nl = strchr(k, '\n');
        snprintf(line, sizeof line, "%.*s", nl ? (int)(nl - k) : 200, k);
        say(r, "capture tool: %s", line);
        unsigned long long n = 0;
        if (sscanf(k, "DBCAPTURE: RESULT complete bytes=%llu", &n) != 1) {
            r->res->outcome = RUN_INCOMPLETE;
            snprintf(r->res->reason, sizeof r->res->reason, "%.250s", line);
            return 1;
        }
        *size = n;
        /* the tool's result record in the last 4 KiB of the disk, and its
         * hash of the data against the bytes QEMU wrote to the image file */
        char disk[600], e[512];
        path_in(r, disk, sizeof disk, "capture-disk.raw");
        struct capture_record rec;
        double th = qnow();
        if (capture_record_read(disk, &rec, e, sizeof e) != 0)
            return fail(r, "capture record: %s", e);
        if (rec.status != CAPTURE_COMPLETE || rec.data_size != n || (vs && rec.src_expected != vs) ||
            !(rec.flags & 1))
            return fail(r, "capture record: status %u, %" PRIu64 " bytes (console %llu, /proc/vmcore %llu), "
                        "flags 0x%x: %.200s", rec.status, rec.data_size, n, vs, rec.flags, rec.reason);
        if (capture_record_check_data(disk, &rec, e, sizeof e) != 0)
            return fail(r, "capture record: %s", e);
        say(r, "capture record: complete, %" PRIu64 " bytes, XXH64 %016" PRIx64 " equals the disk image "
            "(%.1f s), flags 0x%x (%s)", rec.data_size, rec.data_hash, qnow() - th, rec.flags,
            rec.flags & 4 ? "memory released" : "NOT released");
    } else if (d) {
        unsigned long long n = 0;
        int rc = -1;
        if (sscanf(d, "@@VMCORE-COPIED bytes=%llu rc=%d", &n, &rc) != 2 || rc != 0)
            return fail(r, "dd of /proc/vmcore failed in the dump kernel (rc %d)", rc);
        *size = n;
        say(r, "dd copied /proc/vmcore (%llu bytes) to the disk", n);
    } else {
        return fail(r, "the dump kernel reported no capture result");
    }
    if (vs && *size != vs)
        return fail(r, "capture copied %" PRIu64 " bytes, /proc/vmcore has %llu", *size, vs);
    const char *rel = strstr(c, "@@RELEASED rc=");
    say(r, "release_mem: %s; /proc/vmcore %s", rel ? (rel[14] == '0' ? "ok" : "FAILED") : "by dbcapture",
        strstr(c, "@@VMCORE gone") ? "gone after release" : "still present");
    return 0;
}

/* `makedumpfile --dump-dmesg VMCORE RUN/dmesg.txt` with
 * DUMPBENCH_PPC64_MAKEDUMPFILE (Debian's ppc64el build under
 * qemu-ppc64le-static, prepared by ci/real-ppc64; the host's amd64 build
 * reads x86_64 vmcores only).  The slim FA_DUMP kernel has no debug info:
 * makedumpfile works from the VMCOREINFO note alone.  Returns the
 * PPC64_MDF_* verdict; why names what is missing. */
static int check_makedumpfile(struct prun *r, const char *vm, char *why, size_t wl)
{
    const char *tool = getenv("DUMPBENCH_PPC64_MAKEDUMPFILE");
    char out[600];
    unsigned n = 0;
    path_in(r, out, sizeof out, "dmesg.txt");
    /* 0.2 s on a quiet host under qemu-user; generous for a loaded one */
    int v = ppc64_makedumpfile_dmesg(tool, vm, out, r->dmesg_text, 180, &n, why, wl);
    if (v == PPC64_MDF_SKIPPED) {
        say(r, "makedumpfile --dump-dmesg: SKIPPED (%s); the printk ring check stands alone", why);
        return v;
    }
    if (v != PPC64_MDF_OK) {
        say(r, "makedumpfile --dump-dmesg: FAILED: %s", why);
        return v;
    }
    /* NMI: the ring holds no panic text (step_operator_dump) */
    say(r, "makedumpfile --dump-dmesg: ok (%u lines, %s found: '%s'; %s)", n,
        r->dmesg_no_panic ? "expected text" : "panic",
        r->dmesg_text ? r->dmesg_text : "(no text expected)", tool);
    return v;
}

static void oracles(struct prun *r, const char *vm)
{
    struct run_result *res = r->res;
    char truth[600], dimmp[MAX_DIMMS][600];
    path_in(r, truth, sizeof truth, "truth.bin");
    struct ppc64_range ex[4];
    size_t nex = 0;
    if (r->resv_size) {
        ex[nex].start = r->resv_start;
        ex[nex].end = r->resv_start + r->resv_size;
        snprintf(ex[nex].why, sizeof ex[nex].why,
                 "fadump reserved destination area (CPU save area, boot memory copy, headers)");
        nex++;
    }
    struct ppc64_oracle_in in = { .vmcore = vm, .truth = truth, .nexempt = nex, .exempt = ex,
                                  .dmesg_text = r->dmesg_text, .allow_vpa_counter = true };
    for (size_t i = 0; i < r->ndimm; i++) {
        char name[32];
        snprintf(name, sizeof name, "post-dimm%zu.bin", i);
        path_in(r, dimmp[i], sizeof dimmp[i], name);
        in.extra[in.nextra].paddr = r->dimm[i].addr;
        in.extra[in.nextra].size = r->dimm[i].size;
        in.extra[in.nextra].path = dimmp[i];
        in.extra[in.nextra].what = "post-capture pmemsave of the DIMM";
        in.nextra++;
    }
    struct ppc64_oracle_out *o = calloc(1, sizeof *o);
    char e[512];
    double t = qnow();
    char mwhy[400] = "";
    int mdf = check_makedumpfile(r, vm, mwhy, sizeof mwhy);
    if (!o || ppc64_oracle_compare(&in, o, e, sizeof e) != 0) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "oracle: %.240s", o ? e : "out of memory");
        free(o);
        return;
    }
    say(r, "pages: %" PRIu64 " compared (%" PRIu64 " against post-capture DIMM images), %" PRIu64
        " differ, %" PRIu64 " differ inside exemptions; truth pages absent from the vmcore: %" PRIu64
        " exempt, %" PRIu64 " missing; %" PRIu64 " vmcore pages without a source",
        o->pages_compared, o->extra_compared, o->pages_differ, o->pages_exempt_differ, o->pages_absent,
        o->pages_missing, o->pages_extra);
    for (size_t i = 0; i < o->nabsent; i++) {
        say(r, "  absent [0x%" PRIx64 ", 0x%" PRIx64 "): %s", o->absent[i].start, o->absent[i].end,
            o->absent[i].why);
        run_result_add_exempt(res, o->absent[i].start, o->absent[i].end - o->absent[i].start,
                              o->absent[i].why);
    }
    for (size_t i = 0; i < o->ndiff; i++)
        say(r, "  differing page 0x%" PRIx64, o->diff[i]);
    for (size_t i = 0; i < o->nvpa; i++) {
        say(r, "  page 0x%" PRIx64 ": only a VPA dispatch counter (lppaca+0x100) differs, incremented by "
            "QEMU when it paused the vCPUs after the snapshot", o->vpa[i]);
        run_result_add_exempt(res, o->vpa[i], QPAGE, "VPA dispatch counter written by QEMU after the snapshot");
    }
    /* hot-plugged DIMMs: with re-registration every page must be in the
     * vmcore; without it the 6.1 elfcorehdr (built at registration) lacks
     * them: named as missing by design */
    char dimm_fail[200] = "", dimm_note[96] = "";
    struct qelf el;
    char ee[256];
    if (r->ndimm && qelf_open(&el, vm, ee, sizeof ee) == 0) {
        for (size_t i = 0; i < r->ndimm; i++) {
            uint64_t have = 0, n = r->dimm[i].size / QPAGE;
            for (uint64_t k = 0; k < n; k++)
                have += qelf_page(&el, r->dimm[i].addr + k * QPAGE) != NULL;
            say(r, "  DIMM [0x%" PRIx64 ", +0x%" PRIx64 "): %" PRIu64 " of %" PRIu64 " pages in the vmcore (%s)",
                r->dimm[i].addr, r->dimm[i].size, have, n,
                r->dimm[i].reload ? "re-registered" : "not re-registered");
            if (!r->dimm[i].reload && have == 0 && !dimm_note[0])
                snprintf(dimm_note, sizeof dimm_note, "; DIMM 0x%" PRIx64 "+0x%" PRIx64 " missing (not re-registered)",
                         r->dimm[i].addr, r->dimm[i].size);
            if (!r->dimm[i].reload && have == 0)
                run_result_add_exempt(res, r->dimm[i].addr, r->dimm[i].size,
                                      "hot-plugged DIMM missing: the 6.1 elfcorehdr was built at registration "
                                      "(no re-registration)");
            else if (have != n && !dimm_fail[0])
                snprintf(dimm_fail, sizeof dimm_fail, "DIMM [0x%" PRIx64 ", +0x%" PRIx64 "): only %" PRIu64
                         " of %" PRIu64 " pages in the vmcore%s", r->dimm[i].addr, r->dimm[i].size, have, n,
                         r->dimm[i].reload ? " after re-registration" : "");
        }
        qelf_close(&el);
    }
    say(r, "registers: %u NT_PRSTATUS notes, %u truth CPUs (os-term caller cpu %u: note from the kernel's "
        "fdh->regs, counted only), %u CPUs equal the truth (%" PRIu64 " registers), %u differ",
        o->prstatus, o->truth_cpus, o->caller, o->cpus_matched, o->regs_compared, o->regs_differ);
    say(r, "dmesg: %s", o->dmesg_checked ? o->dmesg_why : o->dmesg_why[0] ? o->dmesg_why : "not checked");
    /* the sim's reference fadump agent on the same snapshot */
    struct ppc64_ref_out *ro = calloc(1, sizeof *ro);
    char rwhy[300] = "";
    const char *refenv = getenv("DUMPBENCH_PPC64_REFERENCE");
    if (ro && refenv && strcmp(refenv, "0") == 0) {
        snprintf(ro->skipped, sizeof ro->skipped, "DUMPBENCH_PPC64_REFERENCE=0");
        say(r, "reference agent: SKIPPED (DUMPBENCH_PPC64_REFERENCE=0: about 30 s per 3 GiB run)");
    } else if (ro) {
        char re[512] = "";
        uint64_t fdm_va = sysmap_addr(r->sysmap, "fdm");
        if (ppc64_reference_compare(vm, truth, fdm_va, ro, re, sizeof re) != 0)
            snprintf(rwhy, sizeof rwhy, "reference agent oracle: %.250s", re);
        else if (ro->skipped[0])
            say(r, "reference agent: SKIPPED (%s)", ro->skipped);
        else if (!ro->ran)
            snprintf(rwhy, sizeof rwhy, "%.290s", ro->agent_error);
        else {
            say(r, "reference agent (sim_fadump_capture on the truth, the kernel's fdm and headers): "
                "%zu PT_LOADs, %u CPUs; %" PRIu64 " pages compared, %" PRIu64 " differ, %" PRIu64
                " missing, %" PRIu64 " VPA-counter pages; %u CPUs equal (%" PRIu64 " registers; crashing "
                "cpu %u %s); %u fields differ", ro->ref_chunks, ro->ref_cpus, ro->pages_compared,
                ro->pages_differ, ro->pages_missing, ro->vpa_pages, ro->cpus_equal, ro->regs_compared,
                ro->crashing_cpu, ro->crashing_cpu_equal ? "equals the crash header's pt_regs" : "DIFFERS",
                ro->fields_differ);
            for (size_t i = 0; i < ro->nfield; i++)
                say(r, "  reference field differs: %s", ro->field[i]);
            if (ro->fields_differ)
                snprintf(rwhy, sizeof rwhy, "vmcore differs from the reference agent's dump: %.200s",
                         ro->field[0]);
            else
                o->regs_compared += ro->crashing_cpu_equal ? 40 : 0;
        }
    }
    run_result_add_phase(res, "verify", qnow() - t);
    res->cpus_online = o->truth_cpus;
    res->oracle_pages_compared = o->pages_compared;
    res->oracle_pages_differ = o->pages_differ;
    res->oracle_regs_compared = o->regs_compared;
    if (o->fail[0]) {
        res->outcome = RUN_FAILED;
        snprintf(res->reason, sizeof res->reason, "oracle: %.240s", o->fail);
        say(r, "FAILED: %s", o->fail);
    } else if (dimm_fail[0]) {
        res->outcome = RUN_FAILED;
        snprintf(res->reason, sizeof res->reason, "oracle: %.240s", dimm_fail);
        say(r, "FAILED: %s", dimm_fail);
    } else if (rwhy[0]) {
        res->outcome = RUN_FAILED;
        snprintf(res->reason, sizeof res->reason, "oracle: %.240s", rwhy);
        say(r, "FAILED: %s", rwhy);
    } else if (r->dmesg_text && !o->dmesg_checked) {
        res->outcome = RUN_FAILED;
        snprintf(res->reason, sizeof res->reason, "oracle: dmesg not readable from the vmcore: %.200s",
                 o->dmesg_why);
    } else if (mdf == PPC64_MDF_FAILED) {
        res->outcome = RUN_FAILED;
        snprintf(res->reason, sizeof res->reason, "oracle: makedumpfile --dump-dmesg: %.200s", mwhy);
        say(r, "FAILED: makedumpfile --dump-dmesg: %s", mwhy);
    } else {
        res->outcome = RUN_COMPLETE;
        char refs[96];
        if (ro && ro->ran)
            snprintf(refs, sizeof refs, "reference agent equal (%u CPUs incl. the crashing one)", ro->cpus_equal);
        else
            snprintf(refs, sizeof refs, "reference agent skipped");
        snprintf(res->reason, sizeof res->reason,
                 "fadump verified: %" PRIu64 " pages compared, 0 differ, %" PRIu64 " absent (reserved area), "
                 "%u CPU notes (%" PRIu64 " registers equal), %s%s, dmesg shows '%.50s' (ring%s)",
                 o->pages_compared, o->pages_absent, o->prstatus, o->regs_compared, refs, dimm_note,
                 r->dmesg_text ? r->dmesg_text : "",
                 mdf == PPC64_MDF_OK ? " + makedumpfile" : "; makedumpfile SKIPPED");
        say(r, "PASSED: %s", res->reason);
    }
    free(o);
    free(ro);
}

static int pmemsave(struct prun *r, uint64_t addr, uint64_t size, const char *name)
{
    char path[600];
    path_in(r, path, sizeof path, name);
    struct json_object *a = json_object_new_object();
    json_object_object_add(a, "val", json_object_new_int64((int64_t)addr));
    json_object_object_add(a, "size", json_object_new_int64((int64_t)size));
    json_object_object_add(a, "filename", json_object_new_string(path));
    int rc = qmp_exec(&r->q, "pmemsave", a, NULL, 300000, r->err, sizeof r->err);
    json_object_put(a);
    return rc;
}

/* ---- entry ---------------------------------------------------------------- */

static void cleanup(struct prun *r, bool keep_big)
{
    if (r->gdb_open)
        qgdb_close(&r->g);
    if (r->qmp_open)
        qmp_close(&r->q);
    qproc_stop(&r->p, 2000);
    free(r->p.con);
    r->p.con = NULL;
    const char *socks[] = { "con.in", "con.out", "qmp", "gdb" };
    char f[200];
    for (size_t i = 0; i < 4; i++) {
        snprintf(f, sizeof f, "%s/%s", r->sock, socks[i]);
        unlink(f);
    }
    rmdir(r->sock);
    const char *big[] = { "capture-disk.raw", "truth.bin", "vmcore", "post-dimm0.bin", "post-dimm1.bin" };
    for (size_t i = 0; i < sizeof big / sizeof big[0]; i++) {
        /* RAM-sized files: kept only when a run fails and DUMPBENCH_KEEP=1 */
        const char *keep = getenv("DUMPBENCH_KEEP");
        if (keep_big && keep && *keep == '1')
            break;
        char p[600];
        path_in(r, p, sizeof p, big[i]);
        if (r->res && r->res->image_path[0] && !strcmp(p, r->res->image_path))
            continue;   /* the image the run record hashes (DUMPBENCH_RECORD set) */
        unlink(p);
    }
}

int qemu_ppc64_run(const struct scenario *s, const char *run_dir, FILE *log,
                   struct run_result *res, char *errbuf, size_t errlen)
{
    return qemu_ppc64_run_with(NULL, s, run_dir, log, res, errbuf, errlen);
}

int qemu_ppc64_run_with(const char *launcher, const struct scenario *s, const char *run_dir,
                        FILE *log, struct run_result *res, char *errbuf, size_t errlen)
{
    struct prun *r = calloc(1, sizeof *r);
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
    char skipbuf[700];
    const char *skip = prereq(r, skipbuf, sizeof skipbuf);
    if (skip) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "SKIPPED: %.240s", skip);
        snprintf(errbuf, errlen, "SKIPPED: %s", skip);
        say(r, "SKIPPED: %s", skip);
        free(r);
        return QEMU_BACKEND_SKIPPED;
    }
    /* faults armed before the first `step register` hit the boot-time
     * registration: they go on the command line */
    for (size_t i = 0; i < s->nsteps; i++) {
        const struct scn_item *it = &s->steps[i];
        if (it->kind == SCN_STEP_REGISTER)
            break;
        if (it->kind == SCN_STEP_FAULT && it->word && strcmp(it->word, "rtas") == 0) {
            r->boot_fault_cmd = op_cmd(scn_get_str(it, "op", ""));
            r->boot_fault_rc = (int)scn_get_num(it, "rc", 0);
            r->boot_fault_count = (int)scn_get_num(it, "count", 1);
        }
    }
    for (size_t i = 0; i < s->nsteps; i++)
        if (s->steps[i].kind == SCN_STEP_CRASH &&
            strcmp(scn_get_str(&s->steps[i], "kind", "panic"), "oops") == 0)
            r->want_gdb = true;
    char merr[300];
    int mode = qemu_record_mode_env(merr, sizeof merr);
    r->script = mode == (int)REPLAY_EXEC_SCRIPT;
    if (r->script && script_plan(r) != 0) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "%.255s", r->err);
        snprintf(errbuf, errlen, "%s", r->err);
        free(r->stok);
        free(r);
        return QEMU_BACKEND_ERROR;
    }
    snprintf(r->sock, sizeof r->sock, "/tmp/dbp.XXXXXX");
    if (!mkdtemp(r->sock)) {
        snprintf(errbuf, errlen, "mkdtemp: %s", strerror(errno));
        free(r->stok);
        free(r);
        return QEMU_BACKEND_ERROR;
    }
    say(r, "scenario %s: qemu %s, kernel %s, initrd %s", s->name, r->qemu, r->kernel, r->initrd);
    int rc = start_qemu(r);
    if (rc == 0)
        rc = boot(r);
    bool seen_register = false, dumped = false, awaited = false;
    for (size_t i = 0; rc == 0 && i < s->nsteps; i++) {
        const struct scn_item *it = &s->steps[i];
        switch (it->kind) {
        case SCN_STEP_BOOT:
            break;
        case SCN_STEP_REGISTER:
            seen_register = true;
            rc = step_register(r, it);
            break;
        case SCN_STEP_UNREGISTER:
            rc = step_unregister(r, it);
            break;
        case SCN_STEP_FAULT:
            rc = step_fault(r, it, !seen_register);
            break;
        case SCN_STEP_CRASH:
            rc = step_crash(r, it);
            break;
        case SCN_STEP_HANG:
            rc = step_hang(r);
            break;
        case SCN_STEP_OPERATOR_DUMP:
            rc = step_operator_dump(r);
            break;
        case SCN_STEP_HOTPLUG_CPU:
            rc = step_hotplug_cpu(r, it);
            break;
        case SCN_STEP_HOTPLUG_MEM:
            rc = step_hotplug_mem(r, it);
            break;
        case SCN_STEP_CAPTURE:
            if (!r->crashed) {
                rc = fail(r, "line %d: capture without a crash step", it->line);
                break;
            }
            rc = await_dump(r, &dumped);
            awaited = true;
            break;
        case SCN_STEP_RUN:
            if (r->script && r->stok[i]) {
                /* the guest sleeps MS of its own (virtual) time */
                int64_t ms = scn_get_num(it, "ms", 0);
                int src = script_step(r, it, r->stok[i], false, 60000 + (int)(ms > 3600000 ? 3600000 : ms),
                                      NULL, 0, NULL);
                rc = src < 0 ? -1 : 0;
                break;
            }
            for (double end = qnow() + scn_get_num(it, "ms", 0) / 1000.0; qnow() < end;)
                qproc_pump(&r->p, 50);
            break;
        default:
            rc = fail(r, "line %d: step %s is not supported by the ppc64 qemu backend", it->line,
                      scn_step_name(it->kind));
            break;
        }
    }
    if (rc == 0 && r->crashed && !awaited)
        rc = await_dump(r, &dumped);
    if (rc == 0 && !r->crashed) {
        res->outcome = RUN_NO_DUMP;
        snprintf(res->reason, sizeof res->reason, "no crash step");
    } else if (rc == 0 && !dumped) {
        res->outcome = RUN_NO_DUMP;
        snprintf(res->reason, sizeof res->reason,
                 "no dump: not registered at ibm,os-term (kernel: '%.120s'), normal reboot", r->kmsg);
    } else if (rc == 0) {
        uint64_t size = 0;
        int cr = capture_result(r, &size);
        for (size_t i = 0; cr == 0 && i < r->ndimm; i++) {
            char name[32];
            snprintf(name, sizeof name, "post-dimm%zu.bin", i);
            cr = pmemsave(r, r->dimm[i].addr, r->dimm[i].size, name);
            if (cr != 0)
                fail(r, "pmemsave of DIMM %zu: %s", i, r->err);
        }
        qproc_stop(&r->p, 2000);
        if (cr < 0) {
            rc = -1;
        } else if (cr == 0) {
            char disk[600], vm[600];
            path_in(r, disk, sizeof disk, "capture-disk.raw");
            path_in(r, vm, sizeof vm, "vmcore");
            if (truncate(disk, (off_t)size) != 0 || rename(disk, vm) != 0) {
                rc = fail(r, "cannot turn the capture disk into %s: %s", vm, strerror(errno));
            } else {
                /* res->image_path stays empty: the RAM-sized vmcore is
                 * deleted after the run (DUMPBENCH_KEEP=1 keeps it) --
                 * unless DUMPBENCH_RECORD is set: replays compare its hash */
                oracles(r, vm);
                const char *rec = getenv("DUMPBENCH_RECORD");
                if ((rec && *rec) || getenv("DUMPBENCH_RR_REPLAY"))
                    snprintf(res->image_path, sizeof res->image_path, "%.500s", vm);
            }
        }
    }
    if (rc != 0) {
        res->outcome = RUN_ERROR;
        snprintf(res->reason, sizeof res->reason, "%.255s", r->err);
        snprintf(errbuf, errlen, "%s", r->err);
    }
    say(r, "total %.1f s", qnow() - r->t0);
    cleanup(r, res->outcome != RUN_COMPLETE && res->outcome != RUN_NO_DUMP);
    free(r->stok);
    free(r);
    return rc != 0 ? QEMU_BACKEND_ERROR : 0;
}
