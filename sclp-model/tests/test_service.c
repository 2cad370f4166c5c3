/* SERVICE CALL: program checks, generic response codes, Read SCP/CPU Info,
 * Write Event Mask, Read Event Data. */
#include "helpers.h"

static void hdr(uint8_t *b, uint16_t len)
{
    memset(b, 0, len);
    db_st_be16(b, len);
}

static void t_program_checks(void)
{
    struct fx f;
    fx_init(&f, NULL, 4 * MiB, 1);
    uint8_t *m = fx_mem(&f, SCCB_ADDR);
    hdr(m, 4096);
    CU_ASSERT_EQUAL(sclp_service_call(f.s, SCLP_CMDW_READ_SCP_INFO, 0x1000),
                    -SCLP_PGM_SPECIFICATION);            /* first 8 KiB */
    CU_ASSERT_EQUAL(sclp_service_call(f.s, SCLP_CMDW_READ_SCP_INFO, 0x80000000ull),
                    -SCLP_PGM_SPECIFICATION);            /* >= 2 GiB */
    CU_ASSERT_EQUAL(sclp_service_call(f.s, SCLP_CMDW_READ_SCP_INFO, SCCB_ADDR + 4),
                    -SCLP_PGM_SPECIFICATION);            /* not 8-byte aligned */
    CU_ASSERT_EQUAL(sclp_service_call(f.s, SCLP_CMDW_READ_SCP_INFO, 0x7ffff000ull),
                    -SCLP_PGM_ADDRESSING);               /* not in guest memory */
    db_st_be16(m, 7);
    CU_ASSERT_EQUAL(sclp_service_call(f.s, SCLP_CMDW_READ_SCP_INFO, SCCB_ADDR),
                    -SCLP_PGM_SPECIFICATION);            /* length < 8 */
    CU_ASSERT_EQUAL(db_ld_be16(m + 6), 0);               /* nothing written */
    /* SCCB extends past the end of memory: addressing. */
    uint64_t last = 4 * MiB - 16;
    hdr(fx_mem(&f, last), 16);
    db_st_be16(fx_mem(&f, last), 64);
    CU_ASSERT_EQUAL(sclp_service_call(f.s, SCLP_CMDW_READ_SCP_INFO, last),
                    -SCLP_PGM_ADDRESSING);
    fx_fini(&f);
}

static void t_invalid_command(void)
{
    struct fx f;
    uint8_t b[64];
    fx_init(&f, NULL, 4 * MiB, 1);
    hdr(b, 64);
    memset(b + 8, 0x5a, 56);
    CU_ASSERT_EQUAL(fx_call(&f, 0x00990001, b, 64), SCLP_RC_INVALID_SCLP_COMMAND);
    uint8_t *m = fx_mem(&f, SCCB_ADDR);
    CU_ASSERT_EQUAL(db_ld_be16(m + 6), 0x01f0);
    CU_ASSERT_EQUAL(m[8], 0x5a);                         /* body untouched */
    CU_ASSERT_EQUAL(m[63], 0x5a);
    /* Read Storage Info is not modelled. */
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_STORAGE_INFO, b, 64),
                    SCLP_RC_INVALID_SCLP_COMMAND);
    fx_fini(&f);
}

static void t_boundary_violation(void)
{
    struct fx f;
    fx_init(&f, NULL, 4 * MiB, 2);
    uint64_t a = SCCB_ADDR + 4096 - 64;        /* 256 bytes cross the page */
    uint8_t *m = fx_mem(&f, a);
    hdr(m, 256);
    CU_ASSERT_EQUAL(sclp_service_call(f.s, SCLP_CMDW_READ_SCP_INFO, a),
                    SCLP_RC_SCCB_BOUNDARY_VIOLATION);
    CU_ASSERT_EQUAL(db_ld_be16(m + 6), 0x0100);
    CU_ASSERT_EQUAL(db_ld_be32(m + 112), 0);
    /* Write Event Data crossing is always a violation. */
    hdr(m, 256);
    CU_ASSERT_EQUAL(sclp_service_call(f.s, SCLP_CMDW_WRITE_EVENT_DATA, a),
                    SCLP_RC_SCCB_BOUNDARY_VIOLATION);
    /* Exactly up to the boundary is fine. */
    hdr(fx_mem(&f, SCCB_ADDR + 4096 - 160), 160);
    CU_ASSERT_EQUAL(sclp_service_call(f.s, SCLP_CMDW_READ_SCP_INFO,
                                      SCCB_ADDR + 4096 - 160),
                    SCLP_RC_NORMAL_READ_COMPLETION);
    fx_fini(&f);
}

