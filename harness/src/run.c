/*
 * The scenario runner (see <harness/run.h>).
 */
#include <harness/qemu.h>
#include <harness/run.h>

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <harness/compare.h>
#include <harness/golden.h>
#include <harness/profile.h>
#include <harness/replay.h>

#include "util.h"

#define DEFAULT_GOLDEN_DIR "scenarios/golden"
#define DEFAULT_RUNS_ROOT "out/runs"

struct eval {
    char *first;
    size_t firstlen;
    FILE *diag;
    bool failed;
    struct report *rep;        /* gets the first differing bytes (may be NULL) */
};

/* Hand the structured first difference of a failed expectation to the report. */
static void eval_diff(struct eval *ev, const struct scn_item *it, const struct cmp_diff *d)
{
    if (!ev->rep || !d || !d->valid)
        return;
    char what[48];
    snprintf(what, sizeof(what), "%s (line %d)", scn_expect_name(it->kind), it->line);
    report_set_diff(ev->rep, what, d);
}

static void verdict(struct eval *ev, const struct scn_item *it, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* One line per expectation; the first failure becomes the case message. */
static void verdict(struct eval *ev, const struct scn_item *it, bool ok, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    const char *what = scn_expect_name(it->kind);
    if (ev->diag)
        fprintf(ev->diag, "  %s expect %s%s%s (line %d): %s\n", ok ? "ok  " : "FAIL", what,
                it->word ? " " : "", it->word ? it->word : "", it->line, msg);
    if (!ok && !ev->failed) {
        ev->failed = true;
        if (ev->first)
            snprintf(ev->first, ev->firstlen, "%s (line %d): %s", what, it->line, msg);
    }
}

static void cmp_summary(FILE *diag, const struct cmp_result *c)
{
    if (!diag)
        return;
    for (size_t i = 0; i < c->nexempt; i++)
        fprintf(diag, "       exempt 0x%" PRIx64 "+0x%" PRIx64 " (%s): %" PRIu64
                " pages, %" PRIu64 " differ\n", c->exempt[i].addr, c->exempt[i].len,
                c->exempt[i].reason, c->exempt[i].pages, c->exempt[i].pages_differ);
}

static void add_exemptions(const struct scenario *s, const struct run_result *res,
                           struct cmp_result *c)
{
    for (size_t i = 0; i < s->nexpects; i++) {
        const struct scn_item *it = &s->expects[i];
        if (it->kind == SCN_EXPECT_EXEMPT)
            cmp_add_exempt(c, (uint64_t)scn_get_num(it, "addr", 0),
                           (uint64_t)scn_get_num(it, "len", 0), scn_get_str(it, "reason", ""));
    }
    for (size_t i = 0; i < res->nexempt; i++)
        cmp_add_exempt(c, res->exempt[i].addr, res->exempt[i].len, res->exempt[i].reason);
}

static size_t dump_cpus(const struct df_dump *d)
{
    size_t n = 0;
    for (size_t i = 0; i < d->ncpus; i++)
        n += d->cpus[i].present != 0;
    return n;
}

static void eval_golden(const struct run_opts *o, const struct scenario *s,
                        const struct run_result *res, const char *run_dir,
                        const struct scn_item *it, struct eval *ev)
{
    const char *dir = o->golden_dir ? o->golden_dir : DEFAULT_GOLDEN_DIR;
    const char *name = scn_get_str(it, "name", s->name);
    char err[1024];
    if (!hu_name_ok(name)) {
        verdict(ev, it, false, "bad golden name '%s'", name);
        return;
    }
    if (!res->image_path[0]) {
        verdict(ev, it, false, "no image produced (outcome %s)", run_outcome_name(res->outcome));
        return;
    }
    if (o->update_golden) {
        char msg[512];
        int changed = 0;
        if (golden_update(dir, name, res->image_path, &changed, msg, sizeof(msg),
                          err, sizeof(err)) != GOLDEN_OK)
            verdict(ev, it, false, "update failed: %s", err);
        else
            verdict(ev, it, true, "%s", msg);
        return;
    }
    char gpath[4096];
    snprintf(gpath, sizeof(gpath), "%s/golden-%s.img", run_dir, name);
    int rc = golden_extract(dir, name, gpath, err, sizeof(err));
    if (rc == GOLDEN_MISSING) {
        verdict(ev, it, false, "no golden %s in %s; run with --update-golden", name, dir);
        return;
    }
    if (rc != GOLDEN_OK) {
        verdict(ev, it, false, "%s", err);
        return;
    }
    struct df_dump *g = NULL, *img = res->image;
    struct df_err derr;
    /* lenient: a golden of an incomplete capture is itself truncated */
    const struct df_read_opts ropts = { .lenient = true };
    if (df_read_file_opts(gpath, &ropts, &g, &derr) != 0) {
        verdict(ev, it, false, "golden %s unreadable: %s", name, derr.msg);
        return;
    }
    struct df_dump *own = NULL;
    if (!img) {
        if (df_read_file_opts(res->image_path, &ropts, &own, &derr) != 0) {
            df_dump_free(g);
            verdict(ev, it, false, "image unreadable: %s", derr.msg);
            return;
        }
        img = own;
    }
    struct cmp_result *c = malloc(sizeof(*c));
    if (!c) {
        df_dump_free(g);
        df_dump_free(own);
        verdict(ev, it, false, "out of memory");
        return;
    }
    cmp_result_init(c);
    cmp_dumps(g, img, c);
    char bmsg[512];
    struct cmp_diff bdiff;
    int brc = cmp_files_diff(gpath, res->image_path, bmsg, sizeof(bmsg), &bdiff);
    if (c->differ) {
        verdict(ev, it, false, "golden %s: %s", name, c->first);
        if (c->first_diff.valid && bdiff.valid) {
            /* name the bytes in the file layout too (ELF/s390 header field, PT_LOAD) */
            struct cmp_diff both = c->first_diff;
            size_t fl = strlen(both.field);
            snprintf(both.field + fl, sizeof(both.field) - fl, "; file offset 0x%" PRIx64 ": %s",
                     bdiff.addr, bdiff.field);
            eval_diff(ev, it, &both);
        } else {
            eval_diff(ev, it, c->first_diff.valid ? &c->first_diff : &bdiff);
        }
        if (ev->diag && brc != 0)
            fprintf(ev->diag, "       first byte difference: %s\n", bmsg);
    } else if (brc != 0) {
        verdict(ev, it, false, "golden %s: %s", name, bmsg);
        eval_diff(ev, it, &bdiff);
    } else {
        verdict(ev, it, true, "identical to golden %s (%" PRIu64 " pages, %" PRIu64
                " registers)", name, c->pages_compared, c->regs_compared);
        unlink(gpath);
    }
    free(c);
    df_dump_free(g);
    df_dump_free(own);
}

enum report_status run_evaluate(const struct run_opts *o, const struct scenario *s,
                                const struct run_result *res, const char *run_dir,
                                struct report *rep, char *first, size_t firstlen,
                                FILE *diag)
{
    struct eval ev = { first, firstlen, diag, false, rep };
    if (first && firstlen)
        first[0] = '\0';
    size_t nchecks = 0;
    for (size_t i = 0; i < s->nexpects; i++) {
        const struct scn_item *it = &s->expects[i];
        switch (it->kind) {
        case SCN_EXPECT_EXEMPT:
            continue;
        case SCN_EXPECT_PAGES_EQUAL:
        case SCN_EXPECT_REGS_EQUAL: {
            bool pages = it->kind == SCN_EXPECT_PAGES_EQUAL;
            nchecks++;
            if (!res->truth || !res->image) {
                verdict(&ev, it, false, "no %s (outcome %s)", res->truth ? "dump image" :
                        "truth snapshot", run_outcome_name(res->outcome));
                break;
            }
            struct cmp_result *c = malloc(sizeof(*c));
            if (!c) {
                verdict(&ev, it, false, "out of memory");
                break;
            }
            cmp_result_init(c);
            if (pages) {
                add_exemptions(s, res, c);
                cmp_pages(res->truth, res->image, c);
                uint64_t ex = 0;
                for (size_t k = 0; k < c->nexempt; k++)
                    ex += c->exempt[k].pages;
                if (c->differ) {
                    verdict(&ev, it, false, "%s (%" PRIu64 " of %" PRIu64 " pages differ, %"
                            PRIu64 " missing, %" PRIu64 " extra)", c->first, c->pages_differ,
                            c->pages_compared, c->pages_missing, c->pages_extra);
                    eval_diff(&ev, it, &c->first_diff);
                }
                else
                    verdict(&ev, it, true, "%" PRIu64 " pages compared, 0 differ, %" PRIu64
                            " exempt", c->pages_compared, ex);
                cmp_summary(diag, c);
            } else {
                cmp_regs(res->truth, res->image, c);
                if (c->differ) {
                    verdict(&ev, it, false, "%s", c->first);
                    eval_diff(&ev, it, &c->first_diff);
                }
                else
                    verdict(&ev, it, true, "%" PRIu64 " registers compared on %zu CPUs",
                            c->regs_compared, dump_cpus(res->image));
            }
            if (rep)
                report_add_cmp(rep, s->name, c);
            free(c);
            break;
        }
        case SCN_EXPECT_GOLDEN:
            nchecks++;
            eval_golden(o, s, res, run_dir, it, &ev);
            break;
        case SCN_EXPECT_OUTCOME: {
            nchecks++;
            const char *got = run_outcome_name(res->outcome);
            const char *want_reason = scn_get_str(it, "reason", NULL);
            if (!it->word || strcmp(it->word, got) != 0)
                verdict(&ev, it, false, "expected %s got %s%s%s", it->word ? it->word : "?", got,
                        res->reason[0] ? ": " : "", res->reason);
            else if (want_reason && !strstr(res->reason, want_reason))
                verdict(&ev, it, false, "reason '%s' does not contain '%s'", res->reason,
                        want_reason);
            else
                verdict(&ev, it, true, "%s%s%s", got, res->reason[0] ? ": " : "", res->reason);
            break;
        }
        case SCN_EXPECT_RC: {
            nchecks++;
            const char *op = scn_get_str(it, "op", "");
            int64_t val = scn_get_num(it, "value", 0);
            bool found = false;
            char seen[512] = "";
            size_t sl = 0;
            for (size_t k = 0; k < res->nrcs; k++) {
                if (strcmp(res->rcs[k].op, op) != 0)
                    continue;
                if (res->rcs[k].rc == val)
                    found = true;
                if (sl < sizeof(seen)) {
                    int w = snprintf(seen + sl, sizeof(seen) - sl, "%s%" PRId64 " (line %d)",
                                     sl ? ", " : "", res->rcs[k].rc, res->rcs[k].line);
                    if (w > 0)
                        sl += (size_t)w;
                }
            }
            if (found)
                verdict(&ev, it, true, "%s returned %" PRId64, op, val);
            else
                verdict(&ev, it, false, "%s never returned %" PRId64 " (%s%s)", op, val,
                        sl ? "returned: " : "no such call", seen);
            break;
        }
        case SCN_EXPECT_CPUS: {
            nchecks++;
            int64_t want = scn_get_num(it, "count", 0);
            if (!res->image)
                verdict(&ev, it, false, "no dump image (outcome %s)", run_outcome_name(res->outcome));
            else if ((int64_t)dump_cpus(res->image) != want)
                verdict(&ev, it, false, "expected %" PRId64 " CPUs in the dump got %zu", want,
                        dump_cpus(res->image));
            else
                verdict(&ev, it, true, "%zu CPUs in the dump", dump_cpus(res->image));
            break;
        }
        default:
            nchecks++;
            verdict(&ev, it, false, "unsupported expectation kind %d", it->kind);
            break;
        }
    }
    if (nchecks == 0) {
        ev.failed = true;
        if (first)
            snprintf(first, firstlen, "scenario has no expectations");
    }
    return ev.failed ? REPORT_FAIL : REPORT_PASS;
}

static void progress_phase(void *ctx, const char *name, double seconds)
{
    report_progress_phase(ctx, name);
}

/*
 * Last-resort deadline of one backend run: DUMPBENCH_SCENARIO_TIMEOUT
 * seconds (default 3600, 0 = off).  A backend step that never returns is
 * reported -- on stderr and as TAP "Bail out!", naming the scenario and its
 * run dir, which is kept -- and the harness exits 99 instead of hanging.
 * Backend children die with it (PR_SET_PDEATHSIG in the sim capture child
 * and in qemu_proc.c).  The sim capture step has its own, finer deadline
 * (`step capture timeout=`, sim/src/child.c).
 */
struct watchdog {
    pthread_t th;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool done, started;
    double secs;
    const char *name, *dir;
    FILE *tap;
};

static void *watchdog_main(void *arg)
{
    struct watchdog *w = arg;
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += (time_t)w->secs;
    pthread_mutex_lock(&w->mu);
    int rc = 0;
    while (!w->done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&w->cv, &w->mu, &until);
    bool fire = !w->done;
    pthread_mutex_unlock(&w->mu);
    if (fire) {
        fprintf(stderr, "dumpbench: scenario %s: backend did not finish within %.0f s "
                "(DUMPBENCH_SCENARIO_TIMEOUT); run dir %s kept\n", w->name, w->secs, w->dir);
        fprintf(w->tap, "Bail out! scenario %s: backend step timed out after %.0f s; "
                "run dir %s kept\n", w->name, w->secs, w->dir);
        fflush(w->tap);
        _exit(99);
    }
    return NULL;
}

static void watchdog_start(struct watchdog *w, const char *name, const char *dir, FILE *tap)
{
    memset(w, 0, sizeof(*w));
    const char *e = getenv("DUMPBENCH_SCENARIO_TIMEOUT");
    w->secs = e && *e ? strtod(e, NULL) : 3600.0;
    w->name = name;
    w->dir = dir;
    w->tap = tap;
    if (!(w->secs >= 1))
        return;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->cv, &ca);
    pthread_condattr_destroy(&ca);
    w->started = pthread_create(&w->th, NULL, watchdog_main, w) == 0;
    if (!w->started) {
        pthread_cond_destroy(&w->cv);
        pthread_mutex_destroy(&w->mu);
    }
}

