/*
 * Result file (see <harness/report.h>): a run's report as JSON, and the
 * merge of several (shards) into one report.
 *
 *   { "format": "dumpbench-result", "version": 1,
 *     "shard": { "index": I, "count": N },        (0/0: unsharded)
 *     "all": [ "name", ... ],                     whole scenario set, sorted
 *     "exemptions": [ { "scenario", "addr", "len", "reason", "pages", "pages_differ" } ],
 *     "cases": [ { "name", "classname", "status": "pass|fail|skip|error",
 *                  "message", "diag", "seconds", "run_dir",
 *                  "phases": [ { "name", "seconds" } ],
 *                  "pages_compared", "pages_differ", "pages_missing", "pages_extra",
 *                  "regs_compared",
 *                  "diff": { "expect", "kind", "addr", "field", "base", "mark",
 *                            "expected": "hex", "actual": "hex" } } ] }
 *
 * Addresses are strings "0x..." (64-bit unsigned), counts JSON integers.
 */
#include <harness/report.h>

#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#define RESULT_FORMAT "dumpbench-result"
#define RESULT_VERSION 1

static const char *status_key(enum report_status st)
{
    switch (st) {
    case REPORT_PASS: return "pass";
    case REPORT_FAIL: return "fail";
    case REPORT_SKIP: return "skip";
    case REPORT_ERROR: return "error";
    }
    return "error";
}

static int status_parse(const char *s, enum report_status *st)
{
    static const enum report_status all[] = { REPORT_PASS, REPORT_FAIL, REPORT_SKIP, REPORT_ERROR };
    for (size_t i = 0; i < 4; i++)
        if (s && strcmp(s, status_key(all[i])) == 0) {
            *st = all[i];
            return 0;
        }
    return -1;
}

static json_object *hex64(uint64_t v)
{
    char b[24];
    snprintf(b, sizeof(b), "0x%" PRIx64, v);
    return json_object_new_string(b);
}

static json_object *hexbytes(const uint8_t *p, uint32_t n)
{
    char b[2 * CMP_DIFF_BYTES + 1];
    for (uint32_t i = 0; i < n && i < CMP_DIFF_BYTES; i++)
        snprintf(b + 2 * i, 3, "%02x", p[i]);
    b[2 * (n < CMP_DIFF_BYTES ? n : CMP_DIFF_BYTES)] = '\0';
    return json_object_new_string(b);
}

static void put(json_object *o, const char *k, json_object *v)
{
    json_object_object_add(o, k, v);
}

static json_object *case_json(const struct report_case *c)
{
    json_object *o = json_object_new_object();
    put(o, "name", json_object_new_string(c->name));
    put(o, "classname", json_object_new_string(c->classname));
    put(o, "status", json_object_new_string(status_key(c->status)));
    if (c->msg)
        put(o, "message", json_object_new_string(c->msg));
    if (c->diag)
        put(o, "diag", json_object_new_string(c->diag));
    put(o, "seconds", json_object_new_double(c->seconds));
    put(o, "run_dir", json_object_new_string(c->d.run_dir));
    json_object *ph = json_object_new_array();
    for (size_t i = 0; i < c->d.nphases; i++) {
        json_object *p = json_object_new_object();
        put(p, "name", json_object_new_string(c->d.phases[i].name));
        put(p, "seconds", json_object_new_double(c->d.phases[i].seconds));
        json_object_array_add(ph, p);
    }
    put(o, "phases", ph);
    put(o, "pages_compared", json_object_new_uint64(c->d.pages_compared));
    put(o, "pages_differ", json_object_new_uint64(c->d.pages_differ));
    put(o, "pages_missing", json_object_new_uint64(c->d.pages_missing));
    put(o, "pages_extra", json_object_new_uint64(c->d.pages_extra));
    put(o, "regs_compared", json_object_new_uint64(c->d.regs_compared));
    if (c->d.has_diff) {
        const struct cmp_diff *x = &c->d.diff;
        json_object *d = json_object_new_object();
        put(d, "expect", json_object_new_string(c->d.diff_expect));
        put(d, "kind", json_object_new_string(x->kind));
        put(d, "addr", hex64(x->addr));
        put(d, "field", json_object_new_string(x->field));
        put(d, "base", hex64(x->base));
        put(d, "mark", json_object_new_int((int)x->mark));
        put(d, "expected", hexbytes(x->exp, x->len));
        put(d, "actual", hexbytes(x->act, x->len));
        put(o, "diff", d);
    }
    return o;
}

