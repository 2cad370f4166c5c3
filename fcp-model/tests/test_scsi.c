/* SCSI command execution: every command and CDB variant, byte-exact. */
#include <string.h>

#include <dumpbench/be.h>

#include "fcp_test.h"

static const uint8_t inq_std[36] = {
    0x00, 0x00, 0x06, 0x12, 0x1f, 0x00, 0x00, 0x02,
    'D', 'U', 'M', 'P', 'B', 'N', 'C', 'H',
    'F', 'C', 'P', ' ', 'M', 'O', 'D', 'E', 'L', ' ', 'D', 'I', 'S', 'K', ' ', ' ',
    '0', '0', '0', '1',
};

static void test_inquiry_std(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_INQUIRY, 0, 0, 0, 36, 0};
    uint8_t buf[36];
    struct fcp_scsi_result r;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 36, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.scsi_status, SCSI_STATUS_GOOD);
    CU_ASSERT_EQUAL(r.data_len, 36);
    CU_ASSERT_EQUAL(r.fcp_flags, 0);
    CU_ASSERT_EQUAL(r.resid, 0);
    CU_ASSERT_EQUAL(r.sense_len, 0);
    CU_ASSERT_EQUAL(memcmp(buf, inq_std, 36), 0);
    fx_teardown(&f);
}

/* allocation length larger than the data: underrun against FCP_DL */
static void test_inquiry_alloc_large(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_INQUIRY, 0, 0, 0, 96, 0};
    uint8_t buf[96];
    struct fcp_scsi_result r;

    fx_setup(&f, 512, 2048);
    memset(buf, 0xaa, sizeof(buf));
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 96, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 36);
    CU_ASSERT_EQUAL(r.fcp_flags, FCP_RESID_UNDER);
    CU_ASSERT_EQUAL(r.resid, 60);
    CU_ASSERT_EQUAL(memcmp(buf, inq_std, 36), 0);
    CU_ASSERT_EQUAL(buf[36], 0xaa);
    fx_teardown(&f);
}

/* allocation length 5: exactly five bytes, the rest of the buffer untouched */
static void test_inquiry_alloc_small(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_INQUIRY, 0, 0, 0, 5, 0};
    uint8_t buf[255];
    struct fcp_scsi_result r;

    fx_setup(&f, 512, 2048);
    memset(buf, 0xaa, sizeof(buf));
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, sizeof(buf), NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 5);
    CU_ASSERT_EQUAL(r.fcp_flags, FCP_RESID_UNDER);
    CU_ASSERT_EQUAL(r.resid, 250);
    CU_ASSERT_EQUAL(memcmp(buf, inq_std, 5), 0);
    CU_ASSERT_EQUAL(buf[5], 0xaa);
    /* allocation length 0: no data, GOOD */
    cdb[4] = 0;
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 36, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 0);
    CU_ASSERT_EQUAL(r.resid, 36);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.fcp_flags, 0);
    fx_teardown(&f);
}

/* FCP_DL smaller than what is due: truncated, FCP_RESID_OVER */
static void test_inquiry_buffer_short(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_INQUIRY, 0, 0, 0, 36, 0};
    uint8_t buf[32];
    struct fcp_scsi_result r;

    fx_setup(&f, 512, 2048);
    memset(buf, 0xaa, sizeof(buf));
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 20, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 20);
    CU_ASSERT_EQUAL(r.fcp_flags, FCP_RESID_OVER);
    CU_ASSERT_EQUAL(r.resid, 16);
    CU_ASSERT_EQUAL(memcmp(buf, inq_std, 20), 0);
    CU_ASSERT_EQUAL(buf[20], 0xaa);
    fx_teardown(&f);
}

static void test_inquiry_invalid_fields(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_INQUIRY, 0, 0x80, 0, 36, 0};
    uint8_t buf[36];
    struct fcp_scsi_result r;
    static const uint8_t exp_pc[18] = {0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0,
                                       0x24, 0x00, 0, 0xc0, 0x00, 0x02};
    static const uint8_t exp_cmddt[18] = {0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0,
                                          0x24, 0x00, 0, 0xc0, 0x00, 0x01};

    fx_setup(&f, 512, 2048);
    memset(buf, 0xaa, sizeof(buf));
    /* page code without EVPD */
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 36, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp_pc);
    CU_ASSERT_EQUAL(r.data_len, 0);
    CU_ASSERT_EQUAL(buf[0], 0xaa);
    /* unsupported VPD page */
    cdb[1] = SCSI_INQ_EVPD;
    cdb[2] = 0xb0;
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 36, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp_pc);
    /* obsolete CMDDT bit */
    cdb[1] = SCSI_INQ_CMDDT;
    cdb[2] = 0;
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 36, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp_cmddt);
    fx_teardown(&f);
}

