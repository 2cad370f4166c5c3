/*
 * QEMU backend: runs x86_64 kdump scenarios on a real Debian kernel under
 * qemu-system-x86_64 (TCG) and checks the captured vmcore against a truth
 * snapshot taken at the crash instant (gdbstub breakpoint on machine_kexec,
 * QMP pmemsave).  See harness/src/qemu_backend.c for the sequence.
 *
 * Guest: built by ci/guest-x86_64 into
 *   $DUMPBENCH_GUEST_X86_64, else $DUMPBENCH_CACHE/x86_64/current,
 *   else $HOME/.cache/dumpbench/x86_64/current.
 * QEMU binary: $DUMPBENCH_QEMU_X86_64, else qemu-system-x86_64 on PATH.
 *
 * ppc64 fadump (harness/src/qemu_ppc64.c, set by ci/real-ppc64); each one
 * missing makes every ppc64 scenario SKIPPED with the variable named:
 *   DUMPBENCH_QEMU_PPC64        the patched qemu-system-ppc64 (ci/build-qemu:
 *                               dumpbench-spapr object, libphyp)
 *   DUMPBENCH_QEMU_PPC64_DATA   directory with vof.bin (optional; default
 *                               PREFIX/share/qemu next to the binary)
 *   DUMPBENCH_FADUMP_KERNEL     FA_DUMP vmlinux (ci/build-kernel fadump-ppc64le;
 *                               System.map beside it is used for kind=oops)
 *   DUMPBENCH_PPC64_INITRD      initramfs from sim/guest/ppc64/mkinitrd.sh
 *                               (busybox, init.sh, dbcapture)
 *   DUMPBENCH_KEEP=1            keep the RAM-sized truth.bin / vmcore of a
 *                               failed run in its run directory
 *   DUMPBENCH_PPC64_REFERENCE=0 skip the reference-agent oracle (the sim's
 *                               fadump agent on the truth snapshot, ~30 s)
 *   DUMPBENCH_PPC64_MAKEDUMPFILE command words running Debian's ppc64el
 *                               makedumpfile (ci/real-ppc64: qemu-ppc64le-static
 *                               -L SYSROOT SYSROOT/usr/bin/makedumpfile); unset:
 *                               the --dump-dmesg oracle is SKIPPED
 */
#ifndef HARNESS_QEMU_H
#define HARNESS_QEMU_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <harness/backend.h>
#include <harness/scenario.h>

/* Return values of qemu_backend_run besides 0 (ran; verdict in res). */
#define QEMU_BACKEND_SKIPPED 1   /* prerequisite missing: errbuf says which */
#define QEMU_BACKEND_ERROR  (-1) /* harness error: errbuf says what */

/*
 * backend_run_fn for `backend qemu`.  Returns 0 when the scenario ran
 * (res->outcome is RUN_COMPLETE when the dump was captured and every
 * oracle held, RUN_FAILED with the first failing oracle in res->reason,
 * RUN_NO_DUMP / RUN_ERROR otherwise), QEMU_BACKEND_SKIPPED with
 * res->outcome = RUN_ERROR and res->reason "SKIPPED: why" when qemu or the
 * guest is missing, or QEMU_BACKEND_ERROR.
 */
int qemu_backend_run(const struct scenario *s, const char *run_dir, FILE *log,
                     struct run_result *res, char *errbuf, size_t errlen);

/*
 * s390x (qemu_s390x_run): zfcpdump on the patched QEMU 7.2 (sim/qemu/),
 * prerequisites from the environment (ci/real-s390x sets them); a missing
 * one makes the scenario SKIPPED with the variable named:
 *   DUMPBENCH_QEMU_S390X       patched qemu-system-s390x (ci/build-qemu
 *                              PREFIX/bin/qemu-system-s390x)
 *   DUMPBENCH_QEMU_S390X_DATA  firmware blobs (-L; default: the binary's
 *                              ../share/qemu)
 *   DUMPBENCH_ZFCPDUMP_KERNEL  zfcpdump kernel bzImage (ci/build-kernel
 *                              zfcpdump-s390x); not needed for profile
 *                              qemu-7.2, which runs without the firmware
 *                              object (stock QEMU 7.2)
 *   DUMPBENCH_ZFCPDUMP_FCP_KERNEL  zfcpdump kernel without virtio, for
 *                              scenarios with `dump transport=fcp`
 *                              (ci/build-kernel zfcpdump-fcp-s390x bzImage);
 *                              those also need a QEMU whose `-device help`
 *                              lists dumpbench-fcp, else they are SKIPPED
 *   DUMPBENCH_S390X_GUEST      directory from sim/guest/s390x/build-guest.sh
 *                              (vmlinuz, initrd.gz, done)
 *   DUMPBENCH_ZGETDUMP         optional command running s390-tools' zgetdump
 *                              (e.g. "qemu-s390x-static -L ROOT ROOT/sbin/zgetdump");
 *                              unset: the zgetdump oracle reports SKIPPED
 *   DUMPBENCH_TIMEOUT_SCALE    optional factor (>= 1) for every wait
 */