static json_object *report_json(const struct report *r)
{
    json_object *o = json_object_new_object();
    put(o, "format", json_object_new_string(RESULT_FORMAT));
    put(o, "version", json_object_new_int(RESULT_VERSION));
    json_object *sh = json_object_new_object();
    put(sh, "index", json_object_new_int((int)r->shard_index));
    put(sh, "count", json_object_new_int((int)r->shard_count));
    put(o, "shard", sh);
    json_object *all = json_object_new_array();
    for (size_t i = 0; i < r->nall; i++)
        json_object_array_add(all, json_object_new_string(r->all[i]));
    put(o, "all", all);
    json_object *ex = json_object_new_array();
    for (size_t i = 0; i < r->nexempt; i++) {
        const struct report_exempt *e = &r->exempt[i];
        json_object *x = json_object_new_object();
        put(x, "scenario", json_object_new_string(e->scenario));
        put(x, "addr", hex64(e->addr));
        put(x, "len", hex64(e->len));
        put(x, "reason", json_object_new_string(e->reason));
        put(x, "pages", json_object_new_uint64(e->pages));
        put(x, "pages_differ", json_object_new_uint64(e->pages_differ));
        json_object_array_add(ex, x);
    }
    put(o, "exemptions", ex);
    json_object *cases = json_object_new_array();
    for (size_t i = 0; i < r->ncases; i++)
        json_object_array_add(cases, case_json(&r->cases[i]));
    put(o, "cases", cases);
    return o;
}

int report_write_result_file(const struct report *r, const char *path, char *err, size_t errlen)
{
    char tmp[PATH_MAX];
    if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp)) {
        snprintf(err, errlen, "%s: path too long", path);
        return -1;
    }
    json_object *o = report_json(r);
    if (!o) {
        snprintf(err, errlen, "%s: out of memory", path);
        return -1;
    }
    const char *text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
                                                      JSON_C_TO_STRING_NOSLASHESCAPE);
    FILE *f = text ? fopen(tmp, "w") : NULL;
    if (!f) {
        snprintf(err, errlen, "%s: %s", tmp, text ? strerror(errno) : "out of memory");
        json_object_put(o);
        return -1;
    }
    int rc = fputs(text, f) < 0 || fputc('\n', f) == EOF ? -1 : 0;
    if (fclose(f) != 0)
        rc = -1;
    json_object_put(o);
    if (rc == 0 && rename(tmp, path) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        unlink(tmp);
        return -1;
    }
    if (rc < 0) {
        snprintf(err, errlen, "%s: write error", tmp);
        unlink(tmp);
    }
    return rc;
}

/* ---- reading ------------------------------------------------------------ */

struct rd {
    const char *path;
    char *err;
    size_t errlen;
    int bad;
};

static void rd_err(struct rd *c, const char *fmt, const char *a, const char *b)
{
    if (c->bad)
        return;
    c->bad = 1;
    char m[256];
    snprintf(m, sizeof(m), fmt, a, b);
    snprintf(c->err, c->errlen, "%s: %s", c->path, m);
}

static json_object *field(struct rd *c, json_object *o, const char *where, const char *k,
                          json_type t)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, k, &v) || !json_object_is_type(v, t)) {
        rd_err(c, "%s: field '%s' missing or of the wrong type", where, k);
        return NULL;
    }
    return v;
}

static const char *str_field(struct rd *c, json_object *o, const char *where, const char *k)
{
    json_object *v = field(c, o, where, k, json_type_string);
    return v ? json_object_get_string(v) : "";
}

static const char *opt_str(json_object *o, const char *k)
{
    json_object *v = NULL;
    if (json_object_object_get_ex(o, k, &v) && json_object_is_type(v, json_type_string))
        return json_object_get_string(v);
    return NULL;
}

static uint64_t num_field(struct rd *c, json_object *o, const char *where, const char *k)
{
    json_object *v = field(c, o, where, k, json_type_int);
    return v ? json_object_get_uint64(v) : 0;
}

static double dbl_field(struct rd *c, json_object *o, const char *where, const char *k)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, k, &v) ||
        !(json_object_is_type(v, json_type_double) || json_object_is_type(v, json_type_int))) {
        rd_err(c, "%s: field '%s' missing or not a number", where, k);
        return 0;
    }
    return json_object_get_double(v);
}

