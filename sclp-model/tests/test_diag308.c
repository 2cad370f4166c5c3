/* DIAG 308 subcodes, return codes and the state machine. */
#include "helpers.h"

static void fcp(struct sclp_iplb_info *i, uint8_t opt)
{
    sclp_iplb_info_fcp(i, opt, 0x1700, 0x500507630300c562ull, 0x4010400000000000ull);
}

static void t_spec_exceptions(void)
{
    struct fx f;
    uint64_t rc = 0xdead;
    fx_init(&f, NULL, 4 * MiB, 1);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, 1ull << 17 | DIAG308_STORE, IPLB_ADDR, &rc),
                    -SCLP_PGM_SPECIFICATION);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, 8, 0, &rc), -SCLP_PGM_SPECIFICATION);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, 0xffff, 0, &rc), -SCLP_PGM_SPECIFICATION);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_SET, IPLB_ADDR + 8, &rc),
                    -SCLP_PGM_SPECIFICATION);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_STORE, IPLB_ADDR + 1, &rc),
                    -SCLP_PGM_SPECIFICATION);
    CU_ASSERT_EQUAL(rc, 0xdead);                   /* rc untouched on pgm check */
    /* EI flag is accepted */
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_FLAG_EI | DIAG308_STORE, IPLB_ADDR, &rc),
                    SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_NOCONFIG);
    fx_fini(&f);
}

static void t_qemu72_no_dump_subcodes(void)
{
    struct fx f;
    uint64_t rc = 0;
    struct sclp_iplb_info i;
    fx_init(&f, sclp_profile_lookup("qemu-7.2"), 4 * MiB, 1);
    fcp(&i, SCLP_IPL_OPT_DUMP);
    CU_ASSERT_EQUAL(fx_set_iplb(&f, &i), DIAG308_RC_OK);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc),
                    -SCLP_PGM_SPECIFICATION);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_REL_HSA, 0, &rc),
                    -SCLP_PGM_SPECIFICATION);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_RUNNING);
    /* and it has no NVMe IPLB type */
    sclp_iplb_info_nvme(&i, SCLP_IPL_OPT_DUMP, 0x10, 1);
    CU_ASSERT_EQUAL(fx_set_iplb(&f, &i), DIAG308_RC_INVALID);
    fx_fini(&f);
}

static void t_store_without_iplb(void)
{
    struct fx f;
    uint64_t rc = 0;
    fx_init(&f, NULL, 4 * MiB, 1);
    memset(fx_mem(&f, IPLB_ADDR), 0xcc, 4096);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_STORE, IPLB_ADDR, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_NOCONFIG);
    CU_ASSERT_EQUAL(fx_mem(&f, IPLB_ADDR)[0], 0xcc);
    fx_fini(&f);
}

static void t_set_store_roundtrip(void)
{
    struct fx f;
    uint64_t rc = 0;
    uint8_t blk[4096];
    uint32_t len;
    struct sclp_iplb_info i;
    fx_init(&f, NULL, 4 * MiB, 1);
    fcp(&i, SCLP_IPL_OPT_DUMP);
    i.scp_data_len = 5;
    memcpy(i.scp_data, "quiet", 5);
    CU_ASSERT_EQUAL(sclp_iplb_encode(&i, blk, &len), SCLP_IPLB_OK);
    CU_ASSERT_EQUAL(len, 649);
    CU_ASSERT_EQUAL(fx_set_iplb(&f, &i), DIAG308_RC_OK);
    memset(fx_mem(&f, 0x60000), 0xcc, 4096);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_STORE, 0x60000, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_OK);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, 0x60000), blk, len), 0);
    CU_ASSERT_EQUAL(fx_mem(&f, 0x60000)[len], 0xcc);  /* only hdr.len bytes */
    CU_ASSERT_TRUE(sclp_get_iplb(f.s, NULL, &len));
    CU_ASSERT_EQUAL(len, 649);
    fx_fini(&f);
}

