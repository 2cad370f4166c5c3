/* Dump IPL store status, HSA capture and SIGP store status orders. */
#include "helpers.h"

/* Expected 512-byte save area for fill_cpu(seed), built independently. */
static void expect_sa(uint8_t sa[512], unsigned seed)
{
    struct db_s390_cpu c;
    memset(&c, 0, sizeof(c));
    fill_cpu(&c, seed);
    memset(sa, 0, 512);
    for (int i = 0; i < 16; i++) {
        db_st_be64(sa + 0x000 + 8 * i, c.fprs[i]);
        db_st_be64(sa + 0x080 + 8 * i, c.gprs[i]);
        db_st_be32(sa + 0x140 + 4 * i, c.acrs[i]);
        db_st_be64(sa + 0x180 + 8 * i, c.crs[i]);
    }
    db_st_be64(sa + 0x100, c.psw_mask);
    db_st_be64(sa + 0x108, c.psw_addr);
    db_st_be32(sa + 0x118, c.prefix);
    db_st_be32(sa + 0x11c, c.fpc);
    db_st_be32(sa + 0x124, c.todpreg);
    db_st_be64(sa + 0x128, c.cputm);
    db_st_be64(sa + 0x130, c.ckc >> 8);
}

static void setup(struct fx *f, unsigned ncpus)
{
    fx_init(f, NULL, 4 * MiB, ncpus);
    for (unsigned i = 0; i < ncpus; i++) {
        fill_cpu(&f->th->s390[i], i);
    }
}

static void t_dump_ipl_store_status(void)
{
    struct fx f;
    uint8_t exp[512];
    setup(&f, 2);
    memset(fx_mem(&f, 0x1200), 0xcc, 512);
    fx_mem(&f, 0xa3)[0] = 0;
    CU_ASSERT_EQUAL(sclp_dump_ipl(f.s, 0), SCLP_OK);
    expect_sa(exp, 0);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, 0x1200), exp, 512), 0);
    CU_ASSERT_EQUAL(fx_mem(&f, 0xa3)[0], 1);
    /* specific offsets (pitfall 13: crs at 0x180, not 0x384) */
    CU_ASSERT_EQUAL(db_ld_be64(fx_mem(&f, 0x1380)), f.th->s390[0].crs[0]);
    CU_ASSERT_EQUAL(db_ld_be32(fx_mem(&f, 0x1318)), f.th->s390[0].prefix);
    CU_ASSERT_EQUAL(db_ld_be64(fx_mem(&f, 0x1300)), 0x0704c00180000000ull);
    fx_fini(&f);
}

/* The HSA copy of page 1 holds the store-status area (pitfall 6). */
static void t_hsa_contains_store_status(void)
{
    struct fx f;
    uint8_t exp[512], page[4096];
    setup(&f, 1);
    CU_ASSERT_EQUAL(sclp_dump_ipl(f.s, 0), SCLP_OK);
    memset(fx_mem(&f, 0x1200), 0, 512);                 /* dump kernel scribbles */
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 3, 1, DEST_ADDR), 0x0020);
    memcpy(page, fx_mem(&f, DEST_ADDR), 4096);
    expect_sa(exp, 0);
    CU_ASSERT_EQUAL(memcmp(page + 0x200, exp, 512), 0);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR), 0x0020);
    CU_ASSERT_EQUAL(fx_mem(&f, DEST_ADDR)[0xa3], 1);
    fx_fini(&f);
}

static void t_dump_ipl_stops_cpus(void)
{
    struct fx f;
    setup(&f, 3);
    f.th->s390[2].online = false;
    CU_ASSERT_EQUAL(sclp_dump_ipl(f.s, 1), SCLP_OK);
    CU_ASSERT_TRUE(f.th->s390[0].stopped);
    CU_ASSERT_TRUE(f.th->s390[1].stopped);
    CU_ASSERT_FALSE(f.th->s390[2].stopped);              /* offline: untouched */
    /* registers other than the run state are untouched (VRs kept, pitfall 6) */
    struct db_s390_cpu c;
    memset(&c, 0, sizeof(c));
    fill_cpu(&c, 1);
    CU_ASSERT_EQUAL(f.th->s390[1].vxrs_high[3][1], c.vxrs_high[3][1]);
    CU_ASSERT_EQUAL(f.th->s390[1].gprs[15], c.gprs[15]);
    /* IPL CPU 1's status is at 0x1200 */
    CU_ASSERT_EQUAL(db_ld_be64(fx_mem(&f, 0x1280)), c.gprs[0]);
    fx_fini(&f);
}

