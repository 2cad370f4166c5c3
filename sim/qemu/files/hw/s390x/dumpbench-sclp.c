/*
 * dumpbench: the libsclp side of the QEMU glue (see dumpbench-sclp.h).
 *
 * Includes only libsclp and the neutral dumpbench headers; every call
 * into the firmware model goes through here.
 *
 * This work is licensed under the terms of the GNU GPL, version 2 or (at
 * your option) any later version.
 */
#include <stdio.h>
#include <string.h>

#include <dumpbench/be.h>
#include <dumpbench/host.h>
#include <sclp/sclp.h>

#include "dumpbench-sclp.h"

_Static_assert((int)DBS_ACT_NONE == (int)SCLP_ACT_NONE, "action mirror");
_Static_assert((int)DBS_ACT_RESET_CLEAR == (int)SCLP_ACT_RESET_CLEAR, "action mirror");
_Static_assert((int)DBS_ACT_RESET_NORMAL == (int)SCLP_ACT_RESET_NORMAL, "action mirror");
_Static_assert((int)DBS_ACT_REIPL_CLEAR == (int)SCLP_ACT_REIPL_CLEAR, "action mirror");
_Static_assert((int)DBS_ACT_DUMP_IPL == (int)SCLP_ACT_DUMP_IPL, "action mirror");
_Static_assert((int)DBS_ACT_REIPL_NORMAL == (int)SCLP_ACT_REIPL_NORMAL, "action mirror");
_Static_assert((int)DBS_STATE_RUNNING == (int)SCLP_STATE_RUNNING, "state mirror");
_Static_assert((int)DBS_STATE_DUMP_KERNEL == (int)SCLP_STATE_DUMP_KERNEL, "state mirror");
_Static_assert((int)DBS_STATE_HSA_RELEASED == (int)SCLP_STATE_HSA_RELEASED, "state mirror");
_Static_assert((int)DBS_IPLB_SIZE == (int)SCLP_IPLB_SIZE, "IPLB size");

/* Resolve a profile name and optional HSA override into *out. */
static int make_profile(const char *name, uint64_t hsa_override,
                        struct sclp_profile *out, char *err, size_t errlen)
{
    const struct sclp_profile *p = name && name[0] ?
                                   sclp_profile_lookup(name) :
                                   sclp_profile_default();
    if (!p) {
        if (err && errlen) {
            size_t n = 0;
            n += (size_t)snprintf(err, errlen, "unknown profile '%s' (known:",
                                  name);
            for (unsigned i = 0; i < sclp_profile_count() && n < errlen; i++) {
                n += (size_t)snprintf(err + n, errlen - n, " %s",
                                      sclp_profile_at(i)->name);
            }
            if (n < errlen) {
                snprintf(err + n, errlen - n, ")");
            }
        }
        return SCLP_E_INVAL;
    }
    *out = *p;
    if (hsa_override != DBS_NO_HSA_OVERRIDE) {
        out->hsa_size = hsa_override;
    }
    return sclp_profile_validate(out, err, errlen);
}

int dbs_profile_check(const char *name, uint64_t hsa_override,
                      char *err, size_t errlen)
{
    struct sclp_profile p;
    return make_profile(name, hsa_override, &p, err, errlen);
}

struct sclp *dbs_new(const struct db_host *host, const char *name,
                     uint64_t hsa_override, char *err, size_t errlen)
{
    struct sclp_profile p;
    if (make_profile(name, hsa_override, &p, err, errlen) != SCLP_OK) {
        return NULL;
    }
    struct sclp *s = sclp_new(host, &p);
    if (!s && err && errlen) {
        snprintf(err, errlen, "sclp_new failed (no memory?)");
    }
    return s;
}

void dbs_free(struct sclp *s)
{
    sclp_free(s);
}

int dbs_state(const struct sclp *s)
{
    return (int)sclp_get_state(s);
}

const char *dbs_state_name(const struct sclp *s)
{
    return sclp_state_name(sclp_get_state(s));
}

const char *dbs_last_error(const struct sclp *s)
{
    return sclp_last_error(s);
}

const char *dbs_profile_name(const struct sclp *s)
{
    const struct sclp_profile *p = sclp_get_profile(s);
    return p ? p->name : "";
}

uint64_t dbs_profile_hsa_size(const struct sclp *s)
{
    const struct sclp_profile *p = sclp_get_profile(s);
    return p ? p->hsa_size : 0;
}

bool dbs_dump_supported(const struct sclp *s)
{
    const struct sclp_profile *p = sclp_get_profile(s);
    return p && p->dump_supported;
}

uint64_t dbs_hsa_bytes(const struct sclp *s)
{
    return sclp_hsa_pages(s) * SCLP_PAGE_SIZE;
}