static void test_vpd_supported_pages(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_INQUIRY, SCSI_INQ_EVPD, 0x00, 0, 255, 0};
    uint8_t buf[255];
    struct fcp_scsi_result r;
    static const uint8_t exp[7] = {0x00, 0x00, 0x00, 0x03, 0x00, 0x80, 0x83};

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 255, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 7);
    CU_ASSERT_EQUAL(r.resid, 248);
    CU_ASSERT_EQUAL(memcmp(buf, exp, 7), 0);
    fx_teardown(&f);
}

static void test_vpd_unit_serial(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_INQUIRY, SCSI_INQ_EVPD, 0x80, 0, 20, 0};
    uint8_t buf[20];
    struct fcp_scsi_result r;
    static const uint8_t exp[20] = {0x00, 0x80, 0x00, 0x10, '3', '0', '6', '3', '0', '3',
                                    '0', '0', 'C', '5', '6', '2', '0', '0', '0', '1'};

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 20, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 20);
    CU_ASSERT_EQUAL(r.fcp_flags, 0);
    CU_ASSERT_EQUAL(memcmp(buf, exp, 20), 0);
    fx_teardown(&f);
}

static void test_vpd_device_id(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_INQUIRY, SCSI_INQ_EVPD, 0x83, 0, 28, 0};
    uint8_t buf[28];
    struct fcp_scsi_result r;
    static const uint8_t exp[28] = {
        0x00, 0x83, 0x00, 0x18,
        0x01, 0x03, 0x00, 0x08, 0x30, 0x63, 0x03, 0x00, 0xc5, 0x62, 0x00, 0x01,
        0x01, 0x93, 0x00, 0x08, 0x50, 0x05, 0x07, 0x63, 0x03, 0x00, 0xc5, 0x62,
    };

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 28, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 28);
    CU_ASSERT_EQUAL(memcmp(buf, exp, 28), 0);
    fx_teardown(&f);
}

static void test_test_unit_ready(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_TEST_UNIT_READY};
    uint8_t buf[8];
    struct fcp_scsi_result r;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.scsi_status, SCSI_STATUS_GOOD);
    CU_ASSERT_EQUAL(r.fcp_flags, 0);
    CU_ASSERT_EQUAL(r.data_len, 0);
    /* a no-data command with FCP_DL > 0 reports the whole DL as underrun */
    memset(buf, 0xaa, sizeof(buf));
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 8, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.fcp_flags, FCP_RESID_UNDER);
    CU_ASSERT_EQUAL(r.resid, 8);
    CU_ASSERT_EQUAL(buf[0], 0xaa);
    fx_teardown(&f);
}

static void test_read_capacity10(void)
{
    struct fx f;
    uint8_t cdb[10] = {SCSI_OP_READ_CAPACITY_10};
    uint8_t buf[8];
    struct fcp_scsi_result r;
    static const uint8_t exp512[8] = {0x00, 0x00, 0x07, 0xff, 0x00, 0x00, 0x02, 0x00};
    static const uint8_t exp4k[8] = {0x00, 0x00, 0x00, 0x63, 0x00, 0x00, 0x10, 0x00};

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, 8, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 8);
    CU_ASSERT_EQUAL(memcmp(buf, exp512, 8), 0);
    fx_teardown(&f);

    fx_setup(&f, 4096, 100);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, 8, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(buf, exp4k, 8), 0);
    fx_teardown(&f);
}

static void test_read_capacity10_fields(void)
{
    struct fx f;
    uint8_t cdb[10] = {SCSI_OP_READ_CAPACITY_10, 0, 0, 0, 0, 5, 0, 0, 0, 0};
    uint8_t buf[8];
    struct fcp_scsi_result r;
    static const uint8_t exp[18] = {0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0,
                                    0x24, 0x00, 0, 0xc0, 0x00, 0x02};

    fx_setup(&f, 512, 2048);
    /* LBA set without PMI */
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, 8, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp);
    /* with PMI the LBA is allowed */
    cdb[8] = SCSI_RC10_PMI;
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, 8, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(db_ld_be32(buf), 2047);
    /* buffer of 4: truncated, overrun reported */
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, 4, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 4);
    CU_ASSERT_EQUAL(r.fcp_flags, FCP_RESID_OVER);
    CU_ASSERT_EQUAL(r.resid, 4);
    fx_teardown(&f);
}

