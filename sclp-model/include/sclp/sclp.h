/*
 * libsclp - a model of the IBM Z firmware side of a dump IPL.
 *
 * Covers what an unmodified Linux 6.1 zfcpdump / NVMe-dump kernel needs
 * (spec: /work/shared/specs/s390.md):
 *   - SCLP service calls: Read SCP Info (+ FORCED), Read CPU Info,
 *     Write Event Mask, Write Event Data with the SDIAS event (type 0x1C,
 *     sync mode), Read Event Data;
 *   - the HSA: a snapshot of absolute [0, hsa_size) taken at dump IPL,
 *     read back through SDIAS where block p + 2 == absolute page p;
 *   - DIAG 308 subcodes 0-7 (SET/STORE IPLB, dump trigger, HSA release);
 *   - store status (IPL CPU at 0x1200 + ar_mode_id) and SIGP STORE STATUS
 *     AT ADDRESS / STORE ADDITIONAL STATUS / SENSE for the other CPUs;
 *   - the state machine RUNNING -> DUMP_KERNEL -> HSA_RELEASED (spec 7.3).
 *
 * All guest access goes through struct db_host; there is no global state.
 * Functions never print; they return codes (and keep a message readable
 * with sclp_last_error()).
 */
#ifndef SCLP_SCLP_H
#define SCLP_SCLP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <dumpbench/cpu.h>
#include <dumpbench/host.h>
#include <sclp/ipl_block.h>
#include <sclp/save_area.h>
#include <sclp/sccb.h>
#include <sclp/sdias.h>

#define SCLP_PAGE_SIZE          4096u
#define SCLP_DEFAULT_HSA_SIZE   (32u << 20)     /* "Currently 32 MB are saved" */
#define SCLP_MAX_HSA_SIZE       (4ull << 30)
#define SCLP_PROFILE_NAME_MAX   32

/* Program-interruption codes returned (negated) by sclp_service_call/diag308. */
#define SCLP_PGM_PRIVILEGED     0x02
#define SCLP_PGM_ADDRESSING     0x05
#define SCLP_PGM_SPECIFICATION  0x06

/* Library status codes (model/host errors, not architected results). */
enum sclp_status {
    SCLP_OK = 0,
    SCLP_E_INVAL = -1,          /* bad argument or profile */
    SCLP_E_NOMEM = -2,
    SCLP_E_HOST = -3,           /* host op failed */
    SCLP_E_BUSY = -4,           /* a dump is already in progress */
};

/*
 * Firmware profile: what the machine offers and which errors it injects.
 */
struct sclp_profile {
    char name[SCLP_PROFILE_NAME_MAX];
    uint64_t hsa_size;          /* bytes, multiple of 4 KiB; 0 = no HSA */
    bool dump_installed;        /* Read SCP Info byte 91 bit 0x02 */
    bool dump_supported;        /* DIAG 308 subcodes 2 and 4 (else spec. exception) */
    bool sdias;                 /* event type 0x1C accepted (else rc 0x40f0) */
    bool nvme_ipl;              /* DIAG 308/5 accepts pbt 4 */
    bool ext_sccb;              /* facility 140: Read (SCP|CPU) Info may cross a page */
    bool vector;                /* facility 129: SIGP STORE ADDITIONAL STATUS */
    bool mask_len4_only;        /* Write Event Mask accepts only mask_length 4 */
    uint32_t increment_mb;      /* storage increment size (rnsize), >= 1 */
    uint64_t facilities;        /* Read SCP Info bytes 48-55 */
    uint8_t fac42, fac43, fac66, fac84, fac85;
    uint8_t fac91;              /* other bits of byte 91 (0x02 comes from dump_installed) */
    uint8_t fac98, fac116, fac117, fac118, fac119;
    uint32_t ibc;
    uint32_t hmfai;
    uint8_t loadparm[8];        /* EBCDIC */
    uint64_t sclp_receive_mask; /* event types the SCLP accepts (Write Event Data) */
    uint64_t sclp_send_mask;    /* event types the SCLP can send (Read Event Data) */
    /* --- error injection --- */
    uint16_t read_info_rc;      /* != 0: Read SCP Info answers this response code */
    uint16_t sdias_rc;          /* != 0: SDIAS requests answer this SCCB rc, not accepted */
    uint8_t sdias_copy_status;  /* != 0: store-data requests answer this event_status */
    uint32_t sdias_partial_max; /* != 0: store at most this many blocks (status 0x10) */
    unsigned dump_busy_count;   /* DIAG 308/4 answers 0x302 this many times first */
};

