/*
 * Test reports: TAP version 13 on a stream as cases complete, summary
 * totals at the end, and JUnit XML.
 *
 *   TAP version 13
 *   # diagnostics ...
 *   ok 1 - NAME
 *   not ok 2 - NAME # first difference ...
 *   ok 3 - NAME # SKIP reason
 *   1..3
 *   # summary: ...
 */
#ifndef HARNESS_REPORT_H
#define HARNESS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <harness/compare.h>

enum report_status {
    REPORT_PASS = 0,
    REPORT_FAIL,
    REPORT_SKIP,
    REPORT_ERROR,      /* harness/backend error, not a verdict (exit 99) */
};

struct report_phase {
    char name[24];
    double seconds;
};

#define REPORT_CASE_PHASES 16

/*
 * Per-case detail for the HTML report and the result file.  Filled for the
 * case being run (struct report.pending: report_add_cmp, report_add_phase,
 * report_set_diff, report_set_run_dir) and moved into the case by
 * report_case().
 */
struct report_detail {
    char run_dir[512];         /* "" if none */
    size_t nphases;
    struct report_phase phases[REPORT_CASE_PHASES];
    uint64_t pages_compared, pages_differ, pages_missing, pages_extra;
    uint64_t regs_compared;
    bool has_diff;
    char diff_expect[48];      /* expectation that failed with it, e.g. "golden (line 12)" */
    struct cmp_diff diff;      /* first differing bytes */
};

struct report_case {
    char *name;
    char *classname;   /* e.g. "dumpbench.sim" */
    enum report_status status;
    char *msg;         /* first difference / skip reason / error, or NULL */
    char *diag;        /* multi-line diagnostics (also in JUnit system-out), or NULL */
    double seconds;
    struct report_detail d;
};

struct report_exempt {
    char scenario[64];
    uint64_t addr, len;
    char reason[96];
    uint64_t pages, pages_differ;
};

struct report {
    FILE *tap;                 /* may be NULL: collect only */
    bool started;
    size_t ncases;
    struct report_case *cases;
    uint64_t pages_compared, pages_differ, pages_missing, pages_extra;
    uint64_t regs_compared;
    size_t nexempt;
    struct report_exempt *exempt;
    size_t nphases;
    struct report_phase phases[32];
    struct report_detail pending;   /* detail of the case being run */
    /* progress line ("[i/n] NAME PHASE 12.3 s") on `progress`, NULL = off;
     * progress_tty: rewrite one line in place instead of one line per update */
    FILE *progress;
    bool progress_tty;
    size_t prog_i, prog_n;
    double prog_t0;
    char prog_name[64];
    /* shard this report covers (1-based index of count); 0/0 = unsharded */
    unsigned shard_index, shard_count;
    size_t nall;                    /* scenarios in the whole (unsharded) set */
    char **all;                     /* their names (sorted), owned */
};

void report_init(struct report *r, FILE *tap);
void report_free(struct report *r);

/* "# ..." lines (each line of the formatted text gets its own "# "). */
void report_diag(struct report *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Record a case and print its TAP line.  Returns its 1-based number, or -1 (no memory). */
int report_case(struct report *r, const char *name, const char *classname,
                enum report_status st, const char *msg, const char *diag, double seconds);

/* Accumulate comparison counters and exemptions (scenario names the owner). */
void report_add_cmp(struct report *r, const char *scenario, const struct cmp_result *c);
void report_add_phase(struct report *r, const char *name, double seconds);

/*
 * Print the plan and the summary lines.  Returns the exit code:
 * 99 any harness error, 1 any failure, 77 all skipped (or none run), 0 all passed.
 */
int report_finish(struct report *r);

/* Per-case detail for the case being run (see struct report_detail). */
void report_set_run_dir(struct report *r, const char *run_dir);
/* Record the first difference; only the first call per case is kept. */
void report_set_diff(struct report *r, const char *expect, const struct cmp_diff *d);

/* Progress: scenario i (1-based) of n starts; a phase ended; the case ended. */
void report_progress_start(struct report *r, size_t i, size_t n, const char *name);
void report_progress_phase(struct report *r, const char *phase);
void report_progress_end(struct report *r, enum report_status st);
const char *report_status_name(enum report_status st);  /* "PASS", "FAIL", "SKIP", "ERROR" */

/* JUnit XML. */
int report_write_junit(const struct report *r, FILE *f);
int report_write_junit_file(const struct report *r, const char *path, char *err, size_t errlen);

/* XML-escape text (&<>"' and control characters) to f. */
void report_xml_escape(FILE *f, const char *s);

/*
 * HTML report (harness/src/report_html.c): one self-contained page, no
 * scripts, no external assets.  One row per case: verdict, phase timeline
 * (inline SVG), pages/registers compared, exemptions, the first differing
 * bytes side by side with their field name, links to the run directory's
 * logs (relative to the page) and to the coverage report when present.
 */
struct report_html_opts {
    const char *title;         /* NULL = "dumpbench run" */
    const char *coverage;      /* coverage index.html to link, or NULL (auto: build-cov/html/index.html) */
};
int report_write_html(const struct report *r, FILE *f, const char *html_path,
                      const struct report_html_opts *o);
/* Written to PATH.tmp then renamed. */
int report_write_html_file(const struct report *r, const char *path,
                           const struct report_html_opts *o, char *err, size_t errlen);
/* HTML-escape text to f (&<>"' ; control characters other than \n\t as U+FFFD). */
void report_html_escape(FILE *f, const char *s);

/*
 * x86_64 kdump oracle failure as a first-difference record
 * (harness/src/report_qemu.c): the page named in out->fail read back from
 * the vmcore and the truth snapshot (or the post-capture dump), field =
 * the oracle's attribution (kernel symbol, vCPU stack).  0, or -1 when the
 * failure names no page or the files cannot be read.
 */
struct qemu_oracle_in;
struct qemu_oracle_out;
int report_qemu_first_diff(const struct qemu_oracle_in *in, const struct qemu_oracle_out *out,
                           struct cmp_diff *d);

/*
 * Result file (harness/src/report_json.c): the whole report as JSON
 * ("dumpbench-result" version 1) so shards can be merged.
 */
int report_write_result_file(const struct report *r, const char *path, char *err, size_t errlen);
/* Append the cases of a result file to r (replays their TAP lines). */
int report_read_result_file(struct report *r, const char *path, char *err, size_t errlen);
/*
 * Merge result files into r: they must be shards of one scenario set (same
 * sorted name list, same shard count, each index once) that together hold
 * every scenario exactly once; otherwise -1 with a message naming the file
 * or the missing shard, and r gets no cases.
 */
int report_merge_files(struct report *r, const char *const *paths, size_t n, char *err,
                       size_t errlen);

#endif /* HARNESS_REPORT_H */