static uint64_t hex_field(struct rd *c, json_object *o, const char *where, const char *k)
{
    const char *s = str_field(c, o, where, k);
    if (c->bad)
        return 0;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 16);
    if (strncmp(s, "0x", 2) != 0 || *end != '\0' || errno) {
        rd_err(c, "%s: field '%s' is not a 0x... number", where, k);
        return 0;
    }
    return v;
}

static uint32_t hex_bytes(struct rd *c, json_object *o, const char *where, const char *k,
                          uint8_t *out)
{
    const char *s = str_field(c, o, where, k);
    size_t n = strlen(s);
    if (c->bad)
        return 0;
    if (n % 2 || n / 2 > CMP_DIFF_BYTES) {
        rd_err(c, "%s: field '%s' is not up to 16 hex bytes", where, k);
        return 0;
    }
    for (size_t i = 0; i < n / 2; i++) {
        unsigned v;
        char b[3] = { s[2 * i], s[2 * i + 1], '\0' };
        char *end;
        v = (unsigned)strtoul(b, &end, 16);
        if (*end != '\0' || !((b[0] >= '0' && b[0] <= '9') || (b[0] >= 'a' && b[0] <= 'f'))) {
            rd_err(c, "%s: field '%s' is not hex", where, k);
            return 0;
        }
        out[i] = (uint8_t)v;
    }
    return (uint32_t)(n / 2);
}

static void read_case(struct report *r, struct rd *c, json_object *o, size_t idx)
{
    char where[32];
    snprintf(where, sizeof(where), "case %zu", idx + 1);
    if (!json_object_is_type(o, json_type_object)) {
        rd_err(c, "%s: not an object", where, "");
        return;
    }
    const char *name = str_field(c, o, where, "name");
    const char *cls = str_field(c, o, where, "classname");
    enum report_status st = REPORT_ERROR;
    if (!c->bad && status_parse(str_field(c, o, where, "status"), &st) < 0)
        rd_err(c, "%s: unknown status '%s'", where, opt_str(o, "status"));
    double secs = dbl_field(c, o, where, "seconds");
    memset(&r->pending, 0, sizeof(r->pending));
    report_set_run_dir(r, opt_str(o, "run_dir"));
    json_object *ph = field(c, o, where, "phases", json_type_array);
    for (size_t i = 0; ph && !c->bad && i < json_object_array_length(ph); i++) {
        json_object *p = json_object_array_get_idx(ph, i);
        if (!json_object_is_type(p, json_type_object)) {
            rd_err(c, "%s: phase entry not an object", where, "");
            break;
        }
        const char *pn = str_field(c, p, where, "name");
        double ps = dbl_field(c, p, where, "seconds");
        if (!c->bad)
            report_add_phase(r, pn, ps);
    }
    struct report_detail *d = &r->pending;
    d->pages_compared = num_field(c, o, where, "pages_compared");
    d->pages_differ = num_field(c, o, where, "pages_differ");
    d->pages_missing = num_field(c, o, where, "pages_missing");
    d->pages_extra = num_field(c, o, where, "pages_extra");
    d->regs_compared = num_field(c, o, where, "regs_compared");
    json_object *df = NULL;
    if (json_object_object_get_ex(o, "diff", &df) && !c->bad) {
        struct cmp_diff x;
        memset(&x, 0, sizeof(x));
        x.valid = true;
        snprintf(x.kind, sizeof(x.kind), "%s", str_field(c, df, where, "kind"));
        snprintf(x.field, sizeof(x.field), "%s", str_field(c, df, where, "field"));
        x.addr = hex_field(c, df, where, "addr");
        x.base = hex_field(c, df, where, "base");
        x.mark = (uint32_t)num_field(c, df, where, "mark");
        uint32_t ne = hex_bytes(c, df, where, "expected", x.exp);
        uint32_t na = hex_bytes(c, df, where, "actual", x.act);
        if (!c->bad && ne != na)
            rd_err(c, "%s: diff expected/actual lengths differ", where, "");
        x.len = ne;
        if (!c->bad)
            report_set_diff(r, str_field(c, df, where, "expect"), &x);
    }
    if (c->bad) {
        memset(&r->pending, 0, sizeof(r->pending));
        return;
    }
    r->pages_compared += d->pages_compared;
    r->pages_differ += d->pages_differ;
    r->pages_missing += d->pages_missing;
    r->pages_extra += d->pages_extra;
    r->regs_compared += d->regs_compared;
    if (report_case(r, name, cls, st, opt_str(o, "message"), opt_str(o, "diag"), secs) < 0)
        rd_err(c, "%s: out of memory", where, "");
}

