/*
 * QDIO queue model: ESTABLISH QUEUES validation, output-buffer parsing
 * (good and malformed SBALs) and input-buffer filling, against a scripted
 * driver in test-host memory (zdrv.c).
 */
#include <string.h>

#include <CUnit/CUnit.h>

#include <dumpbench/be.h>

#include "fcp_test.h"
#include "zdrv.h"

/* ---- a recording request handler ---------------------------------------- */

struct rec {
    unsigned calls;
    struct qdio_req last;
    int ret;
};

static int rec_fn(void *opaque, const struct db_host *h, const struct qdio_req *req)
{
    (void)h;
    struct rec *r = opaque;
    r->calls++;
    r->last = *req;
    return r->ret;
}

static void est(struct zdrv *z, struct qdio_queues *q)
{
    zd_init(z);
    qdio_reset(q);
    CU_ASSERT_EQUAL_FATAL(qdio_establish(q, z->h, ZD_QDR, QDIO_EQUEUE_CIW_COUNT), QDIO_OK);
    zd_give_input(z);
}

/* ---- ESTABLISH ------------------------------------------------------------- */

static void test_establish_ok(void)
{
    struct zdrv z;
    struct qdio_queues q;
    est(&z, &q);
    CU_ASSERT_TRUE(q.established);
    CU_ASSERT_EQUAL(q.qfmt, QDIO_ZFCP_QFMT);
    CU_ASSERT_EQUAL(q.qib, ZD_QIB);
    CU_ASSERT_EQUAL(q.in.slsb, ZD_IN_SLSB);
    CU_ASSERT_EQUAL(q.out.sl, ZD_OUT_SL);
    CU_ASSERT_EQUAL(q.out.sbal[127], zd_out_sbal(127));
    CU_ASSERT_EQUAL(q.in.sbal[5], zd_in_sbal(5));
    /* A second ESTABLISH without reset is refused and keeps the queues. */
    CU_ASSERT_EQUAL(qdio_establish(&q, z.h, ZD_QDR, 4096), QDIO_ERR_STATE);
    CU_ASSERT_TRUE(q.established);
    qdio_reset(&q);
    CU_ASSERT_FALSE(q.established);
    CU_ASSERT_EQUAL(qdio_establish(&q, z.h, ZD_QDR, 4096), QDIO_OK);
    zd_fini(&z);
}

/* Each mutation of a valid layout must fail with `want` and record nothing. */
static void expect_est_fail(void (*mut)(struct zdrv *), uint64_t qdr, uint32_t count,
                            enum qdio_status want)
{
    struct zdrv z;
    zd_init(&z);
    if (mut) {
        mut(&z);
    }
    struct qdio_queues q;
    qdio_reset(&q);
    unsigned writes = z.th->writes;
    CU_ASSERT_EQUAL(qdio_establish(&q, z.h, qdr, count), want);
    CU_ASSERT_FALSE(q.established);
    CU_ASSERT_NOT_EQUAL(q.errmsg[0], '\0');
    CU_ASSERT_EQUAL(z.th->writes, writes);
    zd_fini(&z);
}

