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

#include <stddef.h>
#include <stdio.h>

#include <harness/backend.h>
#include <harness/scenario.h>
#include <sim/machine.h>

int sim_backend_run(const struct scenario *s, const char *run_dir, FILE *log,
                    struct run_result *res, char *errbuf, size_t errlen);


/* ---- helpers shared by the s390x and ppc64 paths --------------------------- */

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
