/* Adapter configuration, topology and the port/LUN state machine. */
#include <string.h>

#include "fcp_test.h"

static void test_default_config_data(void)
{
    struct fcp_adapter_config cfg;
    struct fcp_adapter *a = NULL;
    struct fcp_config_data cd;

    fcp_adapter_default_config(&cfg, 0x1700);
    CU_ASSERT_EQUAL_FATAL(fcp_adapter_new(&cfg, &a), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_add(a, WWPN_A, DID_A), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_adapter_config_data(a, &cd), FCP_ST_OK);
    CU_ASSERT_EQUAL(cd.wwnn, 0x5005076400c00001ULL);
    CU_ASSERT_EQUAL(cd.wwpn, 0x5005076400c10001ULL);
    CU_ASSERT_EQUAL(cd.s_id, 0x010100);
    CU_ASSERT_EQUAL(cd.topology, FSF_TOPO_FABRIC);
    CU_ASSERT_EQUAL(cd.max_sbals, 36);
    CU_ASSERT_EQUAL(cd.max_data_transfer, 2304u * 1024u);
    CU_ASSERT_EQUAL(cd.link_speed, 8);
    CU_ASSERT_EQUAL(cd.low_qtcb_version, 1);
    CU_ASSERT_EQUAL(cd.high_qtcb_version, 1);
    CU_ASSERT_EQUAL(cd.nports, 1);
    CU_ASSERT_EQUAL(fcp_adapter_config_data(a, NULL), FCP_ST_ERR_INVALID);
    fcp_adapter_free(a);
}

static void test_adapter_new_rejects_bad_config(void)
{
    struct fcp_adapter_config good, cfg;
    struct fcp_adapter *a = (struct fcp_adapter *)&good; /* sentinel: must stay */

    fcp_adapter_default_config(&good, 0x1700);
    cfg = good; cfg.ssid = 4;
    CU_ASSERT_EQUAL(fcp_adapter_new(&cfg, &a), FCP_ST_ERR_INVALID);
    cfg = good; cfg.s_id = 0x1000000;
    CU_ASSERT_EQUAL(fcp_adapter_new(&cfg, &a), FCP_ST_ERR_INVALID);
    cfg = good; cfg.topology = 0;
    CU_ASSERT_EQUAL(fcp_adapter_new(&cfg, &a), FCP_ST_ERR_INVALID);
    cfg = good; cfg.topology = 4;
    CU_ASSERT_EQUAL(fcp_adapter_new(&cfg, &a), FCP_ST_ERR_INVALID);
    cfg = good; cfg.max_sbals = 0;
    CU_ASSERT_EQUAL(fcp_adapter_new(&cfg, &a), FCP_ST_ERR_INVALID);
    cfg = good; cfg.max_sbals = 37;
    CU_ASSERT_EQUAL(fcp_adapter_new(&cfg, &a), FCP_ST_ERR_INVALID);
    cfg = good; cfg.wwpn = 0;
    CU_ASSERT_EQUAL(fcp_adapter_new(&cfg, &a), FCP_ST_ERR_INVALID);
    cfg = good; cfg.max_data_transfer = 0;
    CU_ASSERT_EQUAL(fcp_adapter_new(&cfg, &a), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_adapter_new(NULL, &a), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_adapter_new(&good, NULL), FCP_ST_ERR_INVALID);
    CU_ASSERT_PTR_EQUAL(a, (struct fcp_adapter *)&good);
    /* P2P and arbitrated loop are valid values */
    cfg = good; cfg.topology = FSF_TOPO_P2P; cfg.ssid = 3; cfg.s_id = 0xffffff;
    CU_ASSERT_EQUAL_FATAL(fcp_adapter_new(&cfg, &a), FCP_ST_OK);
    fcp_adapter_free(a);
}