/* An invalid SET returns 0x0402 and keeps the previously stored block. */
static void expect_set_invalid(struct fx *f, const uint8_t *blk, uint32_t n)
{
    uint64_t rc = 0;
    uint8_t kept[4096];
    uint32_t klen = 0, klen2 = 0;
    CU_ASSERT_TRUE(sclp_get_iplb(f->s, kept, &klen));
    memset(fx_mem(f, IPLB_ADDR), 0, 8192);
    memcpy(fx_mem(f, IPLB_ADDR), blk, n);
    CU_ASSERT_EQUAL(sclp_diag308(f->s, 0, DIAG308_SET, IPLB_ADDR, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_INVALID);
    uint8_t now[4096];
    CU_ASSERT_TRUE(sclp_get_iplb(f->s, now, &klen2));
    CU_ASSERT_EQUAL(klen, klen2);
    CU_ASSERT_EQUAL(memcmp(kept, now, 4096), 0);
}

static void t_set_field_by_field(void)
{
    struct fx f;
    uint8_t good[4096], b[8192];
    uint32_t len;
    struct sclp_iplb_info i;
    fx_init(&f, NULL, 4 * MiB, 1);
    sclp_iplb_info_ccw(&i, 0, 0x1234);
    CU_ASSERT_EQUAL(fx_set_iplb(&f, &i), DIAG308_RC_OK);  /* baseline */
    fcp(&i, SCLP_IPL_OPT_DUMP);
    sclp_iplb_encode(&i, good, &len);

    memcpy(b, good, 4096); db_st_be32(b, 12);               /* short header */
    expect_set_invalid(&f, b, 4096);
    memcpy(b, good, 4096); db_st_be32(b, 4097);             /* crosses page */
    expect_set_invalid(&f, b, 4096);
    memcpy(b, good, 4096); b[7] = 1;                        /* version */
    expect_set_invalid(&f, b, 4096);
    memcpy(b, good, 4096); db_st_be32(b + 8, 637);          /* blk0 len != len-8 */
    expect_set_invalid(&f, b, 4096);
    memcpy(b, good, 4096); db_st_be32(b, 600); db_st_be32(b + 8, 592); /* FCP too short */
    expect_set_invalid(&f, b, 4096);
    memcpy(b, good, 4096); b[12] = 1;                       /* pbt SCP data */
    expect_set_invalid(&f, b, 4096);
    memcpy(b, good, 4096); b[12] = 5;                       /* pbt PV */
    expect_set_invalid(&f, b, 4096);
    memcpy(b, good, 4096); db_st_be32(b + 380, 1);          /* scp_data_len inconsistent */
    expect_set_invalid(&f, b, 4096);
    memcpy(b, good, 4096);                                  /* scp_data_len overflow */
    db_st_be32(b + 380, 3453); db_st_be32(b, 644 + 3453); db_st_be32(b + 8, 636 + 3453);
    expect_set_invalid(&f, b, 4096);
    memcpy(b, good, 4096); b[328] = 0x30;                   /* opt: not exactly 0x10/0x20 */
    expect_set_invalid(&f, b, 4096);
    memcpy(b, good, 4096); b[328] = 0;
    expect_set_invalid(&f, b, 4096);
    /* CCW: wrong blk0 length and vm_parm_len > 64 */
    sclp_iplb_info_ccw(&i, 0, 0x1234);
    sclp_iplb_encode(&i, good, &len);
    memcpy(b, good, 4096); db_st_be32(b, 208); db_st_be32(b + 8, 200);
    expect_set_invalid(&f, b, 4096);
    memcpy(b, good, 4096); db_st_be32(b + 116, 65);
    expect_set_invalid(&f, b, 4096);
    fx_fini(&f);
}

static void t_set_maximum_scp_data(void)
{
    struct fx f;
    struct sclp_iplb_info i;
    fx_init(&f, NULL, 4 * MiB, 1);
    fcp(&i, SCLP_IPL_OPT_IPL);
    i.scp_data_len = SCLP_IPL_SCPDATA_SIZE;
    memset(i.scp_data, 'x', SCLP_IPL_SCPDATA_SIZE);
    CU_ASSERT_EQUAL(fx_set_iplb(&f, &i), DIAG308_RC_OK);
    uint32_t len = 0;
    sclp_get_iplb(f.s, NULL, &len);
    CU_ASSERT_EQUAL(len, 4096);
    fx_fini(&f);
}

static void t_set_not_in_memory(void)
{
    struct fx f;
    uint64_t rc = 0x77;
    fx_init(&f, NULL, 4 * MiB, 1);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_SET, 8 * MiB, &rc), -SCLP_PGM_ADDRESSING);
    /* last page of memory: len 4096 with an all-zero body */
    db_st_be32(fx_mem(&f, 4 * MiB - 4096), 4096);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_SET, 4 * MiB - 4096, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_INVALID);          /* len 4096 but garbage */
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_STORE, 8 * MiB, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_NOCONFIG);
    fx_fini(&f);
}

