/*
 * Firmware regression report (contract: <harness/regress.h>).
 *
 * Both sides run through the ordinary runner (run_files), which leaves a
 * run record per scenario (<harness/replay.h>); the report compares the
 * records pairwise with replay_compare and the two resolved profiles with
 * fwp_diff.  A scenario the candidate settings cannot change (a phyp
 * profile on an s390x scenario, --qemu on a sim scenario) is reported
 * "n/a" and not run twice.
 */
#include <harness/regress.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <harness/backend.h>
#include <harness/profile.h>
#include <harness/replay.h>
#include <harness/run.h>
#include <harness/scenario.h>

#include "util.h"

#define DEFAULT_OUT "out/regress"

enum rstate { R_IDENTICAL, R_DIFFERS, R_NA, R_SKIPPED, R_ERROR };

struct entry {
    struct scenario *s;
    const char *file;
    bool applies;               /* the candidate settings can change this scenario */
    char na_why[160];
    enum rstate state;
    int ndiff;
    char ref_verdict[8], cand_verdict[8];
    char profile_diff[1024];    /* "name: fields" or "" */
    char *details;              /* one line per difference */
    char err[600];
};

static const char *state_word(enum rstate s)
{
    switch (s) {
    case R_IDENTICAL: return "identical";
    case R_DIFFERS: return "DIFFERS";
    case R_NA: return "n/a";
    case R_SKIPPED: return "SKIPPED";
    default: return "ERROR";
    }
}

static int run_side(const struct regress_opts *o, const char *const *files, size_t n,
                    const char *root, const char *profile, const char *tapname, char *err,
                    size_t errlen)
{
    if (n == 0)
        return 0;
    if (hu_mkdir_p(root) < 0) {
        snprintf(err, errlen, "cannot create %s: %s", root, strerror(errno));
        return -1;
    }
    char tp[4200];
    snprintf(tp, sizeof(tp), "%s/%s", root, tapname);
    FILE *tap = fopen(tp, "w");
    if (!tap) {
        snprintf(err, errlen, "%s: %s", tp, strerror(errno));
        return -1;
    }
    struct run_opts ro;
    memset(&ro, 0, sizeof(ro));
    ro.backend = o->backend;
    ro.golden_dir = o->golden_dir;
    ro.runs_root = root;
    ro.tap = tap;
    ro.err = stderr;
    ro.no_default_reports = true;
    ro.progress = 0;
    ro.profile = profile;
    ro.profile_dir = o->profile_dir;
    ro.lookup = o->lookup;
    int rc = run_files(&ro, files, n);
    fclose(tap);
    if (rc == 99) {
        /* a scenario-level harness error still leaves records; a parse
         * error does not, which the per-scenario read reports */
    }
    return 0;
}

