/*
 * libphyp model object, dump-time processing at ibm,os-term and the /rtas
 * properties (spec /work/shared/specs/phyp.md 2.1, 3.3, 6.1, 6.3;
 * qemu:hw/ppc/spapr_fadump.c trigger_fadump_boot / fadump_preserve_mem,
 * qemu:hw/ppc/spapr.c spapr_dt_rtas_fadump).
 */
#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>

#include "internal.h"

static int prof_invalid(char *err, size_t errlen, const char *msg)
{
    if (err && errlen) {
        size_t n = strlen(msg) < errlen - 1 ? strlen(msg) : errlen - 1;
        memcpy(err, msg, n);
        err[n] = '\0';
    }
    return PHYP_ERR_INVALID;
}

int phyp_profile_validate(const struct phyp_profile *prof, char *err, size_t errlen)
{
    if (!prof) {
        return prof_invalid(err, errlen, "profile is NULL");
    }
    if (prof->max_sections == 0 || prof->max_sections > PHYP_MAX_SECTIONS_LIMIT) {
        return prof_invalid(err, errlen, "max_sections must be 1..64");
    }
    if (prof->version_min > prof->version_max) {
        return prof_invalid(err, errlen, "version_min above version_max");
    }
    if (prof->busy_count && !phyp_busy_rc_valid(prof->busy_rc)) {
        return prof_invalid(err, errlen, "busy_rc must be -2 or 9900..9905 when busy_count > 0");
    }
    if (prof->rmr_align & (prof->rmr_align - 1)) {
        return prof_invalid(err, errlen, "rmr_align must be 0 or a power of two");
    }
    if (prof->hpte_mode != PHYP_HPTE_NONE && prof->hpte_mode != PHYP_HPTE_ZERO) {
        return prof_invalid(err, errlen, "unknown hpte_mode");
    }
    return PHYP_OK;
}

static bool profile_valid(const struct phyp_profile *prof)
{
    return phyp_profile_validate(prof, NULL, 0) == PHYP_OK;
}

struct phyp *phyp_new(const struct db_host *host, const struct phyp_profile *prof)
{
    if (!host || !prof || !profile_valid(prof)) {
        return NULL;
    }
    struct phyp *p = calloc(1, sizeof(*p));
    if (!p) {
        return NULL;
    }
    p->fdm = calloc(1, (size_t)PHYP_FDM_SIZE(prof->max_sections));
    if (!p->fdm) {
        free(p);
        return NULL;
    }
    p->host = *host;
    p->prof = *prof;
    p->state = prof->supported ? PHYP_STATE_IDLE : PHYP_STATE_UNSUPPORTED;
    p->busy_left = prof->busy_count;
    p->fault = prof->fault;
    return p;
}

void phyp_free(struct phyp *p)
{
    if (!p) {
        return;
    }
    phyp_rset_free(&p->preserved);
    phyp_rset_free(&p->released);
    free(p->fdm);
    free(p);
}

const struct phyp_profile *phyp_profile(const struct phyp *p)
{
    return p ? &p->prof : NULL;
}

void phyp_inject_fault(struct phyp *p, uint32_t cmd, int32_t rc, unsigned count)
{
    if (p) {
        p->fault = (struct phyp_fault){.cmd = cmd, .rc = rc, .count = count};
    }
}

uint64_t phyp_cpu_state_size(const struct phyp *p)
{
    return phyp_profile_cpu_state_size(&p->prof, &p->host);
}

/* ---- dump-time processing ---------------------------------------------- */

/* Write len zero bytes at dst in bounded chunks. */
static int write_zero(struct phyp *p, uint8_t *chunk, uint64_t dst, uint64_t len)
{
    memset(chunk, 0, PHYP_COPY_CHUNK);
    while (len) {
        uint64_t n = len < PHYP_COPY_CHUNK ? len : PHYP_COPY_CHUNK;
        if (db_host_write(&p->host, dst, chunk, n) != 0) {
            return -1;
        }
        dst += n;
        len -= n;
    }
    return 0;
}