static void test_busid(void)
{
    struct fcp_adapter_config cfg;
    struct fcp_adapter *a;
    char buf[16];

    fcp_adapter_default_config(&cfg, 0x1700);
    CU_ASSERT_EQUAL_FATAL(fcp_adapter_new(&cfg, &a), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_adapter_busid(a, buf, sizeof(buf)), FCP_ST_OK);
    CU_ASSERT_STRING_EQUAL(buf, "0.0.1700");
    memset(buf, 'x', sizeof(buf));
    CU_ASSERT_EQUAL(fcp_adapter_busid(a, buf, 8), FCP_ST_ERR_INVALID); /* needs 9 */
    CU_ASSERT_EQUAL(buf[0], 'x');
    CU_ASSERT_EQUAL(fcp_adapter_busid(a, buf, 9), FCP_ST_OK);
    CU_ASSERT_STRING_EQUAL(buf, "0.0.1700");
    fcp_adapter_free(a);

    cfg.cssid = 0xfe;
    cfg.ssid = 3;
    cfg.devno = 0xb0a;
    CU_ASSERT_EQUAL_FATAL(fcp_adapter_new(&cfg, &a), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_adapter_busid(a, buf, sizeof(buf)), FCP_ST_OK);
    CU_ASSERT_STRING_EQUAL(buf, "fe.3.0b0a");
    fcp_adapter_free(a);
}

static void test_port_topology_errors(void)
{
    struct fcp_adapter_config cfg;
    struct fcp_adapter *a;
    struct fcp_config_data cd;

    fcp_adapter_default_config(&cfg, 0x1700);
    CU_ASSERT_EQUAL_FATAL(fcp_adapter_new(&cfg, &a), FCP_ST_OK);
    CU_ASSERT_STRING_EQUAL(fcp_adapter_errmsg(a), "");
    CU_ASSERT_EQUAL(fcp_port_add(a, WWPN_A, DID_A), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_add(a, WWPN_A, DID_B), FCP_ST_ERR_EXISTS);
    CU_ASSERT_NOT_EQUAL(fcp_adapter_errmsg(a)[0], '\0');
    CU_ASSERT_EQUAL(fcp_port_add(a, WWPN_B, DID_A), FCP_ST_ERR_EXISTS);
    CU_ASSERT_EQUAL(fcp_port_add(a, 0, DID_B), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_port_add(a, WWPN_B, 0), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_port_add(a, WWPN_B, 0x1000000), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_port_add(a, cfg.wwpn, DID_B), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_adapter_config_data(a, &cd), FCP_ST_OK);
    CU_ASSERT_EQUAL(cd.nports, 1);
    CU_ASSERT_EQUAL(fcp_port_remove(a, WWPN_X), FCP_ST_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(fcp_port_add(a, WWPN_B, DID_B), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_remove(a, WWPN_A), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_remove(a, WWPN_A), FCP_ST_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(fcp_adapter_config_data(a, &cd), FCP_ST_OK);
    CU_ASSERT_EQUAL(cd.nports, 1);
    fcp_adapter_free(a);
}

static void test_lun_topology_errors(void)
{
    struct fx f;
    enum fcp_lun_state ls;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_lun_add_mem(f.a, WWPN_X, LUN_9, 512, 8), FCP_ST_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(fcp_lun_add_mem(f.a, WWPN_A, LUN_1, 512, 8), FCP_ST_ERR_EXISTS);
    CU_ASSERT_EQUAL(fcp_lun_add_mem(f.a, WWPN_A, LUN_9, 1024, 8), FCP_ST_ERR_INVALID);
    CU_ASSERT_NOT_EQUAL(fcp_adapter_errmsg(f.a)[0], '\0');
    CU_ASSERT_EQUAL(fcp_lun_add_mem(f.a, WWPN_A, LUN_9, 512, 0), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(fcp_lun_get_state(f.a, WWPN_A, LUN_9, &ls), FCP_ST_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(fcp_lun_remove(f.a, WWPN_A, LUN_9), FCP_ST_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(fcp_lun_remove(f.a, WWPN_X, LUN_1), FCP_ST_ERR_NOT_FOUND);
    CU_ASSERT_EQUAL(fcp_lun_add_mem(f.a, WWPN_A, LUN_9, 4096, 8), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_get_state(f.a, WWPN_A, LUN_9, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls, FCP_LUN_CLOSED);
    fx_teardown(&f);
}

static void test_port_open_close_cycle(void)
{
    struct fx f;
    enum fcp_port_state ps;
    uint32_t h2 = 0;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_NOT_EQUAL(f.ph, 0);
    CU_ASSERT_EQUAL(fcp_port_get_state(f.a, WWPN_A, &ps), FCP_ST_OK);
    CU_ASSERT_EQUAL(ps, FCP_PORT_OPEN);
    CU_ASSERT_EQUAL(fcp_port_get_state(f.a, WWPN_B, &ps), FCP_ST_OK);
    CU_ASSERT_EQUAL(ps, FCP_PORT_CLOSED);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, f.ph), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_get_state(f.a, WWPN_A, &ps), FCP_ST_OK);
    CU_ASSERT_EQUAL(ps, FCP_PORT_CLOSED);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_A, &h2), FCP_ST_OK);
    CU_ASSERT_NOT_EQUAL(h2, 0);
    CU_ASSERT_NOT_EQUAL(h2, f.ph);          /* fresh handle after re-open */
    CU_ASSERT_EQUAL(fcp_port_get_state(f.a, WWPN_X, &ps), FCP_ST_ERR_NOT_FOUND);
    fx_teardown(&f);
}

static void test_port_open_unknown(void)
{
    struct fx f;
    uint32_t h = 0xdeadbeef;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_X, &h), FCP_ST_PORT_UNKNOWN);
    CU_ASSERT_EQUAL(h, 0xdeadbeef);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_X, NULL), FCP_ST_ERR_INVALID);
    fx_teardown(&f);
}

