/* Fault hooks and statistics. */
#include <string.h>

#include "fcp_test.h"

/* true if [off, off+len) of port A LUN_1 is all zero */
static int medium_zero(struct fx *f, uint64_t off, size_t len)
{
    uint8_t buf[4096];
    while (len) {
        size_t n = len < sizeof(buf) ? len : sizeof(buf);
        if (fcp_lun_read_raw(f->a, WWPN_A, LUN_1, off, buf, n) != FCP_ST_OK) {
            return 0;
        }
        for (size_t i = 0; i < n; i++) {
            if (buf[i]) {
                return 0;
            }
        }
        off += n;
        len -= n;
    }
    return 1;
}

static void test_link_down_partial_write(void)
{
    struct fx f;
    struct fcp_fault flt = {.kind = FCP_FAULT_LINK_DOWN, .lba = 104};
    uint8_t cdb[10];
    uint8_t out[8 * 512], raw[4 * 512];
    struct fcp_scsi_result r;
    enum fcp_port_state ps;
    uint64_t fired = 99;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_OK);
    fill_pattern(out, sizeof(out), 7);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 100, 8);              /* blocks 100..107 */
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, out, sizeof(out), &r), FCP_ST_LINK_DOWN);
    CU_ASSERT_EQUAL(r.data_len, 4 * 512);                 /* 100..103 reached the medium */
    CU_ASSERT_EQUAL(r.scsi_status, 0);
    CU_ASSERT_EQUAL(r.sense_len, 0);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(f.a, WWPN_A, LUN_1, 100 * 512, raw, sizeof(raw)),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(raw, out, sizeof(raw)), 0);
    CU_ASSERT_TRUE(medium_zero(&f, 104 * 512, 4 * 512));  /* nothing past the fault */
    CU_ASSERT_EQUAL(fcp_port_get_state(f.a, WWPN_A, &ps), FCP_ST_OK);
    CU_ASSERT_EQUAL(ps, FCP_PORT_LOST);
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_LINK_DOWN, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 1);
    fx_teardown(&f);
}

static void test_link_down_lost_port_and_link_up(void)
{
    struct fx f;
    struct fcp_fault flt = {.kind = FCP_FAULT_LINK_DOWN, .lba = 10};
    uint8_t cdb[10], tur[6] = {SCSI_OP_TEST_UNIT_READY};
    uint8_t out[512];
    struct fcp_scsi_result r;
    enum fcp_port_state ps;
    enum fcp_lun_state ls;
    uint32_t h = 0xdeadbeef, ph2, lh2;
    uint64_t fired;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_port_link_up(f.a, WWPN_A), FCP_ST_ERR_INVALID);   /* not lost */
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_OK);
    fill_pattern(out, sizeof(out), 8);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 10, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, out, 512, &r), FCP_ST_LINK_DOWN);
    CU_ASSERT_EQUAL(r.data_len, 0);
    CU_ASSERT_TRUE(medium_zero(&f, 10 * 512, 512));
    /* while lost everything on the port reports link down */
    CU_ASSERT_EQUAL(fx_exec(&f, tur, 6, NULL, 0, NULL, 0, &r), FCP_ST_LINK_DOWN);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_A, &h), FCP_ST_LINK_DOWN);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, f.ph, LUN_2, &h), FCP_ST_LINK_DOWN);
    CU_ASSERT_EQUAL(fcp_lun_close(f.a, f.ph, f.lh), FCP_ST_LINK_DOWN);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, f.ph), FCP_ST_LINK_DOWN);
    CU_ASSERT_EQUAL(h, 0xdeadbeef);
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_LINK_DOWN, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 1);
    /* other ports are unaffected */
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_B, &ph2), FCP_ST_OK);
    /* link up: closed, old handles dead, re-login works */
    CU_ASSERT_EQUAL(fcp_port_link_up(f.a, WWPN_A), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_get_state(f.a, WWPN_A, &ps), FCP_ST_OK);
    CU_ASSERT_EQUAL(ps, FCP_PORT_CLOSED);
    CU_ASSERT_EQUAL(fcp_lun_get_state(f.a, WWPN_A, LUN_1, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls, FCP_LUN_CLOSED);
    CU_ASSERT_EQUAL(fx_exec(&f, tur, 6, NULL, 0, NULL, 0, &r), FCP_ST_PORT_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_A, &ph2), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, ph2, LUN_1, &lh2), FCP_ST_OK);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 9, 1);                /* below the fault: fine */
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, ph2, lh2, cdb, 10, NULL, 0, out, 512, &r), FCP_ST_OK);
    /* the fault is still armed: fires again */
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 11, 1);
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, ph2, lh2, cdb, 10, NULL, 0, out, 512, &r),
                    FCP_ST_LINK_DOWN);
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_LINK_DOWN, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 2);
    CU_ASSERT_EQUAL(fcp_port_link_up(f.a, WWPN_A), FCP_ST_OK);
    /* cleared: writes past the old fault go through */
    CU_ASSERT_EQUAL(fcp_lun_fault_clear(f.a, WWPN_A, LUN_1, FCP_FAULT_LINK_DOWN), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_A, &ph2), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, ph2, LUN_1, &lh2), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, ph2, lh2, cdb, 10, NULL, 0, out, 512, &r), FCP_ST_OK);
    fx_teardown(&f);
}

