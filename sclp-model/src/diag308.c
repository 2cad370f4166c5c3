/*
 * DIAG 308 and the dump IPL (spec 1.2, 6.1, 7.3; q72:target/s390x/diag.c
 * handle_diag_308 for the checks QEMU makes, lx61:arch/s390/kernel/ipl.c
 * diag308_dump and drivers/s390/char/zcore.c for how Linux uses it).
 *
 *   0/1  reset                  -> action RESET_*, dump state kept
 *   2    release HSA            -> rc 1; DUMP_KERNEL -> HSA_RELEASED
 *   3    load clear (re-IPL)    -> action REIPL_CLEAR; HSA dropped, RUNNING
 *   4    load normal with dump  -> rc 0x0102 (no dump IPLB), 0x0302 (busy),
 *                                  else dump IPL and action DUMP_IPL
 *   5    SET                    -> rc 1 or 0x0402 (block unchanged)
 *   6    STORE                  -> rc 1 or 0x0102
 *   7    load normal (re-IPL)   -> action REIPL_NORMAL; HSA dropped, RUNNING
 * Specification exception: bits above the EI flag, subcode > 7, subcodes
 * 2/4 without dump support, SET/STORE address not 4 KiB aligned.
 */
#include <stdlib.h>
#include <string.h>

#include <dumpbench/be.h>

#include "sclp_internal.h"

int sclp_dump_ipl(struct sclp *s, unsigned ipl_cpu)
{
    struct db_s390_cpu c;
    uint8_t sa[SCLP_SA_SIZE];
    const uint8_t arch = 1;

    if (!s) {
        return SCLP_E_INVAL;
    }
    if (s->state == SCLP_STATE_DUMP_KERNEL) {
        return SCLP_E_BUSY;
    }
    if (ipl_cpu >= s->ncpus ||
        db_host_cpu_get(&s->host, ipl_cpu, &c, sizeof(c)) != 0) {
        sclp_set_error(s, "dump IPL: no CPU %u", ipl_cpu);
        return SCLP_E_INVAL;
    }
    uint64_t msize = db_host_mem_size(&s->host);
    if (msize < SCLP_SA_ABS_ADDR + SCLP_SA_SIZE) {
        sclp_set_error(s, "dump IPL: memory too small for the save area");
        return SCLP_E_HOST;
    }
    /* Read every CPU's state before changing anything. */
    struct db_s390_cpu *st = calloc(s->ncpus, sizeof(*st));
    bool *ok = calloc(s->ncpus, sizeof(*ok));
    if (!st || !ok) {
        free(st);
        free(ok);
        return SCLP_E_NOMEM;
    }
    for (unsigned i = 0; i < s->ncpus; i++) {
        ok[i] = db_host_cpu_get(&s->host, i, &st[i], sizeof(st[i])) == 0 &&
                st[i].online;
    }

    /* 1. Stop all CPUs, keeping their register state for SIGP. */
    sclp_saved_drop(s);
    for (unsigned i = 0; i < s->ncpus; i++) {
        if (!ok[i]) {
            continue;
        }
        st[i].stopped = true;
        db_host_cpu_set(&s->host, i, &st[i], sizeof(st[i]));
        if (i != ipl_cpu) {
            s->saved[i] = st[i];
            s->saved_valid[i] = true;
        }
    }
    /* 2. Store status of the IPL CPU at absolute 0x1200 and ar_mode_id = 1
     *    (pitfalls 5, 6: before the HSA snapshot). */
    sclp_save_area_encode(&st[ipl_cpu], sa);
    int wr = db_host_write(&s->host, SCLP_SA_ABS_ADDR, sa, sizeof(sa));
    if (wr == 0) {
        wr = db_host_write(&s->host, SCLP_LC_AR_MODE_ID, &arch, 1);
    }
    free(st);
    free(ok);
    if (wr != 0) {
        sclp_set_error(s, "dump IPL: store status at 0x1200 failed");
    }

    /* 3. HSA := absolute [0, min(hsa_size, memory)). */
    sclp_hsa_drop(s);
    uint64_t bytes = s->prof.hsa_size;
    if (bytes > (msize & ~(uint64_t)(SCLP_PAGE_SIZE - 1))) {
        bytes = msize & ~(uint64_t)(SCLP_PAGE_SIZE - 1);
    }
    if (bytes) {
        s->hsa = malloc(bytes);
        if (!s->hsa) {
            sclp_set_error(s, "dump IPL: cannot allocate %llu-byte HSA",
                           (unsigned long long)bytes);
        } else if (db_host_read(&s->host, 0, s->hsa, bytes) != 0) {
            sclp_set_error(s, "dump IPL: reading memory into the HSA failed");
            sclp_hsa_drop(s);
        } else {
            s->hsa_bytes = bytes;
        }
    }
    s->state = SCLP_STATE_DUMP_KERNEL;
    s->stats.dump_ipls++;
    return SCLP_OK;
}