static void m_qfmt(struct zdrv *z) { z->th->mem[ZD_QDR + 0] = QDIO_QETH_QFMT; }
static void m_iqdcnt(struct zdrv *z) { z->th->mem[ZD_QDR + 5] = 2; }
static void m_oqdcnt0(struct zdrv *z) { z->th->mem[ZD_QDR + 7] = 0; }
static void m_oqdsz(struct zdrv *z) { z->th->mem[ZD_QDR + 11] = 4; }
static void m_slib_align(struct zdrv *z) { zd_wr64(z, ZD_QDR + 64, ZD_IN_SLIB + 8); }
static void m_slib_oob(struct zdrv *z) { zd_wr64(z, ZD_QDR + 64, ZD_MEM - 1024); }
static void m_sl_oob(struct zdrv *z) { zd_wr64(z, ZD_QDR + 96 + 8, 0xfffffffffffffc00ull); }
static void m_slsb_oob(struct zdrv *z) { zd_wr64(z, ZD_QDR + 96 + 16, ZD_MEM); }
static void m_slsb_align(struct zdrv *z) { zd_wr64(z, ZD_QDR + 96 + 16, ZD_OUT_SLSB + 1); }
static void m_slib_mismatch(struct zdrv *z) { zd_wr64(z, ZD_OUT_SLIB + 16, ZD_IN_SLSB); }
static void m_sbal_oob(struct zdrv *z) { zd_wr64(z, ZD_OUT_SL + 8 * 77, ZD_MEM - 128); }
static void m_sbal_align(struct zdrv *z) { zd_wr64(z, ZD_IN_SL + 8 * 3, zd_in_sbal(3) + 16); }

static void test_establish_malformed(void)
{
    expect_est_fail(m_qfmt, ZD_QDR, 4096, QDIO_ERR_FORMAT);
    expect_est_fail(m_iqdcnt, ZD_QDR, 4096, QDIO_ERR_FORMAT);
    expect_est_fail(m_oqdcnt0, ZD_QDR, 4096, QDIO_ERR_FORMAT);
    expect_est_fail(m_oqdsz, ZD_QDR, 4096, QDIO_ERR_FORMAT);
    expect_est_fail(m_slib_align, ZD_QDR, 4096, QDIO_ERR_ADDR);
    expect_est_fail(m_slib_oob, ZD_QDR, 4096, QDIO_ERR_ADDR);
    expect_est_fail(m_sl_oob, ZD_QDR, 4096, QDIO_ERR_ADDR);
    expect_est_fail(m_slsb_oob, ZD_QDR, 4096, QDIO_ERR_ADDR);
    expect_est_fail(m_slsb_align, ZD_QDR, 4096, QDIO_ERR_ADDR);
    expect_est_fail(m_slib_mismatch, ZD_QDR, 4096, QDIO_ERR_MISMATCH);
    expect_est_fail(m_sbal_oob, ZD_QDR, 4096, QDIO_ERR_ADDR);
    expect_est_fail(m_sbal_align, ZD_QDR, 4096, QDIO_ERR_ADDR);
    /* short CCW count, QDR beyond / across the end of memory, wrap */
    expect_est_fail(NULL, ZD_QDR, 64 + 63, QDIO_ERR_FORMAT);
    expect_est_fail(NULL, ZD_QDR, 0, QDIO_ERR_FORMAT);
    expect_est_fail(NULL, ZD_MEM - 64, 4096, QDIO_ERR_ADDR);
    expect_est_fail(NULL, ZD_MEM + 4096, 4096, QDIO_ERR_ADDR);
    expect_est_fail(NULL, 0xffffffffffffff80ull, 4096, QDIO_ERR_ADDR);
    /* A count larger than the QDR is fine (only the used part is read). */
    struct zdrv z;
    struct qdio_queues q;
    zd_init(&z);
    qdio_reset(&q);
    CU_ASSERT_EQUAL(qdio_establish(&q, z.h, ZD_QDR, 65535), QDIO_OK);
    zd_fini(&z);
    CU_ASSERT_EQUAL(qdio_establish(NULL, NULL, 0, 0), QDIO_ERR_INVALID);
    CU_ASSERT_STRING_EQUAL(qdio_status_name(QDIO_ERR_MISMATCH), "QDIO_ERR_MISMATCH");
    CU_ASSERT_STRING_EQUAL(qdio_status_name((enum qdio_status)99), "QDIO_ERR_?");
}

/* ---- output kick ------------------------------------------------------------- */