static void test_port_double_open(void)
{
    struct fx f;
    uint32_t h = 0xdeadbeef;
    enum fcp_port_state ps;
    uint8_t cdb[6] = {SCSI_OP_TEST_UNIT_READY};
    struct fcp_scsi_result r;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_A, &h), FCP_ST_PORT_ALREADY_OPEN);
    CU_ASSERT_EQUAL(h, 0xdeadbeef);
    CU_ASSERT_EQUAL(fcp_port_get_state(f.a, WWPN_A, &ps), FCP_ST_OK);
    CU_ASSERT_EQUAL(ps, FCP_PORT_OPEN);
    /* the original handles still work */
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    fx_teardown(&f);
}

static void test_port_close_invalid(void)
{
    struct fx f;
    enum fcp_port_state ps;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, 0), FCP_ST_PORT_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, f.ph + 1000), FCP_ST_PORT_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, f.lh), FCP_ST_PORT_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_port_get_state(f.a, WWPN_A, &ps), FCP_ST_OK);
    CU_ASSERT_EQUAL(ps, FCP_PORT_OPEN);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, f.ph), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, f.ph), FCP_ST_PORT_HANDLE_NOT_VALID);
    fx_teardown(&f);
}

static void test_lun_open_requires_open_port(void)
{
    struct fx f;
    uint32_t lh = 0xdeadbeef;
    enum fcp_lun_state ls;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, f.ph), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, f.ph, LUN_2, &lh), FCP_ST_PORT_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, 0, LUN_2, &lh), FCP_ST_PORT_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(lh, 0xdeadbeef);
    CU_ASSERT_EQUAL(fcp_lun_get_state(f.a, WWPN_A, LUN_2, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls, FCP_LUN_CLOSED);
    fx_teardown(&f);
}

static void test_lun_open_unknown_and_double(void)
{
    struct fx f;
    uint32_t lh = 0xdeadbeef;
    enum fcp_lun_state ls;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, f.ph, LUN_9, &lh), FCP_ST_FCPLUN_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, f.ph, LUN_1, &lh), FCP_ST_LUN_ALREADY_OPEN);
    CU_ASSERT_EQUAL(lh, 0xdeadbeef);
    CU_ASSERT_EQUAL(fcp_lun_get_state(f.a, WWPN_A, LUN_1, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls, FCP_LUN_OPEN);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, f.ph, LUN_2, &lh), FCP_ST_OK);
    CU_ASSERT_NOT_EQUAL(lh, f.lh);
    CU_ASSERT_NOT_EQUAL(lh, f.ph);
    fx_teardown(&f);
}