/* Built-in profiles: "z15-32m" (default), "hsa-64m", "hsa-512m",
 * "no-dump" (dump-installed bit off), "qemu-7.2" (no HSA/SDIAS/DIAG 308 2+4). */
const struct sclp_profile *sclp_profile_default(void);
const struct sclp_profile *sclp_profile_lookup(const char *name);
unsigned sclp_profile_count(void);
const struct sclp_profile *sclp_profile_at(unsigned idx);
/* Start a custom profile from the default with a name and HSA size. */
int sclp_profile_init_custom(struct sclp_profile *p, const char *name,
                             uint64_t hsa_size);
/* SCLP_OK or SCLP_E_INVAL (message in err if given). */
int sclp_profile_validate(const struct sclp_profile *p, char *err,
                          size_t errlen);

/* State machine (spec 7.3). */
enum sclp_state {
    SCLP_STATE_RUNNING = 0,
    SCLP_STATE_DUMP_KERNEL,     /* dump IPL done, HSA valid (if any) */
    SCLP_STATE_HSA_RELEASED,    /* DIAG 308/2 issued in the dump kernel */
};

/* What the caller (machine) must do after a DIAG 308. */
enum sclp_action {
    SCLP_ACT_NONE = 0,
    SCLP_ACT_RESET_CLEAR,       /* subcode 0: clear reset */
    SCLP_ACT_RESET_NORMAL,      /* subcode 1: load-normal reset */
    SCLP_ACT_REIPL_CLEAR,       /* subcode 3: re-IPL with clear from the stored IPLB */
    SCLP_ACT_DUMP_IPL,          /* subcode 4: dump IPL done; load the dump kernel */
    SCLP_ACT_REIPL_NORMAL,      /* subcode 7: re-IPL without clear */
};

struct sclp_stats {
    unsigned service_calls;
    unsigned sdias_size_queries;
    unsigned sdias_copies;      /* accepted store-data requests */
    uint64_t sdias_blocks;      /* blocks stored */
    unsigned dump_ipls;
    unsigned reipls;
    unsigned hsa_releases;
    unsigned busy_replies;
};

struct sclp;

/* NULL profile = default.  Returns NULL on bad arguments / no memory. */
struct sclp *sclp_new(const struct db_host *host, const struct sclp_profile *p);
void sclp_free(struct sclp *s);

const struct sclp_profile *sclp_get_profile(const struct sclp *s);
enum sclp_state sclp_get_state(const struct sclp *s);
const char *sclp_state_name(enum sclp_state st);
void sclp_get_stats(const struct sclp *s, struct sclp_stats *out);
const char *sclp_last_error(const struct sclp *s);

/* HSA: pages held (0 when none), and read access for checks/dumpers. */
uint64_t sclp_hsa_pages(const struct sclp *s);
int sclp_hsa_read(const struct sclp *s, uint64_t offset, void *buf,
                  uint64_t len);
/* Guest event masks recorded by Write Event Mask. */
uint64_t sclp_guest_receive_mask(const struct sclp *s);
uint64_t sclp_guest_send_mask(const struct sclp *s);

/*
 * SERVICE CALL.  Reads the SCCB at absolute `sccb_addr` (header, then the
 * declared length into a private buffer), validates, executes and writes
 * the result back.  Returns the response code stored in the SCCB (>= 0) or
 * a negated program-interruption code (-SCLP_PGM_*) when the instruction
 * would program-check (address in the first 8 KiB, above 2 GiB or not
 * 8-byte aligned, SCCB length < 8: specification; SCCB not in guest
 * memory: addressing) - nothing is written in that case.
 */
int sclp_service_call(struct sclp *s, uint32_t command_word,
                      uint64_t sccb_addr);

/*
 * Dump IPL (what DIAG 308/4 triggers; also callable directly for an
 * operator-initiated dump): stop all CPUs keeping their register state,
 * store status of `ipl_cpu` at absolute 0x1200 (+ 0xa3 = 1), then copy
 * absolute [0, min(hsa_size, memory)) into the HSA.  Moves to DUMP_KERNEL.
 * SCLP_E_BUSY in DUMP_KERNEL, SCLP_E_INVAL/SCLP_E_HOST without any change.
 * When the HSA buffer cannot be allocated the dump proceeds without HSA
 * (hsa_size reads 0) and sclp_last_error() says so.
 */