static void test_kick_good_and_chain(void)
{
    struct zdrv z;
    struct qdio_queues q;
    est(&z, &q);
    struct rec r = {0};
    unsigned errs = 9;
    /* Nothing primed: no call, no error. */
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(r.calls, 0);
    CU_ASSERT_EQUAL(errs, 0);
    /* One SBAL: QTCB + 2 data elements. */
    struct zd_seg s[20];
    s[0] = (struct zd_seg){ ZD_QTCB, FSF_QTCB_SIZE };
    s[1] = (struct zd_seg){ ZD_DATA, 4096 };
    s[2] = (struct zd_seg){ ZD_DATA + 8192, 100 };
    uint64_t id = zd_submit(&z, SBAL_SFLAGS0_TYPE_READ, s, 3, NULL, NULL);
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(r.calls, 1);
    CU_ASSERT_EQUAL(r.last.req_id, id);
    CU_ASSERT_EQUAL(r.last.sflags0, SBAL_SFLAGS0_COMMAND | SBAL_SFLAGS0_TYPE_READ);
    CU_ASSERT_EQUAL(r.last.nsbals, 1);
    CU_ASSERT_EQUAL(r.last.nseg, 3);
    CU_ASSERT_EQUAL(r.last.seg[2].addr, ZD_DATA + 8192);
    CU_ASSERT_EQUAL(r.last.seg[2].len, 100);
    CU_ASSERT_EQUAL(zd_slsb(&z, true, 0), SLSB_P_OUTPUT_EMPTY);
    CU_ASSERT_EQUAL(q.out.cursor, 1);
    /* 20 elements as zfcp chains them: 14 after the request id in the first
     * SBAL (element 15 unused), 6 in a second one. */
    for (unsigned i = 0; i < 20; i++) {
        s[i] = (struct zd_seg){ ZD_DATA + i * 512u, 512 };
    }
    unsigned nsb = 0;
    id = zd_submit(&z, SBAL_SFLAGS0_TYPE_WRITE, s, 20, NULL, &nsb);
    CU_ASSERT_EQUAL(nsb, 2);
    CU_ASSERT_EQUAL(db_ld_be32(z.th->mem + zd_out_sbal(1) + 15 * 16 + 4), 0);
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(r.calls, 2);
    CU_ASSERT_EQUAL(r.last.req_id, id);
    CU_ASSERT_EQUAL(r.last.nsbals, 2);
    CU_ASSERT_EQUAL(r.last.nseg, 20);
    CU_ASSERT_EQUAL(r.last.seg[19].addr, ZD_DATA + 19 * 512u);
    CU_ASSERT_EQUAL(zd_slsb(&z, true, 1), SLSB_P_OUTPUT_EMPTY);
    CU_ASSERT_EQUAL(zd_slsb(&z, true, 2), SLSB_P_OUTPUT_EMPTY);
    CU_ASSERT_EQUAL(q.out.cursor, 3);
    CU_ASSERT_EQUAL(q.stats.requests, 2);
    CU_ASSERT_EQUAL(q.stats.sbals_out, 3);
    /* With data division a driver may use all 16 elements: 31 segments fit
     * in two SBALs and are taken as well. */
    z.sbale_per_sbal = QDIO_MAX_ELEMENTS_PER_BUFFER;
    for (unsigned i = 0; i < 20; i++) {
        s[i] = (struct zd_seg){ ZD_DATA + i * 512u, 512 };
    }
    static struct zd_seg s31[31];
    for (unsigned i = 0; i < 31; i++) {
        s31[i] = (struct zd_seg){ ZD_DATA + i * 256u, 256 };
    }
    id = zd_submit(&z, SBAL_SFLAGS0_TYPE_WRITE, s31, 31, NULL, &nsb);
    CU_ASSERT_EQUAL(nsb, 2);
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(r.calls, 3);
    CU_ASSERT_EQUAL(r.last.req_id, id);
    CU_ASSERT_EQUAL(r.last.nseg, 31);
    CU_ASSERT_EQUAL(r.last.seg[30].addr, ZD_DATA + 30 * 256u);
    CU_ASSERT_EQUAL(q.out.cursor, 5);
    z.sbale_per_sbal = QDIO_MAX_ELEMENTS_PER_BUFFER - 1;
    /* Wrap around the ring: 130 single-SBAL requests in 3 kicks. */
    unsigned before = r.calls;
    for (unsigned k = 0; k < 130; k++) {
        zd_submit(&z, SBAL_SFLAGS0_TYPE_READ, s, 1, NULL, NULL);
        if (k % 50 == 49) {
            CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
        }
    }
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(r.calls - before, 130);
    CU_ASSERT_EQUAL(q.out.cursor, (5 + 130) % 128);
    /* Handler refusal -> SBAL error with its reason. */
    r.ret = QDIO_SBALF15_REQUEST;
    unsigned first = 0;
    zd_submit(&z, SBAL_SFLAGS0_TYPE_READ, s, 1, &first, NULL);
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(errs, 1);
    CU_ASSERT_EQUAL(zd_slsb(&z, true, first), SLSB_P_OUTPUT_ERROR);
    CU_ASSERT_EQUAL(z.th->mem[zd_out_sbal(first) + 15 * 16 + 3], QDIO_SBALF15_REQUEST);
    zd_fini(&z);
}