static void test_lun_close_errors(void)
{
    struct fx f;
    uint32_t phb, lhb;
    enum fcp_lun_state ls;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_B, &phb), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, phb, LUN_1, &lhb), FCP_ST_OK);
    /* LUN handle of port B presented with port A */
    CU_ASSERT_EQUAL(fcp_lun_close(f.a, f.ph, lhb), FCP_ST_HANDLE_MISMATCH);
    CU_ASSERT_EQUAL(fcp_lun_get_state(f.a, WWPN_B, LUN_1, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls, FCP_LUN_OPEN);
    CU_ASSERT_EQUAL(fcp_lun_close(f.a, 0, f.lh), FCP_ST_PORT_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_lun_close(f.a, f.ph, 0), FCP_ST_LUN_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_lun_close(f.a, f.ph, f.lh), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_get_state(f.a, WWPN_A, LUN_1, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls, FCP_LUN_CLOSED);
    CU_ASSERT_EQUAL(fcp_lun_close(f.a, f.ph, f.lh), FCP_ST_LUN_HANDLE_NOT_VALID);
    fx_teardown(&f);
}

static void test_port_close_closes_luns(void)
{
    struct fx f;
    uint32_t ph2, lh2;
    enum fcp_lun_state ls;
    uint8_t cdb[6] = {SCSI_OP_TEST_UNIT_READY};
    struct fcp_scsi_result r;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, f.ph), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_get_state(f.a, WWPN_A, LUN_1, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls, FCP_LUN_CLOSED);
    CU_ASSERT_EQUAL(fcp_port_open(f.a, WWPN_A, &ph2), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, ph2, f.lh, cdb, 6, NULL, 0, NULL, 0, &r),
                    FCP_ST_LUN_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, ph2, LUN_1, &lh2), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, ph2, lh2, cdb, 6, NULL, 0, NULL, 0, &r), FCP_ST_OK);
    fx_teardown(&f);
}

static void test_exec_stale_handles(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_INQUIRY, 0, 0, 0, 36, 0};
    uint8_t buf[36];
    struct fcp_scsi_result r;
    struct fcp_stats st;

    fx_setup(&f, 512, 2048);
    memset(&r, 0xee, sizeof(r));
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, f.ph + 1000, f.lh, cdb, 6, buf, 36, NULL, 0, &r),
                    FCP_ST_PORT_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(r.scsi_status, 0);
    CU_ASSERT_EQUAL(r.data_len, 0);
    CU_ASSERT_EQUAL(r.sense_len, 0);
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, f.ph, f.lh + 1000, cdb, 6, buf, 36, NULL, 0, &r),
                    FCP_ST_LUN_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_adapter_stats(f.a, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.commands, 2);
    CU_ASSERT_EQUAL(st.fsf_errors, 2);
    CU_ASSERT_EQUAL(fcp_lun_stats(f.a, WWPN_A, LUN_1, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.commands, 0);
    fx_teardown(&f);
}

static void test_remove_invalidates_handles(void)
{
    struct fx f;
    uint8_t cdb[6] = {SCSI_OP_TEST_UNIT_READY};
    struct fcp_scsi_result r;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL(fcp_lun_remove(f.a, WWPN_A, LUN_1), FCP_ST_OK);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, NULL, 0, NULL, 0, &r), FCP_ST_LUN_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_port_remove(f.a, WWPN_A), FCP_ST_OK);
    CU_ASSERT_EQUAL(fx_exec(&f, cdb, 6, NULL, 0, NULL, 0, &r), FCP_ST_PORT_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_port_close(f.a, f.ph), FCP_ST_PORT_HANDLE_NOT_VALID);
    fx_teardown(&f);
}