static void t_ext_sccb_allows_crossing(void)
{
    struct fx f;
    struct sclp_profile p;
    sclp_profile_init_custom(&p, "ext", SMALL_HSA);
    p.ext_sccb = true;
    fx_init(&f, &p, 4 * MiB, 1);
    uint64_t a = SCCB_ADDR + 4096 - 64;
    hdr(fx_mem(&f, a), 256);
    CU_ASSERT_EQUAL(sclp_service_call(f.s, SCLP_CMDW_READ_SCP_INFO, a),
                    SCLP_RC_NORMAL_READ_COMPLETION);
    hdr(fx_mem(&f, a), 256);
    CU_ASSERT_EQUAL(sclp_service_call(f.s, SCLP_CMDW_WRITE_EVENT_MASK, a),
                    SCLP_RC_SCCB_BOUNDARY_VIOLATION);
    fx_fini(&f);
}

static void t_read_info_short(void)
{
    struct fx f;
    uint8_t b[200];
    fx_init(&f, NULL, 4 * MiB, 4);
    hdr(b, 128 + 3 * 16);                 /* room for 3 of 4 CPU entries */
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_SCP_INFO, b, 128 + 48),
                    SCLP_RC_INSUFFICIENT_SCCB_LENGTH);
    CU_ASSERT_EQUAL(db_ld_be16(fx_mem(&f, SCCB_ADDR) + 16), 0);
    hdr(b, 128 + 64);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_SCP_INFO, b, 128 + 64),
                    SCLP_RC_NORMAL_READ_COMPLETION);
    fx_fini(&f);
}

/* Byte-exact Read SCP Info image before a dump. */
static void t_read_info_fields(void)
{
    struct fx f;
    uint8_t b[4096];
    uint8_t exp[256];
    fx_init(&f, sclp_profile_default(), 512 * MiB, 2);
    hdr(b, 4096);
    memset(b + 8, 0xee, 4096 - 8);         /* stale garbage gets cleared */
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_SCP_INFO, b, 4096),
                    SCLP_RC_NORMAL_READ_COMPLETION);
    memset(exp, 0, sizeof(exp));
    db_st_be16(exp + 0, 4096);
    db_st_be16(exp + 6, 0x0010);
    db_st_be16(exp + 8, 2);                /* 512 MiB / 256 MiB increments */
    exp[10] = 0;                           /* 256 > 128: rnsize2 */
    db_st_be16(exp + 16, 2);               /* ncpurl */
    db_st_be16(exp + 18, 128);             /* cpuoff */
    memset(exp + 24, 0x40, 8);             /* loadparm blanks */
    db_st_be64(exp + 48, 0x0c00000000000000ull);
    exp[91] = 0x02;                        /* dump installed */
    db_st_be32(exp + 100, 256);            /* rnsize2 */
    db_st_be32(exp + 112, 0);              /* no HSA data yet */
    db_st_be16(exp + 120, 1);              /* hcpua */
    exp[128] = 0;                          /* CPU 0 entry */
    exp[144] = 1;                          /* CPU 1 entry */
    CU_ASSERT_EQUAL(memcmp(fx_mem(&f, SCCB_ADDR), exp, sizeof(exp)), 0);
    CU_ASSERT_EQUAL(fx_mem(&f, SCCB_ADDR)[4095], 0);
    fx_fini(&f);
}

