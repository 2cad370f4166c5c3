/*
 * CHSC SSQD (fcp/ssqd.h): the request Linux's chsc_ssqd builds, and
 * short / overlong / malformed / out-of-range request blocks and
 * subchannels that are not FCP.
 */
#include <string.h>

#include <CUnit/CUnit.h>

#include <dumpbench/be.h>

#include "fcp/qdio.h"
#include "fcp/ssqd.h"
#include "fcp_test.h"

#define FCP_SCH   5u   /* the FCP subchannel of the lookup below (ssid 0) */
#define OTHER_SCH 0u   /* a non-QDIO subchannel (ssid 0) */

static unsigned lookups;

static enum ssqd_sch_kind lookup(void *opaque, unsigned ssid, unsigned sch)
{
    (void)opaque;
    lookups++;
    if (ssid == 0 && sch == FCP_SCH) {
        return SSQD_SCH_FCP;
    }
    if (ssid == 0 && sch == OTHER_SCH) {
        return SSQD_SCH_OTHER;
    }
    return SSQD_SCH_NONE;
}

/* chsc.c chsc_ssqd: length 0x10, code 0x24, ssid, first = last = sch */
static void mkreq(uint8_t req[16], unsigned ssid, unsigned first, unsigned last)
{
    memset(req, 0, 16);
    db_st_be16(req, 0x0010);
    db_st_be16(req + 2, CHSC_SSQD_CODE);
    db_st_be16(req + 4, (uint16_t)(ssid << 4));
    db_st_be16(req + 6, (uint16_t)first);
    db_st_be16(req + 10, (uint16_t)last);
}

static void test_fcp_subchannel(void)
{
    uint8_t req[16], resp[4080];
    size_t len = 0;
    mkreq(req, 0, FCP_SCH, FCP_SCH);
    memset(resp, 0xee, sizeof(resp));
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_OK);
    CU_ASSERT_EQUAL(len, 40);
    CU_ASSERT_EQUAL(db_ld_be16(resp), 40);
    CU_ASSERT_EQUAL(db_ld_be16(resp + 2), CHSC_RC_OK);
    CU_ASSERT_EQUAL(db_ld_be32(resp + 4), 0);
    const uint8_t *d = resp + 8;
    CU_ASSERT_EQUAL(d[SSQD_OFF_FLAGS], CHSC_FLAG_QDIO_CAPABILITY | CHSC_FLAG_VALIDITY);
    CU_ASSERT_EQUAL(db_ld_be16(d + SSQD_OFF_SCH), FCP_SCH);
    CU_ASSERT_EQUAL(d[SSQD_OFF_QFMT], QDIO_ZFCP_QFMT);
    CU_ASSERT_EQUAL(d[SSQD_OFF_QDIOAC1], AC1_SIGA_OUTPUT_NEEDED | AC1_SIGA_INPUT_NEEDED);
    CU_ASSERT_EQUAL(d[SSQD_OFF_ICNT], 1);
    CU_ASSERT_EQUAL(d[SSQD_OFF_OCNT], 1);
    CU_ASSERT_EQUAL(db_ld_be16(d + SSQD_OFF_QDIOAC2), 0);
    CU_ASSERT_EQUAL(db_ld_be64(d + SSQD_OFF_SCH_TOKEN), 0);
    CU_ASSERT_EQUAL(resp[40], 0xee);   /* nothing beyond the response */
}

static void test_other_and_missing(void)
{
    uint8_t req[16], resp[256];
    size_t len = 0;
    mkreq(req, 0, OTHER_SCH, OTHER_SCH);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_OK);
    CU_ASSERT_EQUAL(len, 40);
    CU_ASSERT_EQUAL(resp[8 + SSQD_OFF_FLAGS], CHSC_FLAG_VALIDITY);
    CU_ASSERT_EQUAL(resp[8 + SSQD_OFF_QDIOAC1], 0);
    /* wrong subchannel set: the FCP subchannel number in ssid 1 */
    mkreq(req, 1, FCP_SCH, FCP_SCH);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_OK);
    CU_ASSERT_EQUAL(resp[8 + SSQD_OFF_FLAGS], 0);
    CU_ASSERT_EQUAL(resp[8 + SSQD_OFF_QFMT], 0);
    /* wrong subchannel number */
    mkreq(req, 0, FCP_SCH + 1, FCP_SCH + 1);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_OK);
    CU_ASSERT_EQUAL(resp[8 + SSQD_OFF_FLAGS], 0);
}