static void test_status_to_fsf(void)
{
    static const struct {
        enum fcp_status st;
        uint32_t prot, fsf, sq;
    } map[] = {
        {FCP_ST_OK, 0x001, 0x00, 0},
        {FCP_ST_PORT_ALREADY_OPEN, 0x100, 0x01, 0},
        {FCP_ST_LUN_ALREADY_OPEN, 0x100, 0x02, 0},
        {FCP_ST_PORT_HANDLE_NOT_VALID, 0x100, 0x03, 0},
        {FCP_ST_LUN_HANDLE_NOT_VALID, 0x100, 0x04, 0},
        {FCP_ST_HANDLE_MISMATCH, 0x100, 0x05, 0},
        {FCP_ST_FCPLUN_NOT_VALID, 0x100, 0x09, 0},
        {FCP_ST_DIRECTION_NOT_VALID, 0x100, 0x30, 0},
        {FCP_ST_CMND_LENGTH_NOT_VALID, 0x100, 0x33, 0},
        {FCP_ST_PORT_UNKNOWN, 0x100, 0xad, 0x07},
        {FCP_ST_PLOGI_REJECTED, 0x100, 0xad, 0x07},
        {FCP_ST_FCP_RSP_AVAILABLE, 0x100, 0xaf, 0},
        {FCP_ST_LINK_DOWN, 0x400, 0, 0},
    };
    struct fcp_fsf_code c;
    for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        memset(&c, 0xee, sizeof(c));
        CU_ASSERT_EQUAL(fcp_status_to_fsf(map[i].st, &c), FCP_ST_OK);
        CU_ASSERT_EQUAL(c.prot_status, map[i].prot);
        CU_ASSERT_EQUAL(c.fsf_status, map[i].fsf);
        CU_ASSERT_EQUAL(c.fsf_sq, map[i].sq);
    }
    const enum fcp_status none[] = {FCP_ST_TIMEOUT, FCP_ST_ERR_INVALID, FCP_ST_ERR_EXISTS,
                                    FCP_ST_ERR_NOT_FOUND, FCP_ST_ERR_NOMEM, FCP_ST_ERR_IO,
                                    (enum fcp_status)99};
    for (size_t i = 0; i < sizeof(none) / sizeof(none[0]); i++) {
        memset(&c, 0xee, sizeof(c));
        CU_ASSERT_EQUAL(fcp_status_to_fsf(none[i], &c), FCP_ST_ERR_INVALID);
        CU_ASSERT_EQUAL(c.fsf_status, 0xeeeeeeee);
    }
    CU_ASSERT_STRING_EQUAL(fcp_status_name(FCP_ST_OK), "FCP_ST_OK");
    CU_ASSERT_STRING_EQUAL(fcp_status_name(FCP_ST_LINK_DOWN), "FCP_ST_LINK_DOWN");
    CU_ASSERT_STRING_EQUAL(fcp_status_name(FCP_ST_ERR_IO), "FCP_ST_ERR_IO");
    CU_ASSERT_STRING_EQUAL(fcp_status_name((enum fcp_status)99), "FCP_ST_?");
}

static void test_sam_lun(void)
{
    uint64_t l = 0xee;
    CU_ASSERT_EQUAL(fcp_sam_lun(0, &l), FCP_ST_OK);
    CU_ASSERT_EQUAL(l, 0);
    CU_ASSERT_EQUAL(fcp_sam_lun(5, &l), FCP_ST_OK);
    CU_ASSERT_EQUAL(l, 0x0005000000000000ULL);
    CU_ASSERT_EQUAL(fcp_sam_lun(255, &l), FCP_ST_OK);
    CU_ASSERT_EQUAL(l, 0x00ff000000000000ULL);
    CU_ASSERT_EQUAL(fcp_sam_lun(256, &l), FCP_ST_OK);
    CU_ASSERT_EQUAL(l, 0x4100000000000000ULL);
    CU_ASSERT_EQUAL(fcp_sam_lun(0x1234, &l), FCP_ST_OK);
    CU_ASSERT_EQUAL(l, 0x5234000000000000ULL);
    CU_ASSERT_EQUAL(fcp_sam_lun(16383, &l), FCP_ST_OK);
    CU_ASSERT_EQUAL(l, 0x7fff000000000000ULL);
    CU_ASSERT_EQUAL(fcp_sam_lun(16384, &l), FCP_ST_ERR_INVALID);
    CU_ASSERT_EQUAL(l, 0x7fff000000000000ULL);
}

