/*
 * Firmware regression report (`dumpbench regress`): run each scenario with
 * the reference settings (the scenario's own profile, the default QEMU) and
 * with the candidate settings (--profile NAME|PATH, --qemu PATH), or read a
 * stored reference run, and report every behavioural and byte difference
 * per scenario (harness/src/regress.c; record format: <harness/replay.h>).
 */
#ifndef HARNESS_REGRESS_H
#define HARNESS_REGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include <harness/run.h>

struct regress_opts {
    const char *profile;        /* candidate profile NAME|PATH, or NULL */
    const char *profile_dir;    /* NULL = scenarios/profiles */
    const char *qemu;           /* candidate QEMU binary (label only; the CLI sets the env) */
    const char *ref_dir;        /* stored reference runs REF/NAME/run.record; NULL = run them */
    const char *out_dir;        /* NULL = out/regress (OUT/ref, OUT/cand, OUT/regress.md) */
    const char *backend;        /* backend override for both sides, or NULL */
    const char *golden_dir;     /* NULL = scenarios/golden */
    const char *markdown;       /* NULL = OUT/regress.md */
    /* Called after the reference runs and before the candidate runs (the
     * CLI switches DUMPBENCH_QEMU_* here); may be NULL. */
    void (*before_candidate)(void *ctx);
    void *ctx;
    backend_lookup_fn lookup;   /* NULL = the built-in backend table (tests: a fake) */
};

/*
 * Run the comparison over `files` and print the table on `out` (text), the
 * markdown version into o->markdown.  The last text line is
 * "affected: NAME NAME ..." (or "affected: none").  A scenario skipped on
 * either side (QEMU or guest missing) is a SKIPPED row, never "identical".
 * Returns 0 when no scenario differs, 1 when some do, 99 on a harness
 * error (err).
 */
int regress_run(const struct regress_opts *o, const char *const *files, size_t nfiles,
                FILE *out, char *err, size_t errlen);

#endif /* HARNESS_REGRESS_H */
