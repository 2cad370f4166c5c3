#include "helpers.h"

#include <ctype.h>
#include <string.h>

#include <dumpbench/be.h>

static int fl_read(void *o, uint64_t addr, void *buf, uint64_t len)
{
    struct flaky *fl = o;
    if (fl->reads_ok == 0) {
        return -1;
    }
    if (fl->reads_ok > 0) {
        fl->reads_ok--;
    }
    int rc = fl->th->host.ops->mem_read(fl->th, addr, buf, len);
    if (fl->poke_after > 0 && --fl->poke_after == 0) {
        fl->th->mem[fl->poke_addr] ^= 0xff;     /* guest races the firmware */
    }
    return rc;
}

static int fl_write(void *o, uint64_t addr, const void *buf, uint64_t len)
{
    struct flaky *fl = o;
    return fl->th->host.ops->mem_write(fl->th, addr, buf, len);
}

static uint64_t fl_size(void *o)
{
    struct flaky *fl = o;
    return fl->th->host.ops->mem_size(fl->th);
}

static unsigned fl_ncpus(void *o)
{
    struct flaky *fl = o;
    return fl->th->host.ops->cpu_count(fl->th);
}

static int fl_cpu_get(void *o, unsigned cpu, void *regs, size_t size)
{
    struct flaky *fl = o;
    if (fl->cpu_get_fail) {
        return -1;
    }
    return fl->th->host.ops->cpu_get(fl->th, cpu, regs, size);
}

static int fl_cpu_set(void *o, unsigned cpu, const void *regs, size_t size)
{
    struct flaky *fl = o;
    return fl->th->host.ops->cpu_set(fl->th, cpu, regs, size);
}

static const struct db_host_ops fl_ops = {
    .mem_read = fl_read,
    .mem_write = fl_write,
    .mem_size = fl_size,
    .cpu_count = fl_ncpus,
    .cpu_get = fl_cpu_get,
    .cpu_set = fl_cpu_set,
};

void fx_init_prof(struct fx *f, const struct phyp_profile *prof, uint64_t mem, unsigned ncpus)
{
    memset(f, 0, sizeof(*f));
    f->th = testhost_new(TH_PPC64, mem, ncpus);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f->th);
    f->fl.th = f->th;
    f->fl.reads_ok = -1;
    f->fl.host.ops = &fl_ops;
    f->fl.host.opaque = &f->fl;
    CU_ASSERT_PTR_NOT_NULL_FATAL(prof);
    f->p = phyp_new(&f->fl.host, prof);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f->p);
}

void fx_init(struct fx *f, const char *profile)
{
    fx_init_prof(f, phyp_profile_find(profile), T_MEM, T_NCPUS);
}

void fx_fini(struct fx *f)
{
    phyp_free(f->p);
    testhost_free(f->th);
    f->p = NULL;
    f->th = NULL;
}

void put_fdm(struct testhost *th, uint64_t addr, uint32_t version, uint16_t nsec,
             uint32_t first_off, const struct tsec *s, unsigned count)
{
    uint8_t *b = th->mem + addr;
    memset(b, 0, PHYP_FDM_HDR_SIZE);
    db_st_be32(b + 0x00, version);
    db_st_be16(b + 0x04, nsec);
    db_st_be16(b + 0x06, 0);
    db_st_be32(b + 0x08, first_off);
    for (unsigned i = 0; i < count; i++) {
        uint8_t *e = b + 0x28 + 0x28 * i;
        memset(e, 0, 0x28);
        db_st_be32(e + 0x00, s[i].rf);
        db_st_be16(e + 0x04, s[i].type);
        db_st_be64(e + 0x08, s[i].src);
        db_st_be64(e + 0x10, s[i].len);
        db_st_be64(e + 0x20, s[i].dst);
    }
}

void std_sections(struct tsec s[3], uint64_t cpu_size, uint64_t hpte_size)
{
    s[0] = (struct tsec){1, PHYP_SRC_CPU_STATE, 0, cpu_size, T_AREA};
    s[1] = (struct tsec){1, PHYP_SRC_HPTE, 0, hpte_size, T_AREA + cpu_size};
    uint64_t rmr = (T_AREA + cpu_size + hpte_size + 0xfff) & ~0xfffull;
    s[2] = (struct tsec){1, PHYP_SRC_REAL_MODE, 0, T_RMR_LEN, rmr};
}

int32_t do_reg(struct fx *f, uint64_t size)
{
    return phyp_configure_kernel_dump(f->p, 3, 1, PHYP_CMD_REGISTER, T_FDM, size);
}

int32_t register_std(struct fx *f)
{
    struct tsec s[3];
    const struct phyp_profile *prof = phyp_profile(f->p);
    std_sections(s, phyp_profile_cpu_state_size(prof, &f->fl.host), prof->hpte_size);
    put_fdm(f->th, T_FDM, 1, 3, 0x28, s, 3);
    return do_reg(f, 160);
}

void assert_idle(struct fx *f)
{
    uint8_t buf[8];
    size_t len = 99;
    CU_ASSERT_EQUAL(phyp_get_state(f->p), PHYP_STATE_IDLE);
    CU_ASSERT_FALSE(phyp_is_registered(f->p));
    CU_ASSERT_FALSE(phyp_dump_active(f->p));
    CU_ASSERT_EQUAL(phyp_fdm_addr(f->p), 0);
    CU_ASSERT_EQUAL(phyp_registered_fdm(f->p, buf, sizeof(buf), &len), PHYP_ERR_STATE);
    CU_ASSERT_EQUAL(len, 0);
    CU_ASSERT_EQUAL(phyp_kernel_dump_property(f->p, buf, sizeof(buf), &len), PHYP_ERR_STATE);
}

size_t hex2bin(const char *hex, uint8_t *out, size_t cap)
{
    size_t n = 0;
    int hi = -1;
    for (; *hex; hex++) {
        if (isspace((unsigned char)*hex)) {
            continue;
        }
        int v = isdigit((unsigned char)*hex) ? *hex - '0'
                                             : tolower((unsigned char)*hex) - 'a' + 10;
        if (hi < 0) {
            hi = v;
        } else {
            if (n < cap) {
                out[n] = (uint8_t)(hi << 4 | v);
            }
            n++;
            hi = -1;
        }
    }
    return n;
}