/* Per-architecture backends behind `backend qemu` (dispatch on machine arch):
 * s390x zfcpdump on the patched QEMU (harness/src/qemu_s390x.c), ppc64
 * fadump on the patched QEMU (harness/src/qemu_ppc64.c).  Same contract. */
int qemu_s390x_run(const struct scenario *s, const char *run_dir, FILE *log,
                   struct run_result *res, char *errbuf, size_t errlen);
int qemu_ppc64_run(const struct scenario *s, const char *run_dir, FILE *log,
                   struct run_result *res, char *errbuf, size_t errlen);

/* The seeded pattern shared with sim/guest/x86_64/plant.c: 64-bit word j
 * (0..511) of pattern page i. */
uint64_t qemu_pattern_word(uint64_t seed, uint64_t page, unsigned j);
/* Fill one 4 KiB page of the pattern. */
void qemu_pattern_page(uint64_t seed, uint64_t page, uint8_t out[4096]);

/* ---- oracle over files (usable without QEMU, e.g. from tests) ---------- */

/* One physical range read from a raw memory image (pmemsave output). */
struct qemu_mem_file {
    uint64_t paddr;
    uint64_t size;
    const char *path;
};

enum qemu_range_kind {
    QEMU_RANGE_REQUIRED = 1,  /* every page must be in the vmcore */
    QEMU_RANGE_ABSENT,        /* not in the vmcore by design; counted, reason reported */
    QEMU_RANGE_KNOWN,         /* a differing page here is attributed to `why` */
};

struct qemu_range {
    enum qemu_range_kind kind;
    uint64_t start, end;           /* [start, end) physical */
    char why[80];
};

struct qemu_oracle_in {
    const char *vmcore;            /* ELF /proc/vmcore copy */
    size_t nmem;
    const struct qemu_mem_file *mem;  /* truth snapshot pieces */
    uint64_t crash_start, crash_end;  /* crashkernel region [start, end) */
    uint64_t max_differ;           /* allowed differing pages */
    size_t nplant;
    const uint64_t *plant_pfn;     /* planted pattern frames, index = page */
    uint64_t plant_seed;
    const char *post_elf;          /* optional: QEMU dump-guest-memory ELF taken
                                      after the capture (second source) */
    const char *kallsyms;          /* optional, for attribution */
    unsigned expect_cpus;          /* NT_PRSTATUS notes required (0: skip) */
    size_t nranges;
    const struct qemu_range *ranges;  /* required / absent / known ranges */
};

struct qemu_oracle_diff {
    uint64_t paddr;
    char why[160];
};

struct qemu_oracle_out {
    uint64_t pages_compared;
    uint64_t pages_differ;
    uint64_t pages_missing;        /* vmcore pages outside the truth snapshot */
    uint64_t post_compared;        /* pages compared with the post-capture dump */
    uint64_t post_differ;          /* ... differing (only below 1 MiB allowed) */
    uint64_t pages_absent;         /* QEMU_RANGE_ABSENT pages not in the vmcore */
    uint64_t plant_checked;
    unsigned prstatus;             /* NT_PRSTATUS notes found */
    int vmcoreinfo;                /* VMCOREINFO note present */
    size_t ndiff;
    struct qemu_oracle_diff diff[64];  /* first 64 differing pages */
    char fail[256];                /* "" when every oracle held */
};

/* Compare; 0 when the comparison ran (verdict in out->fail), -1 on I/O
 * or format error (errbuf). */
int qemu_oracle_compare(const struct qemu_oracle_in *in,
                        struct qemu_oracle_out *out,
                        char *errbuf, size_t errlen);

#endif /* HARNESS_QEMU_H */