static void t_dump_ipl_bad_cpu_no_change(void)
{
    struct fx f;
    setup(&f, 2);
    memset(fx_mem(&f, 0x1200), 0xcc, 512);
    CU_ASSERT_EQUAL(sclp_dump_ipl(f.s, 2), SCLP_E_INVAL);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_RUNNING);
    CU_ASSERT_FALSE(f.th->s390[0].stopped);
    CU_ASSERT_EQUAL(fx_mem(&f, 0x1200)[0], 0xcc);
    CU_ASSERT_EQUAL(sclp_hsa_pages(f.s), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(sclp_last_error(f.s), "CPU 2"));
    fx_fini(&f);
}

static void t_dump_ipl_tiny_memory(void)
{
    struct fx f;
    fx_init(&f, NULL, 0x1000, 1);
    CU_ASSERT_EQUAL(sclp_dump_ipl(f.s, 0), SCLP_E_HOST);
    CU_ASSERT_EQUAL(sclp_get_state(f.s), SCLP_STATE_RUNNING);
    CU_ASSERT_FALSE(f.th->s390[0].stopped);
    fx_fini(&f);
}

/* Other CPUs keep their dump-time state for SIGP even if the host resets them. */
static void t_sigp_store_status_saved_state(void)
{
    struct fx f;
    uint8_t exp[512];
    uint32_t status = 0;
    setup(&f, 3);
    CU_ASSERT_EQUAL(sclp_dump_ipl(f.s, 0), SCLP_OK);
    /* the machine's re-IPL reset wipes CPU 2's registers (QEMU pitfall 7) */
    memset(f.th->s390[2].gprs, 0, sizeof(f.th->s390[2].gprs));
    f.th->s390[2].prefix = 0;
    memset(fx_mem(&f, 0x70000), 0xcc, 1024);
    CU_ASSERT_EQUAL(sclp_store_status(f.s, 2, 0x70000, &status), SCLP_SIGP_CC_ACCEPTED);
    expect_sa(exp, 2);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, 0x70000), exp, 512), 0);
    CU_ASSERT_EQUAL(fx_mem(&f, 0x70000)[512], 0xcc);
    /* store status at address does not touch 0xa3 */
    fx_mem(&f, 0xa3)[0] = 0;
    CU_ASSERT_EQUAL(sclp_store_status(f.s, 1, 0x71000, &status), SCLP_SIGP_CC_ACCEPTED);
    CU_ASSERT_EQUAL(fx_mem(&f, 0xa3)[0], 0);
    expect_sa(exp, 1);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, 0x71000), exp, 512), 0);
    fx_fini(&f);
}

static void t_sigp_store_status_checks(void)
{
    struct fx f;
    uint32_t status = 0;
    setup(&f, 3);
    f.th->s390[2].online = false;
    /* running target */
    CU_ASSERT_EQUAL(sclp_store_status(f.s, 1, 0x70000, &status), SCLP_SIGP_CC_STATUS_STORED);
    CU_ASSERT_EQUAL(status, SCLP_SIGP_STAT_INCORRECT_STATE);
    /* not operational */
    CU_ASSERT_EQUAL(sclp_store_status(f.s, 2, 0x70000, &status), SCLP_SIGP_CC_NOT_OPERATIONAL);
    CU_ASSERT_EQUAL(sclp_store_status(f.s, 9, 0x70000, &status), SCLP_SIGP_CC_NOT_OPERATIONAL);
    /* stopped target, address masked & 0x7ffffe00 */
    f.th->s390[1].stopped = true;
    memset(fx_mem(&f, 0x70000), 0xcc, 1024);
    CU_ASSERT_EQUAL(sclp_store_status(f.s, 1, 0x800701ffull, &status), SCLP_SIGP_CC_ACCEPTED);
    CU_ASSERT_EQUAL(db_ld_be64(fx_mem(&f, 0x70000 + 0x80)), f.th->s390[1].gprs[0]);
    /* address outside memory */
    status = 0;
    CU_ASSERT_EQUAL(sclp_store_status(f.s, 1, 0x7ffffe00ull, &status),
                    SCLP_SIGP_CC_STATUS_STORED);
    CU_ASSERT_EQUAL(status, SCLP_SIGP_STAT_INVALID_PARAMETER);
    fx_fini(&f);
}