static void watchdog_stop(struct watchdog *w)
{
    if (!w->started)
        return;
    pthread_mutex_lock(&w->mu);
    w->done = true;
    pthread_cond_signal(&w->cv);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->th, NULL);
    pthread_cond_destroy(&w->cv);
    pthread_mutex_destroy(&w->mu);
}

enum report_status run_scenario(const struct run_opts *o, const struct scenario *s,
                                const char *run_dir, struct report *rep)
{
    backend_lookup_fn lookup = o->lookup ? o->lookup : backend_lookup;
    const char *bname = o->backend ? o->backend : s->backend ? s->backend : "sim";
    char classname[96], why[1024] = "";
    snprintf(classname, sizeof(classname), "dumpbench.%s.%s", bname,
             scn_arch_name(s->machine.arch));
    report_diag(rep, "scenario %s (%s) backend %s", s->name, s->path, bname);
    report_set_run_dir(rep, run_dir);
    backend_run_fn fn = lookup(bname, why, sizeof(why));
    if (!fn) {
        report_case(rep, s->name, classname, REPORT_SKIP, why[0] ? why : "backend unavailable",
                    NULL, 0);
        return REPORT_SKIP;
    }
    if (hu_mkdir_p(run_dir) < 0) {
        snprintf(why, sizeof(why), "cannot create run dir %.700s: %s", run_dir, strerror(errno));
        report_case(rep, s->name, classname, REPORT_ERROR, why, NULL, 0);
        return REPORT_ERROR;
    }
    char logpath[4096];
    snprintf(logpath, sizeof(logpath), "%s/backend.log", run_dir);
    FILE *log = fopen(logpath, "w");
    if (!log) {
        snprintf(why, sizeof(why), "cannot create %.700s: %s", logpath, strerror(errno));
        report_case(rep, s->name, classname, REPORT_ERROR, why, NULL, 0);
        return REPORT_ERROR;
    }
    struct run_result *res = malloc(sizeof(*res));
    char *dtext = NULL;
    size_t dlen = 0;
    FILE *diag = open_memstream(&dtext, &dlen);
    if (!res || !diag) {
        free(res);
        if (diag)
            fclose(diag);
        free(dtext);
        fclose(log);
        report_case(rep, s->name, classname, REPORT_ERROR, "out of memory", NULL, 0);
        return REPORT_ERROR;
    }
    run_result_init(res);
    res->on_phase = progress_phase;
    res->on_phase_ctx = rep;
    char errbuf[512] = "";
    /* Firmware profile: resolved here, handed to the backend (profile_run.c). */
    struct scenario rs;
    struct fw_profile *fwp = malloc(sizeof(*fwp));
    bool have_prof = false, prof_override = false;
    int prc = fwp ? fwp_prepare_run(o->profile, o->profile_dir, s, bname, &rs, res, fwp,
                                    &have_prof, &prof_override, diag, errbuf, sizeof(errbuf))
                  : (snprintf(errbuf, sizeof(errbuf), "out of memory"), -1);
    double t0 = hu_now();
    struct watchdog wd;
    watchdog_start(&wd, s->name, run_dir, o->tap ? o->tap : stdout);
    int brc = prc < 0 ? -1 : fn(&rs, run_dir, log, res, errbuf, sizeof(errbuf));
    watchdog_stop(&wd);
    double t1 = hu_now();
    fclose(log);
    enum report_status st;
    char first[1024] = "";
    if (brc == QEMU_BACKEND_SKIPPED) {
        /* A real-kernel backend that lacks a prerequisite (QEMU, guest
         * build): reported as skipped with the reason, never as passed. */
        st = REPORT_SKIP;
        snprintf(first, sizeof(first), "%s",
                 errbuf[0] ? errbuf : res->reason[0] ? res->reason : "backend prerequisite missing");
        fprintf(diag, "  backend log: %s\n", logpath);
    } else if (brc != 0 || res->outcome == RUN_ERROR) {
        st = REPORT_ERROR;
        snprintf(first, sizeof(first), "backend %s: %s", bname,
                 errbuf[0] ? errbuf : res->reason[0] ? res->reason : "failed without a message");
        fprintf(diag, "  backend log: %s\n", logpath);
    } else {
        fprintf(diag, "  outcome %s%s%s; run dir %s\n", run_outcome_name(res->outcome),
                res->reason[0] ? ": " : "", res->reason, run_dir);
        if (res->oracle_pages_compared || res->oracle_regs_compared) {
            struct cmp_result *oc = calloc(1, sizeof(*oc));
            if (oc) {
                cmp_result_init(oc);
                oc->pages_compared = res->oracle_pages_compared;
                oc->pages_differ = res->oracle_pages_differ;
                oc->regs_compared = res->oracle_regs_compared;
                for (size_t i = 0; i < res->nexempt; i++)
                    cmp_add_exempt(oc, res->exempt[i].addr, res->exempt[i].len, res->exempt[i].reason);
                report_add_cmp(rep, s->name, oc);
                free(oc);
            }
            fprintf(diag, "  backend oracle: %" PRIu64 " pages compared, %" PRIu64 " differing (each allowed below)\n",
                    res->oracle_pages_compared, res->oracle_pages_differ);
        }
        for (size_t i = 0; i < res->nexempt; i++) {
            fprintf(diag, "  allowed difference 0x%" PRIx64 "+0x%" PRIx64 ": %s\n",
                    res->exempt[i].addr, res->exempt[i].len, res->exempt[i].reason);
        }
        if (res->first_diff.valid)   /* a backend oracle's failing bytes come first */
            report_set_diff(rep, "backend oracle", &res->first_diff);
        st = run_evaluate(o, s, res, run_dir, rep, first, sizeof(first), diag);
    }
    double t2 = hu_now();
    for (size_t i = 0; i < res->nphases; i++) {
        fprintf(diag, "  phase %s: %.3f s\n", res->phases[i].name, res->phases[i].seconds);
        report_add_phase(rep, res->phases[i].name, res->phases[i].seconds);
    }
    if (res->nphases == 0)
        report_add_phase(rep, "backend", t1 - t0);
    fprintf(diag, "  phase harness-verify: %.3f s\n", t2 - t1);
    report_add_phase(rep, "harness-verify", t2 - t1);
    fclose(diag);
    if (dtext && *dtext)
        report_diag(rep, "%s", dtext);
    report_case(rep, s->name, classname, st, first, dtext, t2 - t0);
    free(dtext);
    /* Everything `dumpbench replay` / `regress` need (harness/src/replay.c). */
    struct replay_run_info ri = { s, run_dir, bname, o->golden_dir, have_prof ? fwp : NULL,
                                  prof_override, res, st, first };
    char rerr[600];
    if (replay_record(&ri, rerr, sizeof(rerr)) != 0)
        fprintf(o->err ? o->err : stderr, "dumpbench: %s: run record: %s\n", s->name, rerr);
    free(fwp);
    run_result_clear(res);
    free(res);
    return st;
}