static void test_read_capacity16(void)
{
    struct fx f;
    uint8_t cdb[16] = {SCSI_OP_SERVICE_ACTION_IN_16, SCSI_SAI_READ_CAPACITY_16};
    uint8_t buf[32];
    struct fcp_scsi_result r;
    uint8_t exp[32];

    fx_setup(&f, 512, 2048);
    db_st_be32(&cdb[10], 32);
    memset(exp, 0, sizeof(exp));
    exp[6] = 0x07;
    exp[7] = 0xff;
    exp[10] = 0x02;
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 16, buf, 32, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 32);
    CU_ASSERT_EQUAL(r.fcp_flags, 0);
    CU_ASSERT_EQUAL(memcmp(buf, exp, 32), 0);
    /* allocation length 12 */
    memset(buf, 0xaa, sizeof(buf));
    db_st_be32(&cdb[10], 12);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 16, buf, 32, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 12);
    CU_ASSERT_EQUAL(r.resid, 20);
    CU_ASSERT_EQUAL(memcmp(buf, exp, 12), 0);
    CU_ASSERT_EQUAL(buf[12], 0xaa);
    fx_teardown(&f);
}

static void test_service_action_in_invalid(void)
{
    struct fx f;
    uint8_t cdb[16] = {SCSI_OP_SERVICE_ACTION_IN_16, 0x11};
    uint8_t buf[32];
    struct fcp_scsi_result r;
    static const uint8_t exp_sa[18] = {0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0,
                                       0x24, 0x00, 0, 0xc0, 0x00, 0x01};
    static const uint8_t exp_lba[18] = {0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0,
                                        0x24, 0x00, 0, 0xc0, 0x00, 0x02};

    fx_setup(&f, 512, 2048);
    db_st_be32(&cdb[10], 32);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 16, buf, 32, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp_sa);
    cdb[1] = SCSI_SAI_READ_CAPACITY_16;
    cdb[9] = 1;                       /* LBA without PMI */
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 16, buf, 32, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp_lba);
    fx_teardown(&f);
}

static void test_report_luns(void)
{
    struct fx f;
    uint8_t cdb[12] = {SCSI_OP_REPORT_LUNS};
    uint8_t buf[64];
    struct fcp_scsi_result r;
    /* LUN_2 was added before LUN_1: the list is ascending anyway */
    static const uint8_t exp[24] = {0x00, 0x00, 0x00, 0x10, 0, 0, 0, 0,
                                    0x00, 0x01, 0, 0, 0, 0, 0, 0,
                                    0x00, 0x02, 0, 0, 0, 0, 0, 0};
    static const uint8_t exp_b[16] = {0x00, 0x00, 0x00, 0x08, 0, 0, 0, 0,
                                      0x00, 0x01, 0, 0, 0, 0, 0, 0};

    fx_setup(&f, 512, 2048);
    db_st_be32(&cdb[6], 64);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 12, buf, 64, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 24);
    CU_ASSERT_EQUAL(r.fcp_flags, FCP_RESID_UNDER);
    CU_ASSERT_EQUAL(r.resid, 40);
    CU_ASSERT_EQUAL(memcmp(buf, exp, 24), 0);
    /* SELECT REPORT 02h: same (no well-known LUs) */
    cdb[2] = SCSI_SELECT_REPORT_ALL_WLUN;
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 12, buf, 64, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(buf, exp, 24), 0);

    /* port B, from its own LUN: only its LUN */
    uint32_t ph, lh;
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_B, &ph), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, ph, LUN_1, &lh), FCP_ST_OK);
    cdb[2] = 0;
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, ph, lh, cdb, 12, buf, 64, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 16);
    CU_ASSERT_EQUAL(memcmp(buf, exp_b, 16), 0);
    fx_teardown(&f);
}

static void test_report_luns_alloc_and_select(void)
{
    struct fx f;
    uint8_t cdb[12] = {SCSI_OP_REPORT_LUNS};
    uint8_t buf[64];
    struct fcp_scsi_result r;
    static const uint8_t exp_alloc[18] = {0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0,
                                          0x24, 0x00, 0, 0xc0, 0x00, 0x06};
    static const uint8_t exp_sel[18] = {0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0,
                                        0x24, 0x00, 0, 0xc0, 0x00, 0x02};
    static const uint8_t exp16[16] = {0x00, 0x00, 0x00, 0x10, 0, 0, 0, 0,
                                      0x00, 0x01, 0, 0, 0, 0, 0, 0};
    static const uint8_t empty[8] = {0};

    fx_setup(&f, 512, 2048);
    db_st_be32(&cdb[6], 15);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 12, buf, 64, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp_alloc);
    CU_ASSERT_EQUAL(r.data_len, 0);
    /* allocation length 16 with two LUNs: list length still says 16 */
    db_st_be32(&cdb[6], 16);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 12, buf, 24, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 16);
    CU_ASSERT_EQUAL(r.fcp_flags, FCP_RESID_UNDER);
    CU_ASSERT_EQUAL(r.resid, 8);
    CU_ASSERT_EQUAL(memcmp(buf, exp16, 16), 0);
    /* SELECT REPORT 01h: well-known LUs only, none */
    cdb[2] = SCSI_SELECT_REPORT_WLUN;
    db_st_be32(&cdb[6], 64);
    memset(buf, 0xaa, sizeof(buf));
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 12, buf, 64, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 8);
    CU_ASSERT_EQUAL(memcmp(buf, empty, 8), 0);
    /* SELECT REPORT 03h: reserved here */
    cdb[2] = 0x03;
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 12, buf, 64, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp_sel);
    fx_teardown(&f);
}

