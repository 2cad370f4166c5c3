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
 *       record-mode none|icount|rr-record|rr-replay shift=N   (qemu backends)
 *       rr-file PATH SIZE             (rr modes: the QEMU record/replay log;
 *                                      relative to the run dir when inside)
 *       verdict PASS|FAIL|ERROR|SKIP / first TEXT
 *       outcome NAME / reason TEXT / cpus-online N / dump-cpus N|none
 *       rc OP VALUE LINE              (one per firmware call, in order)
 *       phase NAME SECONDS
 *       image FILE SIZE XXH64|none
 *
 * `dumpbench replay RUN_DIR` runs scenario.scn again with profile.resolved,
 * the same backend and QEMU binary, into RUN_DIR/replay, and compares the
 * new record with the stored one (replay_compare).
 *
 * Deterministic execution of the QEMU backends (harness/src/qemu_record.c):
 *   DUMPBENCH_RECORD=none|icount|rr[,shift=N]
 *     icount  -icount shift=N,align=off,sleep=off, fixed -rtc base (also the
 *             s390x TOD base), -seed, nokaslr: the guest's clocks follow its
 *             instruction count; host-driven actions (console input, QMP)
 *             still land at wall-clock-dependent guest instants.
 *     rr      QEMU record/replay: -icount shift=N,rr=record,rrfile=RUN_DIR/
 *             replay.bin, every disk behind a blkreplay node, the console
 *             on a replay-registered serial chardev; console input, clocks
 *             and disk completions go into the log.
 *   DUMPBENCH_RR_REPLAY=FILE  replay FILE (rr=replay) instead of recording.
 * `dumpbench replay` sets both from the stored record: a run recorded with
 * rr replays its own replay.bin.
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
    char record_mode[16];             /* "" (record without the key) = none */
    int record_shift;                 /* -1: none recorded */
    char rr_file[1024];               /* "" when no rr log */
    uint64_t rr_size;
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

/* ---- deterministic execution (DUMPBENCH_RECORD, DUMPBENCH_RR_REPLAY) ---- */

enum replay_exec {
    REPLAY_EXEC_NONE = 0,
    REPLAY_EXEC_ICOUNT,       /* -icount, deterministic settings, no log */
    REPLAY_EXEC_RR_RECORD,    /* rr=record into RUN_DIR/replay.bin */
    REPLAY_EXEC_RR_REPLAY,    /* rr=replay of rr_file */
    REPLAY_EXEC_SCRIPT,       /* icount settings, and the backend hands the steps up to
                               * the crash to the guest at boot: no host input reaches
                               * the guest before the crash (qemu_record.c) */
};

#define REPLAY_RR_FILE "replay.bin"
#define REPLAY_SHIFT_MAX 10       /* QEMU 7.2 MAX_ICOUNT_SHIFT */

struct replay_exec_cfg {
    enum replay_exec mode;
    int shift;                /* -icount shift=; -1: the arch's default */
    char rr_file[1024];       /* REPLAY_EXEC_RR_REPLAY: the log */
};

/*
 * Parse the two settings (either may be NULL or "" = unset):
 *   record     "none" | "icount" | "script" | "rr", optionally ",shift=N" (0..10)
 *   rr_replay  FILE: replay it (needs record unset or "rr")
 * 0, or -1 with err naming the variable and the bad part.
 */
int replay_exec_parse(const char *record, const char *rr_replay, struct replay_exec_cfg *c,
                      char *err, size_t errlen);
/* The same from DUMPBENCH_RECORD and DUMPBENCH_RR_REPLAY. */
int replay_exec_from_env(struct replay_exec_cfg *c, char *err, size_t errlen);
/* "none" "icount" "rr-record" "rr-replay" "script" */
const char *replay_exec_name(enum replay_exec m);
/* The record's word back to the mode; -1 for an unknown word. */
int replay_exec_from_name(const char *name);
/* Default -icount shift per arch (QEMU 7.2 tests/avocado/replay_kernel.py:
 * x86_64 5, ppc64 7; 7 for anything else) except s390x: 3, not avocado's 9 —
 * at 9 each instruction counts 512 ns, the Debian s390x guest's clock runs
 * ~64x faster than at 3, its boot took 128 s instead of 7 s here and guest
 * timeouts fired ("Problem loading in-kernel X.509 certificate (-110)"). */
int replay_exec_default_shift(const char *arch);

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
