/* Private state of the SCLP model; not installed. */
#ifndef SCLP_INTERNAL_H
#define SCLP_INTERNAL_H

#include <stdarg.h>

#include <sclp/sclp.h>

#define SCLP_SCCB_MAX   0x10000u    /* u16 length + 1 */

struct sclp {
    struct db_host host;
    struct sclp_profile prof;
    enum sclp_state state;
    unsigned ncpus;

    /* Event facility (Write Event Mask). */
    uint64_t guest_receive_mask;
    uint64_t guest_send_mask;
    uint16_t mask_length;

    /* HSA snapshot. */
    uint8_t *hsa;
    uint64_t hsa_bytes;         /* multiple of 4 KiB; 0 = none */

    /* DIAG 308 SET / STORE. */
    uint8_t iplb[SCLP_IPLB_SIZE];
    uint32_t iplb_len;          /* 0 = none stored */
    unsigned busy_left;

    /* Register state of every CPU kept at dump IPL (for SIGP). */
    struct db_s390_cpu *saved;
    bool *saved_valid;

    struct sclp_stats stats;
    char err[160];

    /* Private copy of the SCCB being processed. */
    uint8_t work[SCLP_SCCB_MAX];
    uint32_t wb_len;            /* bytes of work to write back */
};

void sclp_set_error(struct sclp *s, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void sclp_hsa_drop(struct sclp *s);
void sclp_saved_drop(struct sclp *s);
int sclp_service_dispatch(struct sclp *s, uint32_t cmd, uint32_t len);

#endif /* SCLP_INTERNAL_H */
