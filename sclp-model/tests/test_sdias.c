/* SDIAS event (Write Event Data, type 0x1C) and HSA block numbering. */
#include "helpers.h"

#define PAGES (SMALL_HSA / 4096)   /* 256 */

/* Fixture: 4 MiB patterned memory, dump taken with a 1 MiB HSA. */
static void dumped(struct fx *f)
{
    fx_init(f, NULL, 4 * MiB, 2);
    testhost_pattern(f->th, 0, 4 * MiB, 7);
    CU_ASSERT_EQUAL_FATAL(fx_trigger_dump(f), SCLP_ACT_DUMP_IPL);
}

static void t_size_query(void)
{
    struct fx f;
    dumped(&f);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_SIZE, 0, 0, 0), SCLP_RC_NORMAL_COMPLETION);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_ALL_STORED);
    CU_ASSERT_EQUAL(fx_sdias_blkcnt(&f), PAGES + 1);
    CU_ASSERT_EQUAL(fx_sdias_flags(&f), SCLP_EVBUF_ACCEPTED);
    CU_ASSERT_EQUAL(db_ld_be16(fx_mem(&f, SCCB_ADDR) + 6), 0x0020);
    fx_fini(&f);
}

static void t_size_query_before_dump(void)
{
    struct fx f;
    fx_init(&f, NULL, 4 * MiB, 1);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_SIZE, 0, 0, 0), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_NO_DATA);
    CU_ASSERT_EQUAL(fx_sdias_blkcnt(&f), 0);
    CU_ASSERT_EQUAL(fx_sdias_flags(&f), 0x80);
    fx_fini(&f);
}

static void t_copy_before_dump(void)
{
    struct fx f;
    fx_init(&f, NULL, 4 * MiB, 1);
    memset(fx_mem(&f, DEST_ADDR), 0xcc, 4096);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_NO_DATA);
    CU_ASSERT_EQUAL(fx_mem(&f, DEST_ADDR)[0], 0xcc);
    fx_fini(&f);
}

/* Pitfall 1: block 2 == absolute page 0. */
static void t_block2_is_page0(void)
{
    struct fx f;
    uint8_t page0[4096];
    dumped(&f);
    memcpy(page0, fx_mem(&f, 0), 4096);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_ALL_STORED);
    CU_ASSERT_EQUAL(fx_sdias_flags(&f), 0x80);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, DEST_ADDR), page0, 4096), 0);
    /* ar_mode_id was set before the snapshot (pitfall 5) */
    CU_ASSERT_EQUAL(fx_mem(&f, DEST_ADDR)[0xa3], 1);
    fx_fini(&f);
}

static void t_block_p_plus_2(void)
{
    struct fx f;
    dumped(&f);
    for (uint32_t p = 1; p < PAGES; p += 37) {
        CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, p + 2, 1, DEST_ADDR), 0x0020);
        CU_ASSERT_EQUAL(fx_sdias_status(&f), 0);
        CU_ASSERT_EQUAL(memcmp(fx_mem(&f, DEST_ADDR), fx_mem(&f, p * 4096ull), 4096), 0);
    }
    /* last valid block is pages + 1 == page pages - 1 */
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, PAGES + 1, 1, DEST_ADDR), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), 0);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, DEST_ADDR),
                           fx_mem(&f, (PAGES - 1) * 4096ull), 4096), 0);
    fx_fini(&f);
}

static void t_bad_block_numbers(void)
{
    struct fx f;
    dumped(&f);
    const uint32_t bad[][2] = {
        { 0, 1 }, { 1, 1 }, { PAGES + 2, 1 }, { PAGES, 3 },
        { 2, 0 }, { 0xffffffffu, 2 }, { 2, 0xffffffffu },
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        memset(fx_mem(&f, DEST_ADDR), 0xcc, 3 * 4096);
        CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, bad[i][0], bad[i][1],
                                 DEST_ADDR), 0x0020);
        CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_NO_DATA);
        CU_ASSERT_EQUAL(fx_sdias_flags(&f), 0x80);
        CU_ASSERT_EQUAL(fx_mem(&f, DEST_ADDR)[0], 0xcc);
        CU_ASSERT_EQUAL(fx_mem(&f, DEST_ADDR)[3 * 4096 - 1], 0xcc);
    }
    fx_fini(&f);
}