static void test_read_write10_roundtrip(void)
{
    struct fx f;
    uint8_t cdb[10];
    uint8_t out[8 * 512], in[8 * 512], raw[8 * 512];
    struct fcp_scsi_result r;

    fx_setup(&f, 512, 2048);
    fill_pattern(out, sizeof(out), 1);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 100, 8);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, out, sizeof(out), &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, sizeof(out));
    CU_ASSERT_EQUAL(r.fcp_flags, 0);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(f.a, WWPN_A, LUN_1, 100 * 512, raw, sizeof(raw)),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(raw, out, sizeof(out)), 0);
    memset(in, 0, sizeof(in));
    cdb_rw10(cdb, SCSI_OP_READ_10, 100, 8);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, in, sizeof(in), NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, sizeof(in));
    CU_ASSERT_EQUAL(memcmp(in, out, sizeof(in)), 0);
    /* the LUN on port B is a different medium */
    CU_ASSERT_EQUAL(fcp_lun_read_raw(f.a, WWPN_B, LUN_1, 0, raw, 512), FCP_ST_OK);
    CU_ASSERT_EQUAL(raw[0] | raw[100] | raw[511], 0);
    fx_teardown(&f);
}

static void test_read_write16_last_block(void)
{
    struct fx f;
    uint8_t cdb[16];
    uint8_t out[512], in[512];
    struct fcp_scsi_result r;

    fx_setup(&f, 512, 2048);
    fill_pattern(out, sizeof(out), 2);
    cdb_rw16(cdb, SCSI_OP_WRITE_16, 2047, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 16, NULL, 0, out, 512, &r), FCP_ST_OK);
    cdb_rw16(cdb, SCSI_OP_READ_16, 2047, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 16, in, 512, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 512);
    CU_ASSERT_EQUAL(memcmp(in, out, 512), 0);
    fx_teardown(&f);
}

static void test_lba_out_of_range(void)
{
    struct fx f;
    uint8_t cdb10[10], cdb16[16];
    uint8_t buf[4 * 512], raw[4 * 512];
    struct fcp_scsi_result r;
    uint8_t exp[18];

    fx_setup(&f, 512, 2048);
    sense_simple(exp, SCSI_SK_ILLEGAL_REQUEST, 0x21, 0x00);
    cdb_rw10(cdb10, SCSI_OP_READ_10, 2048, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb10, 10, buf, 512, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp);
    CU_ASSERT_EQUAL(r.data_len, 0);
    CU_ASSERT_EQUAL(r.fcp_flags, FCP_RESID_UNDER | FCP_SNS_LEN_VAL);
    CU_ASSERT_EQUAL(r.resid, 512);
    /* write straddling the end: nothing written */
    fill_pattern(buf, sizeof(buf), 3);
    cdb_rw10(cdb10, SCSI_OP_WRITE_10, 2046, 4);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb10, 10, NULL, 0, buf, sizeof(buf), &r),
                    FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(f.a, WWPN_A, LUN_1, 2046 * 512, raw, 1024), FCP_ST_OK);
    CU_ASSERT_EQUAL(raw[0] | raw[511] | raw[1023], 0);
    /* LBA + count wraps 64 bits */
    cdb_rw16(cdb16, SCSI_OP_READ_16, UINT64_MAX - 1, 4);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb16, 16, buf, sizeof(buf), NULL, 0, &r),
                    FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp);
    cdb_rw16(cdb16, SCSI_OP_WRITE_16, UINT64_MAX, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb16, 16, NULL, 0, buf, 512, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp);
    fx_teardown(&f);
}

static void test_zero_length_transfer(void)
{
    struct fx f;
    uint8_t cdb[10];
    uint8_t buf[512];
    struct fcp_scsi_result r;
    uint8_t exp[18];
    struct fcp_stats st;

    fx_setup(&f, 512, 2048);
    cdb_rw10(cdb, SCSI_OP_READ_10, 10, 0);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 0);
    CU_ASSERT_EQUAL(r.fcp_flags, 0);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, 512, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.fcp_flags, FCP_RESID_UNDER);
    CU_ASSERT_EQUAL(r.resid, 512);
    /* zero blocks at LBA == capacity is in range, one past it is not */
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 2048, 0);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 2049, 0);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    sense_simple(exp, SCSI_SK_ILLEGAL_REQUEST, 0x21, 0x00);
    expect_sense(&r, exp);
    CU_ASSERT_EQUAL(fcp_lun_stats(f.a, WWPN_A, LUN_1, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.bytes_read + st.bytes_written, 0);
    fx_teardown(&f);
}