/* lx61 sclp_early.c: the field is blocks + 1; 0 means no HSA. */
uint32_t dbs_read_info_hsa_field(const struct sclp *s)
{
    uint64_t pages = sclp_hsa_pages(s);
    return pages ? (uint32_t)(pages + 1) : 0;
}

bool dbs_dump_installed(const struct sclp *s)
{
    const struct sclp_profile *p = sclp_get_profile(s);
    return p && p->dump_installed;
}

uint64_t dbs_sclp_receive_mask(const struct sclp *s)
{
    const struct sclp_profile *p = sclp_get_profile(s);
    if (!p || !p->sdias) {
        return 0;
    }
    return p->sclp_receive_mask & SCLP_EVTYP_MASK(SCLP_EVTYP_SDIAS);
}

bool dbs_is_sdias_call(uint32_t command_word, const uint8_t *head, size_t n)
{
    const size_t type_off = sizeof(struct sclp_sccb_header) +
                            offsetof(struct sclp_evbuf_header, type);

    if ((command_word & SCLP_CMD_CODE_MASK) != SCLP_CMDW_WRITE_EVENT_DATA ||
        n <= type_off) {
        return false;
    }
    return db_ld_be16(head) > type_off && head[type_off] == SCLP_EVTYP_SDIAS;
}

int dbs_service_call(struct sclp *s, uint32_t command_word, uint64_t sccb)
{
    return sclp_service_call(s, command_word, sccb);
}

int dbs_diag308(struct sclp *s, unsigned cpu, uint64_t subcode,
                uint64_t addr, uint64_t *rc, bool *rc_set)
{
    const uint64_t unset = UINT64_MAX;
    uint64_t v = unset;
    int r = sclp_diag308(s, cpu, subcode, addr, &v);
    *rc_set = v != unset;
    if (*rc_set) {
        *rc = v;
    }
    return r;
}

int dbs_diag308_dump_precheck(const struct sclp *s, uint64_t subcode,
                              uint64_t *rc)
{
    uint8_t iplb[SCLP_IPLB_SIZE];
    uint32_t len;

    if (subcode & ~(uint64_t)(0xffffu | DIAG308_FLAG_EI)) {
        return -SCLP_PGM_SPECIFICATION;
    }
    if (!dbs_dump_supported(s)) {
        return -SCLP_PGM_SPECIFICATION;
    }
    if (!sclp_get_iplb(s, iplb, &len) || !sclp_iplb_is_dump(iplb, len)) {
        *rc = DIAG308_RC_NOCONFIG;
        return 1;
    }
    if (sclp_get_state(s) == SCLP_STATE_DUMP_KERNEL) {
        *rc = DIAG308_RC_BUSY;
        return 1;
    }
    return 0;
}

bool dbs_has_iplb(const struct sclp *s, bool *is_dump)
{
    uint8_t iplb[SCLP_IPLB_SIZE];
    uint32_t len;

    if (!sclp_get_iplb(s, iplb, &len)) {
        *is_dump = false;
        return false;
    }
    *is_dump = sclp_iplb_is_dump(iplb, len);
    return true;
}

bool dbs_get_iplb(const struct sclp *s, uint8_t *out, uint32_t *len)
{
    return sclp_get_iplb(s, out, len);
}

int dbs_dump_ipl(struct sclp *s, unsigned cpu)
{
    return sclp_dump_ipl(s, cpu);
}

int dbs_set_iplb(struct sclp *s, const uint8_t *buf, uint32_t len)
{
    return sclp_set_iplb(s, buf, len) == SCLP_OK ? 0 : -1;
}

void dbs_reset(struct sclp *s)
{
    sclp_reset(s);
}

int dbs_build_fcp_dump_iplb(uint8_t *out, uint32_t *len, uint16_t devno,
                            uint64_t wwpn, uint64_t lun)
{
    struct sclp_iplb_info info;

    sclp_iplb_info_fcp(&info, SCLP_IPL_OPT_DUMP, devno, wwpn, lun);
    return sclp_iplb_encode(&info, out, len) == SCLP_IPLB_OK ? 0 : -1;
}

int dbs_sigp(struct sclp *s, enum dbs_sigp_order order, unsigned cpu,
             uint64_t param, uint32_t *status)
{
    switch (order) {
    case DBS_SIGP_SENSE:
        return sclp_sigp_sense(s, cpu, status);
    case DBS_SIGP_STORE_STATUS:
        return sclp_store_status(s, cpu, param, status);
    case DBS_SIGP_STORE_ADTL_STATUS:
        return sclp_store_adtl_status(s, cpu, param, status);
    }
    return SCLP_SIGP_CC_NOT_OPERATIONAL;
}
