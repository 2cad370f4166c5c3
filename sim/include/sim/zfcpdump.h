/*
 * Reference zfcpdump agent: C code that plays the Linux 6.1 zfcpdump
 * kernel + s390-tools zfcpdump user space side of an FCP dump exactly
 * (spec /work/shared/specs/s390.md §1-§4):
 *
 *   1. SIGP SENSE / STORE STATUS AT ADDRESS / STORE ADDITIONAL STATUS for
 *      every CPU address but the IPL CPU's
 *      (lx61:arch/s390/kernel/smp.c smp_save_dump_secondary_cpus);
 *   2. Read SCP Info (FORCED first, then normal; lx61 sclp_early_read_info),
 *      hsa = (hsa_size - 1) * 4096 (sclp_early_get_hsa_size);
 *   3. Write Event Mask + SDIAS size query in sync mode
 *      (lx61:drivers/s390/char/sclp_sdias.c sclp_sdias_init);
 *   4. zcore_init: ar_mode_id at 0xa3 and the boot CPU save area at 0x1200
 *      through the HSA (lx61:drivers/s390/char/zcore.c);
 *   5. memory below the HSA size one page per SDIAS store-data request
 *      (block = page + 2, memcpy_hsa_iter), memory above read directly
 *      (memcpy_real_iter); VMCOREINFO through the pointer at 0xe0c;
 *   6. build the dump (struct df_dump; pages read as zero are marked known
 *      zero, not stored) and write it as ELF (/proc/vmcore layout) or s390
 *      stand-alone format onto the FCP LUN in chunks, encoded on the fly
 *      (df_write_stream: no whole-image buffer), SYNCHRONIZE CACHE; any FCP error stops the copy and the dump is
 *      reported INCOMPLETE with the reason and the byte count;
 *   7. release the HSA (DIAG 308 subcode 2).
 *
 * All firmware the agent uses is reached through struct zfd_fw (SERVICE
 * CALL, SIGP, DIAG 308: the instructions a dump kernel executes) and the
 * dump disk through struct zfd_target, so the same code runs
 *   - live, on a sim machine after a dump IPL (libsclp + libfcp bindings
 *     below), and
 *   - on a truth snapshot (fw == NULL): memory and CPUs are read straight
 *     from the host view, which computes the expected dump for a run.
 */
#ifndef SIM_ZFCPDUMP_H
#define SIM_ZFCPDUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dumpbench/host.h>
#include <dumpfmt/dump.h>

struct sclp;
struct fcp_adapter;

/* SIGP orders used by the dump kernel (lx61:arch/s390/include/asm/sigp.h). */
#define ZFD_SIGP_SENSE                  0x01
#define ZFD_SIGP_STORE_STATUS_AT_ADDR   0x0e
#define ZFD_SIGP_STORE_ADTL_STATUS      0x17

/* DIAG 308 subcode 2 (lx61 DIAG308_REL_HSA). */
#define ZFD_DIAG308_REL_HSA             2

/*
 * The instructions a dump kernel issues.  Each returns what the machine
 * reports: servc the SCCB response code (>= 0) or a negated program-check
 * code; sigp a condition code 0-3 (status bits in *status for cc 1) or a
 * negative value for a program check; diag308 the R1+1 return code (>= 0)
 * or a negative program-check code.
 */
struct zfd_fw {
    void *opaque;
    int (*servc)(void *opaque, uint32_t cmdw, uint64_t sccb_addr);
    int (*sigp)(void *opaque, uint8_t order, uint16_t cpu_addr, uint64_t param,
                uint32_t *status);
    int64_t (*diag308)(void *opaque, uint32_t subcode, uint64_t addr);
};

/* Bind zfd_fw to a libsclp instance (`ipl_cpu` = CPU index issuing DIAG). */
struct zfd_sclp_binding {
    struct sclp *sclp;
    unsigned ipl_cpu;
};
void zfd_fw_from_sclp(struct zfd_fw *fw, struct zfd_sclp_binding *b);

/*
 * The dump disk.  open() returns 0 and fills block size / capacity, write()
 * returns 0 or -1 with *done = bytes that reached the medium, sync()
 * returns 0 or -1.  On -1, why holds the reason.
 */
