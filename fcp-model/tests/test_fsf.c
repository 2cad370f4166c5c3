/*
 * FSF layer: the zfcp bring-up and dump-write sequence through QDIO in
 * test-host memory (zdrv.c), every response field, the LUN contents, each
 * libfcp fault mid-write and malformed QTCBs / IUs / buffers.
 */
#include <stdio.h>
#include <string.h>

#include <CUnit/CUnit.h>

#include <dumpbench/be.h>

#include "fcp_test.h"
#include "zdrv.h"

#define PEER_WWNN   0x500507630300c000ULL
#define OWN_WWPN    0x5005076400c10001ULL   /* fcp_adapter_default_config */
#define OWN_WWNN    0x5005076400c00001ULL

struct fx2 {
    struct zdrv z;
    struct fcp_adapter *a;
    struct fsf_dev *f;
    uint32_t ph, lh;
    uint64_t sr_ids[16];
};

static void fsetup(struct fx2 *x)
{
    memset(x, 0, sizeof(*x));
    zd_init(&x->z);
    struct fcp_adapter_config cfg;
    fcp_adapter_default_config(&cfg, 0x1700);
    cfg.topology = FSF_TOPO_P2P;
    CU_ASSERT_EQUAL_FATAL(fcp_adapter_new(&cfg, &x->a), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_port_add(x->a, WWPN_A, DID_A), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_lun_add_mem(x->a, WWPN_A, LUN_1, 512, 64), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_lun_add_mem(x->a, WWPN_A, LUN_2, 512, 64), FCP_ST_OK);
    struct fsf_config fc = { .peer_wwnn = PEER_WWNN };
    CU_ASSERT_EQUAL_FATAL(fsf_dev_new(x->a, &fc, &x->f), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fsf_establish(x->f, x->z.h, ZD_QDR, QDIO_EQUEUE_CIW_COUNT), QDIO_OK);
    zd_give_input(&x->z);
}

static void fteardown(struct fx2 *x)
{
    fsf_dev_free(x->f);
    fcp_adapter_free(x->a);
    zd_fini(&x->z);
}

static uint32_t prot(struct fx2 *x, uint64_t q) { return zd_rd32(&x->z, ZQ_PROT_STATUS(q)); }
static uint32_t fsfst(struct fx2 *x, uint64_t q) { return zd_rd32(&x->z, ZQ_FSF_STATUS(q)); }
static uint32_t sq(struct fx2 *x, uint64_t q) { return zd_rd32(&x->z, ZQ_FSF_SQ(q)); }
static const uint8_t *mem(struct fx2 *x, uint64_t a) { return x->z.th->mem + a; }

/* ---- fill callbacks ------------------------------------------------------- */

static void fill_did(struct zdrv *z, uint64_t q, void *arg)
{
    uint32_t d = *(const uint32_t *)arg;
    uint8_t *b = z->th->mem + ZQ_BOTTOM(q) + 17;
    b[0] = (uint8_t)(d >> 16);
    b[1] = (uint8_t)(d >> 8);
    b[2] = (uint8_t)d;
}

struct lunarg {
    uint64_t lun;
    uint32_t option;
};

static void fill_lun(struct zdrv *z, uint64_t q, void *arg)
{
    const struct lunarg *l = arg;
    zd_wr64(z, ZQ_BOTTOM(q) + 24, l->lun);
    zd_wr32(z, ZQ_BOTTOM(q) + 20, l->option);
}

static void fill_abort(struct zdrv *z, uint64_t q, void *arg)
{
    zd_wr64(z, ZQ_BOTTOM(q) + 40, *(const uint64_t *)arg);
}

/* ---- bring-up --------------------------------------------------------------- */

static void post_status_reads(struct fx2 *x, unsigned n)
{
    for (unsigned k = 0; k < n; k++) {
        struct zd_seg s = { ZD_SRBUF + k * 4096u, 4096 };
        x->sr_ids[k] = zd_submit(&x->z, SBAL_SFLAGS0_TYPE_STATUS, &s, 1, NULL, NULL);
    }
    bool pci = true;
    CU_ASSERT_EQUAL(fsf_siga_write(x->f, x->z.h, &pci), QDIO_OK);
    CU_ASSERT_FALSE(pci);                       /* kept until an event */
    uint64_t ids[4];
    CU_ASSERT_EQUAL(zd_collect(&x->z, ids, 4), 0);
}

static uint64_t open_port(struct fx2 *x, uint32_t did)
{
    return zd_run(&x->z, x->f, FSF_QTCB_OPEN_PORT_WITH_DID, 0, 0, fill_did, &did, NULL, 0,
                  SBAL_SFLAGS0_TYPE_READ);
}

static uint64_t open_lun(struct fx2 *x, uint64_t lun, uint32_t option)
{
    struct lunarg l = { lun, option };
    return zd_run(&x->z, x->f, FSF_QTCB_OPEN_LUN, x->ph, 0, fill_lun, &l, NULL, 0,
                  SBAL_SFLAGS0_TYPE_READ);
}