static void test_link_down_reads_unaffected(void)
{
    struct fx f;
    struct fcp_fault flt = {.kind = FCP_FAULT_LINK_DOWN, .lba = 0};
    uint8_t cdb[10];
    uint8_t buf[4 * 512];
    struct fcp_scsi_result r;
    uint64_t fired;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_OK);
    cdb_rw10(cdb, SCSI_OP_READ_10, 0, 4);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, sizeof(buf), NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, sizeof(buf));
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_LINK_DOWN, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 0);
    fx_teardown(&f);
}

static void test_medium_error_read(void)
{
    struct fx f;
    struct fcp_fault flt = {.kind = FCP_FAULT_MEDIUM_ERROR, .lba = 10, .count = 2};
    uint8_t cdb[10];
    uint8_t pat[4 * 512], buf[4 * 512];
    struct fcp_scsi_result r;
    static const uint8_t exp[18] = {0xf0, 0, 0x03, 0x00, 0x00, 0x00, 0x0a, 10, 0, 0, 0, 0,
                                    0x11, 0x00, 0, 0, 0, 0};
    uint64_t fired;
    struct fcp_stats st;

    fx_setup(&f, 512, 2048);
    fill_pattern(pat, sizeof(pat), 9);
    CU_ASSERT_EQUAL(fcp_lun_write_raw(f.a, WWPN_A, LUN_1, 8 * 512, pat, sizeof(pat)),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_OK);
    memset(buf, 0xaa, sizeof(buf));
    cdb_rw10(cdb, SCSI_OP_READ_10, 8, 4);                 /* 8..11, bad 10..11 */
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, sizeof(buf), NULL, 0, &r),
                    FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp);
    CU_ASSERT_EQUAL(r.data_len, 2 * 512);
    CU_ASSERT_EQUAL(r.fcp_flags, FCP_RESID_UNDER | FCP_SNS_LEN_VAL);
    CU_ASSERT_EQUAL(r.resid, 2 * 512);
    CU_ASSERT_EQUAL(memcmp(buf, pat, 1024), 0);
    CU_ASSERT_EQUAL(buf[1024], 0xaa);
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_MEDIUM_ERROR, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 1);
    /* not touching the range: no fault */
    cdb_rw10(cdb, SCSI_OP_READ_10, 12, 4);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, sizeof(buf), NULL, 0, &r), FCP_ST_OK);
    cdb_rw10(cdb, SCSI_OP_READ_10, 6, 4);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, sizeof(buf), NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_MEDIUM_ERROR, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 1);
    CU_ASSERT_EQUAL(fcp_lun_stats(f.a, WWPN_A, LUN_1, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.reads, 2);
    CU_ASSERT_EQUAL(st.bytes_read, 1024 + 2 * 2048);
    CU_ASSERT_EQUAL(st.check_conditions, 1);
    /* cleared */
    CU_ASSERT_EQUAL(fcp_lun_fault_clear(f.a, WWPN_A, LUN_1, FCP_FAULT_MEDIUM_ERROR), FCP_ST_OK);
    cdb_rw10(cdb, SCSI_OP_READ_10, 8, 4);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, sizeof(buf), NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(buf, pat, sizeof(pat)), 0);
    fx_teardown(&f);
}

