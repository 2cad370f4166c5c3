/* libsclp CUnit runner and shared fixture helpers. */
#include <stdio.h>
#include <stdlib.h>

#include <CUnit/Basic.h>

#include "helpers.h"

void fx_init(struct fx *f, const struct sclp_profile *p, uint64_t mem,
             unsigned ncpus)
{
    memset(f, 0, sizeof(*f));
    if (p) {
        f->prof = *p;
    } else {
        sclp_profile_init_custom(&f->prof, "test-1m", SMALL_HSA);
    }
    f->th = testhost_new(TH_S390X, mem, ncpus);
    CU_ASSERT_FATAL(f->th != NULL);
    f->s = sclp_new(&f->th->host, &f->prof);
    CU_ASSERT_FATAL(f->s != NULL);
}

void fx_fini(struct fx *f)
{
    sclp_free(f->s);
    testhost_free(f->th);
    f->s = NULL;
    f->th = NULL;
}

uint8_t *fx_mem(struct fx *f, uint64_t addr)
{
    return f->th->mem + addr;
}

int fx_call(struct fx *f, uint32_t cmd, const uint8_t *sccb, uint32_t len)
{
    memcpy(fx_mem(f, SCCB_ADDR), sccb, len);
    return sclp_service_call(f->s, cmd, SCCB_ADDR);
}

void sdias_build(uint8_t sccb[68], uint8_t qual, uint32_t fbn,
                 uint32_t blk_cnt, uint64_t asa)
{
    memset(sccb, 0, 68);
    db_st_be16(sccb, 68);
    uint8_t *ev = sccb + 8;
    db_st_be16(ev, 60);
    ev[2] = SCLP_EVTYP_SDIAS;
    ev[6] = qual;
    ev[7] = SDIAS_DI_FCP_DUMP;
    db_st_be32(ev + 16, SDIAS_EVENT_ID);
    ev[22] = qual == SDIAS_EQ_STORE_DATA ? SDIAS_ASA_SIZE_64 : 0;
    db_st_be32(ev + 28, blk_cnt);
    db_st_be64(ev + 32, asa);
    db_st_be32(ev + 44, fbn);
    db_st_be16(ev + 58, 1);
}

int fx_sdias(struct fx *f, uint8_t qual, uint32_t fbn, uint32_t blk_cnt,
             uint64_t asa)
{
    uint8_t sccb[68];
    sdias_build(sccb, qual, fbn, blk_cnt, asa);
    return fx_call(f, SCLP_CMDW_WRITE_EVENT_DATA, sccb, sizeof(sccb));
}

uint8_t fx_sdias_status(struct fx *f)
{
    return fx_mem(f, SCCB_ADDR)[8 + 23];
}

uint32_t fx_sdias_blkcnt(struct fx *f)
{
    return db_ld_be32(fx_mem(f, SCCB_ADDR) + 8 + 28);
}

uint8_t fx_sdias_flags(struct fx *f)
{
    return fx_mem(f, SCCB_ADDR)[8 + 3];
}

uint64_t fx_set_iplb(struct fx *f, const struct sclp_iplb_info *info)
{
    uint8_t blk[SCLP_IPLB_SIZE];
    uint32_t len = 0;
    uint64_t rc = 0;
    CU_ASSERT_EQUAL_FATAL(sclp_iplb_encode(info, blk, &len), SCLP_IPLB_OK);
    memcpy(fx_mem(f, IPLB_ADDR), blk, SCLP_IPLB_SIZE);
    CU_ASSERT_EQUAL(sclp_diag308(f->s, 0, DIAG308_SET, IPLB_ADDR, &rc),
                    SCLP_ACT_NONE);
    return rc;
}

int fx_trigger_dump(struct fx *f)
{
    struct sclp_iplb_info info;
    uint64_t rc = 0;
    sclp_iplb_info_fcp(&info, SCLP_IPL_OPT_DUMP, 0x1700, 0x500507630300c562ull,
                       0x4010400000000000ull);
    CU_ASSERT_EQUAL(fx_set_iplb(f, &info), DIAG308_RC_OK);
    int act = sclp_diag308(f->s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_OK);
    return act;
}

void fill_cpu(struct db_s390_cpu *c, unsigned seed)
{
    uint64_t b = 0x0100000000000000ull * (seed + 1);
    for (int i = 0; i < 16; i++) {
        c->gprs[i] = b + 0x1000 + (uint64_t)i;
        c->fprs[i] = b + 0x2000 + (uint64_t)i;
        c->crs[i] = b + 0x3000 + (uint64_t)i;
        c->acrs[i] = (uint32_t)(0xa0000000u + seed * 0x100 + (unsigned)i);
        c->vxrs_low[i] = b + 0x4000 + (uint64_t)i;
        c->vxrs_high[i][0] = b + 0x5000 + (uint64_t)i;
        c->vxrs_high[i][1] = b + 0x6000 + (uint64_t)i;
    }
    c->psw_mask = 0x0704c00180000000ull;
    c->psw_addr = 0x100000ull + seed;
    c->fpc = 0x00080000u + seed;
    c->prefix = 0x10000u * (seed + 2) + 0;
    c->todpreg = 0x1234u + seed;
    c->cputm = 0x7fffffff00000000ull + seed;
    c->ckc = 0x00d5aabbccddee00ull + ((uint64_t)seed << 8);
}

int main(void)
{
    if (CU_initialize_registry() != CUE_SUCCESS) {
        return 2;
    }
    register_profile_tests();
    register_service_tests();
    register_sdias_tests();
    register_diag308_tests();
    register_store_tests();
    register_iplb_tests();
    register_s390dump_tests();
    if (CU_get_error() != CUE_SUCCESS) {
        CU_cleanup_registry();
        return 2;
    }
    CU_basic_set_mode(CU_BRM_VERBOSE);
    CU_basic_run_tests();
    unsigned failures = CU_get_number_of_failures();
    int err = CU_get_error();
    CU_cleanup_registry();
    return (failures || err) ? 1 : 0;
}
