/*
 * PAPR register save area builder and parser (spec 2.6; layout in
 * <phyp/regsave.h>; qemu:hw/ppc/spapr_fadump.c populate_cpu_reg_entries,
 * linux:arch/powerpc/platforms/pseries/rtas-fadump.c
 * rtas_fadump_build_cpu_notes).
 */
#include <string.h>

#include <dumpbench/be.h>

#include "internal.h"

/* Which db_ppc64_cpu field an entry carries (RF_ZERO: not modelled, 0). */
enum regfield {
    RF_ZERO, RF_NIA, RF_MSR, RF_CTR, RF_LR, RF_XER, RF_CR, RF_DAR, RF_DSISR,
    RF_SRR0, RF_SRR1, RF_PIR, RF_PVR, RF_FPSCR,
};

struct regdesc {
    const char *name;
    enum regfield field;
};

/* QEMU order: registers before the GPR block ... */
static const struct regdesc regs_pre[] = {
    {"ACOP", RF_ZERO}, {"AMR", RF_ZERO}, {"BESCR", RF_ZERO}, {"CFAR", RF_ZERO},
    {"CIABR", RF_ZERO}, {"CR", RF_CR}, {"CTR", RF_CTR}, {"CTRL", RF_ZERO},
    {"DABR", RF_ZERO}, {"DABRX", RF_ZERO}, {"DAR", RF_DAR}, {"DAWR0", RF_ZERO},
    {"DAWR1", RF_ZERO}, {"DAWRX0", RF_ZERO}, {"DAWRX1", RF_ZERO},
    {"DPDES", RF_ZERO}, {"DSCR", RF_ZERO}, {"DSISR", RF_DSISR},
    {"EBBHR", RF_ZERO}, {"EBBRR", RF_ZERO}, {"FPSCR", RF_FPSCR}, {"FSCR", RF_ZERO},
};

/* ... and after it. */
static const struct regdesc regs_post[] = {
    {"IAMR", RF_ZERO}, {"IC", RF_ZERO}, {"LR", RF_LR}, {"MSR", RF_MSR},
    {"NIA", RF_NIA}, {"PIR", RF_PIR}, {"PSPB", RF_ZERO}, {"PVR", RF_PVR},
    {"RPR", RF_ZERO}, {"SPURR", RF_ZERO}, {"SRR0", RF_SRR0}, {"SRR1", RF_SRR1},
    {"TAR", RF_ZERO}, {"TEXASR", RF_ZERO}, {"TFHAR", RF_ZERO}, {"TFIAR", RF_ZERO},
    {"TIR", RF_ZERO}, {"UAMOR", RF_ZERO}, {"VRSAVE", RF_ZERO}, {"VSCR", RF_ZERO},
    {"VTB", RF_ZERO}, {"WORT", RF_ZERO}, {"XER", RF_XER},
};

#define NREG_PRE  (sizeof(regs_pre) / sizeof(regs_pre[0]))
#define NREG_POST (sizeof(regs_post) / sizeof(regs_post[0]))
_Static_assert(2 + NREG_PRE + 32 + NREG_POST == PHYP_REGSAVE_ENTRIES_PER_CPU,
               "79 entries per CPU (FADUMP_PER_CPU_REG_ENTRIES = 32 + 45 + 2)");

/* fadump_str_to_u64: first 8 ASCII bytes, left-justified, NUL padded. */
static uint64_t str_to_id(const char *s)
{
    uint64_t v = 0;
    for (int i = 0; i < 8; i++) {
        v = (v << 8) | (uint8_t)(*s ? *s++ : 0);
    }
    return v;
}

static uint64_t regval(const struct db_ppc64_cpu *c, enum regfield f)
{
    switch (f) {
    case RF_NIA: return c->nia;
    case RF_MSR: return c->msr;
    case RF_CTR: return c->ctr;
    case RF_LR: return c->lr;
    case RF_XER: return c->xer;
    case RF_CR: return c->cr;
    case RF_DAR: return c->dar;
    case RF_DSISR: return c->dsisr;
    case RF_SRR0: return c->srr0;
    case RF_SRR1: return c->srr1;
    case RF_PIR: return c->pir;
    case RF_PVR: return c->pvr;
    case RF_FPSCR: return c->fpscr;
    case RF_ZERO: break;
    }
    return 0;
}

static void set_regval(struct db_ppc64_cpu *c, uint64_t id, uint64_t v)
{
    if ((id & PHYP_REGID_GPR_MASK) == PHYP_REGID_GPR_PFX) {
        /* "GPRnn": two decimal digits in bytes 3-4 (rtas_fadump_gpr_index). */
        unsigned d1 = (unsigned)(id >> 32) & 0xff, d2 = (unsigned)(id >> 24) & 0xff;
        if (d1 >= '0' && d1 <= '9' && d2 >= '0' && d2 <= '9' && (id & 0xffffff) == 0) {
            unsigned idx = (d1 - '0') * 10 + (d2 - '0');
            if (idx < 32) {
                c->gpr[idx] = v;
            }
        }
        return;
    }
    switch (id) {
    case PHYP_REGID_NIA: c->nia = v; break;
    case PHYP_REGID_MSR: c->msr = v; break;
    case PHYP_REGID_CTR: c->ctr = v; break;
    case PHYP_REGID_LR: c->lr = v; break;
    case PHYP_REGID_XER: c->xer = v; break;
    case PHYP_REGID_CR: c->cr = v; break;
    case PHYP_REGID_DAR: c->dar = v; break;
    case PHYP_REGID_DSISR: c->dsisr = v; break;
    case PHYP_REGID_SRR0: c->srr0 = v; break;
    case PHYP_REGID_SRR1: c->srr1 = v; break;
    case PHYP_REGID_PIR: c->pir = v; break;
    case PHYP_REGID_PVR: c->pvr = v; break;
    case PHYP_REGID_FPSCR: c->fpscr = v; break;
    default: break; /* other ids are ignored, as the kernel does */
    }
}

