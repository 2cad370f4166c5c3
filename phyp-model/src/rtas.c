/*
 * RTAS ibm,configure-kernel-dump (spec /work/shared/specs/phyp.md 2.2, 2.3,
 * 6.2; linux:arch/powerpc/platforms/pseries/rtas-fadump.c,
 * qemu:hw/ppc/spapr_fadump.c do_fadump_register, qemu:hw/ppc/spapr_rtas.c).
 *
 * Order of checks for every call:
 *   1. nargs == 3 and nret == 1                               else -3
 *   2. injected fault (struct phyp_fault)                     forced rc
 *   3. busy replies due (profile busy_rc/busy_count)          -2 / 990x
 *   4. command dispatch; unknown command                      -3
 * REGISTER:
 *   5. state: REGISTERED -9, DUMP_ACTIVE -10
 *   6. 40 <= size <= 40 + 40*max_sections                     else -3
 *   7. 0 < fdm, fdm + size <= min(RMA, RAM, 4 GiB)            else -3
 *   8. header readable                                        else -1
 *   9. version in [min, max]; 1 <= n <= max_sections;
 *      offset_first_dump_section == 0x28                      else -3
 *  10. strict_size: size == 40 + 40n;
 *      strict_sections: size >= 40 + 40n                      else -3
 *  11. sections readable                                      else -1
 *  12. strict_sections: per-section and cross-section checks  else -3
 *  13. snapshot, zero dump_status_flag, REGISTERED, 0
 * UNREGISTER: DUMP_ACTIVE -10, else IDLE and 0.
 * INVALIDATE: DUMP_ACTIVE -> IDLE (releases all) and 0; otherwise -3, or
 *   with invalidate_idle_ok (QEMU Q1) 0 and a registration is dropped.
 * UNREGISTER/INVALIDATE do not look at the fdm arguments (neither does
 * QEMU; the kernel passes its structure or fdm_active with 160/440).
 */
#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>

#include "internal.h"

#define FOUR_GIB (1ull << 32)

static bool is_busy_rc(int32_t rc)
{
    return rc == PHYP_RTAS_BUSY ||
           (rc >= PHYP_RTAS_EXT_BUSY_MIN && rc <= PHYP_RTAS_EXT_BUSY_MAX);
}

/* Highest address + 1 the structure may reach. */
static uint64_t fdm_limit(const struct phyp *p)
{
    uint64_t lim = db_host_mem_size(&p->host);
    if (p->prof.rma_size && p->prof.rma_size < lim) {
        lim = p->prof.rma_size;
    }
    return lim < FOUR_GIB ? lim : FOUR_GIB;
}

struct secinfo {
    uint32_t rf;
    uint16_t type;
    uint64_t src, len, dst;
};

static void sec_load(const uint8_t *fdm, unsigned i, struct secinfo *s)
{
    const uint8_t *b = fdm + PHYP_FDM_FIRST_SEC_OFF + (size_t)i * PHYP_FDM_SEC_SIZE;
    s->rf = db_ld_be32(b + PHYP_SEC_REQUEST_FLAG);
    s->type = db_ld_be16(b + PHYP_SEC_TYPE);
    s->src = db_ld_be64(b + PHYP_SEC_SOURCE_ADDR);
    s->len = db_ld_be64(b + PHYP_SEC_SOURCE_LEN);
    s->dst = db_ld_be64(b + PHYP_SEC_DEST_ADDR);
}

static bool in_ram(uint64_t a, uint64_t len, uint64_t ram)
{
    return a <= ram && len <= ram - a;
}

static bool has_source(const struct secinfo *s)
{
    return s->type == PHYP_SRC_REAL_MODE || s->type == PHYP_SRC_PARAM_AREA;
}

static bool misaligned(uint64_t v, uint64_t align)
{
    return align && (v & (align - 1)) != 0;
}

/*
 * Strict section validation (spec 6.2 steps 6-7).  fdm points at the
 * private copy; fdm_addr/fdm_bytes is the guest range of the structure.
 */