static void test_medium_error_write(void)
{
    struct fx f;
    struct fcp_fault flt = {.kind = FCP_FAULT_MEDIUM_ERROR, .lba = 0x20, .count = 1};
    uint8_t cdb[16];
    uint8_t out[4 * 512], raw[2 * 512];
    struct fcp_scsi_result r;
    static const uint8_t exp[18] = {0xf0, 0, 0x03, 0x00, 0x00, 0x00, 0x20, 10, 0, 0, 0, 0,
                                    0x0c, 0x00, 0, 0, 0, 0};
    uint64_t fired;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_OK);
    fill_pattern(out, sizeof(out), 10);
    cdb_rw16(cdb, SCSI_OP_WRITE_16, 0x1e, 4);             /* 1e..21, bad 20 */
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 16, NULL, 0, out, sizeof(out), &r),
                    FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp);
    CU_ASSERT_EQUAL(r.data_len, 1024);
    CU_ASSERT_EQUAL(r.resid, 1024);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(f.a, WWPN_A, LUN_1, 0x1e * 512, raw, sizeof(raw)),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(raw, out, sizeof(raw)), 0);
    CU_ASSERT_TRUE(medium_zero(&f, 0x20 * 512, 2 * 512));
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_MEDIUM_ERROR, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 1);
    fx_teardown(&f);
}

/* both faults in one write: the earlier block decides */
static void test_fault_precedence(void)
{
    struct fx f;
    struct fcp_fault me = {.kind = FCP_FAULT_MEDIUM_ERROR, .lba = 5, .count = 1};
    struct fcp_fault ld = {.kind = FCP_FAULT_LINK_DOWN, .lba = 3};
    uint8_t cdb[10];
    uint8_t out[8 * 512];
    struct fcp_scsi_result r;
    uint64_t n_me, n_ld;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &me), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &ld), FCP_ST_OK);
    fill_pattern(out, sizeof(out), 11);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 0, 8);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, out, sizeof(out), &r), FCP_ST_LINK_DOWN);
    CU_ASSERT_EQUAL(r.data_len, 3 * 512);
    CU_ASSERT_TRUE(medium_zero(&f, 3 * 512, 5 * 512));
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_MEDIUM_ERROR, &n_me),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_LINK_DOWN, &n_ld),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(n_me, 0);
    CU_ASSERT_EQUAL(n_ld, 1);
    fx_teardown(&f);

    /* medium error first: CHECK CONDITION, the port stays open */
    static const uint8_t exp[18] = {0xf0, 0, 0x03, 0x00, 0x00, 0x00, 0x02, 10, 0, 0, 0, 0,
                                    0x0c, 0x00, 0, 0, 0, 0};
    enum fcp_port_state ps;
    fx_setup(&f, 512, 2048);
    me.lba = 2;
    ld.lba = 4;
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &me), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &ld), FCP_ST_OK);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, out, sizeof(out), &r),
                    FCP_ST_FCP_RSP_AVAILABLE);
    expect_sense(&r, exp);
    CU_ASSERT_EQUAL(r.data_len, 2 * 512);
    CU_ASSERT_EQUAL(fcp_port_get_state(f.a, WWPN_A, &ps), FCP_ST_OK);
    CU_ASSERT_EQUAL(ps, FCP_PORT_OPEN);
    /* same block: the link goes first */
    ld.lba = 2;
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &ld), FCP_ST_OK);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, out, sizeof(out), &r), FCP_ST_LINK_DOWN);
    CU_ASSERT_EQUAL(r.data_len, 2 * 512);
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_MEDIUM_ERROR, &n_me),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(n_me, 1);
    fx_teardown(&f);
}

