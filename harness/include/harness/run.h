/*
 * The scenario runner behind `dumpbench run`: parse every file, run each
 * scenario on its backend in its own run directory, evaluate every
 * `expect` item against the run_result (and the golden store), and report
 * TAP on o->tap plus optional JUnit XML.
 */
#ifndef HARNESS_RUN_H
#define HARNESS_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <harness/backend.h>
#include <harness/report.h>
#include <harness/scenario.h>

/* Find a backend; NULL with `why` ("backend sim not built", "unknown backend 'x'"). */
typedef backend_run_fn (*backend_lookup_fn)(const char *name, char *why, size_t whylen);

/* The built-in table: sim (when libsim is linked), qemu (not built yet). */
backend_run_fn backend_lookup(const char *name, char *why, size_t whylen);

struct run_opts {
    const char *backend;       /* override the scenario's `backend`, or NULL */
    const char *golden_dir;    /* NULL = "scenarios/golden" */
    bool update_golden;        /* the only way goldens are written */
    const char *junit;         /* JUnit XML path, or NULL */
    const char *run_dir;       /* NULL = RUNS_ROOT/NAME; with several files DIR/NAME */
    const char *runs_root;     /* NULL = "out/runs" */
    FILE *tap;                 /* NULL = stdout */
    FILE *err;                 /* harness error messages; NULL = stderr */
    backend_lookup_fn lookup;  /* NULL = backend_lookup */
    /* Reports besides TAP (harness/src/report_html.c, report_json.c).  By
     * default both are written next to the run directories: RUNS/report.html
     * and RUNS/result.json (RUNS = run_dir when given, else runs_root). */
    const char *html;          /* HTML report path, NULL = default */
    const char *result;        /* JSON result file path, NULL = default */
    bool no_default_reports;   /* write only the reports named explicitly */
    int progress;              /* progress line on `err`: 1 on, 0 off, -1 auto (when err is a tty) */
    /* --shard I/N: run only the scenarios whose rank in the name-sorted list
     * of all given scenarios is congruent to I-1 modulo N (0 = unsharded). */
    unsigned shard_index, shard_count;
    /* Firmware profile (harness/src/profile.c): --profile NAME|PATH overrides
     * every scenario's `machine profile=` for its arch (NULL = keep);
     * profile_dir holds ARCH/NAME.profile (NULL = "scenarios/profiles"). */
    const char *profile;
    const char *profile_dir;
};

/* Parse "I/N" (1 <= I <= N <= 1024); -1 with a message on bad input. */
int run_parse_shard(const char *text, unsigned *index, unsigned *count, char *err, size_t errlen);
/* True when the scenario of rank `rank` (0-based, name order) is in shard I/N. */
bool run_in_shard(size_t rank, unsigned index, unsigned count);

/* Exit code: 0 all passed, 1 some failed, 77 all skipped, 99 harness error. */
int run_files(const struct run_opts *o, const char *const *files, size_t nfiles);

/*
 * Run one parsed scenario into `run_dir` (created) and record its case in
 * `rep` (TAP line + diagnostics).  Returns the case status.
 */
enum report_status run_scenario(const struct run_opts *o, const struct scenario *s,
                                const char *run_dir, struct report *rep);

/*
 * Evaluate the scenario's expectations against a finished run.  `first`
 * gets the first failure ("pages-equal (line 12): page 0x... byte ..."),
 * `diag` one line per expectation.  Returns REPORT_PASS or REPORT_FAIL.
 */
enum report_status run_evaluate(const struct run_opts *o, const struct scenario *s,
                                const struct run_result *res, const char *run_dir,
                                struct report *rep, char *first, size_t firstlen,
                                FILE *diag);

#endif /* HARNESS_RUN_H */