static void t_multi_block_copy(void)
{
    struct fx f;
    struct sclp_stats st;
    dumped(&f);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 10, 8, DEST_ADDR), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), 0);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, DEST_ADDR), fx_mem(&f, 8 * 4096), 8 * 4096), 0);
    sclp_get_stats(f.s, &st);
    CU_ASSERT_EQUAL(st.sdias_copies, 1);
    CU_ASSERT_EQUAL(st.sdias_blocks, 8);
    fx_fini(&f);
}

/* The HSA is a snapshot: later memory changes do not show through. */
static void t_hsa_is_snapshot(void)
{
    struct fx f;
    uint8_t before[4096];
    dumped(&f);
    memcpy(before, fx_mem(&f, 5 * 4096), 4096);
    memset(fx_mem(&f, 0), 0x11, 1 * MiB);       /* dump kernel overwrites */
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 7, 1, DEST_ADDR + 1 * MiB), 0x0020);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, DEST_ADDR + 1 * MiB), before, 4096), 0);
    uint8_t h[16];
    CU_ASSERT_EQUAL(sclp_hsa_read(f.s, 5 * 4096, h, 16), SCLP_OK);
    CU_ASSERT_EQUAL(memcmp(h, before, 16), 0);
    CU_ASSERT_EQUAL(sclp_hsa_read(f.s, SMALL_HSA - 8, h, 16), SCLP_E_INVAL);
    fx_fini(&f);
}

/* Pitfall 3 / 11: after DIAG 308/2 copies answer 0x03. */
static void t_after_release(void)
{
    struct fx f;
    uint64_t rc = 0;
    dumped(&f);
    CU_ASSERT_EQUAL(sclp_diag308(f.s, 0, DIAG308_REL_HSA, 0, &rc), SCLP_ACT_NONE);
    CU_ASSERT_EQUAL(rc, DIAG308_RC_OK);
    memset(fx_mem(&f, DEST_ADDR), 0xcc, 4096);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_NO_DATA);
    CU_ASSERT_EQUAL(fx_mem(&f, DEST_ADDR)[0], 0xcc);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_SIZE, 0, 0, 0), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_NO_DATA);
    CU_ASSERT_EQUAL(sclp_hsa_pages(f.s), 0);
    fx_fini(&f);
}

static void t_evbuf_too_short_72f0(void)
{
    struct fx f;
    uint8_t b[68];
    dumped(&f);
    sdias_build(b, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR);
    db_st_be16(b + 8, 59);              /* SDIAS buffer shorter than 60 */
    db_st_be16(b, 67);
    memset(fx_mem(&f, DEST_ADDR), 0xcc, 4096);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_DATA, b, 67),
                    SCLP_RC_INCONSISTENT_LENGTHS);
    CU_ASSERT_EQUAL(fx_sdias_flags(&f), 0);
    CU_ASSERT_EQUAL(fx_mem(&f, DEST_ADDR)[0], 0xcc);
    /* 1-5 trailing bytes that cannot hold an event buffer header */
    uint8_t c[72];
    sdias_build(c, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR);
    db_st_be16(c, 71);
    memset(c + 68, 0, 4);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_DATA, c, 71),
                    SCLP_RC_INCONSISTENT_LENGTHS);
    CU_ASSERT_EQUAL(fx_mem(&f, DEST_ADDR)[0], 0xcc);
    fx_fini(&f);
}

static void t_evbuf_syntax_73f0(void)
{
    struct fx f;
    uint8_t b[68];
    dumped(&f);
    memset(fx_mem(&f, DEST_ADDR), 0xcc, 4096);
    sdias_build(b, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR);
    db_st_be16(b + 8, 61);              /* longer than the SCCB */
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_DATA, b, 68),
                    SCLP_RC_EVENT_BUFFER_SYNTAX_ERROR);
    sdias_build(b, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR);
    db_st_be16(b + 8, 5);               /* shorter than an evbuf header */
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_DATA, b, 68),
                    SCLP_RC_EVENT_BUFFER_SYNTAX_ERROR);
    CU_ASSERT_EQUAL(fx_sdias_flags(&f), 0);
    CU_ASSERT_EQUAL(fx_mem(&f, DEST_ADDR)[0], 0xcc);
    struct sclp_stats st;
    sclp_get_stats(f.s, &st);
    CU_ASSERT_EQUAL(st.sdias_copies, 0);
    fx_fini(&f);
}

