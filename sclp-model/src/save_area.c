/*
 * Store status: the architected 512-byte save area, STORE ADDITIONAL
 * STATUS (vector registers) and the SIGP orders a dump kernel issues to
 * the other CPUs (lx61:arch/s390/kernel/smp.c smp_save_dump_secondary_cpus;
 * q72:target/s390x/sigp.c sigp_store_status_at_address,
 * sigp_store_adtl_status; q72:target/s390x/helper.c s390_store_status).
 */
#include <string.h>

#include <dumpbench/be.h>

#include "sclp_internal.h"

#define SA_OFF(f) offsetof(struct db_s390_save_area, f)

void sclp_save_area_encode(const struct db_s390_cpu *cpu,
                           uint8_t out[SCLP_SA_SIZE])
{
    memset(out, 0, SCLP_SA_SIZE);
    for (int i = 0; i < 16; i++) {
        db_st_be64(out + SA_OFF(fprs) + 8 * i, cpu->fprs[i]);
        db_st_be64(out + SA_OFF(gprs) + 8 * i, cpu->gprs[i]);
        db_st_be32(out + SA_OFF(acrs) + 4 * i, cpu->acrs[i]);
        db_st_be64(out + SA_OFF(crs) + 8 * i, cpu->crs[i]);
    }
    db_st_be64(out + SA_OFF(psw), cpu->psw_mask);
    db_st_be64(out + SA_OFF(psw) + 8, cpu->psw_addr);
    db_st_be32(out + SA_OFF(prefix), cpu->prefix);
    db_st_be32(out + SA_OFF(fpc), cpu->fpc);
    db_st_be32(out + SA_OFF(todpreg), cpu->todpreg);
    db_st_be64(out + SA_OFF(cputm), cpu->cputm);
    /* Bits 0-55 of the clock comparator (q72 s390_store_status: ckc >> 8). */
    db_st_be64(out + SA_OFF(ckc), cpu->ckc >> 8);
}

void sclp_save_area_decode(const uint8_t in[SCLP_SA_SIZE],
                           struct db_s390_cpu *cpu)
{
    for (int i = 0; i < 16; i++) {
        cpu->fprs[i] = db_ld_be64(in + SA_OFF(fprs) + 8 * i);
        cpu->gprs[i] = db_ld_be64(in + SA_OFF(gprs) + 8 * i);
        cpu->acrs[i] = db_ld_be32(in + SA_OFF(acrs) + 4 * i);
        cpu->crs[i] = db_ld_be64(in + SA_OFF(crs) + 8 * i);
    }
    cpu->psw_mask = db_ld_be64(in + SA_OFF(psw));
    cpu->psw_addr = db_ld_be64(in + SA_OFF(psw) + 8);
    cpu->prefix = db_ld_be32(in + SA_OFF(prefix));
    cpu->fpc = db_ld_be32(in + SA_OFF(fpc));
    cpu->todpreg = db_ld_be32(in + SA_OFF(todpreg));
    cpu->cputm = db_ld_be64(in + SA_OFF(cputm));
    cpu->ckc = db_ld_be64(in + SA_OFF(ckc)) << 8;
}

void sclp_adtl_vx_encode(const struct db_s390_cpu *cpu,
                         uint8_t out[SCLP_ADTL_VX_SIZE])
{
    for (int i = 0; i < 16; i++) {
        db_st_be64(out + 16 * i, cpu->fprs[i]);
        db_st_be64(out + 16 * i + 8, cpu->vxrs_low[i]);
        db_st_be64(out + 256 + 16 * i, cpu->vxrs_high[i][0]);
        db_st_be64(out + 256 + 16 * i + 8, cpu->vxrs_high[i][1]);
    }
}

void sclp_adtl_vx_decode(const uint8_t in[SCLP_ADTL_VX_SIZE],
                         struct db_s390_cpu *cpu)
{
    for (int i = 0; i < 16; i++) {
        cpu->vxrs_low[i] = db_ld_be64(in + 16 * i + 8);
        cpu->vxrs_high[i][0] = db_ld_be64(in + 256 + 16 * i);
        cpu->vxrs_high[i][1] = db_ld_be64(in + 256 + 16 * i + 8);
    }
}