/*
 * Boot memory / param area: copy source_len bytes src -> dst.  Returns the
 * section error flags (0 = ok) and sets *dumped.
 */
static uint16_t copy_region(struct phyp *p, uint8_t *chunk, uint64_t src,
                            uint64_t dst, uint64_t len, uint64_t *dumped)
{
    uint64_t ram = db_host_mem_size(&p->host);
    *dumped = 0;
    if (len == 0) {
        return 0;
    }
    if (src >= ram) {
        return PHYP_SEC_ERR_INVALID_SRC;
    }
    if (len > ram - src) {
        return PHYP_SEC_ERR_LEN_EXCEEDS;
    }
    if (dst >= ram || len > ram - dst) {
        return PHYP_SEC_ERR_INVALID_DEST;
    }
    if (src != dst) {
        for (uint64_t off = 0; off < len; off += PHYP_COPY_CHUNK) {
            uint64_t n = len - off < PHYP_COPY_CHUNK ? len - off : PHYP_COPY_CHUNK;
            if (db_host_read(&p->host, src + off, chunk, n) != 0) {
                return PHYP_SEC_ERR_INVALID_SRC;
            }
            if (db_host_write(&p->host, dst + off, chunk, n) != 0) {
                return PHYP_SEC_ERR_INVALID_DEST;
            }
        }
    }
    *dumped = len;
    return 0;
}

/* Stop every CPU and collect the register state; -1 on a host failure. */
static int collect_cpus(struct phyp *p, struct db_ppc64_cpu **out, unsigned *n)
{
    unsigned cnt = db_host_cpu_count(&p->host);
    struct db_ppc64_cpu *cpus = calloc(cnt ? cnt : 1, sizeof(*cpus));
    if (!cpus) {
        return -1;
    }
    for (unsigned i = 0; i < cnt; i++) {
        if (db_host_cpu_get(&p->host, i, &cpus[i], sizeof(cpus[i])) != 0) {
            free(cpus);
            return -1;
        }
    }
    for (unsigned i = 0; i < cnt; i++) {
        struct db_ppc64_cpu c = cpus[i];
        c.stopped = true;
        /* The saved state is taken before the stop; a failing cpu_set only
         * means the host cannot record the stop. */
        (void)db_host_cpu_set(&p->host, i, &c, sizeof(c));
    }
    *out = cpus;
    *n = cnt;
    return 0;
}

static void compute_preserved(struct phyp *p, unsigned nsec)
{
    phyp_rset_clear(&p->preserved);
    phyp_rset_clear(&p->released);
    for (unsigned i = 0; i < nsec; i++) {
        const uint8_t *b = p->fdm + PHYP_FDM_FIRST_SEC_OFF + (size_t)i * PHYP_FDM_SEC_SIZE;
        uint16_t err = db_ld_be16(b + PHYP_SEC_ERROR_FLAGS);
        uint64_t len = db_ld_be64(b + PHYP_SEC_SOURCE_LEN);
        uint64_t dst = db_ld_be64(b + PHYP_SEC_DEST_ADDR);
        if (db_ld_be32(b + PHYP_SEC_REQUEST_FLAG) != PHYP_FDM_REQUEST_FLAG || len == 0 ||
            dst + len < dst ||
            (err & (PHYP_SEC_ERR_INVALID_TYPE | PHYP_SEC_ERR_INVALID_DEST))) {
            continue;
        }
        if (phyp_rset_add(&p->preserved, dst, len) != PHYP_OK) {
            /* Out of memory: the range stays untracked (not releasable). */
            continue;
        }
    }
}