static void t_sigp_adtl_status(void)
{
    struct fx f;
    uint32_t status = 0;
    uint8_t exp[512];
    setup(&f, 2);
    CU_ASSERT_EQUAL(sclp_dump_ipl(f.s, 0), SCLP_OK);
    struct db_s390_cpu c;
    memset(&c, 0, sizeof(c));
    fill_cpu(&c, 1);
    for (int i = 0; i < 16; i++) {
        db_st_be64(exp + 16 * i, c.fprs[i]);
        db_st_be64(exp + 16 * i + 8, c.vxrs_low[i]);
        db_st_be64(exp + 256 + 16 * i, c.vxrs_high[i][0]);
        db_st_be64(exp + 256 + 16 * i + 8, c.vxrs_high[i][1]);
    }
    memset(fx_mem(&f, 0x70000), 0xcc, 1024);
    CU_ASSERT_EQUAL(sclp_store_adtl_status(f.s, 1, 0x70000, &status), SCLP_SIGP_CC_ACCEPTED);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, 0x70000), exp, 512), 0);
    CU_ASSERT_EQUAL(fx_mem(&f, 0x70000)[512], 0xcc);       /* only 512 bytes */
    /* lc != 0 (guarded storage sizes) is an invalid parameter */
    CU_ASSERT_EQUAL(sclp_store_adtl_status(f.s, 1, 0x7000b, &status),
                    SCLP_SIGP_CC_STATUS_STORED);
    CU_ASSERT_EQUAL(status, SCLP_SIGP_STAT_INVALID_PARAMETER);
    /* address is aligned down to 1 KiB */
    memset(fx_mem(&f, 0x70400), 0xcc, 1024);
    CU_ASSERT_EQUAL(sclp_store_adtl_status(f.s, 1, 0x707f0, &status), SCLP_SIGP_CC_ACCEPTED);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, 0x70400), exp, 512), 0);
    fx_fini(&f);
}

static void t_sigp_adtl_no_vector(void)
{
    struct fx f;
    uint32_t status = 0;
    struct sclp_profile p;
    sclp_profile_init_custom(&p, "novx", SMALL_HSA);
    p.vector = false;
    fx_init(&f, &p, 4 * MiB, 2);
    f.th->s390[1].stopped = true;
    CU_ASSERT_EQUAL(sclp_store_adtl_status(f.s, 1, 0x70000, &status),
                    SCLP_SIGP_CC_STATUS_STORED);
    CU_ASSERT_EQUAL(status, SCLP_SIGP_STAT_INVALID_ORDER);
    fx_fini(&f);
}

static void t_sigp_sense(void)
{
    struct fx f;
    uint32_t status = 0;
    setup(&f, 3);
    f.th->s390[2].online = false;
    f.th->s390[1].stopped = true;
    CU_ASSERT_EQUAL(sclp_sigp_sense(f.s, 0, &status), SCLP_SIGP_CC_ACCEPTED);
    CU_ASSERT_EQUAL(sclp_sigp_sense(f.s, 1, &status), SCLP_SIGP_CC_STATUS_STORED);
    CU_ASSERT_EQUAL(status, SCLP_SIGP_STAT_STOPPED);
    CU_ASSERT_EQUAL(sclp_sigp_sense(f.s, 2, &status), SCLP_SIGP_CC_NOT_OPERATIONAL);
    CU_ASSERT_EQUAL(sclp_sigp_sense(f.s, 3, &status), SCLP_SIGP_CC_NOT_OPERATIONAL);
    f.th->s390[2].address = 0x2a;
    CU_ASSERT_EQUAL(sclp_cpu_by_address(f.s, 0x2a), 2);
    CU_ASSERT_EQUAL(sclp_cpu_by_address(f.s, 0x2b), -1);
    fx_fini(&f);
}