static void t_dump_requires_dump_iplb(void)
{
    struct fx f;
    uint64_t rc = 0;
    struct sclp_iplb_info i;
    fx_init(&f, NULL, 4 * MiB, 1);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_NOCONFIG);
    fcp(&i, SCLP_IPL_OPT_IPL);                      /* IPL, not DUMP */
    CU_ASSERT_EQUAL(fx_set_iplb(&f, &i), DIAG308_RC_OK);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_NOCONFIG);
    sclp_iplb_info_ccw(&i, 0, 0x100);
    CU_ASSERT_EQUAL(fx_set_iplb(&f, &i), DIAG308_RC_OK);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_NOCONFIG);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_RUNNING);
    CU_ASSERT_EQUAL(sclp_hsa_pages(f.s), 0);
    CU_ASSERT_FALSE(f.th->s390[0].stopped);
    fx_fini(&f);
}

static void t_dump_fcp_then_busy(void)
{
    struct fx f;
    uint64_t rc = 0;
    fx_init(&f, NULL, 4 * MiB, 1);
    CU_ASSERT_EQUAL(fx_trigger_dump(&f), SCLP_ACT_DUMP_IPL);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_DUMP_KERNEL);
    CU_ASSERT_EQUAL(sclp_hsa_pages(f.s), 256);
    /* dump kernel reads back the dump IPLB */
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_STORE, 0x60000, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_OK);
    CU_ASSERT_TRUE(sclp_iplb_is_dump(fx_mem(&f, 0x60000), 4096));
    /* a second dump while the first is in progress is busy */
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_BUSY);
    CU_ASSERT_EQUAL(sclp_dump_ipl(f.s, 0), SCLP_E_BUSY);
    struct sclp_stats st;
    sclp_get_stats(f.s, &st);
    CU_ASSERT_EQUAL(st.dump_ipls, 1);
    CU_ASSERT_EQUAL(st.busy_replies, 1);
    fx_fini(&f);
}

static void t_dump_nvme(void)
{
    struct fx f;
    uint64_t rc = 0;
    struct sclp_iplb_info i;
    fx_init(&f, NULL, 4 * MiB, 1);
    sclp_iplb_info_nvme(&i, SCLP_IPL_OPT_DUMP, 0x00000300, 1);
    CU_ASSERT_EQUAL(fx_set_iplb(&f, &i), DIAG308_RC_OK);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc),
                    SCLP_ACT_DUMP_IPL);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_OK);
    fx_fini(&f);
}

static void t_busy_injection(void)
{
    struct fx f;
    uint64_t rc = 0;
    struct sclp_profile p;
    struct sclp_iplb_info i;
    sclp_profile_init_custom(&p, "busy2", SMALL_HSA);
    p.dump_busy_count = 2;
    fx_init(&f, &p, 4 * MiB, 1);
    fcp(&i, SCLP_IPL_OPT_DUMP);
    fx_set_iplb(&f, &i);
    for (int k = 0; k < 2; k++) {
        CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc), SCLP_ACT_NONE);
        CU_ASSERT_EQUAL(rc, DIAG308_RC_BUSY);
        CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_RUNNING);
    }
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc), SCLP_ACT_DUMP_IPL);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_OK);
    fx_fini(&f);
}

/* RUNNING -> DUMP_KERNEL -> HSA_RELEASED -> (reipl) RUNNING -> dump again. */
static void t_state_machine(void)
{
    struct fx f;
    uint64_t rc = 0;
    fx_init(&f, NULL, 4 * MiB, 1);
    /* release in RUNNING: rc 1, no change */
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_REL_HSA, 0, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_OK);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_RUNNING);
    CU_ASSERT_EQUAL(fx_trigger_dump(&f), SCLP_ACT_DUMP_IPL);
    /* resets issued by the dump kernel keep the dump state */
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_RESET, 0, &rc),
                    SCLP_ACT_RESET_NORMAL);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_CLEAR_RESET, 0, &rc),
                    SCLP_ACT_RESET_CLEAR);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_DUMP_KERNEL);
    CU_ASSERT_EQUAL(sclp_hsa_pages(f.s), 256);
    rc = 0;
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_REL_HSA, 0, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_OK);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_HSA_RELEASED);
    /* release twice is harmless */
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_REL_HSA, 0, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_HSA_RELEASED);
    /* zcore reipl: SET + LOAD CLEAR */
    struct sclp_iplb_info i;
    sclp_iplb_info_ccw(&i, 0, 0x100);
    CU_ASSERT_EQUAL(fx_set_iplb(&f, &i), DIAG308_RC_OK);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_CLEAR, 0, &rc), SCLP_ACT_REIPL_CLEAR);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_RUNNING);
    /* a new dump is possible after the re-IPL */
    f.th->s390[0].stopped = false;
    CU_ASSERT_EQUAL(fx_trigger_dump(&f), SCLP_ACT_DUMP_IPL);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL, 0, &rc), SCLP_ACT_REIPL_NORMAL);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_RUNNING);
    CU_ASSERT_EQUAL(sclp_hsa_pages(f.s), 0);
    struct sclp_stats st;
    sclp_get_stats(f.s, &st);
    CU_ASSERT_EQUAL(st.dump_ipls, 2);
    CU_ASSERT_EQUAL(st.reipls, 2);
    CU_ASSERT_EQUAL(st.hsa_releases, 1);
    fx_fini(&f);
}