/* Submit a valid 3-element request, apply `mut` to its first SBAL, kick:
 * the handler must not run; the SBAL(s) go to output-error with `reason`. */
static void expect_kick_error(void (*mut)(struct zdrv *, uint64_t sbal), unsigned nseg,
                              uint8_t reason, unsigned erridx, bool then_good)
{
    struct zdrv z;
    struct qdio_queues q;
    est(&z, &q);
    struct zd_seg s[20];
    for (unsigned i = 0; i < 20; i++) {
        s[i] = (struct zd_seg){ ZD_DATA + i * 4096u, 4096 };
    }
    unsigned first = 0, nsb = 0;
    zd_submit(&z, SBAL_SFLAGS0_TYPE_WRITE, s, nseg, &first, &nsb);
    mut(&z, zd_out_sbal(first));
    struct rec r = {0};
    unsigned errs = 0;
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(r.calls, 0);
    CU_ASSERT_TRUE(errs >= 1);
    CU_ASSERT_EQUAL(zd_slsb(&z, true, first), SLSB_P_OUTPUT_ERROR);
    CU_ASSERT_EQUAL(z.th->mem[zd_out_sbal(first) + 15 * 16 + 3], reason);
    CU_ASSERT_EQUAL(z.th->mem[zd_out_sbal(first) + 14 * 16 + 3] & 0x0f, erridx);
    CU_ASSERT_EQUAL(q.stats.sbal_errors, errs);
    /* The device moved past the bad request: a good one after it works
     * (not after an unprimed continuation SBAL: the device stops there). */
    if (!then_good) {
        zd_fini(&z);
        return;
    }
    zd_submit(&z, SBAL_SFLAGS0_TYPE_READ, s, 1, NULL, NULL);
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(r.calls, 1);
    zd_fini(&z);
}

