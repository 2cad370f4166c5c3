/*
 * Deterministic execution and record/replay for the QEMU backends
 * (x86_64 qemu_backend.c, s390x qemu_s390x.c, ppc64 qemu_ppc64.c).
 *
 * Each backend builds its QEMU argv and passes it through
 * qemu_record_argv(); with DUMPBENCH_RECORD unset (mode none) the result is
 * a copy.  Otherwise (settings: <harness/replay.h>):
 *
 *   icount     -icount shift=N,align=off,sleep=off: guest clocks follow the
 *              instruction count, and with sleep=off an idle guest jumps to
 *              its next timer instead of waiting for the host
 *              (QEMU 7.2 softmmu/icount.c icount_configure);
 *   rr-record  -icount shift=N,rr=record,rrfile=RUN_DIR/replay.bin
 *   rr-replay  -icount shift=N,rr=replay,rrfile=FILE
 *   script     the icount settings; in addition the backend hands the
 *              scenario's steps up to the crash to the guest at boot (kernel
 *              command line) and types nothing into the console before the
 *              crash, so that no host-timed input reaches the guest
 *              (qemu_record_script(), each backend's script path)
 *
 * and in every mode other than none:
 *   -rtc base=2024-01-01T00:00:00,clock=vm unless the backend gave -rtc: the
 *       x86 CMOS RTC, the pseries RTAS RTC and the s390x TOD base all start
 *       from qemu_get_timedate() (QEMU 7.2 hw/s390x/tod-tcg.c
 *       qemu_s390_tod_init, hw/ppc/spapr_rtc.c), i.e. from -rtc base;
 *   -seed 1: QEMU's guest random source (RDRAND, DARN, ...) becomes a
 *       seeded PRNG (qemu-options.hx "-seed");
 *   nokaslr in -append for x86_64 and s390x (ppc64 book3s has no KASLR in
 *       Linux 6.1: arch/powerpc/Kconfig RANDOMIZE_BASE depends on PPC_85xx).
 *
 * rr modes also need (QEMU 7.2 docs/system/replay.rst):
 *   every -drive behind a blkreplay node, so that disk completions are
 *   logged: "-drive ...,id=X" becomes "-drive ...,id=X-rr" plus
 *   "-drive driver=blkreplay,if=none,image=X-rr,id=X" (the device keeps
 *   drive=X; the raw file is still written, so the dump lands on it in
 *   record and replay alike);
 *   the console on a chardev registered for replay: only chardevs opened
 *   through -serial are (chardev/char.c qemu_chr_new_permit_mux_mon sets
 *   QEMU_CHAR_FEATURE_REPLAY), so the pseries "-device spapr-vty,chardev=C"
 *   becomes "-serial chardev:C" (hw/ppc/spapr.c creates a spapr-vty for
 *   each serial_hd).  Input on it is logged when recording and ignored
 *   from the host when replaying.
 *
 * QEMU 7.2 rr refuses more than one vCPU ("Record/replay feature is not
 * supported for 'smp'", softmmu/vl.c): rr modes fail early here for -smp > 1.
 *
 * Not recorded by QEMU 7.2 rr: QMP/HMP commands that change the machine
 * (device_add, inject-nmi, nmi, cpu-add) and gdbstub breakpoints; reads
 * (pmemsave, dump-guest-memory) do not change the guest.
 */
#include "qemu_internal.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <harness/replay.h>
#include <harness/scenario.h>

#define QREC_RTC "base=2024-01-01T00:00:00,clock=vm"