int run_parse_shard(const char *text, unsigned *index, unsigned *count, char *err, size_t errlen)
{
    char *end;
    errno = 0;
    unsigned long i = strtoul(text, &end, 10), n = 0;
    bool ok = end != text && *end == '/' && errno == 0;
    if (ok) {
        const char *p = end + 1;
        n = strtoul(p, &end, 10);
        ok = end != p && *end == '\0' && errno == 0;
    }
    if (!ok || n < 1 || n > 1024 || i < 1 || i > n) {
        snprintf(err, errlen, "bad shard '%s': expected I/N with 1 <= I <= N <= 1024", text);
        return -1;
    }
    *index = (unsigned)i;
    *count = (unsigned)n;
    return 0;
}

bool run_in_shard(size_t rank, unsigned index, unsigned count)
{
    return count == 0 || rank % count == (size_t)(index - 1);
}

static int cmp_scn_name(const void *a, const void *b)
{
    const struct scenario *x = *(const struct scenario *const *)a;
    const struct scenario *y = *(const struct scenario *const *)b;
    return strcmp(x->name, y->name);
}

/*
 * Select this run's scenarios: all, or with --shard I/N those whose rank in
 * the name-sorted list is I-1 modulo N.  The sorted names of the whole set
 * go into the report so `dumpbench merge` can check that the shards cover
 * it exactly once.
 */