static void t_read_info_forced_and_small_increment(void)
{
    struct fx f;
    uint8_t b[4096];
    struct sclp_profile p;
    sclp_profile_init_custom(&p, "inc1", SMALL_HSA);
    p.increment_mb = 1;
    fx_init(&f, &p, 8 * MiB, 1);
    hdr(b, 4096);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_SCP_INFO_FORCED, b, 4096),
                    SCLP_RC_NORMAL_READ_COMPLETION);
    uint8_t *m = fx_mem(&f, SCCB_ADDR);
    CU_ASSERT_EQUAL(db_ld_be16(m + 8), 8);   /* rnmax */
    CU_ASSERT_EQUAL(m[10], 1);               /* rnsize */
    CU_ASSERT_EQUAL(db_ld_be32(m + 100), 0);
    CU_ASSERT_EQUAL(db_ld_be64(m + 104), 0);
    fx_fini(&f);
}

static void t_read_info_no_dump_bit(void)
{
    struct fx f;
    uint8_t b[4096];
    struct sclp_profile p = *sclp_profile_lookup("no-dump");
    p.fac91 = 0x40 | 0x02;                   /* 0x02 from fac91 is ignored */
    fx_init(&f, &p, 4 * MiB, 1);
    hdr(b, 4096);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_SCP_INFO, b, 4096),
                    SCLP_RC_NORMAL_READ_COMPLETION);
    CU_ASSERT_EQUAL(fx_mem(&f, SCCB_ADDR)[91], 0x40);
    fx_fini(&f);
}

static void t_read_info_hsa_after_dump(void)
{
    struct fx f;
    uint8_t b[4096];
    fx_init(&f, sclp_profile_lookup("hsa-64m"), 128 * MiB, 1);
    CU_ASSERT_EQUAL(fx_trigger_dump(&f), SCLP_ACT_DUMP_IPL);
    hdr(b, 4096);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_SCP_INFO, b, 4096),
                    SCLP_RC_NORMAL_READ_COMPLETION);
    /* 64 MiB = 16384 pages; field = pages + 1 */
    CU_ASSERT_EQUAL(db_ld_be32(fx_mem(&f, SCCB_ADDR) + 112), 16385);
    uint64_t rc;
    sclp_diag308(f.s, 0, DIAG308_REL_HSA, 0, &rc);
    hdr(b, 4096);
    fx_call(&f, SCLP_CMDW_READ_SCP_INFO, b, 4096);
    CU_ASSERT_EQUAL(db_ld_be32(fx_mem(&f, SCCB_ADDR) + 112), 0);
    fx_fini(&f);
}

/* HSA larger than memory is clipped to memory. */
static void t_read_info_hsa_clipped(void)
{
    struct fx f;
    uint8_t b[4096];
    fx_init(&f, sclp_profile_default(), 16 * MiB, 1);
    CU_ASSERT_EQUAL(fx_trigger_dump(&f), SCLP_ACT_DUMP_IPL);
    CU_ASSERT_EQUAL(sclp_hsa_pages(f.s), 4096);
    hdr(b, 4096);
    fx_call(&f, SCLP_CMDW_READ_SCP_INFO, b, 4096);
    CU_ASSERT_EQUAL(db_ld_be32(fx_mem(&f, SCCB_ADDR) + 112), 4097);
    fx_fini(&f);
}

static void t_read_info_injected_rc(void)
{
    struct fx f;
    uint8_t b[4096];
    struct sclp_profile p;
    sclp_profile_init_custom(&p, "inj", SMALL_HSA);
    p.read_info_rc = SCLP_RC_CONTAINED_EQUIPMENT_CHECK;
    fx_init(&f, &p, 4 * MiB, 1);
    hdr(b, 4096);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_SCP_INFO, b, 4096), 0x0340);
    CU_ASSERT_EQUAL(db_ld_be16(fx_mem(&f, SCCB_ADDR) + 8), 0);
    fx_fini(&f);
}