static void t_unknown_event_type(void)
{
    struct fx f;
    uint8_t b[68];
    dumped(&f);
    sdias_build(b, SDIAS_EQ_SIZE, 0, 0, 0);
    b[10] = 0x1A;                       /* VT220: not accepted by this SCLP */
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_DATA, b, 68),
                    SCLP_RC_INVALID_FUNCTION);
    CU_ASSERT_EQUAL(fx_sdias_flags(&f), 0);
    fx_fini(&f);
}

/* Two buffers: the SDIAS one is processed, the unknown one stops with 0x40f0. */
static void t_two_buffers(void)
{
    struct fx f;
    uint8_t b[76];
    dumped(&f);
    sdias_build(b, SDIAS_EQ_SIZE, 0, 0, 0);
    db_st_be16(b, 76);
    db_st_be16(b + 68, 8);
    b[70] = 0x02;
    b[71] = 0;
    memset(b + 72, 0, 4);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_DATA, b, 76),
                    SCLP_RC_INVALID_FUNCTION);
    CU_ASSERT_EQUAL(fx_sdias_flags(&f), 0x80);
    CU_ASSERT_EQUAL(fx_sdias_blkcnt(&f), PAGES + 1);
    CU_ASSERT_EQUAL(fx_mem(&f, SCCB_ADDR)[71], 0);
    fx_fini(&f);
}

static void t_qemu72_has_no_sdias(void)
{
    struct fx f;
    fx_init(&f, sclp_profile_lookup("qemu-7.2"), 4 * MiB, 1);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_SIZE, 0, 0, 0), SCLP_RC_INVALID_FUNCTION);
    CU_ASSERT_EQUAL(fx_sdias_flags(&f), 0);
    fx_fini(&f);
}

static void t_bad_function_code(void)
{
    struct fx f;
    uint8_t b[68];
    dumped(&f);
    sdias_build(b, SDIAS_EQ_SIZE, 0, 0, 0);
    b[2] = 1;
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_DATA, b, 68),
                    SCLP_RC_INVALID_FUNCTION);
    CU_ASSERT_EQUAL(fx_sdias_blkcnt(&f), 0);
    fx_fini(&f);
}

static void t_bad_qualifier(void)
{
    struct fx f;
    dumped(&f);
    CU_ASSERT_EQUAL(fx_sdias(&f, 7, 2, 1, DEST_ADDR), SCLP_RC_INVALID_FUNCTION);
    CU_ASSERT_EQUAL(fx_sdias_flags(&f), 0);
    fx_fini(&f);
}

static void t_bad_data_id_dbs_asa(void)
{
    struct fx f;
    uint8_t b[68];
    dumped(&f);
    memset(fx_mem(&f, DEST_ADDR), 0xcc, 4096);
    sdias_build(b, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR);
    b[8 + 7] = 1;                                  /* data_id */
    fx_call(&f, SCLP_CMDW_WRITE_EVENT_DATA, b, 68);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_NO_DATA);
    sdias_build(b, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR);
    db_st_be16(b + 8 + 58, 2);                     /* dbs */
    fx_call(&f, SCLP_CMDW_WRITE_EVENT_DATA, b, 68);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_NO_DATA);
    sdias_build(b, SDIAS_EQ_STORE_DATA, 2, 1, 0x80000000ull);
    b[8 + 22] = SDIAS_ASA_SIZE_32;                 /* 31-bit asa too high */
    fx_call(&f, SCLP_CMDW_WRITE_EVENT_DATA, b, 68);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_NO_DATA);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 2, 1, 4 * MiB - 2048), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_NO_DATA); /* beyond memory */
    CU_ASSERT_EQUAL(fx_mem(&f, DEST_ADDR)[0], 0xcc);
    /* 32-bit asa below 2 GiB works */
    sdias_build(b, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR);
    b[8 + 22] = SDIAS_ASA_SIZE_32;
    fx_call(&f, SCLP_CMDW_WRITE_EVENT_DATA, b, 68);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), 0);
    fx_fini(&f);
}

static void t_partial_injection(void)
{
    struct fx f;
    struct sclp_profile p;
    sclp_profile_init_custom(&p, "partial", SMALL_HSA);
    p.sdias_partial_max = 2;
    fx_init(&f, &p, 4 * MiB, 1);
    testhost_pattern(f.th, 0, 4 * MiB, 3);
    CU_ASSERT_EQUAL(fx_trigger_dump(&f), SCLP_ACT_DUMP_IPL);
    memset(fx_mem(&f, DEST_ADDR), 0xcc, 5 * 4096);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 20, 5, DEST_ADDR), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_PART_STORED);
    CU_ASSERT_EQUAL(fx_sdias_blkcnt(&f), 2);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, DEST_ADDR), fx_mem(&f, 18 * 4096), 2 * 4096), 0);
    CU_ASSERT_EQUAL(fx_mem(&f, DEST_ADDR + 2 * 4096)[0], 0xcc);
    fx_fini(&f);
}