bool sclp_get_iplb(const struct sclp *s, uint8_t out[SCLP_IPLB_SIZE],
                   uint32_t *len_out)
{
    if (!s || !s->iplb_len) {
        return false;
    }
    if (out) {
        memcpy(out, s->iplb, SCLP_IPLB_SIZE);
    }
    if (len_out) {
        *len_out = s->iplb_len;
    }
    return true;
}

int sclp_set_iplb(struct sclp *s, const uint8_t *buf, uint32_t len)
{
    if (!s || !buf) {
        return SCLP_E_INVAL;
    }
    if (len < SCLP_IPLB_OFF_BLK0 + 5 || len > SCLP_IPLB_SIZE) {
        sclp_set_error(s, "IPL block length %u not in %u..%u", len,
                       SCLP_IPLB_OFF_BLK0 + 5, SCLP_IPLB_SIZE);
        return SCLP_E_INVAL;
    }
    if (db_ld_be32(buf) != len) {
        sclp_set_error(s, "IPL block length field %u != %u bytes given",
                       db_ld_be32(buf), len);
        return SCLP_E_INVAL;
    }
    enum sclp_iplb_status st = sclp_iplb_validate(buf, len, s->prof.nvme_ipl);
    if (st != SCLP_IPLB_OK) {
        sclp_set_error(s, "IPL block rejected: %s", sclp_iplb_strerror(st));
        return SCLP_E_INVAL;
    }
    memset(s->iplb, 0, sizeof(s->iplb));
    memcpy(s->iplb, buf, len);
    s->iplb_len = len;
    return SCLP_OK;
}

void sclp_reset(struct sclp *s)
{
    if (!s) {
        return;
    }
    sclp_hsa_drop(s);
    sclp_saved_drop(s);
    s->state = SCLP_STATE_RUNNING;
    memset(s->iplb, 0, sizeof(s->iplb));
    s->iplb_len = 0;
    s->guest_receive_mask = 0;
    s->guest_send_mask = 0;
    s->mask_length = 4;
    s->busy_left = s->prof.dump_busy_count;
    s->err[0] = '\0';
}

/* Return-code sink: records whether the subcode set R1+1. */
struct rcout {
    uint64_t rc;
    bool set;
};

static void set_rc(struct rcout *o, uint64_t rc)
{
    o->rc = rc;
    o->set = true;
}

/* Leave a dump (re-IPL): the HSA and kept CPU states are gone. */
static void end_dump(struct sclp *s)
{
    sclp_hsa_drop(s);
    sclp_saved_drop(s);
    s->state = SCLP_STATE_RUNNING;
    s->stats.reipls++;
}

static int diag_set(struct sclp *s, uint64_t addr, struct rcout *rc_out)
{
    uint8_t lenb[4];
    uint8_t blk[SCLP_IPLB_SIZE];

    if (db_host_read(&s->host, addr, lenb, sizeof(lenb)) != 0) {
        return -SCLP_PGM_ADDRESSING;
    }
    uint32_t len = db_ld_be32(lenb);
    if (len < SCLP_IPLB_OFF_BLK0 + 5 || len > SCLP_IPLB_SIZE) {
        set_rc(rc_out, DIAG308_RC_INVALID);
        return SCLP_ACT_NONE;
    }
    memset(blk, 0, sizeof(blk));
    if (db_host_read(&s->host, addr, blk, len) != 0) {
        return -SCLP_PGM_ADDRESSING;
    }
    /* The private copy is authoritative: its length must match. */
    if (db_ld_be32(blk) != len ||
        sclp_iplb_validate(blk, len, s->prof.nvme_ipl) != SCLP_IPLB_OK) {
        set_rc(rc_out, DIAG308_RC_INVALID);
        return SCLP_ACT_NONE;
    }
    memcpy(s->iplb, blk, sizeof(blk));
    s->iplb_len = len;
    set_rc(rc_out, DIAG308_RC_OK);
    return SCLP_ACT_NONE;
}

static int diag_store(struct sclp *s, uint64_t addr, struct rcout *rc_out)
{
    if (!s->iplb_len) {
        set_rc(rc_out, DIAG308_RC_NOCONFIG);
        return SCLP_ACT_NONE;
    }
    if (db_host_write(&s->host, addr, s->iplb, s->iplb_len) != 0) {
        return -SCLP_PGM_ADDRESSING;
    }
    set_rc(rc_out, DIAG308_RC_OK);
    return SCLP_ACT_NONE;
}