/* Would the candidate profile change this scenario's firmware? */
static int profile_applies(const struct regress_opts *o, struct entry *e, char *err,
                           size_t errlen)
{
    if (!o->profile)
        return 0;
    struct run_result *res = malloc(sizeof(*res));
    struct fw_profile *fp = malloc(sizeof(*fp));
    if (!res || !fp) {
        free(res);
        free(fp);
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    run_result_init(res);
    struct scenario rs;
    bool have, over;
    int rc = fwp_prepare_run(o->profile, o->profile_dir, e->s, "sim", &rs, res, fp, &have,
                             &over, NULL, err, errlen);
    if (rc == 0 && over)
        e->applies = true;
    else if (rc == 0 && !e->na_why[0])
        snprintf(e->na_why, sizeof(e->na_why), "profile %s does not apply to %s", o->profile,
                 scn_arch_name(e->s->machine.arch));
    free(res);
    free(fp);
    return rc;
}

static void compare_profiles(const char *dref, const char *dcand, struct entry *e)
{
    char pa[4600], pb[4600], er[512];
    snprintf(pa, sizeof(pa), "%s/%s", dref, REPLAY_PROFILE);
    snprintf(pb, sizeof(pb), "%s/%s", dcand, REPLAY_PROFILE);
    struct fw_profile *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
    if (a && b && fwp_parse_file(pa, a, er, sizeof(er)) == 0 &&
        fwp_parse_file(pb, b, er, sizeof(er)) == 0) {
        char d[900];
        int n = fwp_diff(a, b, d, sizeof(d));
        if (n > 0 || strcmp(a->name, b->name) != 0)
            snprintf(e->profile_diff, sizeof(e->profile_diff), "%s -> %s%s%s", a->name, b->name,
                     n ? ": " : " (same fields)", n ? d : "");
    }
    free(a);
    free(b);
}

static void compare_entry(const char *dref, const char *dcand, struct entry *e)
{
    struct run_record *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
    char *text = NULL;
    size_t tl = 0;
    FILE *m = NULL;
    if (!a || !b || !(m = open_memstream(&text, &tl))) {
        snprintf(e->err, sizeof(e->err), "out of memory");
        e->state = R_ERROR;
        goto out;
    }
    if (run_record_read(dref, a, e->err, sizeof(e->err)) != 0 ||
        run_record_read(dcand, b, e->err, sizeof(e->err)) != 0) {
        e->state = R_ERROR;
        goto out;
    }
    snprintf(e->ref_verdict, sizeof(e->ref_verdict), "%s", a->verdict);
    snprintf(e->cand_verdict, sizeof(e->cand_verdict), "%s", b->verdict);
    compare_profiles(dref, dcand, e);
    /* a skipped side (QEMU or guest missing) compares nothing: say so */
    if (!strcmp(a->verdict, "SKIP") || !strcmp(b->verdict, "SKIP")) {
        e->state = R_SKIPPED;
        snprintf(e->err, sizeof(e->err), "%s skipped: %.500s",
                 !strcmp(a->verdict, "SKIP") ? "reference" : "candidate",
                 !strcmp(a->verdict, "SKIP") ? a->first : b->first);
        goto out;
    }
    int nd = replay_compare(a, dref, b, dcand, m, "", e->err, sizeof(e->err));
    if (nd < 0) {
        e->state = R_ERROR;
        goto out;
    }
    e->ndiff = nd;
    e->state = nd ? R_DIFFERS : R_IDENTICAL;
out:
    if (m) {
        fclose(m);
        e->details = text;
    }
    free(a);
    free(b);
}

/* Markdown cell text: no '|' or newlines. */
static void md_text(FILE *f, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", f);
        else if (*s == '\n')
            fputc(' ', f);
        else
            fputc(*s, f);
    }
}

static void write_markdown(FILE *f, const struct regress_opts *o, const char *ref_label,
                           const char *cand_label, struct entry *v, size_t n, size_t naff)
{
    fprintf(f, "# Firmware regression report\n\n");
    fprintf(f, "- reference: %s\n- candidate: %s\n", ref_label, cand_label);
    fprintf(f, "- scenarios: %zu, affected: %zu (SKIPPED rows compared nothing)\n\n", n, naff);
    fprintf(f, "| scenario | arch | reference | candidate | result | differences |\n");
    fprintf(f, "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < n; i++) {
        struct entry *e = &v[i];
        fprintf(f, "| %s | %s | %s | %s | %s | ", e->s->name, scn_arch_name(e->s->machine.arch),
                e->ref_verdict[0] ? e->ref_verdict : "-",
                e->state == R_NA ? "(not run)" : e->cand_verdict[0] ? e->cand_verdict : "-",
                e->state == R_DIFFERS ? "**DIFFERS**" : state_word(e->state));
        if (e->state == R_DIFFERS)
            fprintf(f, "%d", e->ndiff);
        else if (e->state == R_NA)
            md_text(f, e->na_why);
        else if (e->state == R_ERROR || e->state == R_SKIPPED)
            md_text(f, e->err);
        fprintf(f, " |\n");
    }
    if (naff) {
        fprintf(f, "\n## Affected scenarios\n");
        for (size_t i = 0; i < n; i++) {
            struct entry *e = &v[i];
            if (e->state != R_DIFFERS)
                continue;
            fprintf(f, "\n### %s\n\n", e->s->name);
            fprintf(f, "- scenario file: `%s`\n", e->file);
            if (e->profile_diff[0]) {
                fprintf(f, "- firmware profile: ");
                md_text(f, e->profile_diff);
                fputc('\n', f);
            }
            const char *p = e->details ? e->details : "";
            while (*p) {
                size_t l = strcspn(p, "\n");
                fprintf(f, "- %.*s\n", (int)l, p);
                p += l + (p[l] == '\n');
            }
        }
    }
    (void)o;
}