static int read_exemptions(struct report *r, struct rd *c, json_object *ex)
{
    size_t n = json_object_array_length(ex);
    if (!n)
        return 0;
    struct report_exempt *ne = realloc(r->exempt, (r->nexempt + n) * sizeof(*ne));
    if (!ne) {
        rd_err(c, "out of memory", "", "");
        return -1;
    }
    r->exempt = ne;
    for (size_t i = 0; i < n && !c->bad; i++) {
        json_object *x = json_object_array_get_idx(ex, i);
        if (!json_object_is_type(x, json_type_object)) {
            rd_err(c, "exemption entry not an object", "", "");
            break;
        }
        struct report_exempt e;
        memset(&e, 0, sizeof(e));
        snprintf(e.scenario, sizeof(e.scenario), "%s", str_field(c, x, "exemption", "scenario"));
        e.addr = hex_field(c, x, "exemption", "addr");
        e.len = hex_field(c, x, "exemption", "len");
        snprintf(e.reason, sizeof(e.reason), "%s", str_field(c, x, "exemption", "reason"));
        e.pages = num_field(c, x, "exemption", "pages");
        e.pages_differ = num_field(c, x, "exemption", "pages_differ");
        if (!c->bad)
            r->exempt[r->nexempt++] = e;
    }
    return c->bad ? -1 : 0;
}

/* Parse and check the header; returns the root object (caller puts it) or NULL. */
static json_object *load(struct rd *c)
{
    json_object *root = json_object_from_file(c->path);
    if (!root) {
        char why[200];
        snprintf(why, sizeof(why), "%s", json_util_get_last_err() ? json_util_get_last_err() : "?");
        why[strcspn(why, "\n")] = '\0';
        rd_err(c, "cannot read or parse as JSON (%s)", why, "");
        return NULL;
    }
    if (!json_object_is_type(root, json_type_object) ||
        strcmp(str_field(c, root, "result", "format"), RESULT_FORMAT) != 0) {
        rd_err(c, "not a dumpbench result file (format is not '%s')", RESULT_FORMAT, "");
        json_object_put(root);
        return NULL;
    }
    json_object *v = field(c, root, "result", "version", json_type_int);
    if (v && json_object_get_int(v) != RESULT_VERSION) {
        char b[16];
        snprintf(b, sizeof(b), "%d", json_object_get_int(v));
        rd_err(c, "unsupported version %s (this dumpbench reads %s)", b, "1");
    }
    if (c->bad) {
        json_object_put(root);
        return NULL;
    }
    return root;
}

int report_read_result_file(struct report *r, const char *path, char *err, size_t errlen)
{
    struct rd c = { path, err, errlen, 0 };
    json_object *root = load(&c);
    if (!root)
        return -1;
    json_object *ex = field(&c, root, "result", "exemptions", json_type_array);
    json_object *cases = field(&c, root, "result", "cases", json_type_array);
    if (ex)
        read_exemptions(r, &c, ex);
    for (size_t i = 0; cases && !c.bad && i < json_object_array_length(cases); i++)
        read_case(r, &c, json_object_array_get_idx(cases, i), i);
    json_object_put(root);
    return c.bad ? -1 : 0;
}

/* ---- merge ----------------------------------------------------------------- */

struct shard_info {
    unsigned index, count;
    size_t nall;
    char **all;
    size_t ncases;
    char **cases;
};

static void shard_info_free(struct shard_info *s)
{
    for (size_t i = 0; i < s->nall; i++)
        free(s->all[i]);
    for (size_t i = 0; i < s->ncases; i++)
        free(s->cases[i]);
    free(s->all);
    free(s->cases);
    memset(s, 0, sizeof(*s));
}

static int str_list(struct rd *c, json_object *a, const char *what, char ***out, size_t *n)
{
    size_t len = json_object_array_length(a);
    *out = calloc(len + 1, sizeof(char *));
    *n = 0;
    if (!*out) {
        rd_err(c, "out of memory", "", "");
        return -1;
    }
    for (size_t i = 0; i < len; i++) {
        json_object *v = json_object_array_get_idx(a, i);
        const char *s = NULL;
        if (json_object_is_type(v, json_type_string))
            s = json_object_get_string(v);
        else if (json_object_is_type(v, json_type_object))
            s = opt_str(v, "name");
        if (!s) {
            rd_err(c, "%s: entry is not a name", what, "");
            return -1;
        }
        if (!((*out)[(*n)] = strdup(s))) {
            rd_err(c, "out of memory", "", "");
            return -1;
        }
        (*n)++;
    }
    return 0;
}