/* FCP_DL shorter than the transfer: refused whole, never short */
static void test_write_buffer_too_small(void)
{
    struct fx f;
    uint8_t cdb[10];
    uint8_t buf[4 * 512], raw[4 * 512];
    struct fcp_scsi_result r;
    uint8_t exp[18];

    fx_setup(&f, 512, 2048);
    fill_pattern(buf, sizeof(buf), 4);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 0, 4);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, buf, 3 * 512 + 100, &r),
                    FCP_ST_FCP_RSP_AVAILABLE);
    sense_simple(exp, SCSI_SK_ILLEGAL_REQUEST, 0x0e, 0x03);
    expect_sense(&r, exp);
    CU_ASSERT_EQUAL(r.data_len, 0);
    CU_ASSERT_EQUAL(r.fcp_flags, FCP_RESID_OVER | FCP_SNS_LEN_VAL);
    CU_ASSERT_EQUAL(r.resid, 412);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(f.a, WWPN_A, LUN_1, 0, raw, sizeof(raw)), FCP_ST_OK);
    for (size_t i = 0; i < sizeof(raw); i++) {
        if (raw[i]) {
            CU_FAIL("write with short FCP_DL changed the medium");
            break;
        }
    }
    /* a WRITE with no data-out buffer at all */
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp);
    CU_ASSERT_EQUAL(r.resid, 2048);
    fx_teardown(&f);
}

static void test_read_buffer_mismatch(void)
{
    struct fx f;
    uint8_t cdb[16];
    uint8_t buf[4 * 512];
    struct fcp_scsi_result r;
    uint8_t exp[18];

    fx_setup(&f, 512, 2048);
    memset(buf, 0xaa, sizeof(buf));
    cdb_rw16(cdb, SCSI_OP_READ_16, 0, 2);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 16, buf, 1000, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    sense_simple(exp, SCSI_SK_ILLEGAL_REQUEST, 0x0e, 0x03);
    expect_sense(&r, exp);
    CU_ASSERT_EQUAL(r.resid, 24);
    CU_ASSERT_EQUAL(buf[0], 0xaa);
    /* larger buffer: GOOD with underrun, bytes beyond untouched */
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 16, buf, sizeof(buf), NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 1024);
    CU_ASSERT_EQUAL(r.fcp_flags, FCP_RESID_UNDER);
    CU_ASSERT_EQUAL(r.resid, 1024);
    CU_ASSERT_EQUAL(buf[0], 0x00);
    CU_ASSERT_EQUAL(buf[1023], 0x00);
    CU_ASSERT_EQUAL(buf[1024], 0xaa);
    fx_teardown(&f);
}

static void test_direction_errors(void)
{
    struct fx f;
    uint8_t cdb[10];
    uint8_t in[512], out[512];
    struct fcp_scsi_result r;
    struct fcp_stats st;

    fx_setup(&f, 512, 2048);
    fill_pattern(out, sizeof(out), 5);
    cdb_rw10(cdb, SCSI_OP_READ_10, 0, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, out, 512, &r), FCP_ST_DIRECTION_NOT_VALID);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, in, 512, out, 512, &r), FCP_ST_DIRECTION_NOT_VALID);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 0, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, in, 512, NULL, 0, &r), FCP_ST_DIRECTION_NOT_VALID);
    CU_ASSERT_EQUAL(r.scsi_status, 0);
    CU_ASSERT_EQUAL(r.data_len, 0);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(f.a, WWPN_A, LUN_1, 0, in, 512), FCP_ST_OK);
    CU_ASSERT_EQUAL(in[0] | in[511], 0);
    CU_ASSERT_EQUAL(fcp_adapter_stats(f.a, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.fsf_errors, 3);
    CU_ASSERT_EQUAL(st.writes, 0);
    fx_teardown(&f);
}

static void test_unknown_opcode(void)
{
    struct fx f;
    uint8_t cdb[6] = {0x1a, 0, 0x3f, 0, 192, 0};   /* MODE SENSE(6): not supported */
    uint8_t buf[192];
    struct fcp_scsi_result r;
    static const uint8_t exp[18] = {0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0,
                                    0x20, 0x00, 0, 0, 0, 0};

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, sizeof(buf), NULL, 0, &r),
                    FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp);
    CU_ASSERT_EQUAL(r.data_len, 0);
    CU_ASSERT_EQUAL(r.resid, 192);
    uint8_t vendor[16] = {0xc0};
    CU_ASSERT_EQUAL(fx_exec(&f, vendor, 16, NULL, 0, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp);
    fx_teardown(&f);
}