enum phyp_osterm_result phyp_os_term(struct phyp *p)
{
    if (!p || p->state != PHYP_STATE_REGISTERED) {
        return PHYP_OSTERM_PANIC;   /* DUMP_ACTIVE keeps the old dump */
    }
    struct db_ppc64_cpu *cpus = NULL;
    unsigned ncpus = 0;
    uint8_t *chunk = malloc(PHYP_COPY_CHUNK);
    if (!chunk || collect_cpus(p, &cpus, &ncpus) != 0) {
        free(chunk);
        return PHYP_OSTERM_FAILED;
    }
    size_t area_len = 0;
    (void)phyp_regsave_build(cpus, ncpus, NULL, 0, &area_len);
    uint8_t *area = malloc(area_len);
    if (!area || phyp_regsave_build(cpus, ncpus, area, area_len, &area_len) != PHYP_OK) {
        free(area);
        free(cpus);
        free(chunk);
        return PHYP_OSTERM_FAILED;
    }
    free(cpus);

    unsigned nsec = db_ld_be16(p->fdm + PHYP_FDM_NUM_SECTIONS);
    bool any_err = false;
    for (unsigned i = 0; i < nsec; i++) {
        uint8_t *b = p->fdm + PHYP_FDM_FIRST_SEC_OFF + (size_t)i * PHYP_FDM_SEC_SIZE;
        uint16_t type = db_ld_be16(b + PHYP_SEC_TYPE);
        uint64_t src = db_ld_be64(b + PHYP_SEC_SOURCE_ADDR);
        uint64_t len = db_ld_be64(b + PHYP_SEC_SOURCE_LEN);
        uint64_t dst = db_ld_be64(b + PHYP_SEC_DEST_ADDR);
        uint16_t err = 0;
        uint64_t dumped = 0;

        if (db_ld_be32(b + PHYP_SEC_REQUEST_FLAG) != PHYP_FDM_REQUEST_FLAG) {
            db_st_be16(b + PHYP_SEC_ERROR_FLAGS, 0);
            db_st_be64(b + PHYP_SEC_BYTES_DUMPED, 0);
            continue;
        }
        switch (type) {
        case PHYP_SRC_CPU_STATE:
            if (area_len > len) {
                err = PHYP_SEC_ERR_DEST_TOO_SMALL;   /* nothing written (fixes Q4) */
            } else if (db_host_write(&p->host, dst, area, area_len) != 0) {
                err = PHYP_SEC_ERR_INVALID_DEST;     /* fixes Q3 */
            } else {
                dumped = area_len;
            }
            break;
        case PHYP_SRC_HPTE:
            if (p->prof.hpte_mode == PHYP_HPTE_ZERO && len) {
                if (write_zero(p, chunk, dst, len) != 0) {
                    err = PHYP_SEC_ERR_INVALID_DEST;
                } else {
                    dumped = len;
                }
            }
            break;
        case PHYP_SRC_REAL_MODE:
        case PHYP_SRC_PARAM_AREA:
            err = copy_region(p, chunk, src, dst, len, &dumped);
            break;
        default:
            err = PHYP_SEC_ERR_INVALID_TYPE;
            break;
        }
        db_st_be16(b + PHYP_SEC_ERROR_FLAGS, err);
        db_st_be64(b + PHYP_SEC_BYTES_DUMPED, dumped);
        any_err |= err != 0;
    }
    free(area);
    free(chunk);

    uint16_t status = PHYP_FDM_STATUS_TRIGGERED | PHYP_FDM_STATUS_PERFORMED;
    if (any_err) {
        status |= PHYP_FDM_STATUS_ERROR;    /* not overwritten (fixes Q11) */
    }
    db_st_be16(p->fdm + PHYP_FDM_STATUS, status);
    p->state = PHYP_STATE_DUMP_ACTIVE;
    compute_preserved(p, nsec);
    return PHYP_OSTERM_DUMP;
}

void phyp_machine_reset(struct phyp *p)
{
    if (p && p->state == PHYP_STATE_REGISTERED && p->prof.reset_drops_registration) {
        p->state = PHYP_STATE_IDLE;
        p->fdm_len = 0;
        p->fdm_addr = 0;
    }
}

/* ---- queries ------------------------------------------------------------ */

enum phyp_state phyp_get_state(const struct phyp *p)
{
    return p ? p->state : PHYP_STATE_UNSUPPORTED;
}