static void mu_len0(struct zdrv *z, uint64_t sb) { zd_wr32(z, sb + 2 * 16 + 4, 0); }
static void mu_len_over(struct zdrv *z, uint64_t sb) { zd_wr32(z, sb + 1 * 16 + 4, 4097); }
static void mu_len_huge(struct zdrv *z, uint64_t sb) { zd_wr32(z, sb + 1 * 16 + 4, 0xffffffffu); }
static void mu_addr_oob(struct zdrv *z, uint64_t sb) { zd_wr64(z, sb + 3 * 16 + 8, ZD_MEM); }
static void mu_addr_cross(struct zdrv *z, uint64_t sb) { zd_wr64(z, sb + 2 * 16 + 8, ZD_MEM - 100); }
static void mu_addr_wrap(struct zdrv *z, uint64_t sb)
{
    zd_wr64(z, sb + 1 * 16 + 8, 0xfffffffffffff800ull);
}
static void mu_no_cmd(struct zdrv *z, uint64_t sb) { z->th->mem[sb + 3] &= (uint8_t)~SBAL_SFLAGS0_COMMAND; }
static void mu_no_last(struct zdrv *z, uint64_t sb)
{
    /* All 16 elements valid data, none with LAST_ENTRY. */
    for (unsigned e = 1; e < 16; e++) {
        z->th->mem[sb + e * 16] = 0;
        zd_wr32(z, sb + e * 16 + 4, 512);
        zd_wr64(z, sb + e * 16 + 8, ZD_DATA);
    }
}
static void mu_chain_unprimed(struct zdrv *z, uint64_t sb)
{
    /* 20-element request: unprime the continuation SBAL. */
    unsigned first = (unsigned)((sb - ZD_OUT_SBAL) / QDIO_SBAL_SIZE);
    zd_set_slsb(z, true, first + 1, SLSB_P_OUTPUT_NOT_INIT);
}
static void mu_last_and_more(struct zdrv *z, uint64_t sb)
{
    z->th->mem[sb] = SBAL_EFLAGS_LAST_ENTRY;        /* element 0 says "no data" ... */
    z->th->mem[sb + 3] |= SBAL_SFLAGS0_MORE_SBALS;  /* ... but chains */
}

/* An element of length 0 in the middle carries nothing and is skipped
 * (zfcp's status read leaves element 1 empty). */
static void test_kick_empty_element(void)
{
    struct zdrv z;
    struct qdio_queues q;
    est(&z, &q);
    struct zd_seg s[3];
    for (unsigned i = 0; i < 3; i++) {
        s[i] = (struct zd_seg){ ZD_DATA + i * 4096u, 4096 };
    }
    unsigned first = 0;
    zd_submit(&z, SBAL_SFLAGS0_TYPE_WRITE, s, 3, &first, NULL);
    mu_len0(&z, zd_out_sbal(first));
    struct rec r = {0};
    unsigned errs = 0;
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(errs, 0);
    CU_ASSERT_EQUAL(r.calls, 1);
    CU_ASSERT_EQUAL(r.last.nseg, 2);
    CU_ASSERT_EQUAL(r.last.seg[0].addr, ZD_DATA);
    CU_ASSERT_EQUAL(r.last.seg[1].addr, ZD_DATA + 2 * 4096u);
    CU_ASSERT_EQUAL(zd_slsb(&z, true, first), SLSB_P_OUTPUT_EMPTY);
    /* a status read: element 1 empty, the buffer in element 2 */
    struct zd_seg b = { ZD_DATA, 4096 };
    zd_submit(&z, SBAL_SFLAGS0_TYPE_STATUS, &b, 1, &first, NULL);
    CU_ASSERT_EQUAL(z.th->mem[zd_out_sbal(first) + 16 + 7], 0);      /* element 1 length */
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(errs, 0);
    CU_ASSERT_EQUAL(r.calls, 2);
    CU_ASSERT_EQUAL(r.last.nseg, 1);
    CU_ASSERT_EQUAL(r.last.seg[0].len, 4096);
    zd_fini(&z);
}

static void test_kick_malformed(void)
{
    expect_kick_error(mu_len_over, 3, QDIO_SBALF15_LENGTH, 1, true);
    expect_kick_error(mu_len_huge, 3, QDIO_SBALF15_LENGTH, 1, true);
    expect_kick_error(mu_addr_oob, 3, QDIO_SBALF15_ADDR, 3, true);
    expect_kick_error(mu_addr_cross, 3, QDIO_SBALF15_ADDR, 2, true);
    expect_kick_error(mu_addr_wrap, 3, QDIO_SBALF15_ADDR, 1, true);
    expect_kick_error(mu_no_cmd, 3, QDIO_SBALF15_NO_COMMAND, 0, true);
    expect_kick_error(mu_no_last, 3, QDIO_SBALF15_NO_LAST, 15, true);
    expect_kick_error(mu_chain_unprimed, 20, QDIO_SBALF15_CHAIN, 0, false);
    expect_kick_error(mu_last_and_more, 3, QDIO_SBALF15_CHAIN, 0, true);
}