static void test_cdb_length(void)
{
    struct fx f;
    uint8_t cdb[17] = {SCSI_OP_READ_10};
    uint8_t buf[512];
    struct fcp_scsi_result r;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 0, buf, 512, NULL, 0, &r), FCP_ST_CMND_LENGTH_NOT_VALID);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 17, buf, 512, NULL, 0, &r), FCP_ST_CMND_LENGTH_NOT_VALID);
    /* READ(10) in a 6-byte CDB */
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 512, NULL, 0, &r), FCP_ST_CMND_LENGTH_NOT_VALID);
    /* READ(16) in a 10-byte CDB */
    cdb[0] = SCSI_OP_READ_16;
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, 512, NULL, 0, &r), FCP_ST_CMND_LENGTH_NOT_VALID);
    /* a longer CDB than needed is fine (FCP_CDB is always 16 bytes) */
    cdb[0] = SCSI_OP_TEST_UNIT_READY;
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 16, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    fx_teardown(&f);
}

static void test_synchronize_cache(void)
{
    struct fx f;
    uint8_t cdb10[10], cdb16[16];
    struct fcp_scsi_result r;
    struct fcp_stats st;
    uint8_t exp[18];

    fx_setup(&f, 512, 2048);
    cdb_rw10(cdb10, SCSI_OP_SYNCHRONIZE_CACHE_10, 0, 0);      /* whole medium */
    CU_ASSERT_EQUAL(fx_exec(&f, cdb10, 10, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    cdb_rw16(cdb16, SCSI_OP_SYNCHRONIZE_CACHE_16, 2000, 48);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb16, 16, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    cdb_rw16(cdb16, SCSI_OP_SYNCHRONIZE_CACHE_16, 2000, 49);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb16, 16, NULL, 0, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    sense_simple(exp, SCSI_SK_ILLEGAL_REQUEST, 0x21, 0x00);
    expect_sense(&r, exp);
    cdb_rw10(cdb10, SCSI_OP_SYNCHRONIZE_CACHE_10, 2049, 0);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb10, 10, NULL, 0, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    CU_ASSERT_EQUAL(fcp_lun_stats(f.a, WWPN_A, LUN_1, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.syncs, 2);
    CU_ASSERT_EQUAL(st.check_conditions, 2);
    fx_teardown(&f);
}

static void test_request_sense(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_REQUEST_SENSE, 0, 0, 0, 252, 0};
    uint8_t buf[252];
    struct fcp_scsi_result r;
    static const uint8_t nosense[18] = {0x70, 0, 0, 0, 0, 0, 0, 10, 0, 0, 0, 0,
                                        0, 0, 0, 0, 0, 0};
    static const uint8_t exp_desc[18] = {0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0,
                                         0x24, 0x00, 0, 0xc0, 0x00, 0x01};

    fx_setup(&f, 512, 2048);
    memset(buf, 0xaa, sizeof(buf));
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, sizeof(buf), NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 18);
    CU_ASSERT_EQUAL(r.resid, 234);
    CU_ASSERT_EQUAL(memcmp(buf, nosense, 18), 0);
    CU_ASSERT_EQUAL(buf[18], 0xaa);
    /* allocation length 8 */
    cdb[4] = 8;
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 8, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 8);
    CU_ASSERT_EQUAL(r.fcp_flags, 0);
    /* DESC=1: descriptor format is not supported */
    cdb[1] = 0x01;
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 8, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp_desc);
    fx_teardown(&f);
}

static void test_exec_bad_arguments(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_INQUIRY, 0, 0, 0, 36, 0};
    uint8_t buf[36];
    struct fcp_scsi_result r;
    struct fcp_stats st;

    fx_setup(&f, 512, 2048);
    memset(&r, 0xee, sizeof(r));
    CU_ASSERT_EQUAL(fcp_scsi_exec(NULL, f.ph, f.lh, cdb, 6, buf, 36, NULL, 0, &r),
                    FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(r.data_len, 0);
    CU_ASSERT_EQUAL(fx_exec(&f, NULL, 6, buf, 36, NULL, 0, &r), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, NULL, 36, NULL, 0, &r), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, NULL, 0, NULL, 4, &r), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, (size_t)UINT32_MAX + 1, NULL, 0, &r),
                    FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, buf, 36, NULL, 0, NULL), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_adapter_stats(f.a, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.commands, 0);
    fx_teardown(&f);
}