/* Instruction form: operands from registers, rc into R1+1. */
static void t_diag308_regs(void)
{
    struct fx f;
    fx_init(&f, NULL, 4 * MiB, 1);
    f.th->s390[0].gprs[2] = IPLB_ADDR;
    f.th->s390[0].gprs[4] = DIAG308_STORE;
    CU_ASSERT_EQUAL(sclp_diag308_regs(f.s, 0, 2, 4), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(f.th->s390[0].gprs[3], DIAG308_RC_NOCONFIG);
    f.th->s390[0].gprs[3] = 0x55;
    CU_ASSERT_EQUAL(sclp_diag308_regs(f.s, 0, 3, 4), -SCLP_PGM_SPECIFICATION);
    CU_ASSERT_EQUAL(f.th->s390[0].gprs[4], DIAG308_STORE);
    CU_ASSERT_EQUAL(sclp_diag308_regs(f.s, 5, 2, 4), -SCLP_PGM_SPECIFICATION);
    /* the dump trigger through registers stores rc 1 in R1+1 */
    struct sclp_iplb_info i;
    fcp(&i, SCLP_IPL_OPT_DUMP);
    CU_ASSERT_EQUAL(fx_set_iplb(&f, &i), DIAG308_RC_OK);
    f.th->s390[0].gprs[0] = 0;
    f.th->s390[0].gprs[1] = 0x99;
    f.th->s390[0].gprs[6] = DIAG308_LOAD_NORMAL_DUMP;
    CU_ASSERT_EQUAL(sclp_diag308_regs(f.s, 0, 0, 6), SCLP_ACT_DUMP_IPL);
    CU_ASSERT_EQUAL(f.th->s390[0].gprs[1], DIAG308_RC_OK);
    CU_ASSERT_TRUE(f.th->s390[0].stopped);
    fx_fini(&f);
}

/* Host-side SET: same validation as DIAG 308/5, error named, block kept. */
static void t_host_set_iplb(void)
{
    struct fx f;
    uint8_t good[4096], b[4096], now[4096];
    uint32_t len, n2;
    uint64_t rc = 0;
    struct sclp_iplb_info i;
    fx_init(&f, NULL, 4 * MiB, 1);
    fcp(&i, SCLP_IPL_OPT_DUMP);
    CU_ASSERT_EQUAL_FATAL(sclp_iplb_encode(&i, good, &len), SCLP_IPLB_OK);
    CU_ASSERT_EQUAL(sclp_set_iplb(NULL, good, len), SCLP_E_INVAL);
    CU_ASSERT_EQUAL(sclp_set_iplb(f.s, NULL, len), SCLP_E_INVAL);
    CU_ASSERT_FALSE(sclp_get_iplb(f.s, NULL, NULL));
    /* rejected: length out of range, length field mismatch, bad version */
    CU_ASSERT_EQUAL(sclp_set_iplb(f.s, good, 12), SCLP_E_INVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(sclp_last_error(f.s), "length"));
    CU_ASSERT_EQUAL(sclp_set_iplb(f.s, good, 4097), SCLP_E_INVAL);
    CU_ASSERT_EQUAL(sclp_set_iplb(f.s, good, len - 1), SCLP_E_INVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(sclp_last_error(f.s), "length field"));
    memcpy(b, good, sizeof(b));
    b[7] = 1;
    CU_ASSERT_EQUAL(sclp_set_iplb(f.s, b, len), SCLP_E_INVAL);
    CU_ASSERT_PTR_NOT_NULL(strstr(sclp_last_error(f.s), "rejected"));
    CU_ASSERT_FALSE(sclp_get_iplb(f.s, NULL, NULL));      /* nothing stored */
    /* accepted: DIAG 308/6 returns it, DIAG 308/4 dumps with it */
    CU_ASSERT_EQUAL(sclp_set_iplb(f.s, good, len), SCLP_OK);
    CU_ASSERT_TRUE(sclp_get_iplb(f.s, now, &n2));
    CU_ASSERT_EQUAL(n2, len);
    CU_ASSERT_EQUAL(memcmp(now, good, len), 0);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_STORE, IPLB_ADDR, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_OK);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, IPLB_ADDR), good, len), 0);
    /* a later invalid block keeps the stored one */
    CU_ASSERT_EQUAL(sclp_set_iplb(f.s, b, len), SCLP_E_INVAL);
    CU_ASSERT_TRUE(sclp_get_iplb(f.s, now, &n2));
    CU_ASSERT_EQUAL(memcmp(now, good, len), 0);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc), SCLP_ACT_DUMP_IPL);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_DUMP_KERNEL);
    /* NVMe needs the profile's nvme_ipl, like DIAG 308/5 */
    fx_fini(&f);
    fx_init(&f, sclp_profile_lookup("qemu-7.2"), 4 * MiB, 1);
    sclp_iplb_info_nvme(&i, SCLP_IPL_OPT_DUMP, 0x10, 1);
    CU_ASSERT_EQUAL_FATAL(sclp_iplb_encode(&i, b, &len), SCLP_IPLB_OK);
    CU_ASSERT_EQUAL(sclp_set_iplb(f.s, b, len), SCLP_E_INVAL);
    fx_fini(&f);
}