int sclp_dump_ipl(struct sclp *s, unsigned ipl_cpu);

/*
 * DIAG 308.  `subcode` is the R3 value (low 16 bits subcode, bit 16 the EI
 * flag; other bits -> specification exception), `addr` the R1 value.
 * Returns a negated program-interruption code, or an enum sclp_action
 * (>= 0).  *rc_out (may be NULL) receives the return code for subcodes that
 * set R1+1 (2, 4 when it returns, 5, 6); it is left untouched otherwise.
 */
int sclp_diag308(struct sclp *s, unsigned cpu, uint64_t subcode,
                 uint64_t addr, uint64_t *rc_out);
/*
 * The same from the instruction operands: R1 must be even; reads R1/R3
 * from `cpu` via the host and stores the rc into R1+1.
 */
int sclp_diag308_regs(struct sclp *s, unsigned cpu, unsigned r1, unsigned r3);

/*
 * Host-side SET: what DIAG 308/5 does for a guest, for firmware that
 * stores a block itself (e.g. an operator dump on a machine whose OS never
 * stored a dump IPLB).  `buf` holds `len` bytes; the block's own length
 * field must equal len and pass the same validation as DIAG 308/5
 * (sclp_iplb_validate, NVMe only with the profile's nvme_ipl).  SCLP_OK,
 * or SCLP_E_INVAL with sclp_last_error() naming the check; the stored
 * block is unchanged on an error.
 */
int sclp_set_iplb(struct sclp *s, const uint8_t *buf, uint32_t len);

/*
 * Machine reset (power-on, system_reset): fresh firmware state on the same
 * profile and host - RUNNING, no HSA, no kept CPU states, no stored IPLB,
 * event masks cleared, the profile's injected busy count re-armed, no last
 * error.  Statistics are kept (they count over the instance's lifetime).
 */
void sclp_reset(struct sclp *s);

/* Stored IPLB (DIAG 308/5), if any: copies up to SCLP_IPLB_SIZE bytes. */
bool sclp_get_iplb(const struct sclp *s, uint8_t out[SCLP_IPLB_SIZE],
                   uint32_t *len_out);

/* SIGP condition codes and status bits (q72:target/s390x/sigp.c). */
#define SCLP_SIGP_CC_ACCEPTED           0
#define SCLP_SIGP_CC_STATUS_STORED      1
#define SCLP_SIGP_CC_BUSY               2
#define SCLP_SIGP_CC_NOT_OPERATIONAL    3
#define SCLP_SIGP_STAT_EQUIPMENT_CHECK  0x80000000u
#define SCLP_SIGP_STAT_NOT_RUNNING      0x00000400u
#define SCLP_SIGP_STAT_INCORRECT_STATE  0x00000200u
#define SCLP_SIGP_STAT_INVALID_PARAMETER 0x00000100u
#define SCLP_SIGP_STAT_EXT_CALL_PENDING 0x00000080u
#define SCLP_SIGP_STAT_STOPPED          0x00000040u
#define SCLP_SIGP_STAT_INVALID_ORDER    0x00000002u

/*
 * SIGP STORE STATUS AT ADDRESS to CPU index `cpu`: the target must be
 * stopped; the 512-byte save area goes to (param & 0x7ffffe00).  The state
 * stored is the one kept at dump IPL for that CPU, else the live state.
 * Returns a condition code; *status (may be NULL) gets the status bits
 * when the cc is 1.
 */
int sclp_store_status(struct sclp *s, unsigned cpu, uint64_t param,
                      uint32_t *status);
/*
 * SIGP STORE ADDITIONAL STATUS: needs the vector facility (else invalid
 * order), a stopped target, param low 4 bits (lc) == 0 (1 KiB area, no
 * guarded storage); writes V0..V31 (512 bytes) at param & ~0x3ff.
 */
int sclp_store_adtl_status(struct sclp *s, unsigned cpu, uint64_t param,
                           uint32_t *status);
/* SIGP SENSE: cc 3 for a missing/offline CPU, cc 1 + STOPPED when stopped. */
int sclp_sigp_sense(struct sclp *s, unsigned cpu, uint32_t *status);
/* CPU index for a CPU address, or -1. */
int sclp_cpu_by_address(const struct sclp *s, uint16_t address);

#endif /* SCLP_SCLP_H */