static void test_timeout_skip_times(void)
{
    struct fx f;
    struct fcp_fault flt = {.kind = FCP_FAULT_TIMEOUT, .skip = 1, .times = 2};
    uint8_t cdb[10];
    uint8_t out[512];
    struct fcp_scsi_result r;
    uint64_t fired;
    struct fcp_stats st;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_OK);
    fill_pattern(out, sizeof(out), 12);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 1, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, out, 512, &r), FCP_ST_OK);    /* skipped */
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 2, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, out, 512, &r), FCP_ST_TIMEOUT);
    CU_ASSERT_EQUAL(r.data_len, 0);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 3, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, out, 512, &r), FCP_ST_TIMEOUT);
    CU_ASSERT_TRUE(medium_zero(&f, 2 * 512, 2 * 512));    /* nothing written */
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 4, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, out, 512, &r), FCP_ST_OK);    /* used up */
    CU_ASSERT_FALSE(medium_zero(&f, 4 * 512, 512));
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_TIMEOUT, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 2);
    CU_ASSERT_EQUAL(fcp_lun_stats(f.a, WWPN_A, LUN_1, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.commands, 4);
    CU_ASSERT_EQUAL(st.writes, 2);
    CU_ASSERT_EQUAL(st.fsf_errors, 2);
    fx_teardown(&f);
}

static void test_timeout_unlimited(void)
{
    struct fx f;
    struct fcp_fault flt = {.kind = FCP_FAULT_TIMEOUT};
    uint8_t tur[6] = {SCSI_OP_TEST_UNIT_READY};
    struct fcp_scsi_result r;
    uint64_t fired;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_OK);
    for (int i = 0; i < 5; i++) {
        CU_ASSERT_EQUAL(fx_exec(&f, tur, 6, NULL, 0, NULL, 0, &r), FCP_ST_TIMEOUT);
    }
    CU_ASSERT_EQUAL(fcp_lun_fault_clear(f.a, WWPN_A, LUN_1, FCP_FAULT_TIMEOUT), FCP_ST_OK);
    CU_ASSERT_EQUAL(fx_exec(&f, tur, 6, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_TIMEOUT, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 5);
    /* re-arming keeps the count */
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_OK);
    CU_ASSERT_EQUAL(fx_exec(&f, tur, 6, NULL, 0, NULL, 0, &r), FCP_ST_TIMEOUT);
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_TIMEOUT, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 6);
    fx_teardown(&f);
}

static void test_lun_removed(void)
{
    struct fx f;
    struct fcp_fault flt = {.kind = FCP_FAULT_LUN_REMOVED};
    uint8_t tur[6] = {SCSI_OP_TEST_UNIT_READY};
    uint8_t rl[12] = {SCSI_OP_REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0};
    uint8_t buf[64];
    struct fcp_scsi_result r;
    uint32_t lh2 = 0xdeadbeef, lh1;
    enum fcp_lun_state ls;
    uint64_t fired;
    static const uint8_t exp_one[16] = {0x00, 0x00, 0x00, 0x08, 0, 0, 0, 0,
                                        0x00, 0x02, 0, 0, 0, 0, 0, 0};

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_get_state(f.a, WWPN_A, LUN_1, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls, FCP_LUN_REMOVED);
    CU_ASSERT_EQUAL(fx_exec(&f, tur, 6, NULL, 0, NULL, 0, &r), FCP_ST_LUN_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_lun_close(f.a, f.ph, f.lh), FCP_ST_LUN_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, f.ph, LUN_1, &lh2), FCP_ST_FCPLUN_NOT_VALID);
    CU_ASSERT_EQUAL(lh2, 0xdeadbeef);
    /* REPORT LUNS through LUN_2 no longer lists LUN_1 */
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, f.ph, LUN_2, &lh2), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, f.ph, lh2, rl, 12, buf, 64, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 16);
    CU_ASSERT_EQUAL(memcmp(buf, exp_one, 16), 0);
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_LUN_REMOVED, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 3);
    /* back: closed, must be opened again, listed again */
    CU_ASSERT_EQUAL(fcp_lun_fault_clear(f.a, WWPN_A, LUN_1, FCP_FAULT_LUN_REMOVED), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_get_state(f.a, WWPN_A, LUN_1, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls, FCP_LUN_CLOSED);
    CU_ASSERT_EQUAL(fx_exec(&f, tur, 6, NULL, 0, NULL, 0, &r), FCP_ST_LUN_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, f.ph, LUN_1, &lh1), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, f.ph, lh1, tur, 6, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, f.ph, lh2, rl, 12, buf, 64, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 24);
    fx_teardown(&f);
}