static int shard_info_read(const char *path, struct shard_info *si, char *err, size_t errlen)
{
    struct rd c = { path, err, errlen, 0 };
    memset(si, 0, sizeof(*si));
    json_object *root = load(&c);
    if (!root)
        return -1;
    json_object *sh = field(&c, root, "result", "shard", json_type_object);
    if (sh) {
        si->index = (unsigned)num_field(&c, sh, "shard", "index");
        si->count = (unsigned)num_field(&c, sh, "shard", "count");
    }
    json_object *all = field(&c, root, "result", "all", json_type_array);
    json_object *cases = field(&c, root, "result", "cases", json_type_array);
    if (all && !c.bad)
        str_list(&c, all, "all", &si->all, &si->nall);
    if (cases && !c.bad)
        str_list(&c, cases, "cases", &si->cases, &si->ncases);
    json_object_put(root);
    if (c.bad)
        shard_info_free(si);
    return c.bad ? -1 : 0;
}

int report_merge_files(struct report *r, const char *const *paths, size_t n, char *err,
                       size_t errlen)
{
    if (n == 0) {
        snprintf(err, errlen, "no result files");
        return -1;
    }
    struct shard_info *si = calloc(n, sizeof(*si));
    if (!si) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++)
        rc = shard_info_read(paths[i], &si[i], err, errlen);
    /* one scenario set, one shard count, every index once */
    for (size_t i = 1; i < n && rc == 0; i++) {
        bool same = si[i].nall == si[0].nall && si[i].count == si[0].count;
        for (size_t k = 0; same && k < si[0].nall; k++)
            same = strcmp(si[i].all[k], si[0].all[k]) == 0;
        if (!same) {
            snprintf(err, errlen, "%s: shard %u/%u of %zu scenarios does not belong with %s "
                     "(shard %u/%u of %zu scenarios): run every shard on the same file list",
                     paths[i], si[i].index, si[i].count, si[i].nall, paths[0], si[0].index,
                     si[0].count, si[0].nall);
            rc = -1;
        }
        for (size_t k = 0; rc == 0 && k < i; k++)
            if (si[k].index == si[i].index) {
                snprintf(err, errlen, "%s: shard %u/%u given twice (also %s)", paths[i],
                         si[i].index, si[i].count, paths[k]);
                rc = -1;
            }
    }
    /* every scenario of the set in exactly one file */
    for (size_t k = 0; rc == 0 && k < si[0].nall; k++) {
        const char *name = si[0].all[k];
        size_t seen = 0, where = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; j < si[i].ncases; j++)
                if (strcmp(si[i].cases[j], name) == 0) {
                    if (!seen)
                        where = i;
                    seen++;
                }
        if (seen == 0) {
            unsigned want = si[0].count ? (unsigned)(k % si[0].count) + 1 : 0;
            snprintf(err, errlen, "scenario %s has no result: shard %u/%u missing from the merge",
                     name, want, si[0].count);
            rc = -1;
        } else if (seen > 1) {
            snprintf(err, errlen, "scenario %s has %zu results (first in %s)", name, seen,
                     paths[where]);
            rc = -1;
        }
    }
    for (size_t i = 0; rc == 0 && i < n; i++)
        for (size_t j = 0; j < si[i].ncases && rc == 0; j++) {
            bool known = false;
            for (size_t k = 0; k < si[0].nall && !known; k++)
                known = strcmp(si[0].all[k], si[i].cases[j]) == 0;
            if (!known) {
                snprintf(err, errlen, "%s: scenario %s is not in the file's own scenario set",
                         paths[i], si[i].cases[j]);
                rc = -1;
            }
        }
    if (rc == 0) {
        /* the merged report covers the whole set */
        r->all = si[0].all;
        r->nall = si[0].nall;
        si[0].all = NULL;
        si[0].nall = 0;
        r->shard_index = r->shard_count = 0;
    }
    for (size_t i = 0; i < n; i++)
        shard_info_free(&si[i]);
    free(si);
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = report_read_result_file(r, paths[i], err, errlen);
    return rc;
}