static void test_kick_bad_slsb_and_limits(void)
{
    struct zdrv z;
    struct qdio_queues q;
    est(&z, &q);
    struct rec r = {0};
    unsigned errs = 0;
    /* States the driver never sets on an output queue. */
    const uint8_t bad[] = { SLSB_CU_INPUT_EMPTY, 0x00, 0xc2, 0x7f };
    for (unsigned i = 0; i < sizeof(bad); i++) {
        zd_set_slsb(&z, true, i, bad[i]);
    }
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(errs, sizeof(bad));
    CU_ASSERT_EQUAL(r.calls, 0);
    for (unsigned i = 0; i < sizeof(bad); i++) {
        CU_ASSERT_EQUAL(zd_slsb(&z, true, i), SLSB_P_OUTPUT_ERROR);
        CU_ASSERT_EQUAL(z.th->mem[zd_out_sbal(i) + 15 * 16 + 3], QDIO_SBALF15_SLSB_STATE);
    }
    /* Program-owned states stop the walk: nothing changes. */
    zd_set_slsb(&z, true, 4, SLSB_P_OUTPUT_EMPTY);
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(errs, 0);
    CU_ASSERT_EQUAL(q.out.cursor, 4);
    /* A request longer than QDIO_MAX_SBALS_PER_REQ SBALs. */
    qdio_reset(&q);
    zd_fini(&z);
    est(&z, &q);
    /* 14 + 36 * 15 segments: 37 SBALs the zfcp way (one over the limit). */
    static struct zd_seg s[14 + 36 * 15];
    for (unsigned i = 0; i < 14 + 36 * 15; i++) {
        s[i] = (struct zd_seg){ ZD_DATA, 512 };
    }
    unsigned first = 0, nsb = 0;
    zd_submit(&z, SBAL_SFLAGS0_TYPE_WRITE, s, 14 + 36 * 15, &first, &nsb);
    CU_ASSERT_EQUAL(nsb, 37);
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(r.calls, 0);
    CU_ASSERT_EQUAL(zd_slsb(&z, true, 0), SLSB_P_OUTPUT_ERROR);
    CU_ASSERT_EQUAL(z.th->mem[zd_out_sbal(0) + 15 * 16 + 3], QDIO_SBALF15_CHAIN);
    /* Exactly QDIO_MAX_SBALS_PER_REQ (36) SBALs: accepted. */
    qdio_reset(&q);
    zd_fini(&z);
    est(&z, &q);
    zd_submit(&z, SBAL_SFLAGS0_TYPE_WRITE, s, 14 + 35 * 15, &first, &nsb);
    CU_ASSERT_EQUAL(nsb, 36);
    CU_ASSERT_EQUAL(qdio_output_kick(&q, z.h, rec_fn, &r, &errs), QDIO_OK);
    CU_ASSERT_EQUAL(errs, 0);
    CU_ASSERT_EQUAL(r.calls, 1);
    CU_ASSERT_EQUAL(r.last.nsbals, 36);
    CU_ASSERT_EQUAL(r.last.nseg, 14 + 35 * 15);
    CU_ASSERT_EQUAL(zd_slsb(&z, true, 35), SLSB_P_OUTPUT_EMPTY);
    CU_ASSERT_EQUAL(q.out.cursor, 36);
    /* Not established: refused. */
    struct qdio_queues none;
    qdio_reset(&none);
    CU_ASSERT_EQUAL(qdio_output_kick(&none, z.h, rec_fn, &r, &errs), QDIO_ERR_STATE);
    uint64_t id = 1;
    CU_ASSERT_EQUAL(qdio_input_fill(&none, z.h, &id, 1, NULL), QDIO_ERR_STATE);
    zd_fini(&z);
}