/* After a reset (DIAG 308/1 in the dump kernel) SIGP sees the live state. */
static void t_reset_drops_saved_state(void)
{
    struct fx f;
    uint32_t status;
    uint64_t rc;
    setup(&f, 2);
    CU_ASSERT_EQUAL(sclp_dump_ipl(f.s, 0), SCLP_OK);
    f.th->s390[1].gprs[0] = 0x1111;
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_LOAD_NORMAL_RESET, 0, &rc),
                    SCLP_ACT_RESET_NORMAL);
    CU_ASSERT_EQUAL(sclp_store_status(f.s, 1, 0x70000, &status), SCLP_SIGP_CC_ACCEPTED);
    CU_ASSERT_EQUAL(db_ld_be64(fx_mem(&f, 0x70080)), 0x1111);
    fx_fini(&f);
}

static void t_save_area_codec_roundtrip(void)
{
    struct db_s390_cpu a, b;
    uint8_t sa[512], vx[512];
    memset(&a, 0, sizeof(a));
    memset(&b, 0, sizeof(b));
    fill_cpu(&a, 5);
    sclp_save_area_encode(&a, sa);
    sclp_adtl_vx_encode(&a, vx);
    sclp_save_area_decode(sa, &b);
    sclp_adtl_vx_decode(vx, &b);
    CU_ASSERT_EQUAL(memcmp(a.gprs, b.gprs, sizeof(a.gprs)), 0);
    CU_ASSERT_EQUAL(memcmp(a.fprs, b.fprs, sizeof(a.fprs)), 0);
    CU_ASSERT_EQUAL(memcmp(a.crs, b.crs, sizeof(a.crs)), 0);
    CU_ASSERT_EQUAL(memcmp(a.acrs, b.acrs, sizeof(a.acrs)), 0);
    CU_ASSERT_EQUAL(memcmp(a.vxrs_low, b.vxrs_low, sizeof(a.vxrs_low)), 0);
    CU_ASSERT_EQUAL(memcmp(a.vxrs_high, b.vxrs_high, sizeof(a.vxrs_high)), 0);
    CU_ASSERT_EQUAL(a.psw_mask, b.psw_mask);
    CU_ASSERT_EQUAL(a.psw_addr, b.psw_addr);
    CU_ASSERT_EQUAL(a.prefix, b.prefix);
    CU_ASSERT_EQUAL(a.fpc, b.fpc);
    CU_ASSERT_EQUAL(a.todpreg, b.todpreg);
    CU_ASSERT_EQUAL(a.cputm, b.cputm);
    CU_ASSERT_EQUAL(a.ckc, b.ckc);                 /* low byte is zero in fill_cpu */
    CU_ASSERT_EQUAL(sa[0x130], 0x00);              /* ckc >> 8 */
    CU_ASSERT_EQUAL(sa[0x131], 0x00);
    CU_ASSERT_EQUAL(sa[0x132], 0xd5);
    for (int i = 0x110; i < 0x118; i++) {
        CU_ASSERT_EQUAL(sa[i], 0);                 /* pads stay zero */
    }
}

static const struct tcase tests[] = {
    { "dump IPL store status byte-exact", t_dump_ipl_store_status },
    { "HSA holds the store-status area", t_hsa_contains_store_status },
    { "dump IPL stops CPUs", t_dump_ipl_stops_cpus },
    { "dump IPL bad cpu: no change", t_dump_ipl_bad_cpu_no_change },
    { "dump IPL tiny memory: no change", t_dump_ipl_tiny_memory },
    { "SIGP store status uses saved state", t_sigp_store_status_saved_state },
    { "SIGP store status checks", t_sigp_store_status_checks },
    { "SIGP store additional status", t_sigp_adtl_status },
    { "SIGP adtl without vector facility", t_sigp_adtl_no_vector },
    { "SIGP sense / cpu by address", t_sigp_sense },
    { "reset drops saved state", t_reset_drops_saved_state },
    { "save area codec round trip", t_save_area_codec_roundtrip },
    { NULL, NULL },
};

void register_store_tests(void)
{
    ADD_SUITE("store_status", tests);
}