/* Machine reset: back to a fresh firmware state on the same profile. */
static void t_reset(void)
{
    struct fx f;
    uint64_t rc = 0;
    struct sclp_stats st;
    struct sclp_profile p;
    struct sclp_iplb_info i;
    uint8_t blk[4096];
    uint32_t len;
    CU_ASSERT_EQUAL_FATAL(sclp_profile_init_custom(&p, "busy-reset", SMALL_HSA), SCLP_OK);
    p.dump_busy_count = 1;
    fx_init(&f, &p, 4 * MiB, 2);
    fcp(&i, SCLP_IPL_OPT_DUMP);
    CU_ASSERT_EQUAL_FATAL(sclp_iplb_encode(&i, blk, &len), SCLP_IPLB_OK);
    sclp_reset(NULL);                                  /* no crash */
    CU_ASSERT_EQUAL(sclp_set_iplb(f.s, blk, len), SCLP_OK);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_BUSY);              /* injected busy, once */
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc), SCLP_ACT_DUMP_IPL);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_DUMP_KERNEL);
    CU_ASSERT_TRUE(sclp_hsa_pages(f.s) > 0);
    sclp_reset(f.s);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_RUNNING);
    CU_ASSERT_EQUAL(sclp_hsa_pages(f.s), 0);
    CU_ASSERT_FALSE(sclp_get_iplb(f.s, NULL, NULL));
    CU_ASSERT_EQUAL(sclp_guest_receive_mask(f.s), 0);
    CU_ASSERT_STRING_EQUAL(sclp_last_error(f.s), "");
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_NOCONFIG);          /* no IPLB after the reset */
    /* the busy injection is armed again */
    CU_ASSERT_EQUAL(sclp_set_iplb(f.s, blk, len), SCLP_OK);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_BUSY);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_DUMP, 0, &rc), SCLP_ACT_DUMP_IPL);
    sclp_get_stats(f.s, &st);
    CU_ASSERT_EQUAL(st.dump_ipls, 2);                  /* kept across the reset */
    CU_ASSERT_EQUAL(st.busy_replies, 2);
    fx_fini(&f);
}

static const struct tcase tests[] = {
    { "specification exceptions", t_spec_exceptions },
    { "qemu-7.2: subcodes 2/4 program-check", t_qemu72_no_dump_subcodes },
    { "store without iplb 0x0102", t_store_without_iplb },
    { "set/store round trip", t_set_store_roundtrip },
    { "set validation field by field 0x0402", t_set_field_by_field },
    { "set maximum scp data", t_set_maximum_scp_data },
    { "set/store addressing", t_set_not_in_memory },
    { "dump requires dump iplb 0x0102", t_dump_requires_dump_iplb },
    { "dump fcp then busy 0x302", t_dump_fcp_then_busy },
    { "dump nvme", t_dump_nvme },
    { "busy injection", t_busy_injection },
    { "state machine", t_state_machine },
    { "diag308 register form", t_diag308_regs },
    { "host-side set iplb", t_host_set_iplb },
    { "machine reset", t_reset },
    { NULL, NULL },
};

void register_diag308_tests(void)
{
    ADD_SUITE("diag308", tests);
}