static uint8_t *put_entry(uint8_t *b, uint64_t id, uint64_t v)
{
    db_st_be64(b, id);
    db_st_be64(b + 8, v);
    return b + PHYP_REGSAVE_ENTRY_SIZE;
}

int phyp_regsave_build(const struct db_ppc64_cpu *cpus, unsigned ncpus,
                       uint8_t *buf, size_t cap, size_t *len)
{
    if ((!cpus && ncpus) || !len) {
        return PHYP_ERR_INVALID;
    }
    unsigned online = 0;
    for (unsigned i = 0; i < ncpus; i++) {
        online += cpus[i].online ? 1 : 0;
    }
    uint64_t need = PHYP_REGSAVE_SIZE(online);
    *len = (size_t)need;
    if (!buf || cap < need) {
        return PHYP_ERR_NOSPC;
    }
    memset(buf, 0, (size_t)need);   /* deterministic 0xC tail (QEMU Q5) */
    db_st_be64(buf + PHYP_REGSAVE_OFF_MAGIC, PHYP_REGSAVE_MAGIC);
    db_st_be32(buf + PHYP_REGSAVE_OFF_VERSION, 0);
    db_st_be32(buf + PHYP_REGSAVE_OFF_NCO, PHYP_REGSAVE_NUM_CPU_OFFSET);
    db_st_be32(buf + PHYP_REGSAVE_NUM_CPU_OFFSET, online);
    uint8_t *e = buf + PHYP_REGSAVE_OFF_ENTRIES;
    for (unsigned i = 0; i < ncpus; i++) {
        const struct db_ppc64_cpu *c = &cpus[i];
        if (!c->online) {
            continue;
        }
        e = put_entry(e, PHYP_REGID_CPUSTRT, c->cpu_id);
        for (size_t k = 0; k < NREG_PRE; k++) {
            e = put_entry(e, str_to_id(regs_pre[k].name), regval(c, regs_pre[k].field));
        }
        for (unsigned g = 0; g < 32; g++) {
            uint64_t id = PHYP_REGID_GPR_PFX | (uint64_t)('0' + g / 10) << 32 |
                          (uint64_t)('0' + g % 10) << 24;
            e = put_entry(e, id, c->gpr[g]);
        }
        for (size_t k = 0; k < NREG_POST; k++) {
            e = put_entry(e, str_to_id(regs_post[k].name), regval(c, regs_post[k].field));
        }
        e = put_entry(e, PHYP_REGID_CPUEND, c->cpu_id);
    }
    return PHYP_OK;
}

int phyp_regsave_parse(const uint8_t *buf, size_t len, struct db_ppc64_cpu *cpus,
                       unsigned max, unsigned *ncpus)
{
    if (!buf || !ncpus || (!cpus && max)) {
        return PHYP_ERR_INVALID;
    }
    *ncpus = 0;
    if (len < 16 || db_ld_be64(buf + PHYP_REGSAVE_OFF_MAGIC) != PHYP_REGSAVE_MAGIC) {
        return PHYP_ERR_FORMAT;
    }
    uint64_t nco = db_ld_be32(buf + PHYP_REGSAVE_OFF_NCO);
    if (nco < 16 || nco > len || len - nco < 4) {
        return PHYP_ERR_FORMAT;
    }
    uint32_t n = db_ld_be32(buf + nco);
    uint64_t pos = nco + 4;
    /* Every CPU block needs at least CPUSTRT + CPUEND. */
    if ((uint64_t)n * 2 * PHYP_REGSAVE_ENTRY_SIZE > len - pos) {
        return PHYP_ERR_FORMAT;
    }
    if (n > max) {
        *ncpus = n;
        return PHYP_ERR_NOSPC;
    }
    for (uint32_t i = 0; i < n; i++) {
        struct db_ppc64_cpu c;
        memset(&c, 0, sizeof(c));
        if (len - pos < PHYP_REGSAVE_ENTRY_SIZE ||
            db_ld_be64(buf + pos) != PHYP_REGID_CPUSTRT) {
            return PHYP_ERR_FORMAT;
        }
        uint32_t id = (uint32_t)(db_ld_be64(buf + pos + 8) & PHYP_REGSAVE_CPU_ID_MASK);
        pos += PHYP_REGSAVE_ENTRY_SIZE;
        for (;;) {
            if (len - pos < PHYP_REGSAVE_ENTRY_SIZE) {
                return PHYP_ERR_FORMAT;     /* no CPUEND inside the area */
            }
            uint64_t rid = db_ld_be64(buf + pos);
            uint64_t v = db_ld_be64(buf + pos + 8);
            pos += PHYP_REGSAVE_ENTRY_SIZE;
            if (rid == PHYP_REGID_CPUEND) {
                if ((uint32_t)(v & PHYP_REGSAVE_CPU_ID_MASK) != id) {
                    return PHYP_ERR_FORMAT;
                }
                break;
            }
            if (rid == PHYP_REGID_CPUSTRT) {
                return PHYP_ERR_FORMAT;     /* nested block */
            }
            set_regval(&c, rid, v);
        }
        c.online = true;
        c.cpu_id = id;
        cpus[i] = c;
    }
    *ncpus = n;
    return PHYP_OK;
}