static void test_port_reject(void)
{
    struct fx f;
    struct fcp_fault flt = {.kind = FCP_FAULT_PORT_REJECT, .times = 1};
    uint32_t h = 0xdeadbeef;
    enum fcp_port_state ps;
    uint64_t fired;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_port_fault_set(f.a, WWPN_B, &flt), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_B, &h), FCP_ST_PLOGI_REJECTED);
    CU_ASSERT_EQUAL(h, 0xdeadbeef);
    CU_ASSERT_EQUAL(fcp_port_get_state(f.a, WWPN_B, &ps), FCP_ST_OK);
    CU_ASSERT_EQUAL(ps, FCP_PORT_CLOSED);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_B, &h), FCP_ST_OK);   /* times used up */
    CU_ASSERT_EQUAL(fcp_port_fault_fired(f.a, WWPN_B, FCP_FAULT_PORT_REJECT, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 1);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, h), FCP_ST_OK);
    /* unlimited, after two successful opens */
    flt.times = 0;
    flt.skip = 2;
    CU_ASSERT_EQUAL(fcp_port_fault_set(f.a, WWPN_B, &flt), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_B, &h), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, h), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_B, &h), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, h), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_B, &h), FCP_ST_PLOGI_REJECTED);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_B, &h), FCP_ST_PLOGI_REJECTED);
    CU_ASSERT_EQUAL(fcp_port_fault_clear(f.a, WWPN_B, FCP_FAULT_PORT_REJECT), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_B, &h), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_fault_fired(f.a, WWPN_B, FCP_FAULT_PORT_REJECT, &fired),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fired, 3);
    fx_teardown(&f);
}

static void test_fault_set_invalid(void)
{
    struct fx f;
    struct fcp_fault flt;
    uint64_t n;

    fx_setup(&f, 512, 2048);
    flt = (struct fcp_fault){.kind = FCP_FAULT_MEDIUM_ERROR, .lba = 0, .count = 0};
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_ERR_INVALID);
    flt = (struct fcp_fault){.kind = FCP_FAULT_MEDIUM_ERROR, .lba = 2048, .count = 1};
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_ERR_INVALID);
    flt = (struct fcp_fault){.kind = FCP_FAULT_MEDIUM_ERROR, .lba = 2000, .count = UINT64_MAX};
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_ERR_INVALID);
    flt = (struct fcp_fault){.kind = FCP_FAULT_LINK_DOWN, .lba = 2048};
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_ERR_INVALID);
    flt = (struct fcp_fault){.kind = FCP_FAULT_PORT_REJECT};
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_ERR_INVALID);
    flt = (struct fcp_fault){.kind = FCP_FAULT_KINDS};
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_1, &flt), FCP_ST_ERR_INVALID);
    flt = (struct fcp_fault){.kind = FCP_FAULT_MEDIUM_ERROR, .lba = 1, .count = 1};
    CU_ASSERT_EQUAL(fcp_port_fault_set(f.a, WWPN_A, &flt), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_lun_fault_set(f.a, WWPN_A, LUN_9, &flt), FCP_ST_ERR_NOT_FOUND);
    flt.kind = FCP_FAULT_PORT_REJECT;
    CU_ASSERT_EQUAL(fcp_port_fault_set(f.a, WWPN_X, &flt), FCP_ST_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(fcp_lun_fault_fired(f.a, WWPN_A, LUN_1, FCP_FAULT_PORT_REJECT, &n),
                    FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_port_fault_fired(f.a, WWPN_A, FCP_FAULT_TIMEOUT, &n),
                    FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_lun_fault_clear(f.a, WWPN_A, LUN_1, FCP_FAULT_PORT_REJECT),
                    FCP_ST_ERR_INVALID);
    /* nothing was armed by the rejected calls */
    uint8_t cdb[10], buf[512];
    struct fcp_scsi_result r;
    cdb_rw10(cdb, SCSI_OP_READ_10, 1, 1);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, 512, NULL, 0, &r), FCP_ST_OK);
    fx_teardown(&f);
}