static void bringup(struct fx2 *x)
{
    post_status_reads(x, 16);
    /* EXCHANGE CONFIG DATA */
    uint64_t q = zd_run(&x->z, x->f, FSF_QTCB_EXCHANGE_CONFIG_DATA, 0, 0, NULL, NULL, NULL, 0,
                        SBAL_SFLAGS0_TYPE_READ);
    uint64_t b = ZQ_BOTTOM(q);
    CU_ASSERT_EQUAL(prot(x, q), FSF_PROT_GOOD);
    CU_ASSERT_EQUAL(fsfst(x, q), FSF_GOOD);
    CU_ASSERT_EQUAL(zd_rd32(&x->z, b + 8), 1);             /* high_qtcb_version */
    CU_ASSERT_EQUAL(zd_rd32(&x->z, b + 12), 1);            /* low_qtcb_version */
    CU_ASSERT_TRUE(zd_rd32(&x->z, b + 16) >= FSF_QTCB_SIZE); /* max_qtcb_size */
    CU_ASSERT_EQUAL(zd_rd32(&x->z, b + 20), FCP_DEFAULT_MAX_DATA_TRANSFER);  /* max_data_transfer_size */
    CU_ASSERT_EQUAL(zd_rd32(&x->z, b + 24), FSF_FEATURE_HBAAPI_MANAGEMENT);
    CU_ASSERT_EQUAL(zd_rd32(&x->z, b + 32), FSF_TOPO_P2P);
    CU_ASSERT_EQUAL(zd_rd32(&x->z, b + 36), ZFCP_FSF_PORTSPEED_8GBIT);
    CU_ASSERT_EQUAL(zd_rd32(&x->z, b + 44) & 0xffffff, DID_A);   /* peer_d_id */
    CU_ASSERT_EQUAL(db_ld_be16(mem(x, b + 48)), FSF_STATUS_READS_RECOM);
    CU_ASSERT_EQUAL(zd_rd32(&x->z, b + 60) & 0xffffff, 0x010100); /* s_id */
    CU_ASSERT_EQUAL(zd_rd64(&x->z, b + 64 + 16), OWN_WWPN);
    CU_ASSERT_EQUAL(zd_rd64(&x->z, b + 64 + 24), OWN_WWNN);
    CU_ASSERT_EQUAL(zd_rd64(&x->z, b + 240 + 16), WWPN_A);       /* plogi_payload */
    CU_ASSERT_EQUAL(zd_rd64(&x->z, b + 240 + 24), PEER_WWNN);
    CU_ASSERT_EQUAL(memcmp(mem(x, b + 208), "\xf1\xf7\xf0\xf0", 4), 0); /* EBCDIC "1700" */
    /* The request id and req_handle are untouched. */
    CU_ASSERT_EQUAL(zd_rd64(&x->z, q), zd_rd64(&x->z, ZQ_HDR(q)));
    /* EXCHANGE PORT DATA */
    q = zd_run(&x->z, x->f, FSF_QTCB_EXCHANGE_PORT_DATA, 0, 0, NULL, NULL, NULL, 0,
               SBAL_SFLAGS0_TYPE_READ);
    b = ZQ_BOTTOM(q);
    CU_ASSERT_EQUAL(prot(x, q), FSF_PROT_GOOD);
    CU_ASSERT_EQUAL(zd_rd64(&x->z, b), OWN_WWPN);
    CU_ASSERT_EQUAL(zd_rd32(&x->z, b + 8), 0x010100);
    CU_ASSERT_EQUAL(zd_rd32(&x->z, b + 12), FSF_HBA_PORTTYPE_PTP);
    CU_ASSERT_EQUAL(zd_rd32(&x->z, b + 16), FSF_HBA_PORTSTATE_ONLINE);
    CU_ASSERT_EQUAL(mem(x, b + 24)[2], 0x01);                   /* FC-4 type 8 */
    CU_ASSERT_EQUAL(zd_rd32(&x->z, b + 92), 2112);
    /* OPEN PORT WITH DID (the peer D_ID from exchange config) */
    q = open_port(x, DID_A);
    CU_ASSERT_EQUAL(prot(x, q), FSF_PROT_GOOD);
    CU_ASSERT_EQUAL(fsfst(x, q), FSF_GOOD);
    x->ph = zd_rd32(&x->z, ZQ_PORT_HANDLE(q));
    CU_ASSERT_NOT_EQUAL(x->ph, 0);
    b = ZQ_BOTTOM(q);
    CU_ASSERT_TRUE(zd_rd32(&x->z, b + 240) >= FSF_PLOGI_MIN_LEN);  /* els1_length */
    CU_ASSERT_EQUAL(mem(x, b + 256)[0], ELS_LS_ACC);
    CU_ASSERT_EQUAL(zd_rd64(&x->z, b + 256 + 20), WWPN_A);         /* fl_wwpn */
    CU_ASSERT_EQUAL(zd_rd64(&x->z, b + 256 + 28), PEER_WWNN);      /* fl_wwnn */
    CU_ASSERT_EQUAL(db_ld_be16(mem(x, b + 256 + 10)), 2112);       /* sp_bb_data */
    CU_ASSERT_EQUAL(db_ld_be16(mem(x, b + 256 + 36 + 32)), FC_CPC_VALID); /* class 3 */
    /* OPEN LUN (zfcp sets FSF_OPEN_LUN_SUPPRESS_BOXING without NPIV) */
    q = open_lun(x, LUN_1, FSF_OPEN_LUN_SUPPRESS_BOXING);
    CU_ASSERT_EQUAL(prot(x, q), FSF_PROT_GOOD);
    CU_ASSERT_EQUAL(fsfst(x, q), FSF_GOOD);
    x->lh = zd_rd32(&x->z, ZQ_LUN_HANDLE(q));
    CU_ASSERT_NOT_EQUAL(x->lh, 0);
    enum fcp_lun_state ls;
    CU_ASSERT_EQUAL(fcp_lun_get_state(x->a, WWPN_A, LUN_1, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls, FCP_LUN_OPEN);
}

/* WRITE(16)/READ(16) of n blocks at lba through `nseg` equal segments. */
static uint64_t rw(struct fx2 *x, uint8_t op, uint64_t lba, uint32_t n, uint64_t addr,
                   unsigned nseg)
{
    uint8_t cdb[16];
    cdb_rw16(cdb, op, lba, n);
    struct zd_seg s[40];
    uint32_t total = n * 512, per = total / nseg;
    for (unsigned i = 0; i < nseg; i++) {
        s[i] = (struct zd_seg){ addr + (uint64_t)i * per, per };
    }
    uint32_t dir = op == SCSI_OP_WRITE_16 ? FSF_DATADIR_WRITE : FSF_DATADIR_READ;
    return zd_fcp(&x->z, x->f, x->ph, x->lh, LUN_1, cdb, dir, total, s, nseg);
}

static void expect_good_rsp(struct fx2 *x, uint64_t q)
{
    CU_ASSERT_EQUAL(prot(x, q), FSF_PROT_GOOD);
    CU_ASSERT_EQUAL(fsfst(x, q), FSF_GOOD);
    const uint8_t *rsp = mem(x, ZQ_BOTTOM(q) + 32 + FSF_FCP_CMND_SIZE);
    CU_ASSERT_EQUAL(rsp[10], 0);                        /* fr_flags */
    CU_ASSERT_EQUAL(rsp[11], SCSI_STATUS_GOOD);         /* fr_status */
}

static void test_bringup_write_read_close(void)
{
    struct fx2 x;
    fsetup(&x);
    bringup(&x);
    /* WRITE(16) 8 blocks at LBA 4 from 4 x 1 KiB elements. */
    testhost_pattern(x.z.th, ZD_DATA, 4096, 11);
    uint64_t q = rw(&x, SCSI_OP_WRITE_16, 4, 8, ZD_DATA, 4);
    expect_good_rsp(&x, q);
    uint8_t disk[20 * 512];
    CU_ASSERT_EQUAL(fcp_lun_read_raw(x.a, WWPN_A, LUN_1, 4 * 512, disk, 4096), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(disk, mem(&x, ZD_DATA), 4096), 0);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(x.a, WWPN_A, LUN_1, 3 * 512, disk, 512), FCP_ST_OK);
    static const uint8_t zero[512];
    CU_ASSERT_EQUAL(memcmp(disk, zero, 512), 0);          /* LBA 3 untouched */
    /* READ(16) back into 8 x 512-byte elements elsewhere. */
    q = rw(&x, SCSI_OP_READ_16, 4, 8, ZD_DATA + 0x10000, 8);
    expect_good_rsp(&x, q);
    CU_ASSERT_EQUAL(memcmp(mem(&x, ZD_DATA + 0x10000), mem(&x, ZD_DATA), 4096), 0);
    /* A write over two chained SBALs: 20 elements of 512 bytes. */
    testhost_pattern(x.z.th, ZD_DATA + 0x20000, 20 * 512, 12);
    q = rw(&x, SCSI_OP_WRITE_16, 20, 20, ZD_DATA + 0x20000, 20);
    expect_good_rsp(&x, q);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(x.a, WWPN_A, LUN_1, 20 * 512, disk, sizeof(disk)),
                    FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(disk, mem(&x, ZD_DATA + 0x20000), sizeof(disk)), 0);
    /* INQUIRY with FCP_DL 96: 36 bytes, FCP_RESID_UNDER 60. */
    uint8_t cdb[16] = { SCSI_OP_INQUIRY, 0, 0, 0, 96 };
    struct zd_seg s = { ZD_DATA + 0x30000, 96 };
    q = zd_fcp(&x.z, x.f, x.ph, x.lh, LUN_1, cdb, FSF_DATADIR_READ, 96, &s, 1);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_GOOD);
    const uint8_t *rsp = mem(&x, ZQ_BOTTOM(q) + 32 + FSF_FCP_CMND_SIZE);
    CU_ASSERT_EQUAL(rsp[10], FCP_RESID_UNDER);
    CU_ASSERT_EQUAL(db_ld_be32(rsp + 12), 60);
    CU_ASSERT_EQUAL(mem(&x, ZD_DATA + 0x30000)[0], SCSI_PDT_DISK);
    CU_ASSERT_EQUAL(mem(&x, ZD_DATA + 0x30000)[4], 31);
    /* TEST UNIT READY: no data, FSF_DATADIR_CMND. */
    uint8_t tur[16] = { 0 };
    q = zd_fcp(&x.z, x.f, x.ph, x.lh, LUN_1, tur, FSF_DATADIR_CMND, 0, NULL, 0);
    expect_good_rsp(&x, q);
    struct fsf_stats st;
    CU_ASSERT_EQUAL(fsf_dev_stats(x.f, &st), FCP_ST_OK);
    CU_ASSERT_EQUAL(st.bytes_out, 4096 + 20 * 512);
    CU_ASSERT_EQUAL(st.bytes_in, 4096 + 36);
    CU_ASSERT_EQUAL(st.by_command[FSF_QTCB_FCP_CMND], 5);
    CU_ASSERT_EQUAL(st.status_reads_posted, 16);
    CU_ASSERT_EQUAL(st.pending, 0);
    /* CLOSE LUN, CLOSE PORT */
    q = zd_run(&x.z, x.f, FSF_QTCB_CLOSE_LUN, x.ph, x.lh, NULL, NULL, NULL, 0,
               SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(prot(&x, q), FSF_PROT_GOOD);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_GOOD);
    enum fcp_lun_state ls;
    CU_ASSERT_EQUAL(fcp_lun_get_state(x.a, WWPN_A, LUN_1, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls, FCP_LUN_CLOSED);
    /* A command on the closed LUN handle */
    q = rw(&x, SCSI_OP_READ_16, 0, 1, ZD_DATA, 1);
    CU_ASSERT_EQUAL(prot(&x, q), FSF_PROT_FSF_STATUS_PRESENTED);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_LUN_HANDLE_NOT_VALID);
    q = zd_run(&x.z, x.f, FSF_QTCB_CLOSE_PORT, x.ph, 0, NULL, NULL, NULL, 0,
               SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_GOOD);
    enum fcp_port_state ps;
    CU_ASSERT_EQUAL(fcp_port_get_state(x.a, WWPN_A, &ps), FCP_ST_OK);
    CU_ASSERT_EQUAL(ps, FCP_PORT_CLOSED);
    q = zd_run(&x.z, x.f, FSF_QTCB_CLOSE_PHYSICAL_PORT, x.ph, 0, NULL, NULL, NULL, 0,
               SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_PORT_HANDLE_NOT_VALID);
    /* Two LUNs behind the port: dump to the second. */
    q = open_port(&x, DID_A);
    x.ph = zd_rd32(&x.z, ZQ_PORT_HANDLE(q));
    q = open_lun(&x, LUN_2, 0);
    x.lh = zd_rd32(&x.z, ZQ_LUN_HANDLE(q));
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_GOOD);
    uint8_t c2[16];
    cdb_rw16(c2, SCSI_OP_WRITE_16, 63, 1);
    s = (struct zd_seg){ ZD_DATA, 512 };
    q = zd_fcp(&x.z, x.f, x.ph, x.lh, LUN_2, c2, FSF_DATADIR_WRITE, 512, &s, 1);
    expect_good_rsp(&x, q);
    CU_ASSERT_EQUAL(fcp_lun_read_raw(x.a, WWPN_A, LUN_2, 63 * 512, disk, 512), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(disk, mem(&x, ZD_DATA), 512), 0);
    fteardown(&x);
}

