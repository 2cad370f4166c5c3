/*
 * dumpbench: narrow interface between QEMU's s390x code
 * (hw/s390x/dumpbench-s390.c) and libsclp (hw/s390x/dumpbench-sclp.c).
 *
 * libsclp's headers define names that collide with QEMU's own
 * (sclp_service_call(), SCLP_RC_*, DIAG308_*), so the QEMU side never
 * includes them: it only sees this plain-C interface, and the libsclp
 * side never includes a QEMU header.  libsclp and dumpbench-sclp.c are
 * compiled into a separate static library with
 * -Dsclp_service_call=dumpbench_sclp_service_call.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or (at
 * your option) any later version.
 */
#ifndef HW_S390X_DUMPBENCH_SCLP_H
#define HW_S390X_DUMPBENCH_SCLP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct db_host;
struct sclp;

/* Mirrors of libsclp's enum sclp_action (checked in dumpbench-sclp.c). */
enum {
    DBS_ACT_NONE = 0,
    DBS_ACT_RESET_CLEAR,
    DBS_ACT_RESET_NORMAL,
    DBS_ACT_REIPL_CLEAR,
    DBS_ACT_DUMP_IPL,
    DBS_ACT_REIPL_NORMAL,
};

/* Mirrors of libsclp's enum sclp_state. */
enum {
    DBS_STATE_RUNNING = 0,
    DBS_STATE_DUMP_KERNEL,
    DBS_STATE_HSA_RELEASED,
};

/* SIGP orders answered by libsclp while a dump is in progress. */
enum dbs_sigp_order {
    DBS_SIGP_SENSE,
    DBS_SIGP_STORE_STATUS,
    DBS_SIGP_STORE_ADTL_STATUS,
};

#define DBS_IPLB_SIZE       4096
#define DBS_NO_HSA_OVERRIDE UINT64_MAX

/* Profile name (NULL = default) and optional HSA size override. */
int dbs_profile_check(const char *name, uint64_t hsa_override,
                      char *err, size_t errlen);
struct sclp *dbs_new(const struct db_host *host, const char *name,
                     uint64_t hsa_override, char *err, size_t errlen);
void dbs_free(struct sclp *s);

int dbs_state(const struct sclp *s);
const char *dbs_state_name(const struct sclp *s);
const char *dbs_last_error(const struct sclp *s);
const char *dbs_profile_name(const struct sclp *s);
uint64_t dbs_profile_hsa_size(const struct sclp *s);
bool dbs_dump_supported(const struct sclp *s);
uint64_t dbs_hsa_bytes(const struct sclp *s);

/* Read SCP Info: value of bytes 112-115 (HSA blocks + 1, 0 = no HSA). */
uint32_t dbs_read_info_hsa_field(const struct sclp *s);
/* Read SCP Info byte 91 bit 0x02 ("LDIPL dump installed"). */
bool dbs_dump_installed(const struct sclp *s);
/* SCLP receive-mask bits libsclp adds to QEMU's (the SDIAS type). */
uint64_t dbs_sclp_receive_mask(const struct sclp *s);

/*
 * True when a service call is libsclp's: Write Event Data whose first
 * event buffer is SDIAS.  `head` holds the first `n` bytes of the SCCB.
 */
bool dbs_is_sdias_call(uint32_t command_word, const uint8_t *head, size_t n);
/* Response code (>= 0) or a negated program-interruption code. */
int dbs_service_call(struct sclp *s, uint32_t command_word, uint64_t sccb);

/*
 * DIAG 308: action (DBS_ACT_*) or negated program-interruption code;
 * *rc_set tells whether *rc is the R1+1 value.
 */
int dbs_diag308(struct sclp *s, unsigned cpu, uint64_t subcode,
                uint64_t addr, uint64_t *rc, bool *rc_set);
/*
 * Checks libsclp makes for subcode 4 that need no machine stop:
 * < 0 program check, 1 = answer *rc now (no dump IPLB / dump in
 * progress), 0 = the dump IPL may go ahead.
 */
int dbs_diag308_dump_precheck(const struct sclp *s, uint64_t subcode,
                              uint64_t *rc);
bool dbs_has_iplb(const struct sclp *s, bool *is_dump);
/* Copy of the stored IPLB (DBS_IPLB_SIZE bytes), false if none. */
bool dbs_get_iplb(const struct sclp *s, uint8_t *out, uint32_t *len);
/* Operator dump: sclp_dump_ipl(); 0, or < 0 (message in dbs_last_error). */
int dbs_dump_ipl(struct sclp *s, unsigned cpu);
/* Host-side SET of an IPLB (libsclp sclp_set_iplb: DIAG 308/5's checks);
 * 0, or < 0 with the reason in dbs_last_error. */
int dbs_set_iplb(struct sclp *s, const uint8_t *buf, uint32_t len);
/* Machine reset (power-on / system_reset): fresh firmware state. */
void dbs_reset(struct sclp *s);
/* FCP dump IPLB (opt 0x20) for an operator dump without a stored block. */
int dbs_build_fcp_dump_iplb(uint8_t *out, uint32_t *len, uint16_t devno,
                            uint64_t wwpn, uint64_t lun);

/* SIGP condition code; *status gets the status bits when cc == 1. */
int dbs_sigp(struct sclp *s, enum dbs_sigp_order order, unsigned cpu,
             uint64_t param, uint32_t *status);

#endif /* HW_S390X_DUMPBENCH_SCLP_H */