/* LUN 0 without a logical unit: SAM/SPC well-known behaviour. */
static void test_lun0_standin(void)
{
    struct fx f;
    uint32_t l0;
    uint8_t buf[64];
    struct fcp_scsi_result r;
    uint8_t inq[6] = {SCSI_OP_INQUIRY, 0, 0, 0, 36, 0};
    uint8_t tur[6] = {SCSI_OP_TEST_UNIT_READY};
    uint8_t rs[6] = {SCSI_OP_REQUEST_SENSE, 0, 0, 0, 18, 0};
    uint8_t rl[12] = {SCSI_OP_REPORT_LUNS, 0, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0};
    uint8_t exp[18];
    enum fcp_lun_state ls;

    fx_setup(&f, 512, 2048);
    CU_ASSERT_EQUAL_FATAL(fcp_lun_open(f.a, f.ph, 0, &l0), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_lun_get_state(f.a, WWPN_A, 0, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls, FCP_LUN_OPEN);
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, f.ph, l0, inq, 6, buf, 36, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(buf[0], 0x7f);             /* PQ 011b, PDT 1Fh */
    CU_ASSERT_EQUAL(memcmp(&buf[8], "DUMPBNCH", 8), 0);
    /* no VPD pages without a logical unit */
    inq[1] = SCSI_INQ_EVPD;
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, f.ph, l0, inq, 6, buf, 36, NULL, 0, &r),
                    FCP_ST_FCP_RSP_AVAILABLE);
    sense_simple(exp, SCSI_SK_ILLEGAL_REQUEST, 0x25, 0x00);
    expect_sense(&r, exp);
    inq[1] = 0;
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, f.ph, l0, tur, 6, NULL, 0, NULL, 0, &r),
                    FCP_ST_FCP_RSP_AVAILABLE);
    sense_simple(exp, SCSI_SK_ILLEGAL_REQUEST, 0x25, 0x00);
    expect_sense(&r, exp);
    /* REQUEST SENSE reports the same condition as parameter data, GOOD status */
    memset(buf, 0, sizeof(buf));
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, f.ph, l0, rs, 6, buf, 18, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 18);
    CU_ASSERT_EQUAL(memcmp(buf, exp, 18), 0);
    /* REPORT LUNS works on LUN 0 */
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, f.ph, l0, rl, 12, buf, 64, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(r.data_len, 24);
    CU_ASSERT_EQUAL(buf[3], 16);
    /* double open of the stand-in */
    uint32_t h = 0;
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, f.ph, 0, &h), FCP_ST_LUN_ALREADY_OPEN);
    /* a real LUN 0 replaces the stand-in and its handle */
    CU_ASSERT_EQUAL(fcp_lun_add_mem(f.a, WWPN_A, 0, 512, 8), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, f.ph, l0, tur, 6, NULL, 0, NULL, 0, &r),
                    FCP_ST_LUN_HANDLE_NOT_VALID);
    CU_ASSERT_EQUAL(fcp_lun_open(f.a, f.ph, 0, &h), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_scsi_exec(f.a, f.ph, h, inq, 6, buf, 36, NULL, 0, &r), FCP_ST_OK);
    CU_ASSERT_EQUAL(buf[0], 0x00);
    fx_teardown(&f);
}

int register_state_suite(void)
{
    static const struct {
        const char *name;
        CU_TestFunc fn;
    } tests[] = {
        {"default config data", test_default_config_data},
        {"adapter_new rejects bad config", test_adapter_new_rejects_bad_config},
        {"bus id", test_busid},
        {"port topology errors", test_port_topology_errors},
        {"LUN topology errors", test_lun_topology_errors},
        {"port open/close cycle", test_port_open_close_cycle},
        {"open unknown port", test_port_open_unknown},
        {"double port open", test_port_double_open},
        {"close invalid/closed port", test_port_close_invalid},
        {"LUN open needs open port", test_lun_open_requires_open_port},
        {"LUN open unknown / double", test_lun_open_unknown_and_double},
        {"LUN close errors", test_lun_close_errors},
        {"port close closes LUNs", test_port_close_closes_luns},
        {"exec with stale handles", test_exec_stale_handles},
        {"remove invalidates handles", test_remove_invalidates_handles},
        {"status to FSF mapping", test_status_to_fsf},
        {"SAM LUN encoding", test_sam_lun},
        {"LUN 0 stand-in", test_lun0_standin},
    };
    CU_pSuite s = CU_add_suite("fcp_state", NULL, NULL);
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