struct zfd_target {
    void *opaque;
    int (*open)(void *opaque, uint32_t *block_size, uint64_t *nblocks,
                char *why, size_t whylen);
    int (*write)(void *opaque, uint64_t lba, const void *buf, uint32_t nblocks,
                 uint64_t *done, char *why, size_t whylen);
    int (*sync)(void *opaque, char *why, size_t whylen);
};

/* zfcp + sd on a libfcp adapter: OPEN PORT, OPEN LUN, READ CAPACITY(16),
 * WRITE(10)/WRITE(16), SYNCHRONIZE CACHE(10). */
struct zfd_fcp_binding {
    struct fcp_adapter *adapter;
    uint64_t wwpn;
    uint64_t lun;
    uint32_t port_handle, lun_handle;
    uint32_t block_size;          /* from READ CAPACITY(16) */
    bool port_open, lun_open;
    uint64_t commands;            /* SCSI commands issued */
};
void zfd_target_from_fcp(struct zfd_target *t, struct zfd_fcp_binding *b);

enum zfd_outcome {
    ZFD_COMPLETE = 0,      /* written, synced, verified size */
    ZFD_INCOMPLETE,        /* the copy to the disk stopped early (reason, bytes) */
    ZFD_FAILED,            /* the dump path failed before writing (SCLP/SDIAS/HSA) */
    ZFD_ERROR,             /* agent/host error (bad config, allocation) */
};

/* Default scratch area of the dump kernel (below any HSA, above 8 KiB;
 * lx61 EARLY_SCCB_OFFSET 0x11000): SCCB page, SDIAS SCCB page, HSA bounce
 * page, SIGP save-area page. */
#define ZFD_SCRATCH_DEFAULT   0x11000u
#define ZFD_SCRATCH_PAGES     4u
#define ZFD_WRITE_CHUNK       (1u << 20)
#define ZFD_SDIAS_RETRIES     300      /* lx61 sclp_sdias.c SDIAS_RETRIES */

struct zfd_config {
    const struct db_host *mem;   /* memory + CPUs (live machine or snapshot) */
    const struct zfd_fw *fw;     /* NULL: truth mode (no firmware) */
    unsigned ipl_cpu;            /* CPU index of the IPL CPU */
    uint64_t scratch;            /* live mode: 4 pages of dump-kernel memory (0 = default) */
    uint64_t truth_hsa_size;     /* truth mode: informational HSA size for the result */
    enum df_format format;       /* DF_FMT_ELF (default when NONE) or DF_FMT_S390 */
    const struct zfd_target *target; /* NULL: build the dump only */
    uint32_t write_chunk;        /* bytes per WRITE (0 = 1 MiB) */
    bool release_hsa;            /* DIAG 308/2 at the end (live mode) */
    bool keep_image;             /* keep the encoded image bytes in the result */
    bool vector;                 /* MACHINE_HAS_VX: vector registers are dumped */
};

struct zfd_result {
    enum zfd_outcome outcome;
    char reason[256];
    uint64_t hsa_size;           /* bytes, (hsa_size - 1) * 4096 */
    uint32_t sdias_blocks;       /* SDIAS size query answer */
    uint8_t sdias_status;        /* event status of the last SDIAS request */
    int sdias_rc;                /* SCCB response code of the last SDIAS request */
    uint64_t sdias_requests;     /* store-data requests issued */
    int64_t release_rc;          /* DIAG 308/2 rc, -1 if not issued */
    unsigned ncpus;              /* CPUs in the dump */
    uint64_t image_size;         /* bytes of the encoded image */
    uint64_t bytes_written;      /* bytes that reached the disk */
    struct df_dump *dump;        /* the dump model (caller frees), or NULL */
    uint8_t *image;              /* encoded image if keep_image (caller frees) */
};

/* Run the agent.  Returns the outcome (also in res->outcome). */
enum zfd_outcome zfd_capture(const struct zfd_config *cfg, struct zfd_result *res);
void zfd_result_free(struct zfd_result *res);
const char *zfd_outcome_name(enum zfd_outcome o);

/* Save areas are decoded with libdumpfmt's df_s390_sa_decode /
 * df_s390_adtl_vx_decode (<dumpfmt/s390.h>). */

#endif /* SIM_ZFCPDUMP_H */