bool phyp_is_registered(const struct phyp *p)
{
    return p && p->state == PHYP_STATE_REGISTERED;
}

bool phyp_dump_active(const struct phyp *p)
{
    return p && p->state == PHYP_STATE_DUMP_ACTIVE;
}

uint64_t phyp_fdm_addr(const struct phyp *p)
{
    return p ? p->fdm_addr : 0;
}

/* Common tail of the property getters. */
static int emit(const uint8_t *src, size_t n, uint8_t *buf, size_t cap, size_t *len)
{
    if (!len) {
        return PHYP_ERR_INVALID;
    }
    *len = n;
    if (!buf || cap < n) {
        return PHYP_ERR_NOSPC;
    }
    memcpy(buf, src, n);
    return PHYP_OK;
}

int phyp_registered_fdm(const struct phyp *p, uint8_t *buf, size_t cap, size_t *len)
{
    if (!p || !len) {
        return PHYP_ERR_INVALID;
    }
    if (p->state != PHYP_STATE_REGISTERED && p->state != PHYP_STATE_DUMP_ACTIVE) {
        *len = 0;
        return PHYP_ERR_STATE;
    }
    return emit(p->fdm, p->fdm_len, buf, cap, len);
}

int phyp_token_property(const struct phyp *p, uint8_t *buf, size_t cap, size_t *len)
{
    uint8_t b[PHYP_DT_TOKEN_LEN];
    if (!p || !len) {
        return PHYP_ERR_INVALID;
    }
    if (p->state == PHYP_STATE_UNSUPPORTED) {
        *len = 0;
        return PHYP_ERR_STATE;
    }
    db_st_be32(b, p->prof.token);
    return emit(b, sizeof(b), buf, cap, len);
}

int phyp_sizes_property(const struct phyp *p, uint8_t *buf, size_t cap, size_t *len)
{
    uint8_t b[PHYP_DT_SIZES_LEN];
    if (!p || !len) {
        return PHYP_ERR_INVALID;
    }
    if (p->state == PHYP_STATE_UNSUPPORTED) {
        *len = 0;
        return PHYP_ERR_STATE;
    }
    uint64_t cpu = phyp_cpu_state_size(p), hpte = p->prof.hpte_size;
    db_st_be32(b + 0x00, PHYP_DT_SIZE_TYPE_CPU);
    db_st_be32(b + 0x04, (uint32_t)(cpu >> 32));
    db_st_be32(b + 0x08, (uint32_t)cpu);
    db_st_be32(b + 0x0C, PHYP_DT_SIZE_TYPE_HPTE);
    db_st_be32(b + 0x10, (uint32_t)(hpte >> 32));
    db_st_be32(b + 0x14, (uint32_t)hpte);
    return emit(b, sizeof(b), buf, cap, len);
}

int phyp_version_property(const struct phyp *p, uint8_t *buf, size_t cap, size_t *len)
{
    uint8_t b[PHYP_DT_VERSION_LEN];
    if (!p || !len) {
        return PHYP_ERR_INVALID;
    }
    if (p->state == PHYP_STATE_UNSUPPORTED) {
        *len = 0;
        return PHYP_ERR_STATE;
    }
    if (p->prof.version_prop_host_le) {
        db_st_le16(b, (uint16_t)p->prof.version_min);
        db_st_le16(b + 2, (uint16_t)p->prof.version_max);
    } else {
        db_st_be16(b, (uint16_t)p->prof.version_min);
        db_st_be16(b + 2, (uint16_t)p->prof.version_max);
    }
    return emit(b, sizeof(b), buf, cap, len);
}

int phyp_kernel_dump_property(const struct phyp *p, uint8_t *buf, size_t cap, size_t *len)
{
    if (!p || !len) {
        return PHYP_ERR_INVALID;
    }
    if (p->state != PHYP_STATE_DUMP_ACTIVE) {
        *len = 0;
        return PHYP_ERR_STATE;
    }
    return emit(p->fdm, p->fdm_len, buf, cap, len);
}
