/*
 * The sim backend: executes a parsed scenario on the deterministic sim
 * machine with the firmware models (contract: <harness/backend.h>).
 *
 *   s390x  zfcpdump path here (sim/src/backend.c): libsclp (SCLP, HSA,
 *          SDIAS, DIAG 308, store status) + libfcp (dump LUN) + the
 *          reference zfcpdump agent (<sim/zfcpdump.h>);
 *   ppc64  sim_fadump_run() (<sim/fadump.h>, sim/src/ppc64_*.c), called
 *          directly, so linking sim_backend_run pulls the ppc64 path in.
 *
 * Outputs: run_dir/dump.img (the dump LUN's contents up to the image
 * size / bytes written; written only by a capture step), res->truth (the
 * hypervisor snapshot at the crash instant), res->image (dump.img parsed
 * back), outcome/reason/rcs/phases/cpus_online/exemptions.  Everything
 * but the phase timings is deterministic for a given scenario.
 *
 * rc op names recorded for `expect rc`: "diag308-set" (DIAG 308/5),
 * "diag308" (DIAG 308/4 LOAD NORMAL DUMP, last rc), "dump-ipl" (operator
 * dump, libsclp status), "sdias" (event status of the last SDIAS request),
 * "release" (DIAG 308/2 rc: the agent's and each `step release`).
 */
#ifndef SIM_BACKEND_H
#define SIM_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <harness/backend.h>
#include <harness/scenario.h>
#include <sim/machine.h>

int sim_backend_run(const struct scenario *s, const char *run_dir, FILE *log,
                    struct run_result *res, char *errbuf, size_t errlen);


/* ---- helpers shared by the s390x and ppc64 paths --------------------------- */

/*
 * Process-level faults (`step fault disk|capture|machine`, sim/src/
 * proc_faults.c).  When any is armed, or `step capture timeout=` is given,
 * the capture runs in a child process (<sim/child.h>):
 *   disk full-at=SIZE      RLIMIT_FSIZE: writes at/after SIZE fail (EFBIG)
 *   capture kill-at=SIZE   the agent is SIGKILLed once SIZE bytes are written
 *   capture hang=yes|hang-at=SIZE  the agent stops forever (at SIZE bytes):
 *                          the step deadline fires
 *   machine kill-at=SIZE   the whole machine dies once SIZE bytes are written
 * The step deadline (`step capture timeout=`, default SIM_CAPTURE_TIMEOUT_S)
 * counts seconds without progress: every write and every 64th SCLP call of
 * the capture restart it.
 */
#define SIM_CAPTURE_TIMEOUT_S 300.0

struct sim_child;

struct sim_proc_faults {
    uint64_t disk_full_at;          /* 0: none */
    bool kill;
    uint64_t kill_at;
    bool hang;
    uint64_t hang_at;
    bool machine_kill;
    uint64_t machine_kill_at;
};

/* Arm a `step fault` item if its target is disk/capture/machine: 1 armed,
 * 0 not such a target, -1 invalid (errbuf). */
int sim_proc_fault_arm(struct sim_proc_faults *f, const struct scn_item *it,
                       char *errbuf, size_t errlen);
/* Whether the capture must run in a child process. */
bool sim_proc_faults_any(const struct sim_proc_faults *f);
/* In the child, with `bytes` written so far (before each write and before
 * the final flush): kill or hang the child when an armed point is reached. */
void sim_proc_fault_point(struct sim_child *c, const struct sim_proc_faults *f, uint64_t bytes);
/* Deadline of a `step capture` (timeout= or the default). */
double sim_capture_timeout(const struct scn_item *capture);

/* Machine from the scenario's `machine` line (arch, memory, cpus, max-cpus, seed). */
struct sim_machine *sim_machine_from_scenario(const struct scenario *s,
                                              char *errbuf, size_t errlen);
/* `step plant addr= len= [seed=]` (seed defaults to the machine seed). */
int sim_step_plant(struct sim_machine *m, const struct scn_item *it,
                   char *errbuf, size_t errlen);
/* `step set-regs cpu=N [seed=] [reg=value ...]`: seeded randomisation
 * first, then the named registers (s390: gprN psw_addr psw_mask prefix fpc
 * cputm ckc todpreg crN acrN fprN; ppc64: gprN nia msr ctr lr xer cr dar
 * dsisr srr0 srr1 pir pvr fpscr). */
int sim_step_set_regs(struct sim_machine *m, const struct scn_item *it,
                      char *errbuf, size_t errlen);
/* `step run ms=N`: advance the clock; when `churn`, also let the kernel
 * write min(ms, 256) seeded doublewords (memory churn). */
void sim_step_run(struct sim_machine *m, const struct scn_item *it, bool churn);

/*
 * The footprint a freshly booted dump/capture kernel leaves in [base,
 * base + len): the first 4 KiB of every 64 KiB (SIM_FOOTPRINT_STRIDE) get
 * the seeded pattern.  Spread over the whole range, so a dump path that
 * reads this memory instead of its preserved copy is caught anywhere in it,
 * while a 32 MiB footprint stays 2 MiB of data (planted pages do not
 * compress; a second dump after a capture carries them into its golden).
 * 0, or -1 when the range is outside memory.
 */
#define SIM_FOOTPRINT_STRIDE 0x10000u
int sim_plant_footprint(struct sim_machine *m, uint64_t base, uint64_t len, uint64_t seed);

/*
 * Copy machine memory [src, src + len) (page aligned) into dst, the
 * zero-filled, lazily allocated data of d at physical address paddr:
 * allocated non-zero pages are copied, everything else is marked known zero
 * in d (df_dump_mark_zero) and never touched.  0, or -1 on a bad range or
 * allocation failure.
 */
int sim_copy_sparse(struct sim_machine *m, uint64_t src, uint64_t len, struct df_dump *d,
                    uint64_t paddr, uint8_t *dst);

/*
 * A struct df_dump copy of the machine at this instant: one chunk
 * [0, memory) (never-written pages marked known zero), every online CPU
 * (CPU `first` first, then by index), the given arch.  NULL + errbuf on allocation failure.
 */
struct df_dump *sim_snapshot_dump(struct sim_machine *m, unsigned first,
                                  char *errbuf, size_t errlen);

#endif /* SIM_BACKEND_H */
