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

struct report_case {
    char *name;
    char *classname;   /* e.g. "dumpbench.sim" */
    enum report_status status;
    char *msg;         /* first difference / skip reason / error, or NULL */
    char *diag;        /* multi-line diagnostics (also in JUnit system-out), or NULL */
    double seconds;
};

struct report_exempt {
    char scenario[64];
    uint64_t addr, len;
    char reason[96];
    uint64_t pages, pages_differ;
};

struct report_phase {
    char name[24];
    double seconds;
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

/* JUnit XML. */
int report_write_junit(const struct report *r, FILE *f);
int report_write_junit_file(const struct report *r, const char *path, char *err, size_t errlen);

/* XML-escape text (&<>"' and control characters) to f. */
void report_xml_escape(FILE *f, const char *s);

#endif /* HARNESS_REPORT_H */
