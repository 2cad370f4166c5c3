/*
 * Run records and replays.
 *
 * After every scenario, the runner (harness/src/run.c) writes into the run
 * directory everything needed to run it again and to compare runs:
 *
 *   scenario.scn       byte copy of the scenario file that ran
 *   profile.resolved   the firmware profile as a complete profile file
 *                      (every key; scenarios/profiles/README.md), when the
 *                      arch has one
 *   dump.manifest      size, XXH64 and per-page hashes of the captured image
 *                      (golden manifest format, <harness/golden.h>)
 *   run.record         text, one "key value" per line:
 *       dumpbench-run 1
 *       scenario NAME / scenario-file PATH / backend B / arch A / seed N
 *       golden-dir DIR
 *       profile NAME / profile-source PATH|built-in / profile-override yes|no
 *       tool dumpbench git=COMMIT cc=VERSION / host SYSNAME RELEASE MACHINE
 *       qemu-binary PATH / qemu-version TEXT / qemu-cmdline TEXT   (qemu backends)
 *       env DUMPBENCH_NAME=VALUE      (each DUMPBENCH_* variable of the run)
 *       verdict PASS|FAIL|ERROR|SKIP / first TEXT
 *       outcome NAME / reason TEXT / cpus-online N / dump-cpus N|none
 *       rc OP VALUE LINE              (one per firmware call, in order)
 *       phase NAME SECONDS
 *       image FILE SIZE XXH64|none
 *
 * `dumpbench replay RUN_DIR` runs scenario.scn again with profile.resolved,
 * the same backend and QEMU binary, into RUN_DIR/replay, and compares the
 * new record with the stored one (replay_compare).
 */
#ifndef HARNESS_REPLAY_H
#define HARNESS_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <harness/backend.h>
#include <harness/golden.h>
#include <harness/profile.h>
#include <harness/report.h>
#include <harness/run.h>
#include <harness/scenario.h>

#define REPLAY_RECORD "run.record"
#define REPLAY_SCENARIO "scenario.scn"
#define REPLAY_PROFILE "profile.resolved"
#define REPLAY_MANIFEST_NAME "dump"          /* dump.manifest */
#define REPLAY_RECORD_VERSION 1

struct run_record {
    char scenario[128];
    char scenario_file[1024];
    char backend[32];
    char arch[16];
    uint64_t seed;
    char golden_dir[1024];
    char profile[FWP_NAME_MAX];       /* "" when the arch has none */
    char profile_source[1024];
    bool profile_override;
    char tool[256];
    char host[256];
    char qemu_binary[1024];
    char qemu_version[256];
    char qemu_cmdline[4096];
    size_t nenv;                      /* DUMPBENCH_* settings of the run */
    const char *env[32];              /* "NAME=VALUE", pointing into env_buf */
    char env_buf[8192];
    size_t env_used;
    char verdict[8];                  /* PASS FAIL ERROR SKIP */
    char first[1024];
    char outcome[16];
    char reason[256];
    unsigned cpus_online;
    int dump_cpus;                    /* -1: no dump */
    size_t nrcs;
    struct run_rc rcs[64];
    size_t nphases;
    struct run_phase phases[16];
    bool has_image;
    char image[256];                  /* file name (relative to the run dir when inside) */
    uint64_t image_size;
    uint64_t image_hash;
};

/* What the runner knows about one finished scenario. */
struct replay_run_info {
    const struct scenario *s;
    const char *run_dir;
    const char *backend;
    const char *golden_dir;
    const struct fw_profile *profile; /* NULL: arch without a profile */
    bool profile_override;
    const struct run_result *res;
    enum report_status status;
    const char *first;
};

/* Write scenario.scn, profile.resolved, dump.manifest and run.record.
 * 0, or -1 with err (the run itself is not affected). */
int replay_record(const struct replay_run_info *ri, char *err, size_t errlen);

/* Parse RUN_DIR/run.record.  0, or -1 with "FILE:LINE: ..." in err. */
int run_record_read(const char *run_dir, struct run_record *r, char *err, size_t errlen);

/* The env var the QEMU backends read for an arch's binary
 * (DUMPBENCH_QEMU_X86_64 / _S390X / _PPC64), NULL for an unknown arch. */
const char *replay_qemu_env(const char *arch);

/*
 * Compare two records (and their dump manifests in the two run dirs):
 * the verdict, outcome, reason, firmware rcs (per op, in order), CPUs,
 * phase names and the image (size, hash; first differing page offset and
 * the number of differing pages from the manifests).  Each difference is
 * one line "what: A -> B" on `out` (may be NULL), prefixed by `indent`.
 * Returns the number of differences, -1 on error (err).
 */
int replay_compare(const struct run_record *a, const char *dir_a, const struct run_record *b,
                   const char *dir_b, FILE *out, const char *indent, char *err, size_t errlen);

/*
 * `dumpbench replay`: re-run RUN_DIR's recorded scenario into out_dir
 * (NULL = RUN_DIR/replay) with the recorded backend, profile and golden
 * dir, then compare.  The caller (CLI) has put the recorded QEMU binary in
 * the environment.  Prints "replay: identical (...)" or "replay: differs"
 * plus the differences on `out`; TAP of the re-run goes to `tap`.
 * `lookup` NULL = the built-in backends (tests pass a fake).
 * Returns 0 identical, 1 differs, 77 the re-run was skipped, 99 harness
 * error (err).
 */
int replay_run(const char *run_dir, const char *out_dir, FILE *out, FILE *tap,
               backend_lookup_fn lookup, char *err, size_t errlen);

#endif /* HARNESS_REPLAY_H */