static void test_bad_requests(void)
{
    uint8_t req[24], resp[256];
    size_t len = 99;
    /* short and overlong request blocks */
    mkreq(req, 0, FCP_SCH, FCP_SCH);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 8, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_REQ_ERROR);
    CU_ASSERT_EQUAL(len, 8);
    CU_ASSERT_EQUAL(db_ld_be16(resp), 8);
    CU_ASSERT_EQUAL(db_ld_be16(resp + 2), CHSC_RC_REQ_ERROR);
    memset(req + 16, 0, 8);
    db_st_be16(req, 24);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 24, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_REQ_ERROR);
    /* header length disagreeing with the block the caller passes */
    mkreq(req, 0, FCP_SCH, FCP_SCH);
    db_st_be16(req, 0x18);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_REQ_ERROR);
    /* reserved bits */
    mkreq(req, 0, FCP_SCH, FCP_SCH);
    req[4] = 0x80;
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_REQ_ERROR);
    mkreq(req, 0, FCP_SCH, FCP_SCH);
    req[13] = 1;
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_REQ_ERROR);
    /* format */
    mkreq(req, 0, FCP_SCH, FCP_SCH);
    req[5] |= 0x01;
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_FORMAT);
    /* out of range: first > last */
    lookups = 0;
    mkreq(req, 0, FCP_SCH, FCP_SCH - 1);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_REQ_ERROR);
    CU_ASSERT_EQUAL(len, 8);
    CU_ASSERT_EQUAL(lookups, 0);
    /* no room even for the header; NULL arguments */
    mkreq(req, 0, FCP_SCH, FCP_SCH);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, 7, lookup, NULL, &len), 0);
    CU_ASSERT_EQUAL(len, 0);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(NULL, 16, resp, sizeof(resp), lookup, NULL, &len), 0);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, sizeof(resp), NULL, NULL, &len), 0);
}

static void test_ranges(void)
{
    uint8_t req[16], resp[4080];
    size_t len = 0;
    /* 0..5: six descriptors, the FCP one last */
    mkreq(req, 0, 0, FCP_SCH);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_OK);
    CU_ASSERT_EQUAL(len, 8 + 6 * 32);
    CU_ASSERT_EQUAL(resp[8 + SSQD_OFF_FLAGS], CHSC_FLAG_VALIDITY);
    CU_ASSERT_EQUAL(resp[8 + 32 + SSQD_OFF_FLAGS], 0);
    CU_ASSERT_EQUAL(resp[8 + 5 * 32 + SSQD_OFF_FLAGS],
                    CHSC_FLAG_QDIO_CAPABILITY | CHSC_FLAG_VALIDITY);
    CU_ASSERT_EQUAL(db_ld_be16(resp + 8 + 5 * 32 + SSQD_OFF_SCH), FCP_SCH);
    /* the whole subchannel range truncates at the response area */
    lookups = 0;
    mkreq(req, 0, 0, 0xffff);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, sizeof(resp), lookup, NULL, &len), CHSC_RC_OK);
    CU_ASSERT_EQUAL(len, 8 + ((sizeof(resp) - 8) / 32) * 32);
    CU_ASSERT_EQUAL(lookups, (sizeof(resp) - 8) / 32);
    /* a small area holds the header and no descriptor */
    mkreq(req, 0, FCP_SCH, FCP_SCH);
    CU_ASSERT_EQUAL(fcp_ssqd_answer(req, 16, resp, 39, lookup, NULL, &len), CHSC_RC_OK);
    CU_ASSERT_EQUAL(len, 8);
}

int register_ssqd_suite(void)
{
    CU_pSuite s = CU_add_suite("ssqd", NULL, NULL);
    if (!s) {
        return CU_get_error();
    }
    if (!CU_add_test(s, "fcp_subchannel", test_fcp_subchannel) ||
        !CU_add_test(s, "other_and_missing", test_other_and_missing) ||
        !CU_add_test(s, "bad_requests", test_bad_requests) ||
        !CU_add_test(s, "ranges", test_ranges)) {
        return CU_get_error();
    }
    return 0;
}