static void t_read_cpu_info(void)
{
    struct fx f;
    uint8_t b[4096];
    fx_init(&f, NULL, 4 * MiB, 3);
    f.th->s390[1].online = false;
    f.th->s390[2].address = 7;
    hdr(b, 4096);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_CPU_INFO, b, 4096),
                    SCLP_RC_NORMAL_READ_COMPLETION);
    uint8_t *m = fx_mem(&f, SCCB_ADDR);
    CU_ASSERT_EQUAL(db_ld_be16(m + 8), 2);
    CU_ASSERT_EQUAL(db_ld_be16(m + 10), 16);
    CU_ASSERT_EQUAL(db_ld_be16(m + 12), 0);
    CU_ASSERT_EQUAL(db_ld_be16(m + 14), 48);
    CU_ASSERT_EQUAL(m[16], 0);
    CU_ASSERT_EQUAL(m[32], 7);
    hdr(b, 40);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_CPU_INFO, b, 40),
                    SCLP_RC_INSUFFICIENT_SCCB_LENGTH);
    fx_fini(&f);
}

static void wem_build(uint8_t *b, uint16_t ml, uint64_t recv, uint64_t send)
{
    uint16_t len = (uint16_t)(12 + 4 * ml);
    hdr(b, len);
    db_st_be16(b + 10, ml);
    uint8_t tmp[8];
    db_st_be64(tmp, recv);
    memcpy(b + 12, tmp, ml < 8 ? ml : 8);
    db_st_be64(tmp, send);
    memcpy(b + 12 + ml, tmp, ml < 8 ? ml : 8);
}

static void t_write_event_mask(void)
{
    struct fx f;
    uint8_t b[64];
    fx_init(&f, NULL, 4 * MiB, 1);
    const uint64_t sd = SCLP_EVTYP_MASK(SCLP_EVTYP_SDIAS);
    CU_ASSERT_EQUAL(sd, 0x0000001000000000ull);
    /* 4-byte compat masks */
    wem_build(b, 4, 0, sd);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_MASK, b, 28),
                    SCLP_RC_NORMAL_COMPLETION);
    uint8_t *m = fx_mem(&f, SCCB_ADDR);
    const uint8_t exp4[16] = { 0, 0, 0, 0, 0, 0, 0, 0x10,
                               0, 0, 0, 0x10, 0, 0, 0, 0 };
    CU_ASSERT_EQUAL(memcmp(m + 12, exp4, 16), 0);
    CU_ASSERT_EQUAL(sclp_guest_send_mask(f.s), sd);
    CU_ASSERT_EQUAL(sclp_guest_receive_mask(f.s), 0);
    /* 8-byte masks */
    wem_build(b, 8, sd, 0);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_MASK, b, 44),
                    SCLP_RC_NORMAL_COMPLETION);
    CU_ASSERT_EQUAL(db_ld_be64(m + 12 + 16), sd);   /* sclp receive */
    CU_ASSERT_EQUAL(db_ld_be64(m + 12 + 24), 0);    /* sclp send */
    CU_ASSERT_EQUAL(sclp_guest_receive_mask(f.s), sd);
    fx_fini(&f);
}

static void t_write_event_mask_errors(void)
{
    struct fx f;
    uint8_t b[64];
    fx_init(&f, NULL, 4 * MiB, 1);
    const uint64_t sd = SCLP_EVTYP_MASK(SCLP_EVTYP_SDIAS);
    wem_build(b, 4, sd, sd);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_MASK, b, 28), 0x0020);
    /* mask_length 0 */
    wem_build(b, 4, 0, 0);
    db_st_be16(b + 10, 0);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_MASK, b, 28),
                    SCLP_RC_INVALID_MASK_LENGTH);
    /* mask_length > 1021 */
    db_st_be16(b + 10, 1022);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_MASK, b, 28),
                    SCLP_RC_INVALID_MASK_LENGTH);
    /* SCCB too short for 4 masks of 8 */
    wem_build(b, 8, 0, 0);
    db_st_be16(b, 40);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_MASK, b, 40),
                    SCLP_RC_INSUFFICIENT_SCCB_LENGTH);
    /* SCCB shorter than the fixed part */
    hdr(b, 10);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_MASK, b, 10),
                    SCLP_RC_INSUFFICIENT_SCCB_LENGTH);
    /* none of the rejected requests changed the recorded masks */
    CU_ASSERT_EQUAL(sclp_guest_receive_mask(f.s), sd);
    CU_ASSERT_EQUAL(sclp_guest_send_mask(f.s), sd);
    fx_fini(&f);
}