int sclp_cpu_by_address(const struct sclp *s, uint16_t address)
{
    if (!s) {
        return -1;
    }
    for (unsigned i = 0; i < s->ncpus; i++) {
        struct db_s390_cpu c;
        if (db_host_cpu_get(&s->host, i, &c, sizeof(c)) == 0 &&
            c.address == address) {
            return (int)i;
        }
    }
    return -1;
}

static int sigp_status(uint32_t *status, uint32_t bits)
{
    if (status) {
        *status = bits;
    }
    return SCLP_SIGP_CC_STATUS_STORED;
}

/*
 * Common target checks: a missing or offline CPU is not operational (cc 3);
 * a running one gives cc 1 / incorrect state.  On success *live holds the
 * live state and *src the state to store (kept at dump IPL, else live).
 */
static int sigp_target(struct sclp *s, unsigned cpu, struct db_s390_cpu *live,
                       const struct db_s390_cpu **src, uint32_t *status)
{
    if (!s || cpu >= s->ncpus ||
        db_host_cpu_get(&s->host, cpu, live, sizeof(*live)) != 0 ||
        !live->online) {
        return SCLP_SIGP_CC_NOT_OPERATIONAL;
    }
    if (!live->stopped) {
        return sigp_status(status, SCLP_SIGP_STAT_INCORRECT_STATE);
    }
    *src = s->saved_valid[cpu] ? &s->saved[cpu] : live;
    return SCLP_SIGP_CC_ACCEPTED;
}

int sclp_sigp_sense(struct sclp *s, unsigned cpu, uint32_t *status)
{
    struct db_s390_cpu live;
    if (!s || cpu >= s->ncpus ||
        db_host_cpu_get(&s->host, cpu, &live, sizeof(live)) != 0 ||
        !live.online) {
        return SCLP_SIGP_CC_NOT_OPERATIONAL;
    }
    if (live.stopped) {
        return sigp_status(status, SCLP_SIGP_STAT_STOPPED);
    }
    return SCLP_SIGP_CC_ACCEPTED;
}

int sclp_store_status(struct sclp *s, unsigned cpu, uint64_t param,
                      uint32_t *status)
{
    struct db_s390_cpu live;
    const struct db_s390_cpu *src = NULL;
    uint8_t sa[SCLP_SA_SIZE];

    int cc = sigp_target(s, cpu, &live, &src, status);
    if (cc != SCLP_SIGP_CC_ACCEPTED) {
        return cc;
    }
    uint64_t addr = param & SCLP_SA_ADDR_MASK;
    sclp_save_area_encode(src, sa);
    if (db_host_write(&s->host, addr, sa, sizeof(sa)) != 0) {
        return sigp_status(status, SCLP_SIGP_STAT_INVALID_PARAMETER);
    }
    return SCLP_SIGP_CC_ACCEPTED;
}

int sclp_store_adtl_status(struct sclp *s, unsigned cpu, uint64_t param,
                           uint32_t *status)
{
    struct db_s390_cpu live;
    const struct db_s390_cpu *src = NULL;
    uint8_t vx[SCLP_ADTL_VX_SIZE];

    if (s && cpu < s->ncpus && !s->prof.vector) {
        struct db_s390_cpu c;
        if (db_host_cpu_get(&s->host, cpu, &c, sizeof(c)) == 0 && c.online) {
            return sigp_status(status, SCLP_SIGP_STAT_INVALID_ORDER);
        }
    }
    int cc = sigp_target(s, cpu, &live, &src, status);
    if (cc != SCLP_SIGP_CC_ACCEPTED) {
        return cc;
    }
    /* lc = param & 0xf: only 0 (1 KiB area) without guarded storage. */
    if ((param & 0xf) != 0 || param > 0xffffffffull) {
        return sigp_status(status, SCLP_SIGP_STAT_INVALID_PARAMETER);
    }
    uint64_t addr = param & ~(uint64_t)(SCLP_ADTL_MIN_LEN - 1);
    sclp_adtl_vx_encode(src, vx);
    if (db_host_write(&s->host, addr, vx, sizeof(vx)) != 0) {
        return sigp_status(status, SCLP_SIGP_STAT_INVALID_PARAMETER);
    }
    return SCLP_SIGP_CC_ACCEPTED;
}
