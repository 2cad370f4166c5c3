/*
 * TAP 13 and JUnit XML reports (see <harness/report.h>).
 */
#include <harness/report.h>

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void report_init(struct report *r, FILE *tap)
{
    memset(r, 0, sizeof(*r));
    r->tap = tap;
}

void report_free(struct report *r)
{
    for (size_t i = 0; i < r->ncases; i++) {
        free(r->cases[i].name);
        free(r->cases[i].classname);
        free(r->cases[i].msg);
        free(r->cases[i].diag);
    }
    free(r->cases);
    free(r->exempt);
    for (size_t i = 0; i < r->nall; i++)
        free(r->all[i]);
    free(r->all);
    memset(r, 0, sizeof(*r));
}

/* A progress line being rewritten in place on a tty: clear it before other output. */
static void progress_clear(struct report *r)
{
    if (r->progress && r->progress_tty && r->prog_n) {
        fputs("\r\033[K", r->progress);
        fflush(r->progress);
    }
}

static void start(struct report *r)
{
    progress_clear(r);
    if (!r->started && r->tap)
        fprintf(r->tap, "TAP version 13\n");
    r->started = true;
}

static void diag_text(FILE *f, const char *text)
{
    const char *p = text;
    while (*p) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) : strlen(p);
        fprintf(f, "# %.*s\n", (int)n, p);
        p += n + (nl ? 1 : 0);
    }
}

void report_diag(struct report *r, const char *fmt, ...)
{
    start(r);
    if (!r->tap)
        return;
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    diag_text(r->tap, buf);
}

/* TAP description/comment text: one line, '#' escaped in the description. */
static void tap_text(FILE *f, const char *s, bool escape_hash)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\n' || c == '\r' || c == '\t')
            fputc(' ', f);
        else if (c < 0x20 || c == 0x7f)
            fputc('?', f);
        else if (escape_hash && (c == '#' || c == '\\'))
            fprintf(f, "\\%c", c);
        else
            fputc(c, f);
    }
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

int report_case(struct report *r, const char *name, const char *classname,
                enum report_status st, const char *msg, const char *diag, double seconds)
{
    start(r);
    struct report_case *nc = realloc(r->cases, (r->ncases + 1) * sizeof(*nc));
    if (!nc)
        return -1;
    r->cases = nc;
    struct report_case *c = &r->cases[r->ncases];
    memset(c, 0, sizeof(*c));
    c->name = strdup(name ? name : "?");
    c->classname = strdup(classname ? classname : "dumpbench");
    c->msg = dup_or_null(msg && *msg ? msg : NULL);
    c->diag = dup_or_null(diag && *diag ? diag : NULL);
    c->status = st;
    c->seconds = seconds;
    c->d = r->pending;
    memset(&r->pending, 0, sizeof(r->pending));
    if (!c->name || !c->classname) {
        free(c->name);
        free(c->classname);
        free(c->msg);
        free(c->diag);
        return -1;
    }
    r->ncases++;
    int num = (int)r->ncases;
    if (r->tap) {
        FILE *f = r->tap;
        fprintf(f, "%s %d - ", st == REPORT_PASS || st == REPORT_SKIP ? "ok" : "not ok", num);
        tap_text(f, c->name, true);
        if (st == REPORT_SKIP) {
            fputs(" # SKIP", f);
            if (c->msg) {
                fputc(' ', f);
                tap_text(f, c->msg, false);
            }
        } else if (st == REPORT_FAIL && c->msg) {
            fputs(" # ", f);
            tap_text(f, c->msg, false);
        } else if (st == REPORT_ERROR) {
            fputs(" # harness error: ", f);
            tap_text(f, c->msg ? c->msg : "unknown", false);
        }
        fputc('\n', f);
        fflush(f);
    }
    return num;
}