/* Copy a string into rec->buf; NULL when full. */
static char *keep(struct qemu_record *rec, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
static char *keep(struct qemu_record *rec, const char *fmt, ...)
{
    if (rec->used >= sizeof rec->buf)
        return NULL;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(rec->buf + rec->used, sizeof rec->buf - rec->used, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof rec->buf - rec->used)
        return NULL;
    char *s = rec->buf + rec->used;
    rec->used += (size_t)n + 1;
    return s;
}

static int push(struct qemu_record *rec, char *a)
{
    if (!a || rec->argc + 1 >= QREC_MAX_ARGS)
        return -1;
    rec->argv[rec->argc++] = a;
    rec->argv[rec->argc] = NULL;
    return 0;
}

/* "id=X" as an option of a comma list (not "xid="): X's start and length. */
static const char *opt_value(const char *list, const char *key, size_t *len)
{
    size_t kl = strlen(key);
    for (const char *p = list; p && *p;) {
        if (!strncmp(p, key, kl) && p[kl] == '=') {
            *len = strcspn(p + kl + 1, ",");
            return p + kl + 1;
        }
        p = strchr(p, ',');
        if (p)
            p++;
    }
    return NULL;
}

static bool has_word(const char *s, const char *w)
{
    size_t wl = strlen(w);
    for (const char *p = strstr(s, w); p; p = strstr(p + 1, w))
        if ((p == s || p[-1] == ' ') && (p[wl] == '\0' || p[wl] == ' '))
            return true;
    return false;
}

char **qemu_record_argv_cfg(struct qemu_record *rec, const struct replay_exec_cfg *cfg,
                            char *const argv[], const char *arch, const char *run_dir,
                            char *err, size_t errlen)
{
    memset(rec, 0, sizeof *rec);
    rec->mode = (int)cfg->mode;
    bool rr = cfg->mode == REPLAY_EXEC_RR_RECORD || cfg->mode == REPLAY_EXEC_RR_REPLAY;
    rec->shift = cfg->mode == REPLAY_EXEC_NONE ? -1
                 : cfg->shift >= 0 ? cfg->shift : replay_exec_default_shift(arch);
    bool kaslr = arch && (!strcmp(arch, "x86_64") || !strcmp(arch, "s390x"));
    bool have_rtc = false;
    for (size_t i = 0; argv[i]; i++) {
        const char *a = argv[i], *v = argv[i + 1];
        if (cfg->mode == REPLAY_EXEC_NONE || !v) {
            if (push(rec, argv[i]) != 0)
                goto full;
            continue;
        }
        if (!strcmp(a, "-icount") || !strcmp(a, "-seed")) {
            snprintf(err, errlen, "DUMPBENCH_RECORD=%s: the backend already passes %s %s",
                     replay_exec_name(cfg->mode), a, v);
            return NULL;
        }
        if (!strcmp(a, "-rtc"))
            have_rtc = true;
        if (rr && !strcmp(a, "-smp")) {
            /* QEMU 7.2 softmmu/vl.c qemu_apply_machine_options: "Record/replay
             * feature is not supported for 'smp'" when cpus > 1 (measured) */
            size_t cl = 0;
            const char *cpus = opt_value(v, "cpus", &cl);
            long n = strtol(isdigit((unsigned char)v[0]) ? v : cpus ? cpus : "1", NULL, 10);
            if (n > 1) {
                snprintf(err, errlen, "DUMPBENCH_RECORD=rr: QEMU 7.2 record/replay refuses -smp %s "
                         "(more than one vCPU: softmmu/vl.c); use a 1-CPU scenario or "
                         "DUMPBENCH_RECORD=icount", v);
                return NULL;
            }
        }
        if (!strcmp(a, "-append") && kaslr && !has_word(v, "nokaslr")) {
            if (push(rec, argv[i]) != 0 || push(rec, keep(rec, "%s nokaslr", v)) != 0)
                goto full;
            i++;
            continue;
        }
        size_t idl = 0, dl = 0;
        const char *id = opt_value(v, "id", &idl);
        const char *drv = opt_value(v, "driver", &dl);
        if (rr && !strcmp(a, "-drive") && id && idl && !(drv && dl == 9 &&
                                                         !strncmp(drv, "blkreplay", 9))) {
            /* the same options with id=X-rr, then the blkreplay node as X */
            size_t pre = (size_t)(id - v);
            char *direct = keep(rec, "%.*s%.*s-rr%s", (int)pre, v, (int)idl, id, id + idl);
            char *node = keep(rec, "driver=blkreplay,if=none,image=%.*s-rr,id=%.*s", (int)idl, id,
                              (int)idl, id);
            if (push(rec, "-drive") != 0 || push(rec, direct) != 0 ||
                push(rec, "-drive") != 0 || push(rec, node) != 0)
                goto full;
            i++;
            continue;
        }
        if (rr && !strcmp(a, "-device") && !strncmp(v, "spapr-vty,", 10)) {
            size_t cl = 0;
            const char *chr = opt_value(v, "chardev", &cl);
            /* only the plain form: other properties (reg=) have no -serial equivalent */
            if (chr && cl && !strncmp(v + 10, "chardev=", 8) && v[18 + cl] == '\0') {
                if (push(rec, "-serial") != 0 || push(rec, keep(rec, "chardev:%.*s", (int)cl, chr)) != 0)
                    goto full;
                i++;
                continue;
            }
        }
        if (push(rec, argv[i]) != 0)
            goto full;
    }
    if (cfg->mode == REPLAY_EXEC_NONE) {
        snprintf(rec->what, sizeof rec->what, "record-mode none");
        return rec->argv;
    }
    if (!have_rtc && (push(rec, "-rtc") != 0 || push(rec, QREC_RTC) != 0))
        goto full;
    if (push(rec, "-seed") != 0 || push(rec, "1") != 0)
        goto full;
    char *ic;
    if (cfg->mode == REPLAY_EXEC_ICOUNT || cfg->mode == REPLAY_EXEC_SCRIPT) {
        ic = keep(rec, "shift=%d,align=off,sleep=off", rec->shift);
    } else {
        char log[1100];
        if (cfg->mode == REPLAY_EXEC_RR_RECORD)
            snprintf(log, sizeof log, "%s/%s", run_dir ? run_dir : ".", REPLAY_RR_FILE);
        else
            snprintf(log, sizeof log, "%s", cfg->rr_file);
        if (strchr(log, ',')) {
            snprintf(err, errlen, "rr log path '%.200s' contains ',' (QEMU option syntax)", log);
            return NULL;
        }
        if (cfg->mode == REPLAY_EXEC_RR_REPLAY && access(log, R_OK) != 0) {
            snprintf(err, errlen, "DUMPBENCH_RR_REPLAY=%.200s: %s", log, strerror(errno));
            return NULL;
        }
        if (cfg->mode == REPLAY_EXEC_RR_RECORD)
            unlink(log);    /* never replay a stale log by accident */
        snprintf(rec->rr_file, sizeof rec->rr_file, "%s", log);
        ic = keep(rec, "shift=%d,rr=%s,rrfile=%s", rec->shift,
                  cfg->mode == REPLAY_EXEC_RR_RECORD ? "record" : "replay", log);
    }
    if (push(rec, "-icount") != 0 || push(rec, ic) != 0)
        goto full;
    snprintf(rec->what, sizeof rec->what, "record-mode %s shift=%d%s%s",
             replay_exec_name(cfg->mode), rec->shift, rec->rr_file[0] ? " log " : "",
             rec->rr_file);
    return rec->argv;
full:
    snprintf(err, errlen, "QEMU command line too long for the record mode (%d arguments, "
             "%zu bytes)", QREC_MAX_ARGS, sizeof rec->buf);
    return NULL;
}

char **qemu_record_argv(struct qemu_record *rec, char *const argv[], const char *arch,
                        const char *run_dir, char *err, size_t errlen)
{
    struct replay_exec_cfg cfg;
    if (replay_exec_from_env(&cfg, err, errlen) != 0)
        return NULL;
    return qemu_record_argv_cfg(rec, &cfg, argv, arch, run_dir, err, errlen);
}

bool qemu_record_script(const struct qemu_record *rec)
{
    return rec && rec->mode == (int)REPLAY_EXEC_SCRIPT;
}

int qemu_record_mode_env(char *err, size_t errlen)
{
    struct replay_exec_cfg cfg;
    if (replay_exec_from_env(&cfg, err, errlen) != 0)
        return -1;
    return (int)cfg.mode;
}

int qemu_record_script_steps(const struct scenario *s, const int *allowed, size_t n,
                             char *err, size_t errlen)
{
    for (size_t i = 0; i < s->nsteps; i++) {
        const struct scn_item *it = &s->steps[i];
        if (it->kind == SCN_STEP_CAPTURE)
            return 0;
        bool ok = false;
        for (size_t k = 0; k < n && !ok; k++)
            ok = it->kind == allowed[k];
        if (ok)
            continue;
        char list[256] = "";
        for (size_t k = 0; k < n; k++) {
            size_t l = strlen(list);
            snprintf(list + l, sizeof list - l, "%s%s", k ? ", " : "", scn_step_name(allowed[k]));
        }
        snprintf(err, errlen, "line %d: step %s is host-driven; DUMPBENCH_RECORD=script runs "
                 "only the steps the guest does by itself before the capture (%s)", it->line,
                 scn_step_name(it->kind), list);
        return -1;
    }
    return 0;
}