static int shard_select(const struct run_opts *o, struct scenario **sc, size_t n, bool *sel,
                        struct report *rep)
{
    struct scenario **sorted = malloc(n * sizeof(*sorted));
    char **all = calloc(n, sizeof(*all));
    if (!sorted || !all) {
        free(sorted);
        free(all);
        return -1;
    }
    memcpy(sorted, sc, n * sizeof(*sorted));
    qsort(sorted, n, sizeof(*sorted), cmp_scn_name);
    for (size_t r = 0; r < n; r++) {
        all[r] = strdup(sorted[r]->name);
        if (!all[r]) {
            for (size_t k = 0; k < r; k++)
                free(all[k]);
            free(all);
            free(sorted);
            return -1;
        }
        if (run_in_shard(r, o->shard_index, o->shard_count))
            for (size_t i = 0; i < n; i++)
                if (sc[i] == sorted[r])
                    sel[i] = true;
    }
    free(sorted);
    rep->all = all;
    rep->nall = n;
    rep->shard_index = o->shard_count ? o->shard_index : 0;
    rep->shard_count = o->shard_count;
    return 0;
}

int run_files(const struct run_opts *o, const char *const *files, size_t nfiles)
{
    FILE *err = o->err ? o->err : stderr;
    FILE *tap = o->tap ? o->tap : stdout;
    if (nfiles == 0) {
        fprintf(err, "dumpbench run: no scenario files\n");
        return 99;
    }
    struct scenario **sc = calloc(nfiles, sizeof(*sc));
    if (!sc) {
        fprintf(err, "dumpbench run: out of memory\n");
        return 99;
    }
    int bad = 0;
    for (size_t i = 0; i < nfiles; i++) {
        struct scn_error e;
        if (scn_parse_file(files[i], &sc[i], &e) < 0) {
            fprintf(err, "%s\n", e.msg);
            bad = 1;
        }
    }
    /* duplicate names would share a run dir and a golden */
    for (size_t i = 0; i < nfiles && !bad; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(sc[i]->name, sc[j]->name) == 0) {
                fprintf(err, "%s:1: scenario name '%s' already used by %s\n", sc[i]->path,
                        sc[i]->name, sc[j]->path);
                bad = 1;
                break;
            }
    int rc = 99;
    bool *sel = calloc(nfiles, sizeof(*sel));
    if (!bad && !sel) {
        fprintf(err, "dumpbench run: out of memory\n");
        bad = 1;
    }
    struct report rep;
    report_init(&rep, tap);
    if (!bad && shard_select(o, sc, nfiles, sel, &rep) < 0) {
        fprintf(err, "dumpbench run: out of memory\n");
        bad = 1;
    }
    if (!bad) {
        const char *root = o->runs_root ? o->runs_root : DEFAULT_RUNS_ROOT;
        if (o->progress > 0 || (o->progress < 0 && isatty(fileno(err)))) {
            rep.progress = err;
            rep.progress_tty = isatty(fileno(err));
        }
        size_t nsel = 0, k = 0;
        for (size_t i = 0; i < nfiles; i++)
            nsel += sel[i];
        if (rep.shard_count)
            report_diag(&rep, "shard %u/%u: %zu of %zu scenarios", rep.shard_index,
                        rep.shard_count, nsel, nfiles);
        for (size_t i = 0; i < nfiles; i++) {
            if (!sel[i])
                continue;
            char dir[4096];
            if (o->run_dir && nfiles == 1)
                snprintf(dir, sizeof(dir), "%s", o->run_dir);
            else
                snprintf(dir, sizeof(dir), "%s/%s", o->run_dir ? o->run_dir : root, sc[i]->name);
            report_progress_start(&rep, ++k, nsel, sc[i]->name);
            enum report_status st = run_scenario(o, sc[i], dir, &rep);
            report_progress_end(&rep, st);
        }
        rc = report_finish(&rep);
        if (o->junit) {
            char jerr[512];
            if (report_write_junit_file(&rep, o->junit, jerr, sizeof(jerr)) < 0) {
                fprintf(err, "dumpbench run: %s\n", jerr);
                rc = 99;
            }
        }
        /* HTML report and result file: explicit paths, else next to the runs */
        char hpath[4096] = "", rpath[4096] = "";
        const char *rdir = o->run_dir ? o->run_dir : root;
        if (o->html)
            snprintf(hpath, sizeof(hpath), "%s", o->html);
        else if (!o->no_default_reports)
            snprintf(hpath, sizeof(hpath), "%s/report.html", rdir);
        if (o->result)
            snprintf(rpath, sizeof(rpath), "%s", o->result);
        else if (!o->no_default_reports)
            snprintf(rpath, sizeof(rpath), "%s/result.json", rdir);
        if ((hpath[0] || rpath[0]) && hu_mkdir_p(rdir) < 0 && !o->html && !o->result) {
            fprintf(err, "dumpbench run: cannot create %s: %s\n", rdir, strerror(errno));
            rc = 99;
            hpath[0] = rpath[0] = '\0';
        }
        char rerr[1024];
        if (hpath[0] && report_write_html_file(&rep, hpath, NULL, rerr, sizeof(rerr)) < 0) {
            fprintf(err, "dumpbench run: %s\n", rerr);
            rc = 99;
        }
        if (rpath[0] && report_write_result_file(&rep, rpath, rerr, sizeof(rerr)) < 0) {
            fprintf(err, "dumpbench run: %s\n", rerr);
            rc = 99;
        }
        if (hpath[0] && tap)
            fprintf(tap, "# html report: %s\n", hpath);
        if (rpath[0] && tap)
            fprintf(tap, "# result file: %s\n", rpath);
    }
    report_free(&rep);
    free(sel);
    for (size_t i = 0; i < nfiles; i++)
        scn_free(sc[i]);
    free(sc);
    return rc;
}