void report_add_cmp(struct report *r, const char *scenario, const struct cmp_result *c)
{
    r->pages_compared += c->pages_compared;
    r->pages_differ += c->pages_differ;
    r->pages_missing += c->pages_missing;
    r->pages_extra += c->pages_extra;
    r->regs_compared += c->regs_compared;
    r->pending.pages_compared += c->pages_compared;
    r->pending.pages_differ += c->pages_differ;
    r->pending.pages_missing += c->pages_missing;
    r->pending.pages_extra += c->pages_extra;
    r->pending.regs_compared += c->regs_compared;
    if (!c->nexempt)
        return;
    struct report_exempt *ne = realloc(r->exempt, (r->nexempt + c->nexempt) * sizeof(*ne));
    if (!ne)
        return;
    r->exempt = ne;
    for (size_t i = 0; i < c->nexempt; i++) {
        struct report_exempt *e = &r->exempt[r->nexempt++];
        snprintf(e->scenario, sizeof(e->scenario), "%s", scenario ? scenario : "");
        e->addr = c->exempt[i].addr;
        e->len = c->exempt[i].len;
        snprintf(e->reason, sizeof(e->reason), "%s", c->exempt[i].reason);
        e->pages = c->exempt[i].pages;
        e->pages_differ = c->exempt[i].pages_differ;
    }
}

void report_add_phase(struct report *r, const char *name, double seconds)
{
    struct report_detail *d = &r->pending;
    if (d->nphases < REPORT_CASE_PHASES) {
        snprintf(d->phases[d->nphases].name, sizeof(d->phases[0].name), "%s", name);
        d->phases[d->nphases].seconds = seconds;
        d->nphases++;
    }
    for (size_t i = 0; i < r->nphases; i++) {
        if (strcmp(r->phases[i].name, name) == 0) {
            r->phases[i].seconds += seconds;
            return;
        }
    }
    if (r->nphases >= sizeof(r->phases) / sizeof(r->phases[0]))
        return;
    snprintf(r->phases[r->nphases].name, sizeof(r->phases[0].name), "%s", name);
    r->phases[r->nphases].seconds = seconds;
    r->nphases++;
}

void report_set_run_dir(struct report *r, const char *run_dir)
{
    snprintf(r->pending.run_dir, sizeof(r->pending.run_dir), "%s", run_dir ? run_dir : "");
}

void report_set_diff(struct report *r, const char *expect, const struct cmp_diff *d)
{
    if (r->pending.has_diff || !d || !d->valid)
        return;
    r->pending.has_diff = true;
    r->pending.diff = *d;
    snprintf(r->pending.diff_expect, sizeof(r->pending.diff_expect), "%s", expect ? expect : "");
}

const char *report_status_name(enum report_status st)
{
    switch (st) {
    case REPORT_PASS: return "PASS";
    case REPORT_FAIL: return "FAIL";
    case REPORT_SKIP: return "SKIP";
    case REPORT_ERROR: return "ERROR";
    }
    return "?";
}

static double mono_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void progress_line(struct report *r, const char *what)
{
    if (!r->progress)
        return;
    FILE *f = r->progress;
    if (r->progress_tty)
        fputs("\r\033[K", f);
    fprintf(f, "[%zu/%zu] ", r->prog_i, r->prog_n);
    tap_text(f, r->prog_name, false);
    fprintf(f, " %s %.1f s", what, mono_now() - r->prog_t0);
    if (!r->progress_tty)
        fputc('\n', f);
    fflush(f);
}

void report_progress_start(struct report *r, size_t i, size_t n, const char *name)
{
    r->prog_i = i;
    r->prog_n = n;
    r->prog_t0 = mono_now();
    snprintf(r->prog_name, sizeof(r->prog_name), "%s", name ? name : "?");
    progress_line(r, "start");
}

void report_progress_phase(struct report *r, const char *phase)
{
    char what[64];
    snprintf(what, sizeof(what), "%s done", phase ? phase : "?");
    progress_line(r, what);
}

void report_progress_end(struct report *r, enum report_status st)
{
    progress_line(r, report_status_name(st));
    /* on a tty the last case's line stays; end it before the summary */
    if (r->progress && r->progress_tty && r->prog_i == r->prog_n) {
        fputc('\n', r->progress);
        fflush(r->progress);
    }
}