static void test_4k_blocks(void)
{
    struct fx f;
    uint8_t cdb[10];
    uint8_t out[2 * 4096], in[2 * 4096], raw[4096];
    struct fcp_scsi_result r;
    uint8_t exp[18];

    fx_setup(&f, 4096, 100);
    fill_pattern(out, sizeof(out), 6);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 98, 2);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, out, sizeof(out), &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 8192);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(f.a, WWPN_A, LUN_1, 99 * 4096, raw, 4096), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(raw, out + 4096, 4096), 0);
    cdb_rw10(cdb, SCSI_OP_READ_10, 98, 2);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, in, sizeof(in), NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(in, out, sizeof(in)), 0);
    /* 512-byte-sized buffer for one 4 KiB block: overrun, refused */
    cdb_rw10(cdb, SCSI_OP_READ_10, 0, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, in, 512, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    sense_simple(exp, SCSI_SK_ILLEGAL_REQUEST, 0x0e, 0x03);
    expect_sense(&r, exp);
    CU_ASSERT_EQUAL(r.resid, 3584);
    cdb_rw10(cdb, SCSI_OP_READ_10, 99, 2);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, in, sizeof(in), NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    sense_simple(exp, SCSI_SK_ILLEGAL_REQUEST, 0x21, 0x00);
    expect_sense(&r, exp);
    fx_teardown(&f);
}

static void test_rsp_iu_encode(void)
{
    struct fx f;
    uint8_t cdb[10];
    uint8_t buf[512];
    uint8_t iu[FSF_FCP_RSP_SIZE];
    size_t len = 0;
    struct fcp_scsi_result r;
    static const uint8_t exp_cc[42] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x0a, 0x02,
        0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00, 0x12, 0x00, 0x00, 0x00, 0x00,
        0x70, 0, 0x05, 0, 0, 0, 0, 10, 0, 0, 0, 0, 0x21, 0x00, 0, 0, 0, 0,
    };
    static const uint8_t exp_good[24] = {
        0, 0, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x08, 0x00,
        0x00, 0x00, 0x01, 0x00, 0, 0, 0, 0, 0, 0, 0, 0,
    };

    fx_setup(&f, 512, 2048);
    cdb_rw10(cdb, SCSI_OP_READ_10, 5000, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, 512, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    CU_ASSERT_EQUAL(fcp_rsp_iu_encode(&r, iu, sizeof(iu), &len), FCP_ST_OK);
    CU_ASSERT_EQUAL(len, 42);
    CU_ASSERT_EQUAL(memcmp(iu, exp_cc, 42), 0);
    CU_ASSERT_EQUAL(fcp_rsp_iu_encode(&r, iu, 41, &len), FCP_ST_ERR_INVALID);
    /* GOOD, 256 of 512 bytes: READ(10) of zero... use INQUIRY-like underrun */
    cdb_rw10(cdb, SCSI_OP_READ_10, 0, 0);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, 256, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_rsp_iu_encode(&r, iu, sizeof(iu), &len), FCP_ST_OK);
    CU_ASSERT_EQUAL(len, 24);
    CU_ASSERT_EQUAL(memcmp(iu, exp_good, 24), 0);
    fx_teardown(&f);
}

static void test_cmnd_iu_decode(void)
{
    uint8_t iu[FSF_FCP_CMND_SIZE];
    struct fcp_cmnd_info ci;

    memset(iu, 0, sizeof(iu));
    static const uint8_t hdr[32] = {
        0x40, 0x10, 0x40, 0x00, 0x00, 0x00, 0x00, 0x00,     /* FCP_LUN */
        0x00, FCP_PTA_ORDERED, 0x00, FCP_CFL_RDDATA,
        0x28, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x08, 0x00, 0, 0, 0, 0, 0, 0,
        0x00, 0x00, 0x10, 0x00,                             /* FCP_DL 4096 */
    };
    memcpy(iu, hdr, sizeof(hdr));
    CU_ASSERT_EQUAL(fcp_cmnd_iu_decode(iu, 32, &ci), FCP_ST_OK);
    CU_ASSERT_EQUAL(ci.lun, 0x4010400000000000ULL);
    CU_ASSERT_EQUAL(ci.task_attr, FCP_PTA_ORDERED);
    CU_ASSERT_EQUAL(ci.tm_flags, 0);
    CU_ASSERT_EQUAL(ci.rddata, 1);
    CU_ASSERT_EQUAL(ci.wrdata, 0);
    CU_ASSERT_EQUAL(ci.cdb_len, 16);
    CU_ASSERT_EQUAL(memcmp(ci.cdb, &hdr[12], 16), 0);
    CU_ASSERT_EQUAL(ci.dl, 4096);

    memset(&ci, 0xee, sizeof(ci));
    CU_ASSERT_EQUAL(fcp_cmnd_iu_decode(iu, 31, &ci), FCP_ST_CMND_LENGTH_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_cmnd_iu_decode(iu, FSF_FCP_CMND_SIZE + 1, &ci),
                    FCP_ST_CMND_LENGTH_NOT_VALID);
    iu[11] = (1 << FCP_CFL_LEN_SHIFT) | FCP_CFL_RDDATA;    /* 4 more CDB bytes */
    CU_ASSERT_EQUAL(fcp_cmnd_iu_decode(iu, 36, &ci), FCP_ST_CMND_LENGTH_NOT_VALID);
    iu[11] = FCP_CFL_RDDATA | FCP_CFL_WRDATA;
    CU_ASSERT_EQUAL(fcp_cmnd_iu_decode(iu, 32, &ci), FCP_ST_DIRECTION_NOT_VALID);
    CU_ASSERT_EQUAL(ci.dl, 0xeeeeeeee);                   /* untouched */
    CU_ASSERT_EQUAL(fcp_cmnd_iu_decode(NULL, 32, &ci), FCP_ST_ERR_INVALID);
}