int regress_run(const struct regress_opts *o, const char *const *files, size_t nfiles,
                FILE *out, char *err, size_t errlen)
{
    if (nfiles == 0) {
        snprintf(err, errlen, "no scenario files");
        return 99;
    }
    const char *outdir = o->out_dir ? o->out_dir : DEFAULT_OUT;
    struct entry *v = calloc(nfiles, sizeof(*v));
    const char **cand = calloc(nfiles, sizeof(*cand));
    const char **ref = calloc(nfiles, sizeof(*ref));
    int ret = 99;
    size_t ncand = 0, nref = 0;
    if (!v || !cand || !ref) {
        snprintf(err, errlen, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < nfiles; i++) {
        struct scn_error se;
        v[i].file = files[i];
        if (scn_parse_file(files[i], &v[i].s, &se) < 0) {
            snprintf(err, errlen, "%s", se.msg);
            goto done;
        }
        for (size_t j = 0; j < i; j++)
            if (!strcmp(v[j].s->name, v[i].s->name)) {
                snprintf(err, errlen, "%s:1: scenario name '%s' already used by %s", files[i],
                         v[i].s->name, files[j]);
                goto done;
            }
        const char *bname = o->backend ? o->backend : v[i].s->backend ? v[i].s->backend : "sim";
        if (o->qemu && strcmp(bname, "sim") != 0)
            v[i].applies = true;
        else if (o->qemu && !o->profile)
            snprintf(v[i].na_why, sizeof(v[i].na_why), "--qemu does not affect backend %s",
                     bname);
        if (profile_applies(o, &v[i], err, errlen) < 0)
            goto done;
        if (!o->profile && !o->qemu) {
            snprintf(v[i].na_why, sizeof(v[i].na_why), "no candidate settings");
        }
        if (!o->ref_dir)
            ref[nref++] = files[i];
        if (v[i].applies)
            cand[ncand++] = files[i];
        else
            v[i].state = R_NA;
    }
    char refroot[4200], candroot[4200];
    if (o->ref_dir)
        snprintf(refroot, sizeof(refroot), "%s", o->ref_dir);
    else
        snprintf(refroot, sizeof(refroot), "%s/ref", outdir);
    snprintf(candroot, sizeof(candroot), "%s/cand", outdir);
    if (run_side(o, ref, nref, refroot, NULL, "ref.tap", err, errlen) != 0)
        goto done;
    if (o->before_candidate)
        o->before_candidate(o->ctx);
    if (run_side(o, cand, ncand, candroot, o->profile, "cand.tap", err, errlen) != 0)
        goto done;
    size_t naff = 0, nid = 0, nna = 0, nerr = 0, nskip = 0;
    for (size_t i = 0; i < nfiles; i++) {
        struct entry *e = &v[i];
        char dr[4400], dc[4400];
        snprintf(dr, sizeof(dr), "%s/%s", refroot, e->s->name);
        snprintf(dc, sizeof(dc), "%s/%s", candroot, e->s->name);
        if (e->state == R_NA) {
            struct run_record *a = malloc(sizeof(*a));
            if (a && run_record_read(dr, a, e->err, sizeof(e->err)) == 0)
                snprintf(e->ref_verdict, sizeof(e->ref_verdict), "%s", a->verdict);
            else
                e->state = R_ERROR;
            free(a);
        } else {
            compare_entry(dr, dc, e);
        }
        naff += e->state == R_DIFFERS;
        nid += e->state == R_IDENTICAL;
        nna += e->state == R_NA;
        nerr += e->state == R_ERROR;
        nskip += e->state == R_SKIPPED;
    }
    /* ---- text report ---- */
    char ref_label[4400], cand_label[8400];
    snprintf(ref_label, sizeof(ref_label), "%s (%s)", o->ref_dir ? "stored runs" :
             "each scenario's own profile, default QEMU", refroot);
    snprintf(cand_label, sizeof(cand_label), "%s%s%s%s%s (%s)",
             o->profile ? "--profile " : "", o->profile ? o->profile : "",
             o->profile && o->qemu ? " " : "", o->qemu ? "--qemu " : "", o->qemu ? o->qemu : "",
             candroot);
    fprintf(out, "dumpbench regress\n  reference: %s\n  candidate: %s\n\n", ref_label,
            cand_label);
    fprintf(out, "%-34s %-6s %-5s %-5s %-9s %s\n", "SCENARIO", "ARCH", "REF", "CAND", "RESULT",
            "DIFFERENCES");
    for (size_t i = 0; i < nfiles; i++) {
        struct entry *e = &v[i];
        fprintf(out, "%-34s %-6s %-5s %-5s %-9s ", e->s->name, scn_arch_name(e->s->machine.arch),
                e->ref_verdict[0] ? e->ref_verdict : "-",
                e->state == R_NA ? "-" : e->cand_verdict[0] ? e->cand_verdict : "-",
                state_word(e->state));
        if (e->state == R_DIFFERS)
            fprintf(out, "%d\n", e->ndiff);
        else if (e->state == R_NA)
            fprintf(out, "(%s)\n", e->na_why);
        else if (e->state == R_ERROR || e->state == R_SKIPPED)
            fprintf(out, "%s\n", e->err);
        else
            fputc('\n', out);
    }
    for (size_t i = 0; i < nfiles; i++) {
        struct entry *e = &v[i];
        if (e->state != R_DIFFERS)
            continue;
        fprintf(out, "\n%s (%s):\n", e->s->name, e->file);
        if (e->profile_diff[0])
            fprintf(out, "  firmware profile: %s\n", e->profile_diff);
        const char *p = e->details ? e->details : "";
        while (*p) {
            size_t l = strcspn(p, "\n");
            fprintf(out, "  %.*s\n", (int)l, p);
            p += l + (p[l] == '\n');
        }
    }
    fprintf(out, "\nsummary: %zu scenarios: %zu affected, %zu identical, %zu not applicable, "
            "%zu skipped, %zu errors\n", nfiles, naff, nid, nna, nskip, nerr);
    fprintf(out, "affected:");
    for (size_t i = 0; i < nfiles; i++)
        if (v[i].state == R_DIFFERS)
            fprintf(out, " %s", v[i].s->name);
    fprintf(out, "%s\n", naff ? "" : " none");
    /* ---- markdown ---- */
    char mdp[4200];
    if (o->markdown)
        snprintf(mdp, sizeof(mdp), "%s", o->markdown);
    else
        snprintf(mdp, sizeof(mdp), "%s/regress.md", outdir);
    if (hu_mkdir_p(outdir) < 0) {
        snprintf(err, errlen, "cannot create %s: %s", outdir, strerror(errno));
        goto done;
    }
    FILE *md = fopen(mdp, "w");
    if (!md) {
        snprintf(err, errlen, "%s: %s", mdp, strerror(errno));
        goto done;
    }
    write_markdown(md, o, ref_label, cand_label, v, nfiles, naff);
    if (fclose(md) != 0) {
        snprintf(err, errlen, "%s: write failed", mdp);
        goto done;
    }
    fprintf(out, "markdown report: %s\n", mdp);
    ret = nerr ? 99 : naff ? 1 : 0;
    if (nerr)
        snprintf(err, errlen, "%zu scenario%s could not be compared (see ERROR rows)", nerr,
                 nerr == 1 ? "" : "s");
done:
    if (v)
        for (size_t i = 0; i < nfiles; i++) {
            scn_free(v[i].s);
            free(v[i].details);
        }
    free(v);
    free(cand);
    free(ref);
    return ret;
}