int report_finish(struct report *r)
{
    start(r);
    size_t pass = 0, fail = 0, skip = 0, err = 0;
    for (size_t i = 0; i < r->ncases; i++) {
        switch (r->cases[i].status) {
        case REPORT_PASS: pass++; break;
        case REPORT_FAIL: fail++; break;
        case REPORT_SKIP: skip++; break;
        case REPORT_ERROR: err++; break;
        }
    }
    if (r->tap) {
        FILE *f = r->tap;
        fprintf(f, "1..%zu\n", r->ncases);
        fprintf(f, "# summary: %zu scenarios, %zu passed, %zu failed, %zu skipped, %zu errors\n",
                r->ncases, pass, fail, skip, err);
        fprintf(f, "# pages compared: %" PRIu64 ", differing: %" PRIu64 ", missing: %" PRIu64
                ", extra: %" PRIu64 "\n", r->pages_compared, r->pages_differ, r->pages_missing,
                r->pages_extra);
        fprintf(f, "# registers compared: %" PRIu64 "\n", r->regs_compared);
        for (size_t i = 0; i < r->nexempt; i++) {
            const struct report_exempt *e = &r->exempt[i];
            fprintf(f, "# exemption [%s] 0x%" PRIx64 "+0x%" PRIx64 " (", e->scenario, e->addr, e->len);
            tap_text(f, e->reason, false);
            fprintf(f, "): %" PRIu64 " pages, %" PRIu64 " differ\n", e->pages, e->pages_differ);
        }
        for (size_t i = 0; i < r->nphases; i++)
            fprintf(f, "# phase %s: %.3f s\n", r->phases[i].name, r->phases[i].seconds);
        fflush(f);
    }
    if (err)
        return 99;
    if (fail)
        return 1;
    if (pass == 0)
        return 77;
    return 0;
}

void report_xml_escape(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        case '\n': case '\r': case '\t': fputc(*p, f); break;
        default:
            /* XML 1.0 forbids other C0 controls even as references */
            fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, f);
        }
    }
}

int report_write_junit(const struct report *r, FILE *f)
{
    size_t fail = 0, skip = 0, err = 0;
    double total = 0;
    for (size_t i = 0; i < r->ncases; i++) {
        fail += r->cases[i].status == REPORT_FAIL;
        skip += r->cases[i].status == REPORT_SKIP;
        err += r->cases[i].status == REPORT_ERROR;
        total += r->cases[i].seconds;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    fprintf(f, "<testsuites tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
            r->ncases, fail, err, skip, total);
    fprintf(f, "  <testsuite name=\"dumpbench\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
            r->ncases, fail, err, skip, total);
    for (size_t i = 0; i < r->ncases; i++) {
        const struct report_case *c = &r->cases[i];
        fputs("    <testcase classname=\"", f);
        report_xml_escape(f, c->classname);
        fputs("\" name=\"", f);
        report_xml_escape(f, c->name);
        fprintf(f, "\" time=\"%.3f\"", c->seconds);
        if (c->status == REPORT_PASS && !c->diag) {
            fputs("/>\n", f);
            continue;
        }
        fputs(">\n", f);
        const char *tag = c->status == REPORT_FAIL ? "failure" :
                          c->status == REPORT_ERROR ? "error" :
                          c->status == REPORT_SKIP ? "skipped" : NULL;
        if (tag) {
            fprintf(f, "      <%s message=\"", tag);
            report_xml_escape(f, c->msg ? c->msg : "");
            if (c->status == REPORT_SKIP || !c->diag) {
                fputs("\"/>\n", f);
            } else {
                fputs("\">", f);
                report_xml_escape(f, c->diag);
                fprintf(f, "</%s>\n", tag);
            }
        }
        if (c->diag) {
            fputs("      <system-out>", f);
            report_xml_escape(f, c->diag);
            fputs("</system-out>\n", f);
        }
        fputs("    </testcase>\n", f);
    }
    fputs("  </testsuite>\n</testsuites>\n", f);
    return ferror(f) ? -1 : 0;
}

int report_write_junit_file(const struct report *r, const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    int rc = report_write_junit(r, f);
    if (fclose(f) != 0)
        rc = -1;
    if (rc < 0)
        snprintf(err, errlen, "%s: write error", path);
    return rc;
}