static bool sections_valid(const struct phyp *p, const uint8_t *fdm, unsigned n,
                           uint64_t fdm_addr, uint64_t fdm_bytes)
{
    struct secinfo s[PHYP_MAX_SECTIONS_LIMIT];
    uint64_t ram = db_host_mem_size(&p->host);
    uint64_t cpu_size = phyp_cpu_state_size(p);
    uint64_t align = p->prof.rmr_align;
    unsigned ncpu = 0, nhpte = 0, nparam = 0;

    for (unsigned i = 0; i < n; i++) {
        sec_load(fdm, i, &s[i]);
        const struct secinfo *c = &s[i];
        if (c->rf != PHYP_FDM_REQUEST_FLAG) {
            return false;
        }
        switch (c->type) {
        case PHYP_SRC_CPU_STATE:
            if (c->len != cpu_size || ++ncpu > 1) {
                return false;
            }
            break;
        case PHYP_SRC_HPTE:
            if (c->len != p->prof.hpte_size || ++nhpte > 1) {
                return false;
            }
            break;
        case PHYP_SRC_REAL_MODE:
            if (c->len == 0 || !in_ram(c->src, c->len, ram) ||
                misaligned(c->src, align) || misaligned(c->len, align) ||
                misaligned(c->dst, align)) {
                return false;
            }
            break;
        case PHYP_SRC_PARAM_AREA:
            if (c->len == 0 || !in_ram(c->src, c->len, ram) || ++nparam > 1) {
                return false;
            }
            break;
        default:
            return false;
        }
        if (c->len && (!in_ram(c->dst, c->len, ram) ||
                       phyp_overlap(c->dst, c->len, fdm_addr, fdm_bytes))) {
            return false;
        }
    }
    for (unsigned i = 0; i < n; i++) {
        for (unsigned j = 0; j < n; j++) {
            const struct secinfo *a = &s[i], *b = &s[j];
            if (i == j) {
                /* Own source: only the param area may be preserved in place. */
                if (has_source(a) && phyp_overlap(a->dst, a->len, a->src, a->len) &&
                    !(a->type == PHYP_SRC_PARAM_AREA && a->src == a->dst)) {
                    return false;
                }
                continue;
            }
            if (phyp_overlap(a->dst, a->len, b->dst, b->len)) {
                return false;
            }
            if (has_source(b) && phyp_overlap(a->dst, a->len, b->src, b->len)) {
                return false;
            }
            if (a->type == PHYP_SRC_REAL_MODE && b->type == PHYP_SRC_REAL_MODE &&
                phyp_overlap(a->src, a->len, b->src, b->len)) {
                return false;   /* duplicate boot-memory region */
            }
        }
    }
    return true;
}

static int32_t do_register(struct phyp *p, uint64_t addr, uint64_t size)
{
    uint8_t hdr[PHYP_FDM_HDR_SIZE];

    if (p->state == PHYP_STATE_REGISTERED) {
        return PHYP_RTAS_ALREADY_REGISTERED;
    }
    if (p->state == PHYP_STATE_DUMP_ACTIVE) {
        return PHYP_RTAS_DUMP_ACTIVE;
    }
    if (size < PHYP_FDM_HDR_SIZE || size > PHYP_FDM_SIZE(p->prof.max_sections)) {
        return PHYP_RTAS_PARAM_ERROR;
    }
    uint64_t lim = fdm_limit(p);
    if (addr == 0 || addr >= lim || size > lim - addr) {
        return PHYP_RTAS_PARAM_ERROR;
    }
    if (db_host_read(&p->host, addr, hdr, sizeof(hdr)) != 0) {
        return PHYP_RTAS_HW_ERROR;
    }
    uint32_t version = db_ld_be32(hdr + PHYP_FDM_VERSION);
    unsigned n = db_ld_be16(hdr + PHYP_FDM_NUM_SECTIONS);
    if (version < p->prof.version_min || version > p->prof.version_max ||
        n == 0 || n > p->prof.max_sections ||
        db_ld_be32(hdr + PHYP_FDM_FIRST_SEC) != PHYP_FDM_FIRST_SEC_OFF) {
        return PHYP_RTAS_PARAM_ERROR;
    }
    uint64_t need = PHYP_FDM_SIZE(n);
    if ((p->prof.strict_size && size != need) ||
        (p->prof.strict_sections && size < need)) {
        return PHYP_RTAS_PARAM_ERROR;
    }
    uint8_t *copy = malloc((size_t)need);
    if (!copy) {
        return PHYP_RTAS_HW_ERROR;
    }
    if (db_host_read(&p->host, addr, copy, need) != 0) {
        free(copy);
        return PHYP_RTAS_HW_ERROR;
    }
    /* The header may have changed between the two reads: use the copy. */
    if (memcmp(copy, hdr, sizeof(hdr)) != 0) {
        free(copy);
        return PHYP_RTAS_HW_ERROR;
    }
    if (p->prof.strict_sections &&
        !sections_valid(p, copy, n, addr, size > need ? size : need)) {
        free(copy);
        return PHYP_RTAS_PARAM_ERROR;
    }
    memcpy(p->fdm, copy, (size_t)need);
    free(copy);
    db_st_be16(p->fdm + PHYP_FDM_STATUS, 0);
    p->fdm_len = (size_t)need;
    p->fdm_addr = addr;
    p->state = PHYP_STATE_REGISTERED;
    return PHYP_RTAS_SUCCESS;
}