static void t_write_event_mask_len4_only(void)
{
    struct fx f;
    uint8_t b[64];
    struct sclp_profile p;
    sclp_profile_init_custom(&p, "compat", SMALL_HSA);
    p.mask_len4_only = true;
    fx_init(&f, &p, 4 * MiB, 1);
    wem_build(b, 8, 0, 1);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_MASK, b, 44),
                    SCLP_RC_INVALID_MASK_LENGTH);
    CU_ASSERT_EQUAL(sclp_guest_send_mask(f.s), 0);
    wem_build(b, 4, 0, 0x0000000100000000ull);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_MASK, b, 28), 0x0020);
    CU_ASSERT_EQUAL(sclp_guest_send_mask(f.s), 0x0000000100000000ull);
    fx_fini(&f);
}

static void t_read_event_data(void)
{
    struct fx f;
    uint8_t b[4096];
    fx_init(&f, NULL, 4 * MiB, 1);
    hdr(b, 4096);
    b[5] = SCLP_CM2_VARIABLE_LENGTH;
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_EVENT_DATA, b, 4096),
                    SCLP_RC_NO_EVENT_BUFFERS_STORED);
    /* invalid function code */
    b[2] = 0x07;
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_EVENT_DATA, b, 4096),
                    SCLP_RC_INVALID_FUNCTION);
    /* selective read with a mask the guest did not register */
    b[2] = SCLP_FC_SELECTIVE_READ;
    db_st_be32(b + 8, 0x00000010);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_EVENT_DATA, b, 4096),
                    SCLP_RC_INVALID_SELECTION_MASK);
    /* after registering the receive mask the same read finds nothing */
    uint8_t w[28];
    wem_build(w, 4, SCLP_EVTYP_MASK(SCLP_EVTYP_SDIAS), 0);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_WRITE_EVENT_MASK, w, 28), 0x0020);
    CU_ASSERT_EQUAL(fx_call(&f, SCLP_CMDW_READ_EVENT_DATA, b, 4096),
                    SCLP_RC_NO_EVENT_BUFFERS_STORED);
    fx_fini(&f);
}

static void t_stats_count_calls(void)
{
    struct fx f;
    uint8_t b[64];
    struct sclp_stats st;
    fx_init(&f, NULL, 4 * MiB, 1);
    hdr(b, 64);
    fx_call(&f, SCLP_CMDW_READ_EVENT_DATA, b, 64);
    fx_call(&f, 0x12345678, b, 64);
    sclp_service_call(f.s, SCLP_CMDW_READ_EVENT_DATA, 0x100); /* pgm check */
    sclp_get_stats(f.s, &st);
    CU_ASSERT_EQUAL(st.service_calls, 2);
    fx_fini(&f);
}

static const struct tcase tests[] = {
    { "program checks", t_program_checks },
    { "invalid command 0x01f0", t_invalid_command },
    { "boundary violation 0x0100", t_boundary_violation },
    { "ext sccb facility allows crossing", t_ext_sccb_allows_crossing },
    { "read info too short 0x0300", t_read_info_short },
    { "read info byte-exact", t_read_info_fields },
    { "read info forced, rnsize/rnmax", t_read_info_forced_and_small_increment },
    { "read info no-dump profile", t_read_info_no_dump_bit },
    { "read info hsa_size after dump/release", t_read_info_hsa_after_dump },
    { "read info hsa clipped to memory", t_read_info_hsa_clipped },
    { "read info injected rc", t_read_info_injected_rc },
    { "read cpu info", t_read_cpu_info },
    { "write event mask", t_write_event_mask },
    { "write event mask errors keep state", t_write_event_mask_errors },
    { "write event mask len4 only", t_write_event_mask_len4_only },
    { "read event data", t_read_event_data },
    { "stats count service calls", t_stats_count_calls },
    { NULL, NULL },
};

void register_service_tests(void)
{
    ADD_SUITE("service", tests);
}