static void test_unsolicited_status(void)
{
    struct fx2 x;
    fsetup(&x);
    /* Event before any buffer: kept. */
    struct fsf_event ev = { FSF_EVT_PORT_CLOSED, DID_A };
    CU_ASSERT_EQUAL(fsf_post_event(x.f, &ev), FCP_ST_OK);
    bool pci = true;
    CU_ASSERT_EQUAL(fsf_siga_read(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_FALSE(pci);
    post_status_reads(&x, 0);
    /* Posting a buffer delivers it at once. */
    struct zd_seg s = { ZD_SRBUF, 4096 };
    memset(x.z.th->mem + ZD_SRBUF, 0xee, 4096);
    uint64_t id = zd_submit(&x.z, SBAL_SFLAGS0_TYPE_STATUS, &s, 1, NULL, NULL);
    CU_ASSERT_EQUAL(fsf_siga_write(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_TRUE(pci);
    uint64_t ids[4];
    CU_ASSERT_EQUAL(zd_collect(&x.z, ids, 4), 1);
    CU_ASSERT_EQUAL(ids[0], id);
    CU_ASSERT_EQUAL(zd_rd32(&x.z, ZD_SRBUF), FSF_STATUS_READ_PORT_CLOSED);
    CU_ASSERT_EQUAL(zd_rd32(&x.z, ZD_SRBUF + 24) & 0xffffff, DID_A);
    CU_ASSERT_EQUAL(zd_rd32(&x.z, ZD_SRBUF + 8), 4096);
    CU_ASSERT_EQUAL(mem(&x, ZD_SRBUF + 100)[0], 0);       /* whole buffer rewritten */
    /* Two buffers, one LINK_UP: the oldest buffer answers. */
    post_status_reads(&x, 2);
    ev.kind = FSF_EVT_LINK_UP;
    CU_ASSERT_EQUAL(fsf_post_event(x.f, &ev), FCP_ST_OK);
    CU_ASSERT_EQUAL(fsf_siga_read(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_TRUE(pci);
    CU_ASSERT_EQUAL(zd_collect(&x.z, ids, 4), 1);
    CU_ASSERT_EQUAL(ids[0], x.sr_ids[0]);
    CU_ASSERT_EQUAL(zd_rd32(&x.z, ZD_SRBUF), FSF_STATUS_READ_LINK_UP);
    /* Invalid events */
    ev.kind = (enum fsf_event_kind)7;
    CU_ASSERT_EQUAL(fsf_post_event(x.f, &ev), FCP_ST_ERR_INVALID);
    ev.kind = FSF_EVT_PORT_CLOSED;
    ev.d_id = 0x1000000;
    CU_ASSERT_EQUAL(fsf_post_event(x.f, &ev), FCP_ST_ERR_INVALID);
    /* More posted buffers than the device keeps: the extra one is rejected. */
    for (unsigned k = 0; k < 64; k++) {
        s.addr = ZD_SRBUF + (k % 32) * 4096u;
        zd_submit(&x.z, SBAL_SFLAGS0_TYPE_STATUS, &s, 1, NULL, NULL);
        if (k % 32 == 31) {
            CU_ASSERT_EQUAL(fsf_siga_write(x.f, x.z.h, &pci), QDIO_OK);
        }
    }
    unsigned first = 0;
    zd_submit(&x.z, SBAL_SFLAGS0_TYPE_STATUS, &s, 1, &first, NULL);
    CU_ASSERT_EQUAL(fsf_siga_write(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_TRUE(pci);
    CU_ASSERT_EQUAL(zd_slsb(&x.z, true, first), SLSB_P_OUTPUT_ERROR);
    CU_ASSERT_NOT_EQUAL(fsf_dev_errmsg(x.f)[0], '\0');
    /* Wrong-size status buffer */
    fsf_reset(x.f);
    CU_ASSERT_FALSE(fsf_dev_qdio(x.f)->established);
    CU_ASSERT_EQUAL(fsf_siga_read(x.f, x.z.h, &pci), QDIO_ERR_STATE);
    fteardown(&x);
}

/* ---- faults mid-write ------------------------------------------------------------ */

static void test_fault_medium_error(void)
{
    struct fx2 x;
    fsetup(&x);
    bringup(&x);
    struct fcp_fault ft = { .kind = FCP_FAULT_MEDIUM_ERROR, .lba = 10, .count = 2 };
    CU_ASSERT_EQUAL(fcp_lun_fault_set(x.a, WWPN_A, LUN_1, &ft), FCP_ST_OK);
    testhost_pattern(x.z.th, ZD_DATA, 4096, 21);
    uint64_t q = rw(&x, SCSI_OP_WRITE_16, 8, 8, ZD_DATA, 8);
    CU_ASSERT_EQUAL(prot(&x, q), FSF_PROT_FSF_STATUS_PRESENTED);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_FCP_RSP_AVAILABLE);
    const uint8_t *rsp = mem(&x, ZQ_BOTTOM(q) + 32 + FSF_FCP_CMND_SIZE);
    CU_ASSERT_EQUAL(rsp[11], SCSI_STATUS_CHECK_CONDITION);
    CU_ASSERT_TRUE(rsp[10] & FCP_SNS_LEN_VAL);
    CU_ASSERT_EQUAL(db_ld_be32(rsp + 16), SCSI_SENSE_FIXED_LEN);
    const uint8_t *sense = rsp + FCP_RSP_IU_LEN;
    CU_ASSERT_EQUAL(sense[2] & 0x0f, SCSI_SK_MEDIUM_ERROR);
    CU_ASSERT_EQUAL(sense[12], SCSI_ASC_WRITE_ERROR);
    CU_ASSERT_EQUAL(db_ld_be32(sense + 3), 10);             /* INFORMATION: first bad LBA */
    uint8_t disk[4096];
    CU_ASSERT_EQUAL(fcp_lun_read_raw(x.a, WWPN_A, LUN_1, 8 * 512, disk, 4096), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(disk, mem(&x, ZD_DATA), 1024), 0);   /* LBAs 8, 9 written */
    static const uint8_t zero[512];
    CU_ASSERT_EQUAL(memcmp(disk + 1024, zero, 512), 0);         /* LBA 10 not */
    fteardown(&x);
}

static void test_fault_link_down(void)
{
    struct fx2 x;
    fsetup(&x);
    bringup(&x);
    struct fcp_fault ft = { .kind = FCP_FAULT_LINK_DOWN, .lba = 30 };
    CU_ASSERT_EQUAL(fcp_lun_fault_set(x.a, WWPN_A, LUN_1, &ft), FCP_ST_OK);
    testhost_pattern(x.z.th, ZD_DATA, 2048, 31);
    uint64_t q = rw(&x, SCSI_OP_WRITE_16, 28, 4, ZD_DATA, 4);
    CU_ASSERT_EQUAL(prot(&x, q), FSF_PROT_LINK_DOWN);
    CU_ASSERT_EQUAL(zd_rd32(&x.z, ZQ_PSQ(q)), FSF_PSQ_LINK_NO_LIGHT);
    /* The unsolicited LINK DOWN came back with it in the oldest status buffer. */
    CU_ASSERT_EQUAL(x.z.nextra, 1);
    CU_ASSERT_EQUAL(x.z.extra[0], x.sr_ids[0]);
    CU_ASSERT_EQUAL(zd_rd32(&x.z, ZD_SRBUF), FSF_STATUS_READ_LINK_DOWN);
    uint8_t disk[2048];
    CU_ASSERT_EQUAL(fcp_lun_read_raw(x.a, WWPN_A, LUN_1, 28 * 512, disk, 2048), FCP_ST_OK);
    CU_ASSERT_EQUAL(memcmp(disk, mem(&x, ZD_DATA), 1024), 0);   /* LBAs 28, 29 */
    static const uint8_t zero[1024];
    CU_ASSERT_EQUAL(memcmp(disk + 1024, zero, 1024), 0);        /* 30, 31 not */
    /* A second failing command does not report link down twice. */
    q = rw(&x, SCSI_OP_READ_16, 0, 1, ZD_DATA, 1);
    CU_ASSERT_EQUAL(prot(&x, q), FSF_PROT_LINK_DOWN);
    CU_ASSERT_EQUAL(x.z.nextra, 0);
    /* zfcp reopens the adapter: EXCHANGE CONFIG DATA is incomplete. */
    q = zd_run(&x.z, x.f, FSF_QTCB_EXCHANGE_CONFIG_DATA, 0, 0, NULL, NULL, NULL, 0,
               SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_EXCHANGE_CONFIG_DATA_INCOMPLETE);
    CU_ASSERT_EQUAL(zd_rd32(&x.z, ZQ_FSF_SQ(q)), FSF_PSQ_LINK_NO_LIGHT);
    q = zd_run(&x.z, x.f, FSF_QTCB_EXCHANGE_PORT_DATA, 0, 0, NULL, NULL, NULL, 0,
               SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_EXCHANGE_CONFIG_DATA_INCOMPLETE);
    CU_ASSERT_EQUAL(zd_rd64(&x.z, ZQ_BOTTOM(q)), OWN_WWPN);
    /* Link comes back: LINK UP, then the port opens again. */
    CU_ASSERT_EQUAL(fcp_lun_fault_clear(x.a, WWPN_A, LUN_1, FCP_FAULT_LINK_DOWN), FCP_ST_OK);
    CU_ASSERT_EQUAL(fcp_port_link_up(x.a, WWPN_A), FCP_ST_OK);
    struct fsf_event ev = { FSF_EVT_LINK_UP, 0 };
    CU_ASSERT_EQUAL(fsf_post_event(x.f, &ev), FCP_ST_OK);
    bool pci = false;
    CU_ASSERT_EQUAL(fsf_siga_read(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_TRUE(pci);
    uint64_t ids[4];
    CU_ASSERT_EQUAL(zd_collect(&x.z, ids, 4), 1);
    CU_ASSERT_EQUAL(ids[0], x.sr_ids[1]);
    CU_ASSERT_EQUAL(zd_rd32(&x.z, ZD_SRBUF + 4096), FSF_STATUS_READ_LINK_UP);
    q = zd_run(&x.z, x.f, FSF_QTCB_EXCHANGE_CONFIG_DATA, 0, 0, NULL, NULL, NULL, 0,
               SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_GOOD);
    q = open_port(&x, DID_A);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_GOOD);
    fteardown(&x);
}

static void test_fault_timeout_abort(void)
{
    struct fx2 x;
    fsetup(&x);
    bringup(&x);
    struct fcp_fault ft = { .kind = FCP_FAULT_TIMEOUT, .skip = 0, .times = 1 };
    CU_ASSERT_EQUAL(fcp_lun_fault_set(x.a, WWPN_A, LUN_1, &ft), FCP_ST_OK);
    /* Issue a WRITE by hand: it is consumed but never answered. */
    uint64_t id = zd_peek_id(&x.z);
    uint64_t q = zd_qtcb(&x.z, id, FSF_QTCB_FCP_CMND, FSF_IO_COMMAND);
    zd_wr32(&x.z, ZQ_PORT_HANDLE(q), x.ph);
    zd_wr32(&x.z, ZQ_LUN_HANDLE(q), x.lh);
    uint64_t b = ZQ_BOTTOM(q);
    zd_wr32(&x.z, b, FSF_DATADIR_WRITE);
    zd_wr32(&x.z, b + 16, FCP_CMND_IU_LEN);
    uint8_t *iu = x.z.th->mem + b + 32;
    db_st_be64(iu, LUN_1);
    iu[11] = FCP_CFL_WRDATA;
    cdb_rw16(iu + 12, SCSI_OP_WRITE_16, 0, 1);
    db_st_be32(iu + 28, 512);
    struct zd_seg s[2] = { { q, FSF_QTCB_SIZE }, { ZD_DATA, 512 } };
    unsigned first = 0;
    CU_ASSERT_EQUAL(zd_submit(&x.z, SBAL_SFLAGS0_TYPE_WRITE, s, 2, &first, NULL), id);
    bool pci = true;
    CU_ASSERT_EQUAL(fsf_siga_write(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_FALSE(pci);
    CU_ASSERT_EQUAL(zd_slsb(&x.z, true, first), SLSB_P_OUTPUT_EMPTY);
    CU_ASSERT_EQUAL(prot(&x, q), 0);                      /* QTCB untouched */
    struct fsf_stats st;
    fsf_dev_stats(x.f, &st);
    CU_ASSERT_EQUAL(st.timeouts, 1);
    /* zfcp's SCSI eh aborts it: the original completes as aborted first. */
    uint64_t aq = zd_run(&x.z, x.f, FSF_QTCB_ABORT_FCP_CMND, x.ph, x.lh, fill_abort, &id,
                         NULL, 0, SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, aq), FSF_GOOD);
    CU_ASSERT_EQUAL(x.z.nextra, 1);
    CU_ASSERT_EQUAL(x.z.extra[0], id);
    CU_ASSERT_EQUAL(prot(&x, q), FSF_PROT_FSF_STATUS_PRESENTED);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_ADAPTER_STATUS_AVAILABLE);
    CU_ASSERT_EQUAL(sq(&x, q), FSF_SQ_COMMAND_ABORTED);
    /* A second abort finds nothing. */
    aq = zd_run(&x.z, x.f, FSF_QTCB_ABORT_FCP_CMND, x.ph, x.lh, fill_abort, &id, NULL, 0,
                SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, aq), FSF_FCP_COMMAND_DOES_NOT_EXIST);
    /* The retry goes through. */
    testhost_pattern(x.z.th, ZD_DATA, 512, 41);
    q = rw(&x, SCSI_OP_WRITE_16, 0, 1, ZD_DATA, 1);
    expect_good_rsp(&x, q);
    fteardown(&x);
}

static void test_fault_lun_removed_port_reject(void)
{
    struct fx2 x;
    fsetup(&x);
    bringup(&x);
    struct fcp_fault ft = { .kind = FCP_FAULT_LUN_REMOVED };
    CU_ASSERT_EQUAL(fcp_lun_fault_set(x.a, WWPN_A, LUN_1, &ft), FCP_ST_OK);
    uint64_t q = rw(&x, SCSI_OP_WRITE_16, 0, 1, ZD_DATA, 1);
    CU_ASSERT_EQUAL(prot(&x, q), FSF_PROT_FSF_STATUS_PRESENTED);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_LUN_HANDLE_NOT_VALID);
    q = open_lun(&x, LUN_1, 0);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_FCPLUN_NOT_VALID);
    /* Port reject on the next PLOGI. */
    struct fcp_fault pr = { .kind = FCP_FAULT_PORT_REJECT, .times = 1 };
    CU_ASSERT_EQUAL(fcp_port_fault_set(x.a, WWPN_A, &pr), FCP_ST_OK);
    q = zd_run(&x.z, x.f, FSF_QTCB_CLOSE_PORT, x.ph, 0, NULL, NULL, NULL, 0,
               SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_GOOD);
    q = open_port(&x, DID_A);
    CU_ASSERT_EQUAL(prot(&x, q), FSF_PROT_FSF_STATUS_PRESENTED);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_ADAPTER_STATUS_AVAILABLE);
    CU_ASSERT_EQUAL(sq(&x, q), FSF_SQ_NO_RETRY_POSSIBLE);
    CU_ASSERT_EQUAL(zd_rd32(&x.z, ZQ_PORT_HANDLE(q)), 0);
    /* Unknown D_ID */
    q = open_port(&x, 0x777777);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_ADAPTER_STATUS_AVAILABLE);
    CU_ASSERT_EQUAL(sq(&x, q), FSF_SQ_NO_RETRY_POSSIBLE);
    q = open_port(&x, DID_A);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_GOOD);
    fteardown(&x);
}

/* ---- malformed requests ------------------------------------------------------------ */

static void set_version(struct zdrv *z, uint64_t q, void *arg)
{
    zd_wr32(z, q + 8, *(const uint32_t *)arg);
}

static void set_type(struct zdrv *z, uint64_t q, void *arg)
{
    zd_wr32(z, q + 16, *(const uint32_t *)arg);
}

static void test_malformed_qtcb(void)
{
    struct fx2 x;
    fsetup(&x);
    uint32_t v = 2;
    uint64_t q = zd_run(&x.z, x.f, FSF_QTCB_EXCHANGE_CONFIG_DATA, 0, 0, set_version, &v, NULL,
                        0, SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(prot(&x, q), FSF_PROT_QTCB_VERSION_ERROR);
    CU_ASSERT_EQUAL(zd_rd32(&x.z, ZQ_PSQ(q)), 1);
    CU_ASSERT_EQUAL(zd_rd32(&x.z, ZQ_PSQ(q) + 4), 1);
    CU_ASSERT_EQUAL(zd_rd32(&x.z, ZQ_BOTTOM(q) + 32), 0);  /* nothing executed */
    v = 0;
    q = zd_run(&x.z, x.f, FSF_QTCB_EXCHANGE_CONFIG_DATA, 0, 0, set_version, &v, NULL, 0,
               SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(prot(&x, q), FSF_PROT_QTCB_VERSION_ERROR);
    uint32_t t = FSF_SUPPORT_COMMAND;
    q = zd_run(&x.z, x.f, FSF_QTCB_EXCHANGE_CONFIG_DATA, 0, 0, set_type, &t, NULL, 0,
               SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(prot(&x, q), FSF_PROT_UNSUPP_QTCB_TYPE);
    q = zd_run(&x.z, x.f, FSF_QTCB_SEND_ELS, 0, 0, NULL, NULL, NULL, 0, SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_UNKNOWN_COMMAND);
    q = zd_run(&x.z, x.f, 0xdeadbeef, 0, 0, NULL, NULL, NULL, 0, SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_UNKNOWN_COMMAND);
    /* OPEN LUN with an unknown option bit */
    bringup(&x);
    q = open_lun(&x, LUN_2, 0x4);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_INVALID_COMMAND_OPTION);
    /* QTCB element shorter than the part the adapter uses: SBAL error,
     * no completion.  Exactly 672 bytes works. */
    uint32_t lens[] = { 1, 64, FSF_QTCB_USED_LEN - 1 };
    for (unsigned i = 0; i < 3; i++) {
        uint64_t id = zd_peek_id(&x.z);
        uint64_t qq = zd_qtcb(&x.z, id, FSF_QTCB_EXCHANGE_PORT_DATA, FSF_PORT_COMMAND);
        struct zd_seg s = { qq, lens[i] };
        unsigned first = 0;
        zd_submit(&x.z, SBAL_SFLAGS0_TYPE_READ, &s, 1, &first, NULL);
        bool pci = false;
        CU_ASSERT_EQUAL(fsf_siga_write(x.f, x.z.h, &pci), QDIO_OK);
        CU_ASSERT_TRUE(pci);
        CU_ASSERT_EQUAL(zd_slsb(&x.z, true, first), SLSB_P_OUTPUT_ERROR);
        CU_ASSERT_EQUAL(x.z.th->mem[zd_out_sbal(first) + 15 * 16 + 3], QDIO_SBALF15_REQUEST);
        CU_ASSERT_EQUAL(prot(&x, qq), 0);
        uint64_t ids[2];
        CU_ASSERT_EQUAL(zd_collect(&x.z, ids, 2), 0);
    }
    /* A request with no QTCB at all (element 0 only). */
    unsigned first = 0;
    zd_submit(&x.z, SBAL_SFLAGS0_TYPE_READ, NULL, 0, &first, NULL);
    bool pci = false;
    CU_ASSERT_EQUAL(fsf_siga_write(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_EQUAL(zd_slsb(&x.z, true, first), SLSB_P_OUTPUT_ERROR);
    /* Status-read buffer of the wrong size / with two elements. */
    struct zd_seg srs[2] = { { ZD_SRBUF, 2048 }, { ZD_SRBUF + 2048, 2048 } };
    zd_submit(&x.z, SBAL_SFLAGS0_TYPE_STATUS, srs, 1, &first, NULL);
    CU_ASSERT_EQUAL(fsf_siga_write(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_EQUAL(zd_slsb(&x.z, true, first), SLSB_P_OUTPUT_ERROR);
    srs[0].len = 4096;
    srs[1].addr = ZD_SRBUF + 4096;
    zd_submit(&x.z, SBAL_SFLAGS0_TYPE_STATUS, srs, 2, &first, NULL);
    CU_ASSERT_EQUAL(fsf_siga_write(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_EQUAL(zd_slsb(&x.z, true, first), SLSB_P_OUTPUT_ERROR);
    struct fsf_stats st;
    fsf_dev_stats(x.f, &st);
    CU_ASSERT_EQUAL(st.rejected, 6);
    /* Exactly FSF_QTCB_USED_LEN is enough. */
    uint64_t id = zd_peek_id(&x.z);
    uint64_t qq = zd_qtcb(&x.z, id, FSF_QTCB_EXCHANGE_PORT_DATA, FSF_PORT_COMMAND);
    struct zd_seg s = { qq, FSF_QTCB_USED_LEN };
    zd_submit(&x.z, SBAL_SFLAGS0_TYPE_READ, &s, 1, &first, NULL);
    CU_ASSERT_EQUAL(fsf_siga_write(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_EQUAL(zd_slsb(&x.z, true, first), SLSB_P_OUTPUT_EMPTY);
    CU_ASSERT_EQUAL(prot(&x, qq), FSF_PROT_GOOD);
    fteardown(&x);
}

struct rawfcp {
    uint32_t dir, clen, dl;
    uint8_t flags;
};

static void fill_rawfcp(struct zdrv *z, uint64_t q, void *arg)
{
    const struct rawfcp *r = arg;
    uint64_t b = ZQ_BOTTOM(q);
    zd_wr32(z, b, r->dir);
    zd_wr32(z, b + 16, r->clen);
    uint8_t *iu = z->th->mem + b + 32;
    db_st_be64(iu, LUN_1);
    iu[11] = r->flags;
    cdb_rw16(iu + 12, r->flags & FCP_CFL_WRDATA ? SCSI_OP_WRITE_16 : SCSI_OP_READ_16, 0, 8);
    db_st_be32(iu + 28, r->dl);
}

static uint64_t rawfcp(struct fx2 *x, struct rawfcp r, const struct zd_seg *s, unsigned n)
{
    return zd_run(&x->z, x->f, FSF_QTCB_FCP_CMND, x->ph, x->lh, fill_rawfcp, &r, s, n,
                  SBAL_SFLAGS0_TYPE_WRITE);
}

static void test_malformed_fcp(void)
{
    struct fx2 x;
    fsetup(&x);
    bringup(&x);
    struct zd_seg s[2] = { { ZD_DATA, 4096 }, { ZD_DATA + 4096, 4096 } };
    testhost_pattern(x.z.th, ZD_DATA, 8192, 51);
    /* FCP_CMND length short / huge */
    uint64_t q = rawfcp(&x, (struct rawfcp){ FSF_DATADIR_WRITE, 8, 4096, FCP_CFL_WRDATA }, s, 1);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_CMND_LENGTH_NOT_VALID);
    q = rawfcp(&x, (struct rawfcp){ FSF_DATADIR_WRITE, 0xffffffffu, 4096, FCP_CFL_WRDATA }, s, 1);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_CMND_LENGTH_NOT_VALID);
    q = rawfcp(&x, (struct rawfcp){ FSF_DATADIR_WRITE, 289, 4096, FCP_CFL_WRDATA }, s, 1);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_CMND_LENGTH_NOT_VALID);
    /* Direction mismatches */
    q = rawfcp(&x, (struct rawfcp){ FSF_DATADIR_READ, 32, 4096, FCP_CFL_WRDATA }, s, 1);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_DIRECTION_INDICATOR_NOT_VALID);
    q = rawfcp(&x, (struct rawfcp){ 9, 32, 4096, FCP_CFL_WRDATA }, s, 1);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_DIRECTION_INDICATOR_NOT_VALID);
    q = rawfcp(&x, (struct rawfcp){ FSF_DATADIR_CMND, 32, 4096, FCP_CFL_RDDATA }, s, 1);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_DIRECTION_INDICATOR_NOT_VALID);
    q = rawfcp(&x, (struct rawfcp){ FSF_DATADIR_WRITE, 32, 4096,
                                    FCP_CFL_WRDATA | FCP_CFL_RDDATA }, s, 1);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_DIRECTION_INDICATOR_NOT_VALID);
    /* FCP_DL larger than the SBAL data elements: failed, nothing written */
    q = rawfcp(&x, (struct rawfcp){ FSF_DATADIR_WRITE, 32, 8192, FCP_CFL_WRDATA }, s, 1);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_ADAPTER_STATUS_AVAILABLE);
    CU_ASSERT_EQUAL(sq(&x, q), FSF_SQ_NO_RETRY_POSSIBLE);
    q = rawfcp(&x, (struct rawfcp){ FSF_DATADIR_WRITE, 32, 0xffffffffu, FCP_CFL_WRDATA }, s, 2);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_ADAPTER_STATUS_AVAILABLE);
    struct fcp_stats ls;
    CU_ASSERT_EQUAL(fcp_lun_stats(x.a, WWPN_A, LUN_1, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls.bytes_written, 0);
    /* FCP_DL smaller than the CDB's transfer: CHECK CONDITION from the
     * SCSI target (FCP-3 rules in fcp_scsi_exec), nothing written. */
    q = rawfcp(&x, (struct rawfcp){ FSF_DATADIR_WRITE, 32, 1024, FCP_CFL_WRDATA }, s, 2);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_FCP_RSP_AVAILABLE);
    const uint8_t *rsp = mem(&x, ZQ_BOTTOM(q) + 32 + FSF_FCP_CMND_SIZE);
    CU_ASSERT_EQUAL(rsp[11], SCSI_STATUS_CHECK_CONDITION);
    CU_ASSERT_TRUE(rsp[10] & FCP_RESID_OVER);
    CU_ASSERT_EQUAL(fcp_lun_stats(x.a, WWPN_A, LUN_1, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls.bytes_written, 0);
    /* More SBAL data than FCP_DL is fine: exactly FCP_DL moves. */
    q = rawfcp(&x, (struct rawfcp){ FSF_DATADIR_WRITE, 32, 4096, FCP_CFL_WRDATA }, s, 2);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_GOOD);
    CU_ASSERT_EQUAL(fcp_lun_stats(x.a, WWPN_A, LUN_1, &ls), FCP_ST_OK);
    CU_ASSERT_EQUAL(ls.bytes_written, 4096);
    /* A QTCB without an IU (FCP_CMND length 0). */
    q = zd_run(&x.z, x.f, FSF_QTCB_FCP_CMND, x.ph, x.lh, NULL, NULL, NULL, 0,
               SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_CMND_LENGTH_NOT_VALID);
    fteardown(&x);
}

static void fill_tmf(struct zdrv *z, uint64_t q, void *arg)
{
    (void)arg;
    uint64_t b = ZQ_BOTTOM(q);
    zd_wr32(z, b, FSF_DATADIR_CMND);
    zd_wr32(z, b + 16, FCP_CMND_IU_LEN);
    uint8_t *iu = z->th->mem + b + 32;
    db_st_be64(iu, LUN_1);
    iu[10] = FCP_TMF_LUN_RESET;
}

static void test_task_management(void)
{
    struct fx2 x;
    fsetup(&x);
    bringup(&x);
    uint64_t q = zd_run(&x.z, x.f, FSF_QTCB_FCP_CMND, x.ph, x.lh, fill_tmf, NULL, NULL, 0,
                        SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_GOOD);
    const uint8_t *rsp = mem(&x, ZQ_BOTTOM(q) + 32 + FSF_FCP_CMND_SIZE);
    CU_ASSERT_EQUAL(rsp[10], FCP_RSP_LEN_VAL);
    CU_ASSERT_EQUAL(db_ld_be32(rsp + 20), 8);
    CU_ASSERT_EQUAL(rsp[24 + 3], 0);                        /* rsp_code FCP_TMF_CMPL */
    q = zd_run(&x.z, x.f, FSF_QTCB_FCP_CMND, x.ph, x.lh + 1000, fill_tmf, NULL, NULL, 0,
               SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(fsfst(&x, q), FSF_LUN_HANDLE_NOT_VALID);
    fteardown(&x);
}

/* Completions wait for input buffers, are batched up to 16 per SBAL, and
 * the waiting queue is bounded (refused before execution when full). */
static void test_completions_wait_for_input(void)
{
    struct fx2 x;
    memset(&x, 0, sizeof(x));
    zd_init(&x.z);
    struct fcp_adapter_config cfg;
    fcp_adapter_default_config(&cfg, 0x1700);
    cfg.topology = FSF_TOPO_P2P;
    CU_ASSERT_EQUAL_FATAL(fcp_adapter_new(&cfg, &x.a), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fsf_dev_new(x.a, NULL, &x.f), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fsf_establish(x.f, x.z.h, ZD_QDR, 4096), QDIO_OK);
    /* Input buffers still NOT_INIT: 20 answered requests wait. */
    uint64_t want[20];
    for (unsigned i = 0; i < 20; i++) {
        uint64_t id = zd_peek_id(&x.z);
        uint64_t q = zd_qtcb(&x.z, id, FSF_QTCB_EXCHANGE_PORT_DATA, FSF_PORT_COMMAND);
        struct zd_seg s = { q, FSF_QTCB_SIZE };
        want[i] = zd_submit(&x.z, SBAL_SFLAGS0_TYPE_READ, &s, 1, NULL, NULL);
    }
    bool pci = true;
    CU_ASSERT_EQUAL(fsf_siga_write(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_FALSE(pci);
    struct fsf_stats st;
    fsf_dev_stats(x.f, &st);
    CU_ASSERT_EQUAL(st.pending, 20);
    CU_ASSERT_EQUAL(zd_slsb(&x.z, true, 19), SLSB_P_OUTPUT_EMPTY);
    zd_give_input(&x.z);
    CU_ASSERT_EQUAL(fsf_siga_read(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_TRUE(pci);
    CU_ASSERT_EQUAL(zd_slsb(&x.z, false, 0), SLSB_P_INPUT_PRIMED);
    CU_ASSERT_EQUAL(zd_slsb(&x.z, false, 1), SLSB_P_INPUT_PRIMED);
    CU_ASSERT_EQUAL(zd_slsb(&x.z, false, 2), SLSB_CU_INPUT_EMPTY);
    uint64_t got[32];
    CU_ASSERT_EQUAL(zd_collect(&x.z, got, 32), 20);
    CU_ASSERT_EQUAL(memcmp(got, want, sizeof(want)), 0);   /* in order */
    /* Fill the waiting queue to its bound with input withheld. */
    for (unsigned i = 0; i < QDIO_MAX_BUFFERS_PER_Q; i++) {
        zd_set_slsb(&x.z, false, i, SLSB_P_INPUT_NOT_INIT);
    }
    unsigned refused = 0, total = 0;
    for (unsigned round = 0; round < 34; round++) {
        unsigned firsts[127];
        for (unsigned i = 0; i < 127; i++) {
            uint64_t q = zd_qtcb(&x.z, zd_peek_id(&x.z), FSF_QTCB_EXCHANGE_PORT_DATA,
                                 FSF_PORT_COMMAND);
            struct zd_seg s = { q, FSF_QTCB_SIZE };
            zd_submit(&x.z, SBAL_SFLAGS0_TYPE_READ, &s, 1, &firsts[i], NULL);
        }
        CU_ASSERT_EQUAL(fsf_siga_write(x.f, x.z.h, &pci), QDIO_OK);
        for (unsigned i = 0; i < 127; i++) {
            total++;
            if (zd_slsb(&x.z, true, firsts[i]) == SLSB_P_OUTPUT_ERROR) {
                refused++;
            }
        }
    }
    fsf_dev_stats(x.f, &st);
    CU_ASSERT_EQUAL(st.pending, 4095);      /* the bound less one (room for an abort pair) */
    CU_ASSERT_EQUAL(refused, total - 4095);
    CU_ASSERT_EQUAL(st.requests, 20 + 4095);
    fteardown(&x);
}

/* ---- debug trace hook (fsf_config.trace) ---------------------------------- */

struct tr {
    unsigned n;
    char last[256];
    char all[4096];
};

static void tr_cb(void *opaque, const char *line)
{
    struct tr *t = opaque;
    t->n++;
    snprintf(t->last, sizeof(t->last), "%s", line);
    size_t l = strlen(t->all);
    snprintf(t->all + l, sizeof(t->all) - l, "%s\n", line);
}

static void test_trace(void)
{
    struct fx2 x;
    struct tr t;
    memset(&t, 0, sizeof(t));
    memset(&x, 0, sizeof(x));
    zd_init(&x.z);
    struct fcp_adapter_config cfg;
    fcp_adapter_default_config(&cfg, 0x1700);
    cfg.topology = FSF_TOPO_P2P;
    CU_ASSERT_EQUAL_FATAL(fcp_adapter_new(&cfg, &x.a), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fcp_port_add(x.a, WWPN_A, DID_A), FCP_ST_OK);
    struct fsf_config fc = { .trace = tr_cb, .trace_opaque = &t };
    CU_ASSERT_EQUAL_FATAL(fsf_dev_new(x.a, &fc, &x.f), FCP_ST_OK);
    CU_ASSERT_EQUAL_FATAL(fsf_establish(x.f, x.z.h, ZD_QDR, QDIO_EQUEUE_CIW_COUNT), QDIO_OK);
    zd_give_input(&x.z);
    post_status_reads(&x, 1);
    CU_ASSERT_EQUAL(t.n, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(t.last, "status-read posted"));
    uint64_t q = zd_run(&x.z, x.f, FSF_QTCB_EXCHANGE_CONFIG_DATA, 0, 0, NULL, NULL, NULL, 0,
                        SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(prot(&x, q), FSF_PROT_GOOD);
    CU_ASSERT_EQUAL(t.n, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(t.last, "cmd 0xd"));
    CU_ASSERT_PTR_NOT_NULL(strstr(t.last, "-> prot 0x1 fsf 0"));
    /* an event answered through the posted buffer */
    struct fsf_event ev = { FSF_EVT_LINK_UP, 0 };
    bool pci = false;
    CU_ASSERT_EQUAL(fsf_post_event(x.f, &ev), FCP_ST_OK);
    CU_ASSERT_EQUAL(fsf_siga_read(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_EQUAL(t.n, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(t.last, "status-read answered type 6"));
    /* a rejected request (QTCB element too short) */
    struct zd_seg s = { ZD_SRBUF, 64 };
    zd_submit(&x.z, SBAL_SFLAGS0_TYPE_READ, &s, 1, NULL, NULL);
    CU_ASSERT_EQUAL(fsf_siga_write(x.f, x.z.h, &pci), QDIO_OK);
    CU_ASSERT_EQUAL(t.n, 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(t.last, "reject"));
    fteardown(&x);
}

int register_fsf_suite(void)
{
    CU_pSuite s = CU_add_suite("fsf", NULL, NULL);
    if (!s) {
        return CU_get_error();
    }
    if (!CU_add_test(s, "bringup_write_read_close", test_bringup_write_read_close) ||
        !CU_add_test(s, "unsolicited_status", test_unsolicited_status) ||
        !CU_add_test(s, "fault_medium_error", test_fault_medium_error) ||
        !CU_add_test(s, "fault_link_down", test_fault_link_down) ||
        !CU_add_test(s, "fault_timeout_abort", test_fault_timeout_abort) ||
        !CU_add_test(s, "fault_lun_removed_port_reject", test_fault_lun_removed_port_reject) ||
        !CU_add_test(s, "malformed_qtcb", test_malformed_qtcb) ||
        !CU_add_test(s, "malformed_fcp", test_malformed_fcp) ||
        !CU_add_test(s, "task_management", test_task_management) ||
        !CU_add_test(s, "completions_wait_for_input", test_completions_wait_for_input) ||
        !CU_add_test(s, "trace", test_trace)) {
        return CU_get_error();
    }
    return 0;
}