static void drop_all(struct phyp *p)
{
    p->state = PHYP_STATE_IDLE;
    p->fdm_len = 0;
    p->fdm_addr = 0;
    phyp_rset_clear(&p->preserved);
    phyp_rset_clear(&p->released);
}

int32_t phyp_configure_kernel_dump(struct phyp *p, uint32_t nargs, uint32_t nret,
                                   uint32_t cmd, uint64_t fdm_addr, uint64_t fdm_size)
{
    if (!p || p->state == PHYP_STATE_UNSUPPORTED) {
        /* Unknown token: QEMU's dispatcher answers parameter error. */
        return PHYP_RTAS_PARAM_ERROR;
    }
    if (nargs != PHYP_RTAS_NARGS || nret != PHYP_RTAS_NRET) {
        return PHYP_RTAS_PARAM_ERROR;
    }
    if (p->fault.count && (p->fault.cmd == 0 || p->fault.cmd == cmd)) {
        p->fault.count--;
        return p->fault.rc;
    }
    if (p->busy_left) {
        p->busy_left--;
        return p->prof.busy_rc;
    }
    p->busy_left = p->prof.busy_count;   /* re-arm for the next call */

    switch (cmd) {
    case PHYP_CMD_REGISTER:
        if (fdm_addr >= FOUR_GIB || fdm_size >= FOUR_GIB) {
            return PHYP_RTAS_PARAM_ERROR;   /* not representable in a cell */
        }
        return do_register(p, fdm_addr, fdm_size);
    case PHYP_CMD_UNREGISTER:
        if (p->state == PHYP_STATE_DUMP_ACTIVE) {
            return PHYP_RTAS_DUMP_ACTIVE;
        }
        drop_all(p);
        return PHYP_RTAS_SUCCESS;
    case PHYP_CMD_INVALIDATE:
        if (p->state == PHYP_STATE_DUMP_ACTIVE) {
            drop_all(p);
            return PHYP_RTAS_SUCCESS;
        }
        if (p->prof.invalidate_idle_ok) {
            drop_all(p);    /* QEMU 10.2 Q1: -3 overwritten by 0 */
            return PHYP_RTAS_SUCCESS;
        }
        return PHYP_RTAS_PARAM_ERROR;
    default:
        return PHYP_RTAS_PARAM_ERROR;
    }
}

int32_t phyp_rtas_call(struct phyp *p, uint32_t nargs, const uint32_t *args,
                       uint32_t nret, uint32_t *rets)
{
    int32_t rc;
    if (!args && nargs) {
        rc = PHYP_RTAS_PARAM_ERROR;
    } else if (nargs < PHYP_RTAS_NARGS) {
        rc = phyp_configure_kernel_dump(p, nargs, nret, nargs ? args[0] : 0, 0, 0);
    } else {
        rc = phyp_configure_kernel_dump(p, nargs, nret, args[0], args[1], args[2]);
    }
    if (rets && nret >= 1) {
        rets[0] = (uint32_t)rc;
    }
    return rc;
}

bool phyp_busy_rc_valid(int32_t rc)
{
    return is_busy_rc(rc);
}
