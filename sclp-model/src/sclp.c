/*
 * Model object, SERVICE CALL entry point and the SCLP commands.
 *
 * Order of checks in sclp_service_call follows q72:hw/s390x/sclp.c
 * (sclp_service_call): program checks on the address, read the header,
 * length >= 8, copy the declared length into a private buffer (so the
 * guest cannot change it after validation), command code valid
 * (else 0x01f0), 4 KiB boundary (else 0x0100), execute, write back.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>

#include "sclp_internal.h"

void sclp_set_error(struct sclp *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->err, sizeof(s->err), fmt, ap);
    va_end(ap);
}

struct sclp *sclp_new(const struct db_host *host, const struct sclp_profile *p)
{
    if (!host || !host->ops) {
        return NULL;
    }
    if (!p) {
        p = sclp_profile_default();
    }
    if (sclp_profile_validate(p, NULL, 0) != SCLP_OK) {
        return NULL;
    }
    struct sclp *s = calloc(1, sizeof(*s));
    if (!s) {
        return NULL;
    }
    s->host = *host;
    s->prof = *p;
    s->state = SCLP_STATE_RUNNING;
    s->ncpus = db_host_cpu_count(host);
    s->mask_length = 4;
    s->busy_left = p->dump_busy_count;
    unsigned n = s->ncpus ? s->ncpus : 1;
    s->saved = calloc(n, sizeof(*s->saved));
    s->saved_valid = calloc(n, sizeof(*s->saved_valid));
    if (!s->saved || !s->saved_valid) {
        sclp_free(s);
        return NULL;
    }
    return s;
}

void sclp_free(struct sclp *s)
{
    if (!s) {
        return;
    }
    free(s->hsa);
    free(s->saved);
    free(s->saved_valid);
    free(s);
}

const struct sclp_profile *sclp_get_profile(const struct sclp *s)
{
    return s ? &s->prof : NULL;
}

enum sclp_state sclp_get_state(const struct sclp *s)
{
    return s ? s->state : SCLP_STATE_RUNNING;
}

const char *sclp_state_name(enum sclp_state st)
{
    switch (st) {
    case SCLP_STATE_RUNNING:
        return "RUNNING";
    case SCLP_STATE_DUMP_KERNEL:
        return "DUMP_KERNEL";
    case SCLP_STATE_HSA_RELEASED:
        return "HSA_RELEASED";
    }
    return "?";
}

void sclp_get_stats(const struct sclp *s, struct sclp_stats *out)
{
    if (s && out) {
        *out = s->stats;
    }
}

const char *sclp_last_error(const struct sclp *s)
{
    return s ? s->err : "";
}

uint64_t sclp_hsa_pages(const struct sclp *s)
{
    return (s && s->hsa) ? s->hsa_bytes / SCLP_PAGE_SIZE : 0;
}

int sclp_hsa_read(const struct sclp *s, uint64_t offset, void *buf,
                  uint64_t len)
{
    if (!s || !buf || !s->hsa || offset > s->hsa_bytes ||
        len > s->hsa_bytes - offset) {
        return SCLP_E_INVAL;
    }
    memcpy(buf, s->hsa + offset, len);
    return SCLP_OK;
}

uint64_t sclp_guest_receive_mask(const struct sclp *s)
{
    return s ? s->guest_receive_mask : 0;
}

uint64_t sclp_guest_send_mask(const struct sclp *s)
{
    return s ? s->guest_send_mask : 0;
}

void sclp_hsa_drop(struct sclp *s)
{
    free(s->hsa);
    s->hsa = NULL;
    s->hsa_bytes = 0;
}

void sclp_saved_drop(struct sclp *s)
{
    if (s->ncpus) {
        memset(s->saved_valid, 0, s->ncpus * sizeof(*s->saved_valid));
    }
}

static bool command_valid(uint32_t cmd)
{
    switch (cmd & SCLP_CMD_CODE_MASK) {
    case SCLP_CMDW_READ_CPU_INFO:
    case SCLP_CMDW_READ_SCP_INFO:
    case SCLP_CMDW_READ_SCP_INFO_FORCED:
    case SCLP_CMDW_READ_EVENT_DATA:
    case SCLP_CMDW_WRITE_EVENT_DATA:
    case SCLP_CMDW_WRITE_EVENT_MASK:
        return true;
    default:
        return false;
    }
}

/* q72 sccb_verify_boundary: only Read (SCP|CPU) Info may cross a 4 KiB
 * boundary, and only with the extended-length-SCCB facility (140). */
static bool boundary_ok(const struct sclp *s, uint64_t addr, uint32_t len,
                        uint32_t cmd)
{
    uint64_t last = addr + len - 1;
    uint64_t boundary = (addr & ~(uint64_t)(SCLP_PAGE_SIZE - 1)) + SCLP_PAGE_SIZE;

    switch (cmd & SCLP_CMD_CODE_MASK) {
    case SCLP_CMDW_READ_SCP_INFO:
    case SCLP_CMDW_READ_SCP_INFO_FORCED:
    case SCLP_CMDW_READ_CPU_INFO:
        if (s->prof.ext_sccb) {
            return true;
        }
        break;
    default:
        break;
    }
    return last < boundary;
}

int sclp_service_call(struct sclp *s, uint32_t command_word, uint64_t sccb_addr)
{
    struct sclp_sccb_header hdr;
    uint16_t rc;

    if (!s) {
        return -SCLP_PGM_SPECIFICATION;
    }
    /* Program checks: first 8 KiB, above 2 GiB, not doubleword aligned. */
    if ((sccb_addr & ~0x1fffull) == 0 || (sccb_addr & ~0x7ffffff8ull) != 0) {
        return -SCLP_PGM_SPECIFICATION;
    }
    if (db_host_read(&s->host, sccb_addr, &hdr, sizeof(hdr)) != 0) {
        return -SCLP_PGM_ADDRESSING;
    }
    uint32_t len = db_ld_be16(hdr.length);
    if (len < sizeof(hdr)) {
        return -SCLP_PGM_SPECIFICATION;
    }
    /* Private copy of the declared length (read once, then trusted). */
    if (db_host_read(&s->host, sccb_addr, s->work, len) != 0) {
        return -SCLP_PGM_ADDRESSING;
    }
    /* Only `len` bytes were copied: keep the copy self-consistent even if
     * the guest changed the header between the two reads. */
    db_st_be16(s->work, (uint16_t)len);
    s->stats.service_calls++;
    s->wb_len = sizeof(hdr);

    if (!command_valid(command_word)) {
        rc = SCLP_RC_INVALID_SCLP_COMMAND;
    } else if (!boundary_ok(s, sccb_addr, len, command_word)) {
        rc = SCLP_RC_SCCB_BOUNDARY_VIOLATION;
    } else {
        rc = (uint16_t)sclp_service_dispatch(s, command_word, len);
    }
    db_st_be16(s->work + offsetof(struct sclp_sccb_header, response_code), rc);
    if (s->wb_len > len) {
        s->wb_len = len;
    }
    if (db_host_write(&s->host, sccb_addr, s->work, s->wb_len) != 0) {
        sclp_set_error(s, "SCCB write-back to 0x%llx failed",
                       (unsigned long long)sccb_addr);
        return -SCLP_PGM_ADDRESSING;
    }
    return rc;
}