static int diag_dump(struct sclp *s, unsigned cpu, struct rcout *rc_out)
{
    if (!s->iplb_len || !sclp_iplb_is_dump(s->iplb, s->iplb_len)) {
        set_rc(rc_out, DIAG308_RC_NOCONFIG);
        return SCLP_ACT_NONE;
    }
    if (s->state == SCLP_STATE_DUMP_KERNEL || s->busy_left) {
        if (s->state != SCLP_STATE_DUMP_KERNEL) {
            s->busy_left--;
        }
        s->stats.busy_replies++;
        set_rc(rc_out, DIAG308_RC_BUSY);
        return SCLP_ACT_NONE;
    }
    int r = sclp_dump_ipl(s, cpu);
    if (r == SCLP_E_BUSY) {
        set_rc(rc_out, DIAG308_RC_BUSY);
        return SCLP_ACT_NONE;
    }
    if (r != SCLP_OK) {
        set_rc(rc_out, DIAG308_RC_NOCONFIG);
        return SCLP_ACT_NONE;
    }
    set_rc(rc_out, DIAG308_RC_OK);
    return SCLP_ACT_DUMP_IPL;
}

static int diag308(struct sclp *s, unsigned cpu, uint64_t subcode,
                   uint64_t addr, struct rcout *rc_out)
{
    if (!s) {
        return -SCLP_PGM_SPECIFICATION;
    }
    if (subcode & ~(uint64_t)(0xffffu | DIAG308_FLAG_EI)) {
        return -SCLP_PGM_SPECIFICATION;
    }
    switch (subcode & 0xffffu) {
    case DIAG308_CLEAR_RESET:
        sclp_saved_drop(s);
        return SCLP_ACT_RESET_CLEAR;
    case DIAG308_LOAD_NORMAL_RESET:
        sclp_saved_drop(s);
        return SCLP_ACT_RESET_NORMAL;
    case DIAG308_REL_HSA:
        if (!s->prof.dump_supported) {
            return -SCLP_PGM_SPECIFICATION;
        }
        if (s->state == SCLP_STATE_DUMP_KERNEL) {
            sclp_hsa_drop(s);
            s->state = SCLP_STATE_HSA_RELEASED;
            s->stats.hsa_releases++;
        }
        set_rc(rc_out, DIAG308_RC_OK);
        return SCLP_ACT_NONE;
    case DIAG308_LOAD_CLEAR:
        end_dump(s);
        return SCLP_ACT_REIPL_CLEAR;
    case DIAG308_LOAD_NORMAL_DUMP:
        if (!s->prof.dump_supported) {
            return -SCLP_PGM_SPECIFICATION;
        }
        return diag_dump(s, cpu, rc_out);
    case DIAG308_SET:
        if (addr & (SCLP_PAGE_SIZE - 1)) {
            return -SCLP_PGM_SPECIFICATION;
        }
        return diag_set(s, addr, rc_out);
    case DIAG308_STORE:
        if (addr & (SCLP_PAGE_SIZE - 1)) {
            return -SCLP_PGM_SPECIFICATION;
        }
        return diag_store(s, addr, rc_out);
    case DIAG308_LOAD_NORMAL:
        end_dump(s);
        return SCLP_ACT_REIPL_NORMAL;
    default:
        return -SCLP_PGM_SPECIFICATION;
    }
}

int sclp_diag308(struct sclp *s, unsigned cpu, uint64_t subcode,
                 uint64_t addr, uint64_t *rc_out)
{
    struct rcout o = { 0, false };
    int r = diag308(s, cpu, subcode, addr, &o);
    if (r >= 0 && o.set && rc_out) {
        *rc_out = o.rc;
    }
    return r;
}

int sclp_diag308_regs(struct sclp *s, unsigned cpu, unsigned r1, unsigned r3)
{
    struct db_s390_cpu c;
    struct rcout o = { 0, false };

    if (!s || r1 > 15 || r3 > 15 ||
        db_host_cpu_get(&s->host, cpu, &c, sizeof(c)) != 0) {
        return -SCLP_PGM_SPECIFICATION;
    }
    /* R1 names the even register of an even/odd pair (rc goes to R1+1). */
    if (r1 & 1) {
        return -SCLP_PGM_SPECIFICATION;
    }
    int r = diag308(s, cpu, c.gprs[r3], c.gprs[r1], &o);
    /* Re-read: a dump IPL changed the CPU's run state. */
    if (r >= 0 && o.set &&
        db_host_cpu_get(&s->host, cpu, &c, sizeof(c)) == 0) {
        c.gprs[r1 + 1] = o.rc;
        db_host_cpu_set(&s->host, cpu, &c, sizeof(c));
    }
    return r;
}