/* QTCB path end to end: FCP_CMND IU in, SCSI, FCP_RSP IU out. */
static void test_iu_end_to_end(void)
{
    struct fx f;
    uint8_t iu[32];
    uint8_t data[1024];
    uint8_t rsp[FSF_FCP_RSP_SIZE];
    size_t rlen;
    struct fcp_cmnd_info ci;
    struct fcp_scsi_result r;
    static const uint8_t exp_rsp[24] = {0};

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_lun_write_raw(f.a, WWPN_A, LUN_1, 512, "dumpbench", 9), FCP_ST_OK);
    memset(iu, 0, sizeof(iu));
    db_st_be64(iu, LUN_1);
    iu[11] = FCP_CFL_RDDATA;
    iu[12] = SCSI_OP_READ_10;
    db_st_be32(&iu[14], 1);
    db_st_be16(&iu[19], 2);
    db_st_be32(&iu[28], 1024);
    CU_ASSERT_EQUAL_FATAL(fcp_cmnd_iu_decode(iu, sizeof(iu), &ci), FCP_ST_OK);
    CU_ASSERT_EQUAL(ci.lun, LUN_1);
    CU_ASSERT_EQUAL(fx_exec(&f, ci.cdb, ci.cdb_len, data, ci.dl, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(data, "dumpbench", 9), 0);
    CU_ASSERT_EQUAL(fcp_rsp_iu_encode(&r, rsp, sizeof(rsp), &rlen), FCP_ST_OK);
    CU_ASSERT_EQUAL(rlen, 24);
    CU_ASSERT_EQUAL(memcmp(rsp, exp_rsp, 24), 0);
    fx_teardown(&f);
}

int register_scsi_suite(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"INQUIRY standard data", test_inquiry_std},
        {"INQUIRY allocation > data", test_inquiry_alloc_large},
        {"INQUIRY allocation small / 0", test_inquiry_alloc_small},
        {"INQUIRY buffer short: overrun", test_inquiry_buffer_short},
        {"INQUIRY invalid fields", test_inquiry_invalid_fields},
        {"VPD 00h supported pages", test_vpd_supported_pages},
        {"VPD 80h unit serial", test_vpd_unit_serial},
        {"VPD 83h device identification", test_vpd_device_id},
        {"TEST UNIT READY", test_test_unit_ready},
        {"READ CAPACITY(10)", test_read_capacity10},
        {"READ CAPACITY(10) fields", test_read_capacity10_fields},
        {"READ CAPACITY(16)", test_read_capacity16},
        {"SERVICE ACTION IN invalid", test_service_action_in_invalid},
        {"REPORT LUNS", test_report_luns},
        {"REPORT LUNS allocation / select", test_report_luns_alloc_and_select},
        {"READ/WRITE(10) round trip", test_read_write10_roundtrip},
        {"READ/WRITE(16) last block", test_read_write16_last_block},
        {"LBA out of range", test_lba_out_of_range},
        {"zero-length transfers", test_zero_length_transfer},
        {"WRITE with FCP_DL too small", test_write_buffer_too_small},
        {"READ buffer mismatch", test_read_buffer_mismatch},
        {"data direction errors", test_direction_errors},
        {"unknown opcode", test_unknown_opcode},
        {"CDB length", test_cdb_length},
        {"SYNCHRONIZE CACHE(10/16)", test_synchronize_cache},
        {"REQUEST SENSE", test_request_sense},
        {"exec bad arguments", test_exec_bad_arguments},
        {"4096-byte blocks", test_4k_blocks},
        {"FCP_RSP IU encode", test_rsp_iu_encode},
        {"FCP_CMND IU decode", test_cmnd_iu_decode},
        {"IU end to end", test_iu_end_to_end},
    };
    CU_pSuite s = CU_add_suite("fcp_scsi", NULL, NULL);
    if (!s) {
        return CU_get_error();
    }
    for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++) {
        if (!CU_add_test(s, tests[i].name, tests[i].fn)) {
            return CU_get_error();
        }
    }
    return 0;
}