static void test_statistics(void)
{
    struct fx f;
    uint8_t cdb[10], tur[6] = {SCSI_OP_TEST_UNIT_READY}, bad[6] = {0xc1};
    uint8_t buf[8 * 512];
    struct fcp_scsi_result r;
    struct fcp_stats st;

    fx_setup(&f, 512, 2048);
    fill_pattern(buf, sizeof(buf), 13);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 0, 8);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, buf, sizeof(buf), &r), FCP_ST_OK);
    cdb_rw10(cdb, SCSI_OP_WRITE_10, 8, 2);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, buf, 1024, &r), FCP_ST_OK);
    cdb_rw10(cdb, SCSI_OP_READ_10, 0, 4);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, buf, 2048, NULL, 0, &r), FCP_ST_OK);
    cdb_rw10(cdb, SCSI_OP_SYNCHRONIZE_CACHE_10, 0, 0);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 10, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(fx_exec(&f, tur, 6, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(fx_exec(&f, bad, 6, NULL, 0, NULL, 0, &r), FCP_ST_FCP_RSP_AVAILABLE);
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, 0, 0, tur, 6, NULL, 0, NULL, 0, &r),
                    FCP_ST_PORT_HANDLE_NOT_VALID);

    CU_ASSERT_EQUAL(fcp_lun_stats(f.a, WWPN_A, LUN_1, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.commands, 6);
    CU_ASSERT_EQUAL(st.writes, 2);
    CU_ASSERT_EQUAL(st.reads, 1);
    CU_ASSERT_EQUAL(st.bytes_written, 10 * 512);
    CU_ASSERT_EQUAL(st.bytes_read, 4 * 512);
    CU_ASSERT_EQUAL(st.syncs, 1);
    CU_ASSERT_EQUAL(st.check_conditions, 1);
    CU_ASSERT_EQUAL(st.fsf_errors, 0);
    CU_ASSERT_EQUAL(fcp_adapter_stats(f.a, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.commands, 7);
    CU_ASSERT_EQUAL(st.bytes_written, 10 * 512);
    CU_ASSERT_EQUAL(st.fsf_errors, 1);
    CU_ASSERT_EQUAL(fcp_lun_stats(f.a, WWPN_B, LUN_1, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.commands, 0);
    CU_ASSERT_EQUAL(fcp_lun_stats(f.a, WWPN_A, LUN_9, &st), FCP_ST_ERR_NOT_FOUND);
    fx_teardown(&f);
}

static void test_raw_access_bounds(void)
{
    struct fx f;
    uint8_t buf[1024];

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(f.a, WWPN_A, LUN_1, 2048 * 512 - 512, buf, 512),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(f.a, WWPN_A, LUN_1, 2048 * 512 - 512, buf, 513),
                    FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_lun_write_raw(f.a, WWPN_A, LUN_1, UINT64_MAX, buf, 2),
                    FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_lun_write_raw(f.a, WWPN_A, LUN_1, 0, NULL, 2), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(f.a, WWPN_X, LUN_1, 0, buf, 2), FCP_ST_ERR_NOT_FOUND);
    fx_teardown(&f);
}

int register_fault_suite(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"link down: partial write", test_link_down_partial_write},
        {"link down: lost port, link up", test_link_down_lost_port_and_link_up},
        {"link down: reads unaffected", test_link_down_reads_unaffected},
        {"medium error on read", test_medium_error_read},
        {"medium error on write", test_medium_error_write},
        {"fault precedence", test_fault_precedence},
        {"timeout skip/times", test_timeout_skip_times},
        {"timeout unlimited", test_timeout_unlimited},
        {"LUN removed", test_lun_removed},
        {"port reject (PLOGI)", test_port_reject},
        {"fault_set rejects bad values", test_fault_set_invalid},
        {"statistics", test_statistics},
        {"raw access bounds", test_raw_access_bounds},
    };
    CU_pSuite s = CU_add_suite("fcp_faults", NULL, NULL);
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
