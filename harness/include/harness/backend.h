/*
 * Backend contract: a backend executes one parsed scenario and returns what
 * the oracles need.  The runner (harness/src/run.c) then checks the
 * scenario's expectations against this result and the stored golden.
 *
 *   sim      sim/src/backend.c  sim_backend_run()  (deterministic C machine)
 *   qemu     harness/src/backend_qemu.c           (real kernels; later)
 */
#ifndef HARNESS_BACKEND_H
#define HARNESS_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <dumpfmt/dump.h>
#include <harness/compare.h>
#include <harness/scenario.h>

struct sclp_profile;
struct phyp_profile;

enum run_outcome {
    RUN_COMPLETE = 1,   /* dump captured and verified by the capture agent */
    RUN_INCOMPLETE,     /* capture stopped early; agent reported it (never silent) */
    RUN_FAILED,         /* dump path failed cleanly (e.g. SDIAS error), reason given */
    RUN_NO_DUMP,        /* no dump taken (e.g. unregistered) */
    RUN_ERROR,          /* backend/harness error: not a scenario verdict */
};

struct run_rc {
    char op[32];        /* "register", "unregister", "invalidate", "sdias", "diag308", "release", ... */
    int64_t rc;
    int line;           /* scenario line of the step that caused it */
};

struct run_phase {
    char name[24];      /* boot, crash, capture, verify, ... */
    double seconds;
};

struct run_result {
    enum run_outcome outcome;
    char reason[256];           /* why incomplete/failed/no-dump, from the agent/firmware */
    struct df_dump *truth;      /* hypervisor snapshot at the crash instant (memory + CPUs) */
    struct df_dump *image;      /* the captured dump, parsed; NULL if none */
    char image_path[512];       /* captured image file inside the run dir, "" if none */
    size_t nrcs;
    struct run_rc rcs[64];
    unsigned cpus_online;       /* CPUs online at the crash instant */
    size_t nphases;
    struct run_phase phases[16];
    /* Ranges the backend knows legitimately differ from the truth snapshot,
     * each with a reason (e.g. dump kernel footprint); the oracle reports them. */
    /* Backends that run their own page oracle (QEMU: the vmcore and the
     * truth image are hundreds of MB and compared in place) report its
     * counts here so the run summary includes them. */
    uint64_t oracle_pages_compared;
    uint64_t oracle_pages_differ;
    uint64_t oracle_regs_compared;
    size_t nexempt;
    struct {
        uint64_t addr, len;
        char reason[96];
    } exempt[32];
    /* Optional: called by run_result_add_phase when a phase ends (the
     * runner's progress line); set by the runner, backends leave it alone. */
    void (*on_phase)(void *ctx, const char *name, double seconds);
    void *on_phase_ctx;
    /* Input, set by the runner before the backend runs (harness/src/
     * profile.c resolves `machine profile=` / `--profile` from a data file
     * or the built-in table): the firmware profile the sim models must use.
     * NULL = the backend looks the scenario's profile name up itself.
     * QEMU backends get the profile NAME in s->machine.profile instead. */
    const struct sclp_profile *sclp_profile;
    const struct phyp_profile *phyp_profile;
    /* Backends that run their own oracle: its first differing bytes (HTML report). */
    struct cmp_diff first_diff;
};

typedef int (*backend_run_fn)(const struct scenario *s, const char *run_dir,
                              FILE *log, struct run_result *res,
                              char *errbuf, size_t errlen);

void run_result_init(struct run_result *r);
void run_result_clear(struct run_result *r);   /* frees truth/image */
void run_result_add_rc(struct run_result *r, const char *op, int64_t rc, int line);
void run_result_add_phase(struct run_result *r, const char *name, double seconds);
void run_result_add_exempt(struct run_result *r, uint64_t addr, uint64_t len,
                           const char *reason);
const char *run_outcome_name(enum run_outcome o);

#endif /* HARNESS_BACKEND_H */