static void t_status_and_rc_injection(void)
{
    struct fx f;
    struct sclp_profile p;
    sclp_profile_init_custom(&p, "nodata", SMALL_HSA);
    p.sdias_copy_status = SDIAS_EVSTATE_NO_DATA;
    fx_init(&f, &p, 4 * MiB, 1);
    CU_ASSERT_EQUAL(fx_trigger_dump(&f), SCLP_ACT_DUMP_IPL);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_SIZE, 0, 0, 0), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), 0);              /* size still ok */
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_NO_DATA);
    fx_fini(&f);

    sclp_profile_init_custom(&p, "eqc", SMALL_HSA);
    p.sdias_rc = SCLP_RC_CONTAINED_EQUIPMENT_CHECK;
    fx_init(&f, &p, 4 * MiB, 1);
    CU_ASSERT_EQUAL(fx_trigger_dump(&f), SCLP_ACT_DUMP_IPL);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_SIZE, 0, 0, 0), 0x0340);
    CU_ASSERT_EQUAL(fx_sdias_flags(&f), 0);
    CU_ASSERT_EQUAL(fx_sdias_blkcnt(&f), 0);
    fx_fini(&f);
}

static void t_store_write_failure(void)
{
    struct fx f;
    dumped(&f);
    f.th->fail_next_write = 1;           /* the data store fails */
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 2, 1, DEST_ADDR),
                    SCLP_RC_CONTAINED_EQUIPMENT_CHECK);
    CU_ASSERT_EQUAL(fx_sdias_flags(&f), 0);
    CU_ASSERT_PTR_NOT_NULL(strstr(sclp_last_error(f.s), "SDIAS"));
    fx_fini(&f);
}

/* Default profile: 32 MiB HSA, 8193 blocks, last block = last page. */
static void t_default_32m(void)
{
    struct fx f;
    fx_init(&f, sclp_profile_default(), 64 * MiB, 1);
    testhost_pattern(f.th, 0, 33 * MiB, 9);
    CU_ASSERT_EQUAL(fx_trigger_dump(&f), SCLP_ACT_DUMP_IPL);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_SIZE, 0, 0, 0), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_blkcnt(&f), 8193);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 8193, 1, 40 * MiB), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), 0);
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, 40 * MiB), fx_mem(&f, 32 * MiB - 4096), 4096), 0);
    CU_ASSERT_EQUAL(fx_sdias(&f, SDIAS_EQ_STORE_DATA, 8194, 1, 40 * MiB), 0x0020);
    CU_ASSERT_EQUAL(fx_sdias_status(&f), SDIAS_EVSTATE_NO_DATA);
    fx_fini(&f);
}

static const struct tcase tests[] = {
    { "size query blk_cnt = pages + 1", t_size_query },
    { "size query before dump 0x03", t_size_query_before_dump },
    { "copy before dump 0x03", t_copy_before_dump },
    { "block 2 is page 0", t_block2_is_page0 },
    { "block p+2 is page p, last block", t_block_p_plus_2 },
    { "block 1, count+1, overflow rejected", t_bad_block_numbers },
    { "multi-block copy", t_multi_block_copy },
    { "HSA is a snapshot", t_hsa_is_snapshot },
    { "copies after release 0x03", t_after_release },
    { "evbuf inconsistent lengths 0x72f0", t_evbuf_too_short_72f0 },
    { "evbuf syntax error 0x73f0", t_evbuf_syntax_73f0 },
    { "unknown event type 0x40f0", t_unknown_event_type },
    { "two buffers, second unknown", t_two_buffers },
    { "qemu-7.2 profile has no SDIAS", t_qemu72_has_no_sdias },
    { "bad function code 0x40f0", t_bad_function_code },
    { "bad event qualifier", t_bad_qualifier },
    { "bad data_id/dbs/asa 0x03", t_bad_data_id_dbs_asa },
    { "partial store 0x10", t_partial_injection },
    { "injected status and rc", t_status_and_rc_injection },
    { "store write failure 0x0340", t_store_write_failure },
    { "default profile 32 MiB", t_default_32m },
    { NULL, NULL },
};

void register_sdias_tests(void)
{
    ADD_SUITE("sdias", tests);
}