/* ---- input ---------------------------------------------------------------------- */

static void test_input_fill(void)
{
    struct zdrv z;
    struct qdio_queues q;
    zd_init(&z);
    qdio_reset(&q);
    CU_ASSERT_EQUAL_FATAL(qdio_establish(&q, z.h, ZD_QDR, 4096), QDIO_OK);
    uint64_t ids[20];
    for (unsigned i = 0; i < 20; i++) {
        ids[i] = 0x1000 + i;
    }
    unsigned used = 7;
    /* Buffers still NOT_INIT (program-owned): nothing written. */
    unsigned writes = z.th->writes;
    CU_ASSERT_EQUAL(qdio_input_fill(&q, z.h, ids, 1, &used), QDIO_ERR_NO_BUFFER);
    CU_ASSERT_EQUAL(used, 0);
    CU_ASSERT_EQUAL(z.th->writes, writes);
    zd_give_input(&z);
    CU_ASSERT_EQUAL(qdio_input_fill(&q, z.h, ids, 20, &used), QDIO_OK);
    CU_ASSERT_EQUAL(used, 16);
    CU_ASSERT_EQUAL(zd_slsb(&z, false, 0), SLSB_P_INPUT_PRIMED);
    uint64_t got[32];
    CU_ASSERT_EQUAL(zd_collect(&z, got, 32), 16);
    CU_ASSERT_EQUAL(got[0], 0x1000);
    CU_ASSERT_EQUAL(got[15], 0x100f);
    CU_ASSERT_EQUAL(qdio_input_fill(&q, z.h, ids + 16, 4, &used), QDIO_OK);
    CU_ASSERT_EQUAL(used, 4);
    CU_ASSERT_EQUAL(zd_collect(&z, got, 32), 4);
    CU_ASSERT_EQUAL(got[3], 0x1013);
    /* A state the driver never sets on an input queue -> input error. */
    zd_set_slsb(&z, false, 2, SLSB_CU_OUTPUT_PRIMED);
    CU_ASSERT_EQUAL(qdio_input_fill(&q, z.h, ids, 1, &used), QDIO_ERR_SLSB);
    CU_ASSERT_EQUAL(zd_slsb(&z, false, 2), SLSB_P_INPUT_ERROR);
    CU_ASSERT_EQUAL(z.th->mem[zd_in_sbal(2) + 15 * 16 + 3], QDIO_SBALF15_SLSB_STATE);
    CU_ASSERT_EQUAL(q.stats.input_errors, 1);
    /* ... and the next one is used. */
    CU_ASSERT_EQUAL(qdio_input_fill(&q, z.h, ids, 1, &used), QDIO_OK);
    CU_ASSERT_EQUAL(zd_slsb(&z, false, 3), SLSB_P_INPUT_PRIMED);
    CU_ASSERT_EQUAL(qdio_input_fill(&q, z.h, ids, 0, &used), QDIO_ERR_INVALID);
    CU_ASSERT_EQUAL(qdio_input_fill(&q, z.h, NULL, 1, &used), QDIO_ERR_INVALID);
    zd_fini(&z);
}

int register_qdio_suite(void)
{
    CU_pSuite s = CU_add_suite("qdio", NULL, NULL);
    if (!s) {
        return CU_get_error();
    }
    if (!CU_add_test(s, "establish_ok", test_establish_ok) ||
        !CU_add_test(s, "establish_malformed", test_establish_malformed) ||
        !CU_add_test(s, "kick_good_and_chain", test_kick_good_and_chain) ||
        !CU_add_test(s, "kick_malformed", test_kick_malformed) ||
        !CU_add_test(s, "kick_empty_element", test_kick_empty_element) ||
        !CU_add_test(s, "kick_bad_slsb_and_limits", test_kick_bad_slsb_and_limits) ||
        !CU_add_test(s, "input_fill", test_input_fill)) {
        return CU_get_error();
    }
    return 0;
}
